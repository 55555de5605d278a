// Package httpapi serves the embedded backend over HTTP with the tutorial's
// API contract (docs/API.md): the same six routes, JSON
// shapes, status codes and messages, so the tutorial's browser client, its
// Vue app, or another AuthDesk in remote mode can log in to it.
//
// Choices where the two tutorial APIs differ, or the contract is silent:
//   - User ids are sent as JSON numbers when they are canonical decimals (the
//     embedded backend's are), as strings otherwise. Both shapes are what
//     clients of one of the APIs already expect; numbers match the ASP.NET
//     API, whose JSON the tutorial shows.
//   - "role" is always included: clients that do not know it ignore it.
//   - GET /users for a non-admin answers 200 with a list holding only the
//     caller, as the embedded backend does, rather than the ASP.NET API's
//     401: a 401 makes the tutorial client log the person out.
//   - Refusals at login and refresh are 400, as in both APIs; 401 is only
//     for a missing, bad or insufficient Bearer token.
//   - The refresh cookie is SameSite=Lax and, under TLS, Secure; the
//     tutorial APIs set neither. Lax still lets same-site pages (localhost
//     on any port) refresh from a fetch.
//   - The caller's address is r.RemoteAddr. X-Forwarded-For is ignored: it
//     is whatever the client says, and this server is meant to be reached
//     directly.
package httpapi
