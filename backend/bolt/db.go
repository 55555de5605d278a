package bolt

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the database file inside the data folder.
const FileName = "backend.db"

// schemaVersion is what this code writes and understands. Bump it together with
// a migration in initSchema.
const schemaVersion = 1

// lockTimeout bounds the wait for bbolt's file lock: a second AuthDesk on the
// same data folder must be told so quickly instead of hanging.
const lockTimeout = time.Second

// Default lifetimes, as the tutorial uses them.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 7 * 24 * time.Hour
)

var (
	bucketMeta       = []byte("meta")
	bucketUsers      = []byte("users")
	bucketUsernames  = []byte("usernames")
	bucketTokens     = []byte("tokens")
	bucketUserTokens = []byte("user_tokens")

	keySchema = []byte("schema")
	keyJWTKey = []byte("jwt_key")
)

// Options are the settings main.go takes from the command line.
type Options struct {
	AccessTTL  time.Duration // zero means DefaultAccessTTL
	RefreshTTL time.Duration // zero means DefaultRefreshTTL
	NoDemoUser bool          // do not create test/test on first run
}

// DB is the open backend.db. Services (AuthService, AdminService) share one DB.
type DB struct {
	db   *bolt.DB
	dir  string
	opts Options

	// Now returns the current time; tests replace it with a fake clock.
	// Set it before Open.
	Now func() time.Time

	hash       argonParams   // tests swap in cheaper parameters
	hashSlots  chan struct{} // bounds concurrent argon2 runs (19 MiB each)
	signingKey []byte
	dummyHash  string
	demo       demoCache
}

// NewDB returns a DB for the data folder dir; call Open before use.
func NewDB(dir string, opts Options) *DB {
	if opts.AccessTTL == 0 {
		opts.AccessTTL = DefaultAccessTTL
	}
	if opts.RefreshTTL == 0 {
		opts.RefreshTTL = DefaultRefreshTTL
	}
	return &DB{
		dir:       dir,
		opts:      opts,
		Now:       time.Now,
		hash:      defaultArgonParams,
		hashSlots: make(chan struct{}, runtime.NumCPU()),
	}
}

// Path is the database file's path.
func (db *DB) Path() string { return filepath.Join(db.dir, FileName) }

// Open creates the data folder (0700) and the database file (0600) if needed,
// takes the file lock and prepares the schema, the signing key and, on first
// run, the demo account.
func (db *DB) Open() error {
	if db.opts.AccessTTL < 0 || db.opts.RefreshTTL < 0 {
		return backend.Errorf(backend.EINVALID, "Token lifetimes must be positive")
	}
	if err := os.MkdirAll(db.dir, 0o700); err != nil {
		return backend.Wrap(backend.EINTERNAL, err, "Cannot create the data folder %s", db.dir)
	}
	path := db.Path()
	db.dummyHash = newDummyHash(db.hash)
	// Never NoSync: an acknowledged login or password change must survive a crash.
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return &backend.Error{
			Code:    backend.ECONFLICT,
			Message: fmt.Sprintf("AuthDesk is already running with this data folder (%s)", db.dir),
			Err:     err,
		}
	} else if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return backend.Wrap(backend.EINTERNAL, err, "Cannot open %s", path)
	} else if err != nil {
		return damaged(path, err)
	}
	// The file may predate us with looser permissions; it holds the signing key.
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(path, 0o600)
	}
	db.db = bdb

	err = bdb.Update(func(tx *bolt.Tx) error {
		firstRun, err := db.initSchema(tx, path)
		if err != nil || !firstRun || db.opts.NoDemoUser {
			return err
		}
		// Same transaction: a first run either completes or leaves no file
		// contents behind, so the demo account cannot go missing.
		return db.seedDemoUser(tx)
	})
	if err != nil {
		_ = bdb.Close()
		db.db = nil
		return err
	}
	return nil
}

// Close releases the file and its lock.
func (db *DB) Close() error {
	if db.db == nil {
		return nil
	}
	err := db.db.Close()
	db.db = nil
	return err
}

// IsLocked reports whether err came from Open finding the data folder in use by
// another AuthDesk process.
func IsLocked(err error) bool { return errors.Is(err, bolt.ErrTimeout) }

// damaged describes a file bbolt could not open. It was opened without
// changing it (bbolt only writes to a file it could read), so nothing is lost.
func damaged(path string, err error) error {
	return backend.Wrap(backend.EINTERNAL, err,
		"%s is not an AuthDesk database or is damaged; it was left untouched", path)
}

// initSchema creates the buckets and signing key on first run, or checks that
// the file is ours and not from a newer AuthDesk. It reports whether this was
// the first run.
func (db *DB) initSchema(tx *bolt.Tx, path string) (firstRun bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		// A bbolt file written by another program: refuse rather than mix data.
		foreign := false
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { foreign = true; return nil })
		if foreign {
			return false, damaged(path, errors.New("no meta bucket"))
		}
		firstRun = true
		if meta, err = tx.CreateBucket(bucketMeta); err != nil {
			return false, err
		}
		if err := meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion))); err != nil {
			return false, err
		}
		key := make([]byte, 32) // 256 bits for HS256
		if _, err := rand.Read(key); err != nil {
			return false, err
		}
		if err := meta.Put(keyJWTKey, key); err != nil {
			return false, err
		}
	}
	v, err := strconv.Atoi(string(meta.Get(keySchema)))
	if err != nil {
		return false, damaged(path, fmt.Errorf("schema version %q", meta.Get(keySchema)))
	} else if v > schemaVersion {
		return false, backend.Errorf(backend.EINTERNAL,
			"%s was written by a newer AuthDesk (schema %d; this version reads up to %d)", path, v, schemaVersion)
	}
	if k := meta.Get(keyJWTKey); len(k) != 32 {
		return false, damaged(path, errors.New("signing key missing"))
	} else {
		db.signingKey = append([]byte(nil), k...) // bbolt memory is only valid inside the tx
	}
	for _, name := range [][]byte{bucketUsers, bucketUsernames, bucketTokens, bucketUserTokens} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return false, err
		}
	}
	return firstRun, nil
}

// seedDemoUser adds the tutorial's demo account.
func (db *DB) seedDemoUser(tx *bolt.Tx) error {
	hash, err := db.hashPassword(context.Background(), demoPassword)
	if err != nil {
		return err
	}
	if _, err = insertUser(tx, &userRecord{
		Username: demoUsername, FirstName: "Test", LastName: "User",
		Role: backend.RoleAdmin, Created: db.Now().UTC(), PasswordHash: hash,
	}); err != nil {
		return err
	}
	return noteDemoPassword(tx, demoUsername, hash, true)
}
