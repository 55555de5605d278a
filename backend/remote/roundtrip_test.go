package remote_test

import (
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/remote"
)

// The remote client against a served embedded backend: the round trip the
// desktop makes when one AuthDesk logs in to another.
func TestRoundTripAgainstServedBackend(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL + "/") // a trailing slash is tolerated
	c.Now = s.clock.Now
	now := s.clock.Now()

	g := mustLogin(t, c, "test", "test")
	if g.User.ID != "1" || g.User.Username != "test" || g.User.FirstName != "Test" || g.User.Role != backend.RoleAdmin {
		t.Fatalf("user %+v", g.User)
	}
	if !g.AccessExpires.Equal(now.Add(15 * time.Minute)) {
		t.Fatalf("access expires %v, want %v (the JWT's exp)", g.AccessExpires, now.Add(15*time.Minute))
	}
	if !g.RefreshExpires.Equal(now.Add(7 * 24 * time.Hour)) {
		t.Fatalf("refresh expires %v, want the cookie's Expires %v", g.RefreshExpires, now.Add(7*24*time.Hour))
	}

	users, err := c.ListUsers(ctx, g.AccessToken)
	if err != nil || len(users) != 2 || users[1].Username != "alice" || users[1].ID != "2" || users[1].Role != backend.RoleUser {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}
	if u, err := c.GetUser(ctx, g.AccessToken, "2"); err != nil || u.FirstName != "Alice" {
		t.Fatalf("GetUser(2) = %+v, %v", u, err)
	}
	_, err = c.GetUser(ctx, g.AccessToken, "99")
	assertError(t, err, backend.ENOTFOUND, "User not found")
	_, err = c.ListUsers(ctx, "not-a-token")
	assertError(t, err, backend.EUNAUTHORIZED, "Unauthorized")

	// Rotation: a new refresh token each time.
	g2, err := c.Refresh(ctx, g.RefreshToken)
	if err != nil || g2.RefreshToken == g.RefreshToken || g2.User.Username != "test" || g2.AccessToken == "" {
		t.Fatalf("Refresh = %+v, %v", g2, err)
	}
	// Reuse of the used token (after the server's grace window) ends the
	// family: both tokens are refused, which ends the session.
	s.clock.Add(time.Minute)
	_, err = c.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")
	_, err = c.Refresh(ctx, g2.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")

	// Revoke ends a token without replacement.
	g3 := mustLogin(t, c, "alice", alicePassword)
	if err := c.Revoke(ctx, g3.AccessToken, g3.RefreshToken); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	_, err = c.Refresh(ctx, g3.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")
	// A non-admin may not revoke someone else's token.
	g4 := mustLogin(t, c, "test", "test")
	err = c.Revoke(ctx, g3.AccessToken, g4.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Unauthorized")
}

func TestAuthenticateRefusals(t *testing.T) {
	s := newServed(t)
	c := remote.NewClient(s.srv.URL)
	_, err := c.Authenticate(ctx, "test", "wrong")
	assertError(t, err, backend.EUNAUTHORIZED, "Username or password is incorrect")
	_, err = c.Authenticate(ctx, "", "x")
	assertError(t, err, backend.EINVALID, "Username is required")
}
