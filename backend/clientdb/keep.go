package clientdb

import (
	"encoding/json"
	"fmt"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// keyKeep holds the "Keep me signed in" choice in the settings bucket, apart
// from Settings so the two can change independently.
var keyKeep = []byte("keepSignedIn")

// KeepSignedIn returns the "Keep me signed in" choice: true until a person
// turns it off.
func (db *DB) KeepSignedIn() (bool, error) {
	keep := true
	if _, err := db.get(bucketSettings, keyKeep, &keep); err != nil {
		return true, err
	}
	return keep, nil
}

// SetKeepSignedIn stores the "Keep me signed in" choice.
func (db *DB) SetKeepSignedIn(keep bool) error { return db.put(bucketSettings, keyKeep, keep) }

// SavedSessions lists every saved session, in backend ID order. A session
// saved by an older AuthDesk still carries its refresh token here; the
// secret store moves it out at start-up (see secretstore.Sessions).
func (db *DB) SavedSessions() ([]backend.SavedSession, error) {
	var out []backend.SavedSession
	db.mu.RLock()
	defer db.mu.RUnlock()
	err := db.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var r savedRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return corrupt(db.path, fmt.Errorf("%s/%s: %w", bucketSessions, k, err))
			}
			out = append(out, r.session())
			return nil
		})
	})
	return out, err
}
