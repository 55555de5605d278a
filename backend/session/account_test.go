package session_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/session"
)

// accountSetup is a Manager signed in as ada on the real embedded backend,
// and a second session of ada's started elsewhere (a served login).
type accountSetup struct {
	clock     *backendtest.Clock
	auth      *bolt.AuthService
	m         *session.Manager
	elsewhere *backend.Grant
}

func newAccountSetup(t *testing.T, wrap func(backend.Refresher) backend.Refresher) *accountSetup {
	t.Helper()
	clock := backendtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := bolt.NewAdminService(db).AddUser(ctx, backend.User{Username: "ada", FirstName: "Ada", LastName: "L"}, "old-password"); err != nil {
		t.Fatal(err)
	}
	store, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	auth := bolt.NewAuthService(db)
	var b backend.Refresher = auth
	if wrap != nil {
		b = wrap(auth)
	}
	m := session.New(embedded(b), store)
	m.Now = clock.Now
	m.Logger = slog.New(slog.DiscardHandler)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	m.Start(ctx)
	t.Cleanup(m.Close)
	if _, err := m.Login(ctx, "ada", "old-password"); err != nil {
		t.Fatal(err)
	}
	elsewhere, err := auth.Authenticate(backend.WithClient(ctx, "192.0.2.1"), "ada", "old-password")
	if err != nil {
		t.Fatal(err)
	}
	return &accountSetup{clock: clock, auth: auth, m: m, elsewhere: elsewhere}
}

func (s *accountSetup) sessions(t *testing.T) []backend.SessionInfo {
	t.Helper()
	var list []backend.SessionInfo
	err := s.m.DoOwnAccount(context.Background(), func(ctx context.Context, a backend.OwnAccount) (err error) {
		list, err = a.Sessions(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestDoAccount_ChangePasswordEndsOnlyTheOtherSessions(t *testing.T) {
	s := newAccountSetup(t, nil)
	ctx := context.Background()
	if list := s.sessions(t); len(list) != 2 || !list[0].Current || list[0].Client != backend.ClientDesktop {
		t.Fatalf("sessions %+v", list)
	}
	err := s.m.DoOwnAccount(ctx, func(ctx context.Context, a backend.OwnAccount) error {
		return a.ChangePassword(ctx, "old-password", "new-password")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.auth.Refresh(ctx, s.elsewhere.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("the other session still refreshes: %v", err)
	}
	// This one goes on: its calls work and so does its silent refresh.
	if list := s.sessions(t); len(list) != 1 || !list[0].Current {
		t.Fatalf("after the change: %+v", list)
	}
	s.clock.Add(20 * time.Minute) // past the access token: the call refreshes first
	if list := s.sessions(t); len(list) != 1 || list[0].LastRefreshed.IsZero() {
		t.Fatalf("after a refresh: %+v", list)
	}
	if cur, _ := s.m.Session(context.Background()); cur == nil {
		t.Fatal("the session ended")
	}
}

func TestDoAccount_WrongCurrentPasswordIsCheckedOnce(t *testing.T) {
	s := newAccountSetup(t, nil)
	ctx := context.Background()
	change := func(current string) (int, error) {
		calls := 0
		err := s.m.DoOwnAccount(ctx, func(ctx context.Context, a backend.OwnAccount) error {
			calls++
			return a.ChangePassword(ctx, current, "new-password")
		})
		return calls, err
	}
	// Four wrong guesses leave one free failure: each was counted once.
	for range 4 {
		if calls, err := change("guess-password"); backend.ErrorCode(err) != backend.EINVALID || calls != 1 {
			t.Fatalf("wrong current password: %v after %d calls", err, calls)
		}
	}
	if _, err := change("old-password"); err != nil {
		t.Fatalf("right password after four wrong ones: %v", err)
	}
	if cur, _ := s.m.Session(context.Background()); cur == nil {
		t.Fatal("a wrong current password ended the session")
	}
}

func TestDoAccount_SignOutTheOtherSession(t *testing.T) {
	s := newAccountSetup(t, nil)
	ctx := context.Background()
	other := s.sessions(t)[1]
	err := s.m.DoOwnAccount(ctx, func(ctx context.Context, a backend.OwnAccount) error { return a.SignOut(ctx, other.ID) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.auth.Refresh(ctx, s.elsewhere.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("the other session still refreshes: %v", err)
	}
	if list := s.sessions(t); len(list) != 1 {
		t.Fatalf("left %+v", list)
	}
}

func TestDoAccount_BoundAccountDiesWithTheCall(t *testing.T) {
	s := newAccountSetup(t, nil)
	var kept backend.OwnAccount
	_ = s.m.DoOwnAccount(context.Background(), func(_ context.Context, a backend.OwnAccount) error { kept = a; return nil })
	if _, err := kept.Sessions(context.Background()); backend.ErrorCode(err) != backend.EINTERNAL {
		t.Fatalf("kept account still works: %v", err)
	}
}

// onlyTutorial hides every optional interface: the tutorial contract only.
type onlyTutorial struct{ backend.Authenticator }

// declines has the account calls but its server does not offer them.
type declines struct {
	*bolt.AuthService
	asked int
}

func (d *declines) OffersAccount(context.Context, string) (bool, error) { d.asked++; return false, nil }

func TestDoAccount_NotOffered(t *testing.T) {
	for name, wrap := range map[string]func(backend.Refresher) backend.Refresher{
		"no interface":   func(b backend.Refresher) backend.Refresher { return onlyTutorial{b.(backend.Authenticator)} },
		"server says no": func(b backend.Refresher) backend.Refresher { return &declines{AuthService: b.(*bolt.AuthService)} },
	} {
		t.Run(name, func(t *testing.T) {
			s := newAccountSetup(t, wrap)
			called := false
			err := s.m.DoOwnAccount(context.Background(), func(context.Context, backend.OwnAccount) error { called = true; return nil })
			if backend.ErrorCode(err) != backend.ENOTFOUND || called {
				t.Fatalf("DoOwnAccount: %v, fn called %v", err, called)
			}
		})
	}
}

func TestDoAccount_SignedOut(t *testing.T) {
	s := newAccountSetup(t, nil)
	if err := s.m.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	err := s.m.DoOwnAccount(context.Background(), func(context.Context, backend.OwnAccount) error { return nil })
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("signed out: %v", err)
	}
}
