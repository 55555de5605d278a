package session_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/httpapi"
	remoteapi "github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/session"
)

// The timing the lost-answer fix rests on: a refresh attempt and its
// immediate retry both end within the server's grace for a retried rotation.
func TestTimingFitsTheGrace(t *testing.T) {
	m := session.New(session.Backend{}, nil)
	defer m.Close()
	if worst := 2*m.RefreshTimeout + m.Tick; worst >= backend.RefreshGrace {
		t.Fatalf("an attempt and its retry may take %v, not within the %v grace", worst, backend.RefreshGrace)
	}
}

// loseAnswer lets the first refresh through to the real API (the server
// rotates the token and saves that), then throws the answer away the way a
// network or a proxy does. The fake clock moves on by as long as the client
// waits before it gives up, which is what decides whether its retry still
// lands within the server's grace.
type loseAnswer struct {
	next  http.Handler
	clock *backendtest.Clock
	wait  time.Duration
	mode  string // "hang" or "502"
	stop  chan struct{}
	armed atomic.Bool
	lost  atomic.Int32
}

func (f *loseAnswer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/users/refresh-token" || !f.armed.CompareAndSwap(true, false) {
		f.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	f.next.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK {
		panic("the refresh the fault lets through failed: " + rec.Body.String())
	}
	f.lost.Add(1)
	f.clock.Add(f.wait)
	switch f.mode {
	case "hang":
		// Until the client gives up. A body read to its end lets the server
		// notice the closed connection; stop ends the wait at cleanup.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-f.stop:
		}
	default:
		http.Error(w, "upstream timed out", http.StatusBadGateway)
	}
}

// A refresh whose answer is lost after the server rotated must not log the
// person out: the retry comes at once and within the grace, so the server
// takes the old token again instead of seeing reuse.
func TestLostRefreshAnswerKeepsTheSession(t *testing.T) {
	for _, mode := range []string{"hang", "502"} {
		t.Run(mode, func(t *testing.T) {
			clock := backendtest.NewClock(time.Now().UTC().Truncate(time.Second))
			db := bolt.NewDB(t.TempDir(), bolt.Options{})
			db.Now = clock.Now
			if err := db.Open(); err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			auth := bolt.NewAuthService(db)
			api := httpapi.New(auth, auth)
			api.Now, api.Log = clock.Now, slog.New(slog.DiscardHandler)

			// How long a client gives up after in production: the session
			// manager's bound on an attempt, or the HTTP client's, whichever
			// is shorter.
			wait := min(session.DefaultRefreshTimeout, remoteapi.DefaultTimeout)
			fault := &loseAnswer{next: api.Handler(), clock: clock, wait: wait, mode: mode, stop: make(chan struct{})}
			srv := httptest.NewServer(fault)
			defer srv.Close()
			defer close(fault.stop) // before Close, which waits for handlers

			client := remoteapi.NewClient(srv.URL)
			client.Now = clock.Now
			store, err := clientdb.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			b := session.Backend{Auth: client, ID: "remote:" + srv.URL, Kind: "remote", Label: srv.URL}
			m := session.New(b, store)
			m.Now = clock.Now
			m.Logger = slog.New(slog.DiscardHandler)
			if mode == "hang" {
				// The hang ends when the client gives up; in real time that
				// need not take the production timeout (the fake clock
				// already moved by it).
				m.RefreshTimeout = 200 * time.Millisecond
			}
			ticks, ticked := make(chan time.Time), make(chan struct{}, 1)
			m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
			session.SetAfterTick(m, func() { ticked <- struct{}{} })
			events := make(chan session.Reason, 16)
			m.OnChange = func(_ *session.Session, r session.Reason) { events <- r }
			m.Start(context.Background())
			defer m.Close()

			s, err := m.Login(context.Background(), "test", "test")
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			<-events // login
			fault.armed.Store(true)
			clock.Set(s.AccessExpires.Add(-m.RefreshBefore))

			// Tick (a second of fake time each) until the session is
			// renewed or ended.
			var reason session.Reason
			for i := 0; reason == ""; i++ {
				if i > 120 {
					t.Fatal("neither renewed nor ended after two minutes")
				}
				select {
				case ticks <- clock.Now():
				case <-time.After(guard):
					t.Fatal("the manager did not take the tick")
				}
				waitFor(t, ticked, "the tick to be handled")
				select {
				case reason = <-events:
				default:
					clock.Add(time.Second)
				}
			}
			if fault.lost.Load() != 1 {
				t.Fatalf("the fault lost %d answers, want 1", fault.lost.Load())
			}
			if reason != session.ReasonRefresh {
				t.Fatalf("after a lost refresh answer the session ended (%q)", reason)
			}
			if err := m.Do(context.Background(), listUsers); err != nil {
				t.Fatalf("the renewed session cannot list users: %v", err)
			}
			saved, err := store.LoadSession(b.ID)
			if err != nil || saved == nil {
				t.Fatalf("saved session: %v, %v", saved, err)
			}
			if _, err := client.Refresh(context.Background(), saved.RefreshToken); err != nil {
				t.Fatalf("the saved refresh token does not work: %v", err)
			}
		})
	}
}
