package remote_test

import (
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The remote client's two steps against a served embedded backend.
func TestTwoStepAgainstServedBackend(t *testing.T) {
	s := newServed(t)
	m := bolt.NewMFAService(s.db)
	key, err := m.BeginEnrolment(ctx, "2") // alice
	if err != nil {
		t.Fatal(err)
	}
	recovery, err := m.ConfirmEnrolment(ctx, "2", totpCode(t, key.Secret, s.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(30 * time.Second)
	c := remote.NewClient(s.srv.URL)
	c.Now = s.clock.Now

	_, err = c.Authenticate(ctx, "alice", alicePassword)
	req, ok := backend.AsMFARequired(err)
	if !ok || req.Challenge == "" || !req.Expires.Equal(s.clock.Now().Add(5*time.Minute)) {
		t.Fatalf("password step: %v", err)
	}
	_, err = c.AuthenticateMFA(ctx, req.Challenge, "000000x")
	assertError(t, err, backend.EINVALID, bolt.MsgCodeShape)
	_, err = c.AuthenticateMFA(ctx, req.Challenge, "000000")
	if !backend.IsWrongCode(err) || backend.ErrorMessage(err) != bolt.MsgWrongCode {
		t.Fatalf("a wrong code: %v", err)
	}
	g, err := c.AuthenticateMFA(ctx, req.Challenge, totpCode(t, key.Secret, s.clock.Now()))
	if err != nil || g.User.Username != "alice" || g.AccessToken == "" || g.RefreshToken == "" {
		t.Fatalf("code step: %+v, %v", g, err)
	}
	if _, err := c.Refresh(ctx, g.RefreshToken); err != nil {
		t.Fatalf("refresh after the code step: %v", err)
	}
	_, err = c.AuthenticateMFA(ctx, req.Challenge, recovery[0])
	assertError(t, err, backend.EMFAENDED, bolt.MsgChallengeEnded)

	// Without a second factor: one step, as before.
	if g := mustLogin(t, c, "test", "test"); g.AccessToken == "" {
		t.Fatal("no token")
	}
}
