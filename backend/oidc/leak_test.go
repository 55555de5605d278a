package oidc_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdesk/authdesk/backend"
)

// No secret of a sign-in (state, nonce, PKCE verifier, code, tokens, the ID
// token) shows up in what the client logs, in errors, or when the client or
// a login is formatted by a stray %v.
func TestNoSecretsInLogsOrFormatting(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	var logs bytes.Buffer
	c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	l := begin(t, c)
	u, _ := url.Parse(l.AuthURL())
	secrets := []string{u.Query().Get("state"), u.Query().Get("nonce")}
	browse(t, l.AuthURL())
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, g.AccessToken, g.RefreshToken, c.IDTokenHint())
	op.mu.Lock()
	secrets = append(secrets, op.tokenReq[0].Get("code"), op.tokenReq[0].Get("code_verifier"))
	op.mu.Unlock()

	// A refresh whose userinfo fails is logged; and refresh errors.
	op.set(func(op *testOP) { op.userinfoStatus = 500 })
	restarted, _ := newClient(t, op)
	restarted.Logger = c.Logger
	g2, err := restarted.Refresh(context.Background(), g.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, g2.AccessToken, g2.RefreshToken)
	_, err1 := c.Refresh(context.Background(), g.RefreshToken) // used up: invalid_grant
	op.set(func(op *testOP) { op.tokenStatus, op.tokenError = 503, "temporarily_unavailable" })
	_, err2 := c.Refresh(context.Background(), g2.RefreshToken)

	var out strings.Builder
	for _, v := range []any{c, l} {
		fmt.Fprintf(&out, "%v %+v %#v %s\n", v, v, v, v)
	}
	fmt.Fprintf(&out, "%v %v %s %s %s\n", err1, err2, backend.ErrorMessage(err1), backend.ErrorMessage(err2), logs.String())
	for _, s := range secrets {
		if s == "" {
			t.Fatal("a secret to look for is empty")
		}
		if strings.Contains(out.String(), s) {
			t.Errorf("a secret (%.8s...) shows up in logs, errors or formatting", s)
		}
	}
	if !strings.Contains(logs.String(), "could not read the userinfo profile") {
		t.Errorf("the failed userinfo call was not logged: %s", logs.String())
	}
}

// The callback page shows the person's name from the provider escaped.
func TestCallbackPageEscapesClaims(t *testing.T) {
	op := newTestOP(t)
	op.idClaims = func(c jwt.MapClaims) { c["given_name"] = `<img src=x onerror=alert(1)>` }
	c, _ := newClient(t, op)
	l := begin(t, c)
	_, page := browse(t, l.AuthURL())
	if strings.Contains(page, "<img") || !strings.Contains(page, "&lt;img") {
		t.Errorf("page does not escape the name:\n%s", page)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}
