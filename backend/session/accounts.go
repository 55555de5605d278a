package session

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// AccountsFunc is a call made through Manager.DoAccounts; acc has the access
// token bound in and works only until DoAccounts returns.
type AccountsFunc func(ctx context.Context, acc backend.Accounts) error

// DoAccounts runs fn with the selected backend's paged user list and account
// management, the current access token bound in. As Do, it refreshes once
// and runs fn again when the token is refused. Any backend with a user
// directory can page (one without TokenUserPager is paged in memory); the
// admin calls need TokenUserAdmin.
func (m *Manager) DoAccounts(ctx context.Context, fn AccountsFunc) error {
	return m.Do(ctx, func(ctx context.Context, _ backend.UserDirectory) error {
		m.mu.Lock()
		auth, token := m.b.Auth, ""
		if m.cur != nil {
			token = m.cur.access
		}
		m.mu.Unlock()
		dir, _ := auth.(backend.TokenDirectory)
		if dir == nil || token == "" {
			return errEnded()
		}
		acc := &boundAccounts{auth: auth, dir: dir}
		acc.bind(token, "accounts were used after their Manager.DoAccounts call returned")
		defer acc.unbind()
		return fn(ctx, acc)
	})
}

// boundAccounts is a backend.Accounts for one DoAccounts call.
type boundAccounts struct {
	binding
	auth backend.Refresher
	dir  backend.TokenDirectory
}

var _ backend.Accounts = (*boundAccounts)(nil)

func (b *boundAccounts) admin() (backend.TokenUserAdmin, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	a, ok := b.auth.(backend.TokenUserAdmin)
	if !ok {
		return nil, backend.Errorf(backend.ENOTFOUND, "This backend does not manage accounts")
	}
	return a, nil
}

func (b *boundAccounts) Features(ctx context.Context) (backend.UserFeatures, error) {
	if err := b.check(); err != nil {
		return backend.UserFeatures{}, err
	}
	if p, ok := b.auth.(backend.UserFeatureProber); ok {
		return p.UserFeatures(ctx, b.token)
	}
	_, paging := b.auth.(backend.TokenUserPager)
	_, admin := b.auth.(backend.TokenUserAdmin)
	return backend.UserFeatures{Paging: paging, Admin: admin}, nil
}

func (b *boundAccounts) Page(ctx context.Context, q backend.UserQuery) (*backend.UserPage, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	if p, ok := b.auth.(backend.TokenUserPager); ok {
		return p.PageUsers(ctx, b.token, q)
	}
	if err := q.Check(); err != nil {
		return nil, err
	}
	users, err := b.dir.ListUsers(ctx, b.token)
	if err != nil {
		return nil, err
	}
	return backend.SelectPage(q, func(yield func(backend.UserEntry) bool) {
		for _, u := range users {
			if !yield(backend.UserEntry{User: u}) {
				return
			}
		}
	})
}

func (b *boundAccounts) Create(ctx context.Context, u backend.NewUser) (*backend.User, error) {
	a, err := b.admin()
	if err != nil {
		return nil, err
	}
	return a.CreateUser(ctx, b.token, u)
}

func (b *boundAccounts) Update(ctx context.Context, id string, ch backend.UserChanges) (*backend.UserEntry, error) {
	a, err := b.admin()
	if err != nil {
		return nil, err
	}
	return a.UpdateUser(ctx, b.token, id, ch)
}

func (b *boundAccounts) ResetPassword(ctx context.Context, id, password string) error {
	a, err := b.admin()
	if err != nil {
		return err
	}
	return a.ResetPassword(ctx, b.token, id, password)
}

func (b *boundAccounts) Unlock(ctx context.Context, id string) error {
	a, err := b.admin()
	if err != nil {
		return err
	}
	return a.UnlockUser(ctx, b.token, id)
}

func (b *boundAccounts) Remove(ctx context.Context, id string) error {
	a, err := b.admin()
	if err != nil {
		return err
	}
	return a.RemoveUser(ctx, b.token, id)
}
