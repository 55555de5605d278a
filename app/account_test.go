package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/session"
)

// grantSpy passes the account calls on too (TestNoTokenEverReachesTheUI).
func (s *grantSpy) account() backend.OwnAccountManager {
	return s.Authenticator.(backend.OwnAccountManager)
}

func (s *grantSpy) ChangePassword(ctx context.Context, token, current, next string) error {
	return s.account().ChangePassword(ctx, token, current, next)
}

func (s *grantSpy) MySessions(ctx context.Context, token string) ([]backend.SessionInfo, error) {
	return s.account().MySessions(ctx, token)
}

func (s *grantSpy) SignOutSession(ctx context.Context, token, id string) error {
	return s.account().SignOutSession(ctx, token, id)
}

func (s *grantSpy) SignOutOtherSessions(ctx context.Context, token string) (int, error) {
	return s.account().SignOutOtherSessions(ctx, token)
}

// accountApp is the MyAccount binding on a session manager signed in to the
// real embedded backend as test/test.
func accountApp(t *testing.T, b func(*bolt.AuthService) backend.Refresher) (*app.MyAccount, *bolt.AuthService) {
	t.Helper()
	dir := t.TempDir()
	clock := backendtest.NewClock(time.Now().UTC().Truncate(time.Second))
	db := bolt.NewDB(dir, bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	client, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	auth := bolt.NewAuthService(db)
	m := session.New(session.Backend{Auth: b(auth), ID: "embedded", Kind: "embedded", Label: "Embedded (offline)"}, client)
	m.Now = clock.Now
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	m.Logger = slog.New(slog.DiscardHandler)
	m.Start(context.Background())
	t.Cleanup(m.Close)
	if _, err := m.Login(context.Background(), "test", "test"); err != nil {
		t.Fatal(err)
	}
	return &app.MyAccount{Sessions: m, Log: slog.New(slog.DiscardHandler)}, auth
}

func TestAccountThroughTheBindings(t *testing.T) {
	acct, auth := accountApp(t, func(a *bolt.AuthService) backend.Refresher { return a })
	if info, err := acct.Info(); err != nil || !info.Available || info.MinPasswordLength != 8 {
		t.Fatalf("Info %+v, %v", info, err)
	}
	other, err := auth.Authenticate(backend.WithUserAgent(backend.WithClient(context.Background(), "192.0.2.1"), "Firefox"), "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	list, err := acct.List()
	if err != nil || len(list) != 2 || !list[0].Current || list[0].Client != "desktop" || list[1].UserAgent != "Firefox" {
		t.Fatalf("List = %+v, %v", list, err)
	}
	// Refusals cross the binding as {code, message}, the wait included.
	format := app.ErrorFormatter(slog.New(slog.NewTextHandler(io.Discard, nil)))
	view := format(acct.ChangePassword("wrong", "new-password")).(app.ErrorView)
	if view.Code != backend.EINVALID || view.Message != backend.MsgWrongCurrentPassword {
		t.Fatalf("wrong current password: %+v", view)
	}
	for range 4 {
		_ = acct.ChangePassword("wrong", "new-password")
	}
	view = format(acct.ChangePassword("test", "new-password")).(app.ErrorView)
	if view.Code != backend.ETOOMANY || view.RetryAfter != 2 {
		t.Fatalf("throttled: %+v", view)
	}
	if err := acct.SignOut(list[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Refresh(context.Background(), other.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("signed-out session still refreshes: %v", err)
	}
	if n, err := acct.SignOutOthers(); err != nil || n != 0 {
		t.Fatalf("SignOutOthers = %d, %v", n, err)
	}
}

// onlyTutorial hides the account calls: the tutorial contract only.
type onlyTutorial struct{ backend.Authenticator }

func TestAccountNotOffered(t *testing.T) {
	acct, _ := accountApp(t, func(a *bolt.AuthService) backend.Refresher { return onlyTutorial{a} })
	if info, err := acct.Info(); err != nil || info.Available {
		t.Fatalf("Info %+v, %v on a backend without account calls", info, err)
	}
	if _, err := acct.List(); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("List: %v", err)
	}
}

// In remote mode a server that cannot be reached when the UI asks gives an
// error (ask again later), not "not offered"; once it answers, yes.
func TestAccountInfoAgainstAServer(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	auth := bolt.NewAuthService(db)
	api := httpapi.New(auth, auth)
	api.Log = slog.New(slog.DiscardHandler)
	handler := api.Handler()
	var down atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "maintenance", http.StatusBadGateway)
			return
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	m := session.New(session.Backend{Auth: remote.NewClient(srv.URL), ID: "remote:" + srv.URL, Kind: "remote", Label: srv.URL}, client)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	m.Logger = slog.New(slog.DiscardHandler)
	m.Start(context.Background())
	t.Cleanup(m.Close)
	if _, err := m.Login(context.Background(), "test", "test"); err != nil {
		t.Fatal(err)
	}
	acct := &app.MyAccount{Sessions: m, Log: slog.New(slog.DiscardHandler)}
	down.Store(true)
	if info, err := acct.Info(); backend.ErrorCode(err) != backend.EUNAVAILABLE || info.Available {
		t.Fatalf("server down: %+v, %v", info, err)
	}
	down.Store(false)
	if info, err := acct.Info(); err != nil || !info.Available {
		t.Fatalf("server back: %+v, %v", info, err)
	}
}
