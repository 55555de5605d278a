package bolt_test

import (
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

func TestAddUser_AssignsIDAndRejectsTakenNames(t *testing.T) {
	db, clock := MustOpenDB(t)
	admin := bolt.NewAdminService(db)
	u, err := admin.AddUser(ctx, backend.User{Username: "Alice", FirstName: "Alice", LastName: "Liddell"}, "password1")
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "2" || u.Role != backend.RoleUser || !u.Created.Equal(clock.Now()) {
		t.Errorf("added %+v; want ID 2, role User, created now", u)
	}
	_, err = admin.AddUser(ctx, backend.User{Username: "alice"}, "password1")
	assertError(t, err, backend.ECONFLICT, `Username "alice" is already taken`)
	MustLogin(t, bolt.NewAuthService(db), "alice", "password1")
}

func TestAddUser_Validates(t *testing.T) {
	db, _ := MustOpenDB(t)
	admin := bolt.NewAdminService(db)
	for _, tc := range []struct {
		u    backend.User
		pass string
	}{
		{backend.User{Username: ""}, "password1"},
		{backend.User{Username: "bob"}, ""},
		{backend.User{Username: strings.Repeat("b", 65)}, "password1"},
		{backend.User{Username: "bob"}, strings.Repeat("p", 1025)},
		{backend.User{Username: " bob"}, "password1"},
		{backend.User{Username: "bo\nb"}, "password1"},
		{backend.User{Username: "bob", Role: "Root"}, "password1"},
		{backend.User{Username: "bob", FirstName: strings.Repeat("x", 200)}, "password1"},
	} {
		if _, err := admin.AddUser(ctx, tc.u, tc.pass); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("AddUser(%+v) err = %v, want EINVALID", tc.u, err)
		}
	}
	if users, _ := admin.Users(ctx); len(users) != 1 {
		t.Fatalf("invalid users were stored: %+v", users)
	}
}

func TestSetPassword_ChangesLoginAndEndsSessions(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	g := MustLogin(t, auth, "test", "test")
	if err := admin.SetPassword(ctx, "TEST", "n3w-password"); err != nil {
		t.Fatal(err)
	}
	_, err := auth.Authenticate(ctx, "test", "test")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	_, err = auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	MustLogin(t, auth, "test", "n3w-password")

	err = admin.SetPassword(ctx, "nobody", "whatever-password")
	assertError(t, err, backend.ENOTFOUND, `User "nobody" not found`)
}

func TestRemoveUser_RemovesTokensAndFreesName(t *testing.T) {
	db, _ := MustOpenDB(t)
	auth, admin := bolt.NewAuthService(db), bolt.NewAdminService(db)
	MustAddUser(t, db, "bob", backend.RoleUser, "password1")
	g := MustLogin(t, auth, "bob", "password1")
	if err := admin.RemoveUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	_, err := auth.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	_, err = auth.Authenticate(ctx, "bob", "password1")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)

	err = admin.RemoveUser(ctx, "bob")
	assertError(t, err, backend.ENOTFOUND, `User "bob" not found`)
	if u := MustAddUser(t, db, "bob", backend.RoleUser, "password2"); u.ID == g.User.ID {
		t.Error("a removed user's ID was reused")
	}
}
