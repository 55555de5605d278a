package oidc_test

import (
	"context"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
)

// The shapes the session layer plugs in (docs/OIDC.md). If one of these
// stops compiling, the integration's contract changed.
var (
	// Refresh and Revoke have backend.Authenticator's signatures, so the
	// session manager's refresh loop and logout call them unchanged.
	_ interface {
		Refresh(ctx context.Context, refreshToken string) (*backend.Grant, error)
		Revoke(ctx context.Context, accessToken, refreshToken string) error
	} = (*oidc.Client)(nil)

	// A sign-in in progress: the proposed backend.BrowserFlow.
	_ interface {
		AuthURL() string
		Wait(ctx context.Context) (*backend.Grant, error)
		Cancel()
		Done() <-chan struct{}
	} = (*oidc.Login)(nil)
)
