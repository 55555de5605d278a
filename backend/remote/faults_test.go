package remote_test

import (
	"crypto/x509"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/session"
)

// shortTimeout lets the "server hangs" case end quickly, yet leaves room for
// an argon2 login under -race on a busy 2-core machine. The test asserts
// the error, not how long it took.
const shortTimeout = 2 * time.Second

func TestFaultsAreUnavailableWithAReason(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL, remote.WithTimeout(shortTimeout))
	g := mustLogin(t, c, "test", "test")

	for _, tc := range []struct {
		fault string
		want  []string
	}{
		{"hang", []string{"Cannot reach " + s.srv.URL, "did not answer in time"}},
		{"500 html", []string{s.srv.URL, "server error", "500 Internal Server Error"}},
		{"502 empty", []string{s.srv.URL, "server error", "502 Bad Gateway"}},
		{"malformed json", []string{s.srv.URL, "did not answer like the AuthDesk/tutorial API"}},
		{"huge", []string{"too large"}},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s.fault.set(tc.fault)
			defer s.fault.set("")
			_, err := c.Refresh(ctx, g.RefreshToken)
			assertError(t, err, backend.EUNAVAILABLE, tc.want...)
			if tc.fault != "huge" { // a huge list is only a users answer
				_, err = c.Authenticate(ctx, "test", "test")
				assertError(t, err, backend.EUNAVAILABLE, tc.want...)
			}
			_, err = c.ListUsers(ctx, g.AccessToken)
			assertError(t, err, backend.EUNAVAILABLE, tc.want...)
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	addr := deadAddress(t)
	c := remote.NewClient("http://" + addr)
	_, err := c.Authenticate(ctx, "test", "test")
	assertError(t, err, backend.EUNAVAILABLE, "Cannot reach http://"+addr+": connection refused")
	_, err = c.Refresh(ctx, "token")
	assertError(t, err, backend.EUNAVAILABLE, "connection refused")
}

func TestTLS(t *testing.T) {
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auth := bolt.NewAuthService(db)
	api := httpapi.New(auth, auth)
	api.Log = slog.New(slog.DiscardHandler)
	srv := httptest.NewTLSServer(api.Handler())
	defer srv.Close()

	// The system's roots do not include httptest's certificate.
	_, err := remote.NewClient(srv.URL).Authenticate(ctx, "test", "test")
	assertError(t, err, backend.EUNAVAILABLE, "Cannot reach "+srv.URL, "certificate")

	// https to a plain http server.
	plain := newServed(t)
	_, err = remote.NewClient("https"+plain.srv.URL[len("http"):]).Authenticate(ctx, "test", "test")
	assertError(t, err, backend.EUNAVAILABLE, "does not speak https")

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	g, err := remote.NewClient(srv.URL, remote.WithRootCAs(pool)).Authenticate(ctx, "test", "test")
	if err != nil || g.User.Username != "test" {
		t.Fatalf("with the server's CA trusted: %+v, %v", g, err)
	}
}

// deadAddress returns a loopback address nothing listens on.
func deadAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// A real session manager on a remote backend keeps the session through every
// kind of outage, and refreshes once the server is back.
func TestSessionSurvivesOutages(t *testing.T) {
	s := newServed(t)
	// The server's address must survive a restart, for the "refused" case.
	addr := s.srv.Listener.Addr().String()
	c := remote.NewClient(s.srv.URL, remote.WithTimeout(shortTimeout))
	c.Now = s.clock.Now

	store, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ticks := make(chan time.Time)
	m := session.New(session.Backend{Auth: c, ID: "remote:" + s.srv.URL, Kind: "remote", Label: s.srv.URL}, store)
	m.Now = s.clock.Now
	m.Logger = slog.New(slog.DiscardHandler)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	refreshed := make(chan session.Reason, 10)
	m.OnChange = func(_ *session.Session, r session.Reason) { refreshed <- r }
	m.Start(ctx)
	defer m.Close()

	if _, err := m.Login(ctx, "test", "test"); err != nil {
		t.Fatal(err)
	}
	<-refreshed // the login
	saved, _ := store.LoadSession("remote:" + s.srv.URL)

	// tick hands the manager one tick and waits until it handled it: the
	// loop takes the next tick only after the previous check (including its
	// refresh) is done.
	tick := func() {
		t.Helper()
		for range 2 {
			select {
			case ticks <- s.clock.Now():
			case <-time.After(5 * time.Second):
				t.Fatal("the manager did not take the tick")
			}
		}
	}
	s.clock.Add(14*time.Minute + 30*time.Second) // the refresh is due

	outage := func(name string, start, end func()) {
		start()
		tick()
		if sess, err := m.Session(ctx); err != nil || sess == nil {
			t.Fatalf("%s: the session ended: %v", name, err)
		}
		if now, _ := store.LoadSession("remote:" + s.srv.URL); now == nil || now.RefreshToken != saved.RefreshToken {
			t.Fatalf("%s: the saved refresh token changed or was cleared", name)
		}
		end()
		s.clock.Add(2 * time.Minute) // past the backoff
	}
	for _, fault := range []string{"hang", "500 html", "502 empty", "malformed json"} {
		outage(fault, func() { s.fault.set(fault) }, func() { s.fault.set("") })
	}
	outage("connection refused", func() { s.srv.Listener.Close(); s.srv.CloseClientConnections() }, func() {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("cannot listen on %s again: %v", addr, err)
		}
		s.srv.Listener = ln
		go s.srv.Config.Serve(ln) // the same server, so Close still stops it
	})

	// Back to normal: the next due tick refreshes.
	tick()
	select {
	case r := <-refreshed:
		if r != session.ReasonRefresh {
			t.Fatalf("change %q, want refresh", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no refresh after the server came back")
	}
	if now, _ := store.LoadSession("remote:" + s.srv.URL); now == nil || now.RefreshToken == saved.RefreshToken {
		t.Fatal("the rotated refresh token was not saved")
	}
}
