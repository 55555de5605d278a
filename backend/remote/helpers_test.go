package remote_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/httpapi"
)

var ctx = context.Background()

const alicePassword = "alice-horse-battery-staple"

// served is `authdesk serve` in-process: the real httpapi handlers over a
// real embedded backend in a temporary folder, behind a switch that can
// make the server misbehave (see faulty).
type served struct {
	db    *bolt.DB
	clock *backendtest.Clock
	fault *faulty
	srv   *httptest.Server
}

func newServed(t *testing.T) *served {
	t.Helper()
	c := backendtest.NewClock(time.Now().UTC().Truncate(time.Second))
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.Now = c.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := bolt.NewAdminService(db).AddUser(ctx,
		backend.User{Username: "alice", FirstName: "Alice", LastName: "Liddell", Role: backend.RoleUser}, alicePassword); err != nil {
		t.Fatal(err)
	}
	auth := bolt.NewAuthService(db)
	api := httpapi.New(auth, auth)
	api.Now = c.Now
	api.Log = slog.New(slog.DiscardHandler)
	f := &faulty{next: api.Handler(), stop: make(chan struct{})}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(f.stop) }) // runs first
	return &served{db: db, clock: c, fault: f, srv: srv}
}

// faulty passes requests to the real API unless told to fail in one of the
// ways a network or a broken server does.
type faulty struct {
	mu   sync.Mutex
	mode string
	next http.Handler
	stop chan struct{} // closed when the test ends, to release hung requests
}

func (f *faulty) set(mode string) {
	f.mu.Lock()
	f.mode = mode
	f.mu.Unlock()
}

func (f *faulty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	mode := f.mode
	f.mu.Unlock()
	switch mode {
	case "":
		f.next.ServeHTTP(w, r)
	case "hang": // until the client gives up (or the test ends)
		// Read the body first: only then does the server notice the
		// client closing the connection.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-f.stop:
		}
	case "500 html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("<html><body><h1>Internal Server Error</h1></body></html>"))
	case "502 empty":
		w.WriteHeader(http.StatusBadGateway)
	case "malformed json":
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":1,"username":"test","jwtToken":`))
	case "huge":
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[` + strings.Repeat(`{"id":1,"username":"test"},`, 60000) + `{"id":1}]`))
	default:
		panic("unknown fault " + mode)
	}
}

// assertError checks an error's code and that its message says what a
// person needs (every part in want).
func assertError(t *testing.T, err error, code string, want ...string) {
	t.Helper()
	if got := backend.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	msg := backend.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Fatalf("message %q lacks %q", msg, w)
		}
	}
}

func mustLogin(t *testing.T, a backend.Authenticator, user, pass string) *backend.Grant {
	t.Helper()
	g, err := a.Authenticate(ctx, user, pass)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return g
}
