package session

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// OwnAccountFunc is a call made through Manager.DoOwnAccount; acct has the access
// token bound in and works only until DoOwnAccount returns.
type OwnAccountFunc func(ctx context.Context, acct backend.OwnAccount) error

// MsgNoAccount is the refusal when the selected backend has no account
// management (the tutorial's own APIs, say).
const MsgNoAccount = "%s does not offer changing the password or listing sessions"

// DoOwnAccount runs fn with the signed-in person's account on the selected
// backend, the current access token bound in (so the backend knows which
// session is the current one). As Do, it refreshes once and runs fn again
// when the token is refused. A backend without account management, or a
// server that does not offer it (backend.OwnAccountOffer), gives ENOTFOUND.
//
// A wrong current password is EINVALID, not EUNAUTHORIZED, so it is never
// checked twice by the retry.
func (m *Manager) DoOwnAccount(ctx context.Context, fn OwnAccountFunc) error {
	m.mu.Lock()
	st, b := m.cur, m.b
	if st == nil || st.restoring() {
		m.mu.Unlock()
		return errNotLoggedIn()
	}
	epoch, token := st.epoch, st.access
	m.mu.Unlock()
	err := runAccount(ctx, fn, b.Auth, b.Label, token)
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		return err
	}
	auth, token, err := m.renew(ctx, epoch, token)
	if err != nil {
		return err
	}
	return runAccount(ctx, fn, auth, b.Label, token)
}

func runAccount(ctx context.Context, fn OwnAccountFunc, auth backend.Refresher, label, token string) error {
	mgr, ok := auth.(backend.OwnAccountManager)
	if !ok {
		return backend.Errorf(backend.ENOTFOUND, MsgNoAccount, label)
	}
	if offer, ok := auth.(backend.OwnAccountOffer); ok {
		offered, err := offer.OffersAccount(ctx, token)
		if err != nil {
			return err
		} else if !offered {
			return backend.Errorf(backend.ENOTFOUND, MsgNoAccount, label)
		}
	}
	a := &boundAccount{mgr: mgr}
	a.bind(token, "an account was used after its Manager.DoOwnAccount call returned")
	defer a.unbind()
	return fn(ctx, a)
}

// boundAccount is a backend.OwnAccount for one DoOwnAccount call.
type boundAccount struct {
	binding
	mgr backend.OwnAccountManager
}

var _ backend.OwnAccount = (*boundAccount)(nil)

func (a *boundAccount) ChangePassword(ctx context.Context, current, newPassword string) error {
	if err := a.check(); err != nil {
		return err
	}
	return a.mgr.ChangePassword(ctx, a.token, current, newPassword)
}

func (a *boundAccount) Sessions(ctx context.Context) ([]backend.SessionInfo, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	return a.mgr.MySessions(ctx, a.token)
}

func (a *boundAccount) SignOut(ctx context.Context, id string) error {
	if err := a.check(); err != nil {
		return err
	}
	return a.mgr.SignOutSession(ctx, a.token, id)
}

func (a *boundAccount) SignOutOthers(ctx context.Context) (int, error) {
	if err := a.check(); err != nil {
		return 0, err
	}
	return a.mgr.SignOutOtherSessions(ctx, a.token)
}
