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
	"github.com/authdesk/authdesk/backend/session"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// challengeSpy is the real embedded backend, remembering every token and
// challenge it hands out.
type challengeSpy struct {
	*bolt.AuthService
	mu      sync.Mutex
	secrets []string
}

func (s *challengeSpy) note(g *backend.Grant, err error) (*backend.Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g != nil {
		s.secrets = append(s.secrets, g.AccessToken, g.RefreshToken)
	}
	if req, ok := backend.AsMFARequired(err); ok {
		s.secrets = append(s.secrets, req.Challenge)
	}
	return g, err
}

func (s *challengeSpy) Authenticate(ctx context.Context, u, p string) (*backend.Grant, error) {
	return s.note(s.AuthService.Authenticate(ctx, u, p))
}

func (s *challengeSpy) AuthenticateMFA(ctx context.Context, ch, code string) (*backend.Grant, error) {
	return s.note(s.AuthService.AuthenticateMFA(ctx, ch, code))
}

// The two-step sign-in through the bound structs: the login page learns that
// a code is needed and until when, never the challenge or a token.
func TestTwoStepThroughTheBindings(t *testing.T) {
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
	spy := &challengeSpy{AuthService: bolt.NewAuthService(db)}
	rt := &recordingRuntime{got: make(chan app.SessionChange, 16)}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := session.New(session.Backend{Auth: spy, ID: "embedded", Kind: "embedded", Label: "Embedded (offline)"}, client)
	m.OnChange = app.SessionEvents(rt, log)
	m.Now = clock.Now
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	m.Start(context.Background())
	defer m.Close()
	auth := &app.Auth{Sessions: m, Log: log}
	two := &app.TwoStep{Sessions: m, Log: log}
	format := app.ErrorFormatter(log)
	code := func(secret string) string {
		c, err := totp.GenerateCodeCustom(secret, clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var results []any
	record := func(v any, err error) any {
		t.Helper()
		results = append(results, v)
		if err != nil {
			results = append(results, format(err))
			return format(err)
		}
		return nil
	}

	info, _ := auth.LoginInfo()
	if !info.Capabilities.TwoStep || !info.Capabilities.TwoStepAdmin {
		t.Fatalf("capabilities %+v", info.Capabilities)
	}
	record(auth.Login("test", "test"))
	wait(t, rt, "login")
	setup, err := two.Begin()
	if err != nil || !strings.HasPrefix(setup.URI, "otpauth://totp/AuthDesk:test?") || setup.Secret == "" {
		t.Fatalf("Begin = %+v, %v", setup, err)
	}
	recovery, err := two.Confirm(code(setup.Secret))
	if err != nil || len(recovery) != 10 {
		t.Fatalf("Confirm: %v", err)
	}
	if ids, err := two.UsersWithTwoStep(); err != nil || len(ids) != 1 || ids[0] != "1" {
		t.Fatalf("UsersWithTwoStep = %v, %v", ids, err)
	}
	record(nil, auth.Logout())
	wait(t, rt, "logout")
	clock.Add(30 * time.Second)

	// The password step: an error for the UI with the deadline only.
	view, ok := record(auth.Login("test", "test")).(app.ErrorView)
	if !ok || view.Code != backend.EMFAREQUIRED || !view.Until.Equal(clock.Now().Add(5*time.Minute)) {
		t.Fatalf("password step gave %+v", view)
	}
	if p := two.Pending(); !p.Pending || !p.Until.Equal(view.Until) {
		t.Fatalf("Pending = %+v", p)
	}
	wrong, ok := record(two.SignIn("000000")).(app.ErrorView)
	if !ok || wrong.Code != backend.EUNAUTHORIZED {
		t.Fatalf("wrong code gave %+v", wrong)
	}
	s, err := two.SignIn(code(setup.Secret))
	record(s, err)
	if err != nil || s.User.Username != "test" {
		t.Fatalf("SignIn = %+v, %v", s, err)
	}
	wait(t, rt, "login")
	if p := two.Pending(); p.Pending {
		t.Fatal("still pending after signing in")
	}
	st, err := two.Status()
	record(st, err)
	if !st.Enabled || st.RecoveryCodesLeft != 10 {
		t.Fatalf("Status = %+v", st)
	}
	if err := two.Disable(recovery[0]); err != nil {
		t.Fatal(err)
	}

	spy.mu.Lock()
	defer spy.mu.Unlock()
	if len(spy.secrets) < 5 {
		t.Fatalf("only %d secrets handed out; the run proves nothing", len(spy.secrets))
	}
	seen, _ := json.Marshal(results)
	rt.mu.Lock()
	all := string(seen) + strings.Join(rt.events, "\n")
	rt.mu.Unlock()
	for _, sec := range spy.secrets {
		if sec != "" && strings.Contains(all, sec) {
			t.Fatalf("a token or challenge reached the UI:\n%s", all)
		}
	}
}
