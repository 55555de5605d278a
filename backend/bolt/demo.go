package bolt

import (
	"bytes"
	"context"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// The tutorial's demo account, created on first run.
const (
	demoUsername = "test"
	demoPassword = "test"
)

// keyDemoPassword in the meta bucket remembers, for one stored hash of the
// demo account's password, whether it is the hash of "test": '1' or '0'
// followed by the hash. The login page asks on every visit, including the
// first page at start-up; comparing the stored hash with the account's hash
// answers without an argon2 verify (19 MiB, ~50 ms). It is written where the
// password is set (first run, SetPassword); any other change of the hash (a
// rehash on login, an import) only costs one verify the next time, which then
// records the new hash.
var keyDemoPassword = []byte("demo_password")

// noteDemoPassword records that hash is (or is not) the demo password, when
// username is the demo account. Call it inside the transaction that stores
// the hash.
func noteDemoPassword(tx *bolt.Tx, username, hash string, isDemo bool) error {
	key, err := usernameKey(username)
	if err != nil {
		return nil // not a name the demo account could have
	}
	demoKey, _ := usernameKey(demoUsername)
	if !bytes.Equal(key, demoKey) {
		return nil
	}
	flag := byte('0')
	if isDemo {
		flag = '1'
	}
	return tx.Bucket(bucketMeta).Put(keyDemoPassword, append([]byte{flag}, hash...))
}

// demoRecorded returns what keyDemoPassword says about hash: known is false
// when the record is about another hash (or missing).
func demoRecorded(tx *bolt.Tx, hash string) (active, known bool) {
	v := tx.Bucket(bucketMeta).Get(keyDemoPassword)
	if len(v) < 1 || string(v[1:]) != hash {
		return false, false
	}
	return v[0] == '1', true
}

// demoCache remembers whether the demo account still has its default
// password, so repeated visits of the login page do not even read the file.
// Any user write invalidates it; gen keeps a check that raced with a write
// from storing a stale answer.
type demoCache struct {
	mu     sync.Mutex
	gen    uint64
	known  bool
	active bool
}

func (c *demoCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.known = false
	c.mu.Unlock()
}

// DemoAccountActive reports whether user test still exists with password test.
func (s *AuthService) DemoAccountActive(ctx context.Context) (bool, error) {
	c := &s.db.demo
	c.mu.Lock()
	if c.known {
		defer c.mu.Unlock()
		return c.active, nil
	}
	gen := c.gen
	c.mu.Unlock()

	var (
		u             *userRecord
		active, known bool
	)
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		u, err = findUserByName(tx, demoUsername)
		if u != nil {
			active, known = demoRecorded(tx, u.PasswordHash)
		}
		return err
	}); err != nil {
		return false, internal(err)
	}
	if u != nil && !known {
		// No record for this hash: verify once and remember the answer.
		match, _, err := s.db.verifyPassword(ctx, u.PasswordHash, demoPassword)
		if err != nil {
			return false, internal(err)
		}
		active = match
		if err := s.db.db.Update(func(tx *bolt.Tx) error {
			// Only if the hash is still the one just checked.
			if now, err := findUserByName(tx, demoUsername); err != nil || now == nil || now.PasswordHash != u.PasswordHash {
				return err
			}
			return noteDemoPassword(tx, demoUsername, u.PasswordHash, match)
		}); err != nil {
			return false, internal(err)
		}
	}

	c.mu.Lock()
	if c.gen == gen {
		c.known, c.active = true, active
	}
	c.mu.Unlock()
	return active, nil
}
