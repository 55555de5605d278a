package backend

import (
	"fmt"
	"time"
)

// SavedSession is what keeps a person signed in to one backend across
// restarts. It holds a refresh token: it goes to a SessionStore and nowhere
// else.
type SavedSession struct {
	BackendID      string // the backend that issued the token (its ID, e.g. "embedded" or "remote:" + URL)
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

// SessionStore keeps one saved session per backend, so choosing another
// backend never drops the sign-in saved for the one used before. Save must be
// durable when it returns: the token it replaces is already used up on the
// server.
type SessionStore interface {
	// LoadSession returns the session saved for backendID, or nil, nil.
	LoadSession(backendID string) (*SavedSession, error)
	// SaveSession replaces the session saved for s.BackendID.
	SaveSession(s SavedSession) error
	// ClearSession forgets the session saved for backendID.
	ClearSession(backendID string) error
}
