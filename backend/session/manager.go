package session

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Manager holds the current session for the selected backend. All state sits
// behind mu; network calls happen outside it. Refreshes are single-flight: at
// most one is in flight, and every caller that needs one (the ticker, Do
// callers whose token was refused) waits for that one.
//
// Set the exported fields before Start; they are not guarded.
type Manager struct {
	// Now is the wall clock. Refresh deadlines are checked against it on
	// every tick rather than with timers, because Go timers stop while a
	// laptop sleeps and an overdue refresh must run as soon as it wakes.
	Now func() time.Time

	Tick           time.Duration // how often deadlines are checked (1s)
	RefreshBefore  time.Duration // refresh this long before the access token expires (60s)
	MinBackoff     time.Duration // first wait after a failed refresh (2s)
	MaxBackoff     time.Duration // longest wait between failed refreshes (60s)
	RefreshTimeout time.Duration // bound on one Refresh attempt (DefaultRefreshTimeout)

	BrowserLoginTimeout time.Duration // bound on a browser sign-in (DefaultBrowserLoginTimeout)

	// OnChange is called after the session starts, is renewed or ends, with
	// the session (nil once it ended) and why. Calls come one at a time, in
	// order. It may call Session but must not call Login, Logout, Switch or
	// Do synchronously (they would wait for it to return).
	OnChange func(*Session, Reason)

	// Logger receives failures worth knowing about; never tokens.
	Logger *slog.Logger

	// NewTicker makes the tick source; tests replace it to tick by hand.
	NewTicker func(time.Duration) (ticks <-chan time.Time, stop func())

	store backend.SessionStore

	mu       sync.Mutex
	b        Backend
	switches uint64 // bumped by Switch, so a Login that raced it is discarded
	cur      *state // nil when logged out
	epoch    uint64 // last epoch handed out
	flight   *flight
	code     *codeStep     // a password step waiting for its second factor (mfa.go)
	browser  *browserLogin // a browser sign-in waiting for the person (browser.go)
	started  bool
	closed   bool
	events   emitter

	ready     chan struct{} // closed once the start-up restore attempt is over
	readyOnce sync.Once

	ctx    context.Context // background work; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	afterTick func() // test hook: called after each tick is handled
}

// DefaultRefreshTimeout bounds one refresh attempt. It is tied to the
// server's grace for a retried rotation (backend.RefreshGrace): when an
// attempt fails without a definite answer (a timeout, a proxy's 502), the
// server may have rotated the token and the answer got lost, so the manager
// retries at once with the same token, and both attempts together must end
// within the grace. TestTimingFitsTheGrace holds the relation;
// docs/ARCHITECTURE.md explains it.
const DefaultRefreshTimeout = 4 * time.Second

// New returns a Manager for b that keeps its saved sessions in store (which
// may be nil to keep nothing between runs). Call Start next.
func New(b Backend, store backend.SessionStore) *Manager {
	ctx, cancel := context.WithCancel(context.Background())
	m := &Manager{
		Now:            time.Now,
		Tick:           time.Second,
		RefreshBefore:  60 * time.Second,
		MinBackoff:     2 * time.Second,
		MaxBackoff:     60 * time.Second,
		RefreshTimeout: DefaultRefreshTimeout,
		NewTicker: func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		},
		store:  store,
		b:      b,
		ready:  make(chan struct{}),
		ctx:    ctx,
		cancel: cancel,
	}
	m.events.init()
	return m
}

// Start tries to restore the saved session (in the background) and starts
// checking refresh deadlines until ctx ends or Close is called. Only the
// first call does anything.
func (m *Manager) Start(ctx context.Context) {
	m.mu.Lock()
	if m.started || m.closed {
		m.mu.Unlock()
		return
	}
	m.started = true
	ticks, stop := m.NewTicker(m.Tick)
	m.wg.Add(1)
	m.mu.Unlock()

	m.restore()
	go m.loop(ctx, ticks, stop)
}

// Close stops background work and waits for it. A refresh cut short by Close
// keeps the saved token, so the next run retries it. Close the Manager before
// its Store: a refresh that lands during Close still saves its new token.
func (m *Manager) Close() {
	m.mu.Lock()
	m.closed = true
	m.markReadyLocked()
	m.mu.Unlock()
	m.CancelBrowserLogin()
	m.cancel()
	m.wg.Wait()
}

// Session waits until the start-up restore attempt is over, then returns the
// current session, or nil when logged out. A restore that could not reach the
// backend keeps retrying in the background; OnChange reports when it lands.
func (m *Manager) Session(ctx context.Context) (*Session, error) {
	select {
	case <-m.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.sessionLocked(), nil
}

// Backend returns the backend in use, so callers can show which one is
// selected even while logged out.
func (m *Manager) Backend() Backend {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.b
}

// sessionLocked is the UI's view of the current session: a fresh value, so
// no two holders share one.
func (m *Manager) sessionLocked() *Session {
	st := m.cur
	if st == nil || st.restoring() {
		return nil
	}
	return &Session{
		User:          st.user,
		BackendKind:   m.b.Kind,
		BackendLabel:  m.b.Label,
		AccessExpires: st.accessExp,
		LastRefresh:   st.lastRefresh,
	}
}

func (m *Manager) markReadyLocked() { m.readyOnce.Do(func() { close(m.ready) }) }

func (m *Manager) loop(ctx context.Context, ticks <-chan time.Time, stop func()) {
	defer m.wg.Done()
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.ctx.Done():
			return
		case <-ticks:
			m.check()
			if m.afterTick != nil {
				m.afterTick()
			}
		}
	}
}

// check runs on each tick: it ends a session whose refresh token has expired
// and refreshes one that is due, waiting for the refresh so ticks never pile
// up behind a slow network.
func (m *Manager) check() {
	m.mu.Lock()
	st := m.cur
	if st == nil {
		m.mu.Unlock()
		return
	}
	now := m.Now()
	if st.refreshExpired(now) || st.accessOnlyExpired(now) {
		m.endLocked()
		m.unlockEmit(nil, ReasonExpired)
		return
	}
	if st.accessOnly() {
		m.mu.Unlock() // nothing to refresh it with
		return
	}
	if m.flight == nil && !st.due(now, m.RefreshBefore) {
		m.mu.Unlock()
		return
	}
	f := m.refreshLocked()
	m.mu.Unlock()
	select {
	case <-f.done:
	case <-m.ctx.Done():
	}
}

// restore starts refreshing the saved session if it belongs to the current
// backend and nothing else is going on. A token saved for another backend is
// left alone: switching back to that backend can still use it.
func (m *Manager) restore() *flight {
	m.mu.Lock()
	saved := m.loadLocked(m.b.ID)
	if saved == nil || saved.BackendID != m.b.ID || saved.RefreshToken == "" || m.cur != nil {
		m.markReadyLocked()
		m.mu.Unlock()
		return nil
	}
	if !saved.RefreshExpires.IsZero() && !m.Now().Before(saved.RefreshExpires) {
		m.clearLocked(saved.BackendID)
		m.markReadyLocked()
		m.unlockEmit(nil, ReasonExpired)
		return nil
	}
	m.epoch++
	m.cur = &state{
		epoch:      m.epoch,
		backendID:  saved.BackendID,
		user:       backend.User{ID: saved.UserID, Username: saved.Username},
		refresh:    saved.RefreshToken,
		refreshExp: saved.RefreshExpires,
	}
	f := m.refreshLocked()
	m.mu.Unlock()
	return f
}

// endLocked forgets the current session here and on disk. The caller emits.
func (m *Manager) endLocked() {
	st := m.cur
	m.dropLocked()
	if st != nil {
		m.clearLocked(st.backendID)
	}
}

// dropLocked forgets the current session here only; its saved copy stays.
func (m *Manager) dropLocked() {
	m.cur = nil
	m.epoch++
	m.flight = nil // a refresh still running belongs to the old epoch
}

func (m *Manager) loadLocked(backendID string) *backend.SavedSession {
	if m.store == nil {
		return nil
	}
	saved, err := m.store.LoadSession(backendID)
	if err != nil {
		m.log().Error("session: could not read the saved session; starting logged out", "err", err)
		return nil
	}
	return saved
}

// saveLocked saves st's refresh token. A failure is logged and otherwise
// ignored: the session still works for this run, and refusing it would log
// the person out over a disk problem. The cost is a login after restart.
func (m *Manager) saveLocked(st *state) {
	if m.store == nil {
		return
	}
	if st.accessOnly() {
		// Nothing a restart could use; a session saved earlier for this
		// backend belongs to the past.
		m.clearLocked(st.backendID)
		return
	}
	err := m.store.SaveSession(backend.SavedSession{
		BackendID:      st.backendID,
		UserID:         st.user.ID,
		Username:       st.user.Username,
		RefreshToken:   st.refresh,
		RefreshExpires: st.refreshExp,
		Saved:          m.Now(),
	})
	if err != nil {
		m.log().Error("session: could not save the refresh token; the next start will need a login",
			"user", st.user.ID, "err", err)
	}
}

func (m *Manager) clearLocked(backendID string) {
	if m.store == nil {
		return
	}
	if err := m.store.ClearSession(backendID); err != nil {
		m.log().Error("session: could not clear the saved session", "err", err)
	}
}

func (m *Manager) log() *slog.Logger {
	if m.Logger != nil {
		return m.Logger
	}
	return slog.Default()
}
