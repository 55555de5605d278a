package app

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// Users is the bound API for the users list: the tutorial's "secure API end
// point". The session manager runs the call with its access token and
// refreshes it once if the backend refuses it; no token passes through here.
type Users struct {
	Sessions Sessions
}

// List returns the users the logged-in person may see.
func (u *Users) List() ([]UserView, error) {
	var users []backend.User
	err := u.Sessions.Do(context.Background(), func(ctx context.Context, dir backend.UserDirectory) error {
		var err error
		users, err = dir.ListUsers(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return userViews(users), nil
}
