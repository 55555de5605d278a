package oidc_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
)

// newClient is a client for op with a fixed clock (the real time, to the
// second) and a silent logger.
func newClient(t *testing.T, op *testOP) (*oidc.Client, time.Time) {
	t.Helper()
	c := oidc.NewClient(oidc.Config{Issuer: op.issuer, ClientID: op.clientID})
	now := time.Now().Truncate(time.Second)
	c.Now = func() time.Time { return now }
	c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return c, now
}

// browse is the system browser: it opens url, follows the provider's
// redirects back to the loopback listener and returns the page it ends on.
func browse(t *testing.T, url string) (int, string) {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Get(url)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// begin starts a login and checks it is waiting on a loopback port.
func begin(t *testing.T, c *oidc.Client) *oidc.Login {
	t.Helper()
	l, err := c.Begin(context.Background())
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	t.Cleanup(l.Cancel)
	if !strings.HasPrefix(l.RedirectURI(), "http://127.0.0.1:") || !strings.HasSuffix(l.RedirectURI(), "/callback") {
		t.Fatalf("redirect URI %q is not http://127.0.0.1:<port>/callback", l.RedirectURI())
	}
	wantOpen(t, l)
	return l
}

func listenAddr(l *oidc.Login) string {
	return strings.TrimSuffix(strings.TrimPrefix(l.RedirectURI(), "http://"), "/callback")
}

func wantOpen(t *testing.T, l *oidc.Login) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", listenAddr(l), time.Second)
	if err != nil {
		t.Fatalf("the login's listener does not accept connections: %v", err)
	}
	conn.Close()
}

// wantClosed checks that the login's port refuses connections.
func wantClosed(t *testing.T, l *oidc.Login) {
	t.Helper()
	select {
	case <-l.Done():
	default:
		t.Fatal("the login has not ended")
	}
	conn, err := net.DialTimeout("tcp", listenAddr(l), time.Second)
	if err == nil {
		conn.Close()
		t.Fatalf("the listener on %s still accepts connections after the login ended", listenAddr(l))
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dialling the closed listener: %v, want connection refused", err)
	}
}

func wantError(t *testing.T, err error, code, msgPart string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s %q", code, msgPart)
	}
	if got := backend.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, msgPart) {
		t.Fatalf("message %q does not contain %q", msg, msgPart)
	}
}

// signIn runs a whole successful browser sign-in.
func signIn(t *testing.T, c *oidc.Client) *backend.Grant {
	t.Helper()
	l := begin(t, c)
	if status, page := browse(t, l.AuthURL()); status != http.StatusOK || !strings.Contains(page, "You are signed in") {
		t.Fatalf("callback page %d: %s", status, page)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	wantClosed(t, l)
	return g
}

// signInError runs a browser sign-in that is expected to fail.
func signInError(t *testing.T, c *oidc.Client) error {
	t.Helper()
	l := begin(t, c)
	browse(t, l.AuthURL())
	g, err := l.Wait(context.Background())
	if g != nil {
		t.Error("a failed sign-in returned a grant")
	}
	wantClosed(t, l)
	return err
}
