package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/httpapi"
)

// Passwords of the users every test server has besides the demo test/test.
const (
	alicePassword = "alice-horse-battery-staple"
)

// env is a served API on a real embedded backend in a temporary folder.
type env struct {
	t     *testing.T
	db    *bolt.DB
	auth  *bolt.AuthService
	srv   *httptest.Server
	logs  *lockedBuffer
	clock *fakeClock
}

type envOption func(*httpapi.Server)

func newEnv(t *testing.T, opts ...envOption) *env { return newEnvWith(t, httptest.NewServer, opts...) }

func newTLSEnv(t *testing.T) *env { return newEnvWith(t, httptest.NewTLSServer) }

func newEnvWith(t *testing.T, start func(http.Handler) *httptest.Server, opts ...envOption) *env {
	t.Helper()
	clock := backendtest.NewClock(time.Now())
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, err := bolt.NewAdminService(db).AddUser(context.Background(),
		backend.User{Username: "alice", FirstName: "Alice", LastName: "Liddell", Role: backend.RoleUser}, alicePassword)
	if err != nil {
		t.Fatal(err)
	}
	auth := bolt.NewAuthService(db)
	logs := &lockedBuffer{}
	s := httpapi.New(auth, auth)
	s.Now = clock.Now
	s.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, o := range opts {
		o(s)
	}
	srv := start(s.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, auth: auth, srv: srv, logs: logs, clock: clock}
}

// answer is a response with its body read.
type answer struct {
	*http.Response
	body []byte
}

// message is the {"message"} of an error answer.
func (a answer) message() string {
	var m struct{ Message string }
	if err := json.Unmarshal(a.body, &m); err != nil {
		return "<not JSON: " + string(a.body) + ">"
	}
	return m.Message
}

func (a answer) cookie() *http.Cookie {
	for _, c := range a.Cookies() {
		if c.Name == "refreshToken" {
			return c
		}
	}
	return nil
}

// req is one request to the test server.
type req struct {
	method, path string
	body         string
	contentType  string // defaults to JSON when body is set
	bearer       string
	cookie       string // refreshToken value
	header       map[string]string
}

func (e *env) do(r req) answer {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.body != "" {
		ct := r.contentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	if r.bearer != "" {
		hr.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.cookie != "" {
		hr.Header.Set("Cookie", "refreshToken="+r.cookie)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	if h, ok := r.header["Host"]; ok {
		hr.Host = h // the client sends Request.Host, not Header["Host"]
	}
	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return answer{resp, data}
}

// loginAnswer is the body of a successful authenticate or refresh.
type loginAnswer struct {
	ID        json.RawMessage `json:"id"`
	FirstName string          `json:"firstName"`
	LastName  string          `json:"lastName"`
	Username  string          `json:"username"`
	Role      string          `json:"role"`
	JWTToken  string          `json:"jwtToken"`
}

// login authenticates and returns the access token and the refresh cookie.
func (e *env) login(username, password string) (access, refresh string) {
	e.t.Helper()
	a := e.do(req{method: "POST", path: "/users/authenticate",
		body: `{"username":"` + username + `","password":"` + password + `"}`})
	if a.StatusCode != http.StatusOK {
		e.t.Fatalf("login %s: %d %s", username, a.StatusCode, a.body)
	}
	var l loginAnswer
	if err := json.Unmarshal(a.body, &l); err != nil || l.JWTToken == "" {
		e.t.Fatalf("login %s: body %s", username, a.body)
	}
	c := a.cookie()
	if c == nil {
		e.t.Fatalf("login %s: no refreshToken cookie", username)
	}
	return l.JWTToken, c.Value
}

func expect(t *testing.T, a answer, status int, msg string) {
	t.Helper()
	if a.StatusCode != status || a.message() != msg {
		t.Fatalf("got %d %q (%s), want %d %q", a.StatusCode, a.message(), a.body, status, msg)
	}
	if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
}

type lockedBuffer = backendtest.Buffer

// fakeClock is moved by hand; it starts at the real time so cookie expiries
// are plausible to the HTTP client.
type fakeClock = backendtest.Clock
