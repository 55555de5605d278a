package bolt_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// attempt logs in and returns the error code and Retry-After.
func attempt(auth *bolt.AuthService, username, password string) (string, time.Duration) {
	_, err := auth.Authenticate(ctx, username, password)
	return backend.ErrorCode(err), backend.RetryAfter(err)
}

// failN makes n wrong-password attempts that must each be checked.
func failN(t *testing.T, auth *bolt.AuthService, username string, n int) {
	t.Helper()
	for i := range n {
		if code, _ := attempt(auth, username, "wrong-password"); code != backend.EUNAUTHORIZED {
			t.Fatalf("attempt %d for %s: %s, want a checked wrong password", i+1, username, code)
		}
	}
}

func TestThrottle_DelaysGrowAfterFiveFailuresUpToTheCap(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	failN(t, auth, "test", bolt.ThrottleFreeFailures)

	// Now even the right password waits, and is told how long.
	_, err := auth.Authenticate(ctx, "test", "test")
	assertError(t, err, backend.ETOOMANY, "Too many attempts, try again in 2 s")
	if got := backend.RetryAfter(err); got != 2*time.Second {
		t.Fatalf("Retry-After %v, want 2s", got)
	}

	want := bolt.ThrottleBaseDelay
	var delays []time.Duration
	for range 12 {
		clock.Add(want) // wait exactly as told, then fail again
		failN(t, auth, "test", 1)
		want = min(2*want, bolt.ThrottleMaxDelay)
		code, after := attempt(auth, "test", "test")
		if code != backend.ETOOMANY || after != want {
			t.Fatalf("after %d failures: %s, Retry-After %v; want %s, %v", len(delays)+6, code, after, backend.ETOOMANY, want)
		}
		delays = append(delays, after)
	}
	if last := delays[len(delays)-1]; last != 15*time.Minute {
		t.Fatalf("delays %v never reached the 15 min cap", delays)
	}
	// Waiting out the delay lets the right password in, and that resets it.
	clock.Add(15 * time.Minute)
	MustLogin(t, auth, "test", "test")
	failN(t, auth, "test", bolt.ThrottleFreeFailures)
}

// An unknown name is counted and refused exactly like a real one, so the
// answers do not tell which accounts exist.
func TestThrottle_UnknownUsernamesLookTheSame(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	type step struct {
		code  string
		after time.Duration
		msg   string
	}
	run := func(name string) (steps []step) {
		for i := range 9 {
			_, err := auth.Authenticate(ctx, name, "wrong-password")
			steps = append(steps, step{backend.ErrorCode(err), backend.RetryAfter(err), backend.ErrorMessage(err)})
			if i == 6 {
				clock.Add(2 * time.Second)
			}
		}
		return steps
	}
	real, unknown := run("test"), run("nobody-at-all")
	if fmt.Sprint(real) != fmt.Sprint(unknown) {
		t.Fatalf("known user:   %v\nunknown user: %v", real, unknown)
	}
	if real[5].code != backend.ETOOMANY || real[7].code != backend.EUNAUTHORIZED || real[8].code != backend.ETOOMANY {
		t.Fatalf("steps %v", real)
	}
}

// A throttled attempt is refused before any hashing: with every hashing
// slot and queue place taken, it still gets "too many", never "busy".
func TestThrottle_RefusedWithoutHashing(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	db.UseCheapHashing()
	db.SetHashSlots(1, 1)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	auth := bolt.NewAuthService(db)
	failN(t, auth, "test", bolt.ThrottleFreeFailures)
	failN(t, auth, "ghost", bolt.ThrottleFreeFailures)

	release := db.HoldHashSlots(1)
	defer release()
	start := time.Now()
	for _, name := range []string{"test", "ghost"} {
		if code, _ := attempt(auth, name, "test"); code != backend.ETOOMANY {
			t.Fatalf("%s while hashing is full: %s, want %s", name, code, backend.ETOOMANY)
		}
	}
	if code, _ := attempt(auth, "someone-else", "x"); code != backend.EBUSY {
		t.Fatalf("an unthrottled attempt while hashing is full: %s, want %s", code, backend.EBUSY)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("refusals took %v: they waited for hashing", d)
	}
}

func TestThrottle_SurvivesRestartAndUnlockClearsIt(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	db := MustOpenDBAt(t, dir, bolt.Options{}, clock)
	failN(t, bolt.NewAuthService(db), "TEST", bolt.ThrottleFreeFailures) // any spelling is the account
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenDBAt(t, dir, bolt.Options{}, clock)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	if code, _ := attempt(auth, "test", "test"); code != backend.ETOOMANY {
		t.Fatalf("after a restart: %s, want %s", code, backend.ETOOMANY)
	}
	if wait, err := admin.Locked(ctx, "test"); err != nil || wait != 2*time.Second {
		t.Fatalf("Locked = %v, %v", wait, err)
	}
	if err := admin.Unlock(ctx, "Test"); err != nil {
		t.Fatal(err)
	}
	MustLogin(t, auth, "test", "test")
	err := admin.Unlock(ctx, "nobody")
	assertError(t, err, backend.ENOTFOUND, `User "nobody" not found`)
}

// The flood: many clients hammer one account with wrong passwords
// while another person logs in. The flood is throttled without hashing, so
// the right login is neither refused as busy nor kept waiting.
func TestThrottle_FloodDoesNotBlockAnotherLogin(t *testing.T) {
	db, _ := MustOpenDB(t)
	MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	auth := bolt.NewAuthService(db)
	flooder := backend.WithClient(ctx, "203.0.113.7")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	var once sync.Once
	halt := func() { once.Do(func() { close(stop); wg.Wait() }) }
	defer halt()
	for range 50 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				code, _ := attemptAs(auth, flooder, "test", "wrong-password")
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	for range 5 {
		start := time.Now()
		if _, err := auth.Authenticate(backend.WithClient(ctx, "198.51.100.2"), "bob", "bobs-password"); err != nil {
			t.Fatalf("bob's login during the flood: %v", err)
		}
		t.Logf("bob's login during the flood: %v", time.Since(start))
	}
	halt()
	mu.Lock()
	defer mu.Unlock()
	// At most the five free guesses were ever checked; the rest was refused
	// without hashing (throttled, or busy beyond the flooder's share).
	if codes[backend.EUNAUTHORIZED] > bolt.ThrottleFreeFailures || codes[backend.ETOOMANY] == 0 {
		t.Fatalf("flood answers %v: want at most %d checked, the rest throttled", codes, bolt.ThrottleFreeFailures)
	}
	t.Logf("flood answers: %v", codes)
}

func TestHashing_FullQueueAnswersBusyAtOnce(t *testing.T) {
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.UseCheapHashing()
	db.SetHashSlots(1, 2) // one running, one waiting
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	auth := bolt.NewAuthService(db)
	release := db.HoldHashSlots(1)

	waited := make(chan error, 1)
	go func() { _, err := auth.Authenticate(ctx, "test", "test"); waited <- err }()
	time.Sleep(50 * time.Millisecond) // it now holds the one waiting place

	start := time.Now()
	_, err := auth.Authenticate(ctx, "test", "test")
	if backend.ErrorCode(err) != backend.EBUSY || backend.RetryAfter(err) <= 0 {
		t.Fatalf("with the queue full: %v, want busy with a Retry-After", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("the busy answer took %v", d)
	}
	release()
	if err := <-waited; err != nil {
		t.Fatalf("the queued login, once a slot was free: %v", err)
	}

	// A waiting login gives up after HashWaitMax rather than hanging.
	release = db.HoldHashSlots(1)
	defer release()
	start = time.Now()
	_, err = auth.Authenticate(ctx, "test", "test")
	if d := time.Since(start); backend.ErrorCode(err) != backend.EBUSY || d < bolt.HashWaitMax || d > bolt.HashWaitMax+time.Second {
		t.Fatalf("queued behind a stuck hash: %v after %v", err, d)
	}
}

// Counters for made-up names do not pile up: once a day has passed without
// a new failure, later failures sweep them away.
func TestThrottle_StaleCountersAreSwept(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	for i := range 40 {
		failN(t, auth, fmt.Sprintf("made-up-%02d", i), 1)
	}
	if n := db.ThrottleCount(); n != 40 {
		t.Fatalf("%d counters, want 40", n)
	}
	clock.Add(25 * time.Hour)
	for i := range 10 {
		failN(t, auth, fmt.Sprintf("later-%02d", i), 1)
	}
	if n := db.ThrottleCount(); n != 10 {
		t.Fatalf("%d counters after a day and 10 new failures, want only the 10 new ones", n)
	}
}

// One client (an IP address on serve) cannot take the whole hashing queue:
// beyond its share it is told "busy", while another client still gets in.
func TestHashing_OneClientCannotFillTheQueue(t *testing.T) {
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.UseCheapHashing()
	db.SetHashSlots(2, 10)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	auth := bolt.NewAuthService(db)
	release := db.HoldHashSlots(2) // both slots busy: everyone queues
	flooder := backend.WithClient(ctx, "203.0.113.7")
	person := backend.WithClient(ctx, "198.51.100.2")

	queued := make(chan error, 2)
	for i := range 2 { // the flooder's share: two places
		go func() {
			_, err := auth.Authenticate(flooder, fmt.Sprintf("guess-%d", i), "wrong-password")
			queued <- err
		}()
	}
	time.Sleep(50 * time.Millisecond)
	if code, _ := attemptAs(auth, flooder, "guess-3", "wrong-password"); code != backend.EBUSY {
		t.Fatalf("the flooder's third guess: %s, want busy", code)
	}
	code := make(chan string, 1)
	go func() { c, _ := attemptAs(auth, person, "test", "test"); code <- c }()
	time.Sleep(50 * time.Millisecond)
	release()
	if c := <-code; c != "" {
		t.Fatalf("another client's login while the flooder had its share: %s", c)
	}
	for range 2 {
		if err := <-queued; backend.ErrorCode(err) != backend.EUNAUTHORIZED {
			t.Fatalf("a queued guess: %v", err)
		}
	}
}

func attemptAs(auth *bolt.AuthService, c context.Context, username, password string) (string, time.Duration) {
	_, err := auth.Authenticate(c, username, password)
	return backend.ErrorCode(err), backend.RetryAfter(err)
}
