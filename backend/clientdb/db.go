// Package clientdb is the desktop client's own small store: its settings and the
// saved session that keeps a person logged in between runs. It is a bbolt file,
// client.db, in the data folder, kept apart from the embedded backend's data so
// that switching to a remote backend never touches a user database.
package clientdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the client's store inside the data folder.
const FileName = "client.db"

// schemaVersion is bumped whenever the stored layout changes incompatibly, so
// an older AuthDesk refuses a newer file instead of misreading it.
const schemaVersion = 1

// lockTimeout bounds the wait for bbolt's file lock. A second AuthDesk on the
// same folder holds it for as long as it runs, so waiting longer only delays
// the message the person needs to see.
const lockTimeout = time.Second

var (
	bucketMeta     = []byte("meta")
	bucketSettings = []byte("settings")
	bucketSession  = []byte("session")

	keySchema   = []byte("schema")
	keySettings = []byte("settings")
	keySaved    = []byte("saved")
)

// DB is an open client.db. Its methods are safe for concurrent use.
type DB struct {
	db   *bolt.DB
	path string
}

// Open opens (creating if needed) client.db in dir. The folder is created 0700
// and the file 0600 because the file holds a refresh token.
func Open(dir string) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, backend.Wrap(backend.EINTERNAL, err, "Could not create the data folder %s", dir)
	}
	path := filepath.Join(dir, FileName)

	// NoSync stays false (the default): a refresh token that was rotated on the
	// server but not durably saved here is a lost session after a crash.
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	switch {
	case errors.Is(err, bolt.ErrTimeout):
		return nil, backend.Wrap(backend.ECONFLICT, err, "AuthDesk is already running with this data folder (%s)", dir)
	case errors.Is(err, bolt.ErrInvalid), errors.Is(err, bolt.ErrChecksum), errors.Is(err, bolt.ErrVersionMismatch):
		return nil, corrupt(path, err)
	case err != nil:
		return nil, backend.Wrap(backend.EINTERNAL, err, "Could not open %s", path)
	}

	// bbolt only applies the mode when it creates the file; tighten a file
	// that an older build or a copy left readable by others.
	if err := os.Chmod(path, 0o600); err != nil {
		_ = bdb.Close()
		return nil, backend.Wrap(backend.EINTERNAL, err, "Could not restrict access to %s", path)
	}

	db := &DB{db: bdb, path: path}
	if err := db.migrate(); err != nil {
		_ = bdb.Close()
		return nil, err
	}
	return db, nil
}

// IsLocked reports whether err came from Open finding the file in use by
// another AuthDesk, so the caller can show the message and quit instead of
// offering to reset anything.
func IsLocked(err error) bool {
	return backend.ErrorCode(err) == backend.ECONFLICT && errors.Is(err, bolt.ErrTimeout)
}

// Path returns the file's location, for messages and the log.
func (db *DB) Path() string { return db.path }

// Close releases the file and its lock.
func (db *DB) Close() error { return db.db.Close() }

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
		for _, name := range [][]byte{bucketSettings, bucketSession, bucketDesktop} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return db.wrapTxErr(err)
			}
		}
		return nil
	})
}

// get decodes the JSON value at bucket/key into v; found is false if absent.
func (db *DB) get(bucket, key []byte, v any) (found bool, err error) {
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
	return db.db.Update(func(tx *bolt.Tx) error {
		return db.wrapTxErr(tx.Bucket(bucket).Put(key, data))
	})
}

// del removes bucket/key; removing an absent key is not an error.
func (db *DB) del(bucket, key []byte) error {
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
func corrupt(path string, cause error) error {
	return backend.Wrap(backend.EINTERNAL, cause,
		"%s is damaged and could not be read. Nothing was changed; move the file aside to start fresh.", path)
}
