package bolt

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Test-only hooks. They live in a _test file so no build of AuthDesk can
// weaken hashing or read the key.

// UseCheapHashing makes argon2id cost ~64 KiB and one pass so tests that log
// in many times stay fast. Call before Open.
func (db *DB) UseCheapHashing() {
	db.hash = argonParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// SigningKey returns the HS256 key, for forging tokens in tests.
func (db *DB) SigningKey() []byte { return db.signingKey }

// VerifyAccessToken exposes the bare JWT check for the benchmark.
func VerifyAccessToken(key []byte, token string, now func() time.Time) (uint64, bool) {
	return verifyAccessToken(key, token, now)
}

const GraceWindow = graceWindow

// NormalizeUsername is the case folding lookups use.
func NormalizeUsername(s string) string { return string(usernameKey(s)) }

// PasswordHash returns a user's stored hash, for checking what login wrote.
func (db *DB) PasswordHash(username string) (hash string) {
	_ = db.db.View(func(tx *bolt.Tx) error {
		if r, _ := findUserByName(tx, username); r != nil {
			hash = r.PasswordHash
		}
		return nil
	})
	return hash
}
