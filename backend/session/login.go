package session

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// Login checks the credentials with the backend and starts a session,
// replacing any current one. Backend errors come back unchanged: they are
// already written for a person.
func (m *Manager) Login(ctx context.Context, username, password string) (*Session, error) {
	m.mu.Lock()
	b, switches := m.b, m.switches
	m.mu.Unlock()
	auth := b.Auth
	login, ok := auth.(backend.PasswordLogin)
	if !ok {
		return nil, backend.Errorf(backend.EINVALID, "%s does not sign in with a username and password", b.Label)
	}

	g, err := login.Authenticate(ctx, username, password)
	if err != nil {
		return nil, m.holdCodeStep(err, auth, switches) // mfa.go: a second factor's challenge stays here
	}
	return m.startFromGrant(auth, b, switches, g)
}

// startFromGrant makes g the current session (Login, LoginMFA), unless the
// backend was switched since the login began (switches).
func (m *Manager) startFromGrant(auth backend.Refresher, b Backend, switches uint64, g *backend.Grant) (*Session, error) {
	return m.startSession(auth, b, switches, g, false)
}

// startSession is startFromGrant; accessOnly lets a grant without a refresh
// token start a session that ends when its access token expires (browser.go).
func (m *Manager) startSession(auth backend.Refresher, b Backend, switches uint64, g *backend.Grant, accessOnly bool) (*Session, error) {
	if !validGrant(g) && !(accessOnly && g != nil && g.AccessToken != "") {
		return nil, backend.Errorf(backend.EUNAVAILABLE, "The server's answer to the login had no tokens")
	}

	m.mu.Lock()
	if m.switches != switches {
		// The person picked another backend while this login was out; the
		// grant belongs to the old one.
		m.goRevokeLocked(auth, g.AccessToken, g.RefreshToken)
		m.mu.Unlock()
		return nil, backend.Errorf(backend.ECONFLICT, "The backend was changed while you were logging in. Please log in again.")
	}
	m.code = nil // a pending code step is over once any login succeeds
	old := m.cur
	m.epoch++
	st := stateFromGrant(g, b.ID, m.epoch, m.Now())
	m.flight = nil // a refresh of the old session must not land on this one
	m.saveLocked(st)
	m.cur = st
	if old != nil {
		m.goRevokeLocked(auth, old.access, old.refresh)
	}
	m.markReadyLocked()
	s := m.sessionLocked()
	m.unlockEmit(m.sessionLocked(), ReasonLogin)
	return s, nil
}

// Logout ends the session here and then revokes its refresh token. It ends
// locally first so the window updates at once even when the backend is slow
// or unreachable; a failed revoke is logged and Logout still returns nil,
// because the person is logged out of this computer either way.
func (m *Manager) Logout(ctx context.Context) error {
	m.mu.Lock()
	st, auth := m.cur, m.b.Auth
	if st == nil {
		m.mu.Unlock()
		return nil
	}
	m.endLocked()
	m.unlockEmit(nil, ReasonLogout)
	m.revoke(ctx, auth, st)
	return nil
}

// Switch ends the current session (revoking it, best effort) and uses b from
// now on. A saved session that is still being restored (its backend was
// unreachable) is only set aside: it stays saved for its backend, as every
// backend's saved session does, so switching back restores it. If a session
// for b was saved earlier, Switch tries to restore it and waits for that
// first attempt, as Session does at start.
func (m *Manager) Switch(ctx context.Context, b Backend) error {
	m.mu.Lock()
	st, oldAuth := m.cur, m.b.Auth
	m.b = b
	m.switches++
	if pending := m.browser; pending != nil {
		// A browser sign-in with the old backend is over (browser.go).
		m.browser = nil
		pending.flow.Cancel()
	}
	switch {
	case st != nil && st.restoring():
		m.dropLocked()
		m.mu.Unlock()
	case st != nil:
		m.endLocked()
		m.unlockEmit(nil, ReasonLogout)
		m.revoke(ctx, oldAuth, st)
	default:
		m.mu.Unlock()
	}

	if f := m.restore(); f != nil {
		select {
		case <-f.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// revoke asks the backend to end st's refresh token. A session still being
// restored has no access token to authorise that, so there is nothing to do.
func (m *Manager) revoke(ctx context.Context, auth backend.Refresher, st *state) {
	if st.restoring() {
		return
	}
	if err := auth.Revoke(ctx, st.access, st.refresh); err != nil {
		m.log().Warn("session: could not revoke the session on the backend; it was ended here",
			"user", st.user.ID, "err", err)
	}
}
