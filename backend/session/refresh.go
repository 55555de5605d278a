package session

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// flight is one Refresh call that any number of callers wait on.
type flight struct {
	epoch uint64
	done  chan struct{}
	err   error // set before done is closed
}

// refreshLocked returns the refresh in flight for the current session,
// starting one if there is none. m.mu must be held and m.cur set.
func (m *Manager) refreshLocked() *flight {
	if m.flight != nil {
		return m.flight
	}
	f := &flight{epoch: m.cur.epoch, done: make(chan struct{})}
	if m.closed {
		f.err = backend.Errorf(backend.EUNAVAILABLE, "AuthDesk is shutting down")
		close(f.done)
		return f
	}
	m.flight = f
	auth, token := m.b.Auth, m.cur.refresh
	m.wg.Add(1)
	// Its own goroutine, on the Manager's context: the refresh is shared, so
	// one waiter giving up must not cancel it for the others.
	go func() {
		defer m.wg.Done()
		g, err := m.attempt(auth, token)
		if lostAnswer(err) && m.ctx.Err() == nil {
			// The server may have rotated the token and the answer got
			// lost on the way. It takes the same token again only within
			// its grace (backend.RefreshGrace), so retry now, not after
			// the backoff.
			m.log().Info("session: a refresh got no usable answer; retrying at once", "err", err)
			g, err = m.attempt(auth, token)
		}
		m.finishRefresh(f, auth, g, err)
		close(f.done)
	}()
	return f
}

// attempt is one Refresh call, bounded by RefreshTimeout.
func (m *Manager) attempt(auth backend.Refresher, token string) (*backend.Grant, error) {
	ctx, cancel := context.WithTimeout(m.ctx, m.RefreshTimeout)
	defer cancel()
	g, err := auth.Refresh(ctx, token)
	if err == nil && !validGrant(g) {
		err = backend.Errorf(backend.EUNAVAILABLE, "The server's answer to a session refresh had no tokens")
	}
	return g, err
}

// lostAnswer reports whether a refresh failed without a definite answer (no
// connection, a timeout, a server or proxy error), so the server may have
// rotated the token all the same.
func lostAnswer(err error) bool {
	code := backend.ErrorCode(err)
	return code == backend.EUNAVAILABLE || code == backend.EINTERNAL
}

// finishRefresh applies a refresh result. The order on success matters:
// refresh tokens rotate, so the new one is saved before anything uses the new
// access token, and OnChange runs last.
func (m *Manager) finishRefresh(f *flight, auth backend.Refresher, g *backend.Grant, err error) {
	m.mu.Lock()
	if m.flight == f {
		m.flight = nil
	}
	// Whatever happened, the start-up attempt is over. Before any emit, so an
	// OnChange that calls Session does not wait on itself.
	m.markReadyLocked()

	st := m.cur
	if st == nil || st.epoch != f.epoch {
		// The session ended or was replaced while this ran. A grant that came
		// back anyway must not outlive it.
		if err == nil {
			m.goRevokeLocked(auth, g.AccessToken, g.RefreshToken)
		}
		f.err = errEnded()
		m.mu.Unlock()
		return
	}

	now := m.Now()
	switch {
	case err == nil:
		next := stateFromGrant(g, st.backendID, st.epoch, now)
		next.lastRefresh = now
		m.saveLocked(next)
		m.cur = next
		m.unlockEmit(m.sessionLocked(), ReasonRefresh)

	case backend.ErrorCode(err) == backend.EUNAUTHORIZED:
		// The only answer that ends a session: the backend knows the token
		// and says no.
		f.err = err
		m.log().Info("session: the backend refused the refresh token; session ended", "user", st.user.ID)
		m.endLocked()
		m.unlockEmit(nil, ReasonRevoked)

	default:
		// Offline, timed out, server error, or anything unexpected: the
		// session may well be fine, so keep it and try again later.
		f.err = err
		st.failed(now, m.MinBackoff, m.MaxBackoff)
		// A throttled or busy server said when to come back: no sooner
		// (and no later than the longest backoff).
		if wait := min(backend.RetryAfter(err), m.MaxBackoff); now.Add(wait).After(st.retryAt) {
			st.retryAt = now.Add(wait)
		}
		m.log().Warn("session: refresh failed; will retry", "user", st.user.ID, "retry_in", st.backoff, "err", err)
		m.mu.Unlock()
	}
}

// goRevokeLocked revokes tokens in the background, best effort: nobody is
// waiting, and a failure only leaves a token that will expire on its own.
func (m *Manager) goRevokeLocked(auth backend.Refresher, access, refresh string) {
	if m.closed || access == "" {
		return
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		ctx, cancel := context.WithTimeout(m.ctx, m.RefreshTimeout)
		defer cancel()
		if err := auth.Revoke(ctx, access, refresh); err != nil {
			m.log().Warn("session: could not revoke a replaced session", "err", err)
		}
	}()
}

func errEnded() error {
	return backend.Errorf(backend.EUNAUTHORIZED, "Your session has ended. Please log in again.")
}

func errNotLoggedIn() error {
	return backend.Errorf(backend.EUNAUTHORIZED, "You are not logged in")
}
