package session

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// Do runs fn with the current access token. If the backend refuses the token
// (EUNAUTHORIZED), Do refreshes once (sharing any refresh already in flight)
// and runs fn once more; a second refusal is returned as it is, since a fresh
// token being refused means "not allowed", not "expired".
func (m *Manager) Do(ctx context.Context, fn CallFunc) error {
	m.mu.Lock()
	st, auth := m.cur, m.b.Auth
	if st == nil || st.restoring() {
		m.mu.Unlock()
		return errNotLoggedIn()
	}
	epoch, token := st.epoch, st.access
	m.mu.Unlock()

	err := fn(ctx, auth, token)
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		return err
	}
	auth, token, err = m.renew(ctx, epoch, token)
	if err != nil {
		return err
	}
	return fn(ctx, auth, token)
}

// renew returns a newer access token than refused, for the session epoch.
func (m *Manager) renew(ctx context.Context, epoch uint64, refused string) (backend.Authenticator, string, error) {
	m.mu.Lock()
	st := m.cur
	switch {
	case st == nil || st.epoch != epoch:
		m.mu.Unlock()
		return nil, "", errEnded()
	case st.access != refused:
		// Someone else's refresh landed while fn ran: use its token.
		auth, token := m.b.Auth, st.access
		m.mu.Unlock()
		return auth, token, nil
	case st.refreshExpired(m.Now()):
		m.endLocked()
		m.unlockEmit(nil, ReasonExpired)
		return nil, "", errEnded()
	}
	f := m.refreshLocked()
	m.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
	switch code := backend.ErrorCode(f.err); {
	case code == backend.EUNAUTHORIZED:
		return nil, "", errEnded()
	case code == backend.EINTERNAL:
		// Not an application error (or one without a readable message):
		// keep the cause for the log, say something a person can use.
		return nil, "", backend.Wrap(backend.EUNAVAILABLE, f.err, "Could not renew your session. Check the connection and try again.")
	case f.err != nil:
		return nil, "", f.err
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil || m.cur.epoch != epoch {
		return nil, "", errEnded()
	}
	return m.b.Auth, m.cur.access, nil
}
