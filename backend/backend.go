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

// Authenticator is the interface the session layer uses; the embedded backend
// and the remote client both implement it.
//
// Error contract (the session manager depends on it):
//   - EINVALID: the input was rejected (empty or too long fields).
//   - EUNAUTHORIZED: wrong credentials, or a definite "this token is not valid".
//     From Refresh it means the session is over; from ListUsers/GetUser it means
//     the access token was refused (refresh once, then retry once).
//   - EUNAVAILABLE: network failure, timeout, 5xx. Never ends a session.
type Authenticator interface {
	// Authenticate checks a username and password and starts a token family.
	Authenticate(ctx context.Context, username, password string) (*Grant, error)
	// Refresh rotates a refresh token: the presented one is used up and a new
	// grant (with a new refresh token) comes back.
	Refresh(ctx context.Context, refreshToken string) (*Grant, error)
	// Revoke ends a refresh token without replacement. accessToken authorises it.
	Revoke(ctx context.Context, accessToken, refreshToken string) error
	// ListUsers returns every user the access token may see.
	ListUsers(ctx context.Context, accessToken string) ([]User, error)
	// GetUser returns one user by ID.
	GetUser(ctx context.Context, accessToken, id string) (*User, error)
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
