package remote_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/remote"
)

func TestASPNetStyleAPI(t *testing.T) {
	f := newTutorialFake(t, aspnetQuirks())
	c := remote.NewClient(f.srv.URL)

	g := mustLogin(t, c, "test", "test")
	wires, _, _, _ := f.seen()
	if g.User.ID != "1" || g.User.Role != "" || g.User.Username != "test" {
		t.Fatalf("user %+v: the numeric id must become \"1\" and the missing role stay empty", g.User)
	}
	if !strings.Contains(wires[0], "%") || g.RefreshToken != wires[0] {
		t.Fatalf("refresh token %q, want the percent-encoded cookie exactly as sent: %q", g.RefreshToken, wires[0])
	}
	if !g.RefreshExpires.Equal(f.exp) {
		t.Fatalf("refresh expires %v, want the cookie's %v", g.RefreshExpires, f.exp)
	}
	if d := time.Until(g.AccessExpires); d < 14*time.Minute || d > 16*time.Minute {
		t.Fatalf("access expires %v, want the JWT's exp 15 minutes on", g.AccessExpires)
	}

	g2, err := c.Refresh(ctx, g.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	wires, cookies, _, _ := f.seen()
	if len(cookies) != 1 || cookies[0] != "refreshToken="+wires[0] {
		t.Fatalf("Cookie header %q, want byte-exact %q", cookies, "refreshToken="+wires[0])
	}
	if g2.RefreshToken != wires[1] {
		t.Fatalf("rotated token %q, want %q", g2.RefreshToken, wires[1])
	}

	if err := c.Revoke(ctx, g2.AccessToken, g2.RefreshToken); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	_, _, revoked, ct := f.seen()
	decoded, _ := url.QueryUnescape(wires[1])
	if len(revoked) != 1 || revoked[0] != decoded || !strings.ContainsAny(decoded, "+/=") {
		t.Fatalf("revoke body token %q, want the decoded cookie %q", revoked, decoded)
	}
	if !strings.HasPrefix(ct[0], "application/json") {
		t.Fatalf("revoke Content-Type %q", ct[0])
	}
	_, err = c.Refresh(ctx, g2.RefreshToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")

	// problem+json validation errors are invalid input, in readable words.
	_, err = c.Authenticate(ctx, strings.Repeat("u", 30), "pw")
	assertError(t, err, backend.EINVALID, "The field Username must be a string with a maximum length of 20.")
	_, err = c.Authenticate(ctx, "test", "nope")
	assertError(t, err, backend.EUNAUTHORIZED, "Username or password is incorrect")

	_, err = c.GetUser(ctx, g.AccessToken, "42")
	assertError(t, err, backend.ENOTFOUND, "User not found")

	// Wrong base path: empty 404s, which is "not this API", not "logged out".
	wrong := remote.NewClient(f.srv.URL + "/api")
	_, err = wrong.Authenticate(ctx, "test", "test")
	assertError(t, err, backend.EUNAVAILABLE, f.srv.URL+"/api", "did not answer like the AuthDesk/tutorial API", "404 Not Found")
	_, err = wrong.Refresh(ctx, g.RefreshToken)
	assertError(t, err, backend.EUNAVAILABLE, "did not answer like")
}

func TestNodeStyleAPI(t *testing.T) {
	f := newTutorialFake(t, nodeQuirks())
	c := remote.NewClient(f.srv.URL)

	g := mustLogin(t, c, "test", "test")
	wires, _, _, _ := f.seen()
	if g.User.ID != "5f8d0d55b54764421b7156c9" || g.User.Role != backend.RoleAdmin {
		t.Fatalf("user %+v", g.User)
	}
	if !regexp.MustCompile(`^[0-9a-f]{80}$`).MatchString(g.RefreshToken) || g.RefreshToken != wires[0] {
		t.Fatalf("refresh token %q, want the 80-hex cookie %q", g.RefreshToken, wires[0])
	}

	users, err := c.ListUsers(ctx, g.AccessToken)
	if err != nil || len(users) != 2 || users[1].ID != "5f8d0d55b54764421b7156ca" || users[1].Role != backend.RoleUser {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}
	if u, err := c.GetUser(ctx, g.AccessToken, users[1].ID); err != nil || u.Username != "bob" {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}

	g2, err := c.Refresh(ctx, g.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	wires, cookies, _, _ := f.seen()
	if cookies[0] != "refreshToken="+wires[0] || g2.RefreshToken != wires[1] {
		t.Fatalf("cookie sent %q, want %q; rotated %q", cookies[0], wires[0], g2.RefreshToken)
	}
	if err := c.Revoke(ctx, g2.AccessToken, g2.RefreshToken); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if _, _, revoked, _ := f.seen(); revoked[0] != wires[1] {
		t.Fatalf("revoke body %q, want %q", revoked[0], wires[1])
	}

	// Admin-only list: a plain user is refused, as EUNAUTHORIZED.
	bob := mustLogin(t, c, "bob", "bob-pass")
	_, err = c.ListUsers(ctx, bob.AccessToken)
	assertError(t, err, backend.EUNAUTHORIZED, "Unauthorized")

	_, err = c.Refresh(ctx, strings.Repeat("ab", 40))
	assertError(t, err, backend.EUNAUTHORIZED, "Invalid token")

	wrong := remote.NewClient(f.srv.URL + "/api")
	_, err = wrong.ListUsers(ctx, g2.AccessToken)
	assertError(t, err, backend.EUNAVAILABLE, "did not answer like the AuthDesk/tutorial API", "404 Not Found")
}
