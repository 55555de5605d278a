// Package remote is the backend.Authenticator for a server that speaks the
// tutorial's API contract (docs/API.md describes it): either of the two
// public example APIs, or another AuthDesk running `authdesk serve`.
//
// The refresh token travels in a cookie named refreshToken. The client keeps
// its value opaque and byte-exact: one API percent-encodes base64 on the wire,
// the other sends hex, and only the server knows how it decodes its own
// cookie. A cookie jar would re-encode or drop values, so there is none; the
// raw value becomes Grant.RefreshToken, which the session manager saves.
//
// Every failure is a *backend.Error following the Authenticator contract:
// EUNAUTHORIZED only for a definite "no" from the server, EUNAVAILABLE for
// anything that might work on a later try (network, TLS, 5xx, odd answers).
package remote
