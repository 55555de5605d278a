package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// MyAccountSessions is what MyAccount needs from the session manager
// (*session.Manager in the app).
type MyAccountSessions interface {
	DoOwnAccount(ctx context.Context, fn session.OwnAccountFunc) error
}

// MyAccount is the bound API of the signed-in person's own account: changing
// the password and seeing and ending their sessions. The access token that
// authorises each call stays in the session manager.
type MyAccount struct {
	Sessions MyAccountSessions
	Log      *slog.Logger
}

// MyAccountInfoView says whether the selected backend offers the Account and
// Sessions pages for the signed-in person, and the password rule to show.
type MyAccountInfoView struct {
	Available         bool `json:"available"`
	MinPasswordLength int  `json:"minPasswordLength"`
}

// MySessionView is one of the person's sessions as the Sessions page
// shows it. It carries no token; ID only names the session for SignOut.
type MySessionView struct {
	ID string `json:"id"`
	// Client is "desktop" for this computer's embedded backend, else the
	// client's IP address as the server saw it.
	Client        string    `json:"client"`
	UserAgent     string    `json:"userAgent,omitempty"`
	Started       time.Time `json:"started,omitzero"`
	LastRefreshed time.Time `json:"lastRefreshed,omitzero"`
	Expires       time.Time `json:"expires,omitzero"`
	Current       bool      `json:"current"`
}

// Info says whether the account pages can be offered (asked after sign-in;
// a remote server is asked once). A backend without them is available:
// false; a failure to find out (the server cannot be reached) is an error,
// so the UI asks again later instead of hiding the pages for good.
func (a *MyAccount) Info() (MyAccountInfoView, error) {
	v := MyAccountInfoView{MinPasswordLength: backend.MinPasswordLength}
	err := a.Sessions.DoOwnAccount(context.Background(), func(context.Context, backend.OwnAccount) error { return nil })
	switch code := backend.ErrorCode(err); code {
	case "":
		v.Available = true
	case backend.ENOTFOUND:
	default:
		a.log().Debug("could not learn whether the account pages exist", "code", code, "err", err)
		return v, err
	}
	return v, nil
}

// ChangePassword replaces the password after checking current. On success
// every other session ends and this one goes on. A wrong current password
// is invalid; too_many_requests carries the wait.
func (a *MyAccount) ChangePassword(current, newPassword string) error {
	return a.Sessions.DoOwnAccount(context.Background(), func(ctx context.Context, acct backend.OwnAccount) error {
		return acct.ChangePassword(ctx, current, newPassword)
	})
}

// List returns the person's active sessions, the current one first.
func (a *MyAccount) List() ([]MySessionView, error) {
	out := []MySessionView{} // an array for the UI, never null
	err := a.Sessions.DoOwnAccount(context.Background(), func(ctx context.Context, acct backend.OwnAccount) error {
		list, err := acct.Sessions(ctx)
		for _, s := range list {
			out = append(out, MySessionView{
				ID: s.ID, Client: s.Client, UserAgent: s.UserAgent,
				Started: s.Started, LastRefreshed: s.LastRefreshed, Expires: s.Expires, Current: s.Current,
			})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SignOut ends one of the person's other sessions.
func (a *MyAccount) SignOut(id string) error {
	return a.Sessions.DoOwnAccount(context.Background(), func(ctx context.Context, acct backend.OwnAccount) error {
		return acct.SignOut(ctx, id)
	})
}

// SignOutOthers ends every session but this one and says how many ended.
func (a *MyAccount) SignOutOthers() (int, error) {
	var n int
	err := a.Sessions.DoOwnAccount(context.Background(), func(ctx context.Context, acct backend.OwnAccount) (err error) {
		n, err = acct.SignOutOthers(ctx)
		return err
	})
	return n, err
}

func (a *MyAccount) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}
