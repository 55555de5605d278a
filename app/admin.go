package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// AccountsSessions is what Accounts needs from the session manager
// (*session.Manager in the app).
type AccountsSessions interface {
	DoAccounts(ctx context.Context, fn session.AccountsFunc) error
}

// Accounts is the bound API of the paged user lists (the home page's list
// and the admin's Users page) and of account management. Every call runs
// through the session manager with the access token bound in; nothing here
// sees a token.
type Accounts struct {
	Sessions AccountsSessions
	Log      *slog.Logger
}

// AccountFeaturesView says what the Users page may offer for the selected
// backend: paging done by the backend (search and sort stay available
// either way: without it they run over the whole list in Go), and admin
// account management.
type AccountFeaturesView struct {
	Paging bool `json:"paging"`
	Admin  bool `json:"admin"`
}

// UserQueryView asks for one page; every field may be left empty.
type UserQueryView struct {
	Search string `json:"search"`
	Sort   string `json:"sort"` // "id", "username", "firstName", "lastName"
	Desc   bool   `json:"desc"`
	Limit  int    `json:"limit"`
	Cursor string `json:"cursor"`
}

// UserRowView is a user in a page; disabled and lockedUntil only for admins.
type UserRowView struct {
	UserView
	Disabled    bool      `json:"disabled"`
	LockedUntil time.Time `json:"lockedUntil,omitzero"`
}

// UserPageView is one page and the cursor of the next ("" after the last).
type UserPageView struct {
	Users []UserRowView `json:"users"`
	Next  string        `json:"next"`
	Total int           `json:"total"`
}

// NewUserView is the Add user form.
type NewUserView struct {
	Username  string `json:"username"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Role      string `json:"role"`
	Password  string `json:"password"`
}

// UserEditView is the Edit form: names and role.
type UserEditView struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Role      string `json:"role"`
}

func rowView(e backend.UserEntry) UserRowView {
	return UserRowView{UserView: userView(e.User), Disabled: e.Disabled, LockedUntil: e.LockedUntil}
}

func (a *Accounts) do(fn session.AccountsFunc) error {
	return a.Sessions.DoAccounts(context.Background(), fn)
}

func (a *Accounts) log(msg string, args ...any) {
	if a.Log != nil {
		a.Log.Info(msg, args...)
	}
}

// Features says what the selected backend offers (a remote server is asked).
func (a *Accounts) Features() (AccountFeaturesView, error) {
	var v AccountFeaturesView
	err := a.do(func(ctx context.Context, acc backend.Accounts) error {
		f, err := acc.Features(ctx)
		v = AccountFeaturesView{Paging: f.Paging, Admin: f.Admin}
		return err
	})
	return v, err
}

// Page returns one page of the users the signed-in person may see.
func (a *Accounts) Page(q UserQueryView) (UserPageView, error) {
	v := UserPageView{Users: []UserRowView{}}
	err := a.do(func(ctx context.Context, acc backend.Accounts) error {
		p, err := acc.Page(ctx, backend.UserQuery{Search: q.Search, Sort: backend.UserSort(q.Sort), Desc: q.Desc, Limit: q.Limit, Cursor: q.Cursor})
		if err != nil {
			return err
		}
		for _, e := range p.Users {
			v.Users = append(v.Users, rowView(e))
		}
		v.Next, v.Total = p.Next, p.Total
		return nil
	})
	return v, err
}

// Create adds an account (admins only).
func (a *Accounts) Create(u NewUserView) (UserView, error) {
	var v UserView
	err := a.do(func(ctx context.Context, acc backend.Accounts) error {
		created, err := acc.Create(ctx, backend.NewUser{Username: u.Username, FirstName: u.FirstName, LastName: u.LastName, Role: backend.Role(u.Role), Password: u.Password})
		if err == nil {
			v = userView(*created)
			a.log("account created by an admin", "user", created.ID)
		}
		return err
	})
	return v, err
}

// Update sets names and role.
func (a *Accounts) Update(id string, e UserEditView) (UserRowView, error) {
	role := backend.Role(e.Role)
	return a.update(id, backend.UserChanges{FirstName: &e.FirstName, LastName: &e.LastName, Role: &role})
}

// SetDisabled disables (ending the person's sessions at once) or enables an account.
func (a *Accounts) SetDisabled(id string, disabled bool) (UserRowView, error) {
	row, err := a.update(id, backend.UserChanges{Disabled: &disabled})
	if err == nil {
		a.log("account disabled state changed by an admin", "user", id, "disabled", disabled)
	}
	return row, err
}

func (a *Accounts) update(id string, ch backend.UserChanges) (UserRowView, error) {
	var v UserRowView
	err := a.do(func(ctx context.Context, acc backend.Accounts) error {
		e, err := acc.Update(ctx, id, ch)
		if err == nil {
			v = rowView(*e)
		}
		return err
	})
	return v, err
}

// ResetPassword sets someone's password and ends their sessions.
func (a *Accounts) ResetPassword(id, password string) error {
	err := a.do(func(ctx context.Context, acc backend.Accounts) error { return acc.ResetPassword(ctx, id, password) })
	if err == nil {
		a.log("password reset by an admin", "user", id)
	}
	return err
}

// Unlock clears a throttled account's failed-login count.
func (a *Accounts) Unlock(id string) error {
	return a.do(func(ctx context.Context, acc backend.Accounts) error { return acc.Unlock(ctx, id) })
}

// Remove deletes an account.
func (a *Accounts) Remove(id string) error {
	err := a.do(func(ctx context.Context, acc backend.Accounts) error { return acc.Remove(ctx, id) })
	if err == nil {
		a.log("account removed by an admin", "user", id)
	}
	return err
}
