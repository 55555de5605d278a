package bolt_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// tokenID is how RefreshTokens names a token: the start of its SHA-256.
func tokenID(t *testing.T, token string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:8])
}

// adminAccess logs in as a second admin, "root", so tests can look at the
// demo user's records without logging in as them (which adds a family).
func adminAccess(t *testing.T, db *bolt.DB, clock *Clock) string {
	t.Helper()
	_, err := bolt.NewAdminService(db).AddUser(ctx, backend.User{Username: "root", Role: backend.RoleAdmin}, "root-password")
	if err != nil && backend.ErrorCode(err) != backend.ECONFLICT {
		t.Fatal(err)
	}
	return MustLogin(t, bolt.NewAuthService(db), "root", "root-password").AccessToken
}

// records returns the demo user's refresh tokens by ID.
func records(t *testing.T, db *bolt.DB, clock *Clock) map[string]backend.RefreshTokenRecord {
	t.Helper()
	list, err := bolt.NewAuthService(db).RefreshTokens(ctx, adminAccess(t, db, clock), "1")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]backend.RefreshTokenRecord{}
	for _, r := range list {
		out[r.Token] = r
	}
	return out
}

// activeIn counts a family's active tokens.
func activeIn(t *testing.T, db *bolt.DB, clock *Clock, family string) (ids []string) {
	t.Helper()
	for id, r := range records(t, db, clock) {
		if r.Family == family && r.IsActive(clock.Now()) {
			ids = append(ids, id)
		}
	}
	return ids
}

func mustRefresh(t *testing.T, auth *bolt.AuthService, token string) *backend.Grant {
	t.Helper()
	g, err := auth.Refresh(ctx, token)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return g
}

func TestRefresh_RotatesAndRecordsWho(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	first := MustLogin(t, auth, "test", "test")
	clock.Add(time.Minute)

	next, err := auth.Refresh(backend.WithClient(ctx, "192.0.2.7"), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if next.RefreshToken == first.RefreshToken || next.AccessToken == first.AccessToken {
		t.Fatal("refresh returned the same tokens")
	}
	if next.User.Username != "test" || !next.RefreshExpires.Equal(clock.Now().Add(7*24*time.Hour)) {
		t.Errorf("grant = %+v", next)
	}
	recs := records(t, db, clock)
	old, cur := recs[tokenID(t, first.RefreshToken)], recs[tokenID(t, next.RefreshToken)]
	if old.ReasonRevoked != "Replaced by new token" || old.ReplacedBy != cur.Token || old.RevokedBy != "192.0.2.7" || !old.Revoked.Equal(clock.Now()) {
		t.Errorf("used token record = %+v", old)
	}
	if old.CreatedBy != "desktop" || cur.CreatedBy != "192.0.2.7" || cur.Family != old.Family || !cur.IsActive(clock.Now()) {
		t.Errorf("new token record = %+v (old %+v)", cur, old)
	}
	// The new pair works.
	if _, err := auth.ListUsers(ctx, next.AccessToken); err != nil {
		t.Fatal(err)
	}
	mustRefresh(t, auth, next.RefreshToken)
}

func TestRefresh_ReuseRevokesWholeFamily(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	other := MustLogin(t, auth, "test", "test").RefreshToken // another window, another family
	clock.Add(time.Minute)
	r2 := mustRefresh(t, auth, r1).RefreshToken
	clock.Add(time.Minute)
	mustRefresh(t, auth, r2)
	clock.Add(time.Minute)

	_, err := auth.Refresh(ctx, r1) // a thief replaying the first token
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)

	family := records(t, db, clock)[tokenID(t, r1)].Family
	if live := activeIn(t, db, clock, family); len(live) != 0 {
		t.Fatalf("family still has active tokens %v after reuse", live)
	}
	for _, r := range records(t, db, clock) {
		if r.Family == family && r.Revoked.Equal(clock.Now()) && r.ReasonRevoked != "Attempted reuse of revoked ancestor token" {
			t.Errorf("token %s revoked with reason %q", r.Token, r.ReasonRevoked)
		}
	}
	// The owner's current token is dead too: the session ends.
	_, err = auth.Refresh(ctx, r2)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	// Other logins are untouched.
	mustRefresh(t, auth, other)
}

func TestRefresh_GraceRetryOfLostAnswerGetsTheSameToken(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	lost := mustRefresh(t, auth, r1) // the client died before saving this
	clock.Add(bolt.GraceWindow - time.Second)

	retry, err := auth.Refresh(ctx, r1)
	if err != nil {
		t.Fatalf("retry within the grace window: %v", err)
	}
	if retry.RefreshToken != lost.RefreshToken || !retry.RefreshExpires.Equal(lost.RefreshExpires) {
		t.Fatal("the retry got another refresh token than the lost answer")
	}
	if retry.AccessToken == "" || retry.User.Username != "test" {
		t.Fatalf("retry grant = %+v", retry)
	}
	family := records(t, db, clock)[tokenID(t, r1)].Family
	if live := activeIn(t, db, clock, family); len(live) != 1 || live[0] != tokenID(t, lost.RefreshToken) {
		t.Fatalf("active tokens %v, want only the lost answer's", live)
	}
	mustRefresh(t, auth, retry.RefreshToken)
}

// The grace counts from the first rotation: replays inside it do not move
// it, so two holders cannot keep an old token alive by taking turns.
func TestRefresh_GraceIsNotExtendedByReplays(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	r2 := mustRefresh(t, auth, r1).RefreshToken
	for range 3 {
		clock.Add(3 * time.Second) // 3, 6, 9 s: all inside the 10 s window
		if g := mustRefresh(t, auth, r1); g.RefreshToken != r2 {
			t.Fatal("a replay inside the grace got another token")
		}
	}
	clock.Add(3 * time.Second) // 12 s after the rotation
	_, err := auth.Refresh(ctx, r1)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	// The replay after the grace is reuse: the session is over for everyone.
	_, err = auth.Refresh(ctx, r2)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRefresh_GraceWindowEnds(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	r2 := mustRefresh(t, auth, r1).RefreshToken
	clock.Add(bolt.GraceWindow + time.Second)

	_, err := auth.Refresh(ctx, r1)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.Refresh(ctx, r2)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRefresh_NoGraceForOlderAncestors(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	r2 := mustRefresh(t, auth, r1).RefreshToken
	r3 := mustRefresh(t, auth, r2).RefreshToken
	clock.Add(time.Second) // well inside the window, but r1's successor is no longer current

	_, err := auth.Refresh(ctx, r1)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.Refresh(ctx, r3)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRefresh_ExplicitlyRevokedTokenGetsNoGrace(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	g := MustLogin(t, auth, "test", "test")
	if err := auth.Revoke(ctx, g.AccessToken, g.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err := auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

// Browser tabs refresh at once with the same cookie: every one of them must
// get the same new token, so whichever answer a tab keeps is live.
func TestRefresh_ConcurrentUseHandsOutOneToken(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	start := MustLogin(t, auth, "test", "test").RefreshToken

	const n = 20
	var wg sync.WaitGroup
	grants := make([]*backend.Grant, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { grants[i], errs[i] = auth.Refresh(ctx, start) })
	}
	wg.Wait()

	distinct := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d of %d failed: %v", i+1, n, errs[i])
		}
		distinct[grants[i].RefreshToken] = true
	}
	if len(distinct) != 1 {
		t.Fatalf("%d concurrent refreshes handed out %d distinct tokens, want 1", n, len(distinct))
	}
	family := records(t, db, clock)[tokenID(t, start)].Family
	live := activeIn(t, db, clock, family)
	if len(live) != 1 || live[0] != tokenID(t, grants[0].RefreshToken) {
		t.Fatalf("active tokens %v, want the one handed out", live)
	}
	// The family is alive: the token every tab kept refreshes.
	clock.Add(time.Minute)
	mustRefresh(t, auth, grants[n-1].RefreshToken)
}

func TestRefresh_UnknownMalformedAndExpired(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	g := MustLogin(t, auth, "test", "test")
	for _, tok := range []string{"", "abc", g.RefreshToken + "A", g.RefreshToken[:42] + "=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		_, err := auth.Refresh(ctx, tok)
		assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	}
	clock.Add(7 * 24 * time.Hour)
	_, err := auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRefresh_EndedSessionsArePurged(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	g1 := MustLogin(t, auth, "test", "test")
	if err := auth.Revoke(ctx, g1.AccessToken, g1.RefreshToken); err != nil {
		t.Fatal(err)
	}
	r2 := MustLogin(t, auth, "test", "test").RefreshToken
	clock.Add(2*24*time.Hour - time.Second)
	MustLogin(t, auth, "test", "test")
	if _, ok := records(t, db, clock)[tokenID(t, g1.RefreshToken)]; !ok {
		t.Fatal("a session ended less than 2 days ago was purged")
	}

	clock.Add(2 * time.Second)
	r3 := MustLogin(t, auth, "test", "test").RefreshToken
	recs := records(t, db, clock)
	if _, ok := recs[tokenID(t, g1.RefreshToken)]; ok {
		t.Error("a session ended more than 2 days ago survived a login")
	}
	if _, ok := recs[tokenID(t, r2)]; !ok {
		t.Error("an active session older than 2 days was purged")
	}

	clock.Add(5*24*time.Hour + 3*time.Second) // r2 has expired (7 days)
	r3 = mustRefresh(t, auth, r3).RefreshToken
	MustLogin(t, auth, "test", "test")
	clock.Add(2*24*time.Hour + time.Second)
	MustLogin(t, auth, "test", "test")
	if _, ok := records(t, db, clock)[tokenID(t, r2)]; ok {
		t.Error("a session expired more than 2 days ago survived a login")
	}
	// A purged token is simply unknown.
	_, err := auth.Refresh(ctx, g1.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRevoke_OwnOrAdmin(t *testing.T) {
	db, _ := MustOpenDB(t)
	MustAddUser(t, db, "bob", backend.RoleUser, "password1")
	MustAddUser(t, db, "carol", backend.RoleUser, "password1")
	auth := bolt.NewAuthService(db)
	bob := MustLogin(t, auth, "bob", "password1")
	carol := MustLogin(t, auth, "carol", "password1")
	admin := MustLogin(t, auth, "test", "test")

	err := auth.Revoke(ctx, bob.AccessToken, carol.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	mustRefresh(t, auth, carol.RefreshToken) // still alive; carol now has a new one

	if err := auth.Revoke(ctx, bob.AccessToken, bob.RefreshToken); err != nil {
		t.Fatalf("bob revokes his own: %v", err)
	}
	_, err = auth.Refresh(ctx, bob.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)

	err = auth.Revoke(ctx, admin.AccessToken, bob.RefreshToken)
	assertError(t, err, backend.EINVALID, backend.MsgInvalidToken)
	err = auth.Revoke(ctx, admin.AccessToken, "")
	assertError(t, err, backend.EINVALID, "Token is required")

	bob2 := MustLogin(t, auth, "bob", "password1")
	if err := auth.Revoke(ctx, admin.AccessToken, bob2.RefreshToken); err != nil {
		t.Fatalf("admin revokes bob's: %v", err)
	}
	// The session is over: its access token stops working at once.
	_, err = auth.ListUsers(ctx, bob2.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	list, err := auth.RefreshTokens(ctx, admin.AccessToken, bob2.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.Token == tokenID(t, bob2.RefreshToken) && r.ReasonRevoked != "Revoked without replacement" {
			t.Errorf("reason = %q", r.ReasonRevoked)
		}
	}
}
