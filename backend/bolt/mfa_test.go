package bolt_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/mfa"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// code computes what an authenticator app shows for secret at t.
func code(tb testing.TB, secret string, t time.Time) string {
	tb.Helper()
	c, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// enrolled adds alice with a second factor and returns her ID, secret and
// recovery codes. The clock is moved to the next step so the confirming code
// (which cannot be used again) is out of the way.
func enrolled(t *testing.T, db *bolt.DB, clock *Clock, m *bolt.MFAService) (id, secret string, recovery []string) {
	t.Helper()
	u := MustAddUser(t, db, "alice", backend.RoleUser, "alice-password")
	key, err := m.BeginEnrolment(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	recovery, err = m.ConfirmEnrolment(ctx, u.ID, code(t, key.Secret, clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(mfa.Period)
	return u.ID, key.Secret, recovery
}

func mustChallenge(t *testing.T, m *bolt.MFAService, username string) string {
	t.Helper()
	ch, err := m.BeginChallenge(username)
	if err != nil {
		t.Fatal(err)
	}
	return ch.ID
}

// assertWrongCode checks a wrong code's error and that it names the user for
// the throttle.
func assertWrongCode(t *testing.T, err error, userID string, left int) {
	t.Helper()
	msg := bolt.MsgWrongCode
	if left == 0 {
		msg = bolt.MsgLastWrongCode
	}
	assertError(t, err, backend.EUNAUTHORIZED, msg)
	w, ok := bolt.WrongCode(err)
	if !ok || w.UserID != userID || w.AttemptsLeft != left {
		t.Fatalf("wrong-code report %+v, %v; want user %s, %d left", w, ok, userID, left)
	}
}

func TestMFA_EnrolConfirmDisable(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	u := MustAddUser(t, db, "alice", backend.RoleUser, "alice-password")
	if on, err := m.HasMFA(ctx, u.ID); err != nil || on {
		t.Fatalf("HasMFA before = %v, %v", on, err)
	}
	key, err := m.BeginEnrolment(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key.URI, "otpauth://totp/AuthDesk:alice?") || !strings.Contains(key.URI, "secret="+key.Secret) {
		t.Errorf("URI %s", key.URI)
	}
	// A pending secret is not a second factor yet.
	if on, _ := m.HasMFA(ctx, u.ID); on {
		t.Fatal("HasMFA true before confirmation")
	}
	_, err = m.ConfirmEnrolment(ctx, u.ID, "12345")
	assertError(t, err, backend.EINVALID, bolt.MsgTOTPShape)
	_, err = m.ConfirmEnrolment(ctx, u.ID, code(t, key.Secret, clock.Now().Add(-2*mfa.Period)))
	assertWrongCode(t, err, u.ID, -1)

	confirm := code(t, key.Secret, clock.Now())
	recovery, err := m.ConfirmEnrolment(ctx, u.ID, confirm[:3]+" "+confirm[3:])
	if err != nil {
		t.Fatal(err)
	}
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes", len(recovery))
	}
	st, err := m.Status(ctx, u.ID)
	if err != nil || !st.Enabled || st.RecoveryCodesLeft != 10 || !st.Since.Equal(clock.Now()) {
		t.Fatalf("status %+v, %v", st, err)
	}
	_, err = m.BeginEnrolment(ctx, u.ID)
	assertError(t, err, backend.ECONFLICT, bolt.MsgMFAAlreadyOn)
	if ids, err := m.UsersWithMFA(ctx); err != nil || !ids[u.ID] || len(ids) != 1 {
		t.Fatalf("UsersWithMFA = %v, %v", ids, err)
	}

	// Turning it off needs a code; the confirming one is used up.
	assertError(t, m.Disable(ctx, u.ID, "nope"), backend.EINVALID, bolt.MsgCodeShape)
	assertWrongCode(t, m.Disable(ctx, u.ID, confirm), u.ID, -1)
	if on, _ := m.HasMFA(ctx, u.ID); !on {
		t.Fatal("a refused Disable turned it off")
	}
	clock.Add(mfa.Period)
	if err := m.Disable(ctx, u.ID, code(t, key.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	if on, _ := m.HasMFA(ctx, u.ID); on {
		t.Fatal("still on after Disable")
	}
	assertError(t, m.Disable(ctx, u.ID, code(t, key.Secret, clock.Now())), backend.ECONFLICT, bolt.MsgMFAOff)
	if _, err := m.HasMFA(ctx, "999"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestMFA_PendingEnrolmentExpires(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	u := MustAddUser(t, db, "alice", backend.RoleUser, "alice-password")
	_, err := m.ConfirmEnrolment(ctx, u.ID, "123456")
	assertError(t, err, backend.ECONFLICT, bolt.MsgEnrolmentExpired)

	key, _ := m.BeginEnrolment(ctx, u.ID)
	clock.Add(bolt.PendingEnrolmentTTL)
	_, err = m.ConfirmEnrolment(ctx, u.ID, code(t, key.Secret, clock.Now()))
	assertError(t, err, backend.ECONFLICT, bolt.MsgEnrolmentExpired)

	// Starting again replaces the secret; the old one's codes are wrong.
	key2, _ := m.BeginEnrolment(ctx, u.ID)
	clock.Add(bolt.PendingEnrolmentTTL - time.Millisecond)
	_, err = m.ConfirmEnrolment(ctx, u.ID, code(t, key.Secret, clock.Now()))
	assertWrongCode(t, err, u.ID, -1)
	if _, err := m.ConfirmEnrolment(ctx, u.ID, code(t, key2.Secret, clock.Now())); err != nil {
		t.Fatalf("at 14:59.999: %v", err)
	}
}

func TestMFA_SignInWithCode_ReplayRefused(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, secret, _ := enrolled(t, db, clock, m)

	c := code(t, secret, clock.Now())
	res, err := m.VerifyChallenge(ctx, mustChallenge(t, m, "alice"), c)
	if err != nil || res.User.Username != "alice" || res.UsedRecoveryCode {
		t.Fatalf("sign-in: %+v, %v", res, err)
	}
	// The same code in a new sign-in, even within its 30 s, is refused and
	// counts as a wrong code.
	ch := mustChallenge(t, m, "alice")
	_, err = m.VerifyChallenge(ctx, ch, c)
	assertWrongCode(t, err, id, 4)
	// So is the previous step's code (within skew, but older than the used one).
	_, err = m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now().Add(-mfa.Period)))
	assertWrongCode(t, err, id, 3)
	clock.Add(mfa.Period)
	if _, err := m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now())); err != nil {
		t.Fatalf("next step's code: %v", err)
	}
}

func TestMFA_ReplayRefusedAfterRestart(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	db := MustOpenDBAt(t, dir, bolt.Options{}, clock)
	m := bolt.NewMFAService(db)
	id, secret, _ := enrolled(t, db, clock, m)
	c := code(t, secret, clock.Now())
	if _, err := m.VerifyChallenge(ctx, mustChallenge(t, m, "alice"), c); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenDBAt(t, dir, bolt.Options{}, clock)
	m = bolt.NewMFAService(db)
	ch := mustChallenge(t, m, "alice")
	_, err := m.VerifyChallenge(ctx, ch, c)
	assertWrongCode(t, err, id, 4)
	// The next step's code is within skew and newer: accepted.
	if _, err := m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now().Add(mfa.Period))); err != nil {
		t.Fatal(err)
	}
}

func TestMFA_StepBoundaryAndSkew(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, secret, _ := enrolled(t, db, clock, m)
	// Put the clock 1 ms before a step boundary: 29.999 s into step n.
	next := time.Unix((clock.Now().Unix()/30+1)*30, 0).UTC()
	clock.Set(next.Add(10 * mfa.Period).Add(-time.Millisecond))
	boundary := clock.Now().Add(time.Millisecond) // start of step n+1

	ch := mustChallenge(t, m, "alice")
	// n+2 is two steps ahead at 29.999 s...
	_, err := m.VerifyChallenge(ctx, ch, code(t, secret, boundary.Add(mfa.Period)))
	assertWrongCode(t, err, id, 4)
	// ...and one ahead at 30 s.
	clock.Set(boundary)
	if _, err := m.VerifyChallenge(ctx, ch, code(t, secret, boundary.Add(mfa.Period))); err != nil {
		t.Fatalf("one step ahead at the boundary: %v", err)
	}
	// Two steps behind what the clock says is refused, one behind accepted.
	clock.Add(10 * mfa.Period)
	ch = mustChallenge(t, m, "alice")
	_, err = m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now().Add(-2*mfa.Period)))
	assertWrongCode(t, err, id, 4)
	if _, err := m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now().Add(-mfa.Period))); err != nil {
		t.Fatalf("one step behind: %v", err)
	}
}

func TestMFA_RecoveryCodesUsedOnce(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, _, recovery := enrolled(t, db, clock, m)

	// Typed in capitals without the hyphen: still the code.
	typed := strings.ToUpper(strings.ReplaceAll(recovery[3], "-", ""))
	res, err := m.VerifyChallenge(ctx, mustChallenge(t, m, "alice"), typed)
	if err != nil || !res.UsedRecoveryCode || res.RecoveryCodesLeft != 9 {
		t.Fatalf("recovery sign-in: %+v, %v", res, err)
	}
	ch := mustChallenge(t, m, "alice")
	_, err = m.VerifyChallenge(ctx, ch, recovery[3])
	assertWrongCode(t, err, id, 4)
	res, err = m.VerifyChallenge(ctx, ch, recovery[0])
	if err != nil || res.RecoveryCodesLeft != 8 {
		t.Fatalf("another recovery code: %+v, %v", res, err)
	}
	// A recovery code is bound to its account.
	MustAddUser(t, db, "bob", backend.RoleUser, "bob-password1")
	bob, _ := bolt.NewAdminService(db).Users(ctx)
	bobID := bob[len(bob)-1].ID
	key, _ := m.BeginEnrolment(ctx, bobID)
	if _, err := m.ConfirmEnrolment(ctx, bobID, code(t, key.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	_, err = m.VerifyChallenge(ctx, mustChallenge(t, m, "bob"), recovery[1])
	assertWrongCode(t, err, bobID, 4)
}

func TestMFA_RecoveryCodesStoredHashed(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	db := MustOpenDBAt(t, dir, bolt.Options{}, clock)
	_, _, recovery := enrolled(t, db, clock, bolt.NewMFAService(db))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "backend.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range recovery {
		for _, form := range []string{c, strings.ReplaceAll(c, "-", ""), strings.ToUpper(c)} {
			if bytes.Contains(raw, []byte(form)) {
				t.Fatalf("recovery code %q is in backend.db in clear", form)
			}
		}
	}
}

func TestMFA_RegenerateInvalidatesOldCodes(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, secret, old := enrolled(t, db, clock, m)
	_, err := m.RegenerateRecoveryCodes(ctx, id, "000000x")
	assertError(t, err, backend.EINVALID, bolt.MsgCodeShape)
	fresh, err := m.RegenerateRecoveryCodes(ctx, id, code(t, secret, clock.Now()))
	if err != nil || len(fresh) != 10 {
		t.Fatalf("regenerate: %d codes, %v", len(fresh), err)
	}
	for _, c := range fresh {
		for _, o := range old {
			if c == o {
				t.Fatal("a new code equals an old one")
			}
		}
	}
	ch := mustChallenge(t, m, "alice")
	_, err = m.VerifyChallenge(ctx, ch, old[5])
	assertWrongCode(t, err, id, 4)
	if res, err := m.VerifyChallenge(ctx, ch, fresh[5]); err != nil || res.RecoveryCodesLeft != 9 {
		t.Fatalf("new code: %+v, %v", res, err)
	}
	// A recovery code also authorises regeneration (and is spent by it).
	if _, err := m.RegenerateRecoveryCodes(ctx, id, fresh[0]); err != nil {
		t.Fatal(err)
	}
	if st, _ := m.Status(ctx, id); st.RecoveryCodesLeft != 10 {
		t.Fatalf("%d codes left after regenerating", st.RecoveryCodesLeft)
	}
}

func TestMFA_FiveWrongCodesEndTheChallenge(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, secret, recovery := enrolled(t, db, clock, m)
	ch := mustChallenge(t, m, "alice")
	// Malformed input cannot match and spends no attempt.
	for range 10 {
		_, err := m.VerifyChallenge(ctx, ch, "12 34")
		assertError(t, err, backend.EINVALID, bolt.MsgCodeShape)
	}
	for left := 4; left >= 0; left-- {
		_, err := m.VerifyChallenge(ctx, ch, "000000")
		assertWrongCode(t, err, id, left)
	}
	for _, c := range []string{code(t, secret, clock.Now()), recovery[0]} {
		_, err := m.VerifyChallenge(ctx, ch, c)
		assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
		if _, ok := bolt.WrongCode(err); ok {
			t.Fatal("an ended challenge reported a wrong code")
		}
	}
}

func TestMFA_ChallengeExpiresAfterFiveMinutes(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	_, secret, _ := enrolled(t, db, clock, m)
	ch, err := m.BeginChallenge("alice")
	if err != nil || !ch.Expires.Equal(clock.Now().Add(5*time.Minute)) {
		t.Fatalf("challenge %+v, %v", ch, err)
	}
	late := mustChallenge(t, m, "alice")
	clock.Add(5*time.Minute - time.Millisecond)
	if _, err := m.VerifyChallenge(ctx, ch.ID, code(t, secret, clock.Now())); err != nil {
		t.Fatalf("at 4:59.999: %v", err)
	}
	clock.Add(time.Millisecond) // 5:00 exactly; a fresh code (next step)
	_, err = m.VerifyChallenge(ctx, late, code(t, secret, clock.Now().Add(mfa.Period)))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
}

func TestMFA_ChallengeEndsWhenWhatItStoodForChanges(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	admin := bolt.NewAdminService(db)
	_, secret, _ := enrolled(t, db, clock, m)

	ch := mustChallenge(t, m, "alice")
	if err := admin.SetPassword(ctx, "alice", "another-password"); err != nil {
		t.Fatal(err)
	}
	_, err := m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)

	ch = mustChallenge(t, m, "alice")
	if had, err := admin.ResetMFA(ctx, "alice"); err != nil || !had {
		t.Fatalf("reset: %v, %v", had, err)
	}
	_, err = m.VerifyChallenge(ctx, ch, code(t, secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)

	key, _ := m.BeginEnrolment(ctx, "2")
	if _, err := m.ConfirmEnrolment(ctx, "2", code(t, key.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
	ch = mustChallenge(t, m, "alice")
	if err := admin.RemoveUser(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if ids, err := m.UsersWithMFA(ctx); err != nil || len(ids) != 0 {
		t.Fatalf("UsersWithMFA after removal = %v, %v", ids, err)
	}
	clock.Add(mfa.Period)
	_, err = m.VerifyChallenge(ctx, ch, code(t, key.Secret, clock.Now()))
	assertError(t, err, backend.EUNAUTHORIZED, bolt.MsgChallengeEnded)
}

func TestMFA_AdminReset(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	admin := bolt.NewAdminService(db)
	id, _, _ := enrolled(t, db, clock, m)
	if had, err := admin.ResetMFA(ctx, "ALICE"); err != nil || !had {
		t.Fatalf("reset: %v, %v", had, err)
	}
	if on, _ := m.HasMFA(ctx, id); on {
		t.Fatal("still on after reset")
	}
	if had, err := admin.ResetMFA(ctx, "alice"); err != nil || had {
		t.Fatalf("second reset: %v, %v", had, err)
	}
	_, err := admin.ResetMFA(ctx, "nobody")
	assertError(t, err, backend.ENOTFOUND, `User "nobody" not found`)
	// She can set it up again.
	key, err := m.BeginEnrolment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.ConfirmEnrolment(ctx, id, code(t, key.Secret, clock.Now())); err != nil {
		t.Fatal(err)
	}
}

// Two sign-ins racing with the same code: exactly one gets in.
func TestMFA_ConcurrentReplayOneWins(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	_, secret, _ := enrolled(t, db, clock, m)
	c := code(t, secret, clock.Now())
	var chs []string
	for range 5 {
		chs = append(chs, mustChallenge(t, m, "alice"))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, ch := range chs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.VerifyChallenge(ctx, ch, c); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d sign-ins with one code, want 1", ok)
	}
}

func TestMFA_ChallengeTableFullIsBusy(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	enrolled(t, db, clock, m)
	m.FillChallenges(mfa.MaxChallenges)
	_, err := m.BeginChallenge("alice")
	if backend.ErrorCode(err) != backend.EBUSY || backend.RetryAfter(err) != 5*time.Minute {
		t.Fatalf("full table: %v (retry after %v); want busy, 5m", err, backend.RetryAfter(err))
	}
	clock.Add(5 * time.Minute)
	if _, err := m.BeginChallenge("alice"); err != nil {
		t.Fatalf("after the fillers expired: %v", err)
	}
}

// The integration's throttle gate refuses before the code is looked at and
// spends no attempt; the then hook runs only for a correct code.
func TestMFA_GateAndThenHooks(t *testing.T) {
	db, clock := MustOpenDB(t)
	m := bolt.NewMFAService(db)
	id, secret, _ := enrolled(t, db, clock, m)
	ch := mustChallenge(t, m, "alice")
	throttled := backend.RetryAfterError(backend.ETOOMANY, time.Minute, "Too many attempts")
	var ran []string
	then := func(uid string) { ran = append(ran, uid) }
	for range 10 { // more than MaxAttempts: none is spent
		_, err := m.VerifyChallengeGated(ch, code(t, secret, clock.Now()), func(string) error { return throttled }, then)
		if err != throttled {
			t.Fatalf("gated: %v", err)
		}
	}
	open := func(uid string) error {
		if uid != id {
			t.Errorf("gate asked about user %s, want %s", uid, id)
		}
		return nil
	}
	_, err := m.VerifyChallengeGated(ch, "000000", open, then)
	assertWrongCode(t, err, id, 4)
	if len(ran) != 0 {
		t.Fatal("then ran for a wrong code")
	}
	if _, err := m.VerifyChallengeGated(ch, code(t, secret, clock.Now()), open, then); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 1 || ran[0] != id {
		t.Fatalf("then ran for %v", ran)
	}
}
