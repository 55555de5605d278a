package clientdb

import (
	"time"

	"github.com/authdesk/authdesk/backend/session"
)

// SavedSession is the session package's type; the alias lets callers of this
// package name it without importing session.
type SavedSession = session.SavedSession

var _ session.Store = (*DB)(nil)

// savedRecord is the stored form. It is separate from session.SavedSession so
// a change to that type cannot silently change what is on disk.
type savedRecord struct {
	BackendID      string    `json:"backendId"`
	UserID         string    `json:"userId"`
	Username       string    `json:"username"`
	RefreshToken   string    `json:"refreshToken"`
	RefreshExpires time.Time `json:"refreshExpires,omitzero"`
	Saved          time.Time `json:"saved"`
}

// Load returns the saved session, or nil if there is none.
func (db *DB) Load() (*SavedSession, error) {
	var r savedRecord
	found, err := db.get(bucketSession, keySaved, &r)
	if err != nil || !found {
		return nil, err
	}
	return &SavedSession{
		BackendID:      r.BackendID,
		UserID:         r.UserID,
		Username:       r.Username,
		RefreshToken:   r.RefreshToken,
		RefreshExpires: r.RefreshExpires,
		Saved:          r.Saved,
	}, nil
}

// Save replaces the saved session. It returns once the data is on disk.
func (db *DB) Save(s SavedSession) error {
	return db.put(bucketSession, keySaved, savedRecord{
		BackendID:      s.BackendID,
		UserID:         s.UserID,
		Username:       s.Username,
		RefreshToken:   s.RefreshToken,
		RefreshExpires: s.RefreshExpires,
		Saved:          s.Saved,
	})
}

// Clear forgets the saved session.
func (db *DB) Clear() error { return db.del(bucketSession, keySaved) }
