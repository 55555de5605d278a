package bolt_test

import (
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/mfa"
)

// The two-step sign-in through AuthService, as the session manager and the
// served API use it: the password step answers with a challenge, the code
// step with a grant. Fake clock, real bbolt files.

const alicePassword = "alice-password"

// passwordStep logs alice in with her password and returns the challenge.
func passwordStep(t *testing.T, auth *bolt.AuthService) *backend.MFARequired {
	t.Helper()
	g, err := auth.Authenticate(ctx, "alice", alicePassword)
	if g != nil {
		t.Fatal("the password alone gave a grant to an account with a second factor")
	}
	req, ok := backend.AsMFARequired(err)
	if !ok {
		t.Fatalf("password step: %v, want MFARequired", err)
	}
	return req
}

// sessions counts alice's active sessions as an admin sees them.
func sessionsOf(t *testing.T, db *bolt.DB, auth *bolt.AuthService, id string) int {
	t.Helper()
	admin := MustLogin(t, auth, "test", "test")
	recs, err := auth.RefreshTokens(ctx, admin.AccessToken, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.ReplacedBy == "" && r.Revoked.IsZero() {
			n++
		}
	}
	return n
}

func TestSignIn_PasswordThenCode(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	id, secret, _ := enrolled(t, db, clock, bolt.NewMFAService(db))

	req := passwordStep(t, auth)
	if want := clock.Now().Add(mfa.ChallengeTTL); !req.Expires.Equal(want) {
		t.Errorf("challenge expires %v, want %v", req.Expires, want)
	}
	if len(req.Challenge) != 43 {
		t.Errorf("challenge %d characters", len(req.Challenge))
	}
	if n := sessionsOf(t, db, auth, id); n != 0 {
		t.Fatalf("%d sessions after the password step, want none", n)
	}

	g, err := auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if g.User.ID != id || g.AccessToken == "" || g.RefreshToken == "" {
		t.Fatalf("grant %+v", g.User)
	}
	if u, err := auth.UserFromAccessToken(ctx, g.AccessToken); err != nil || u.Username != "alice" {
		t.Fatalf("the new access token: %v, %v", u, err)
	}
	if _, err := auth.Refresh(ctx, g.RefreshToken); err != nil {
		t.Fatalf("the new refresh token: %v", err)
	}
	// The challenge was used: a second code (even a right one) is refused.
	_, err = auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now().Add(mfa.Period)))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
}

func TestSignIn_NoSecondFactorIsOneStep(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	MustAddUser(t, db, "bob", backend.RoleUser, "bob-password")
	if g := MustLogin(t, auth, "bob", "bob-password"); g.AccessToken == "" {
		t.Fatal("no access token")
	}
	if _, err := auth.AuthenticateMFA(ctx, "made-up", "123456"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("a made-up challenge: %v", err)
	}
}

func TestSignIn_StepWindowAndReplay(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	id, secret, _ := enrolled(t, db, clock, bolt.NewMFAService(db))
	clock.Add(10 * mfa.Period) // well past the confirming code
	step := mfa.Step(clock.Now())
	at := func(s int64) time.Time { return time.Unix(s*int64(mfa.Period/time.Second), 0) }

	// Two steps back: outside the window.
	_, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, code(t, secret, at(step-2)))
	assertWrongCode(t, err, id, 4)
	// One step back: accepted.
	c := code(t, secret, at(step-1))
	if _, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, c); err != nil {
		t.Fatalf("the previous step's code: %v", err)
	}
	// The same code again, on a fresh challenge: replay.
	_, err = auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, c)
	assertWrongCode(t, err, id, 4)
	// The last second of the step, then the next step's code: accepted.
	clock.Set(at(step + 1).Add(-time.Second))
	if _, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, code(t, secret, at(step+1))); err != nil {
		t.Fatalf("the next step's code: %v", err)
	}
	// Now the current step is behind the last one used: refused too.
	_, err = auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, code(t, secret, at(step)))
	assertWrongCode(t, err, id, 4)
}

func TestSignIn_ChallengeExpiresAfterFiveMinutes(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	_, secret, _ := enrolled(t, db, clock, bolt.NewMFAService(db))

	req := passwordStep(t, auth)
	clock.Add(mfa.ChallengeTTL - time.Second)
	early := passwordStep(t, auth)
	clock.Add(time.Second)
	_, err := auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
	// A challenge made later still works.
	if _, err := auth.AuthenticateMFA(ctx, early.Challenge, code(t, secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
}

func TestSignIn_FiveWrongCodesEndTheChallengeAndThrottle(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	admin := bolt.NewAdminService(db)
	id, secret, _ := enrolled(t, db, clock, bolt.NewMFAService(db))
	wrong := wrongCodeFor(t, secret, clock.Now())

	// Two wrong codes, then the right password again: the count is not
	// reset by the password (5 fresh guesses per password would be endless).
	req := passwordStep(t, auth)
	for left := 4; left >= 3; left-- {
		_, err := auth.AuthenticateMFA(ctx, req.Challenge, wrong)
		assertWrongCode(t, err, id, left)
	}
	req = passwordStep(t, auth)
	for left := 4; left >= 2; left-- {
		_, err := auth.AuthenticateMFA(ctx, req.Challenge, wrong)
		assertWrongCode(t, err, id, left)
	}
	// Five failures on the account: throttled. The right code on the
	// current challenge is not even looked at, and spends no attempt.
	if wait, _ := admin.Locked(ctx, "alice"); wait <= 0 {
		t.Fatal("five wrong codes did not throttle the account")
	}
	_, err := auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now()))
	if backend.ErrorCode(err) != backend.ETOOMANY || backend.RetryAfter(err) <= 0 {
		t.Fatalf("code while throttled: %v", err)
	}
	if _, err := auth.Authenticate(ctx, "alice", alicePassword); backend.ErrorCode(err) != backend.ETOOMANY {
		t.Fatalf("password while throttled: %v", err)
	}
	// After the wait, the attempt spent nothing: two are left, then the
	// fifth wrong code ends the challenge.
	clock.Add(backend.RetryAfter(err))
	_, err = auth.AuthenticateMFA(ctx, req.Challenge, wrong)
	assertWrongCode(t, err, id, 1)
	wait, _ := admin.Locked(ctx, "alice")
	clock.Add(wait)
	_, err = auth.AuthenticateMFA(ctx, req.Challenge, wrong)
	assertWrongCode(t, err, id, 0)
	wait, _ = admin.Locked(ctx, "alice")
	clock.Add(wait)
	_, err = auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)

	// A correct code on a new challenge signs in and clears the count.
	if _, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, code(t, secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if wait, _ := admin.Locked(ctx, "alice"); wait != 0 {
		t.Fatalf("still throttled %v after signing in", wait)
	}
}

// wrongCodeFor is a well-formed code that none of the three accepted steps show.
func wrongCodeFor(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	for _, c := range []string{"000000", "111111", "222222", "333333"} {
		if c != code(t, secret, now) && c != code(t, secret, now.Add(-mfa.Period)) && c != code(t, secret, now.Add(mfa.Period)) {
			return c
		}
	}
	t.Fatal("no wrong code")
	return ""
}

func TestSignIn_RecoveryCodeWorksOnce(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	id, _, recovery := enrolled(t, db, clock, bolt.NewMFAService(db))

	// As a person might type it: lower case, without the hyphen.
	typed := recovery[3][:5] + " " + recovery[3][6:]
	if _, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, typed); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	_, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, recovery[3])
	assertWrongCode(t, err, id, 4)
	if _, err := auth.AuthenticateMFA(ctx, passwordStep(t, auth).Challenge, recovery[4]); err != nil {
		t.Fatalf("another recovery code: %v", err)
	}
}

func TestSignIn_ChallengeTiedToThePassword(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	_, secret, _ := enrolled(t, db, clock, bolt.NewMFAService(db))

	req := passwordStep(t, auth)
	if err := bolt.NewAdminService(db).SetPassword(ctx, "alice", "a-new-password"); err != nil {
		t.Fatal(err)
	}
	_, err := auth.AuthenticateMFA(ctx, req.Challenge, code(t, secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
}

func TestSecondFactor_ManagedWithTheAccessToken(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	u := MustAddUser(t, db, "alice", backend.RoleUser, alicePassword)
	g := MustLogin(t, auth, "alice", alicePassword)

	st, err := auth.SecondFactorStatus(ctx, g.AccessToken)
	if err != nil || st.Enabled {
		t.Fatalf("status before: %+v, %v", st, err)
	}
	setup, err := auth.BeginSecondFactor(ctx, g.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if want := "otpauth://totp/AuthDesk:alice?"; len(setup.URI) < len(want) || setup.URI[:len(want)] != want {
		t.Errorf("URI %q", setup.URI)
	}
	recovery, err := auth.ConfirmSecondFactor(ctx, g.AccessToken, code(t, setup.Secret, clock.Now()))
	if err != nil || len(recovery) != 10 {
		t.Fatalf("confirm: %d codes, %v", len(recovery), err)
	}
	if st, _ := auth.SecondFactorStatus(ctx, g.AccessToken); !st.Enabled || st.RecoveryCodesLeft != 10 {
		t.Fatalf("status after: %+v", st)
	}
	clock.Add(mfa.Period)
	fresh, err := auth.NewRecoveryCodes(ctx, g.AccessToken, code(t, setup.Secret, clock.Now()))
	if err != nil || len(fresh) != 10 || fresh[0] == recovery[0] {
		t.Fatalf("new recovery codes: %v", err)
	}
	// Wrong codes count toward the throttle here too; then even a right
	// code is refused until the wait is over.
	wrong := wrongCodeFor(t, setup.Secret, clock.Now())
	for range 5 {
		if err := auth.DisableSecondFactor(ctx, g.AccessToken, wrong); !backend.IsWrongCode(err) {
			t.Fatalf("wrong code: %v", err)
		}
	}
	clock.Add(time.Second)
	if err := auth.DisableSecondFactor(ctx, g.AccessToken, code(t, setup.Secret, clock.Now())); backend.ErrorCode(err) != backend.ETOOMANY {
		t.Fatalf("disable while throttled: %v", err)
	}
	clock.Add(time.Minute)
	if err := auth.DisableSecondFactor(ctx, g.AccessToken, fresh[0]); err != nil {
		t.Fatalf("disable with a recovery code: %v", err)
	}
	if g := MustLogin(t, auth, "alice", alicePassword); g.User.ID != u.ID {
		t.Fatal("not alice")
	}
}

func TestSecondFactor_AdminListAndReset(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	id, _, _ := enrolled(t, db, clock, bolt.NewMFAService(db))
	MustAddUser(t, db, "bob", backend.RoleUser, "bob-password")
	bob := MustLogin(t, auth, "bob", "bob-password")
	admin := MustLogin(t, auth, "test", "test")

	if _, err := auth.UsersWithSecondFactor(ctx, bob.AccessToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("a non-admin listed: %v", err)
	}
	if _, err := auth.ResetSecondFactor(ctx, bob.AccessToken, id); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("a non-admin reset: %v", err)
	}
	ids, err := auth.UsersWithSecondFactor(ctx, admin.AccessToken)
	if err != nil || len(ids) != 1 || ids[0] != id {
		t.Fatalf("users with a second factor: %v, %v", ids, err)
	}
	if _, err := auth.ResetSecondFactor(ctx, admin.AccessToken, "999"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("unknown user: %v", err)
	}
	had, err := auth.ResetSecondFactor(ctx, admin.AccessToken, id)
	if err != nil || !had {
		t.Fatalf("reset: %v, %v", had, err)
	}
	if _, err := auth.Authenticate(ctx, "alice", alicePassword); err != nil {
		t.Fatalf("after the reset the password is enough: %v", err)
	}
	if had, _ := auth.ResetSecondFactor(ctx, admin.AccessToken, id); had {
		t.Fatal("a second reset found one")
	}
}
