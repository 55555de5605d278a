package app

import (
	"context"

	"github.com/authdesk/authdesk/backend"
)

// Users is the bound API for the users list: the tutorial's "secure API end
// point". The session manager attaches the access token and refreshes it once
// if the backend refuses it.
type Users struct {
	Sessions Sessions
}

// List returns the users the logged-in person may see.
func (u *Users) List() ([]backend.User, error) {
	var users []backend.User
	err := u.Sessions.Do(context.Background(), func(ctx context.Context, auth backend.Authenticator, token string) error {
		var err error
		users, err = auth.ListUsers(ctx, token)
		return err
	})
	if err != nil {
		return nil, err
	}
	if users == nil {
		users = []backend.User{} // the UI expects an array, never null
	}
	return users, nil
}
