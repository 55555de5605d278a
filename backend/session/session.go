// Package session keeps the desktop client logged in: it holds the current
// session for the selected backend, refreshes it before the access token
// expires, saves the rotating refresh token so a restart stays logged in, and
// ends the session only when the backend definitely says it is over.
//
// Tokens never leave this package except to the SessionStore (to disk) and
// to the backend that issued them. Manager.Do runs directory calls with the
// access token bound in, so the layers above never see one; Session, the
// only value they get, has no token fields.
package session

import (
	"context"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Reason says why OnChange fired.
type Reason string

const (
	ReasonLogin   Reason = "login"   // a person logged in
	ReasonRefresh Reason = "refresh" // tokens were renewed, or a saved session was restored at start
	ReasonLogout  Reason = "logout"  // a person logged out, or switched backend
	ReasonExpired Reason = "expired" // the refresh token's own expiry passed
	ReasonRevoked Reason = "revoked" // the backend refused the refresh token
)

// Session is what the layers above may see about the current session. It
// deliberately has no token fields, so it can be logged and turned into the
// UI's view (app.SessionView).
type Session struct {
	User          backend.User
	BackendKind   string    // the registry's kind name, e.g. "embedded" or "remote"
	BackendLabel  string    // shown to the person: "Embedded (offline)" or the server's URL
	AccessExpires time.Time // zero when neither the token nor the grant said
	LastRefresh   time.Time // zero until the first refresh
}

// Backend is the backend a Manager talks to. Auth must renew and end
// sessions (backend.Refresher); what else it can do is found by checking it
// for the optional interfaces in package backend (backend.PasswordLogin,
// backend.TokenDirectory, ...).
type Backend struct {
	Auth  backend.Refresher
	ID    string // which saved session belongs to it: "embedded" or "remote:" + URL
	Kind  string // the registry's kind name
	Label string // shown to the person
}

// DirectoryFunc is an authorised call made through Manager.Do. dir has the
// access token bound in and works only until Do returns, so nothing outside
// this package ever holds a token, and a token only ever goes to the backend
// that issued it.
type DirectoryFunc func(ctx context.Context, dir backend.UserDirectory) error
