package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAuthenticate_AnswersLikeTheContract(t *testing.T) {
	e := newEnv(t)
	before := time.Now()
	a := e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"test","password":"test"}`})
	if a.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", a.StatusCode, a.body)
	}
	var got map[string]any
	dec := json.NewDecoder(strings.NewReader(string(a.body)))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	// The id is a JSON number, as in the tutorial's example body.
	if got["id"] != json.Number("1") || got["firstName"] != "Test" || got["lastName"] != "User" ||
		got["username"] != "test" || got["role"] != "Admin" || got["jwtToken"] == "" {
		t.Fatalf("body %s", a.body)
	}
	if _, leaked := got["refreshToken"]; leaked {
		t.Fatal("the refresh token must travel only in the cookie")
	}

	c := a.cookie()
	if c == nil {
		t.Fatalf("no refreshToken cookie in %q", a.Header.Values("Set-Cookie"))
	}
	if !c.HttpOnly || c.Path != "/" || c.SameSite != http.SameSiteLaxMode || c.Secure {
		t.Fatalf("cookie attributes: %q", a.Header.Get("Set-Cookie"))
	}
	week := 7 * 24 * time.Hour
	if c.Expires.Before(before.Add(week-time.Hour)) || c.Expires.After(time.Now().Add(week+time.Hour)) {
		t.Fatalf("cookie expires %v, want about 7 days from now", c.Expires)
	}
}

func TestCookieIsSecureUnderTLS(t *testing.T) {
	e := newTLSEnv(t)
	a := e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"test","password":"test"}`})
	if c := a.cookie(); a.StatusCode != http.StatusOK || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("status %d, Set-Cookie %q", a.StatusCode, a.Header.Get("Set-Cookie"))
	}
}

func TestAuthenticate_Refusals(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name        string
		body, ctype string
		status      int
		msg         string
	}{
		{"wrong password", `{"username":"test","password":"nope"}`, "", 400, "Username or password is incorrect"},
		{"unknown user", `{"username":"nobody","password":"test"}`, "", 400, "Username or password is incorrect"},
		{"missing fields", `{}`, "", 400, "Username and password are required"},
		{"missing password", `{"username":"test"}`, "", 400, "Password is required"},
		{"no body", ``, "", 400, "Username and password are required"},
		{"broken JSON", `{"username":`, "", 400, "Request body is not valid JSON"},
		{"not an object", `["test","test"]`, "", 400, "Request body must be a JSON object"},
		{"wrong field type", `{"username":5,"password":"x"}`, "", 400, "username must be a string"},
		{"form post", `username=test&password=test`, "application/x-www-form-urlencoded", 415, "Content-Type must be application/json"},
		{"too large", `{"username":"` + strings.Repeat("a", 1<<20) + `","password":"x"}`, "", 413, "Request body is too large (limit 1 MiB)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := e.do(req{method: "POST", path: "/users/authenticate", body: tc.body, contentType: tc.ctype})
			expect(t, a, tc.status, tc.msg)
			if a.cookie() != nil {
				t.Fatal("a refused login set a cookie")
			}
		})
	}
}

func TestRefresh_RotatesAndDetectsReuse(t *testing.T) {
	e := newEnv(t)
	_, first := e.login("test", "test")

	a := e.do(req{method: "POST", path: "/users/refresh-token", body: `{}`, cookie: first})
	if a.StatusCode != http.StatusOK || a.cookie() == nil {
		t.Fatalf("refresh: %d %s", a.StatusCode, a.body)
	}
	second := a.cookie().Value
	if second == first {
		t.Fatal("refresh did not rotate the token")
	}
	var l loginAnswer
	if err := json.Unmarshal(a.body, &l); err != nil || l.Username != "test" || l.JWTToken == "" {
		t.Fatalf("refresh body %s", a.body)
	}

	// The used token presented again, after the grace window for a client
	// that lost the answer: refused, and the family is revoked, so the token
	// it was replaced by is dead too.
	e.clock.Add(time.Minute)
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: first}), 400, "Invalid token")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: second}), 400, "Invalid token")
}

func TestRefresh_ReadsOnlyTheCookie(t *testing.T) {
	e := newEnv(t)
	_, refresh := e.login("test", "test")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", body: `{"token":"` + refresh + `"}`}), 400, "Invalid token")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: "garbage"}), 400, "Invalid token")
}

func TestRevoke(t *testing.T) {
	e := newEnv(t)
	access, refresh := e.login("test", "test")

	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", body: `{"token":"` + refresh + `"}`}), 401, "Unauthorized")
	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{}`}), 400, "Token is required")
	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"x"}`, contentType: "text/plain"}),
		415, "Content-Type must be application/json")

	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"` + refresh + `"}`}), 200, "Token revoked")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: refresh}), 400, "Invalid token")
	// Revoking ended the session, and with it the access token that asked.
	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access, body: `{"token":"` + refresh + `"}`}), 401, "Unauthorized")
	expect(t, e.do(req{method: "GET", path: "/users", bearer: access}), 401, "Unauthorized")

	// Without a body the cookie names the token.
	access2, refresh2 := e.login("test", "test")
	expect(t, e.do(req{method: "POST", path: "/users/revoke-token", bearer: access2, cookie: refresh2}), 200, "Token revoked")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: refresh2}), 400, "Invalid token")
}
