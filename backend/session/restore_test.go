package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

func TestRestartRestoresFromSavedToken(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	savedToken := h.auth.last().RefreshToken

	h.clock.Add(10 * time.Minute)
	h.restart()

	s := h.session()
	if s == nil || s.User.Username != "alice" || s.User.FirstName != "First" {
		t.Fatalf("after restart Session() = %+v, want alice's full session", s)
	}
	if p := h.auth.presented(); len(p) != 1 || p[0] != savedToken {
		t.Fatalf("restart presented %d tokens; want the saved one once", len(p))
	}
	h.expectEvent(session.ReasonRefresh, true)
	if got := h.saved(); got == nil || got.RefreshToken != h.auth.last().RefreshToken {
		t.Fatal("the rotated token was not saved, so the next restart would fail")
	}
	if err := h.m.Do(context.Background(), listUsers); err != nil {
		t.Fatalf("Do after restart: %v", err)
	}

	// And again: the rotated token carries over too.
	h.restart()
	if h.session() == nil {
		t.Fatal("second restart lost the session")
	}
}

func TestRestartWithRevokedTokenStartsLoggedOut(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	// Revoked elsewhere (an admin, another device) while the app was closed.
	if err := h.auth.Revoke(context.Background(), "", h.auth.last().RefreshToken); err != nil {
		t.Fatal(err)
	}

	h.restart()
	if s := h.session(); s != nil {
		t.Fatalf("restored a revoked session: %+v", s)
	}
	h.expectEvent(session.ReasonRevoked, false)
	if h.saved() != nil {
		t.Fatal("refused token still saved")
	}
}

func TestRestartOfflineRetriesInBackground(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	down := backend.Errorf(backend.EUNAVAILABLE, "The server could not be reached")
	h.auth.failRefresh(down, down) // the restore attempt and its immediate retry

	h.restart()
	// Session returns after the first attempt instead of waiting for the
	// network; the saved token is kept for the retry.
	if s := h.session(); s != nil {
		t.Fatalf("Session() = %+v while the backend is unreachable", s)
	}
	if h.saved() == nil {
		t.Fatal("an unreachable backend cost the saved session")
	}
	wantError(t, h.m.Do(context.Background(), listUsers), backend.EUNAUTHORIZED, "You are not logged in")
	h.noEvent()

	h.clock.Add(time.Second)
	h.tick()
	if n := h.auth.refreshCount(); n != 2 {
		t.Fatalf("%d attempts 1s after a failed restore, want 2 (the attempt and its immediate retry)", n)
	}
	h.clock.Add(time.Second)
	h.tick()
	h.expectEvent(session.ReasonRefresh, true)
	if s := h.session(); s == nil || s.User.Username != "alice" {
		t.Fatalf("background restore gave %+v", s)
	}
}

func TestRestartWithExpiredSavedTokenStartsLoggedOut(t *testing.T) {
	h := newHarness(t)
	h.auth.refreshTTL = 24 * time.Hour
	h.start()
	h.login("alice")

	h.clock.Add(25 * time.Hour) // the app was closed longer than the token lives
	h.restart()
	if h.session() != nil || h.auth.refreshCount() != 0 {
		t.Fatal("tried to use a token past its expiry")
	}
	h.expectEvent(session.ReasonExpired, false)
	if h.saved() != nil {
		t.Fatal("expired token still saved")
	}
}

func TestTokenForAnotherBackendIsKeptForIt(t *testing.T) {
	h := newHarness(t)
	other := newFakeAuth("rem", h.clock.Now)
	g, err := other.Authenticate(context.Background(), "carol", "pw")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.SaveSession(backend.SavedSession{
		BackendID: remote(other).ID, UserID: g.User.ID, Username: "carol",
		RefreshToken: g.RefreshToken, RefreshExpires: g.RefreshExpires, Saved: h.clock.Now(),
	}); err != nil {
		t.Fatal(err)
	}

	h.start() // on the embedded backend
	if h.session() != nil || h.auth.refreshCount() != 0 || other.refreshCount() != 0 {
		t.Fatal("used a token that belongs to another backend")
	}
	if got := h.savedFor(remote(other).ID); got == nil || got.RefreshToken != g.RefreshToken {
		t.Fatal("another backend's saved token was deleted")
	}

	if err := h.m.Switch(context.Background(), remote(other)); err != nil {
		t.Fatalf("Switch: %v", err)
	}
	if s := h.session(); s == nil || s.User.Username != "carol" || s.BackendKind != "remote" {
		t.Fatalf("after switching to its backend, Session() = %+v", s)
	}
	h.expectEvent(session.ReasonRefresh, true)
}

func TestSessionWaitsForTheRestoreAttempt(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	h.close()
	h.open()
	gate := make(chan struct{})
	h.auth.gate, h.auth.started = gate, make(chan struct{}, 1)
	h.start()
	waitFor(t, h.auth.started, "the restore attempt")

	// While the attempt is out, Session does not answer "logged out".
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := h.m.Session(cancelled); err == nil {
		t.Fatalf("Session answered %v before the restore attempt finished", s)
	}
	close(gate)
	if s := h.session(); s == nil || s.User.Username != "alice" {
		t.Fatalf("Session() = %v after the restore attempt", s)
	}
}

func TestCloseDuringRestoreKeepsSavedToken(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	token := h.auth.last().RefreshToken
	h.close()
	h.open()
	h.auth.gate, h.auth.started = make(chan struct{}), make(chan struct{}, 1)
	h.start()
	waitFor(t, h.auth.started, "the restore attempt")

	h.m.Close() // cancels the refresh that is waiting on the network
	if got := h.saved(); got == nil || got.RefreshToken != token {
		t.Fatal("closing mid-restore lost the saved token")
	}
}

// Switching away while a saved session is still being restored (its backend
// unreachable) sets it aside without dropping it; signing in to the other
// backend saves beside it; switching back restores it.
func TestSwitchDuringOfflineRestoreKeepsEachBackendsSignIn(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	down := backend.Errorf(backend.EUNAVAILABLE, "The server could not be reached")
	h.auth.failRefresh(down, down)
	h.restart()
	if h.session() != nil {
		t.Fatal("restored while the backend is unreachable")
	}
	aliceToken := h.saved().RefreshToken

	other := newFakeAuth("rem", h.clock.Now)
	if err := h.m.Switch(context.Background(), remote(other)); err != nil {
		t.Fatal(err)
	}
	if got := h.saved(); got == nil || got.RefreshToken != aliceToken {
		t.Fatalf("switching away during the restore dropped the embedded sign-in: %v", got)
	}
	if len(h.auth.revoked()) != 0 {
		t.Fatal("a session being restored was revoked")
	}
	h.login("carol")
	if got := h.saved(); got == nil || got.RefreshToken != aliceToken {
		t.Fatalf("signing in to the remote backend overwrote the embedded sign-in: %v", got)
	}

	if err := h.m.Switch(context.Background(), embedded(h.auth)); err != nil {
		t.Fatal(err)
	}
	h.expectEvent(session.ReasonLogout, false) // carol's session ended by the switch
	h.expectEvent(session.ReasonRefresh, true)
	if s := h.session(); s == nil || s.User.Username != "alice" {
		t.Fatalf("switching back restored %+v, want alice", s)
	}
}

// A directory handed out by Do works only during the call, so nothing can
// keep a token-bound directory for later.
func TestDirectoryIsUnusableAfterDo(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	var kept backend.UserDirectory
	if err := h.m.Do(context.Background(), func(ctx context.Context, dir backend.UserDirectory) error {
		kept = dir
		return listUsers(ctx, dir)
	}); err != nil {
		t.Fatal(err)
	}
	calls := len(h.auth.listedWith())
	if _, err := kept.ListUsers(context.Background()); err == nil {
		t.Fatal("a directory kept after Do still answered")
	}
	if len(h.auth.listedWith()) != calls {
		t.Fatal("a directory kept after Do reached the backend")
	}
}
