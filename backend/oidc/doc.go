// Package oidc signs a person in with an OpenID Connect provider (Keycloak,
// Zitadel, Auth0, Okta, Entra ID, Authentik, Dex, ...) the way RFC 8252
// ("OAuth 2.0 for Native Apps") describes for a desktop app:
//
//   - AuthDesk is a public client: a client ID and no secret.
//   - Begin starts an Authorization Code flow with PKCE (RFC 7636, S256), a
//     random state and nonce, and a one-shot HTTP listener on
//     http://127.0.0.1:<ephemeral port>/callback (RFC 8252 section 7.3). The
//     caller opens the returned URL in the system browser.
//   - Login.Wait takes the browser's return, checks state (and RFC 9207's iss
//     when the provider sends it), exchanges the code with the PKCE verifier,
//     verifies the ID token (signature against the provider's JWKS, iss, aud,
//     azp, exp, nonce, at_hash) and returns a backend.Grant. The listener is
//     closed on every outcome.
//   - Refresh uses the refresh_token grant and follows rotation; Revoke uses
//     RFC 7009 when the provider advertises a revocation endpoint;
//     EndSessionURL builds the RP-initiated logout address when advertised.
//   - Probe is Settings' "Test connection": discovery and JWKS, and what is
//     wrong with them in a sentence.
//
// Every failure is a *backend.Error following the backend.Authenticator
// contract: EUNAUTHORIZED for a definite "no" (invalid_grant, a refused or
// unverifiable ID token, a denied or cancelled sign-in), EUNAVAILABLE for
// anything a later try may fix (network, 5xx, temporarily_unavailable),
// EINVALID for a configuration the provider rejects (unknown client, scope
// or redirect). Tokens are never logged and never part of an error message.
package oidc
