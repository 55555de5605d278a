package remote

import (
	"context"
	"net/http"
	"net/url"

	"github.com/authdesk/authdesk/backend"
)

// ListUsers reads GET /users. 401 (and 403) are EUNAUTHORIZED: the session
// manager refreshes once and retries, and a second refusal reaches the
// person as "not allowed".
func (c *Client) ListUsers(ctx context.Context, accessToken string) ([]backend.User, error) {
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users", bearer: accessToken})
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, c.refused(r)
	}
	var body []userJSON
	if err := c.decode(r, &body); err != nil {
		return nil, err
	}
	users := make([]backend.User, 0, len(body))
	for _, b := range body {
		u, err := b.user()
		if err != nil {
			return nil, c.notTheAPI(err, "a user in its answer had no id")
		}
		users = append(users, u)
	}
	return users, nil
}

// GetUser reads GET /users/{id}.
func (c *Client) GetUser(ctx context.Context, accessToken, id string) (*backend.User, error) {
	if id == "" {
		return nil, backend.Errorf(backend.EINVALID, "User id is required")
	}
	r, err := c.send(ctx, request{method: http.MethodGet, path: "/users/" + url.PathEscape(id), bearer: accessToken})
	if err != nil {
		return nil, err
	}
	switch r.status {
	case http.StatusOK:
	case http.StatusNotFound:
		// Both APIs answer an unknown id with 404; only a JSON message
		// tells it apart from a wrong address, and either way there is no
		// such user to show here.
		msg := backend.MsgUserNotFound
		if e, ok := parseError(r.body); ok && e.Message != "" {
			msg = clip(e.Message)
		}
		return nil, backend.Errorf(backend.ENOTFOUND, "%s", msg)
	default:
		return nil, c.refused(r)
	}
	var body userJSON
	if err := c.decode(r, &body); err != nil {
		return nil, err
	}
	u, err := body.user()
	if err != nil {
		return nil, c.notTheAPI(err, "the user in its answer had no id")
	}
	return &u, nil
}

// refused maps a failed authorised read.
func (c *Client) refused(r *response) error {
	if r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
		return backend.Errorf(backend.EUNAUTHORIZED, "%s", errorMessage(r))
	}
	return c.failure(r)
}
