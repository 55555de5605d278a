package remote

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Paging and account management against a server (docs/API.md, "Paging and
// search" and "Managing accounts"). An AuthDesk server says what it offers
// in the X-AuthDesk-Users header of a paged GET /users; the tutorial's APIs
// ignore the paging parameters and send the whole list, which is then paged
// here, and have no account management: UserFeatures says so, and the UI
// does not offer it.

var (
	_ backend.TokenUserPager    = (*Client)(nil)
	_ backend.TokenUserAdmin    = (*Client)(nil)
	_ backend.UserFeatureProber = (*Client)(nil)
)

const featuresHeader = "X-AuthDesk-Users"

// UserFeatures asks the server with one small paged GET /users.
func (c *Client) UserFeatures(ctx context.Context, accessToken string) (backend.UserFeatures, error) {
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users?limit=1", bearer: accessToken})
	if err != nil {
		return backend.UserFeatures{}, err
	}
	if r.status != http.StatusOK {
		return backend.UserFeatures{}, c.refused(r)
	}
	return parseFeatures(r.header.Get(featuresHeader)), nil
}

func parseFeatures(v string) backend.UserFeatures {
	var f backend.UserFeatures
	for _, p := range strings.Split(v, ",") {
		switch strings.TrimSpace(p) {
		case "paging":
			f.Paging = true
		case "admin":
			f.Admin = true
		}
	}
	return f
}

// rowJSON is a user in a page; the admin fields come from AuthDesk servers.
type rowJSON struct {
	userJSON
	Disabled    bool      `json:"disabled"`
	LockedUntil time.Time `json:"lockedUntil"`
}

func (j rowJSON) entry() (backend.UserEntry, error) {
	u, err := j.user()
	return backend.UserEntry{User: u, Disabled: j.Disabled, LockedUntil: j.LockedUntil}, err
}

// PageUsers reads one page. A server that pages (X-Total-Count in its
// answer) does the search and order; any other answer is the whole list,
// paged here in the same order and with the same cursors.
func (c *Client) PageUsers(ctx context.Context, accessToken string, q backend.UserQuery) (*backend.UserPage, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	v := url.Values{"limit": {strconv.Itoa(q.Limit)}, "sort": {string(q.Sort)}}
	if q.Search != "" {
		v.Set("search", q.Search)
	}
	if q.Cursor != "" {
		v.Set("cursor", q.Cursor)
	}
	if q.Desc {
		v.Set("order", "desc")
	}
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users?" + v.Encode(), bearer: accessToken})
	if err != nil {
		return nil, err
	}
	switch r.status {
	case http.StatusOK:
	case http.StatusBadRequest:
		return nil, backend.Errorf(backend.EINVALID, "%s", errorMessage(r))
	default:
		return nil, c.refused(r)
	}
	var body []rowJSON
	if err := c.decode(r, &body); err != nil {
		return nil, err
	}
	entries := make([]backend.UserEntry, 0, len(body))
	for _, b := range body {
		e, err := b.entry()
		if err != nil {
			return nil, c.notTheAPI(err, "a user in its answer had no id")
		}
		entries = append(entries, e)
	}
	total, err := strconv.Atoi(r.header.Get("X-Total-Count"))
	if err != nil { // the whole list: page it here
		return backend.SelectPage(q, func(yield func(backend.UserEntry) bool) {
			for _, e := range entries {
				if !yield(e) {
					return
				}
			}
		})
	}
	return &backend.UserPage{Users: entries, Next: r.header.Get("X-Next-Cursor"), Total: total}, nil
}

// manageRefusal maps a refused management call.
func (c *Client) manageRefusal(r *response) error {
	msg := errorMessage(r)
	switch r.status {
	case http.StatusBadRequest:
		return backend.Errorf(backend.EINVALID, "%s", msg)
	case http.StatusConflict:
		return backend.Errorf(backend.ECONFLICT, "%s", msg)
	case http.StatusNotFound:
		// An AuthDesk server names what is missing; a route it does not
		// have ("Not found", or no JSON at all) means no such feature.
		if e, ok := parseError(r.body); ok && e.Message != "" && e.Message != "Not found" {
			return backend.Errorf(backend.ENOTFOUND, "%s", clip(e.Message))
		}
		return backend.Errorf(backend.ENOTFOUND, "%s does not manage accounts", c.display)
	case http.StatusMethodNotAllowed:
		return backend.Errorf(backend.ENOTFOUND, "%s does not manage accounts", c.display)
	}
	return c.refused(r)
}

// manage sends one management call and decodes a 2xx answer into out.
func (c *Client) manage(ctx context.Context, rq request, out any) error {
	r, err := c.send(ctx, rq)
	if err != nil {
		return err
	}
	if r.status < 200 || r.status > 299 {
		return c.manageRefusal(r)
	}
	if out == nil {
		return nil
	}
	return c.decode(r, out)
}

func userPath(id, rest string) string { return "/users/" + url.PathEscape(id) + rest }

// CreateUser is POST /users.
func (c *Client) CreateUser(ctx context.Context, accessToken string, u backend.NewUser) (*backend.User, error) {
	var body userJSON
	err := c.manage(ctx, request{method: http.MethodPost, path: "/users", bearer: accessToken, body: map[string]string{
		"username": u.Username, "password": u.Password, "firstName": u.FirstName, "lastName": u.LastName, "role": string(u.Role),
	}}, &body)
	if err != nil {
		return nil, err
	}
	out, err := body.user()
	if err != nil {
		return nil, c.notTheAPI(err, "the new user in its answer had no id")
	}
	return &out, nil
}

// UpdateUser is PATCH /users/{id} with the fields that change.
func (c *Client) UpdateUser(ctx context.Context, accessToken, id string, ch backend.UserChanges) (*backend.UserEntry, error) {
	if id == "" {
		return nil, backend.Errorf(backend.EINVALID, "User id is required")
	}
	fields := map[string]any{}
	if ch.FirstName != nil {
		fields["firstName"] = *ch.FirstName
	}
	if ch.LastName != nil {
		fields["lastName"] = *ch.LastName
	}
	if ch.Role != nil {
		fields["role"] = *ch.Role
	}
	if ch.Disabled != nil {
		fields["disabled"] = *ch.Disabled
	}
	var body rowJSON
	if err := c.manage(ctx, request{method: http.MethodPatch, path: userPath(id, ""), bearer: accessToken, body: fields}, &body); err != nil {
		return nil, err
	}
	e, err := body.entry()
	if err != nil {
		return nil, c.notTheAPI(err, "the user in its answer had no id")
	}
	return &e, nil
}

// ResetPassword is POST /users/{id}/reset-password.
func (c *Client) ResetPassword(ctx context.Context, accessToken, id, password string) error {
	return c.manage(ctx, request{method: http.MethodPost, path: userPath(id, "/reset-password"), bearer: accessToken,
		body: map[string]string{"password": password}}, nil)
}

// UnlockUser is POST /users/{id}/unlock.
func (c *Client) UnlockUser(ctx context.Context, accessToken, id string) error {
	return c.manage(ctx, request{method: http.MethodPost, path: userPath(id, "/unlock"), bearer: accessToken, body: struct{}{}}, nil)
}

// RemoveUser is DELETE /users/{id}.
func (c *Client) RemoveUser(ctx context.Context, accessToken, id string) error {
	return c.manage(ctx, request{method: http.MethodDelete, path: userPath(id, ""), bearer: accessToken}, nil)
}
