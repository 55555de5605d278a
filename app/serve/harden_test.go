package serve_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app/serve"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
)

// openEmpty opens a data folder the way serve does: no demo account.
func openEmpty(t *testing.T) (*bolt.DB, *bolt.AuthService, *bolt.AdminService) {
	t.Helper()
	db := bolt.NewDB(t.TempDir(), bolt.Options{NoDemoUser: true})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, bolt.NewAuthService(db), bolt.NewAdminService(db)
}

func addUser(t *testing.T, admin *bolt.AdminService, name, password string, role backend.Role) {
	t.Helper()
	if _, err := admin.AddUser(context.Background(), backend.User{Username: name, FirstName: name, LastName: "X", Role: role}, password); err != nil {
		t.Fatal(err)
	}
}

func logTo(buf *backendtest.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestRunRefusesAFolderWithoutUsers(t *testing.T) {
	_, auth, admin := openEmpty(t)
	err := serve.Run(context.Background(), serve.Options{Addr: "127.0.0.1:0", Auth: auth, Users: admin, DataDir: "/srv/authdesk"})
	var none *serve.NoUsersError
	if !errors.As(err, &none) {
		t.Fatalf("Run on a folder without users: %v", err)
	}
	for _, want := range []string{"has no users", `--data-dir "/srv/authdesk" users add --role Admin --username`, "serve --init-admin"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}
	// The folder did not get the demo account on the way.
	if users, _ := admin.Users(context.Background()); len(users) != 0 {
		t.Fatalf("users now: %+v", users)
	}
	addUser(t, admin, "root", "correct-horse-battery", backend.RoleAdmin)
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth, Users: admin})
	defer stop()
	if _, err := remote.NewClient(url).Authenticate(context.Background(), "root", "correct-horse-battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.NewClient(url).Authenticate(context.Background(), "test", "test"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("demo login on serve's folder: %v", err)
	}
}

func TestRunKeepsTheDemoPasswordOnThisComputer(t *testing.T) {
	auth := openBackend(t) // a folder the window created: test/test is there
	// Bound to every interface: refused before serving anything.
	err := serve.Run(context.Background(), serve.Options{Addr: "0.0.0.0:0", Auth: auth})
	var exposed *serve.DemoExposedError
	if !errors.As(err, &exposed) || !strings.Contains(err.Error(), "users passwd test") {
		t.Fatalf("Run on 0.0.0.0 with the demo password: %v", err)
	}
	// On loopback it serves, with a warning that cannot be missed.
	logs := &backendtest.Buffer{}
	_, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth, Log: logTo(logs)})
	stop()
	if !strings.Contains(logs.String(), `level=WARN msg="WARNING: the demo account \"test\" has the password \"test\"`) {
		t.Fatalf("no demo warning:\n%s", logs)
	}
}

func TestRunAnswersOnlyLoopbackHostNames(t *testing.T) {
	auth := openBackend(t)
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth})
	defer stop()
	port := url[strings.LastIndex(url, ":")+1:]
	get := func(host string) *http.Response {
		t.Helper()
		r, _ := http.NewRequest("POST", url+"/users/authenticate", strings.NewReader(`{"username":"test","password":"test"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Host = host
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	if r := get("rebound.attacker.example:" + port); r.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("foreign Host: %d", r.StatusCode)
	}
	if r := get("localhost:" + port); r.StatusCode != 200 {
		t.Fatalf("localhost: %d", r.StatusCode)
	}
	stop()

	// --public-host adds a name (for a reverse proxy on this computer).
	url, stop = start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth, PublicHosts: []string{"Auth.Example"}})
	defer stop()
	port = url[strings.LastIndex(url, ":")+1:]
	if r := get("auth.example:" + port); r.StatusCode != 200 {
		t.Fatalf("--public-host name: %d", r.StatusCode)
	}
	if r := get("other.example:" + port); r.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("unlisted name: %d", r.StatusCode)
	}
}

func TestRunThrottlesLoginsPerAddress(t *testing.T) {
	auth := openBackend(t)
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth,
		LoginRate: mustRate(t, "2/1h")})
	defer stop()
	c := remote.NewClient(url)
	for i := 0; i < 2; i++ {
		if _, err := c.Authenticate(context.Background(), "test", "wrong-password"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err := c.Authenticate(context.Background(), "test", "test")
	// One attempt every 30 minutes once the two are used.
	if wait := backend.RetryAfter(err); backend.ErrorCode(err) != backend.ETOOMANY || wait <= 29*time.Minute || wait > 30*time.Minute {
		t.Fatalf("third attempt: %v (wait %v)", err, backend.RetryAfter(err))
	}
}

func mustRate(t *testing.T, s string) httpapi.Rate {
	t.Helper()
	o, err := parseFlags([]string{"--login-rate", s})
	if err != nil {
		t.Fatal(err)
	}
	return o.LoginRate
}

// An idle flood (connections that never send a request, or sit idle after
// one) does not lock real clients out: at the cap the longest-idle
// connection is closed to make room.
func TestIdleFloodDoesNotLockOutRealRequests(t *testing.T) {
	auth := openBackend(t)
	const max = 20
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: auth, MaxConns: max})
	defer stop()
	addr := strings.TrimPrefix(url, "http://")

	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	for i := 0; i < 10*max; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("flood connection %d: %v", i, err)
		}
		switch i % 3 {
		case 1: // half a request, never finished (slowloris)
			io.WriteString(c, "GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\n")
		case 2: // a finished request, then an idle keep-alive connection
			io.WriteString(c, "GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err == nil {
				resp.Body.Close()
			}
		}
		flood = append(flood, c)
	}

	// A real client, on a fresh connection, gets its answer within a second.
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for i := 0; i < 3; i++ {
		resp, err := client.Get(url + "/users")
		if err != nil {
			t.Fatalf("real request %d under the idle flood: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("real request %d: %d", i, resp.StatusCode)
		}
	}

	// The server holds no more than its cap: the oldest flood connections
	// were closed on it.
	closed := 0
	for _, c := range flood {
		c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); err == io.EOF || isReset(err) {
			closed++
		}
	}
	if open := len(flood) - closed; open > max {
		t.Fatalf("%d flood connections still open, cap %d", open, max)
	}
}

func isReset(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

func TestAccessLogOffKeepsErrors(t *testing.T) {
	auth := openBackend(t)
	logs := &backendtest.Buffer{}
	o := serve.Options{Addr: "127.0.0.1:0", Auth: auth, Log: logTo(logs)}
	o.SetAccessLog(false)
	url, stop := start(t, o)
	c := remote.NewClient(url)
	if _, err := c.Authenticate(context.Background(), "test", "test"); err != nil {
		t.Fatal(err)
	}
	stop()
	if strings.Contains(logs.String(), "msg=request") {
		t.Fatalf("access lines with --access-log=off:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "access_log=off") {
		t.Fatalf("the start line does not say the access log is off:\n%s", logs)
	}
}

// failing is the real backend on a disk that has filled up.
type failing struct{ serve.Backend }

func (f failing) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	return nil, backend.Wrap(backend.EINTERNAL, errors.New("write backend.db: no space left on device"), "Cannot save the session")
}

func TestRepeatedErrorsAreSummarised(t *testing.T) {
	auth := openBackend(t)
	logs := &backendtest.Buffer{}
	url, stop := start(t, serve.Options{Addr: "127.0.0.1:0", Auth: failing{auth}, Log: logTo(logs)})
	c := remote.NewClient(url)
	for i := 0; i < 25; i++ {
		if _, err := c.Authenticate(context.Background(), "test", "a-password"); backend.ErrorCode(err) != backend.EUNAVAILABLE {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	stop()
	out := logs.String()
	if n := strings.Count(out, "no space left on device"); n != 2 {
		t.Fatalf("%d lines name the full disk, want the first and a summary:\n%s", n, out)
	}
	if !strings.Contains(out, `msg="request failed (repeated 24 more times within 1m0s)"`) {
		t.Fatalf("no summary line:\n%s", out)
	}
	if strings.Count(out, "status=500") != 25 {
		t.Fatalf("the access log should still have every request:\n%s", out)
	}
}
