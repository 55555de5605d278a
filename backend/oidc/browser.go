package oidc

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// BeginBrowserLogin is Begin as the session manager's optional
// backend.BrowserLogin interface asks for it.
func (c *Client) BeginBrowserLogin(ctx context.Context) (backend.BrowserFlow, error) {
	l, err := c.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return l, nil
}

var (
	_ backend.BrowserLogin = (*Client)(nil)
	_ backend.Refresher    = (*Client)(nil)
	_ backend.BrowserFlow  = (*Login)(nil)
)
