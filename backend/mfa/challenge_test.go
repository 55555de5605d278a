package mfa_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/mfa"
)

func newTable() (*mfa.Challenges, *backendtest.Clock) {
	clock := backendtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	return mfa.NewChallenges(clock.Now), clock
}

func mustBegin(t *testing.T, c *mfa.Challenges, subject string) string {
	t.Helper()
	id, _, _, err := c.Begin(subject, "stamp-"+subject)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestChallenge_ExpiresAfterFiveMinutes(t *testing.T) {
	c, clock := newTable()
	start := clock.Now()
	id, expires, _, err := c.Begin("7", "hash")
	if err != nil || !expires.Equal(start.Add(5*time.Minute)) {
		t.Fatalf("Begin: %v, expires %v", err, expires)
	}
	if len(id) != 43 {
		t.Errorf("id %q: want 32 random bytes in base64url", id)
	}
	clock.Add(5*time.Minute - time.Millisecond)
	a, err := c.Attempt(id)
	if err != nil || a.Subject != "7" || a.Stamp != "hash" {
		t.Fatalf("at 4:59.999: %+v, %v", a, err)
	}
	a.Release()
	clock.Add(time.Millisecond)
	if _, err := c.Attempt(id); !errors.Is(err, mfa.ErrNoChallenge) {
		t.Fatalf("at 5:00: %v, want ErrNoChallenge", err)
	}
	if c.Len() != 0 {
		t.Errorf("expired challenge still held: %d", c.Len())
	}
}

func TestChallenge_FiveWrongCodesEndIt(t *testing.T) {
	c, _ := newTable()
	id := mustBegin(t, c, "7")
	for i := 1; i <= 5; i++ {
		a, err := c.Attempt(id)
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if left := a.Failed(); left != 5-i {
			t.Fatalf("attempt %d: %d left, want %d", i, left, 5-i)
		}
	}
	if _, err := c.Attempt(id); !errors.Is(err, mfa.ErrNoChallenge) {
		t.Fatalf("6th attempt: %v", err)
	}
	if c.Len() != 0 {
		t.Error("ended challenge still held")
	}
}

func TestChallenge_UsedOnce(t *testing.T) {
	c, _ := newTable()
	id := mustBegin(t, c, "7")
	a, _ := c.Attempt(id)
	a.Succeeded()
	if _, err := c.Attempt(id); !errors.Is(err, mfa.ErrNoChallenge) {
		t.Fatalf("after success: %v", err)
	}
	if _, err := c.Attempt("not-an-id"); !errors.Is(err, mfa.ErrNoChallenge) {
		t.Fatalf("unknown id: %v", err)
	}
}

// Concurrent requests cannot check more codes than MaxAttempts: an attempt is
// counted when it is taken, not when its answer is known.
func TestChallenge_ConcurrentAttemptsBounded(t *testing.T) {
	c, _ := newTable()
	id := mustBegin(t, c, "7")
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Attempt(id); err == nil {
				mu.Lock()
				got++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if got != 5 {
		t.Fatalf("%d attempts granted, want 5", got)
	}
}

func TestChallenge_PerAccountCapReplacesOldest(t *testing.T) {
	c, clock := newTable()
	var ids []string
	for range 6 {
		ids = append(ids, mustBegin(t, c, "7"))
		clock.Add(time.Second)
	}
	mustBegin(t, c, "8")
	if c.Len() != 6 {
		t.Fatalf("%d challenges, want 5 for user 7 and 1 for user 8", c.Len())
	}
	if _, err := c.Attempt(ids[0]); !errors.Is(err, mfa.ErrNoChallenge) {
		t.Error("the oldest of 6 challenges for one account was kept")
	}
	for _, id := range ids[1:] {
		if _, err := c.Attempt(id); err != nil {
			t.Errorf("a newer challenge was dropped: %v", err)
		}
	}
}

func TestChallenge_TableBounded(t *testing.T) {
	c, clock := newTable()
	first := mustBegin(t, c, "0")
	clock.Add(time.Minute)
	for i := 1; i < mfa.MaxChallenges; i++ {
		mustBegin(t, c, strconv.Itoa(i))
	}
	if c.Len() != mfa.MaxChallenges {
		t.Fatalf("%d challenges", c.Len())
	}
	_, _, retry, err := c.Begin("new", "")
	if !errors.Is(err, mfa.ErrFull) || retry != 4*time.Minute {
		t.Fatalf("full table: %v, retry after %v; want ErrFull, 4m (when the oldest expires)", err, retry)
	}
	// Existing challenges still work while the table is full.
	if a, err := c.Attempt(first); err != nil {
		t.Fatalf("existing challenge refused: %v", err)
	} else {
		a.Release()
	}
	clock.Add(4 * time.Minute) // the first expires
	if _, _, _, err := c.Begin("new", ""); err != nil {
		t.Fatalf("after the oldest expired: %v", err)
	}
	clock.Add(time.Minute) // all the rest expire
	if n := c.Len(); n != 1 {
		t.Fatalf("%d challenges after expiry, want 1", n)
	}
}
