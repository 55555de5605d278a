// Package clientdb is the desktop client's own small store: its settings and the
// saved sessions (one per backend) that keep a person logged in between runs. It is a bbolt file,
// client.db, in the data folder, kept apart from the embedded backend's data so
// that switching to a remote backend never touches a user database.
package clientdb

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/boltfile"
	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the client's store inside the data folder.
const FileName = "client.db"

// schemaVersion is bumped whenever the stored layout changes incompatibly, so
// an older AuthDesk refuses a newer file instead of misreading it.
const schemaVersion = 1

var (
	bucketMeta     = []byte("meta")
	bucketSettings = []byte("settings")
	bucketSessions = []byte("sessions") // one saved session per backend ID
	bucketSession  = []byte("session")  // an older layout: one saved session, key "saved"

	keySchema   = []byte("schema")
	keySettings = []byte("settings")
	keySaved    = []byte("saved")
)

// DB is an open client.db. Its methods are safe for concurrent use.
type DB struct {
	mu   sync.RWMutex // read-held by every use of db; Compact and Close hold it to swap or close db
	db   *bolt.DB
	path string
}

// Open opens (creating if needed) client.db in dir. The folder is created 0700
// and the file 0600 because the file holds a refresh token. A damaged file
// (including an empty one) is reported and left as it is.
func Open(dir string) (*DB, error) {
	// NoSync stays false: a refresh token that was rotated on the server but
	// not durably saved here is a lost session after a crash.
	bdb, err := boltfile.Open(dir, FileName)
	if err != nil {
		return nil, err
	}
	db := &DB{db: bdb, path: filepath.Join(dir, FileName)}
	if err := db.migrate(); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// IsLocked reports whether err came from Open finding the file in use by
// another AuthDesk, so the caller can show the message and quit instead of
// offering to reset anything.
func IsLocked(err error) bool { return boltfile.IsLocked(err) }

// Close releases the file and its lock.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.db.Close()
}

// migrate creates the buckets and records the schema version, or refuses a
// file written by a newer AuthDesk.
func (db *DB) migrate() error {
	return db.db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return db.wrapTxErr(err)
		}
		if v := meta.Get(keySchema); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return corrupt(db.path, fmt.Errorf("schema version %q: %w", v, err))
			}
			if n > schemaVersion {
				return backend.Errorf(backend.EINTERNAL,
					"%s was written by a newer AuthDesk (format %d; this one reads up to %d). Please update AuthDesk.",
					db.path, n, schemaVersion)
			}
		}
		if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
			return db.wrapTxErr(err)
		}
		for _, name := range [][]byte{bucketSettings, bucketSessions, bucketDesktop} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return db.wrapTxErr(err)
			}
		}
		return db.migrateSaved(tx)
	})
}

// get decodes the JSON value at bucket/key into v; found is false if absent.
func (db *DB) get(bucket, key []byte, v any) (found bool, err error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	err = db.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucket).Get(key)
		if data == nil {
			return nil
		}
		found = true
		if err := json.Unmarshal(data, v); err != nil {
			return corrupt(db.path, fmt.Errorf("%s/%s: %w", bucket, key, err))
		}
		return nil
	})
	return found, err
}

// put stores v as JSON at bucket/key; bbolt fsyncs before Update returns.
func (db *DB) put(bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return backend.Wrap(backend.EINTERNAL, err, "Could not encode %s", key)
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.db.Update(func(tx *bolt.Tx) error {
		return db.wrapTxErr(tx.Bucket(bucket).Put(key, data))
	})
}

// del removes bucket/key; removing an absent key is not an error.
func (db *DB) del(bucket, key []byte) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.db.Update(func(tx *bolt.Tx) error {
		return db.wrapTxErr(tx.Bucket(bucket).Delete(key))
	})
}

func (db *DB) wrapTxErr(err error) error {
	if err == nil {
		return nil
	}
	return backend.Wrap(backend.EINTERNAL, err, "Could not write %s", db.path)
}

// corrupt is the error for a file that cannot be read. It names the file and
// says what to do, and nothing is rewritten: the person may want it back.
func corrupt(path string, cause error) error { return boltfile.Damaged(path, cause) }
