package bolt_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

func ptr[T any](v T) *T { return &v }

// adminSetup opens a store whose only admin is the demo account, signed in.
func adminSetup(t *testing.T) (*bolt.DB, *Clock, *bolt.AuthService, string) {
	t.Helper()
	db, clock := MustOpenDB(t)
	auth := bolt.NewAuthService(db)
	return db, clock, auth, MustLogin(t, auth, "test", "test").AccessToken
}

func TestCreateUser_WhoThenLogsIn(t *testing.T) {
	ctx := context.Background()
	_, _, auth, admin := adminSetup(t)
	u, err := auth.CreateUser(ctx, admin, backend.NewUser{Username: "Carol", FirstName: "Carol", LastName: "Jones", Password: "carols-password"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "carol" || u.Role != backend.RoleUser || u.FirstName != "Carol" {
		t.Fatalf("created %+v", u)
	}
	g := MustLogin(t, auth, "carol", "carols-password")
	if g.User.ID != u.ID {
		t.Fatalf("login as %s, created %s", g.User.ID, u.ID)
	}
	_, err = auth.CreateUser(ctx, admin, backend.NewUser{Username: "CAROL", FirstName: "C", LastName: "J", Password: "password1"})
	assertError(t, err, backend.ECONFLICT, `Username "CAROL" is already taken`)
}

func TestCreateUser_RefusesBadInput(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	for _, c := range []struct {
		nu   backend.NewUser
		code string
		msg  string
	}{
		{backend.NewUser{Username: "dan", LastName: "Smith", Password: "password1"}, backend.EINVALID, "First and last name are required"},
		{backend.NewUser{Username: "dan", FirstName: "Dan", LastName: "  ", Password: "password1"}, backend.EINVALID, "First and last name are required"},
		{backend.NewUser{Username: "dan", FirstName: "Dan", LastName: "Smith", Password: "short"}, backend.EINVALID, "Password must be at least 8 characters"},
		{backend.NewUser{Username: "", FirstName: "Dan", LastName: "Smith", Password: "password1"}, backend.EINVALID, "Username is required"},
		{backend.NewUser{Username: "dan", FirstName: "Dan", LastName: "Smith", Role: "Boss", Password: "password1"}, backend.EINVALID, `Role must be "Admin" or "User"`},
		{backend.NewUser{Username: "dan", FirstName: strings.Repeat("x", 129), LastName: "Smith", Password: "password1"}, backend.EINVALID, "First and last name must be at most 128 bytes"},
	} {
		_, err := auth.CreateUser(ctx, admin, c.nu)
		assertError(t, err, c.code, c.msg)
	}
	users, _ := bolt.NewAdminService(db).Users(ctx)
	if len(users) != 1 {
		t.Fatalf("refused creates left %d users, want 1", len(users))
	}
}

func TestAccountAdmin_NonAdminsRefused(t *testing.T) {
	ctx := context.Background()
	db, _, auth, _ := adminSetup(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	MustAddUser(t, db, "eve", backend.RoleUser, "eves-password")
	tok := MustLogin(t, auth, "bob", "bobs-password").AccessToken
	const msg = "Only administrators manage accounts"
	_, err := auth.CreateUser(ctx, tok, backend.NewUser{Username: "x", FirstName: "X", LastName: "Y", Password: "password1"})
	assertError(t, err, backend.EUNAUTHORIZED, msg)
	_, err = auth.UpdateUser(ctx, tok, bob.ID, backend.UserChanges{Role: ptr(backend.RoleAdmin)})
	assertError(t, err, backend.EUNAUTHORIZED, msg)
	assertError(t, auth.ResetPassword(ctx, tok, "1", "new-password"), backend.EUNAUTHORIZED, msg)
	assertError(t, auth.UnlockUser(ctx, tok, "1"), backend.EUNAUTHORIZED, msg)
	assertError(t, auth.RemoveUser(ctx, tok, "3"), backend.EUNAUTHORIZED, msg)
	// Nothing changed: bob is still a User, the demo password still works.
	if g := MustLogin(t, auth, "bob", "bobs-password"); g.User.Role != backend.RoleUser {
		t.Fatalf("bob's role = %s", g.User.Role)
	}
	MustLogin(t, auth, "test", "test")
	MustLogin(t, auth, "eve", "eves-password")
	_, err = auth.CreateUser(ctx, "not-a-token", backend.NewUser{})
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
}

func TestUpdateUser_NamesAndRole(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	e, err := auth.UpdateUser(ctx, admin, bob.ID, backend.UserChanges{FirstName: ptr("Robert"), Role: ptr(backend.RoleAdmin)})
	if err != nil {
		t.Fatal(err)
	}
	if e.FirstName != "Robert" || e.LastName != "Last" || e.Role != backend.RoleAdmin {
		t.Fatalf("updated %+v", e)
	}
	// Bob's next request sees the new role: he may list everyone.
	users, err := auth.ListUsers(ctx, MustLogin(t, auth, "bob", "bobs-password").AccessToken)
	if err != nil || len(users) != 2 {
		t.Fatalf("bob as admin lists %d users (%v)", len(users), err)
	}
	_, err = auth.UpdateUser(ctx, admin, bob.ID, backend.UserChanges{LastName: ptr("")})
	assertError(t, err, backend.EINVALID, "First and last name are required")
	_, err = auth.UpdateUser(ctx, admin, "99", backend.UserChanges{FirstName: ptr("X")})
	assertError(t, err, backend.ENOTFOUND, backend.MsgUserNotFound)
	_, err = auth.UpdateUser(ctx, admin, "007", backend.UserChanges{FirstName: ptr("X")})
	assertError(t, err, backend.ENOTFOUND, backend.MsgUserNotFound)
}

func TestLastAdmin_NeverDemotedDisabledOrRemoved(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	const demo = "1"
	_, err := auth.UpdateUser(ctx, admin, demo, backend.UserChanges{Role: ptr(backend.RoleUser)})
	assertError(t, err, backend.ECONFLICT, "test is the last administrator; make someone else an administrator first")

	// A second admin, then disabled: still only one enabled admin.
	ann := MustAddUser(t, db, "ann", backend.RoleAdmin, "anns-password")
	annTok := MustLogin(t, auth, "ann", "anns-password").AccessToken
	if _, err := auth.UpdateUser(ctx, admin, ann.ID, backend.UserChanges{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = auth.UpdateUser(ctx, admin, demo, backend.UserChanges{Role: ptr(backend.RoleUser)})
	assertError(t, err, backend.ECONFLICT, "test is the last administrator; make someone else an administrator first")

	// Enabled again, ann may demote test, and then test (a User) can do nothing.
	if _, err := auth.UpdateUser(ctx, admin, ann.ID, backend.UserChanges{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	annTok = MustLogin(t, auth, "ann", "anns-password").AccessToken
	if _, err := auth.UpdateUser(ctx, annTok, demo, backend.UserChanges{Role: ptr(backend.RoleUser)}); err != nil {
		t.Fatal(err)
	}
	// Now ann is the last admin: she cannot demote or disable herself.
	_, err = auth.UpdateUser(ctx, annTok, ann.ID, backend.UserChanges{Role: ptr(backend.RoleUser)})
	assertError(t, err, backend.ECONFLICT, "ann is the last administrator; make someone else an administrator first")
	_, err = auth.UpdateUser(ctx, annTok, ann.ID, backend.UserChanges{Disabled: ptr(true)})
	assertError(t, err, backend.ECONFLICT, "You cannot disable your own account")
	// The demoted admin's token no longer manages accounts.
	assertError(t, auth.RemoveUser(ctx, admin, ann.ID), backend.EUNAUTHORIZED, "Only administrators manage accounts")
}

func TestRemoveUser_NeverYourself(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	assertError(t, auth.RemoveUser(ctx, admin, "1"), backend.ECONFLICT, "You cannot remove your own account")
	ann := MustAddUser(t, db, "ann", backend.RoleAdmin, "anns-password")
	// ann may remove test (ann stays), but not herself.
	annTok := MustLogin(t, auth, "ann", "anns-password").AccessToken
	assertError(t, auth.RemoveUser(ctx, annTok, ann.ID), backend.ECONFLICT, "You cannot remove your own account")
	if err := auth.RemoveUser(ctx, annTok, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Authenticate(ctx, "test", "test"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("removed user logs in: %v", err)
	}
	// test's access token died with the account.
	_, err := auth.ListUsers(ctx, admin)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	assertError(t, auth.RemoveUser(ctx, annTok, "1"), backend.ENOTFOUND, backend.MsgUserNotFound)
}

func TestDisable_EndsSessionsAtOnceAndRefusesLogin(t *testing.T) {
	ctx := context.Background()
	db, clock, auth, admin := adminSetup(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	g := MustLogin(t, auth, "bob", "bobs-password")
	if _, err := auth.ListUsers(ctx, g.AccessToken); err != nil {
		t.Fatal(err)
	}
	e, err := auth.UpdateUser(ctx, admin, bob.ID, backend.UserChanges{Disabled: ptr(true)})
	if err != nil || !e.Disabled {
		t.Fatalf("disable: %+v %v", e, err)
	}
	// Mid-session: the access token (well before its expiry) and the refresh token stop.
	_, err = auth.ListUsers(ctx, g.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
	_, err = auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.Authenticate(ctx, "bob", "bobs-password")
	assertError(t, err, backend.EUNAUTHORIZED, "This account is disabled. Ask an administrator to enable it.")
	// A wrong password still says only that.
	_, err = auth.Authenticate(ctx, "bob", "wrong-password")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	// The session record says why it ended.
	recs, err := auth.RefreshTokens(ctx, admin, bob.ID)
	if err != nil || len(recs) == 0 || recs[len(recs)-1].ReasonRevoked != "Account disabled" {
		t.Fatalf("records %+v %v", recs, err)
	}

	// Survives a reopen, and enabling lets bob in again.
	clock.Add(time.Minute)
	if _, err := auth.UpdateUser(ctx, admin, bob.ID, backend.UserChanges{Disabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	g2 := MustLogin(t, auth, "bob", "bobs-password")
	if _, err := auth.Refresh(ctx, g2.RefreshToken); err != nil {
		t.Fatal(err)
	}
}

func TestDisable_SurvivesReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	clock := NewClock()
	db := bolt.NewDB(dir, bolt.Options{})
	db.UseCheapHashing()
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	auth := bolt.NewAuthService(db)
	admin := MustLogin(t, auth, "test", "test").AccessToken
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	if _, err := auth.UpdateUser(ctx, admin, bob.ID, backend.UserChanges{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2 := MustOpenDBAt(t, dir, bolt.Options{}, clock)
	_, err := bolt.NewAuthService(db2).Authenticate(ctx, "bob", "bobs-password")
	assertError(t, err, backend.EUNAUTHORIZED, "This account is disabled. Ask an administrator to enable it.")
}

func TestResetPasswordAndUnlock(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	bob := MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	g := MustLogin(t, auth, "bob", "bobs-password")
	assertError(t, auth.ResetPassword(ctx, admin, bob.ID, "short"), backend.EINVALID, "Password must be at least 8 characters")
	assertError(t, auth.ResetPassword(ctx, admin, "1", "new-password"), backend.ECONFLICT, "Change your own password on your account page")
	if err := auth.ResetPassword(ctx, admin, bob.ID, "bobs-new-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.Refresh(ctx, g.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("old session refreshes after a reset: %v", err)
	}
	if _, err := auth.Authenticate(ctx, "bob", "bobs-password"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("old password works: %v", err)
	}
	MustLogin(t, auth, "bob", "bobs-new-password")

	// Throttle bob, see it in the admin's page, unlock.
	for range bolt.ThrottleFreeFailures {
		auth.Authenticate(ctx, "bob", "wrong-password")
	}
	if _, err := auth.Authenticate(ctx, "bob", "bobs-new-password"); backend.ErrorCode(err) != backend.ETOOMANY {
		t.Fatalf("bob not throttled: %v", err)
	}
	page, err := auth.PageUsers(ctx, admin, backend.UserQuery{Search: "bob"})
	if err != nil || len(page.Users) != 1 || page.Users[0].LockedUntil.IsZero() {
		t.Fatalf("page %+v %v", page, err)
	}
	if err := auth.UnlockUser(ctx, admin, bob.ID); err != nil {
		t.Fatal(err)
	}
	MustLogin(t, auth, "bob", "bobs-new-password")
	page, _ = auth.PageUsers(ctx, admin, backend.UserQuery{Search: "bob"})
	if !page.Users[0].LockedUntil.IsZero() {
		t.Fatal("still locked after unlock")
	}
}

// names of a page's users.
func names(p *backend.UserPage) []string {
	var out []string
	for _, u := range p.Users {
		out = append(out, u.Username)
	}
	return out
}

// allPages follows Next to the end and returns the usernames.
func allPages(t *testing.T, auth *bolt.AuthService, tok string, q backend.UserQuery) []string {
	t.Helper()
	var out []string
	for {
		p, err := auth.PageUsers(context.Background(), tok, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, names(p)...)
		if p.Next == "" {
			return out
		}
		q.Cursor = p.Next
	}
}

func TestPageUsers_SearchAndSort(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	admins := bolt.NewAdminService(db)
	for _, u := range []backend.User{
		{Username: "zed", FirstName: "Anna", LastName: "Zimmer"},
		{Username: "amy", FirstName: "Zoë", LastName: "Müller"},
		{Username: "mike", FirstName: "Michael", LastName: "ANDERSEN"},
	} {
		if _, err := admins.AddUser(ctx, u, "password1"); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		q    backend.UserQuery
		want []string
	}{
		{backend.UserQuery{}, []string{"test", "zed", "amy", "mike"}},
		{backend.UserQuery{Desc: true}, []string{"mike", "amy", "zed", "test"}},
		{backend.UserQuery{Sort: backend.SortByUsername}, []string{"amy", "mike", "test", "zed"}},
		{backend.UserQuery{Sort: backend.SortByUsername, Desc: true}, []string{"zed", "test", "mike", "amy"}},
		{backend.UserQuery{Sort: backend.SortByFirstName}, []string{"zed", "mike", "test", "amy"}},
		{backend.UserQuery{Sort: backend.SortByLastName, Desc: true}, []string{"zed", "test", "amy", "mike"}},
		{backend.UserQuery{Search: "AND"}, []string{"mike"}},                                                    // last name, any case
		{backend.UserQuery{Search: "müll"}, []string{"amy"}},                                                    // non-ASCII, any case
		{backend.UserQuery{Search: "MÜLL"}, []string{"amy"}},                                                    //
		{backend.UserQuery{Search: "anna z"}, []string{"zed"}},                                                  // full name
		{backend.UserQuery{Search: "ER", Sort: backend.SortByUsername}, []string{"amy", "mike", "test", "zed"}}, // Müller, ANDERSEN, User, Zimmer
		{backend.UserQuery{Search: "zE"}, []string{"zed"}},                                                      // username
		{backend.UserQuery{Search: "nobody"}, nil},
	} {
		got := allPages(t, auth, admin, backend.UserQuery{Search: c.q.Search, Sort: c.q.Sort, Desc: c.q.Desc, Limit: 1})
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %v, want %v", c.q, got, c.want)
		}
		p, err := auth.PageUsers(ctx, admin, c.q)
		if err != nil || p.Total != len(c.want) {
			t.Errorf("%+v: total %d (%v), want %d", c.q, p.Total, err, len(c.want))
		}
	}
}

func TestPageUsers_CursorStableUnderInsertsAndRemovals(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	admins := bolt.NewAdminService(db)
	add := func(name string) {
		if _, err := admins.AddUser(ctx, backend.User{Username: name, FirstName: "F", LastName: "L"}, "password1"); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20 {
		add(fmt.Sprintf("u%02d", i*2)) // u00, u02, ... u38
	}
	q := backend.UserQuery{Sort: backend.SortByUsername, Limit: 5}
	p1, err := auth.PageUsers(ctx, admin, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(p1); !slices.Equal(got, []string{"test", "u00", "u02", "u04", "u06"}) {
		t.Fatalf("first page %v", got)
	}
	// Insert names before and after the cursor, and remove one ahead of it.
	add("a-first") // before: never shows up on later pages
	add("u07")     // after: shows up
	if err := admins.RemoveUser(ctx, "u10"); err != nil {
		t.Fatal(err)
	}
	seen := names(p1)
	q.Cursor = p1.Next
	for q.Cursor != "" {
		p, err := auth.PageUsers(ctx, admin, q)
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, names(p)...)
		q.Cursor = p.Next
	}
	want := []string{"test"}
	for i := range 20 {
		if i == 5 {
			continue // u10 removed
		}
		want = append(want, fmt.Sprintf("u%02d", i*2))
		if i == 3 {
			want = append(want, "u07")
		}
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("pages gave\n%v\nwant\n%v", seen, want)
	}
}

func TestPageUsers_Refusals(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	MustAddUser(t, db, "bob", backend.RoleUser, "bobs-password")
	p, err := auth.PageUsers(ctx, admin, backend.UserQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The cursor belongs to its query.
	_, err = auth.PageUsers(ctx, admin, backend.UserQuery{Limit: 1, Sort: backend.SortByUsername, Cursor: p.Next})
	assertError(t, err, backend.EINVALID, "cursor is not one AuthDesk handed out for this query")
	_, err = auth.PageUsers(ctx, admin, backend.UserQuery{Cursor: "!!"})
	assertError(t, err, backend.EINVALID, "cursor is not one AuthDesk handed out for this query")
	_, err = auth.PageUsers(ctx, admin, backend.UserQuery{Limit: backend.MaxUserPage + 1})
	assertError(t, err, backend.EINVALID, "limit must be between 1 and 1000")
	_, err = auth.PageUsers(ctx, admin, backend.UserQuery{Sort: "password"})
	assertError(t, err, backend.EINVALID, "sort must be one of id, username, firstName, lastName")
	_, err = auth.PageUsers(ctx, admin, backend.UserQuery{Search: strings.Repeat("a", backend.MaxSearchBytes+1)})
	assertError(t, err, backend.EINVALID, "search must be at most 128 bytes")
	// A non-admin pages through only themself, without admin state.
	tok := MustLogin(t, auth, "bob", "bobs-password").AccessToken
	p, err = auth.PageUsers(ctx, tok, backend.UserQuery{})
	if err != nil || !slices.Equal(names(p), []string{"bob"}) || p.Total != 1 {
		t.Fatalf("bob's page %+v %v", p, err)
	}
	p, _ = auth.PageUsers(ctx, tok, backend.UserQuery{Search: "test"})
	if len(p.Users) != 0 {
		t.Fatalf("bob's search found %v", names(p))
	}
}

// In ID order (read straight from the store), new users come after the
// cursor going up and never show up on later pages going down.
func TestPageUsers_IDOrderCursorsUnderInserts(t *testing.T) {
	ctx := context.Background()
	db, _, auth, admin := adminSetup(t)
	admins := bolt.NewAdminService(db)
	add := func(name string) {
		if _, err := admins.AddUser(ctx, backend.User{Username: name, FirstName: "F", LastName: "L"}, "password1"); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"b", "c", "d", "e"} {
		add(n)
	}
	for _, desc := range []bool{false, true} {
		q := backend.UserQuery{Limit: 2, Desc: desc}
		p, err := auth.PageUsers(ctx, admin, q)
		if err != nil {
			t.Fatal(err)
		}
		seen := names(p)
		add(fmt.Sprintf("new-%v", desc))
		for q.Cursor = p.Next; q.Cursor != ""; q.Cursor = p.Next {
			if p, err = auth.PageUsers(ctx, admin, q); err != nil {
				t.Fatal(err)
			}
			seen = append(seen, names(p)...)
		}
		want := []string{"test", "b", "c", "d", "e", "new-false"}
		if desc {
			want = []string{"new-false", "e", "d", "c", "b", "test"}
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("desc=%v: %v, want %v", desc, seen, want)
		}
		// Total counts everyone now: the desc run's own insert too.
		if wantTotal := map[bool]int{false: 6, true: 7}[desc]; p.Total != wantTotal {
			t.Fatalf("desc=%v: total %d, want %d", desc, p.Total, wantTotal)
		}
	}
}
