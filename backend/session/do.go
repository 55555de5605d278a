package session

import (
	"context"
	"sync/atomic"

	"github.com/authdesk/authdesk/backend"
)

// Do runs fn with the selected backend's user directory, the current access
// token bound in. If the backend refuses the token (EUNAUTHORIZED), Do
// refreshes once (sharing any refresh already in flight) and runs fn once
// more; a second refusal is returned as it is, since a fresh token being
// refused means "not allowed", not "expired". A backend without a directory
// gives ENOTFOUND.
func (m *Manager) Do(ctx context.Context, fn DirectoryFunc) error {
	m.mu.Lock()
	st, b := m.cur, m.b
	if st == nil || st.restoring() {
		m.mu.Unlock()
		return errNotLoggedIn()
	}
	epoch, token := st.epoch, st.access
	m.mu.Unlock()
	dir, ok := b.Auth.(backend.TokenDirectory)
	if !ok {
		return backend.Errorf(backend.ENOTFOUND, "%s has no list of users", b.Label)
	}
	err := run(ctx, fn, dir, token)
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		return err
	}
	auth, token, err := m.renew(ctx, epoch, token)
	if err != nil {
		return err
	}
	if dir, ok = auth.(backend.TokenDirectory); !ok {
		return errEnded() // the backend changed under the call
	}
	return run(ctx, fn, dir, token)
}

// run calls fn with dir bound to token, and unbinds it when fn returns.
func run(ctx context.Context, fn DirectoryFunc, dir backend.TokenDirectory, token string) error {
	b := &boundDirectory{dir: dir}
	b.bind(token, "a user directory was used after its Manager.Do call returned")
	defer b.unbind()
	return fn(ctx, b)
}

// binding is what every token-bound value the Do calls hand out shares: the
// access token, and a flag set when the call returns, after which any use
// is an internal error (misuse says which value and call).
type binding struct {
	token  string
	misuse string
	done   atomic.Bool
}

func (b *binding) bind(token, misuse string) { b.token, b.misuse = token, misuse }

func (b *binding) unbind() { b.done.Store(true) }

func (b *binding) check() error {
	if b.done.Load() {
		return backend.Errorf(backend.EINTERNAL, "%s", b.misuse)
	}
	return nil
}

// boundDirectory is a backend.UserDirectory for one Do call.
type boundDirectory struct {
	binding
	dir backend.TokenDirectory
}

func (b *boundDirectory) ListUsers(ctx context.Context) ([]backend.User, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.dir.ListUsers(ctx, b.token)
}

func (b *boundDirectory) GetUser(ctx context.Context, id string) (*backend.User, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.dir.GetUser(ctx, b.token, id)
}

// renew returns a newer access token than refused, for the session epoch.
func (m *Manager) renew(ctx context.Context, epoch uint64, refused string) (backend.Refresher, string, error) {
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
