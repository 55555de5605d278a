package session

import (
	"context"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Browser sign-in (backend.BrowserLogin): the backend gives an address for
// the system browser and, once the person has signed in there, a Grant. From
// that Grant on it is a login like any other: startFromGrant saves the
// refresh token, the ticker refreshes it, Logout revokes it.

// DefaultBrowserLoginTimeout bounds a browser sign-in: the person has this
// long to finish at the provider before the manager stops waiting.
const DefaultBrowserLoginTimeout = 5 * time.Minute

// browserLogin is the sign-in in progress, so Cancel can reach it.
type browserLogin struct {
	flow   backend.BrowserFlow
	cancel context.CancelFunc
}

// LoginWithBrowser signs in with the current backend's browser login: it
// begins the flow, hands its address to open (the system browser), waits for
// the person to finish there (at most BrowserLoginTimeout) and starts the
// session from the grant, exactly as Login does. A second call cancels the
// first. Cancel, a timeout, a refusal at the provider and a wrong answer each
// come back as the backend's error, written for a person.
func (m *Manager) LoginWithBrowser(ctx context.Context, open func(url string) error) (*Session, error) {
	m.mu.Lock()
	b, switches := m.b, m.switches
	m.mu.Unlock()
	bl, ok := b.Auth.(backend.BrowserLogin)
	if !ok {
		return nil, backend.Errorf(backend.EINVALID, "%s signs in with a username and password, not in the browser", b.Label)
	}
	timeout := m.BrowserLoginTimeout
	if timeout <= 0 {
		timeout = DefaultBrowserLoginTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	flow, err := bl.BeginBrowserLogin(ctx)
	if err != nil {
		return nil, err
	}
	me := &browserLogin{flow: flow, cancel: cancel}
	m.mu.Lock()
	prev := m.browser
	m.browser = me
	closed := m.closed
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		if m.browser == me {
			m.browser = nil
		}
		m.mu.Unlock()
		flow.Cancel() // a no-op once the flow has ended; closes its listener otherwise
	}()
	if prev != nil {
		prev.flow.Cancel()
	}
	if closed {
		return nil, backend.Errorf(backend.EUNAVAILABLE, "AuthDesk is shutting down")
	}

	if err := open(flow.AuthURL()); err != nil {
		m.log().Warn("session: could not open the browser for the sign-in", "err", err)
		return nil, backend.Wrap(backend.EUNAVAILABLE, err, "AuthDesk could not open your web browser for the sign-in")
	}
	g, err := flow.Wait(ctx)
	if err != nil {
		return nil, err
	}
	// A provider may give no refresh token (the client may not ask for
	// offline_access): the session then lasts as long as its access token,
	// and nothing is saved for a restart.
	return m.startSession(b.Auth, b, switches, g, true)
}

// CancelBrowserLogin stops the browser sign-in in progress, if any (the
// login page's Cancel button). Its LoginWithBrowser call returns an
// EUNAUTHORIZED error wrapping context.Canceled.
func (m *Manager) CancelBrowserLogin() {
	m.mu.Lock()
	cur := m.browser
	m.browser = nil
	m.mu.Unlock()
	if cur != nil {
		cur.flow.Cancel()
	}
}

// BrowserLoginPending reports whether a browser sign-in is waiting.
func (m *Manager) BrowserLoginPending() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.browser != nil
}
