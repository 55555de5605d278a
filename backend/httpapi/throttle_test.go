package httpapi_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/httpapi"
)

func withLimits(login, refresh httpapi.Rate, now func() time.Time) envOption {
	return func(s *httpapi.Server) {
		s.LoginLimit = httpapi.NewLimiter(login, 0, now)
		s.RefreshLimit = httpapi.NewLimiter(refresh, 0, now)
	}
}

// from returns a client whose connections come from the loopback address ip
// (all of 127.0.0.0/8 is this computer), so it counts as another client.
func (e *env) from(ip string) *http.Client {
	tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func (e *env) postFrom(c *http.Client, path, body, cookie string) answer {
	e.t.Helper()
	hr, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	hr.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		hr.Header.Set("Cookie", "refreshToken="+cookie)
	}
	resp, err := c.Do(hr)
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

func expectRetry(t *testing.T, a answer, status int, retryAfter string) {
	t.Helper()
	if a.StatusCode != status {
		t.Fatalf("status %d (%s), want %d", a.StatusCode, a.body, status)
	}
	if got := a.Header.Get("Retry-After"); got != retryAfter {
		t.Fatalf("Retry-After %q, want %q", got, retryAfter)
	}
	if !strings.HasPrefix(a.Header.Get("Content-Type"), "application/json") || a.message() == "" || strings.HasPrefix(a.message(), "<not JSON") {
		t.Fatalf("want a JSON {message}, got %q %s", a.Header.Get("Content-Type"), a.body)
	}
}

func TestLoginThrottlePerClientAddress(t *testing.T) {
	var e *env
	clock := func() time.Time { return e.clock.Now() }
	e = newEnv(t, withLimits(httpapi.Rate{Burst: 3, Per: 6 * time.Second}, httpapi.Rate{}, clock))
	wrong := `{"username":"alice","password":"not-her-password"}`
	right := `{"username":"alice","password":"` + alicePassword + `"}`
	attacker := e.from("127.0.0.7")
	for i := 0; i < 3; i++ {
		expect(t, e.postFrom(attacker, "/users/authenticate", wrong, ""), 400, backend.MsgBadCredentials)
	}
	// The bucket is empty: refused before the password is looked at, even
	// the right one, with when to come back (one attempt every 2 s).
	a := e.postFrom(attacker, "/users/authenticate", right, "")
	expectRetry(t, a, http.StatusTooManyRequests, "2")
	if !strings.Contains(a.message(), "Try again in 2 s") {
		t.Errorf("message %q", a.message())
	}
	e.clock.Add(1500 * time.Millisecond)
	expectRetry(t, e.postFrom(attacker, "/users/authenticate", right, ""), http.StatusTooManyRequests, "1")

	// Someone else on another address is not held up.
	if a := e.postFrom(e.from("127.0.0.8"), "/users/authenticate", right, ""); a.StatusCode != 200 {
		t.Fatalf("another client: %d %s", a.StatusCode, a.body)
	}
	// Once a token has refilled, the first client gets one more attempt.
	e.clock.Add(600 * time.Millisecond)
	if a := e.postFrom(attacker, "/users/authenticate", right, ""); a.StatusCode != 200 {
		t.Fatalf("after the wait: %d %s", a.StatusCode, a.body)
	}
	expectRetry(t, e.postFrom(attacker, "/users/authenticate", wrong, ""), http.StatusTooManyRequests, "2")
	if !strings.Contains(e.logs.String(), "path=/users/authenticate status=429") {
		t.Errorf("the access log lacks the 429:\n%s", e.logs)
	}
	if strings.Contains(e.logs.String(), alicePassword) {
		t.Error("the log holds the password")
	}
}

func TestRefreshThrottleIsItsOwnBucket(t *testing.T) {
	var e *env
	clock := func() time.Time { return e.clock.Now() }
	e = newEnv(t, withLimits(httpapi.Rate{Burst: 1, Per: time.Minute}, httpapi.Rate{Burst: 2, Per: time.Minute}, clock))
	c := e.from("127.0.0.9")
	a := e.postFrom(c, "/users/authenticate", `{"username":"alice","password":"`+alicePassword+`"}`, "")
	if a.StatusCode != 200 {
		t.Fatalf("login: %d %s", a.StatusCode, a.body)
	}
	cookie := a.cookie().Value
	for i := 0; i < 2; i++ {
		a = e.postFrom(c, "/users/refresh-token", `{}`, cookie)
		if a.StatusCode != 200 {
			t.Fatalf("refresh %d: %d %s", i, a.StatusCode, a.body)
		}
		cookie = a.cookie().Value
	}
	a = e.postFrom(c, "/users/refresh-token", `{}`, cookie)
	expectRetry(t, a, http.StatusTooManyRequests, "30")
	// The refused refresh did not use the token up.
	e.clock.Add(30 * time.Second)
	if a = e.postFrom(c, "/users/refresh-token", `{}`, cookie); a.StatusCode != 200 {
		t.Fatalf("refresh after the wait: %d %s", a.StatusCode, a.body)
	}
	// Other routes are not throttled.
	access, _ := e.login("alice", alicePassword)
	for i := 0; i < 5; i++ {
		if a := e.do(req{method: "GET", path: "/users/2", bearer: access}); a.StatusCode != 200 {
			t.Fatalf("GET /users/2: %d", a.StatusCode)
		}
	}
}

func TestLimiterForgetsTheLeastRecentClientAtItsCap(t *testing.T) {
	now := time.Now()
	l := httpapi.NewLimiter(httpapi.Rate{Burst: 1, Per: time.Hour}, 3, func() time.Time { return now })
	for _, ip := range []string{"a", "b", "c"} {
		if ok, _ := l.Allow(ip); !ok {
			t.Fatalf("first request of %s refused", ip)
		}
	}
	if ok, wait := l.Allow("a"); ok || wait != time.Hour {
		t.Fatalf("a again: ok=%v wait=%v", ok, wait)
	}
	l.Allow("d") // b is now the least recent and goes
	if n := l.Tracked(); n != 3 {
		t.Fatalf("tracking %d clients, cap 3", n)
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("a was forgotten although it was heard from recently")
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("b should have been forgotten (a fresh bucket)")
	}
	if httpapi.NewLimiter(httpapi.Rate{}, 0, nil) != nil {
		t.Fatal("an off rate should give no limiter")
	}
	var none *httpapi.Limiter
	if ok, _ := none.Allow("x"); !ok {
		t.Fatal("a nil limiter refused")
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]httpapi.Rate{
		"30/1m": {30, time.Minute}, " 2/3s ": {2, 3 * time.Second}, "off": {}, "OFF": {},
	} {
		got, err := httpapi.ParseRate(in)
		if err != nil || got != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "30", "0/1m", "-1/1m", "30/", "30/0s", "30/-1s", "x/1m", "30/minute"} {
		if _, err := httpapi.ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) accepted", in)
		}
	}
	if s := httpapi.DefaultLoginRate.String(); s != "30/1m0s" {
		t.Errorf("String() = %q", s)
	}
}

// refusing is the real backend with one account that the backend itself
// throttles or finds too busy, as the embedded backend does under attack.
type refusing struct {
	backend.Authenticator
}

func (r refusing) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	switch username {
	case "throttled":
		return nil, backend.RetryAfterError(backend.ETOOMANY, 90*time.Second+time.Millisecond, "Too many failed attempts for this account")
	case "busy":
		return nil, backend.RetryAfterError(backend.EBUSY, 200*time.Millisecond, "The server is busy")
	}
	return r.Authenticator.Authenticate(ctx, username, password)
}

func TestBackendRefusalsSayWhenToRetry(t *testing.T) {
	e := newEnv(t, func(s *httpapi.Server) { s.Auth = refusing{s.Auth} })
	a := e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"throttled","password":"whatever-it-is"}`})
	expectRetry(t, a, http.StatusTooManyRequests, "91") // rounded up
	if a.message() != "Too many failed attempts for this account" {
		t.Errorf("message %q", a.message())
	}
	a = e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"busy","password":"whatever-it-is"}`})
	expectRetry(t, a, http.StatusServiceUnavailable, "1") // at least 1
	// A browser page on an allowed origin may read the header.
	a = e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"busy","password":"x"}`,
		header: map[string]string{"Origin": "http://localhost:5173"}})
	if got := a.Header.Get("Access-Control-Expose-Headers"); got != "Retry-After" {
		t.Errorf("Access-Control-Expose-Headers %q", got)
	}
}

func TestHostCheck(t *testing.T) {
	e := newEnv(t, func(s *httpapi.Server) { s.Hosts = &httpapi.HostPolicy{Public: []string{"auth.example"}} })
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.srv.URL, "http://"))
	for host, want := range map[string]int{
		"127.0.0.1:" + port:       200,
		"localhost:" + port:       200,
		"LOCALHOST.:" + port:      200,
		"app.localhost:" + port:   200,
		"[::1]:" + port:           200,
		"192.168.1.20:" + port:    200, // an IP literal cannot be rebound
		"auth.example:" + port:    200,
		"Auth.Example":            200,
		"evil.example:" + port:    421,
		"auth.example.evil.test":  421,
		"localhost.evil.test":     421,
		"rebind.attacker.example": 421,
	} {
		a := e.do(req{method: "POST", path: "/users/authenticate", body: `{"username":"alice","password":"` + alicePassword + `"}`,
			header: map[string]string{"Host": host}})
		if a.StatusCode != want {
			t.Errorf("Host %q: %d %s, want %d", host, a.StatusCode, a.body, want)
		}
		if want == 421 {
			if !strings.Contains(a.message(), "--public-host") || a.cookie() != nil {
				t.Errorf("Host %q: message %q, cookie %v", host, a.message(), a.cookie())
			}
		}
	}
	if !strings.Contains(e.logs.String(), "status=421") {
		t.Errorf("421 not in the access log:\n%s", e.logs)
	}
	for in, want := range map[string]string{"Auth.Example.": "auth.example", "lab:4000": "lab", " x.y ": "x.y"} {
		if got, ok := httpapi.NormalizeHostName(in); !ok || got != want {
			t.Errorf("NormalizeHostName(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "http://x", "a b", "u@h"} {
		if _, ok := httpapi.NormalizeHostName(in); ok {
			t.Errorf("NormalizeHostName(%q) accepted", in)
		}
	}
}

func TestAccessLogOff(t *testing.T) {
	e := newEnv(t, func(s *httpapi.Server) { s.NoAccessLog = true })
	e.login("alice", alicePassword)
	e.do(req{method: "GET", path: "/users"})
	if logs := e.logs.String(); strings.Contains(logs, "msg=request") {
		t.Fatalf("access log lines with the log off:\n%s", logs)
	}
}
