package session_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/oidc"
	"github.com/authdesk/authdesk/backend/oidc/oidctest"
	"github.com/authdesk/authdesk/backend/session"
)

// A browser sign-in through a real oidc.Client against an OpenID provider on
// loopback, driven by the manager on a real client.db.

// newBrowserHarness is a harness whose backend is an OpenID provider. Each
// open (a restart) makes a new oidc.Client, as a new run of the app would.
func newBrowserHarness(t *testing.T) (*harness, *oidctest.Provider) {
	t.Helper()
	clock := newFakeClock()
	p := oidctest.New(t, clock.Now)
	h := &harness{
		t: t, dir: t.TempDir(), clock: clock, auth: newFakeAuth("emb", clock.Now),
		ticks: make(chan time.Time), ticked: make(chan struct{}, 1), logs: &lockedBuffer{},
		events: make(chan event, 1000),
	}
	h.initial = func() session.Backend { return providerBackend(p, clock.Now) }
	h.open()
	t.Cleanup(h.close)
	h.start()
	return h, p
}

func providerBackend(p *oidctest.Provider, now func() time.Time) session.Backend {
	c := oidc.NewClient(oidc.Config{Issuer: p.Issuer, ClientID: oidctest.ClientID})
	c.Now = now
	c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	return session.Backend{Auth: c, ID: "oidc:" + p.Issuer + " " + oidctest.ClientID, Kind: "oidc", Label: c.ProviderName()}
}

// systemBrowser follows the address like a browser: to the provider, and
// from there back to AuthDesk's loopback listener. It records the page the
// browser ends on.
type systemBrowser struct {
	opened chan string
	pages  chan string
	edit   func(string) string // changes the address before it is opened
}

func newSystemBrowser() *systemBrowser {
	return &systemBrowser{opened: make(chan string, 4), pages: make(chan string, 4)}
}

func (b *systemBrowser) open(u string) error {
	b.opened <- u
	if b.edit != nil {
		u = b.edit(u)
	}
	go func() {
		resp, err := (&http.Client{Timeout: guard}).Get(u)
		if err != nil {
			b.pages <- "error: " + err.Error()
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		b.pages <- string(body)
	}()
	return nil
}

// idle is a browser the person never finishes signing in with.
func (b *systemBrowser) idle(u string) error { b.opened <- u; return nil }

func (b *systemBrowser) page(t *testing.T) string {
	t.Helper()
	select {
	case p := <-b.pages:
		return p
	case <-time.After(guard):
		t.Fatal("the browser never got a page")
		return ""
	}
}

func (b *systemBrowser) openedURL(t *testing.T) string {
	t.Helper()
	select {
	case u := <-b.opened:
		return u
	case <-time.After(guard):
		t.Fatal("the sign-in never opened the browser")
		return ""
	}
}

// wantPortClosed checks that the loopback listener named in the auth URL's
// redirect_uri no longer takes connections.
func wantPortClosed(t *testing.T, authURL string) {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	redirect, err := url.Parse(u.Query().Get("redirect_uri"))
	if err != nil || redirect.Host == "" {
		t.Fatalf("auth URL without a redirect_uri: %q", authURL)
	}
	if c, err := net.DialTimeout("tcp", redirect.Host, time.Second); err == nil {
		c.Close()
		t.Fatalf("the callback listener %s still accepts connections", redirect.Host)
	}
}

type loginResult struct {
	s   *session.Session
	err error
}

func loginAsync(h *harness, open func(string) error) <-chan loginResult {
	ch := make(chan loginResult, 1)
	go func() {
		s, err := h.m.LoginWithBrowser(context.Background(), open)
		ch <- loginResult{s, err}
	}()
	return ch
}

func result(t *testing.T, ch <-chan loginResult) loginResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(guard):
		t.Fatal("LoginWithBrowser did not return")
		return loginResult{}
	}
}

func TestBrowserLoginIsALoginLikeAnyOther(t *testing.T) {
	h, p := newBrowserHarness(t)
	b := h.m.Backend()
	caps := backend.CapabilitiesOf(b.Auth)
	if !caps.BrowserLogin || caps.PasswordLogin || caps.UserDirectory || caps.ProviderName != strings.TrimPrefix(p.Issuer, "http://") {
		t.Fatalf("capabilities of a provider = %+v", caps)
	}
	// The password path does not know about the provider, and says so.
	if _, err := h.m.Login(context.Background(), "grace", "pw"); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("password Login with a provider: %v, want invalid", err)
	}

	browser := newSystemBrowser()
	s, err := h.m.LoginWithBrowser(context.Background(), browser.open)
	if err != nil {
		t.Fatalf("LoginWithBrowser: %v", err)
	}
	if s.User.ID != oidctest.Subject || s.User.Username != oidctest.Username || s.User.FirstName != oidctest.GivenName || s.BackendKind != "oidc" {
		t.Fatalf("session %+v", s)
	}
	if page := browser.page(t); !strings.Contains(page, "return to AuthDesk") && !strings.Contains(page, "Grace") {
		t.Fatalf("the browser's page after signing in:\n%s", page)
	}
	h.expectEvent(session.ReasonLogin, true)
	wantPortClosed(t, browser.openedURL(t))
	if h.m.BrowserLoginPending() {
		t.Fatal("a finished sign-in is still pending")
	}

	// Saved for a restart, like a password login's refresh token.
	first := h.savedFor(b.ID)
	if first == nil || !p.Live(first.RefreshToken) || first.UserID != "u-42" {
		t.Fatalf("saved session %+v", first)
	}

	// The ticker refreshes it before the access token expires; the provider
	// rotates the refresh token and the new one is saved.
	h.clock.Add(15*time.Minute - 30*time.Second)
	h.tick()
	if s := h.expectEvent(session.ReasonRefresh, true); s.User.Username != "grace" {
		t.Fatalf("refreshed session %+v", s)
	}
	second := h.savedFor(b.ID)
	if second.RefreshToken == first.RefreshToken || p.Live(first.RefreshToken) || !p.Live(second.RefreshToken) {
		t.Fatal("the refresh did not rotate and save the refresh token")
	}

	// A restart (a new client that knows nobody yet) restores the session
	// from the saved refresh token and asks userinfo whose it is.
	h.restart()
	if s := h.session(); s == nil || s.User.ID != "u-42" || s.User.FirstName != "Grace" {
		t.Fatalf("after a restart: %+v", s)
	}
	h.expectEvent(session.ReasonRefresh, true)
	third := h.savedFor(b.ID)

	// Logout ends it here and revokes the refresh token at the provider.
	if err := h.m.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.expectEvent(session.ReasonLogout, false)
	if p.Live(third.RefreshToken) {
		t.Fatal("logout left the refresh token live at the provider")
	}
	if saved := h.savedFor(b.ID); saved != nil {
		t.Fatalf("logout left a saved session: %+v", saved)
	}
}

func TestBrowserLoginCancel(t *testing.T) {
	h, _ := newBrowserHarness(t)
	browser := newSystemBrowser()
	done := loginAsync(h, browser.idle)
	authURL := browser.openedURL(t)
	if !h.m.BrowserLoginPending() {
		t.Fatal("no sign-in pending while the browser is open")
	}
	h.m.CancelBrowserLogin()
	r := result(t, done)
	if r.s != nil || backend.ErrorCode(r.err) != backend.EUNAUTHORIZED || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("cancelled sign-in: %v, %v", r.s, r.err)
	}
	if !strings.Contains(backend.ErrorMessage(r.err), "cancelled") {
		t.Fatalf("message %q", backend.ErrorMessage(r.err))
	}
	wantPortClosed(t, authURL)
	if s := h.session(); s != nil {
		t.Fatalf("a session after cancel: %+v", s)
	}
	h.noEvent()
}

func TestBrowserLoginTimesOut(t *testing.T) {
	h, _ := newBrowserHarness(t)
	h.m.BrowserLoginTimeout = 150 * time.Millisecond
	browser := newSystemBrowser()
	r := result(t, loginAsync(h, browser.idle))
	if r.s != nil || !errors.Is(r.err, context.DeadlineExceeded) || !strings.Contains(backend.ErrorMessage(r.err), "too long") {
		t.Fatalf("timed-out sign-in: %v, %v", r.s, r.err)
	}
	wantPortClosed(t, browser.openedURL(t))
	h.noEvent()
}

func TestBrowserLoginRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		deny string
		edit func(string) string
		want string
	}{
		{name: "access denied", deny: "access_denied", want: "declined"},
		{name: "wrong state", edit: func(u string) string {
			parsed, _ := url.Parse(u)
			q := parsed.Query()
			q.Set("state", "not-the-state")
			parsed.RawQuery = q.Encode()
			return parsed.String()
		}, want: "state does not match"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, p := newBrowserHarness(t)
			p.Set(func(p *oidctest.Provider) { p.Deny = tc.deny })
			browser := newSystemBrowser()
			browser.edit = tc.edit
			s, err := h.m.LoginWithBrowser(context.Background(), browser.open)
			if s != nil || backend.ErrorCode(err) != backend.EUNAUTHORIZED || !strings.Contains(backend.ErrorMessage(err), tc.want) {
				t.Fatalf("got %v, %v; want unauthorized with %q", s, err, tc.want)
			}
			if page := browser.page(t); !strings.Contains(page, tc.want) {
				t.Fatalf("the browser's page does not say what went wrong:\n%s", page)
			}
			wantPortClosed(t, browser.openedURL(t))
			if saved := h.savedFor(h.m.Backend().ID); saved != nil {
				t.Fatalf("a refused sign-in saved %+v", saved)
			}
			h.noEvent()
		})
	}
}

func TestBrowserLoginWhenTheBrowserCannotOpen(t *testing.T) {
	h, _ := newBrowserHarness(t)
	var authURL string
	_, err := h.m.LoginWithBrowser(context.Background(), func(u string) error {
		authURL = u
		return errors.New("xdg-open: not found")
	})
	if backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(backend.ErrorMessage(err), "could not open your web browser") {
		t.Fatalf("err = %v", err)
	}
	wantPortClosed(t, authURL)
}

func TestBrowserLoginSecondCallCancelsTheFirst(t *testing.T) {
	h, _ := newBrowserHarness(t)
	idle := newSystemBrowser()
	first := loginAsync(h, idle.idle)
	firstURL := idle.openedURL(t)
	browser := newSystemBrowser()
	s, err := h.m.LoginWithBrowser(context.Background(), browser.open)
	if err != nil || s == nil {
		t.Fatalf("second sign-in: %v", err)
	}
	if r := result(t, first); !errors.Is(r.err, context.Canceled) {
		t.Fatalf("first sign-in: %v", r.err)
	}
	wantPortClosed(t, firstURL)
}

func TestBrowserLoginNeedsABrowserBackend(t *testing.T) {
	h := newHarness(t)
	h.start()
	_, err := h.m.LoginWithBrowser(context.Background(), func(string) error {
		t.Fatal("opened a browser for a password backend")
		return nil
	})
	if backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("err = %v", err)
	}
}

// A provider that is down keeps the session; one that refuses the refresh
// token (invalid_grant) ends it.
func TestBrowserSessionRefreshFailures(t *testing.T) {
	h, p := newBrowserHarness(t)
	if _, err := h.m.LoginWithBrowser(context.Background(), newSystemBrowser().open); err != nil {
		t.Fatal(err)
	}
	h.expectEvent(session.ReasonLogin, true)

	p.Set(func(p *oidctest.Provider) { p.RefreshError = http.StatusServiceUnavailable })
	h.clock.Add(15*time.Minute - 30*time.Second)
	h.tick()
	h.noEvent()
	if s := h.session(); s == nil {
		t.Fatal("a 503 from the provider ended the session")
	}

	p.Set(func(p *oidctest.Provider) { p.RefreshError = http.StatusBadRequest })
	h.clock.Add(time.Minute) // past the backoff
	h.tick()
	h.expectEvent(session.ReasonRevoked, false)
	if s := h.session(); s != nil {
		t.Fatalf("invalid_grant kept the session: %+v", s)
	}
	if saved := h.savedFor(h.m.Backend().ID); saved != nil {
		t.Fatalf("invalid_grant kept the saved session: %+v", saved)
	}
}

// A provider that gives no refresh token (no offline_access): the session
// lasts as long as its access token, is never refreshed and is not saved.
func TestBrowserSessionWithoutRefreshToken(t *testing.T) {
	h, p := newBrowserHarness(t)
	p.Set(func(p *oidctest.Provider) { p.NoRefreshToken = true })
	s, err := h.m.LoginWithBrowser(context.Background(), newSystemBrowser().open)
	if err != nil || s == nil || s.User.FirstName != oidctest.GivenName {
		t.Fatalf("LoginWithBrowser = %+v, %v", s, err)
	}
	h.expectEvent(session.ReasonLogin, true)
	if saved := h.savedFor(h.m.Backend().ID); saved != nil {
		t.Fatalf("an access-only session was saved: %+v", saved)
	}
	issued := len(p.Issued())

	h.clock.Add(15*time.Minute - 30*time.Second) // when a refresh would be due
	h.tick()
	h.noEvent()
	if got := len(p.Issued()); got != issued {
		t.Fatalf("the manager asked the provider for tokens it cannot get (%d issued, was %d)", got, issued)
	}
	if s := h.session(); s == nil {
		t.Fatal("the session ended before its access token expired")
	}

	h.clock.Add(time.Minute) // past the access token's expiry
	h.tick()
	h.expectEvent(session.ReasonExpired, false)
	if s := h.session(); s != nil {
		t.Fatalf("the session outlived its access token: %+v", s)
	}
}

// Choosing another backend in Settings ends a browser sign-in still waiting.
func TestSwitchCancelsABrowserLogin(t *testing.T) {
	h, _ := newBrowserHarness(t)
	browser := newSystemBrowser()
	done := loginAsync(h, browser.idle)
	authURL := browser.openedURL(t)
	if err := h.m.Switch(context.Background(), embedded(h.auth)); err != nil {
		t.Fatal(err)
	}
	if r := result(t, done); r.s != nil || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("sign-in after the switch: %v, %v", r.s, r.err)
	}
	wantPortClosed(t, authURL)
	if h.m.BrowserLoginPending() {
		t.Fatal("still pending after the switch")
	}
}
