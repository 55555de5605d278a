package bolt

import (
	"context"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// The tutorial's demo account, created on first run.
const (
	demoUsername = "test"
	demoPassword = "test"
)

// demoCache remembers whether the demo account still has its default
// password: the login page asks on every visit and the answer costs an argon2
// verify. Any user write invalidates it; gen keeps a check that raced with a
// write from storing a stale answer.
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

	var u *userRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		u, err = findUserByName(tx, demoUsername)
		return err
	}); err != nil {
		return false, internal(err)
	}
	active := false
	if u != nil {
		match, _, err := s.db.verifyPassword(ctx, u.PasswordHash, demoPassword)
		if err != nil {
			return false, internal(err)
		}
		active = match
	}

	c.mu.Lock()
	if c.gen == gen {
		c.known, c.active = true, active
	}
	c.mu.Unlock()
	return active, nil
}
