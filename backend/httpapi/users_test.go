package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestRoutes_ErrorsAreJSON(t *testing.T) {
	e := newEnv(t)
	expect(t, e.do(req{method: "GET", path: "/nope"}), 404, "Not found")
	expect(t, e.do(req{method: "GET", path: "/users/"}), 404, "Not found")
	expect(t, e.do(req{method: "GET", path: "/users/1/refresh-tokens/extra"}), 404, "Not found")

	a := e.do(req{method: "GET", path: "/users/authenticate"})
	expect(t, a, 405, "Method not allowed")
	if a.Header.Get("Allow") != "POST" {
		t.Fatalf("Allow %q, want POST", a.Header.Get("Allow"))
	}
	a = e.do(req{method: "PUT", path: "/users/1"})
	expect(t, a, 405, "Method not allowed")
	if a.Header.Get("Allow") != "GET, PATCH, DELETE" { // PATCH, DELETE: users_admin.go
		t.Fatalf("Allow %q, want GET, PATCH, DELETE", a.Header.Get("Allow"))
	}
}

func TestBearerRequired(t *testing.T) {
	e := newEnv(t)
	access, _ := e.login("test", "test")
	forged := access[:len(access)-4] + "AAAA"
	for _, path := range []string{"/users", "/users/1", "/users/1/refresh-tokens"} {
		expect(t, e.do(req{method: "GET", path: path}), 401, "Unauthorized")
		expect(t, e.do(req{method: "GET", path: path, bearer: forged}), 401, "Unauthorized")
		expect(t, e.do(req{method: "GET", path: path, header: map[string]string{"Authorization": "Basic " + access}}), 401, "Unauthorized")
	}
}

type userJSON struct {
	ID       json.Number `json:"id"`
	Username string      `json:"username"`
	Role     string      `json:"role"`
}

func users(t *testing.T, a answer) []userJSON {
	t.Helper()
	if a.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", a.StatusCode, a.body)
	}
	var out []userJSON
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%v: %s", err, a.body)
	}
	return out
}

func TestAdminReadsEverything(t *testing.T) {
	e := newEnv(t)
	_, _ = e.login("alice", alicePassword) // gives alice a token record to list
	access, _ := e.login("test", "test")

	all := users(t, e.do(req{method: "GET", path: "/users", bearer: access}))
	if len(all) != 2 || all[0].Username != "test" || all[1].Username != "alice" || all[1].ID != "2" || all[1].Role != "User" {
		t.Fatalf("users %+v", all)
	}
	a := e.do(req{method: "GET", path: "/users/2", bearer: access})
	if a.StatusCode != 200 || !strings.Contains(string(a.body), `"username":"alice"`) || strings.Contains(string(a.body), "jwtToken") {
		t.Fatalf("GET /users/2: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "GET", path: "/users/99", bearer: access}), 404, "User not found")

	a = e.do(req{method: "GET", path: "/users/2/refresh-tokens", bearer: access})
	var records []map[string]any
	if err := json.Unmarshal(a.body, &records); err != nil || a.StatusCode != 200 || len(records) != 1 {
		t.Fatalf("refresh-tokens: %d %s", a.StatusCode, a.body)
	}
	r := records[0]
	// Served requests record the caller's address, not "desktop".
	if r["createdByIp"] != "127.0.0.1" || r["isActive"] != true || r["isExpired"] != false || r["isRevoked"] != false {
		t.Fatalf("record %v", r)
	}
	if _, ok := r["revoked"]; ok {
		t.Fatalf("an active token has no revoked date: %v", r)
	}
}

func TestNonAdminSeesOnlyThemself(t *testing.T) {
	e := newEnv(t)
	_, adminRefresh := e.login("test", "test")
	access, own := e.login("alice", alicePassword)

	list := users(t, e.do(req{method: "GET", path: "/users", bearer: access}))
	if len(list) != 1 || list[0].Username != "alice" {
		t.Fatalf("alice lists %+v, want only herself", list)
	}
	if a := e.do(req{method: "GET", path: "/users/2", bearer: access}); a.StatusCode != 200 {
		t.Fatalf("alice reading herself: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "GET", path: "/users/1", bearer: access}), 401, "Unauthorized")
	// Someone who does not exist looks the same as someone she may not see.
	expect(t, e.do(req{method: "GET", path: "/users/99", bearer: access}), 401, "Unauthorized")
	expect(t, e.do(req{method: "GET", path: "/users/1/refresh-tokens", bearer: access}), 401, "Unauthorized")
	if a := e.do(req{method: "GET", path: "/users/2/refresh-tokens", bearer: access}); a.StatusCode != 200 {
		t.Fatalf("alice reading her tokens: %d %s", a.StatusCode, a.body)
	}

	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"` + adminRefresh + `"}`}), 401, "Unauthorized")
	if a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: adminRefresh}); a.StatusCode != 200 {
		t.Fatalf("the admin's token was hurt by alice's refused revoke: %d %s", a.StatusCode, a.body)
	}
	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"` + own + `"}`}), 200, "Token revoked")
}
