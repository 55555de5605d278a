package clientdb

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

var _ backend.SessionStore = (*DB)(nil)

// savedRecord is the stored form. It is separate from backend.SavedSession
// so a change to that type cannot silently change what is on disk.
type savedRecord struct {
	BackendID      string    `json:"backendId"`
	UserID         string    `json:"userId"`
	Username       string    `json:"username"`
	RefreshToken   string    `json:"refreshToken,omitempty"` // empty when the secret store keeps it
	RefreshExpires time.Time `json:"refreshExpires,omitzero"`
	Saved          time.Time `json:"saved"`
}

// LoadSession returns the session saved for backendID, or nil if there is none.
func (db *DB) LoadSession(backendID string) (*backend.SavedSession, error) {
	var r savedRecord
	found, err := db.get(bucketSessions, []byte(backendID), &r)
	if err != nil || !found {
		return nil, err
	}
	s := r.session()
	return &s, nil
}

func (r savedRecord) session() backend.SavedSession {
	return backend.SavedSession{
		BackendID:      r.BackendID,
		UserID:         r.UserID,
		Username:       r.Username,
		RefreshToken:   r.RefreshToken,
		RefreshExpires: r.RefreshExpires,
		Saved:          r.Saved,
	}
}

// SaveSession replaces the session saved for s.BackendID; other backends'
// saved sessions stay. It returns once the data is on disk.
func (db *DB) SaveSession(s backend.SavedSession) error {
	if s.BackendID == "" {
		return backend.Errorf(backend.EINTERNAL, "a saved session must name its backend")
	}
	return db.put(bucketSessions, []byte(s.BackendID), savedRecord{
		BackendID:      s.BackendID,
		UserID:         s.UserID,
		Username:       s.Username,
		RefreshToken:   s.RefreshToken,
		RefreshExpires: s.RefreshExpires,
		Saved:          s.Saved,
	})
}

// ClearSession forgets the session saved for backendID.
func (db *DB) ClearSession(backendID string) error {
	return db.del(bucketSessions, []byte(backendID))
}

// migrateSaved moves the one saved session an older AuthDesk kept (bucket
// "session", key "saved") under its backend's ID, so an upgrade keeps the
// person signed in.
func (db *DB) migrateSaved(tx *bolt.Tx) error {
	old := tx.Bucket(bucketSession)
	if old == nil {
		return nil
	}
	if data := old.Get(keySaved); data != nil {
		var r savedRecord
		if err := json.Unmarshal(data, &r); err != nil {
			return corrupt(db.path, fmt.Errorf("%s/%s: %w", bucketSession, keySaved, err))
		}
		if r.BackendID != "" && tx.Bucket(bucketSessions).Get([]byte(r.BackendID)) == nil {
			if err := tx.Bucket(bucketSessions).Put([]byte(r.BackendID), data); err != nil {
				return db.wrapTxErr(err)
			}
		}
	}
	return db.wrapTxErr(tx.DeleteBucket(bucketSession))
}
