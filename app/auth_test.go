package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/secretstore"
	"github.com/authdesk/authdesk/backend/session"
)

// recordingRuntime keeps every event the bound structs send to the UI.
type recordingRuntime struct {
	mu     sync.Mutex
	events []string // JSON of each payload
	got    chan app.SessionChange
}

func (r *recordingRuntime) EventsEmit(name string, data ...any) {
	b, _ := json.Marshal(data)
	r.mu.Lock()
	r.events = append(r.events, name+" "+string(b))
	r.mu.Unlock()
	if name == app.EventSessionChanged {
		r.got <- data[0].(app.SessionChange)
	}
}
func (r *recordingRuntime) ShowWindow() {}

// grantSpy passes every call to the real embedded backend and remembers the
// tokens it issued, so the test knows which strings must never reach the UI.
type grantSpy struct {
	backend.Authenticator
	mu     sync.Mutex
	tokens []string
}

func (s *grantSpy) keep(g *backend.Grant, err error) (*backend.Grant, error) {
	if g != nil {
		s.mu.Lock()
		s.tokens = append(s.tokens, g.AccessToken, g.RefreshToken)
		s.mu.Unlock()
	}
	return g, err
}

func (s *grantSpy) Authenticate(ctx context.Context, u, p string) (*backend.Grant, error) {
	return s.keep(s.Authenticator.Authenticate(ctx, u, p))
}

func (s *grantSpy) Refresh(ctx context.Context, token string) (*backend.Grant, error) {
	return s.keep(s.Authenticator.Refresh(ctx, token))
}

// managingSpy adds the embedded backend's paging and account management.
type managingSpy struct {
	*grantSpy
	backend.TokenUserPager
	backend.TokenUserAdmin
}

// The UI must never see a token: not in a binding result, not in an event,
// not in an error. This runs a whole session (login, users, a silent
// refresh, logout) through the bound structs on the real embedded backend.
func TestNoTokenEverReachesTheUI(t *testing.T) {
	dir := t.TempDir()
	clock := backendtest.NewClock(time.Now().UTC().Truncate(time.Second))
	db := bolt.NewDB(dir, bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	client, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	svc := bolt.NewAuthService(db)
	spy := &grantSpy{Authenticator: svc}
	rt := &recordingRuntime{got: make(chan app.SessionChange, 16)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	signIns := &secretstore.Sessions{Meta: client, Secrets: &secretstore.Store{Keyring: keyring.New(), File: client},
		Keep: client, OnChange: app.RememberEvents(rt, log)}
	m := session.New(session.Backend{Auth: managingSpy{spy, svc, svc}, ID: "embedded", Kind: "embedded", Label: "Embedded (offline)"}, signIns)
	m.OnChange = app.SessionEvents(rt, log)
	m.Now = clock.Now
	ticks := make(chan time.Time)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	m.Start(context.Background())
	defer m.Close()

	auth := &app.Auth{Sessions: m, Log: log}
	users := &app.Users{Sessions: m}
	accounts := &app.Accounts{Sessions: m}
	remember := &app.Remember{Store: signIns, Sessions: m}
	var results []any
	record := func(v any, err error) {
		t.Helper()
		results = append(results, v)
		if err != nil {
			results = append(results, app.ErrorFormatter(log)(err))
		}
	}

	record(auth.Session())
	record(auth.LoginInfo())
	record(auth.Login("test", "wrong"))
	record(auth.Login("test", "test"))
	wait(t, rt, "login")
	record(users.List())
	record(accounts.Features())
	record(accounts.Page(app.UserQueryView{Sort: "username", Limit: 1}))
	carol, err := accounts.Create(app.NewUserView{Username: "carol", FirstName: "Carol", LastName: "C", Password: "carols-password"})
	record(carol, err)
	record(accounts.Update(carol.ID, app.UserEditView{FirstName: "Caroline", LastName: "C", Role: "User"}))
	record(nil, accounts.ResetPassword(carol.ID, "new-password"))
	record(accounts.SetDisabled(carol.ID, true))
	record(nil, accounts.Unlock(carol.ID))
	record(nil, accounts.Remove("1")) // refused: yourself
	record(nil, accounts.Remove(carol.ID))
	record(remember.Status())
	// The manager refreshes RefreshBefore (60 s) ahead of the access token's
	// expiry; move the clock there and let one tick find it due.
	s, err := m.Session(context.Background())
	if err != nil || s == nil {
		t.Fatalf("Session after login: %v, %v", s, err)
	}
	clock.Set(s.AccessExpires.Add(-m.RefreshBefore))
	select {
	case ticks <- clock.Now():
	case <-time.After(10 * time.Second):
		t.Fatal("the manager did not take the tick")
	}
	wait(t, rt, "refresh")
	record(auth.Session())
	record(users.List())
	// The account pages (account_test.go): a session elsewhere, the list,
	// a refused and a good password change, signing out elsewhere.
	acct := &app.MyAccount{Sessions: m, Log: log}
	if _, err := spy.Authenticate(backend.WithClient(context.Background(), "192.0.2.1"), "test", "test"); err != nil {
		t.Fatal(err)
	}
	if info, err := acct.Info(); err != nil || !info.Available {
		t.Fatalf("the account pages are not offered (%v), so this part proves nothing", err)
	}
	record(acct.Info())
	record(acct.List())
	record(nil, acct.ChangePassword("wrong", "new-password"))
	record(nil, acct.ChangePassword("test", "new-password"))
	record(acct.List())
	record(acct.SignOutOthers())
	record(nil, acct.SignOut("no-such-session"))
	record(nil, auth.Logout())
	wait(t, rt, "logout")
	record(users.List())
	record(accounts.Page(app.UserQueryView{}))

	spy.mu.Lock()
	defer spy.mu.Unlock()
	if len(spy.tokens) < 4 {
		t.Fatalf("only %d tokens issued; the run did not log in and refresh", len(spy.tokens))
	}
	seen, _ := json.Marshal(results)
	rt.mu.Lock()
	all := string(seen) + strings.Join(rt.events, "\n")
	rt.mu.Unlock()
	for _, tok := range spy.tokens {
		if tok != "" && strings.Contains(all, tok) {
			t.Fatalf("a token reached the UI:\n%s", all)
		}
		// The JWT's signature alone would be enough to misuse it.
		if parts := strings.Split(tok, "."); len(parts) == 3 && strings.Contains(all, parts[2]) {
			t.Fatalf("a JWT signature reached the UI:\n%s", all)
		}
	}
	if !strings.Contains(all, `"firstName":"Caroline"`) || !strings.Contains(all, `"next":"`) {
		t.Fatalf("the run never managed an account or paged, so it proves nothing:\n%s", all)
	}
	if !strings.Contains(all, `"firstName":"Test"`) {
		t.Fatalf("the run never showed the user, so it proves nothing:\n%s", all)
	}
}

func wait(t *testing.T, rt *recordingRuntime, reason string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case c := <-rt.got:
			if c.Reason == reason {
				return
			}
		case <-timeout:
			t.Fatalf("no %q session event within 10 s", reason)
		}
	}
}
