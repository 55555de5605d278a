package app

import (
	"context"
	"log/slog"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// Sessions is the session manager as the bound structs use it
// (*session.Manager in the app; a stand-in in tests).
type Sessions interface {
	Session(ctx context.Context) (*session.Session, error)
	Login(ctx context.Context, username, password string) (*session.Session, error)
	Logout(ctx context.Context) error
	// Do runs fn with the backend's user directory, the token bound in.
	Do(ctx context.Context, fn session.DirectoryFunc) error
	Backend() session.Backend
}

// SessionChange is the payload of EventSessionChanged. Session is nil when
// the session ended.
type SessionChange struct {
	Session *SessionView `json:"session"`
	Reason  string       `json:"reason"` // a session.Reason
}

// SessionEvents returns the manager's OnChange hook: every change reaches the
// UI as EventSessionChanged.
func SessionEvents(rt Runtime, log *slog.Logger) func(*session.Session, session.Reason) {
	return func(s *session.Session, reason session.Reason) {
		if s != nil {
			log.Info("session changed", "reason", reason, "user", s.User.Username, "backend", s.BackendKind, "expires", s.AccessExpires)
		} else {
			log.Info("session ended", "reason", reason)
		}
		rt.EventsEmit(EventSessionChanged, SessionChange{Session: sessionView(s), Reason: string(reason)})
	}
}

// LoginInfo tells the UI which backend it signs in to and what that backend
// can do (the one call that reports its capabilities), and whether to show
// the demo credentials.
type LoginInfo struct {
	BackendKind  string           `json:"backendKind"`
	BackendLabel string           `json:"backendLabel"`
	DemoHint     bool             `json:"demoHint"`
	Capabilities CapabilitiesView `json:"capabilities"`
}

// Auth is the bound API for logging in and out. It hands the UI Session views
// only; tokens stay in the session manager.
type Auth struct {
	Sessions Sessions
	Log      *slog.Logger
}

// Login checks the credentials with the selected backend and starts a session.
func (a *Auth) Login(username, password string) (*SessionView, error) {
	s, err := a.Sessions.Login(context.Background(), username, password)
	if err != nil {
		return nil, err
	}
	return sessionView(s), nil
}

// Logout ends the session; it succeeds offline too (the token is forgotten).
func (a *Auth) Logout() error {
	return a.Sessions.Logout(context.Background())
}

// Session returns the current session or nil. At start-up it waits for the
// attempt to restore the saved session, so the UI's first route is right.
func (a *Auth) Session() (*SessionView, error) {
	s, err := a.Sessions.Session(context.Background())
	if err != nil {
		return nil, err
	}
	return sessionView(s), nil
}

// LoginInfo describes the backend the login page logs into.
func (a *Auth) LoginInfo() (LoginInfo, error) {
	b := a.Sessions.Backend()
	info := LoginInfo{BackendKind: b.Kind, BackendLabel: b.Label, Capabilities: capabilitiesView(backend.CapabilitiesOf(b.Auth))}
	if demo, ok := b.Auth.(backend.DemoAccountChecker); ok {
		active, err := demo.DemoAccountActive(context.Background())
		if err != nil {
			// The hint is a convenience: say nothing rather than fail the page.
			a.Log.Warn("cannot tell whether the demo account is active", "err", err)
		}
		info.DemoHint = active
	}
	return info, nil
}
