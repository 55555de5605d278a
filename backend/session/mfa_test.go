package session_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/session"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// twoStep is a Manager on the real embedded backend, where alice has a
// second factor, and a fake clock both share.
type twoStep struct {
	t      *testing.T
	clock  *backendtest.Clock
	db     *bolt.DB
	m      *session.Manager
	secret string
	events chan session.Reason
}

func newTwoStep(t *testing.T) *twoStep {
	t.Helper()
	clock := backendtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	u, err := bolt.NewAdminService(db).AddUser(ctx, backend.User{Username: "alice", FirstName: "Alice", LastName: "L"}, "alice-password")
	if err != nil {
		t.Fatal(err)
	}
	mfaSvc := bolt.NewMFAService(db)
	key, err := mfaSvc.BeginEnrolment(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	ts := &twoStep{t: t, clock: clock, db: db, secret: key.Secret, events: make(chan session.Reason, 16)}
	if _, err := mfaSvc.ConfirmEnrolment(ctx, u.ID, ts.code()); err != nil {
		t.Fatal(err)
	}
	clock.Add(30 * time.Second)
	store, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ts.m = session.New(embedded(bolt.NewAuthService(db)), store)
	ts.m.Now = clock.Now
	ts.m.Logger = slog.New(slog.DiscardHandler)
	ts.m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	ts.m.OnChange = func(_ *session.Session, r session.Reason) { ts.events <- r }
	ts.m.Start(ctx)
	t.Cleanup(ts.m.Close)
	return ts
}

func (ts *twoStep) code() string {
	c, err := totp.GenerateCodeCustom(ts.secret, ts.clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		ts.t.Fatal(err)
	}
	return c
}

// password runs the password step and checks it asked for a code.
func (ts *twoStep) password() time.Time {
	ts.t.Helper()
	s, err := ts.m.Login(context.Background(), "alice", "alice-password")
	var need *session.CodeNeeded
	if s != nil || backend.ErrorCode(err) != backend.EMFAREQUIRED || !errors.As(err, &need) {
		ts.t.Fatalf("password step: %v, %v", s, err)
	}
	return need.Until
}

func TestLoginMFA_TwoSteps(t *testing.T) {
	ts := newTwoStep(t)
	ctx := context.Background()
	until := ts.password()
	if !until.Equal(ts.clock.Now().Add(5 * time.Minute)) {
		t.Fatalf("code needed until %v", until)
	}
	if s, _ := ts.m.Session(ctx); s != nil {
		t.Fatal("a session after the password step")
	}
	if got, ok := ts.m.PendingCode(); !ok || !got.Equal(until) {
		t.Fatalf("PendingCode = %v, %v", got, ok)
	}
	select {
	case r := <-ts.events:
		t.Fatalf("event %q after the password step", r)
	default:
	}

	// A wrong code: the step waits for another.
	_, err := ts.m.LoginMFA(ctx, "000000")
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED || !backend.IsWrongCode(err) {
		t.Fatalf("wrong code: %v", err)
	}
	if _, ok := ts.m.PendingCode(); !ok {
		t.Fatal("a wrong code ended the step")
	}
	s, err := ts.m.LoginMFA(ctx, ts.code())
	if err != nil || s.User.Username != "alice" {
		t.Fatalf("code step: %v, %v", s, err)
	}
	if r := <-ts.events; r != session.ReasonLogin {
		t.Fatalf("event %q", r)
	}
	if _, ok := ts.m.PendingCode(); ok {
		t.Fatal("the step still waits after signing in")
	}
	// Tokens stay inside: the directory works through Do.
	if err := ts.m.Do(ctx, listUsers); err != nil {
		t.Fatal(err)
	}
	_, err = ts.m.LoginMFA(ctx, ts.code())
	if backend.ErrorCode(err) != backend.EMFAENDED {
		t.Fatalf("a second code step: %v", err)
	}
}

func TestLoginMFA_EndsAfterFiveWrongCodesAndExpiry(t *testing.T) {
	ts := newTwoStep(t)
	ctx := context.Background()
	ts.password()
	for i := 1; i <= 5; i++ {
		_, err := ts.m.LoginMFA(ctx, "000000")
		if i < 5 && backend.ErrorCode(err) != backend.EUNAUTHORIZED {
			t.Fatalf("wrong code %d: %v", i, err)
		} else if i == 5 && backend.ErrorCode(err) != backend.EMFAENDED {
			t.Fatalf("fifth wrong code: %v", err)
		}
	}
	if _, ok := ts.m.PendingCode(); ok {
		t.Fatal("the step waits after its last try")
	}

	// Five failures throttle the account; after the wait, a new password step
	// that is left alone for 5 minutes is over without asking the backend.
	ts.clock.Add(time.Minute)
	ts.password()
	ts.clock.Add(5 * time.Minute)
	if _, ok := ts.m.PendingCode(); ok {
		t.Fatal("PendingCode after the expiry")
	}
	_, err := ts.m.LoginMFA(ctx, ts.code())
	if backend.ErrorCode(err) != backend.EMFAENDED || !strings.Contains(backend.ErrorMessage(err), "sign in again") {
		t.Fatalf("after the expiry: %v", err)
	}
}

func TestLoginMFA_BackendSwitchEndsTheStep(t *testing.T) {
	ts := newTwoStep(t)
	ctx := context.Background()
	ts.password()
	if err := ts.m.Switch(ctx, embedded(bolt.NewAuthService(ts.db))); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.m.LoginMFA(ctx, ts.code()); backend.ErrorCode(err) != backend.EMFAENDED {
		t.Fatalf("after a switch: %v", err)
	}
}

func TestDoSecondFactor_ManagesWithoutTokens(t *testing.T) {
	ts := newTwoStep(t)
	ctx := context.Background()
	ts.password()
	if _, err := ts.m.LoginMFA(ctx, ts.code()); err != nil {
		t.Fatal(err)
	}
	var st *backend.SecondFactorStatus
	err := ts.m.DoSecondFactor(ctx, func(ctx context.Context, sf backend.SecondFactor) (err error) {
		st, err = sf.Status(ctx)
		return err
	})
	if err != nil || !st.Enabled || st.RecoveryCodesLeft != 10 {
		t.Fatalf("status %+v, %v", st, err)
	}
	// A wrong code is not tried twice (once would count one failure).
	calls := 0
	err = ts.m.DoSecondFactor(ctx, func(ctx context.Context, sf backend.SecondFactor) error {
		calls++
		return sf.Disable(ctx, "000000")
	})
	if !backend.IsWrongCode(err) || calls != 1 {
		t.Fatalf("wrong code: %v after %d calls", err, calls)
	}
	ts.clock.Add(30 * time.Second)
	err = ts.m.DoSecondFactor(ctx, func(ctx context.Context, sf backend.SecondFactor) error {
		return sf.Disable(ctx, ts.code())
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, err := ts.m.Login(ctx, "alice", "alice-password"); err != nil || s == nil {
		t.Fatalf("after turning it off, the password is enough: %v", err)
	}
}
