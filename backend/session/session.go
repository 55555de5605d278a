// Package session keeps the desktop client logged in: it holds the current
// session for the selected backend, refreshes it before the access token
// expires, saves the rotating refresh token so a restart stays logged in, and
// ends the session only when the backend definitely says it is over.
//
// Tokens never leave this package except through Store (to disk) and the
// callback of Manager.Do (to the backend call that needs one). Session, the
// only value meant for the UI, has no token fields.
package session

import (
	"context"
	"fmt"
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

// Session is what the UI may see about the current session. It deliberately
// has no token fields, so it can be sent over the Wails binding and logged.
type Session struct {
	User          backend.User `json:"user"`
	BackendKind   string       `json:"backendKind"`  // "embedded" or "remote"
	BackendLabel  string       `json:"backendLabel"` // "Embedded (offline)" or the server's URL
	AccessExpires time.Time    `json:"accessExpires,omitzero"`
	LastRefresh   time.Time    `json:"lastRefresh,omitzero"` // zero until the first refresh
}

// Backend is the backend a Manager talks to.
type Backend struct {
	Auth  backend.Authenticator
	ID    string // which tokens belong to it: "embedded" or "remote:" + URL
	Kind  string // "embedded" or "remote"
	Label string // shown to the person
}

// SavedSession is what survives a restart. It holds a refresh token: it goes
// to the Store and nowhere else.
type SavedSession struct {
	BackendID      string // the Backend.ID the token was issued by
	UserID         string
	Username       string
	RefreshToken   string
	RefreshExpires time.Time // zero when the backend did not say
	Saved          time.Time
}

// String leaves the token out, so a stray %v in a log line cannot leak it.
func (s SavedSession) String() string {
	return fmt.Sprintf("SavedSession{BackendID:%q UserID:%q Username:%q RefreshExpires:%s Saved:%s}",
		s.BackendID, s.UserID, s.Username, s.RefreshExpires.Format(time.RFC3339), s.Saved.Format(time.RFC3339))
}

// GoString is String, for %#v.
func (s SavedSession) GoString() string { return s.String() }

// Store keeps the saved session. clientdb.DB implements it. Save must be
// durable when it returns: the token it replaces is already used up.
type Store interface {
	Load() (*SavedSession, error) // nil, nil when nothing is saved
	Save(SavedSession) error
	Clear() error
}

// CallFunc is an authorised call made through Manager.Do. It gets the backend
// the token belongs to, so a token is never sent to a backend that did not
// issue it.
type CallFunc func(ctx context.Context, auth backend.Authenticator, accessToken string) error
