package remote

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// The person's own account on a server that offers AuthDesk's account
// routes (docs/API.md, "Your account"). The tutorial's own APIs do not:
// OffersAccount asks once per Client, and the session layer offers none of
// this when the answer is no.

var (
	_ backend.OwnAccountManager = (*Client)(nil)
	_ backend.OwnAccountOffer   = (*Client)(nil)
)

// What a Client learnt about the account routes.
const (
	offerUnknown int32 = iota
	offerYes
	offerNo
)

// accountOffers remembers, per Client, whether its server has the account
// routes. A server does not lose or gain them while the app runs; a new
// address is a new Client.
type accountOffers struct{ state atomic.Int32 }

// OffersAccount reports whether the server has the account routes, by
// listing the caller's sessions: a JSON array means yes; 404 or 405 (the
// tutorial's APIs, whatever the body) means no. A refused token is
// EUNAUTHORIZED and network trouble EUNAVAILABLE; neither is remembered.
func (c *Client) OffersAccount(ctx context.Context, accessToken string) (bool, error) {
	switch c.offers.state.Load() {
	case offerYes:
		return true, nil
	case offerNo:
		return false, nil
	}
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users/me/sessions", bearer: accessToken})
	if err != nil {
		return false, err
	}
	switch r.status {
	case http.StatusOK:
		var list []sessionJSON
		if c.decode(r, &list) != nil {
			c.offers.state.Store(offerNo) // something else answers there
			return false, nil
		}
		c.offers.state.Store(offerYes)
		return true, nil
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		c.offers.state.Store(offerNo)
		return false, nil
	}
	return false, c.refused(r)
}

// ChangePassword is POST /users/me/password. A refusal of the input or of
// the current password is EINVALID with the server's message.
func (c *Client) ChangePassword(ctx context.Context, accessToken, current, newPassword string) error {
	r, err := c.send(ctx, request{method: http.MethodPost, path: "/users/me/password", bearer: accessToken,
		body: map[string]string{"currentPassword": current, "newPassword": newPassword}})
	if err != nil {
		return err
	}
	return c.accountAnswer(r, nil)
}

// sessionJSON is a session as GET /users/me/sessions sends it.
type sessionJSON struct {
	ID            string    `json:"id"`
	Client        string    `json:"client"`
	UserAgent     string    `json:"userAgent"`
	Started       time.Time `json:"started"`
	LastRefreshed time.Time `json:"lastRefreshed"`
	Expires       time.Time `json:"expires"`
	Current       bool      `json:"current"`
}

// maxSessionsListed bounds what is taken from a server's list.
const maxSessionsListed = 1000

// MySessions is GET /users/me/sessions.
func (c *Client) MySessions(ctx context.Context, accessToken string) ([]backend.SessionInfo, error) {
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users/me/sessions", bearer: accessToken})
	if err != nil {
		return nil, err
	}
	var body []sessionJSON
	if err := c.accountAnswer(r, &body); err != nil {
		return nil, err
	}
	if len(body) > maxSessionsListed {
		body = body[:maxSessionsListed]
	}
	out := make([]backend.SessionInfo, 0, len(body))
	for _, s := range body {
		if s.ID == "" {
			return nil, c.notTheAPI(errors.New("session without id"), "a session in its answer had no id")
		}
		out = append(out, backend.SessionInfo{
			ID: clip(s.ID), Client: clip(s.Client), UserAgent: clip(s.UserAgent),
			Started: s.Started, LastRefreshed: s.LastRefreshed, Expires: s.Expires, Current: s.Current,
		})
	}
	return out, nil
}

// SignOutSession is POST /users/me/sessions/{id}/revoke.
func (c *Client) SignOutSession(ctx context.Context, accessToken, id string) error {
	if id == "" {
		return backend.Errorf(backend.ENOTFOUND, backend.MsgSessionNotFound)
	}
	r, err := c.send(ctx, request{method: http.MethodPost, path: "/users/me/sessions/" + url.PathEscape(id) + "/revoke", bearer: accessToken})
	if err != nil {
		return err
	}
	return c.accountAnswer(r, nil)
}

// SignOutOtherSessions is POST /users/me/sessions/revoke-others.
func (c *Client) SignOutOtherSessions(ctx context.Context, accessToken string) (int, error) {
	r, err := c.send(ctx, request{method: http.MethodPost, path: "/users/me/sessions/revoke-others", bearer: accessToken})
	if err != nil {
		return 0, err
	}
	var body struct {
		SignedOut int `json:"signedOut"`
	}
	if err := c.accountAnswer(r, &body); err != nil {
		return 0, err
	}
	return body.SignedOut, nil
}

// accountAnswer maps an account route's answer: 200 decodes into v (when
// not nil); 400 is EINVALID, 404 with a JSON message ENOTFOUND, 409
// ECONFLICT, each with the server's message; the rest as other calls.
func (c *Client) accountAnswer(r *response, v any) error {
	_, isJSON := parseError(r.body)
	switch {
	case r.status == http.StatusOK:
		if v == nil {
			return nil
		}
		return c.decode(r, v)
	case r.status == http.StatusBadRequest:
		return backend.Errorf(backend.EINVALID, "%s", errorMessage(r))
	case r.status == http.StatusNotFound && isJSON:
		return backend.Errorf(backend.ENOTFOUND, "%s", errorMessage(r))
	case r.status == http.StatusConflict:
		return backend.Errorf(backend.ECONFLICT, "%s", errorMessage(r))
	}
	return c.refused(r)
}
