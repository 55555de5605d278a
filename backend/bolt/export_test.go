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
func (db *DB) SigningKey() []byte { return db.keys.Load().current }

// KeyID is the kid of tokens key signs.
func KeyID(key []byte) string { return keyID(key) }

// VerifyAccessToken exposes the bare JWT check for the benchmark.
func VerifyAccessToken(key []byte, token string, now func() time.Time) (uint64, bool) {
	uid, _, ok := verifyAccessToken(key, token, now)
	return uid, ok
}

const GraceWindow = graceWindow

// NormalizeUsername is the index key lookups use ("" if s cannot be one).
func NormalizeUsername(s string) string {
	k, _ := usernameKey(s)
	return string(k)
}

// Limits, for tests that go up to them.
const (
	ThrottleFreeFailures = throttleFreeFailures
	ThrottleBaseDelay    = throttleBaseDelay
	ThrottleMaxDelay     = throttleMaxDelay
	HashWaitMax          = hashWaitMax
)

// SetHashSlots replaces the hashing bounds (running, running + waiting), so a
// test can fill them without many CPUs. Call before Open.
func (db *DB) SetHashSlots(slots, queue int) {
	db.hashSlots = make(chan struct{}, slots)
	db.hashQueue = make(chan struct{}, queue)
}

// HoldHashSlots takes n hashing slots and places, as n slow hashes would,
// until release is called.
func (db *DB) HoldHashSlots(n int) (release func()) {
	for range n {
		db.hashQueue <- struct{}{}
		db.hashSlots <- struct{}{}
	}
	return func() {
		for range n {
			<-db.hashSlots
			<-db.hashQueue
		}
	}
}

// RecordCount is the number of records in backend.db's session buckets: the
// family records and the per-user index entries.
func (db *DB) RecordCount() (n int) {
	_ = db.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketFamilies).Stats().KeyN
		return tx.Bucket(bucketUserFamilies).ForEachBucket(func(k []byte) error {
			n += tx.Bucket(bucketUserFamilies).Bucket(k).Stats().KeyN
			return nil
		})
	})
	return n
}

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

// DisableBatching makes every write its own commit, the baseline the
// benchmarks compare shared commits against.
func (db *DB) DisableBatching() { db.noBatch = true }

// ThrottleCount is the number of failed-login counters stored.
func (db *DB) ThrottleCount() (n int) {
	_ = db.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketThrottle).Stats().KeyN
		return nil
	})
	return n
}
