package app

import (
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// The UI's contract: what bindings return and events carry. These types are
// the app's own, so a change in a backend or session type cannot silently
// change what the UI receives, and none of them has room for a token.

// UserView is a user as the UI shows one.
type UserView struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Role      string `json:"role,omitempty"`
}

func userView(u backend.User) UserView {
	return UserView{ID: u.ID, Username: u.Username, FirstName: u.FirstName, LastName: u.LastName, Role: string(u.Role)}
}

func userViews(users []backend.User) []UserView {
	out := make([]UserView, 0, len(users)) // the UI expects an array, never null
	for _, u := range users {
		out = append(out, userView(u))
	}
	return out
}

// SessionView is the current session as the UI shows it.
type SessionView struct {
	User          UserView  `json:"user"`
	BackendKind   string    `json:"backendKind"`  // a registry kind name
	BackendLabel  string    `json:"backendLabel"` // "Embedded (offline)" or the server's URL
	AccessExpires time.Time `json:"accessExpires,omitzero"`
	LastRefresh   time.Time `json:"lastRefresh,omitzero"` // zero until the first refresh
}

// sessionView is nil for nil (logged out).
func sessionView(s *session.Session) *SessionView {
	if s == nil {
		return nil
	}
	return &SessionView{
		User:          userView(s.User),
		BackendKind:   s.BackendKind,
		BackendLabel:  s.BackendLabel,
		AccessExpires: s.AccessExpires,
		LastRefresh:   s.LastRefresh,
	}
}

// CapabilitiesView says what the selected backend can do, so the UI offers
// only that. It grows a field per optional interface in package backend.
type CapabilitiesView struct {
	PasswordLogin bool `json:"passwordLogin"` // the login page shows the username/password form
	UserDirectory bool `json:"userDirectory"` // the home page lists users
	TwoStep       bool `json:"twoStep"`       // people can set up two-step sign-in (TwoStep.Begin)
	TwoStepAdmin  bool `json:"twoStepAdmin"`  // admins see who has it and reset it
	// BrowserLogin: the login page shows "Sign in with <ProviderName>"
	// (Provider.SignInWithProvider) instead of the password form.
	BrowserLogin bool   `json:"browserLogin"`
	ProviderName string `json:"providerName,omitempty"`
}

func capabilitiesView(c backend.Capabilities) CapabilitiesView {
	return CapabilitiesView{PasswordLogin: c.PasswordLogin, UserDirectory: c.UserDirectory,
		TwoStep: c.SecondFactor, TwoStepAdmin: c.SecondFactorAdmin,
		BrowserLogin: c.BrowserLogin, ProviderName: c.ProviderName}
}

// ProbeView is what Settings' "Test connection" shows.
type ProbeView struct {
	URL    string `json:"url"`
	Status string `json:"status"` // a probe status: "reachable", "unreachable", "not_this_api"
	Reason string `json:"reason"` // a sentence for the person
}
