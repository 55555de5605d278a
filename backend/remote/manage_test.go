package remote_test

import (
	"slices"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/remote"
)

func pageNames(p *backend.UserPage) []string {
	var out []string
	for _, u := range p.Users {
		out = append(out, u.Username)
	}
	return out
}

// Against `authdesk serve`: the server pages, and accounts are managed
// through its routes.
func TestAccountsAgainstServe(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL)
	admin := mustLogin(t, c, "test", "test").AccessToken
	f, err := c.UserFeatures(ctx, admin)
	if err != nil || !f.Paging || !f.Admin {
		t.Fatalf("features %+v %v", f, err)
	}
	u, err := c.CreateUser(ctx, admin, backend.NewUser{Username: "bob", FirstName: "Bob", LastName: "Builder", Password: "bobs-password"})
	if err != nil || u.ID != "3" {
		t.Fatalf("create %+v %v", u, err)
	}
	_, err = c.CreateUser(ctx, admin, backend.NewUser{Username: "bob", FirstName: "B", LastName: "B", Password: "bobs-password"})
	assertError(t, err, backend.ECONFLICT, `Username "bob" is already taken`)
	_, err = c.CreateUser(ctx, admin, backend.NewUser{Username: "eve", Password: "eves-password"})
	assertError(t, err, backend.EINVALID, "First and last name are required")

	var seen []string
	q := backend.UserQuery{Sort: backend.SortByUsername, Limit: 2}
	for {
		p, err := c.PageUsers(ctx, admin, q)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 3 {
			t.Fatalf("total %d", p.Total)
		}
		seen = append(seen, pageNames(p)...)
		if q.Cursor = p.Next; q.Cursor == "" {
			break
		}
	}
	if !slices.Equal(seen, []string{"alice", "bob", "test"}) {
		t.Fatalf("pages %v", seen)
	}
	p, err := c.PageUsers(ctx, admin, backend.UserQuery{Search: "BUILD"})
	if err != nil || !slices.Equal(pageNames(p), []string{"bob"}) {
		t.Fatalf("search %v %v", pageNames(p), err)
	}

	bob := mustLogin(t, c, "bob", "bobs-password")
	disabled := true
	e, err := c.UpdateUser(ctx, admin, u.ID, backend.UserChanges{Disabled: &disabled})
	if err != nil || !e.Disabled {
		t.Fatalf("disable %+v %v", e, err)
	}
	_, err = c.Refresh(ctx, bob.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED)
	_, err = c.Authenticate(ctx, "bob", "bobs-password")
	assertError(t, err, backend.EUNAUTHORIZED, "This account is disabled")
	p, _ = c.PageUsers(ctx, admin, backend.UserQuery{Search: "bob"})
	if !p.Users[0].Disabled {
		t.Fatal("the page does not show bob disabled")
	}
	assertError(t, c.ResetPassword(ctx, admin, u.ID, "short"), backend.EINVALID, "at least 8")
	if err := c.ResetPassword(ctx, admin, u.ID, "bobs-new-password"); err != nil {
		t.Fatal(err)
	}
	if err := c.UnlockUser(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	assertError(t, c.RemoveUser(ctx, admin, "1"), backend.ECONFLICT, "You cannot remove your own account")
	if err := c.RemoveUser(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	assertError(t, c.RemoveUser(ctx, admin, u.ID), backend.ENOTFOUND, "User not found")
	alice := mustLogin(t, c, "alice", alicePassword).AccessToken
	assertError(t, c.RemoveUser(ctx, alice, "1"), backend.EUNAUTHORIZED, "Only administrators")
}

// Against the tutorial's own APIs: no paging, no account management, and
// the list still pages (here) without breaking anything.
func TestAccountsAgainstTheTutorialAPI(t *testing.T) {
	for name, q := range map[string]fakeQuirks{"aspnet": aspnetQuirks(), "node": nodeQuirks()} {
		t.Run(name, func(t *testing.T) {
			f := newTutorialFake(t, q)
			c := remote.NewClient(f.srv.URL)
			tok := mustLogin(t, c, "test", "test").AccessToken
			feat, err := c.UserFeatures(ctx, tok)
			if err != nil || feat.Paging || feat.Admin {
				t.Fatalf("features %+v %v", feat, err)
			}
			all, err := c.ListUsers(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.PageUsers(ctx, tok, backend.UserQuery{Limit: 1})
			if err != nil || len(p.Users) != 1 || p.Total != len(all) || (len(all) > 1) != (p.Next != "") {
				t.Fatalf("page %+v %v (all %d)", p, err, len(all))
			}
			_, err = c.CreateUser(ctx, tok, backend.NewUser{Username: "x", FirstName: "X", LastName: "Y", Password: "password1"})
			assertError(t, err, backend.ENOTFOUND, "does not manage accounts")
		})
	}
}
