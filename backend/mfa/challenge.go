package mfa

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"sync"
	"time"
)

// Limits of the sign-in challenge.
const (
	// ChallengeTTL is how long the code step may follow the password step.
	ChallengeTTL = 5 * time.Minute
	// MaxAttempts is how many codes one challenge takes; then it ends and the
	// person signs in with the password again.
	MaxAttempts = 5
	// MaxChallenges bounds the table: a challenge costs a correct password, but
	// one known password must not be able to grow memory without limit.
	MaxChallenges = 10_000
	// MaxChallengesPerSubject bounds one account's share of the table; a new
	// challenge beyond it replaces that account's oldest.
	MaxChallengesPerSubject = 5
)

var (
	// ErrNoChallenge means the challenge is unknown, expired or used up.
	ErrNoChallenge = errors.New("mfa: no such challenge")
	// ErrFull means the table holds MaxChallenges live challenges.
	ErrFull = errors.New("mfa: too many pending challenges")
)

// Challenges is an in-memory table of pending second steps, keyed by the
// SHA-256 of their IDs (the IDs themselves are held only by the clients).
// Nothing in it needs to survive a restart: at worst the person types the
// password again. The zero value is not usable; call NewChallenges.
type Challenges struct {
	now func() time.Time

	mu        sync.Mutex
	byKey     map[[32]byte]*challenge
	bySubject map[string][][32]byte // each subject's live keys, oldest first
	queue     [][32]byte            // creation order, which is expiry order; may hold removed keys
}

type challenge struct {
	subject  string // the user's ID
	stamp    string // what must still hold at the code step (the caller's choice)
	expires  time.Time
	attempts int
}

// NewChallenges returns an empty table reading the time from now.
func NewChallenges(now func() time.Time) *Challenges {
	return &Challenges{now: now, byKey: make(map[[32]byte]*challenge), bySubject: make(map[string][][32]byte)}
}

func challengeKey(id string) [32]byte { return sha256.Sum256([]byte(id)) }

// Begin starts a challenge for subject and returns its opaque ID and expiry.
// stamp is handed back by Attempt so the caller can check that what the
// password proved still holds (for example the password hash it matched).
// When the table is full of live challenges it returns ErrFull and the time
// until the oldest expires.
func (c *Challenges) Begin(subject, stamp string) (id string, expires time.Time, retryAfter time.Duration, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", time.Time{}, 0, err
	}
	id = base64.RawURLEncoding.EncodeToString(raw)
	now := c.now()

	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(now)
	for len(c.bySubject[subject]) >= MaxChallengesPerSubject {
		c.remove(c.bySubject[subject][0])
	}
	if len(c.byKey) >= MaxChallenges {
		oldest := c.byKey[c.queue[0]] // purge left a live one at the head
		return "", time.Time{}, oldest.expires.Sub(now), ErrFull
	}
	k := challengeKey(id)
	expires = now.Add(ChallengeTTL)
	c.byKey[k] = &challenge{subject: subject, stamp: stamp, expires: expires}
	c.bySubject[subject] = append(c.bySubject[subject], k)
	c.queue = append(c.queue, k)
	return id, expires, 0, nil
}

// purge drops expired and removed entries from the head of the queue. Held: mu.
func (c *Challenges) purge(now time.Time) {
	n := 0
	for _, k := range c.queue {
		ch := c.byKey[k]
		if ch != nil && now.Before(ch.expires) {
			break
		}
		c.remove(k)
		n++
	}
	c.queue = c.queue[n:]
	// Keys removed from the middle (used, ended, replaced) wait in the queue
	// until they reach the head; compact when they dominate.
	if len(c.queue) > 2*len(c.byKey)+64 {
		live := c.queue[:0]
		for _, k := range c.queue {
			if c.byKey[k] != nil {
				live = append(live, k)
			}
		}
		c.queue = live
	}
}

// remove deletes a challenge from the maps (not from the queue). Held: mu.
func (c *Challenges) remove(k [32]byte) {
	ch := c.byKey[k]
	if ch == nil {
		return
	}
	delete(c.byKey, k)
	keys := c.bySubject[ch.subject]
	for i := range keys {
		if keys[i] == k {
			keys = append(keys[:i:i], keys[i+1:]...)
			break
		}
	}
	if len(keys) == 0 {
		delete(c.bySubject, ch.subject)
	} else {
		c.bySubject[ch.subject] = keys
	}
}

// Len returns the number of live challenges.
func (c *Challenges) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.purge(c.now())
	return len(c.byKey)
}

// Attempt is one code check against a challenge. It holds one of the
// challenge's MaxAttempts from the moment it is taken, so concurrent requests
// cannot check more codes than that.
type Attempt struct {
	Subject string
	Stamp   string

	c   *Challenges
	key [32]byte
	ch  *challenge
}

// Attempt takes one attempt of challenge id, or returns ErrNoChallenge when it
// is unknown, expired or has no attempts left.
func (c *Challenges) Attempt(id string) (*Attempt, error) {
	if id == "" || len(id) > MaxCodeBytes {
		return nil, ErrNoChallenge
	}
	k := challengeKey(id)
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.byKey[k]
	if ch == nil || !now.Before(ch.expires) || ch.attempts >= MaxAttempts {
		return nil, ErrNoChallenge
	}
	ch.attempts++
	return &Attempt{Subject: ch.subject, Stamp: ch.stamp, c: c, key: k, ch: ch}, nil
}

// Succeeded ends the challenge: it was used.
func (a *Attempt) Succeeded() { a.end() }

// Invalid ends the challenge without a code check: what it stood for no
// longer holds (password changed, second factor removed).
func (a *Attempt) Invalid() { a.end() }

// Failed records a wrong code and returns how many attempts are left; at 0
// the challenge has ended.
func (a *Attempt) Failed() int {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	left := MaxAttempts - a.ch.attempts
	if left <= 0 && a.c.byKey[a.key] == a.ch {
		a.c.remove(a.key)
	}
	return max(left, 0)
}

// Release gives the attempt back unused (the check could not run).
func (a *Attempt) Release() {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	if a.ch.attempts > 0 {
		a.ch.attempts--
	}
}

func (a *Attempt) end() {
	a.c.mu.Lock()
	defer a.c.mu.Unlock()
	if a.c.byKey[a.key] == a.ch {
		a.c.remove(a.key)
	}
}
