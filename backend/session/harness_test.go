package session_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/session"
)

// guard bounds every wait, so a bug fails the test instead of hanging it. It
// is never what a test asserts on.
const guard = 5 * time.Second

type event struct {
	s *session.Session
	r session.Reason
}

// harness is a Manager on a fake clock, hand-driven ticks, a fake backend and
// a real client.db in a temporary folder.
type harness struct {
	t      *testing.T
	dir    string
	clock  *fakeClock
	auth   *fakeAuth
	db     *clientdb.DB
	m      *session.Manager
	ticks  chan time.Time
	ticked chan struct{}
	logs   *lockedBuffer
	events chan event

	// initial is the backend each open starts on (embedded(auth) when unset).
	initial func() session.Backend

	mu       sync.Mutex
	onChange func(*session.Session, session.Reason) // extra check run inside OnChange
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	clock := newFakeClock()
	h := &harness{
		t:      t,
		dir:    t.TempDir(),
		clock:  clock,
		auth:   newFakeAuth("emb", clock.Now),
		ticks:  make(chan time.Time),
		ticked: make(chan struct{}, 1),
		logs:   &lockedBuffer{},
		events: make(chan event, 1000),
	}
	h.open()
	t.Cleanup(h.close)
	return h
}

func embedded(a backend.Refresher) session.Backend {
	return session.Backend{Auth: a, ID: "embedded", Kind: "embedded", Label: "Embedded (offline)"}
}

func remote(a backend.Refresher) session.Backend {
	return session.Backend{Auth: a, ID: "remote:https://api.example", Kind: "remote", Label: "https://api.example"}
}

// open makes a Manager on the client.db in h.dir, as a fresh run of the app would.
func (h *harness) open() {
	h.t.Helper()
	db, err := clientdb.Open(h.dir)
	if err != nil {
		h.t.Fatalf("clientdb.Open: %v", err)
	}
	h.db = db
	b := embedded(h.auth)
	if h.initial != nil {
		b = h.initial()
	}
	m := session.New(b, db)
	m.Now = h.clock.Now
	m.Logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return h.ticks, func() {} }
	m.OnChange = func(s *session.Session, r session.Reason) {
		h.mu.Lock()
		check := h.onChange
		h.mu.Unlock()
		if check != nil {
			check(s, r)
		}
		h.events <- event{s, r}
	}
	session.SetAfterTick(m, func() { h.ticked <- struct{}{} })
	h.m = m
}

func (h *harness) close() {
	h.m.Close()
	if err := h.db.Close(); err != nil {
		h.t.Errorf("closing client.db: %v", err)
	}
}

func (h *harness) start() { h.m.Start(context.Background()) }

// restart closes everything and starts again on the same data folder.
func (h *harness) restart() {
	h.t.Helper()
	h.close()
	h.open()
	h.start()
}

// tick delivers one tick and waits until it has been handled completely.
func (h *harness) tick() {
	h.t.Helper()
	select {
	case h.ticks <- h.clock.Now():
	case <-time.After(guard):
		h.t.Fatal("the manager did not take the tick")
	}
	select {
	case <-h.ticked:
	case <-time.After(guard):
		h.t.Fatal("the manager did not finish handling the tick")
	}
}

func (h *harness) nextEvent() event {
	h.t.Helper()
	select {
	case e := <-h.events:
		return e
	case <-time.After(guard):
		h.t.Fatal("no OnChange call")
		return event{}
	}
}

// expectEvent takes the next OnChange call and checks its reason and whether
// it carried a session.
func (h *harness) expectEvent(r session.Reason, withSession bool) *session.Session {
	h.t.Helper()
	e := h.nextEvent()
	if e.r != r || (e.s != nil) != withSession {
		h.t.Fatalf("OnChange(%v, %q), want reason %q with session=%v", e.s, e.r, r, withSession)
	}
	return e.s
}

func (h *harness) noEvent() {
	h.t.Helper()
	select {
	case e := <-h.events:
		h.t.Fatalf("unexpected OnChange(%v, %q)", e.s, e.r)
	default:
	}
}

func (h *harness) login(username string) *session.Session {
	h.t.Helper()
	s, err := h.m.Login(context.Background(), username, "pw")
	if err != nil {
		h.t.Fatalf("Login: %v", err)
	}
	h.expectEvent(session.ReasonLogin, true)
	return s
}

func (h *harness) session() *session.Session {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	s, err := h.m.Session(ctx)
	if err != nil {
		h.t.Fatalf("Session: %v", err)
	}
	return s
}

// saved is the session saved for the embedded backend.
func (h *harness) saved() *backend.SavedSession { return h.savedFor("embedded") }

func (h *harness) savedFor(backendID string) *backend.SavedSession {
	h.t.Helper()
	s, err := h.db.LoadSession(backendID)
	if err != nil {
		h.t.Fatalf("Load: %v", err)
	}
	return s
}

// listUsers is a typical authorised call.
func listUsers(ctx context.Context, dir backend.UserDirectory) error {
	_, err := dir.ListUsers(ctx)
	return err
}

func wantError(t *testing.T, err error, code, message string) {
	t.Helper()
	if backend.ErrorCode(err) != code || backend.ErrorMessage(err) != message {
		t.Fatalf("error = %v, want %s %q", err, code, message)
	}
}

func newLogger(w *lockedBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// waitFor receives from ch, failing the test if nothing comes.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(guard):
		t.Fatalf("timed out waiting for %s", what)
	}
}
