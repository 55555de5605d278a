package oidc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdesk/authdesk/backend"
)

func TestLoginSignsInWithPKCEStateAndNonce(t *testing.T) {
	op := newTestOP(t)
	c, now := newClient(t, op)
	returned := make(chan struct{}, 1)
	c.OnCallback = func() { returned <- struct{}{} }

	l := begin(t, c)
	u, err := url.Parse(l.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"response_type": "code", "client_id": op.clientID, "redirect_uri": l.RedirectURI(),
		"code_challenge_method": "S256", "scope": "openid profile email offline_access",
	} {
		if q.Get(k) != want {
			t.Errorf("auth URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("state")) < 43 || len(q.Get("nonce")) < 43 || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state %q, nonce %q, code_challenge %q: want 256-bit random values and a SHA-256 challenge", q.Get("state"), q.Get("nonce"), q.Get("code_challenge"))
	}

	status, page := browse(t, l.AuthURL())
	if status != http.StatusOK || !strings.Contains(page, "You can close this tab and return to AuthDesk") || !strings.Contains(page, "as Ada") {
		t.Fatalf("callback page %d:\n%s", status, page)
	}
	for _, external := range []string{"<script", "src=", "href=", "@import", "url("} {
		if strings.Contains(page, external) {
			t.Errorf("callback page loads something (%q); it must be self-contained", external)
		}
	}
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Error("OnCallback was not called, so the window would not come to the front")
	}

	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantClosed(t, l)
	want := backend.User{ID: "248289761001", Username: "ada", FirstName: "Ada", LastName: "Lovelace"}
	if g.User != want {
		t.Errorf("user %+v, want %+v", g.User, want)
	}
	if g.AccessToken == "" || g.RefreshToken == "" || !op.activeRefresh(g.RefreshToken) {
		t.Errorf("grant has access %q, refresh %q (active at the provider: %v)", g.AccessToken, g.RefreshToken, op.activeRefresh(g.RefreshToken))
	}
	if !g.AccessExpires.Equal(now.Add(5 * time.Minute)) {
		t.Errorf("access expires %v, want the client's clock + expires_in = %v", g.AccessExpires, now.Add(5*time.Minute))
	}

	// The token request was a public client's: client_id, the PKCE verifier,
	// no secret (the test provider refuses an Authorization header).
	op.mu.Lock()
	form := op.tokenReq[0]
	op.mu.Unlock()
	if form.Get("client_secret") != "" || len(form.Get("code_verifier")) < 43 || form.Get("redirect_uri") != l.RedirectURI() {
		t.Errorf("token request %v", form)
	}

	p := l.Profile()
	if p == nil || p.Subject != want.ID || p.Email != "ada@example.org" || !p.EmailVerified || p.Name != "Ada Lovelace" {
		t.Fatalf("profile %+v", p)
	}
	names := map[string]string{}
	for _, cl := range p.Claims {
		names[cl.Name] = cl.Value
		if cl.Value == g.AccessToken || cl.Value == g.RefreshToken || strings.Count(cl.Value, ".") == 2 && len(cl.Value) > 100 {
			t.Errorf("profile claim %s carries a token", cl.Name)
		}
	}
	for _, hidden := range []string{"nonce", "at_hash", "aud", "exp"} {
		if _, ok := names[hidden]; ok {
			t.Errorf("profile shows %q", hidden)
		}
	}
	if names["iss"] != op.issuer || names["updated_at"] != "2023-11-14T22:13:20Z" || names["locale"] != "en-GB" {
		t.Errorf("profile claims %v", names)
	}
	if lp := c.LastProfile(); lp == nil || lp.Subject != want.ID {
		t.Errorf("LastProfile %+v", lp)
	}
}

func TestLoginWithoutRefreshTokenIsStillASession(t *testing.T) {
	op := newTestOP(t)
	op.noRefreshToken = true
	c, _ := newClient(t, op)
	g := signIn(t, c)
	if g.AccessToken == "" || g.RefreshToken != "" || g.User.ID == "" {
		t.Fatalf("grant %+v", g.User)
	}
	_, err := c.Refresh(context.Background(), g.RefreshToken)
	wantError(t, err, backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	// Logout still revokes what there is: the access token.
	if err := c.Revoke(context.Background(), g.AccessToken, ""); err != nil {
		t.Fatal(err)
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.revoked) != 1 || op.revoked[0] != "access_token:"+g.AccessToken {
		t.Errorf("revoked %v", op.revoked)
	}
}

func TestLoginRefusesIDTokens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, op *testOP)
		clock  time.Duration // added to the client's clock
		msg    string
		status int
	}{
		{name: "bad signature", msg: "signature does not match", setup: func(t *testing.T, op *testOP) {
			op.signer = newKey(t, "key-1", 1) // same kid, key the JWKS does not have
		}},
		{name: "wrong aud", msg: "issued to another application", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["aud"] = "someone-else" }
		}},
		{name: "second audience without azp", msg: "azp", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["aud"] = []string{op.clientID, "someone-else"} }
		}},
		{name: "wrong nonce", msg: "nonce does not match", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["nonce"] = "replayed-from-another-sign-in" }
		}},
		{name: "no nonce", msg: "nonce does not match", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { delete(c, "nonce") }
		}},
		{name: "wrong iss", msg: "not issued by", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }
		}},
		{name: "wrong at_hash", msg: "at_hash", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["at_hash"] = b64(make([]byte, 16)) }
		}},
		{name: "expired", msg: "expired at", clock: time.Hour, setup: func(t *testing.T, op *testOP) {}},
		{name: "algorithm the provider does not advertise", msg: "signature", setup: func(t *testing.T, op *testOP) {
			op.idClaims = func(c jwt.MapClaims) { c["x"] = "y" }
			op.meta = func(m map[string]any) { m["id_token_signing_alg_values_supported"] = []string{"ES256"} }
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := newTestOP(t)
			tc.setup(t, op)
			c, now := newClient(t, op)
			c.Now = func() time.Time { return now.Add(tc.clock) }
			l := begin(t, c)
			status, page := browse(t, l.AuthURL())
			if status != http.StatusOK || !strings.Contains(page, "Sign-in did not complete") {
				t.Errorf("callback page %d: %s", status, page)
			}
			g, err := l.Wait(context.Background())
			wantError(t, err, backend.EUNAUTHORIZED, tc.msg)
			if g != nil || c.LastProfile() != nil {
				t.Error("a refused ID token still gave a grant or a profile")
			}
			wantClosed(t, l)
		})
	}
}

func TestLoginRefusesWrongState(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	l := begin(t, c)
	// The browser stops at the provider's redirect; an attacker's page sends
	// the code back with another state.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(l.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	q := back.Query()
	q.Set("state", "forged")
	back.RawQuery = q.Encode()
	_, page := browse(t, back.String())
	if !strings.Contains(page, "does not belong to this sign-in") {
		t.Errorf("page: %s", page)
	}
	_, err = l.Wait(context.Background())
	wantError(t, err, backend.EUNAUTHORIZED, "state does not match")
	wantClosed(t, l)
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.tokenReq) != 0 {
		t.Error("the code was exchanged despite the wrong state")
	}
}

func TestLoginRefusesAnswerFromAnotherIssuer(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	l := begin(t, c)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(l.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	q := back.Query()
	q.Set("iss", "https://mix-up.example")
	back.RawQuery = q.Encode()
	browse(t, back.String())
	_, err = l.Wait(context.Background())
	wantError(t, err, backend.EUNAUTHORIZED, "came from another provider")
	wantClosed(t, l)
}

func TestLoginProviderErrors(t *testing.T) {
	for _, tc := range []struct {
		authorizeError string
		tokenStatus    int
		tokenError     string
		code, msg      string
	}{
		{authorizeError: "access_denied", code: backend.EUNAUTHORIZED, msg: "The sign-in was declined at 127.0.0.1"},
		{authorizeError: "temporarily_unavailable", code: backend.EUNAVAILABLE, msg: "Try again later"},
		{authorizeError: "invalid_scope", code: backend.EINVALID, msg: "Check the scopes"},
		{authorizeError: "unauthorized_client", code: backend.EINVALID, msg: "registered as a native app"},
		{tokenStatus: http.StatusServiceUnavailable, tokenError: "temporarily_unavailable", code: backend.EUNAVAILABLE, msg: "could not complete the sign-in right now"},
		{tokenStatus: http.StatusBadRequest, tokenError: "invalid_grant", code: backend.EUNAUTHORIZED, msg: "refused the sign-in code"},
		{tokenStatus: http.StatusUnauthorized, tokenError: "invalid_client", code: backend.EINVALID, msg: "as a public client"},
	} {
		t.Run(tc.authorizeError+tc.tokenError, func(t *testing.T) {
			op := newTestOP(t)
			op.authorizeError, op.tokenStatus, op.tokenError = tc.authorizeError, tc.tokenStatus, tc.tokenError
			c, _ := newClient(t, op)
			l := begin(t, c)
			_, page := browse(t, l.AuthURL())
			if !strings.Contains(page, "Sign-in did not complete") {
				t.Errorf("page: %s", page)
			}
			_, err := l.Wait(context.Background())
			wantError(t, err, tc.code, tc.msg)
			if !strings.Contains(backend.ErrorMessage(err), "test provider says") {
				t.Errorf("message %q does not pass on the provider's description", backend.ErrorMessage(err))
			}
			wantClosed(t, l)
		})
	}
}

func TestLoginTimesOut(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	c.LoginTimeout = 200 * time.Millisecond
	l := begin(t, c)
	start := time.Now()
	_, err := l.Wait(context.Background())
	wantError(t, err, backend.EUNAUTHORIZED, "not finished within 200ms")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not wrap context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timed out after %v", d)
	}
	wantClosed(t, l)
}

func TestLoginCancel(t *testing.T) {
	for _, how := range []string{"Cancel", "Wait's context", "Begin's context"} {
		t.Run(how, func(t *testing.T) {
			op := newTestOP(t)
			c, _ := newClient(t, op)
			beginCtx, cancelBegin := context.WithCancel(context.Background())
			defer cancelBegin()
			l, err := c.Begin(beginCtx)
			if err != nil {
				t.Fatal(err)
			}
			wantOpen(t, l)
			waitCtx, cancelWait := context.WithCancel(context.Background())
			defer cancelWait()
			go func() {
				time.Sleep(50 * time.Millisecond)
				switch how {
				case "Cancel":
					l.Cancel()
				case "Wait's context":
					cancelWait()
				default:
					cancelBegin()
				}
			}()
			_, err = l.Wait(waitCtx)
			wantError(t, err, backend.EUNAUTHORIZED, "cancelled")
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%v does not wrap context.Canceled", err)
			}
			wantClosed(t, l)
			// The browser arriving late finds nobody listening.
			if _, err := http.Get(l.AuthURL()); err == nil {
				t.Error("the provider's redirect reached a cancelled login")
			}
		})
	}
}

func TestLoginIgnoresOtherRequestsAndTakesOneAnswer(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	l := begin(t, c)
	base := "http://" + listenAddr(l)
	for _, path := range []string{"/favicon.ico", "/"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
	resp, err := http.Post(base+"/callback", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /callback: %d", resp.StatusCode)
	}
	select {
	case <-l.Done():
		t.Fatal("a request that was not the answer ended the sign-in")
	default:
	}
	if _, page := browse(t, l.AuthURL()); !strings.Contains(page, "You are signed in") {
		t.Fatalf("page: %s", page)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantClosed(t, l)
}

func TestJWKSRotation(t *testing.T) {
	op := newTestOP(t)
	c, _ := newClient(t, op)
	first := signIn(t, c)
	op.rollover("key-2")
	second := signIn(t, c)
	if first.User.ID != second.User.ID {
		t.Fatal("different users")
	}
	op.mu.Lock()
	hits := op.jwksHits
	op.mu.Unlock()
	if hits != 2 {
		t.Errorf("JWKS fetched %d times; want once per key (the new kid makes the client fetch the set again)", hits)
	}
	// A refreshed ID token signed by the new key is accepted without another fetch.
	op.set(func(op *testOP) { op.refreshIDToken = true })
	if _, err := c.Refresh(context.Background(), second.RefreshToken); err != nil {
		t.Fatal(err)
	}
	// And one signed by the retired key is not: it is no longer published.
	op.set(func(op *testOP) { op.signer = newKey(t, "key-1", 1) })
	wantError(t, signInError(t, c), backend.EUNAUTHORIZED, "signature")
}

// Cancelling while the code is being exchanged leaves no live tokens: the
// grant that arrives anyway is revoked, and the browser is told the sign-in
// was cancelled.
func TestLoginCancelledDuringExchangeRevokesTheGrant(t *testing.T) {
	op := newTestOP(t)
	gate := make(chan struct{})
	op.userinfoGate = gate
	c, _ := newClient(t, op)
	l := begin(t, c)
	pages := make(chan string, 1)
	go func() {
		resp, err := http.Get(l.AuthURL())
		if err != nil {
			pages <- err.Error()
			return
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		_, _ = io.Copy(b, resp.Body)
		pages <- b.String()
	}()
	// Wait until the client holds the tokens and asks userinfo (held).
	deadline := time.Now().Add(5 * time.Second)
	for {
		op.mu.Lock()
		n := op.userinfoHits
		op.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the client did not get to userinfo")
		}
		time.Sleep(10 * time.Millisecond)
	}
	l.Cancel()
	_, err := l.Wait(context.Background())
	wantError(t, err, backend.EUNAUTHORIZED, "cancelled")
	wantClosed(t, l)
	close(gate)
	if page := <-pages; !strings.Contains(page, "The sign-in was cancelled") {
		t.Errorf("page: %s", page)
	}
	for {
		op.mu.Lock()
		n, revoked := len(op.refresh), len(op.revoked)
		op.mu.Unlock()
		if n == 0 && revoked == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cancelled sign-in's refresh token is still live (%d revoked)", revoked)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c.LastProfile() != nil || c.IDTokenHint() != "" {
		t.Error("the cancelled sign-in's person became the client's last profile")
	}
}
