package oidc_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
)

func TestRefreshRotates(t *testing.T) {
	op := newTestOP(t)
	c, now := newClient(t, op)
	first := signIn(t, c)

	g, err := c.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if g.RefreshToken == "" || g.RefreshToken == first.RefreshToken || !op.activeRefresh(g.RefreshToken) {
		t.Fatalf("refresh token not rotated: %q -> %q", first.RefreshToken, g.RefreshToken)
	}
	if g.AccessToken == first.AccessToken || !g.AccessExpires.Equal(now.Add(5*time.Minute)) {
		t.Errorf("access token %q expires %v", g.AccessToken, g.AccessExpires)
	}
	if g.User != first.User {
		t.Errorf("user after refresh %+v, want %+v (the provider sent no new ID token)", g.User, first.User)
	}
	// The used-up token is refused: the session it belonged to is over.
	_, err = c.Refresh(context.Background(), first.RefreshToken)
	wantError(t, err, backend.EUNAUTHORIZED, "has ended")
}

func TestRefreshWithoutRotationKeepsTheToken(t *testing.T) {
	op := newTestOP(t)
	op.noRotate = true
	c, _ := newClient(t, op)
	first := signIn(t, c)
	for range 2 {
		g, err := c.Refresh(context.Background(), first.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if g.RefreshToken != first.RefreshToken {
			t.Fatalf("refresh token %q, want the old one kept %q", g.RefreshToken, first.RefreshToken)
		}
	}
}

func TestRefreshWithNewIDToken(t *testing.T) {
	op := newTestOP(t)
	op.refreshIDToken = true
	c, _ := newClient(t, op)
	first := signIn(t, c)
	g, err := c.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if g.User != first.User {
		t.Errorf("user %+v, want %+v", g.User, first.User)
	}
	// A refreshed ID token about someone else is refused.
	op.set(func(op *testOP) { op.idClaims = func(c jwt.MapClaims) { c["sub"] = "another-person" } })
	_, err = c.Refresh(context.Background(), g.RefreshToken)
	wantError(t, err, backend.EUNAUTHORIZED, "about another person")
}

// After a restart the client knows only the saved refresh token: userinfo
// says whose it is.
func TestRefreshAfterRestartAsksUserinfo(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	first := signIn(t, c)

	restarted, _ := newClient(t, op)
	if restarted.LastProfile() != nil {
		t.Fatal("a new client has a profile")
	}
	g, err := restarted.Refresh(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if g.User != first.User {
		t.Errorf("user %+v, want %+v", g.User, first.User)
	}
	p, err := restarted.Profile(context.Background(), g.AccessToken)
	if err != nil || p.GivenName != "Ada" || p.Email != "ada@example.org" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	_, err = restarted.Profile(context.Background(), "not-a-token")
	wantError(t, err, backend.EUNAUTHORIZED, backend.MsgUnauthorized)
}

// invalid_grant ends the session; everything a later try may fix keeps it.
func TestRefreshInvalidGrantVersusUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name       string
		status     int
		oauthError string
		down       bool
		code, msg  string
	}{
		{name: "invalid_grant", status: http.StatusBadRequest, oauthError: "invalid_grant", code: backend.EUNAUTHORIZED, msg: "Please sign in again"},
		{name: "503", status: http.StatusServiceUnavailable, oauthError: "temporarily_unavailable", code: backend.EUNAVAILABLE, msg: "right now (HTTP 503"},
		{name: "500 without OAuth body", status: http.StatusInternalServerError, code: backend.EUNAVAILABLE, msg: "HTTP 500"},
		{name: "502 from a proxy", status: http.StatusBadGateway, code: backend.EUNAVAILABLE, msg: "HTTP 502"},
		{name: "invalid_client", status: http.StatusUnauthorized, oauthError: "invalid_client", code: backend.EINVALID, msg: "public client"},
		{name: "provider down", down: true, code: backend.EUNAVAILABLE, msg: "Cannot reach 127.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := newTestOP(t)
			c, _ := newClient(t, op)
			g := signIn(t, c)
			if tc.down {
				op.srv.Close()
			}
			op.set(func(op *testOP) { op.tokenStatus, op.tokenError = tc.status, tc.oauthError })
			_, err := c.Refresh(context.Background(), g.RefreshToken)
			wantError(t, err, tc.code, tc.msg)
			if strings.Contains(err.Error(), g.RefreshToken) || strings.Contains(err.Error(), g.AccessToken) {
				t.Errorf("error %q carries a token", err)
			}
		})
	}
}

// A provider whose discovery is down at start (a restart while offline)
// keeps the session; discovery is tried again on the next call.
func TestDiscoveryDown(t *testing.T) {
	op := newTestOP(t)
	signedIn, _ := newClient(t, op)
	g := signIn(t, signedIn)

	op.set(func(op *testOP) { op.discoveryStatus = http.StatusServiceUnavailable })
	c, _ := newClient(t, op)
	_, err := c.Begin(context.Background())
	wantError(t, err, backend.EUNAVAILABLE, "answered the discovery document request with an error (HTTP 503)")
	_, err = c.Refresh(context.Background(), g.RefreshToken)
	wantError(t, err, backend.EUNAVAILABLE, "HTTP 503")
	wantError(t, c.Revoke(context.Background(), g.AccessToken, g.RefreshToken), backend.EUNAVAILABLE, "HTTP 503")

	op.set(func(op *testOP) { op.discoveryStatus = 0 })
	if _, err := c.Refresh(context.Background(), g.RefreshToken); err != nil {
		t.Fatalf("after discovery came back: %v", err)
	}

	gone := oidc.NewClient(oidc.Config{Issuer: "http://" + freeAddr(t), ClientID: "x"})
	_, err = gone.Begin(context.Background())
	wantError(t, err, backend.EUNAVAILABLE, "connection refused")
}

func TestRevoke(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	g := signIn(t, c)
	if err := c.Revoke(context.Background(), g.AccessToken, g.RefreshToken); err != nil {
		t.Fatal(err)
	}
	op.mu.Lock()
	revoked := append([]string(nil), op.revoked...)
	op.mu.Unlock()
	if len(revoked) != 1 || revoked[0] != "refresh_token:"+g.RefreshToken {
		t.Fatalf("revoked %v", revoked)
	}
	_, err := c.Refresh(context.Background(), g.RefreshToken)
	wantError(t, err, backend.EUNAUTHORIZED, "has ended")
	// Revoking again is success (RFC 7009 section 2.2).
	if err := c.Revoke(context.Background(), g.AccessToken, g.RefreshToken); err != nil {
		t.Fatal(err)
	}

	op.set(func(op *testOP) { op.revokeStatus = http.StatusServiceUnavailable })
	wantError(t, c.Revoke(context.Background(), g.AccessToken, g.RefreshToken), backend.EUNAVAILABLE, "HTTP 503")
}

func TestRevokeWithoutRevocationEndpointIsANoOp(t *testing.T) {
	op := newTestOP(t)
	op.meta = func(m map[string]any) { delete(m, "revocation_endpoint") }
	c, _ := newClient(t, op)
	g := signIn(t, c)
	if err := c.Revoke(context.Background(), g.AccessToken, g.RefreshToken); err != nil {
		t.Fatal(err)
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.revoked) != 0 {
		t.Errorf("revoked %v at an endpoint that was not advertised", op.revoked)
	}
}

func TestEndSessionURL(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	if u := c.EndSessionURL("hint"); u != "" {
		t.Errorf("before discovery: %q", u)
	}
	signIn(t, c)
	hint := c.IDTokenHint()
	if strings.Count(hint, ".") != 2 {
		t.Fatalf("IDTokenHint %q is not the ID token", hint)
	}
	got := c.EndSessionURL(hint)
	want := op.issuer + "/logout?client_id=" + op.clientID + "&id_token_hint=" + hint + "&ui=simple"
	if got != want {
		t.Errorf("EndSessionURL\n got %s\nwant %s", got, want)
	}

	op2 := newTestOP(t)
	op2.meta = func(m map[string]any) { delete(m, "end_session_endpoint") }
	c2, _ := newClient(t, op2)
	signIn(t, c2)
	if u := c2.EndSessionURL(c2.IDTokenHint()); u != "" {
		t.Errorf("without end_session_endpoint: %q", u)
	}
}
