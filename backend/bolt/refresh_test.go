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
	"github.com/golang-jwt/jwt/v5"
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

// adminAccess mints an access token for the demo admin at the clock's time,
// so tests can look at records without logging in (which adds a family).
func adminAccess(t *testing.T, db *bolt.DB, clock *Clock) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"id": "1", "sub": "1", "iss": "authdesk", "aud": "authdesk",
		"iat": clock.Now().Unix(), "exp": clock.Now().Add(time.Minute).Unix(),
	}).SignedString(db.SigningKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
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

func TestRefresh_GraceRetryOfLostAnswer(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	lost := mustRefresh(t, auth, r1).RefreshToken // the client died before saving this
	clock.Add(bolt.GraceWindow - time.Second)

	retry, err := auth.Refresh(ctx, r1)
	if err != nil {
		t.Fatalf("retry within the grace window: %v", err)
	}
	family := records(t, db, clock)[tokenID(t, r1)].Family
	if live := activeIn(t, db, clock, family); len(live) != 1 || live[0] != tokenID(t, retry.RefreshToken) {
		t.Fatalf("active tokens %v, want only the retry's", live)
	}
	if r := records(t, db, clock)[tokenID(t, lost)]; r.ReasonRevoked != "Replaced by new token" {
		t.Errorf("the lost token was revoked with %q", r.ReasonRevoked)
	}
	mustRefresh(t, auth, retry.RefreshToken)
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

func TestRefresh_ConcurrentUseLeavesOneChain(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	start := MustLogin(t, auth, "test", "test").RefreshToken

	const n = 100
	var wg sync.WaitGroup
	grants := make([]*backend.Grant, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { grants[i], errs[i] = auth.Refresh(ctx, start) })
	}
	wg.Wait()

	succeeded := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			assertError(t, errs[i], backend.EUNAUTHORIZED, backend.MsgInvalidToken)
			continue
		}
		succeeded[tokenID(t, grants[i].RefreshToken)] = true
	}
	family := records(t, db, clock)[tokenID(t, start)].Family
	live := activeIn(t, db, clock, family)
	if len(live) != 1 {
		t.Fatalf("%d active tokens after %d concurrent refreshes, want exactly 1", len(live), n)
	}
	if !succeeded[live[0]] {
		t.Fatal("the surviving token was not handed to any caller")
	}
	t.Logf("%d of %d refreshes succeeded (grace retries)", len(succeeded), n)
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

func TestRefresh_PurgesOldInactiveTokens(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	r1 := MustLogin(t, auth, "test", "test").RefreshToken
	r2 := mustRefresh(t, auth, r1).RefreshToken
	clock.Add(2*24*time.Hour - time.Second)
	MustLogin(t, auth, "test", "test")
	if _, ok := records(t, db, clock)[tokenID(t, r1)]; !ok {
		t.Fatal("a revoked token younger than 2 days was purged")
	}

	clock.Add(2 * time.Second)
	r3 := MustLogin(t, auth, "test", "test").RefreshToken
	recs := records(t, db, clock)
	if _, ok := recs[tokenID(t, r1)]; ok {
		t.Error("revoked token older than 2 days survived a login")
	}
	if _, ok := recs[tokenID(t, r2)]; !ok {
		t.Error("an active token older than 2 days was purged")
	}

	clock.Add(6 * 24 * time.Hour) // r2 has expired; r3 is still active
	mustRefresh(t, auth, r3)
	if _, ok := records(t, db, clock)[tokenID(t, r2)]; ok {
		t.Error("expired token survived a refresh")
	}
	// A purged token is simply unknown.
	_, err := auth.Refresh(ctx, r1)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

func TestRevoke_OwnOrAdmin(t *testing.T) {
	db, _ := MustOpenDB(t)
	MustAddUser(t, db, "bob", backend.RoleUser, "pw")
	MustAddUser(t, db, "carol", backend.RoleUser, "pw")
	auth := bolt.NewAuthService(db)
	bob := MustLogin(t, auth, "bob", "pw")
	carol := MustLogin(t, auth, "carol", "pw")
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

	bob2 := MustLogin(t, auth, "bob", "pw")
	if err := auth.Revoke(ctx, admin.AccessToken, bob2.RefreshToken); err != nil {
		t.Fatalf("admin revokes bob's: %v", err)
	}
	list, err := auth.RefreshTokens(ctx, bob2.AccessToken, bob2.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.Token == tokenID(t, bob2.RefreshToken) && r.ReasonRevoked != "Revoked without replacement" {
			t.Errorf("reason = %q", r.ReasonRevoked)
		}
	}
}
