package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/oidc"
	"github.com/authdesk/authdesk/backend/oidc/oidctest"
	"github.com/authdesk/authdesk/backend/session"
)

// oidcKind is the registry entry main.go builds for OpenID providers.
func oidcKind(now func() time.Time) app.BackendKind {
	return app.BackendKind{
		Name: "oidc", Label: "OpenID Connect provider", NeedsProvider: true,
		OpenProvider: func(cfg oidc.Config) backend.Refresher {
			c := oidc.NewClient(cfg)
			c.Now = now
			c.Logger = slog.New(slog.DiscardHandler)
			return c
		},
	}
}

// windowRuntime records events like recordingRuntime and counts how often
// the window was brought to the front.
type windowRuntime struct {
	recordingRuntime
	smu   sync.Mutex
	shown int
}

func (r *windowRuntime) ShowWindow() { r.smu.Lock(); r.shown++; r.smu.Unlock() }

// browse is the system browser: it follows the provider's redirects back to
// AuthDesk's loopback listener.
func browse(url string) {
	go func() {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
}

// The UI never sees a token of a provider sign-in either: a whole session
// through the bound structs (Settings, sign-in, profile, a silent refresh,
// logout) against a provider on loopback, with every result and event kept.
func TestNoProviderTokenReachesTheUI(t *testing.T) {
	clock := backendtest.NewClock(time.Now().UTC().Truncate(time.Second))
	op := oidctest.New(t, clock.Now)
	dir := t.TempDir()
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	kinds := app.Backends{{Name: "embedded", Label: "Embedded", Open: func(string) backend.Refresher { return nil }}, oidcKind(clock.Now)}
	if err := db.SaveSettings(clientdb.Settings{Backend: "oidc", OIDCIssuer: op.Issuer, OIDCClientID: oidctest.ClientID}); err != nil {
		t.Fatal(err)
	}
	saved, _ := db.Settings()
	rt := &windowRuntime{recordingRuntime: recordingRuntime{got: make(chan app.SessionChange, 16)}}
	m := session.New(kinds.For(saved), db)
	m.OnChange = app.SessionEvents(rt, log)
	m.Now = clock.Now
	ticks := make(chan time.Time)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }
	m.Start(context.Background())
	defer m.Close()

	auth := &app.Auth{Sessions: m, Log: log}
	settings := &app.Settings{Store: db, Sessions: m, Backends: kinds, Log: log}
	var opened []string
	prov := &app.Provider{Sessions: m, Runtime: rt, Log: log, OpenURL: func(u string) { opened = append(opened, u); browse(u) }}
	var results []any
	record := func(v any, err error) {
		t.Helper()
		results = append(results, v)
		if err != nil {
			results = append(results, app.ErrorFormatter(log)(err))
		}
	}

	record(settings.Get())
	record(auth.LoginInfo())
	record(prov.Profile())
	record(prov.TestProvider(app.ProviderSettingsView{Issuer: op.Issuer, ClientID: oidctest.ClientID}))
	sv, err := prov.SignInWithProvider()
	record(sv, err)
	if err != nil || sv == nil || sv.User.FirstName != oidctest.GivenName || sv.BackendKind != "oidc" {
		t.Fatalf("SignInWithProvider = %+v, %v", sv, err)
	}
	wait(t, &rt.recordingRuntime, "login")
	if len(opened) != 1 || !strings.HasPrefix(opened[0], op.Issuer+"/auth?") {
		t.Fatalf("the system browser was asked to open %q", opened)
	}
	rt.smu.Lock()
	if rt.shown == 0 {
		t.Error("the window was not brought to the front after the sign-in")
	}
	rt.smu.Unlock()
	p, err := prov.Profile()
	record(p, err)
	if p == nil || p.GivenName != oidctest.GivenName || p.Subject != oidctest.Subject || len(p.Claims) < 4 {
		t.Fatalf("Profile = %+v, %v", p, err)
	}
	s, _ := m.Session(context.Background())
	clock.Set(s.AccessExpires.Add(-m.RefreshBefore))
	select {
	case ticks <- clock.Now():
	case <-time.After(10 * time.Second):
		t.Fatal("the manager did not take the tick")
	}
	wait(t, &rt.recordingRuntime, "refresh")
	record(auth.Session())
	record(prov.Profile())
	record(nil, auth.Logout())
	wait(t, &rt.recordingRuntime, "logout")
	record(prov.Profile())
	if p, _ := prov.Profile(); p != nil {
		t.Fatalf("a profile after logout: %+v", p)
	}
	if len(op.Revoked()) == 0 {
		t.Fatal("logout revoked nothing at the provider")
	}

	issued := op.Issued()
	if len(issued) < 5 {
		t.Fatalf("only %d tokens issued; the run did not sign in and refresh", len(issued))
	}
	seen, _ := json.Marshal(results)
	rt.mu.Lock()
	all := string(seen) + strings.Join(rt.events, "\n")
	rt.mu.Unlock()
	for _, tok := range issued {
		if strings.Contains(all, tok) {
			t.Fatalf("a token reached the UI:\n%s", all)
		}
		if parts := strings.Split(tok, "."); len(parts) == 3 && strings.Contains(all, parts[2]) {
			t.Fatalf("an ID token's signature reached the UI:\n%s", all)
		}
	}
	if !strings.Contains(all, `"givenName":"Grace"`) || !strings.Contains(all, `"browserLogin":true`) {
		t.Fatalf("the run never showed the profile or the capability, so it proves nothing:\n%s", all)
	}
}

func TestSettings_ProviderKind(t *testing.T) {
	e := newSettingsEnv(t)
	op := oidctest.New(t, time.Now)
	e.close()
	e.kinds = append(e.kinds, oidcKind(time.Now))
	e.open()

	kinds := e.s.Kinds()
	if last := kinds[len(kinds)-1]; last.Name != "oidc" || !last.NeedsProvider || last.NeedsAddress {
		t.Fatalf("Kinds()[last] = %+v", last)
	}

	// A provider kind without its provider changes nothing and says what is missing.
	for _, tc := range []struct {
		p    app.ProviderSettingsView
		want string
	}{
		{app.ProviderSettingsView{ClientID: "x"}, "The issuer URL is required"},
		{app.ProviderSettingsView{Issuer: op.Issuer}, "The client ID is required"},
		{app.ProviderSettingsView{Issuer: "http://sso.example.com", ClientID: "x"}, "must use https://"},
	} {
		v := app.SettingsView{Backend: "oidc", RemoteURL: "http://localhost:4000", Provider: tc.p}
		if _, err := e.s.Save(v); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), tc.want) {
			t.Fatalf("Save(%+v) = %v, want %q", tc.p, err, tc.want)
		}
		if c, err := e.s.Check(v); err != nil || c.OK || !strings.Contains(c.Message, tc.want) {
			t.Fatalf("Check(%+v) = %+v, %v", tc.p, c, err)
		}
	}
	if got, _ := e.s.Get(); got.Backend != "embedded" {
		t.Fatalf("a refused save changed the settings: %+v", got)
	}

	v := app.SettingsView{Backend: "oidc", RemoteURL: "http://localhost:4000",
		Provider: app.ProviderSettingsView{Issuer: "  " + op.Issuer + " ", ClientID: oidctest.ClientID, Scopes: "profile  email"}}
	if c, err := e.s.Check(v); err != nil || !c.OK || !c.Switches {
		t.Fatalf("Check = %+v, %v", c, err)
	}
	got := e.save(v, true)
	if got.Provider != (app.ProviderSettingsView{Issuer: op.Issuer, ClientID: oidctest.ClientID, Scopes: "openid profile email"}) {
		t.Fatalf("saved provider %+v", got.Provider)
	}
	b := e.m.Backend()
	caps := backend.CapabilitiesOf(b.Auth)
	if b.Kind != "oidc" || !caps.BrowserLogin || caps.PasswordLogin || b.Label != strings.TrimPrefix(op.Issuer, "http://") {
		t.Fatalf("backend after the switch: %+v %+v", b, caps)
	}
	// Other scopes are another backend: its sessions are kept apart.
	v.Provider.Scopes = ""
	if got := e.save(v, true); got.Provider.Scopes != app.DefaultProviderScopes {
		t.Fatalf("scopes %q", got.Provider.Scopes)
	}
	// Back to the embedded backend: the provider stays filled in for later.
	got = e.save(app.SettingsView{Backend: "embedded", RemoteURL: "http://localhost:4000"}, true)
	if got.Provider.Issuer != op.Issuer || got.Provider.ClientID != oidctest.ClientID {
		t.Fatalf("switching away lost the provider: %+v", got.Provider)
	}
	// A restart on the provider kind opens it again.
	e.save(v, true)
	e.close()
	e.open()
	if b := e.m.Backend(); b.Kind != "oidc" || !backend.CapabilitiesOf(b.Auth).BrowserLogin {
		t.Fatalf("after a restart: %+v", b)
	}
}

func TestTestProvider(t *testing.T) {
	op := oidctest.New(t, time.Now)
	p := &app.Provider{}
	r, err := p.TestProvider(app.ProviderSettingsView{Issuer: op.Issuer, ClientID: oidctest.ClientID})
	if err != nil || r.Status != oidc.Reachable || !r.PKCES256 || !r.Revocation || r.Keys != 1 || len(r.Endpoints) < 4 {
		t.Fatalf("TestProvider(working) = %+v, %v", r, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := "http://" + ln.Addr().String()
	ln.Close()
	r, err = p.TestProvider(app.ProviderSettingsView{Issuer: gone, ClientID: "x"})
	if err != nil || r.Status != oidc.Unreachable || r.Reason == "" {
		t.Fatalf("TestProvider(nobody there) = %+v, %v", r, err)
	}
	if _, err := p.TestProvider(app.ProviderSettingsView{Issuer: op.Issuer}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("TestProvider(no client ID) = %v", err)
	}
}

// Signing out at the provider: logged out here (refresh token revoked) and
// the provider's end-session page opened, without an ID token in it.
func TestSignOutAtProvider(t *testing.T) {
	op := oidctest.New(t, time.Now)
	db, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kinds := app.Backends{oidcKind(time.Now)}
	settings := clientdb.Settings{Backend: "oidc", OIDCIssuer: op.Issuer, OIDCClientID: oidctest.ClientID}
	m := session.New(kinds.For(settings), db)
	m.Start(context.Background())
	defer m.Close()
	var opened []string
	prov := &app.Provider{Sessions: m, OpenURL: func(u string) { opened = append(opened, u); browse(u) }}

	if _, err := prov.SignInWithProvider(); err != nil {
		t.Fatal(err)
	}
	p, err := prov.Profile()
	if err != nil || p == nil || !p.ProviderLogout {
		t.Fatalf("Profile = %+v, %v; want providerLogout", p, err)
	}
	if err := prov.SignOutAtProvider(); err != nil {
		t.Fatal(err)
	}
	if s, _ := m.Session(context.Background()); s != nil {
		t.Fatalf("still signed in: %+v", s)
	}
	if len(op.Revoked()) == 0 {
		t.Fatal("the refresh token was not revoked")
	}
	if len(opened) != 2 || !strings.HasPrefix(opened[1], op.Issuer+"/logout?") || !strings.Contains(opened[1], "client_id="+oidctest.ClientID) {
		t.Fatalf("opened %q, want the sign-in and then the end-session page", opened)
	}
	for _, tok := range op.Issued() {
		if strings.Contains(opened[1], tok) {
			t.Fatal("the end-session address carries a token")
		}
	}
}
