package remote

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/authdesk/authdesk/backend"
)

// Authenticate logs in with POST /users/authenticate.
func (c *Client) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	if err := backend.ValidateCredentials(username, password); err != nil {
		return nil, err // same limits as the embedded backend, and no round trip
	}
	r, err := c.send(ctx, request{
		method: http.MethodPost, path: "/users/authenticate",
		body: map[string]string{"username": username, "password": password},
	})
	if err != nil {
		return nil, err
	}
	switch {
	case r.status == http.StatusOK:
		if req, err := c.mfaRequired(r); err != nil {
			return nil, err
		} else if req != nil {
			return nil, req // mfa.go: the server wants a code
		}
		return c.grant(r)
	case r.status == http.StatusBadRequest && isValidation(r):
		return nil, backend.Errorf(backend.EINVALID, "%s", errorMessage(r))
	case r.status == http.StatusBadRequest, r.status == http.StatusUnauthorized:
		return nil, backend.Errorf(backend.EUNAUTHORIZED, "%s", errorMessage(r))
	}
	return nil, c.failure(r)
}

// Refresh rotates the refresh token with POST /users/refresh-token. The
// token goes only in the cookie; the body is the {} the tutorial client sends.
//
// 400 and 401 mean the server knows the token and refuses it: the session is
// over. Nothing else ends a session (a 404 from a misconfigured proxy must
// not log anyone out).
func (c *Client) Refresh(ctx context.Context, refreshToken string) (*backend.Grant, error) {
	if !sendable(refreshToken) {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	}
	r, err := c.send(ctx, request{
		method: http.MethodPost, path: "/users/refresh-token",
		body: struct{}{}, cookie: refreshToken,
	})
	if err != nil {
		return nil, err
	}
	switch r.status {
	case http.StatusOK:
		return c.grant(r)
	case http.StatusBadRequest, http.StatusUnauthorized:
		msg := backend.MsgInvalidToken
		if e, ok := parseError(r.body); ok && e.Message != "" {
			msg = clip(e.Message)
		}
		return nil, backend.Errorf(backend.EUNAUTHORIZED, "%s", msg)
	}
	return nil, c.failure(r)
}

// Revoke ends a refresh token with POST /users/revoke-token. The body holds
// the cookie value decoded, as the servers compare it with their own decoded
// cookie. The cookie itself is not sent: the body names the token.
func (c *Client) Revoke(ctx context.Context, accessToken, refreshToken string) error {
	if refreshToken == "" {
		return backend.Errorf(backend.EINVALID, "Token is required")
	}
	r, err := c.send(ctx, request{
		method: http.MethodPost, path: "/users/revoke-token",
		body: map[string]string{"token": decodeCookie(refreshToken)}, bearer: accessToken,
	})
	if err != nil {
		return err
	}
	switch r.status {
	case http.StatusOK, http.StatusNoContent:
		return nil
	case http.StatusBadRequest, http.StatusUnsupportedMediaType:
		return backend.Errorf(backend.EINVALID, "%s", errorMessage(r))
	case http.StatusUnauthorized, http.StatusForbidden:
		return backend.Errorf(backend.EUNAUTHORIZED, "%s", errorMessage(r))
	}
	return c.failure(r)
}

// decodeCookie undoes percent-encoding. PathUnescape rather than
// QueryUnescape: a '+' in a cookie is a plus (base64 uses it), not a space,
// and ASP.NET decodes its own cookie the same way (Uri.UnescapeDataString).
// A value that is not valid percent-encoding is sent as it is.
func decodeCookie(v string) string {
	if d, err := url.PathUnescape(v); err == nil {
		return d
	}
	return v
}

// grant builds the Grant from a 200 answer to authenticate or refresh: the
// user and access token from the body, the refresh token from the cookie.
func (c *Client) grant(r *response) (*backend.Grant, error) {
	var body userJSON
	if err := c.decode(r, &body); err != nil {
		return nil, err
	}
	u, err := body.user()
	if err != nil {
		return nil, c.notTheAPI(err, "the user in its answer had no id")
	}
	if body.JWTToken == "" {
		return nil, c.notTheAPI(errors.New("no jwtToken"), "its answer had no jwtToken")
	}
	cookie, ok := refreshCookieFrom(r.header, c.Now())
	if !ok || !sendable(cookie.value) {
		return nil, backend.Errorf(backend.EUNAVAILABLE,
			"%s did not send a usable refreshToken cookie, so the session could not be kept", c.display)
	}
	return &backend.Grant{
		User:           u,
		AccessToken:    body.JWTToken,
		AccessExpires:  backend.AccessExpiryOrZero(body.JWTToken),
		RefreshToken:   cookie.value,
		RefreshExpires: cookie.expires,
	}, nil
}
