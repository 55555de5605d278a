package session_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

func TestRefreshRunsSixtySecondsBeforeExpiry(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opaque bool
	}{
		{"expiry from the token's exp claim", false},
		{"expiry from the grant when the token is opaque", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.auth.opaque = tc.opaque
			h.start()
			loggedIn := h.clock.Now()
			s := h.login("alice")

			// The fake's grant says an hour later than a JWT's exp; the
			// session must follow the token when there is one.
			want := loggedIn.Add(15 * time.Minute)
			if !s.AccessExpires.Equal(want) {
				t.Fatalf("AccessExpires = %v, want %v", s.AccessExpires, want)
			}

			h.clock.Set(want.Add(-61 * time.Second))
			h.tick()
			if n := h.auth.refreshCount(); n != 0 {
				t.Fatalf("refreshed %d times 61s before expiry", n)
			}
			h.noEvent()

			h.clock.Set(want.Add(-60 * time.Second))
			h.tick()
			if n := h.auth.refreshCount(); n != 1 {
				t.Fatalf("refreshed %d times at 60s before expiry, want 1", n)
			}
			got := h.expectEvent(session.ReasonRefresh, true)
			if !got.LastRefresh.Equal(h.clock.Now()) || !got.AccessExpires.Equal(h.clock.Now().Add(15*time.Minute)) {
				t.Fatalf("after refresh: LastRefresh %v, AccessExpires %v", got.LastRefresh, got.AccessExpires)
			}

			h.tick() // the new token is far from expiry
			if n := h.auth.refreshCount(); n != 1 {
				t.Fatalf("refreshed again right after a refresh (%d calls)", n)
			}
		})
	}
}

// Tokens that live less than a minute (e.g. --access-ttl 20s) would be due
// for refresh the moment they arrive; they must get most of their life
// instead of a refresh on every tick.
func TestShortLivedTokensAreNotRefreshedOnEveryTick(t *testing.T) {
	h := newHarness(t)
	h.auth.accessTTL = 20 * time.Second
	h.start()
	loggedIn := h.clock.Now()
	h.login("alice")

	h.clock.Set(loggedIn.Add(time.Second))
	h.tick()
	if n := h.auth.refreshCount(); n != 0 {
		t.Fatalf("a 20 s token was refreshed %d times one second after login", n)
	}
	h.clock.Set(loggedIn.Add(18 * time.Second)) // 2 s left: a tenth of its life
	h.tick()
	if n := h.auth.refreshCount(); n != 1 {
		t.Fatalf("refresh calls with 2 s left = %d, want 1", n)
	}
	h.expectEvent(session.ReasonRefresh, true)
	h.clock.Add(time.Second)
	h.tick()
	if n := h.auth.refreshCount(); n != 1 {
		t.Fatalf("the fresh 20 s token was refreshed again after 1 s (%d calls)", n)
	}
}

func TestWallClockJumpRefreshesOnNextTick(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")

	// A laptop asleep for three hours: Go timers would not have fired, the
	// wall clock has moved on.
	h.clock.Add(3 * time.Hour)
	h.tick()

	if n := h.auth.refreshCount(); n != 1 {
		t.Fatalf("refresh calls after waking = %d, want 1", n)
	}
	s := h.expectEvent(session.ReasonRefresh, true)
	if !s.AccessExpires.After(h.clock.Now()) {
		t.Fatalf("access token still expired after waking: %v", s.AccessExpires)
	}
	if err := h.m.Do(context.Background(), listUsers); err != nil {
		t.Fatalf("Do after waking: %v", err)
	}
}

func TestConcurrentRefusedCallsShareOneRefresh(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	stale := h.auth.last().AccessToken
	h.auth.refuse(stale)

	// Hold the refresh until every caller has been refused, so they all
	// need it at once.
	gate := make(chan struct{})
	h.auth.gate, h.auth.started = gate, make(chan struct{}, 100)
	const callers = 20
	refused := make(chan struct{}, callers)

	errs := make(chan error, callers)
	for range callers {
		go func() {
			errs <- h.m.Do(context.Background(), func(ctx context.Context, dir backend.UserDirectory) error {
				err := listUsers(ctx, dir)
				if backend.ErrorCode(err) == backend.EUNAUTHORIZED {
					refused <- struct{}{}
				}
				return err
			})
		}()
	}
	for range callers {
		select {
		case <-refused:
		case <-time.After(guard):
			t.Fatal("not every caller was refused")
		}
	}
	close(gate)
	for range callers {
		select {
		case err := <-errs:
			if err != nil {
				t.Errorf("Do: %v", err)
			}
		case <-time.After(guard):
			t.Fatal("Do did not return")
		}
	}
	if n := h.auth.refreshCount(); n != 1 {
		t.Fatalf("%d refreshes for %d refused callers, want 1", n, callers)
	}
	h.expectEvent(session.ReasonRefresh, true)
	h.noEvent()
}

func TestNetworkErrorsKeepSessionAndBackOff(t *testing.T) {
	h := newHarness(t)
	h.start()
	s := h.login("alice")

	unavailable := backend.Errorf(backend.EUNAVAILABLE, "The server could not be reached")
	// Eight refreshes fail, each an attempt and its immediate retry.
	h.auth.failRefresh(unavailable, errors.New("dial tcp 127.0.0.1:4000: connect: connection refused"),
		unavailable, unavailable, unavailable, unavailable, unavailable, unavailable,
		unavailable, unavailable, unavailable, unavailable, unavailable, unavailable, unavailable, unavailable)

	h.clock.Set(s.AccessExpires.Add(-60 * time.Second))
	for i := 0; h.auth.refreshCount() < 17; i++ {
		if i > 1000 {
			t.Fatalf("only %d refresh attempts in %d seconds", h.auth.refreshCount(), i)
		}
		h.tick()
		h.clock.Add(time.Second)
	}

	times := h.auth.refreshTimes()
	wantGaps := []time.Duration{2, 4, 8, 16, 32, 60, 60, 60}
	for i, want := range wantGaps {
		if retry := times[2*i+1].Sub(times[2*i]); retry != 0 {
			t.Errorf("refresh %d: the retry came %v after the failed attempt, want at once", i+1, retry)
		}
		if gap := times[2*i+2].Sub(times[2*i+1]); gap != want*time.Second {
			t.Errorf("gap before refresh %d = %v, want %v", i+2, gap, want*time.Second)
		}
	}
	// The access token expired during the outage; the person stayed logged
	// in, and the ninth refresh (which succeeded) carried on the session.
	if !times[16].After(s.AccessExpires) {
		t.Fatalf("outage did not outlast the access token (last attempt %v, expiry %v)", times[16], s.AccessExpires)
	}
	after := h.expectEvent(session.ReasonRefresh, true)
	if after.User.Username != "alice" {
		t.Fatalf("session after outage is for %q", after.User.Username)
	}
	h.noEvent()

	// Success resets the backoff: the next failure waits 2s again.
	h.auth.failRefresh(unavailable, unavailable)
	h.clock.Set(after.AccessExpires.Add(-60 * time.Second))
	for h.auth.refreshCount() < 20 {
		if h.auth.refreshCount() == 19 && h.clock.Now().Sub(h.auth.refreshTimes()[18]) > 10*time.Second {
			t.Fatal("no retry within 10s of a failure after a success")
		}
		h.tick()
		h.clock.Add(time.Second)
	}
	times = h.auth.refreshTimes()
	if gap := times[19].Sub(times[18]); gap != 2*time.Second {
		t.Fatalf("first gap after a success = %v, want 2s", gap)
	}
	if h.session() == nil {
		t.Fatal("no session after recovering")
	}
}

func TestThrottledRefreshWaitsAsToldAndKeepsSession(t *testing.T) {
	h := newHarness(t)
	h.start()
	s := h.login("alice")

	h.auth.failRefresh(backend.RetryAfterError(backend.ETOOMANY, 25*time.Second, "Too many attempts"))
	h.clock.Set(s.AccessExpires.Add(-60 * time.Second))
	for i := 0; h.auth.refreshCount() < 2; i++ {
		if i > 200 {
			t.Fatalf("only %d refresh attempts in %d seconds", h.auth.refreshCount(), i)
		}
		h.tick()
		h.clock.Add(time.Second)
	}
	times := h.auth.refreshTimes()
	if gap := times[1].Sub(times[0]); gap != 25*time.Second {
		t.Fatalf("retried after %v, want the 25 s the server asked for", gap)
	}
	if after := h.expectEvent(session.ReasonRefresh, true); after.User.Username != "alice" {
		t.Fatalf("session after the wait is for %q", after.User.Username)
	}
}

func TestRefusedRefreshEndsSession(t *testing.T) {
	h := newHarness(t)
	h.start()
	s := h.login("alice")
	if h.saved() == nil {
		t.Fatal("login saved nothing")
	}

	h.auth.failRefresh(backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken))
	h.clock.Set(s.AccessExpires.Add(-time.Minute))
	h.tick()

	h.expectEvent(session.ReasonRevoked, false)
	if got := h.saved(); got != nil {
		t.Fatalf("saved session kept after the backend refused it: %v", got)
	}
	if h.session() != nil {
		t.Fatal("session survived a refused refresh")
	}
	wantError(t, h.m.Do(context.Background(), listUsers), backend.EUNAUTHORIZED, "You are not logged in")

	h.tick() // nothing left to refresh
	if n := h.auth.refreshCount(); n != 1 {
		t.Fatalf("refresh calls = %d after the session ended, want 1", n)
	}
}

func TestDoEndsSessionWhenRefreshIsRefused(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	h.auth.refuse(h.auth.last().AccessToken)
	h.auth.failRefresh(backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken))

	calls := 0
	err := h.m.Do(context.Background(), func(ctx context.Context, dir backend.UserDirectory) error {
		calls++
		return listUsers(ctx, dir)
	})
	wantError(t, err, backend.EUNAUTHORIZED, "Your session has ended. Please log in again.")
	if calls != 1 {
		t.Fatalf("call made %d times, want 1 (no retry without a new token)", calls)
	}
	h.expectEvent(session.ReasonRevoked, false)
	if h.saved() != nil {
		t.Fatal("saved session kept")
	}
}

func TestDoRetriesOnceAfterRefresh(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	stale := h.auth.last().AccessToken
	h.auth.refuse(stale)

	err := h.m.Do(context.Background(), listUsers)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if tokens := h.auth.listedWith(); len(tokens) != 2 || tokens[0] != stale || tokens[1] != h.auth.last().AccessToken {
		t.Fatalf("Do used %d tokens; want the stale one then the refreshed one", len(tokens))
	}
	h.expectEvent(session.ReasonRefresh, true)

	// A fresh token refused again means "not allowed": returned as it is,
	// with no second refresh and the session intact.
	denied := backend.Errorf(backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	calls := 0
	err = h.m.Do(context.Background(), func(context.Context, backend.UserDirectory) error {
		calls++
		return denied
	})
	if calls != 2 || h.auth.refreshCount() != 2 {
		t.Fatalf("calls %d, refreshes %d; want 2 and 2", calls, h.auth.refreshCount())
	}
	if !errors.Is(err, denied) {
		t.Fatalf("Do = %v, want the backend's error", err)
	}
	if h.session() == nil {
		t.Fatal("a refused call ended the session")
	}
}

func TestDoPassesOtherErrorsThrough(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	notFound := backend.Errorf(backend.ENOTFOUND, backend.MsgUserNotFound)
	err := h.m.Do(context.Background(), func(context.Context, backend.UserDirectory) error { return notFound })
	if err != notFound || h.auth.refreshCount() != 0 {
		t.Fatalf("Do = %v with %d refreshes, want the error unchanged and none", err, h.auth.refreshCount())
	}
}

func TestRefreshTokenExpiryEndsSession(t *testing.T) {
	h := newHarness(t)
	h.auth.refreshTTL = time.Hour
	h.start()
	h.login("alice")
	h.auth.failRefresh(errors.New("offline"), errors.New("offline")) // the refresh at 14m fails, and its retry...

	h.clock.Add(14 * time.Minute)
	h.tick()
	if h.session() == nil {
		t.Fatal("a network error ended the session")
	}

	h.clock.Add(time.Hour) // ...and the refresh token's own expiry passes
	h.tick()
	h.expectEvent(session.ReasonExpired, false)
	if h.saved() != nil {
		t.Fatal("expired token still saved")
	}
	if n := h.auth.refreshCount(); n != 2 {
		t.Fatalf("refresh calls = %d, want 2 (an attempt and its retry): an expired token is not worth sending", n)
	}
}
