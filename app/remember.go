package app

import (
	"log/slog"

	"github.com/authdesk/authdesk/backend/secretstore"
	"github.com/authdesk/authdesk/backend/session"
)

// RememberStore is where sign-ins are kept (*secretstore.Sessions).
type RememberStore interface {
	Status(backendID string) (secretstore.Remembered, error)
	SetKeep(keep bool) error
}

// CurrentBackend names the backend in use (*session.Manager).
type CurrentBackend interface {
	Backend() session.Backend
}

// RememberView says where the sign-in for the backend in use is kept:
// Location is "keyring", "file", "memory" (saving failed: it lasts until
// AuthDesk closes) or "none". Problem is the keyring's (or the save's)
// trouble in words. Notice is "not_saved" or "moved_to_file" when a person
// should be told now. The UI words the rest itself.
type RememberView struct {
	Keep     bool   `json:"keep"`
	Location string `json:"location"`
	Problem  string `json:"problem,omitempty"`
	Notice   string `json:"notice,omitempty"`
}

func rememberView(r secretstore.Remembered) RememberView {
	return RememberView{Keep: r.Keep, Location: string(r.Location), Problem: r.Problem, Notice: r.Notice}
}

// Remember is the bound API of "Keep me signed in": the login page's
// checkbox and the Settings section that says where the sign-in is kept.
type Remember struct {
	Store    RememberStore
	Sessions CurrentBackend
}

// Status says where the sign-in for the backend in use is kept.
func (r *Remember) Status() (RememberView, error) {
	st, err := r.Store.Status(r.Sessions.Backend().ID)
	return rememberView(st), err
}

// SetKeep turns "Keep me signed in" on or off. Off deletes every saved
// sign-in at once (the current session lasts until AuthDesk closes); on
// saves the current one.
func (r *Remember) SetKeep(keep bool) (RememberView, error) {
	if err := r.Store.SetKeep(keep); err != nil {
		return RememberView{}, err
	}
	return r.Status()
}

// RememberEvents tells the UI where the sign-in went (secretstore.Sessions'
// OnChange). Changes for a backend not in use are only logged.
func RememberEvents(rt Runtime, log *slog.Logger) func(secretstore.Remembered) {
	return func(r secretstore.Remembered) {
		log.Info("sign-in kept", "backend", r.BackendID, "where", string(r.Location), "notice", r.Notice)
		rt.EventsEmit(EventRememberChanged, rememberView(r))
	}
}
