package bolt_test

import (
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

func TestSessions_CapSignsOutTheOldest(t *testing.T) {
	clock := NewClock()
	db := MustOpenDBAt(t, t.TempDir(), bolt.Options{MaxSessions: 3}, clock)
	auth := bolt.NewAuthService(db)
	var grants []*backend.Grant
	for range 4 {
		grants = append(grants, MustLogin(t, auth, "test", "test"))
		clock.Add(time.Second)
	}
	_, err := auth.Refresh(ctx, grants[0].RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.ListUsers(ctx, grants[0].AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	for _, g := range grants[1:] {
		mustRefresh(t, auth, g.RefreshToken)
	}
	r := records(t, db, clock)[tokenID(t, grants[0].RefreshToken)]
	if r.ReasonRevoked != "Signed out: too many sessions" {
		t.Fatalf("oldest session's record %+v", r)
	}
}

func TestSessions_DefaultCapIs50(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	first := MustLogin(t, auth, "test", "test")
	for range 50 {
		clock.Add(time.Millisecond)
		MustLogin(t, auth, "test", "test")
	}
	_, err := auth.Refresh(ctx, first.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
}

// However often it is refreshed, a session ends after its lifetime.
func TestSessions_AbsoluteLifetime(t *testing.T) {
	clock := NewClock()
	start := clock.Now()
	db := MustOpenDBAt(t, t.TempDir(), bolt.Options{SessionLifetime: time.Hour, AccessTTL: 15 * time.Minute}, clock)
	auth := bolt.NewAuthService(db)
	g := MustLogin(t, auth, "test", "test")
	if !g.RefreshExpires.Equal(start.Add(time.Hour)) {
		t.Fatalf("refresh expires %v, want the session's end %v", g.RefreshExpires, start.Add(time.Hour))
	}
	for range 3 {
		clock.Add(15 * time.Minute)
		g = mustRefresh(t, auth, g.RefreshToken)
	}
	clock.Add(10 * time.Minute) // 55 min in
	g = mustRefresh(t, auth, g.RefreshToken)
	if !g.AccessExpires.Equal(start.Add(time.Hour)) {
		t.Fatalf("access expires %v, past the session's end %v", g.AccessExpires, start.Add(time.Hour))
	}
	clock.Add(5 * time.Minute) // 60 min: over
	_, err := auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.ListUsers(ctx, g.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	MustLogin(t, auth, "test", "test") // signing in again works
}

// Every way a session ends also ends its access tokens at once.
func TestSessions_EndingRefusesEarlierAccessTokens(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	stillWorks := func(step string, g *backend.Grant) {
		t.Helper()
		if _, err := auth.ListUsers(ctx, g.AccessToken); err != nil {
			t.Fatalf("%s: an unrelated session's access token: %v", step, err)
		}
	}
	refused := func(step string, g *backend.Grant) {
		t.Helper()
		_, err := auth.GetUser(ctx, g.AccessToken, g.User.ID)
		if backend.ErrorCode(err) != backend.EUNAUTHORIZED {
			t.Fatalf("%s: access token still works (err %v)", step, err)
		}
	}

	// Logout (revoke).
	a, b := MustLogin(t, auth, "bob", "bobs-password"), MustLogin(t, auth, "bob", "bobs-password")
	if err := auth.Revoke(ctx, a.AccessToken, a.RefreshToken); err != nil {
		t.Fatal(err)
	}
	refused("after logout", a)
	stillWorks("after logout", b)

	// Reuse revokes the family.
	old := b.RefreshToken
	b = mustRefresh(t, auth, old)
	clock.Add(bolt.GraceWindow + time.Second)
	if _, err := auth.Refresh(ctx, old); err == nil {
		t.Fatal("reuse accepted")
	}
	refused("after reuse", b)

	// Password change.
	c, d := MustLogin(t, auth, "bob", "bobs-password"), MustLogin(t, auth, "test", "test")
	if err := admin.SetPassword(ctx, "bob", "bobs-new-password"); err != nil {
		t.Fatal(err)
	}
	refused("after a password change", c)
	stillWorks("after bob's password change", d)

	// Removal.
	e := MustLogin(t, auth, "bob", "bobs-new-password")
	if err := admin.RemoveUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	refused("after removal", e)
	stillWorks("after bob's removal", d)
}

// Rotating fast does not grow the store: one record per session.
func TestRecords_BoundedUnderRotation(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	tok := MustLogin(t, auth, "test", "test").RefreshToken
	before := db.RecordCount()
	for range 200 {
		clock.Add(time.Millisecond)
		tok = mustRefresh(t, auth, tok).RefreshToken
	}
	if after := db.RecordCount(); after != before {
		t.Fatalf("records %d -> %d after 200 rotations", before, after)
	}
	// Logins beyond the cap do not grow it without bound either.
	for range 120 {
		clock.Add(time.Millisecond)
		MustLogin(t, auth, "test", "test")
	}
	// 50 active + at most 50 ended sessions, two records each.
	if n := db.RecordCount(); n > 2*2*bolt.DefaultMaxSessions {
		t.Fatalf("%d records after 120 logins", n)
	}
}

func TestRefreshTokenPage(t *testing.T) {
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	var want []string
	for range 4 {
		g := MustLogin(t, auth, "test", "test")
		clock.Add(time.Second)
		r := mustRefresh(t, auth, g.RefreshToken) // each session lists two tokens
		want = append(want, tokenID(t, g.RefreshToken), tokenID(t, r.RefreshToken))
		clock.Add(time.Second)
	}
	admin := adminAccess(t, db, clock)
	for _, limit := range []int{1, 2, 3, 7, 8, 100} {
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("paging does not end")
			}
			page, next, err := auth.RefreshTokenPage(ctx, admin, "1", limit, cursor)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d", limit, len(page))
			}
			for _, r := range page {
				got = append(got, r.Token)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if len(got) != len(want) {
			t.Fatalf("limit %d: %v, want %v", limit, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("limit %d: %v, want %v (oldest first)", limit, got, want)
			}
		}
	}
	for _, tc := range []struct {
		limit  int
		cursor string
	}{{-1, ""}, {bolt.MaxTokenPage + 1, ""}, {10, "not-a-cursor"}} {
		_, _, err := auth.RefreshTokenPage(ctx, admin, "1", tc.limit, tc.cursor)
		if backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("limit %d cursor %q: %v, want EINVALID", tc.limit, tc.cursor, err)
		}
	}
}

func TestUsernames_PRECIS(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	u, err := admin.AddUser(ctx, backend.User{Username: "Ｍａｒｉａ"}, "maria-password") // full-width
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "maria" {
		t.Fatalf("stored username %q, want the PRECIS form maria", u.Username)
	}
	for _, typed := range []string{"maria", "MARIA", "Ｍａｒｉａ", " Maria "} {
		MustLogin(t, auth, typed, "maria-password")
	}
	_, err = admin.AddUser(ctx, backend.User{Username: "MARIA"}, "maria-password")
	assertError(t, err, backend.ECONFLICT, `Username "MARIA" is already taken`)
	_, err = admin.AddUser(ctx, backend.User{Username: "evil\u202egnp.exe"}, "evil-password")
	assertError(t, err, backend.EINVALID, "Username must not contain control or text-direction characters")
	_, err = admin.AddUser(ctx, backend.User{Username: "short"}, "1234567")
	assertError(t, err, backend.EINVALID, "Password must be at least 8 characters")
	err = admin.SetPassword(ctx, "maria", "x")
	assertError(t, err, backend.EINVALID, "Password must be at least 8 characters")
	MustLogin(t, auth, "test", "test") // the demo account keeps its short password
}
