package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type rowAnswer struct {
	ID          json.RawMessage `json:"id"`
	Username    string          `json:"username"`
	FirstName   string          `json:"firstName"`
	LastName    string          `json:"lastName"`
	Role        string          `json:"role"`
	Disabled    *bool           `json:"disabled"`
	LockedUntil string          `json:"lockedUntil"`
}

func rows(t *testing.T, a answer) []rowAnswer {
	t.Helper()
	if a.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", a.StatusCode, a.body)
	}
	var out []rowAnswer
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%v: %s", err, a.body)
	}
	return out
}

func usernames(rs []rowAnswer) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Username)
	}
	return out
}

// The tutorial's GET /users is answered exactly as before when no paging
// parameter is given (unknown ones are ignored), with no paging headers.
func TestUsers_PlainListUnchanged(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.login("test", "test")
	for _, path := range []string{"/users", "/users?foo=bar"} {
		a := e.do(req{method: "GET", path: path, bearer: admin})
		want := `[{"id":1,"firstName":"Test","lastName":"User","username":"test","role":"Admin"},{"id":2,"firstName":"Alice","lastName":"Liddell","username":"alice","role":"User"}]` + "\n"
		if a.StatusCode != 200 || string(a.body) != want {
			t.Fatalf("%s: %d %s", path, a.StatusCode, a.body)
		}
		for _, h := range []string{"X-Total-Count", "X-Next-Cursor", "Link", "X-AuthDesk-Users"} {
			if a.Header.Get(h) != "" {
				t.Fatalf("%s: header %s on the tutorial's answer", path, h)
			}
		}
	}
}

func TestUsers_PagingSearchAndSort(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.login("test", "test")
	for i, n := range []string{"zoe", "bob", "mia", "carl"} {
		a := e.do(req{method: "POST", path: "/users", bearer: admin,
			body: fmt.Sprintf(`{"username":%q,"password":"password-%d","firstName":"F%d","lastName":"Smith"}`, n, i, i)})
		if a.StatusCode != http.StatusCreated || a.Header.Get("Location") == "" {
			t.Fatalf("create %s: %d %s", n, a.StatusCode, a.body)
		}
	}
	path := "/users?limit=2&sort=username"
	var seen []string
	for pages := 0; path != ""; pages++ {
		a := e.do(req{method: "GET", path: path, bearer: admin})
		rs := rows(t, a)
		seen = append(seen, usernames(rs)...)
		if a.Header.Get("X-Total-Count") != "6" || a.Header.Get("X-AuthDesk-Users") != "paging, admin" {
			t.Fatalf("headers %v", a.Header)
		}
		if rs[0].Disabled == nil {
			t.Fatal("an admin's page has no disabled field")
		}
		path = ""
		if link := a.Header.Get("Link"); link != "" {
			path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
			if a.Header.Get("X-Next-Cursor") == "" {
				t.Fatal("Link without X-Next-Cursor")
			}
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
	}
	if want := []string{"alice", "bob", "carl", "mia", "test", "zoe"}; !slices.Equal(seen, want) {
		t.Fatalf("pages gave %v, want %v", seen, want)
	}
	a := e.do(req{method: "GET", path: "/users?search=SMI&sort=username&order=desc", bearer: admin})
	if got := usernames(rows(t, a)); !slices.Equal(got, []string{"zoe", "mia", "carl", "bob"}) || a.Header.Get("X-Total-Count") != "4" {
		t.Fatalf("search gave %v (%s)", got, a.Header.Get("X-Total-Count"))
	}
	// A non-admin's page holds only themself, without admin fields.
	alice, _ := e.login("alice", alicePassword)
	rs := rows(t, e.do(req{method: "GET", path: "/users?limit=10", bearer: alice}))
	if len(rs) != 1 || rs[0].Username != "alice" || rs[0].Disabled != nil {
		t.Fatalf("alice's page %+v", rs)
	}
	for _, c := range []struct{ path, msg string }{
		{"/users?limit=0", "limit must be a whole number from 1 to 1000"},
		{"/users?limit=1001", "limit must be a whole number from 1 to 1000"},
		{"/users?order=up", "order must be asc or desc"},
		{"/users?sort=password", "sort must be one of id, username, firstName, lastName"},
		{"/users?cursor=bogus", "cursor is not one AuthDesk handed out for this query"},
	} {
		expect(t, e.do(req{method: "GET", path: c.path, bearer: admin}), 400, c.msg)
	}
	expect(t, e.do(req{method: "GET", path: "/users?limit=1"}), 401, "Unauthorized")
}

func TestUsers_AdminRoutes(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.login("test", "test")
	a := e.do(req{method: "POST", path: "/users", bearer: admin,
		body: `{"username":"Dana","password":"danas-password","firstName":"Dana","lastName":"Scully","role":"User"}`})
	if a.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", a.StatusCode, a.body)
	}
	var created loginAnswer
	json.Unmarshal(a.body, &created)
	id := string(created.ID)
	if id != "3" || created.Username != "dana" {
		t.Fatalf("created %s", a.body)
	}
	expect(t, e.do(req{method: "POST", path: "/users", bearer: admin,
		body: `{"username":"eve","password":"eves-password"}`}), 400, "First and last name are required")
	expect(t, e.do(req{method: "POST", path: "/users", bearer: admin,
		body: `{"username":"DANA","password":"danas-password","firstName":"D","lastName":"S"}`}), 409, `Username "DANA" is already taken`)

	dana, danaRefresh := e.login("dana", "danas-password")
	// Not an admin: refused, nothing created.
	expect(t, e.do(req{method: "POST", path: "/users", bearer: dana,
		body: `{"username":"mallory","password":"mallorys-pw","firstName":"M","lastName":"M","role":"Admin"}`}), 401, "Only administrators manage accounts")
	expect(t, e.do(req{method: "DELETE", path: "/users/1", bearer: dana}), 401, "Only administrators manage accounts")

	// Edit names and role.
	a = e.do(req{method: "PATCH", path: "/users/" + id, bearer: admin, body: `{"firstName":"Dana K."}`})
	var row rowAnswer
	json.Unmarshal(a.body, &row)
	if a.StatusCode != 200 || row.FirstName != "Dana K." || row.LastName != "Scully" || row.Disabled == nil || *row.Disabled {
		t.Fatalf("patch: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "PATCH", path: "/users/" + id, bearer: admin, body: `{}`}), 400, "Nothing to change: give firstName, lastName, role or disabled")
	expect(t, e.do(req{method: "PATCH", path: "/users/1", bearer: admin, body: `{"role":"User"}`}), 409, "test is the last administrator; make someone else an administrator first")
	expect(t, e.do(req{method: "PATCH", path: "/users/99", bearer: admin, body: `{"firstName":"X"}`}), 404, "User not found")

	// Disable: dana's access token and refresh token stop at once, login says why.
	if a := e.do(req{method: "GET", path: "/users/" + id, bearer: dana}); a.StatusCode != 200 {
		t.Fatalf("dana before: %d", a.StatusCode)
	}
	a = e.do(req{method: "PATCH", path: "/users/" + id, bearer: admin, body: `{"disabled":true}`})
	json.Unmarshal(a.body, &row)
	if a.StatusCode != 200 || !*row.Disabled {
		t.Fatalf("disable: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "GET", path: "/users/" + id, bearer: dana}), 401, "Unauthorized")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: danaRefresh}), 400, "Invalid token")
	expect(t, e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"dana","password":"danas-password"}`}),
		400, "This account is disabled. Ask an administrator to enable it.")
	e.do(req{method: "PATCH", path: "/users/" + id, bearer: admin, body: `{"disabled":false}`})
	e.login("dana", "danas-password")

	// Reset password, unlock.
	expect(t, e.do(req{method: "POST", path: "/users/" + id + "/reset-password", bearer: admin, body: `{"password":"short"}`}), 400, "Password must be at least 8 characters")
	expect(t, e.do(req{method: "POST", path: "/users/" + id + "/reset-password", bearer: admin, body: `{"password":"danas-new-password"}`}), 200, "Password reset")
	e.login("dana", "danas-new-password")
	expect(t, e.do(req{method: "POST", path: "/users/" + id + "/unlock", bearer: admin}), 200, "User unlocked")

	// Remove: never yourself.
	expect(t, e.do(req{method: "DELETE", path: "/users/1", bearer: admin}), 409, "You cannot remove your own account")
	expect(t, e.do(req{method: "DELETE", path: "/users/" + id, bearer: admin}), 200, "User removed")
	expect(t, e.do(req{method: "DELETE", path: "/users/" + id, bearer: admin}), 404, "User not found")

	// Methods.
	a = e.do(req{method: "PUT", path: "/users/2", bearer: admin})
	if a.StatusCode != 405 || a.Header.Get("Allow") != "GET, PATCH, DELETE" {
		t.Fatalf("PUT: %d %q", a.StatusCode, a.Header.Get("Allow"))
	}
	a = e.do(req{method: "GET", path: "/users/2/unlock", bearer: admin})
	if a.StatusCode != 405 || a.Header.Get("Allow") != "POST" {
		t.Fatalf("GET unlock: %d %q", a.StatusCode, a.Header.Get("Allow"))
	}
	// The tutorial's routes are where they were.
	if a := e.do(req{method: "GET", path: "/users/2", bearer: admin}); a.StatusCode != 200 {
		t.Fatalf("GET /users/2: %d", a.StatusCode)
	}
}
