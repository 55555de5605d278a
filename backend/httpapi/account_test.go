package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/httpapi"
)

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"

// loginAs logs alice in with a User-Agent.
func (e *env) loginAs(ua string) (access, refresh string) {
	e.t.Helper()
	a := e.do(req{method: "POST", path: "/users/authenticate", header: map[string]string{"User-Agent": ua},
		body: `{"username":"alice","password":"` + alicePassword + `"}`})
	if a.StatusCode != http.StatusOK {
		e.t.Fatalf("login: %d %s", a.StatusCode, a.body)
	}
	var l loginAnswer
	if err := json.Unmarshal(a.body, &l); err != nil {
		e.t.Fatal(err)
	}
	return l.JWTToken, a.cookie().Value
}

type sessionJSON struct {
	ID            string    `json:"id"`
	Client        string    `json:"client"`
	UserAgent     string    `json:"userAgent"`
	Started       time.Time `json:"started"`
	LastRefreshed time.Time `json:"lastRefreshed"`
	Expires       time.Time `json:"expires"`
	Current       bool      `json:"current"`
}

func (e *env) sessions(access string) []sessionJSON {
	e.t.Helper()
	a := e.do(req{method: "GET", path: "/users/me/sessions", bearer: access})
	if a.StatusCode != http.StatusOK {
		e.t.Fatalf("sessions: %d %s", a.StatusCode, a.body)
	}
	var out []sessionJSON
	if err := json.Unmarshal(a.body, &out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func changeBody(current, next string) string {
	b, _ := json.Marshal(map[string]string{"currentPassword": current, "newPassword": next})
	return string(b)
}

func TestAccount_ChangePasswordEndsTheOtherSession(t *testing.T) {
	e := newEnv(t)
	here, hereCookie := e.loginAs("AuthDesk")
	there, thereCookie := e.loginAs(firefox)
	a := e.do(req{method: "POST", path: "/users/me/password", bearer: here, body: changeBody(alicePassword, "a-brand-new-one")})
	expect(t, a, http.StatusOK, "Password changed")

	expect(t, e.do(req{method: "GET", path: "/users", bearer: there}), http.StatusUnauthorized, "Unauthorized")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: thereCookie}), http.StatusBadRequest, "Invalid token")
	if a := e.do(req{method: "GET", path: "/users", bearer: here}); a.StatusCode != http.StatusOK {
		t.Fatalf("this session: %d %s", a.StatusCode, a.body)
	}
	if a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: hereCookie}); a.StatusCode != http.StatusOK {
		t.Fatalf("this session's refresh: %d %s", a.StatusCode, a.body)
	}
	e.login("alice", "a-brand-new-one")
	expect(t, e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"` + alicePassword + `"}`}),
		http.StatusBadRequest, backend.MsgBadCredentials)
}

func TestAccount_ChangePasswordRefusals(t *testing.T) {
	e := newEnv(t)
	here, _ := e.login("alice", alicePassword)
	path := "/users/me/password"
	expect(t, e.do(req{method: "POST", path: path, body: changeBody(alicePassword, "new-password")}), http.StatusUnauthorized, "Unauthorized")
	expect(t, e.do(req{method: "POST", path: path, bearer: here, body: changeBody(alicePassword, "short")}),
		http.StatusBadRequest, "Password must be at least 8 characters")
	expect(t, e.do(req{method: "POST", path: path, bearer: here, body: changeBody("", "new-password")}),
		http.StatusBadRequest, backend.MsgCurrentPasswordRequired)
	expect(t, e.do(req{method: "POST", path: path, bearer: here, body: `{"newPassword":1}`}),
		http.StatusBadRequest, "newPassword must be a string")
	expect(t, e.do(req{method: "POST", path: path, bearer: here, body: "x", contentType: "text/plain"}),
		http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	expect(t, e.do(req{method: "GET", path: path, bearer: here}), http.StatusMethodNotAllowed, "Method not allowed")

	// Wrong current passwords: 400 (not 401, which means a refused token),
	// and after five the account waits, with Retry-After.
	for range 5 {
		expect(t, e.do(req{method: "POST", path: path, bearer: here, body: changeBody("wrong-password", "new-password")}),
			http.StatusBadRequest, backend.MsgWrongCurrentPassword)
	}
	a := e.do(req{method: "POST", path: path, bearer: here, body: changeBody(alicePassword, "new-password")})
	expect(t, a, http.StatusTooManyRequests, "Too many attempts, try again in 2 s")
	if a.Header.Get("Retry-After") != "2" {
		t.Fatalf("Retry-After %q", a.Header.Get("Retry-After"))
	}
	// The login page waits as well.
	a = e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"` + alicePassword + `"}`})
	if a.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("login while throttled: %d %s", a.StatusCode, a.body)
	}
	e.clock.Add(2 * time.Second)
	expect(t, e.do(req{method: "POST", path: path, bearer: here, body: changeBody(alicePassword, "new-password")}), http.StatusOK, "Password changed")
}

func TestAccount_PasswordRouteSharesTheLoginBucket(t *testing.T) {
	e := newEnv(t, func(s *httpapi.Server) {
		s.LoginLimit = httpapi.NewLimiter(httpapi.Rate{Burst: 1, Per: time.Hour}, 0, time.Now)
	})
	here, _ := e.login("alice", alicePassword) // takes the one token
	a := e.do(req{method: "POST", path: "/users/me/password", bearer: here, body: changeBody("wrong-password", "new-password")})
	if a.StatusCode != http.StatusTooManyRequests || a.Header.Get("Retry-After") == "" {
		t.Fatalf("past the bucket: %d %s", a.StatusCode, a.body)
	}
}

func TestAccount_SessionsList(t *testing.T) {
	e := newEnv(t)
	here, _ := e.loginAs("AuthDesk")
	e.clock.Add(time.Minute)
	_, thereCookie := e.loginAs(firefox)
	e.clock.Add(time.Minute)
	if a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: thereCookie}); a.StatusCode != http.StatusOK {
		t.Fatal(a.StatusCode)
	}
	e.login("test", "test") // someone else
	list := e.sessions(here)
	if len(list) != 2 {
		t.Fatalf("sessions %+v", list)
	}
	cur, other := list[0], list[1]
	if !cur.Current || other.Current || cur.UserAgent != "AuthDesk" || other.UserAgent != firefox {
		t.Fatalf("sessions %+v", list)
	}
	if other.Client != "127.0.0.1" || other.LastRefreshed.IsZero() || !cur.LastRefreshed.IsZero() ||
		!other.Expires.After(other.LastRefreshed) || !other.Started.Before(other.LastRefreshed) {
		t.Fatalf("other session %+v", other)
	}
	// The body: lastRefreshed only once refreshed; no token fields.
	raw := e.do(req{method: "GET", path: "/users/me/sessions", bearer: here}).body
	var objs []map[string]any
	_ = json.Unmarshal(raw, &objs)
	if _, ok := objs[0]["lastRefreshed"]; ok {
		t.Fatalf("lastRefreshed of a session never refreshed: %s", raw)
	}
	for _, k := range []string{"token", "jwtToken", "refreshToken"} {
		if _, ok := objs[1][k]; ok {
			t.Fatalf("%s in %s", k, raw)
		}
	}
	if strings.Contains(string(raw), here) || strings.Contains(string(raw), thereCookie) {
		t.Fatal("a token in the sessions list")
	}
	expect(t, e.do(req{method: "GET", path: "/users/me/sessions"}), http.StatusUnauthorized, "Unauthorized")
}

func TestAccount_SignOutOneSession(t *testing.T) {
	e := newEnv(t)
	here, _ := e.loginAs("AuthDesk")
	there, thereCookie := e.loginAs(firefox)
	third, _ := e.loginAs("curl/8.0")
	var target, current string
	for _, s := range e.sessions(here) {
		if s.UserAgent == firefox {
			target = s.ID
		}
		if s.Current {
			current = s.ID
		}
	}
	expect(t, e.do(req{method: "POST", path: "/users/me/sessions/" + target + "/revoke", bearer: here}), http.StatusOK, "Signed out")
	expect(t, e.do(req{method: "GET", path: "/users", bearer: there}), http.StatusUnauthorized, "Unauthorized")
	expect(t, e.do(req{method: "POST", path: "/users/refresh-token", cookie: thereCookie}), http.StatusBadRequest, "Invalid token")
	if len(e.sessions(third)) != 2 {
		t.Fatal("the third session went too")
	}
	expect(t, e.do(req{method: "POST", path: "/users/me/sessions/" + target + "/revoke", bearer: here}), http.StatusNotFound, backend.MsgSessionNotFound)
	expect(t, e.do(req{method: "POST", path: "/users/me/sessions/" + current + "/revoke", bearer: here}), http.StatusBadRequest, backend.MsgCurrentSession)
	expect(t, e.do(req{method: "POST", path: "/users/me/sessions/nonsense/revoke", bearer: here}), http.StatusNotFound, backend.MsgSessionNotFound)
	expect(t, e.do(req{method: "GET", path: "/users/me/sessions/" + current + "/revoke", bearer: here}), http.StatusMethodNotAllowed, "Method not allowed")
}

func TestAccount_SignOutEverywhereElse(t *testing.T) {
	e := newEnv(t)
	here, hereCookie := e.loginAs("AuthDesk")
	e.loginAs(firefox)
	e.loginAs("curl/8.0")
	a := e.do(req{method: "POST", path: "/users/me/sessions/revoke-others", bearer: here})
	var body struct {
		Message   string
		SignedOut int
	}
	if err := json.Unmarshal(a.body, &body); err != nil || a.StatusCode != http.StatusOK || body.SignedOut != 2 {
		t.Fatalf("%d %s", a.StatusCode, a.body)
	}
	if list := e.sessions(here); len(list) != 1 || !list[0].Current {
		t.Fatalf("left %+v", list)
	}
	if a := e.do(req{method: "POST", path: "/users/refresh-token", cookie: hereCookie}); a.StatusCode != http.StatusOK {
		t.Fatalf("this session: %d", a.StatusCode)
	}
}

// onlyTutorial is a backend with the tutorial contract and nothing else.
type onlyTutorial struct{ backend.Authenticator }

func TestAccount_BackendWithoutAccountAnswers404(t *testing.T) {
	e := newEnv(t)
	srv := httpapi.New(onlyTutorial{e.auth}, e.auth)
	e.srv.Config.Handler = srv.Handler()
	here, _ := e.login("alice", alicePassword)
	for _, r := range []req{
		{method: "POST", path: "/users/me/password", body: changeBody(alicePassword, "new-password")},
		{method: "GET", path: "/users/me/sessions"},
		{method: "POST", path: "/users/me/sessions/revoke-others"},
	} {
		r.bearer = here
		expect(t, e.do(r), http.StatusNotFound, "Not found")
	}
}

// The tutorial's routes are as they were: "me" is just an id there.
func TestAccount_TutorialRoutesUnchanged(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.login("test", "test")
	alice, _ := e.login("alice", alicePassword)
	expect(t, e.do(req{method: "GET", path: "/users/me", bearer: admin}), http.StatusNotFound, backend.MsgUserNotFound)
	expect(t, e.do(req{method: "GET", path: "/users/me/refresh-tokens", bearer: admin}), http.StatusNotFound, backend.MsgUserNotFound)
	expect(t, e.do(req{method: "GET", path: "/users/me", bearer: alice}), http.StatusUnauthorized, "Unauthorized")
	expect(t, e.do(req{method: "GET", path: "/users/me/other", bearer: admin}), http.StatusNotFound, "Not found")
}
