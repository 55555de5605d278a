//go:build oidcprovider

// This file signs in with a real OpenID provider: zitadel/oidc's example OP
// (github.com/zitadel/oidc/v3/example/server), built from a temporary module
// and started by the test on a free loopback port. The first run downloads
// the module through the Go proxy; later runs use the module and build caches.
//
//	go test -tags oidcprovider -v -run TestRealProvider ./backend/oidc/

package oidc_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
)

// The provider under test and its demo account (see its storage/user.go).
const (
	providerModule  = "github.com/zitadel/oidc/v3"
	providerVersion = "v3.52.0"
	providerPkg     = providerModule + "/example/server"
	providerClient  = "native" // a public native client with PKCE and refresh tokens
	providerPass    = "verysecure"
)

type realOP struct {
	issuer string
	user   string
	log    *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startRealOP builds the example OP in a temporary module and runs it with
// PORT and REDIRECT_URI set. It is built and then run as its own process
// (rather than `go run`, whose child outlives a killed `go`) so cleanup can
// stop exactly the process it started.
func startRealOP(t *testing.T) *realOP {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module authdesk.test/oidcprovider\n\ngo 1.26\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gocmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	start := time.Now()
	gocmd("get", providerPkg+"@"+providerVersion)
	fetched := time.Since(start)
	bin := filepath.Join(dir, "op")
	gocmd("build", "-o", bin, providerPkg)
	built := time.Since(start) - fetched

	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	op := &realOP{issuer: "http://localhost:" + port + "/", user: "test-user@localhost", log: &lockedBuffer{}}
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PORT="+port, "REDIRECT_URI=http://127.0.0.1/callback")
	cmd.Stdout, cmd.Stderr = op.log, op.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("provider log:\n%s", op.log.String())
		}
	})
	ready := time.Now()
	for {
		resp, err := http.Get(op.issuer + ".well-known/openid-configuration")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(ready) > 30*time.Second {
			t.Fatalf("the provider did not start: %v\n%s", err, op.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("provider %s@%s: go get %v, go build %v, started in %v, issuer %s",
		providerPkg, providerVersion, fetched.Round(time.Millisecond), built.Round(time.Millisecond),
		time.Since(ready).Round(time.Millisecond), op.issuer)
	return op
}

var (
	formRe  = regexp.MustCompile(`(?is)<form\b([^>]*)>`)
	inputRe = regexp.MustCompile(`(?is)<input\b([^>]*)>`)
	attrRe  = regexp.MustCompile(`(?is)([a-z-]+)\s*=\s*"([^"]*)"`)
)

func attrs(tag string) map[string]string {
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		m[strings.ToLower(a[1])] = html.UnescapeString(a[2])
	}
	return m
}

// browserSignIn is the system browser and the person: it opens the auth
// URL, fills the provider's own login form with username and password,
// submits it and follows the redirects back to AuthDesk's loopback listener.
// It returns the page the browser ends on.
func browserSignIn(t *testing.T, authURL, username, password string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 15 * time.Second}
	resp, err := browser.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	form := formRe.FindStringSubmatch(string(page))
	if resp.StatusCode != http.StatusOK || form == nil {
		t.Fatalf("the provider's login page (%s, %d) has no form:\n%s", resp.Request.URL, resp.StatusCode, page)
	}
	fa := attrs(form[1])
	action, err := resp.Request.URL.Parse(fa["action"])
	if err != nil {
		t.Fatal(err)
	}
	values := url.Values{}
	for _, in := range inputRe.FindAllStringSubmatch(string(page), -1) {
		a := attrs(in[1])
		switch {
		case a["name"] == "":
		case a["type"] == "password":
			values.Set(a["name"], password)
		case a["autocomplete"] == "username" || a["name"] == "username":
			values.Set(a["name"], username)
		default:
			values.Set(a["name"], a["value"])
		}
	}
	if !strings.EqualFold(fa["method"], "post") || values.Get("password") == "" {
		t.Fatalf("unexpected login form %v with fields %v", fa, values)
	}
	resp, err = browser.PostForm(action.String(), values)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.HasPrefix(resp.Request.URL.String(), "http://127.0.0.1:") {
		t.Fatalf("the browser ended on %s, not AuthDesk's listener:\n%s", resp.Request.URL, body)
	}
	return string(body)
}

func TestRealProvider(t *testing.T) {
	op := startRealOP(t)
	ctx := context.Background()
	cfg := oidc.Config{Issuer: op.issuer, ClientID: providerClient}

	t.Run("probe", func(t *testing.T) {
		res := oidc.Probe(ctx, cfg)
		if res.Status != oidc.Reachable || !res.PKCES256 || res.Keys == 0 || res.RevocationEndpoint == "" || res.EndSessionEndpoint == "" {
			t.Fatalf("%+v", res)
		}
		t.Logf("probe: %s warnings=%q", res.Reason, res.Warnings)
	})

	c := oidc.NewClient(cfg)
	returned := make(chan struct{}, 1)
	c.OnCallback = func() { returned <- struct{}{} }

	var g *backend.Grant
	t.Run("sign in through the provider's own login form", func(t *testing.T) {
		l, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Cancel()
		page := browserSignIn(t, l.AuthURL(), op.user, providerPass)
		if !strings.Contains(page, "You can close this tab and return to AuthDesk") {
			t.Errorf("callback page:\n%s", page)
		}
		g, err = l.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantClosed(t, l)
		select {
		case <-returned:
		case <-time.After(5 * time.Second):
			t.Error("OnCallback was not called")
		}
		want := backend.User{ID: "id1", Username: op.user, FirstName: "Test", LastName: "User"}
		if g.User != want {
			t.Errorf("user %+v, want %+v", g.User, want)
		}
		if g.AccessToken == "" || g.RefreshToken == "" {
			t.Fatal("the grant lacks an access or refresh token")
		}
		if left := time.Until(g.AccessExpires); left <= 0 || left > 10*time.Minute {
			t.Errorf("access token expires in %v", left)
		}
		p := l.Profile()
		if p == nil || p.Email != "test-user@zitadel.ch" || !p.EmailVerified || p.Name != "Test User" {
			t.Errorf("profile %+v", p)
		}
		if c.EndSessionURL(c.IDTokenHint()) == "" {
			t.Error("no end-session URL although the provider advertises one")
		}
	})
	if g == nil {
		t.FailNow()
	}

	var rotated *backend.Grant
	t.Run("refresh rotates the refresh token", func(t *testing.T) {
		var err error
		rotated, err = c.Refresh(ctx, g.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if rotated.RefreshToken == g.RefreshToken || rotated.AccessToken == g.AccessToken || rotated.User != g.User {
			t.Fatalf("refresh: same tokens or another user (%+v)", rotated.User)
		}
		_, err = c.Refresh(ctx, g.RefreshToken)
		wantError(t, err, backend.EUNAUTHORIZED, "Please sign in again")
	})
	if rotated == nil {
		t.FailNow()
	}

	t.Run("revoked refresh token is refused", func(t *testing.T) {
		if err := c.Revoke(ctx, rotated.AccessToken, rotated.RefreshToken); err != nil {
			t.Fatal(err)
		}
		_, err := c.Refresh(ctx, rotated.RefreshToken)
		wantError(t, err, backend.EUNAUTHORIZED, "has ended")
	})

	t.Run("wrong password stays on the provider's form", func(t *testing.T) {
		l, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		jar, _ := cookiejar.New(nil)
		browser := &http.Client{Jar: jar, Timeout: 15 * time.Second}
		resp, err := browser.Get(l.AuthURL())
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		id := ""
		for _, in := range inputRe.FindAllStringSubmatch(string(page), -1) {
			if a := attrs(in[1]); a["name"] == "id" {
				id = a["value"]
			}
		}
		resp, err = browser.PostForm(fmt.Sprintf("%slogin/username", op.issuer), url.Values{"id": {id}, "username": {op.user}, "password": {"wrong"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		select {
		case <-l.Done():
			t.Fatal("a wrong password at the provider ended the sign-in")
		case <-time.After(100 * time.Millisecond):
		}
		l.Cancel()
		_, err = l.Wait(ctx)
		wantError(t, err, backend.EUNAUTHORIZED, "cancelled")
		wantClosed(t, l)
	})
}
