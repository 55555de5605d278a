package bolt

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/boltfile"
	bolt "go.etcd.io/bbolt"
)

// FileName is the name of the database file inside the data folder.
const FileName = "backend.db"

// schemaVersion is what this code writes and understands. Bump it together with
// a migration in initSchema (see migrate.go). 3: sign-in asks for the second
// factor (bucket mfa); nothing moves, but an AuthDesk that reads only up to 2
// would let those accounts in with the password alone, so it must refuse the
// file.
//
// 4: disabled accounts (bucket disabled, manage.go); an AuthDesk that reads
// only up to 3 would let them log in.
const schemaVersion = 4

// Default lifetimes, as the tutorial uses them.
const (
	DefaultAccessTTL  = 15 * time.Minute
	DefaultRefreshTTL = 7 * 24 * time.Hour
)

var (
	bucketMeta         = []byte("meta")
	bucketUsers        = []byte("users")
	bucketUsernames    = []byte("usernames")
	bucketFamilies     = []byte("families")
	bucketUserFamilies = []byte("user_families")
	bucketLegacyTokens = []byte("legacy_tokens")
	bucketThrottle     = []byte("throttle")

	keySchema     = []byte("schema")
	keyJWTKey     = []byte("jwt_key")
	keyRefreshKey = []byte("refresh_key")
)

// Options are the settings main.go takes from the command line.
type Options struct {
	AccessTTL  time.Duration // zero means DefaultAccessTTL
	RefreshTTL time.Duration // zero means DefaultRefreshTTL
	NoDemoUser bool          // do not create test/test on first run

	// SessionLifetime is how long a login lasts however often it is
	// refreshed; zero means DefaultSessionLifetime.
	SessionLifetime time.Duration
	// MaxSessions is how many active sessions one user may have; a login
	// beyond it signs the oldest out. Zero means DefaultMaxSessions.
	MaxSessions int
}

// DB is the open backend.db. Services (AuthService, AdminService) share one DB.
type DB struct {
	db   *bolt.DB
	dir  string
	opts Options

	// Now returns the current time; tests replace it with a fake clock.
	// Set it before Open.
	Now func() time.Time

	hash        argonParams                 // tests swap in cheaper parameters
	hashSlots   chan struct{}               // bounds concurrent argon2 runs (19 MiB each)
	hashQueue   chan struct{}               // bounds the runs waiting for a slot, plus those running
	keys        atomic.Pointer[signingKeys] // the access token keys (keys.go)
	refreshKey  []byte                      // the HMAC key for refresh tokens (tokens.go)
	dummyHash   string
	demo        demoCache
	sweep       throttleSweeper
	gate        attemptGate  // checks running per username (throttle.go)
	hashClients attemptGate  // hashing places held per client (password.go)
	noBatch     bool         // benchmarks compare against one commit per write
	writers     atomic.Int32 // writes in progress through batch

	mfa     *MFAService // the one challenge table (NewMFAService)
	mfaOnce sync.Once
}

// batchDelay is how long a write waits for others to share its commit. A
// lone write pays it once; under load, dozens of rotations share one fsync.
const batchDelay = 2 * time.Millisecond

// batch runs fn in a write transaction whose commit concurrent writes share
// (bbolt's Batch). It returns only once the commit is on disk. A write with
// no other in progress commits at once instead of waiting batchDelay for
// company. fn may run more than once, so it must set its results afresh and
// touch nothing but tx.
func (db *DB) batch(fn func(*bolt.Tx) error) error {
	n := db.writers.Add(1)
	defer db.writers.Add(-1)
	if db.noBatch || n == 1 {
		return db.db.Update(fn)
	}
	return db.db.Batch(fn)
}

// NewDB returns a DB for the data folder dir; call Open before use.
func NewDB(dir string, opts Options) *DB {
	if opts.AccessTTL == 0 {
		opts.AccessTTL = DefaultAccessTTL
	}
	if opts.RefreshTTL == 0 {
		opts.RefreshTTL = DefaultRefreshTTL
	}
	if opts.SessionLifetime == 0 {
		opts.SessionLifetime = DefaultSessionLifetime
	}
	if opts.MaxSessions == 0 {
		opts.MaxSessions = DefaultMaxSessions
	}
	cpus := runtime.NumCPU()
	return &DB{
		dir:       dir,
		opts:      opts,
		Now:       time.Now,
		hash:      defaultArgonParams,
		hashSlots: make(chan struct{}, cpus),
		hashQueue: make(chan struct{}, cpus*(1+hashQueuePerCPU)),
	}
}

// Path is the database file's path.
func (db *DB) Path() string { return filepath.Join(db.dir, FileName) }

// Open creates the data folder (0700) and the database file (0600) if needed,
// takes the file lock, checks the whole file for damage, and prepares the
// schema (migrating an older one), the keys and, on first run, the demo
// account. A damaged file is reported and left untouched.
func (db *DB) Open() error {
	if db.opts.AccessTTL < 0 || db.opts.RefreshTTL < 0 || db.opts.SessionLifetime < 0 {
		return backend.Errorf(backend.EINVALID, "Token lifetimes must be positive")
	}
	if db.opts.MaxSessions < 0 {
		return backend.Errorf(backend.EINVALID, "The session limit must be positive")
	}
	path := db.Path()
	db.dummyHash = newDummyHash(db.hash)
	bdb, err := boltfile.Open(db.dir, FileName)
	if err != nil {
		return err
	}
	db.db = bdb
	bdb.MaxBatchDelay = batchDelay

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
func IsLocked(err error) bool { return boltfile.IsLocked(err) }

// damaged describes a file that is not ours or not sound. Nothing was
// written to it, so nothing is lost.
func damaged(path string, err error) error { return boltfile.Damaged(path, err) }

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
		// bbolt memory is only valid inside the tx
		if err := db.loadSigningKeys(meta, path, append([]byte(nil), k...), db.Now().UTC()); err != nil {
			return false, err
		}
	}
	if k := meta.Get(keyRefreshKey); k == nil {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return false, err
		}
		if err := meta.Put(keyRefreshKey, key); err != nil {
			return false, err
		}
		db.refreshKey = key
	} else if len(k) != 32 {
		return false, damaged(path, errors.New("refresh key malformed"))
	} else {
		db.refreshKey = append([]byte(nil), k...)
	}
	for _, name := range [][]byte{bucketUsers, bucketUsernames, bucketFamilies, bucketUserFamilies, bucketLegacyTokens, bucketThrottle} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return false, err
		}
	}
	if v < 2 {
		if err := db.migrateV1(tx); err != nil {
			return false, err
		}
	}
	if err := tidyLegacyTokens(tx); err != nil {
		return false, err
	}
	return firstRun, meta.Put(keySchema, []byte(strconv.Itoa(schemaVersion)))
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
