package bolt_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

const (
	oldPass = "old-password"
	newPass = "new-password"
)

// accountDB opens a store with ada (password oldPass) and signs her in
// twice: here and elsewhere.
func accountDB(t *testing.T) (*bolt.DB, *Clock, *bolt.AuthService, *backend.Grant, *backend.Grant) {
	t.Helper()
	db, clock := MustOpenDB(t)
	MustAddUser(t, db, "ada", backend.RoleUser, oldPass)
	auth := bolt.NewAuthService(db)
	here := MustLogin(t, auth, "ada", oldPass)
	clock.Add(time.Minute)
	elsewhere, err := auth.Authenticate(backend.WithUserAgent(backend.WithClient(ctx, "192.0.2.7"), "Mozilla/5.0 Firefox/140.0"), "ada", oldPass)
	if err != nil {
		t.Fatal(err)
	}
	return db, clock, auth, here, elsewhere
}

func TestChangePassword_EndsOtherSessionsKeepsThisOne(t *testing.T) {
	_, clock, auth, here, elsewhere := accountDB(t)
	test := MustLogin(t, auth, "test", "test") // someone else: untouched
	clock.Add(time.Minute)
	if err := auth.ChangePassword(ctx, here.AccessToken, oldPass, newPass); err != nil {
		t.Fatal(err)
	}
	// The other session is over, its access token at once.
	_, err := auth.ListUsers(ctx, elsewhere.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	_, err = auth.Refresh(ctx, elsewhere.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	// This one goes on: its access token works and its refresh token rotates.
	if _, err := auth.ListUsers(ctx, here.AccessToken); err != nil {
		t.Fatalf("this session's access token: %v", err)
	}
	mustRefresh(t, auth, here.RefreshToken)
	mustRefresh(t, auth, test.RefreshToken)
	// The new password signs in, the old one no longer does.
	MustLogin(t, auth, "ada", newPass)
	_, err = auth.Authenticate(ctx, "ada", oldPass)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
}

func TestChangePassword_Rules(t *testing.T) {
	_, _, auth, here, elsewhere := accountDB(t)
	for _, c := range []struct {
		current, next, msg string
	}{
		{"", newPass, backend.MsgCurrentPasswordRequired},
		{oldPass, "", "Password is required"},
		{oldPass, "short", "Password must be at least 8 characters"},
		{oldPass, "ßßßßßßß", "Password must be at least 8 characters"}, // 7 characters, 14 bytes
		{oldPass, strings.Repeat("x", backend.MaxPasswordBytes+1), "Password must be at most 1024 bytes"},
		{strings.Repeat("x", backend.MaxPasswordBytes+1), newPass, "Password must be at most 1024 bytes"},
		{oldPass, oldPass, backend.MsgSamePassword},
	} {
		err := auth.ChangePassword(ctx, here.AccessToken, c.current, c.next)
		assertError(t, err, backend.EINVALID, c.msg)
	}
	// None of that changed anything or ended anything.
	MustLogin(t, auth, "ada", oldPass)
	if _, err := auth.ListUsers(ctx, elsewhere.AccessToken); err != nil {
		t.Fatalf("a refused change ended another session: %v", err)
	}
	// Eight characters of any kind are enough.
	if err := auth.ChangePassword(ctx, here.AccessToken, oldPass, "ßßßßßßßß"); err != nil {
		t.Fatal(err)
	}
	MustLogin(t, auth, "ada", "ßßßßßßßß")
}

func TestChangePassword_WrongCurrentIsNotATokenRefusal(t *testing.T) {
	_, _, auth, here, elsewhere := accountDB(t)
	err := auth.ChangePassword(ctx, here.AccessToken, "not-my-password", newPass)
	// EINVALID, not EUNAUTHORIZED: the session layer must not refresh and
	// check the password a second time.
	assertError(t, err, backend.EINVALID, backend.MsgWrongCurrentPassword)
	MustLogin(t, auth, "ada", oldPass)
	if _, err := auth.ListUsers(ctx, elsewhere.AccessToken); err != nil {
		t.Fatalf("a wrong current password ended another session: %v", err)
	}
}

func TestChangePassword_WrongCurrentCountsTowardTheLoginThrottle(t *testing.T) {
	db, clock, auth, here, _ := accountDB(t)
	for i := range bolt.ThrottleFreeFailures {
		err := auth.ChangePassword(ctx, here.AccessToken, "guess-"+string(rune('a'+i)), newPass)
		assertError(t, err, backend.EINVALID, backend.MsgWrongCurrentPassword)
	}
	// The account now waits: the login page and this form alike, even
	// with the right password, and nothing is hashed.
	_, err := auth.Authenticate(ctx, "ada", oldPass)
	assertError(t, err, backend.ETOOMANY, "Too many attempts, try again in 2 s")
	err = auth.ChangePassword(ctx, here.AccessToken, oldPass, newPass)
	assertError(t, err, backend.ETOOMANY, "Too many attempts, try again in 2 s")
	if got := backend.RetryAfter(err); got != 2*time.Second {
		t.Fatalf("Retry-After %v, want 2s", got)
	}
	if wait, _ := bolt.NewAdminService(db).Locked(ctx, "ada"); wait != 2*time.Second {
		t.Fatalf("locked for %v", wait)
	}
	// Failed logins count toward the form too.
	clock.Add(2 * time.Second)
	if err := auth.ChangePassword(ctx, here.AccessToken, oldPass, newPass); err != nil {
		t.Fatal(err)
	}
	// Success clears the count: five more wrong logins before any wait.
	failN(t, auth, "ada", bolt.ThrottleFreeFailures)
}

func TestChangePassword_FailedLoginsThrottleTheForm(t *testing.T) {
	_, _, auth, here, _ := accountDB(t)
	failN(t, auth, "ada", bolt.ThrottleFreeFailures)
	err := auth.ChangePassword(ctx, here.AccessToken, oldPass, newPass)
	assertError(t, err, backend.ETOOMANY, "Too many attempts, try again in 2 s")
}

func TestChangePassword_RefusedTokens(t *testing.T) {
	_, _, auth, here, elsewhere := accountDB(t)
	err := auth.ChangePassword(ctx, "", oldPass, newPass)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	// A signed-out session cannot change the password.
	if err := auth.Revoke(ctx, elsewhere.AccessToken, elsewhere.RefreshToken); err != nil {
		t.Fatal(err)
	}
	err = auth.ChangePassword(ctx, elsewhere.AccessToken, oldPass, newPass)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	MustLogin(t, auth, "ada", oldPass)
	_ = here
}

func TestChangePassword_DemoHintGoes(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	g := MustLogin(t, auth, "test", "test")
	if on, _ := auth.DemoAccountActive(ctx); !on {
		t.Fatal("demo account not active at first")
	}
	if err := auth.ChangePassword(ctx, g.AccessToken, "test", newPass); err != nil {
		t.Fatal(err)
	}
	if on, _ := auth.DemoAccountActive(ctx); on {
		t.Fatal("demo hint still shown after the password changed")
	}
}

func TestMySessions_ListsActiveSessionsCurrentFirst(t *testing.T) {
	_, clock, auth, here, elsewhere := accountDB(t)
	started := clock.Now()
	clock.Add(time.Minute)
	elsewhere = mustRefreshFrom(t, auth, elsewhere.RefreshToken, "192.0.2.8")
	refreshed := clock.Now()
	MustLogin(t, auth, "test", "test") // someone else's session: not listed

	list, err := auth.MySessions(ctx, here.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("%d sessions, want 2: %+v", len(list), list)
	}
	cur, other := list[0], list[1]
	if !cur.Current || other.Current {
		t.Fatalf("current not first and alone: %+v", list)
	}
	if cur.Client != backend.ClientDesktop || cur.UserAgent != "" || !cur.LastRefreshed.IsZero() {
		t.Fatalf("this desktop's session: %+v", cur)
	}
	if other.Client != "192.0.2.8" || other.UserAgent != "Mozilla/5.0 Firefox/140.0" {
		t.Fatalf("served session's where: %+v", other)
	}
	if !other.Started.Equal(started) || !other.LastRefreshed.Equal(refreshed) || !other.Expires.Equal(refreshed.Add(bolt.DefaultRefreshTTL)) {
		t.Fatalf("served session's times: %+v (started %v, refreshed %v)", other, started, refreshed)
	}
	if cur.ID == other.ID || len(cur.ID) != 24 {
		t.Fatalf("IDs %q and %q", cur.ID, other.ID)
	}
	// Nothing listed is part of a token.
	for _, s := range list {
		for _, tok := range []string{here.RefreshToken, elsewhere.RefreshToken, here.AccessToken, elsewhere.AccessToken} {
			if strings.Contains(tok, s.ID) {
				t.Fatalf("session ID %q is part of a token", s.ID)
			}
		}
	}
	// The other session sees itself as current.
	list, err = auth.MySessions(ctx, elsewhere.AccessToken)
	if err != nil || len(list) != 2 || list[0].ID != other.ID || !list[0].Current {
		t.Fatalf("from the other session: %+v, %v", list, err)
	}
}

func mustRefreshFrom(t *testing.T, auth *bolt.AuthService, token, client string) *backend.Grant {
	t.Helper()
	g, err := auth.Refresh(backend.WithClient(ctx, client), token)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMySessions_EndedAndExpiredAreNotListed(t *testing.T) {
	_, clock, auth, here, elsewhere := accountDB(t)
	third := MustLogin(t, auth, "ada", oldPass)
	if err := auth.Revoke(ctx, elsewhere.AccessToken, elsewhere.RefreshToken); err != nil {
		t.Fatal(err)
	}
	list, err := auth.MySessions(ctx, here.AccessToken)
	if err != nil || len(list) != 2 {
		t.Fatalf("after a sign-out: %+v, %v", list, err)
	}
	// here stays in use, third is left until its refresh token expires.
	for range 7 * 24 {
		clock.Add(time.Hour)
		here = mustRefresh(t, auth, here.RefreshToken)
	}
	list, err = auth.MySessions(ctx, here.AccessToken)
	if err != nil || len(list) != 1 || !list[0].Current {
		t.Fatalf("after the third expired: %+v, %v", list, err)
	}
	_ = third
}

func TestMySessions_LongUserAgentIsCut(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	ua := strings.Repeat("é", backend.MaxUserAgentBytes) + "\x00\n"
	g, err := auth.Authenticate(backend.WithUserAgent(ctx, ua), "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	list, err := auth.MySessions(ctx, g.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	got := list[0].UserAgent
	if len(got) > backend.MaxUserAgentBytes || !strings.HasPrefix(ua, got) || len(got) < backend.MaxUserAgentBytes-1 {
		t.Fatalf("user agent kept as %d bytes %q", len(got), got)
	}
}

func TestSignOutSession_EndsThatOneOnly(t *testing.T) {
	_, clock, auth, here, elsewhere := accountDB(t)
	third := MustLogin(t, auth, "ada", oldPass)
	list, _ := auth.MySessions(ctx, here.AccessToken)
	var target string
	for _, s := range list {
		if s.Client == "192.0.2.7" {
			target = s.ID
		}
	}
	clock.Add(time.Second)
	if err := auth.SignOutSession(backend.WithClient(ctx, "198.51.100.1"), here.AccessToken, target); err != nil {
		t.Fatal(err)
	}
	_, err := auth.ListUsers(ctx, elsewhere.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	_, err = auth.Refresh(ctx, elsewhere.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	mustRefresh(t, auth, here.RefreshToken)
	mustRefresh(t, auth, third.RefreshToken)
	// The token listing says who ended it and why.
	recs, err := auth.RefreshTokens(ctx, here.AccessToken, here.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	var r backend.RefreshTokenRecord
	for _, rec := range recs {
		if rec.Token == tokenID(t, elsewhere.RefreshToken) {
			r = rec
		}
	}
	if r.ReasonRevoked != "Signed out from another session" || r.RevokedBy != "198.51.100.1" {
		t.Fatalf("ended session's record %+v", r)
	}
	// Once ended it is gone: signing it out again finds nothing.
	err = auth.SignOutSession(ctx, here.AccessToken, target)
	assertError(t, err, backend.ENOTFOUND, backend.MsgSessionNotFound)
}

func TestSignOutSession_RefusesCurrentOthersAndMadeUp(t *testing.T) {
	db, _, auth, here, _ := accountDB(t)
	mine, _ := auth.MySessions(ctx, here.AccessToken)
	err := auth.SignOutSession(ctx, here.AccessToken, mine[0].ID)
	assertError(t, err, backend.EINVALID, backend.MsgCurrentSession)

	// Another person's session looks like no session at all.
	MustAddUser(t, db, "bob", backend.RoleAdmin, oldPass)
	bob := MustLogin(t, auth, "bob", oldPass)
	bobs, _ := auth.MySessions(ctx, bob.AccessToken)
	for _, id := range []string{bobs[0].ID, "", "zz", strings.Repeat("0", 24), strings.Repeat("a", 1000)} {
		err = auth.SignOutSession(ctx, here.AccessToken, id)
		assertError(t, err, backend.ENOTFOUND, backend.MsgSessionNotFound)
	}
	// Even an admin ends only their own here.
	err = auth.SignOutSession(ctx, bob.AccessToken, mine[0].ID)
	assertError(t, err, backend.ENOTFOUND, backend.MsgSessionNotFound)
	if _, err := auth.ListUsers(ctx, here.AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.ListUsers(ctx, bob.AccessToken); err != nil {
		t.Fatal(err)
	}
}

func TestSignOutOtherSessions(t *testing.T) {
	_, _, auth, here, elsewhere := accountDB(t)
	third := MustLogin(t, auth, "ada", oldPass)
	test := MustLogin(t, auth, "test", "test")
	n, err := auth.SignOutOtherSessions(ctx, here.AccessToken)
	if err != nil || n != 2 {
		t.Fatalf("ended %d, %v; want 2", n, err)
	}
	for _, g := range []*backend.Grant{elsewhere, third} {
		_, err := auth.Refresh(ctx, g.RefreshToken)
		assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	}
	mustRefresh(t, auth, here.RefreshToken)
	mustRefresh(t, auth, test.RefreshToken)
	list, _ := auth.MySessions(ctx, here.AccessToken)
	if len(list) != 1 || !list[0].Current {
		t.Fatalf("left %+v", list)
	}
	if n, err := auth.SignOutOtherSessions(ctx, here.AccessToken); err != nil || n != 0 {
		t.Fatalf("again: %d, %v", n, err)
	}
}

func TestAccount_SessionsSurviveAReopen(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	db := MustOpenDBAt(t, dir, bolt.Options{}, clock)
	auth := bolt.NewAuthService(db)
	g, err := auth.Authenticate(backend.WithUserAgent(backend.WithClient(context.Background(), "192.0.2.9"), "curl/8.0"), "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpenDBAt(t, dir, bolt.Options{}, clock)
	list, err := bolt.NewAuthService(db).MySessions(ctx, g.AccessToken)
	if err != nil || len(list) != 1 || list[0].UserAgent != "curl/8.0" || list[0].Client != "192.0.2.9" {
		t.Fatalf("after reopening: %+v, %v", list, err)
	}
}
