package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"sync"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// Account throttling. Every username typed at the login page, known or not,
// has a counter of consecutive failed logins in backend.db (so it survives a
// restart). The first throttleFreeFailures failures cost nothing more; each
// later one makes the next attempt wait twice as long as the one before,
// starting at throttleBaseDelay and capped at throttleMaxDelay. While an
// account waits, attempts are refused at once, before any password hashing,
// whether or not the password is right; a successful login clears the
// counter, and so does `authdesk users unlock`.
//
// Unknown usernames are counted the same way, so the answers and their timing
// do not tell which accounts exist. Counters are keyed by a hash of the
// normalised username: a password typed into the username field by mistake
// is not kept in clear.
const (
	throttleFreeFailures = 5
	throttleBaseDelay    = 2 * time.Second
	throttleMaxDelay     = 15 * time.Minute
	// throttleForget is how long a counter lasts without a new failure.
	throttleForget = 24 * time.Hour
	// throttleSweep is how many counters each recorded failure inspects for
	// deletion, so stale counters for made-up names do not pile up.
	throttleSweep = 8
)

// throttleRecord is one username's state.
type throttleRecord struct {
	Failures int       `json:"failures"`
	Last     time.Time `json:"last"`  // the latest failure
	Until    time.Time `json:"until"` // no attempt is checked before this
}

// wait returns how long an attempt at now must still wait, or zero.
func (r *throttleRecord) wait(now time.Time) time.Duration {
	if r == nil || !now.Before(r.Until) {
		return 0
	}
	return r.Until.Sub(now)
}

// stale reports whether the record no longer affects anything.
func (r *throttleRecord) stale(now time.Time) bool {
	return !now.Before(r.Until) && !now.Before(r.Last.Add(throttleForget))
}

// throttleDelay is the wait after the n-th consecutive failure.
func throttleDelay(n int) time.Duration {
	if n < throttleFreeFailures {
		return 0
	}
	shift := n - throttleFreeFailures
	if shift >= 20 {
		return throttleMaxDelay
	}
	return min(throttleBaseDelay<<shift, throttleMaxDelay)
}

// throttleKey is the counter's key for a normalised username key.
func throttleKey(nameKey []byte) []byte {
	sum := sha256.Sum256(append([]byte("authdesk throttle\x00"), nameKey...))
	return sum[:]
}

func getThrottle(tx *bolt.Tx, key []byte) (*throttleRecord, error) {
	v := tx.Bucket(bucketThrottle).Get(key)
	if v == nil {
		return nil, nil
	}
	var r throttleRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// tooMany is the refusal while an account waits.
func tooMany(wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	return backend.RetryAfterError(backend.ETOOMANY, time.Duration(secs)*time.Second,
		"Too many attempts, try again in %d s", secs)
}

// attemptGate bounds the checks of one username running at once to the
// failures it has left before throttling starts (one at a time after that),
// so a burst of simultaneous guesses cannot all be hashed before the first
// failures are recorded. A check enters, then reads the counter: failures are
// recorded before a check leaves, so the counter it reads includes every
// check that is no longer counted as running.
type attemptGate struct {
	mu sync.Mutex
	n  map[string]int
}

// enter counts one for key and returns how many are counted, itself
// included. Every enter needs a leave. (The hashing queue uses the same
// counter per client.)
func (g *attemptGate) enter(key []byte) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == nil {
		g.n = map[string]int{}
	}
	g.n[string(key)]++
	return g.n[string(key)]
}

func (g *attemptGate) leave(key []byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n[string(key)]--; g.n[string(key)] <= 0 {
		delete(g.n, string(key))
	}
}

// allows reports whether running checks (this one included) fit what r
// leaves: the free failures not yet used, or one at a time after those.
func (r *throttleRecord) allows(running int) bool {
	used := 0
	if r != nil {
		used = r.Failures
	}
	return running <= max(1, throttleFreeFailures-used)
}

// throttleSweeper remembers where the last sweep stopped.
type throttleSweeper struct {
	mu   sync.Mutex
	next []byte
}

// recordFailure counts a failed login for key and sweeps a few stale
// counters. It runs in a Batch, so it may run more than once: it only reads
// and writes the transaction.
func (db *DB) recordFailure(key []byte, now time.Time) error {
	return db.batch(func(tx *bolt.Tx) error {
		r, err := getThrottle(tx, key)
		if err != nil {
			return err
		}
		if r == nil || !now.Before(r.Last.Add(throttleForget)) {
			r = &throttleRecord{}
		}
		r.Failures++
		r.Last = now
		r.Until = now.Add(throttleDelay(r.Failures))
		buf, err := json.Marshal(r)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketThrottle)
		if err := b.Put(key, buf); err != nil {
			return err
		}
		return db.sweep.run(b, now)
	})
}

func (s *throttleSweeper) run(b *bolt.Bucket, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := b.Cursor()
	k, v := c.Seek(s.next)
	for i := 0; i < throttleSweep; i++ {
		if k == nil {
			k, v = c.First()
			if k == nil {
				break
			}
		}
		var r throttleRecord
		if json.Unmarshal(v, &r) != nil || r.stale(now) {
			key := bytes.Clone(k)
			if err := c.Delete(); err != nil {
				return err
			}
			k, v = c.Seek(key)
			continue
		}
		k, v = c.Next()
	}
	s.next = bytes.Clone(k)
	return nil
}

// clearThrottle forgets key's failures (a successful login, an unlock).
func clearThrottle(tx *bolt.Tx, key []byte) error {
	b := tx.Bucket(bucketThrottle)
	if b.Get(key) == nil {
		return nil
	}
	return b.Delete(key)
}

// enterThrottle is the account throttle's door for a check of a signed-in
// person (a current password, a second-factor code): it enters the attempt
// gate (see attemptGate) and refuses with ETOOMANY while the account waits
// or has as many checks running as it has failures left, before any work.
// leave must be called when the check is over, whatever it answered.
func (db *DB) enterThrottle(tkey []byte, now time.Time) (leave func(), err error) {
	running := db.gate.enter(tkey)
	leave = func() { db.gate.leave(tkey) }
	var th *throttleRecord
	if err := db.db.View(func(tx *bolt.Tx) (err error) {
		th, err = getThrottle(tx, tkey)
		return err
	}); err != nil {
		leave()
		return nil, internal(err)
	}
	if wait := th.wait(now); wait > 0 {
		leave()
		return nil, tooMany(wait)
	} else if !th.allows(running) {
		leave()
		return nil, tooMany(time.Second) // another check of this account is running
	}
	return leave, nil
}
