package session_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

func TestLoginSavesAndReports(t *testing.T) {
	h := newHarness(t)
	h.start()
	s := h.login("alice")
	if s.User.Username != "alice" || s.BackendKind != "embedded" || s.BackendLabel != "Embedded (offline)" || !s.LastRefresh.IsZero() {
		t.Fatalf("Login returned %+v", s)
	}
	g := h.auth.last()
	saved := h.saved()
	if saved == nil || saved.RefreshToken != g.RefreshToken || saved.BackendID != "embedded" ||
		saved.UserID != g.User.ID || saved.Username != "alice" || !saved.RefreshExpires.Equal(g.RefreshExpires) {
		t.Fatalf("saved %v after login", saved)
	}
	if err := h.m.Do(context.Background(), listUsers); err != nil {
		t.Fatalf("Do after login: %v", err)
	}
}

func TestLoginErrorsPassThroughUnchanged(t *testing.T) {
	h := newHarness(t)
	h.start()
	s, err := h.m.Login(context.Background(), "alice", "wrong")
	if s != nil || err != errBadPassword {
		t.Fatalf("Login = %v, %v; want the backend's error unchanged", s, err)
	}
	h.noEvent()
	if h.saved() != nil || h.session() != nil {
		t.Fatal("a failed login left a session behind")
	}
}

func TestLoginReplacesSessionAndRevokesOld(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	old := h.auth.last()
	h.login("bob")

	if got := h.saved(); got == nil || got.Username != "bob" || got.RefreshToken != h.auth.last().RefreshToken {
		t.Fatalf("saved %v, want bob's", got)
	}
	if s := h.session(); s == nil || s.User.Username != "bob" {
		t.Fatalf("session %v, want bob's", s)
	}
	h.m.Close() // waits for the background revoke
	if h.auth.isLive(old.RefreshToken) {
		t.Fatal("alice's refresh token still works after bob logged in")
	}
}

func TestLogoutRevokesAndClears(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	g := h.auth.last()

	if err := h.m.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	h.expectEvent(session.ReasonLogout, false)
	if h.auth.isLive(g.RefreshToken) {
		t.Fatal("refresh token still works after logout")
	}
	if rv := h.auth.revoked(); len(rv) != 1 || rv[0] != [2]string{g.AccessToken, g.RefreshToken} {
		t.Fatalf("Revoke calls %d; want one with the session's tokens", len(rv))
	}
	if h.saved() != nil || h.session() != nil {
		t.Fatal("session or saved token survived logout")
	}
	wantError(t, h.m.Do(context.Background(), listUsers), backend.EUNAUTHORIZED, "You are not logged in")
}

func TestLogoutOfflineStillEnds(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	h.auth.setRevokeErr(backend.Errorf(backend.EUNAVAILABLE, "The server could not be reached"))

	if err := h.m.Logout(context.Background()); err != nil {
		t.Fatalf("Logout offline = %v, want nil", err)
	}
	h.expectEvent(session.ReasonLogout, false)
	if len(h.auth.revoked()) != 1 {
		t.Fatal("Logout did not try to revoke")
	}
	if h.saved() != nil || h.session() != nil {
		t.Fatal("session or saved token survived an offline logout")
	}
	h.restart()
	if h.session() != nil || h.auth.refreshCount() != 0 {
		t.Fatal("restart after an offline logout logged back in")
	}
}

func TestLogoutDuringRefreshDiscardsItsTokens(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	h.auth.refuse(h.auth.last().AccessToken)
	gate := make(chan struct{})
	h.auth.gate, h.auth.started = gate, make(chan struct{}, 1)

	done := make(chan error, 1)
	go func() { done <- h.m.Do(context.Background(), listUsers) }()
	select {
	case <-h.auth.started:
	case <-time.After(guard):
		t.Fatal("refresh did not start")
	}
	if err := h.m.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	h.expectEvent(session.ReasonLogout, false)
	close(gate) // the refresh now succeeds, too late

	select {
	case err := <-done:
		wantError(t, err, backend.EUNAUTHORIZED, "Your session has ended. Please log in again.")
	case <-time.After(guard):
		t.Fatal("Do did not return")
	}
	h.m.Close()
	late := h.auth.last()
	if h.auth.isLive(late.RefreshToken) {
		t.Fatal("the refresh that landed after logout left a working token")
	}
	if h.saved() != nil || h.session() != nil {
		t.Fatal("the late refresh brought the session back")
	}
	h.noEvent()
}

// Refresh tokens rotate: if the app died between using a new token and saving
// it, the next start would present a used-up token. So OnChange, which comes
// after the switch, must find the new token already saved.
func TestRefreshTokenSavedBeforeOnChange(t *testing.T) {
	h := newHarness(t)
	var checked []session.Reason
	h.onChange = func(s *session.Session, r session.Reason) {
		saved, err := h.db.LoadSession("embedded")
		if err != nil || saved == nil || saved.RefreshToken != h.auth.last().RefreshToken {
			t.Errorf("OnChange(%q): store did not yet hold the new refresh token", r)
		}
		// The manager's own state has moved on too.
		if cur, _ := h.m.Session(context.Background()); cur == nil || !cur.AccessExpires.Equal(s.AccessExpires) {
			t.Errorf("OnChange(%q): Session() = %v, event %v", r, cur, s)
		}
		checked = append(checked, r)
	}
	h.start()
	h.login("alice")
	h.clock.Add(14 * time.Minute)
	h.tick()
	h.expectEvent(session.ReasonRefresh, true)
	if len(checked) != 2 {
		t.Fatalf("checked %v, want login and refresh", checked)
	}
}

// failingStore is a client.db whose disk refuses writes.
type failingStore struct{ backend.SessionStore }

func (failingStore) SaveSession(backend.SavedSession) error { return errors.New("disk full") }

func TestSaveFailureKeepsSessionForThisRun(t *testing.T) {
	h := newHarness(t) // for its client.db, clock and backend
	logs := &lockedBuffer{}
	m := session.New(embedded(h.auth), failingStore{h.db})
	m.Now = h.clock.Now
	m.Logger = newLogger(logs)
	events := make(chan session.Reason, 10)
	m.OnChange = func(s *session.Session, r session.Reason) { events <- r }
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return nil, func() {} }
	m.Start(context.Background())
	defer m.Close()

	if _, err := m.Login(context.Background(), "alice", "pw"); err != nil {
		t.Fatalf("Login with a failing disk: %v", err)
	}
	if r := <-events; r != session.ReasonLogin {
		t.Fatalf("OnChange reason %q", r)
	}
	if err := m.Do(context.Background(), listUsers); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if !containsAll(logs.String(), "could not save", "disk full") {
		t.Fatalf("save failure not logged:\n%s", logs)
	}
}

func TestSwitchEndsSessionAndUsesNewBackend(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice")
	old := h.auth.last()
	other := newFakeAuth("rem", h.clock.Now)

	if err := h.m.Switch(context.Background(), remote(other)); err != nil {
		t.Fatalf("Switch: %v", err)
	}
	h.expectEvent(session.ReasonLogout, false)
	if h.auth.isLive(old.RefreshToken) {
		t.Fatal("old backend's session not revoked")
	}
	if h.saved() != nil || h.session() != nil {
		t.Fatal("old session survived the switch")
	}

	h.login("carol")
	if got := h.savedFor("remote:https://api.example"); got == nil || got.BackendID != "remote:https://api.example" {
		t.Fatalf("saved %v, want it tagged with the remote backend", got)
	}
	before := len(h.auth.listedWith())
	if err := h.m.Do(context.Background(), listUsers); err != nil || len(other.listedWith()) != 1 || len(h.auth.listedWith()) != before {
		t.Fatalf("Do = %v; want one call to the new backend and none to the old", err)
	}
	if s := h.session(); s.BackendKind != "remote" || s.BackendLabel != "https://api.example" {
		t.Fatalf("session %+v", s)
	}
}

// refreshOnly is a backend with no optional capability: it renews sessions
// but neither signs in with a password nor lists users.
type refreshOnly struct{ backend.Refresher }

// The manager checks a backend for each capability it uses and says plainly
// when one is missing, instead of failing inside the call.
func TestMissingCapabilitiesAreRefusedClearly(t *testing.T) {
	h := newHarness(t)
	h.start()
	h.login("alice") // on the fake, which has every capability
	b := session.Backend{Auth: refreshOnly{h.auth}, ID: "embedded", Kind: "embedded", Label: "Bare"}
	if got := backend.CapabilitiesOf(b.Auth); got.PasswordLogin || got.UserDirectory {
		t.Fatalf("CapabilitiesOf(refresh-only) = %+v", got)
	}
	if got := backend.CapabilitiesOf(h.auth); !got.PasswordLogin || !got.UserDirectory {
		t.Fatalf("CapabilitiesOf(full) = %+v", got)
	}
	if err := h.m.Switch(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	h.expectEvent(session.ReasonLogout, false)
	_, err := h.m.Login(context.Background(), "alice", "pw")
	wantError(t, err, backend.EINVALID, "Bare does not sign in with a username and password")

	// A session restored on it (the saved one is the embedded backend's)
	// still cannot list users.
	h.m.Close()
	g, err := h.auth.Authenticate(context.Background(), "alice", "pw") // the switch revoked the first one
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.SaveSession(backend.SavedSession{BackendID: "embedded", UserID: g.User.ID, Username: "alice",
		RefreshToken: g.RefreshToken, Saved: h.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	m := session.New(b, h.db)
	m.Now = h.clock.Now
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return nil, func() {} }
	m.Start(context.Background())
	defer m.Close()
	if s, err := m.Session(context.Background()); err != nil || s == nil {
		t.Fatalf("restore on a refresh-only backend: %v, %v", s, err)
	}
	wantError(t, m.Do(context.Background(), listUsers), backend.ENOTFOUND, "Bare has no list of users")
}
