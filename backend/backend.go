// Package backend holds AuthDesk's domain: users, grants, the interface the
// session layer talks to, and error codes. Adapters live in subpackages, one per
// dependency (bolt for the embedded store, remote for the tutorial HTTP API,
// httpapi for serving the embedded backend, session for the client side); they
// speak to each other only in these types. main.go wires them.
package backend

import (
	"context"
	"time"
)

// Role is a user's role, as the tutorial's ASP.NET API names them.
type Role string

const (
	RoleAdmin Role = "Admin"
	RoleUser  Role = "User"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleUser }

// User is a person who can log in. ID is a string because the remote APIs use
// either a number or a 24-hex string; the embedded backend uses decimal numbers.
type User struct {
	ID        string    `json:"id"`
	Username  string    `json:"username"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	Role      Role      `json:"role,omitempty"`
	Created   time.Time `json:"created,omitzero"`
}

// Grant is what a successful login or refresh hands the client. It holds
// secrets: it must never be sent to the UI or logged.
type Grant struct {
	User           User
	AccessToken    string
	AccessExpires  time.Time
	RefreshToken   string
	RefreshExpires time.Time // zero when the backend does not say (remote cookies may omit it)
}

// RefreshTokenRecord describes one refresh token for the admin views and the
// served API's GET /users/{id}/refresh-tokens. Token is an identifier safe to
// show (the embedded store keeps only hashes, so it is the hash's prefix).
type RefreshTokenRecord struct {
	Token         string
	Family        string
	Created       time.Time
	Expires       time.Time
	CreatedBy     string
	Revoked       time.Time // zero if active
	RevokedBy     string
	ReplacedBy    string
	ReasonRevoked string
}

// IsExpired reports whether the token is past its expiry at now.
func (r RefreshTokenRecord) IsExpired(now time.Time) bool { return !now.Before(r.Expires) }

// IsRevoked reports whether the token was revoked.
func (r RefreshTokenRecord) IsRevoked() bool { return !r.Revoked.IsZero() }

// IsActive reports whether the token can still be used at now.
func (r RefreshTokenRecord) IsActive(now time.Time) bool { return !r.IsRevoked() && !r.IsExpired(now) }

// The capabilities a backend can have. Each is a small interface that an
// adapter implements or not; the session manager and app/ check for the ones
// they need with a type assertion, and the UI learns which ones the selected
// backend has from Capabilities (one binding call). A new login method or
// account feature is a new interface here, never a flag threaded through the
// layers. docs/ARCHITECTURE.md shows where the next ones (a browser login, a
// second-factor step) plug in.
//
// Error contract (the session manager depends on it):
//   - EINVALID: the input was rejected (empty or too long fields).
//   - EUNAUTHORIZED: wrong credentials, or a definite "this token is not valid".
//     From Refresh it means the session is over; from a directory call it means
//     the access token was refused (refresh once, then retry once).
//   - EUNAVAILABLE: network failure, timeout, 5xx. Never ends a session.

// Refresher renews and ends the sessions a backend starts. Every backend the
// session manager drives implements it, whatever way its sessions start.
type Refresher interface {
	// Refresh rotates a refresh token: the presented one is used up and a new
	// grant (with a new refresh token) comes back.
	Refresh(ctx context.Context, refreshToken string) (*Grant, error)
	// Revoke ends a refresh token without replacement. accessToken authorises it.
	Revoke(ctx context.Context, accessToken, refreshToken string) error
}

// PasswordLogin starts a session from a username and a password.
type PasswordLogin interface {
	// Authenticate checks a username and password and starts a token family.
	Authenticate(ctx context.Context, username, password string) (*Grant, error)
}

// TokenDirectory is a user directory as an adapter serves it: every call
// carries the access token that authorises it. Only the session layer calls
// it; everything above gets a UserDirectory with the token already bound.
type TokenDirectory interface {
	// ListUsers returns every user the access token may see.
	ListUsers(ctx context.Context, accessToken string) ([]User, error)
	// GetUser returns one user by ID.
	GetUser(ctx context.Context, accessToken, id string) (*User, error)
}

// UserDirectory is the users a signed-in person may see, as callers above
// the session layer use it: no method takes or returns a token. The session
// manager hands one out inside Manager.Do.
type UserDirectory interface {
	ListUsers(ctx context.Context) ([]User, error)
	GetUser(ctx context.Context, id string) (*User, error)
}

// Authenticator is the whole tutorial contract: password login, refresh and
// revoke, and the user directory. The embedded backend and the remote client
// implement all of it, and the served API (httpapi) needs all of it.
type Authenticator interface {
	PasswordLogin
	Refresher
	TokenDirectory
}

// Capabilities says which optional interfaces a backend implements, for the
// UI to show only what the selected backend can do.
type Capabilities struct {
	PasswordLogin bool // the login page shows the username/password form
	UserDirectory bool // the home page can list users
	DemoAccount   bool // the backend seeds the tutorial's demo account
	// SecondFactor: people can set up two-step sign-in (SecondFactorManager);
	// SecondFactorAdmin: admins see who has it and reset it.
	SecondFactor      bool
	SecondFactorAdmin bool
	// BrowserLogin: the login page shows "Sign in with <ProviderName>"
	// (BrowserLogin, backend/browser.go).
	BrowserLogin bool
	ProviderName string
}

// CapabilitiesOf checks b for each optional interface.
func CapabilitiesOf(b Refresher) Capabilities {
	_, password := b.(PasswordLogin)
	_, directory := b.(TokenDirectory)
	_, demo := b.(DemoAccountChecker)
	_, twoStep := b.(SecondFactorManager)
	_, twoStepAdmin := b.(SecondFactorAdmin)
	c := Capabilities{PasswordLogin: password, UserDirectory: directory, DemoAccount: demo,
		SecondFactor: twoStep, SecondFactorAdmin: twoStepAdmin}
	browserCapabilities(b, &c)
	return c
}

// DemoAccountChecker is implemented by backends that seed the tutorial's demo
// account; the login page shows the demo hint only while it still has its
// default password.
type DemoAccountChecker interface {
	DemoAccountActive(ctx context.Context) (bool, error)
}

// Limits on login input, checked before any work is done.
const (
	MaxUsernameBytes = 64
	MaxPasswordBytes = 1024
)

// ValidateCredentials returns an EINVALID error naming what is missing or too
// long, or nil.
func ValidateCredentials(username, password string) error {
	switch {
	case username == "" && password == "":
		return Errorf(EINVALID, "Username and password are required")
	case username == "":
		return Errorf(EINVALID, "Username is required")
	case password == "":
		return Errorf(EINVALID, "Password is required")
	case len(username) > MaxUsernameBytes:
		return Errorf(EINVALID, "Username must be at most %d bytes", MaxUsernameBytes)
	case len(password) > MaxPasswordBytes:
		return Errorf(EINVALID, "Password must be at most %d bytes", MaxPasswordBytes)
	}
	return nil
}

type clientKey struct{}

// WithClient records who is calling (an IP address for served requests,
// "desktop" for the window) so new refresh tokens can say who created them.
func WithClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

// ClientFrom returns the caller recorded by WithClient, or "desktop".
func ClientFrom(ctx context.Context) string {
	if c, ok := ctx.Value(clientKey{}).(string); ok && c != "" {
		return c
	}
	return "desktop"
}

// RefreshGrace is how long after a rotation a server still takes the
// rotated-away refresh token from the same client (its answer may have been
// lost) instead of treating it as reuse. The embedded backend grants it; the
// session manager's timing is built to retry within it (see
// session.DefaultRefreshTimeout and docs/ARCHITECTURE.md).
const RefreshGrace = 10 * time.Second
