package app_test

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/httpapi"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/session"
)

// settingsEnv is the desktop's real parts: an embedded backend, client.db
// and a session manager, plus another AuthDesk served over HTTP to switch to.
type settingsEnv struct {
	t         *testing.T
	dir       string
	kinds     app.Backends
	embAuth   *bolt.AuthService
	remoteURL string
	db        *clientdb.DB
	m         *session.Manager
	s         *app.Settings
}

func openBolt(t *testing.T) *bolt.DB {
	t.Helper()
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newSettingsEnv(t *testing.T) *settingsEnv {
	t.Helper()
	embDB := openBolt(t)
	embAuth := bolt.NewAuthService(embDB)

	// The remote server has a user the embedded backend does not.
	remDB := openBolt(t)
	if _, err := bolt.NewAdminService(remDB).AddUser(context.Background(),
		backend.User{Username: "rita", FirstName: "Rita", LastName: "Remote"}, "rita-password"); err != nil {
		t.Fatal(err)
	}
	remAuth := bolt.NewAuthService(remDB)
	api := httpapi.New(remAuth, remAuth)
	api.Log = slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)

	e := &settingsEnv{t: t, dir: t.TempDir(), embAuth: embAuth, remoteURL: srv.URL}
	// The registry as main.go builds it, on the test's embedded backend.
	e.kinds = app.Backends{
		{Name: "embedded", Label: "Embedded (offline)", Open: func(string) backend.Refresher { return embAuth }},
		{
			Name: "remote", Label: "Remote API", NeedsAddress: true, DefaultAddress: "http://localhost:4000",
			Open: func(url string) backend.Refresher { return remote.NewClient(url) },
			Probe: func(ctx context.Context, url string) app.ProbeView {
				r := remote.Probe(ctx, url)
				return app.ProbeView{URL: r.URL, Status: r.Status, Reason: r.Reason}
			},
		},
	}
	e.open()
	t.Cleanup(e.close)
	return e
}

// open starts the app as main.go does: the backend comes from the saved settings.
func (e *settingsEnv) open() {
	e.t.Helper()
	db, err := clientdb.Open(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	saved, err := db.Settings()
	if err != nil {
		e.t.Fatal(err)
	}
	m := session.New(e.kinds.For(saved), db)
	m.Logger = slog.New(slog.DiscardHandler)
	m.Start(context.Background())
	e.db, e.m = db, m
	e.s = &app.Settings{Store: db, Sessions: m, Backends: e.kinds, Version: "1.2.3", Log: m.Logger}
}

func (e *settingsEnv) close() {
	if e.m != nil {
		e.m.Close()
		e.db.Close()
		e.m = nil
	}
}

func (e *settingsEnv) session() *session.Session {
	e.t.Helper()
	s, err := e.m.Session(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *settingsEnv) save(v app.SettingsView, wantSwitch bool) app.SettingsView {
	e.t.Helper()
	got, err := e.s.Save(v)
	if err != nil {
		e.t.Fatalf("Save(%+v): %v", v, err)
	}
	if got.Switched != wantSwitch {
		e.t.Fatalf("Save(%+v) switched = %v, want %v", v, got.Switched, wantSwitch)
	}
	return got.Settings
}

func TestSettings_Defaults(t *testing.T) {
	e := newSettingsEnv(t)
	v, err := e.s.Get()
	if err != nil || v != (app.SettingsView{Backend: "embedded", RemoteURL: "http://localhost:4000", Version: "1.2.3",
		Provider: app.ProviderSettingsView{Scopes: app.DefaultProviderScopes}}) {
		t.Fatalf("Get = %+v, %v", v, err)
	}
}

func TestSettings_InvalidAddressChangesNothing(t *testing.T) {
	e := newSettingsEnv(t)
	if _, err := e.m.Login(context.Background(), "test", "test"); err != nil {
		t.Fatal(err)
	}
	for url, msg := range map[string]string{
		"ftp://example.com":       "must start with http:// or https://",
		"":                        "Enter the server's address",
		"http://example.com/?a=b": "must not contain a query",
	} {
		_, err := e.s.Save(app.SettingsView{Backend: "remote", RemoteURL: url})
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(backend.ErrorMessage(err), msg) {
			t.Errorf("Save(remote, %q) = %v, want invalid %q", url, err, msg)
		}
	}
	if _, err := e.s.Save(app.SettingsView{Backend: "ldap"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("unknown backend kind: %v", err)
	}
	if v, _ := e.s.Get(); v.Backend != "embedded" || v.RemoteURL != "http://localhost:4000" {
		t.Fatalf("settings changed to %+v", v)
	}
	if e.m.Backend().ID != "embedded" || e.session() == nil {
		t.Fatal("a refused save switched the backend or ended the session")
	}
}

func TestSettings_SwitchingBackends(t *testing.T) {
	e := newSettingsEnv(t)
	ctx := context.Background()
	if _, err := e.m.Login(ctx, "test", "test"); err != nil {
		t.Fatal(err)
	}

	v := e.save(app.SettingsView{Backend: "remote", RemoteURL: " " + e.remoteURL + "/ "}, true)
	if v.Backend != "remote" || v.RemoteURL != e.remoteURL {
		t.Fatalf("saved %+v, want the address normalised to %s", v, e.remoteURL)
	}
	if b := e.m.Backend(); b.ID != "remote:"+e.remoteURL || b.Kind != "remote" || b.Label != e.remoteURL {
		t.Fatalf("backend %+v", b)
	}
	if e.session() != nil {
		t.Fatal("the embedded session survived the switch")
	}
	// It was revoked on the embedded backend, not just forgotten.
	g, err := e.embAuth.Authenticate(ctx, "test", "test")
	if err != nil {
		t.Fatal(err)
	}
	records, err := e.embAuth.RefreshTokens(ctx, g.AccessToken, "1")
	if err != nil || len(records) != 2 || records[0].ReasonRevoked != "Revoked without replacement" {
		t.Fatalf("embedded tokens %+v, %v", records, err)
	}

	// Logins now go to the remote server, which knows rita.
	s, err := e.m.Login(ctx, "rita", "rita-password")
	if err != nil || s.User.FirstName != "Rita" || s.BackendKind != "remote" || s.BackendLabel != e.remoteURL {
		t.Fatalf("remote login = %+v, %v", s, err)
	}

	// Saving the same choice again keeps the session.
	e.save(app.SettingsView{Backend: "remote", RemoteURL: e.remoteURL}, false)
	if e.session() == nil {
		t.Fatal("re-saving unchanged settings ended the session")
	}
	// Another remote address is another backend.
	other := "http://" + deadAddress(t)
	e.save(app.SettingsView{Backend: "remote", RemoteURL: other}, true)
	if e.session() != nil || e.m.Backend().ID != "remote:"+other {
		t.Fatalf("after changing the address: backend %+v", e.m.Backend())
	}
	// And back to embedded, where the session was ended on purpose.
	e.save(app.SettingsView{Backend: "embedded", RemoteURL: other}, true)
	if e.m.Backend().ID != "embedded" || e.session() != nil {
		t.Fatalf("back to embedded: backend %+v", e.m.Backend())
	}
	if v, _ := e.s.Get(); v.Backend != "embedded" || v.RemoteURL != other {
		t.Fatalf("Get = %+v: the remote address should be remembered", v)
	}
}

// The refresh cookie from the remote server is what client.db keeps, so a
// restart logs straight back in to the same server.
func TestSettings_RestartStaysLoggedInToTheRemote(t *testing.T) {
	e := newSettingsEnv(t)
	e.save(app.SettingsView{Backend: "remote", RemoteURL: e.remoteURL}, true)
	if _, err := e.m.Login(context.Background(), "rita", "rita-password"); err != nil {
		t.Fatal(err)
	}
	e.close()
	e.open()
	s := e.session()
	if s == nil || s.User.Username != "rita" || s.BackendLabel != e.remoteURL {
		t.Fatalf("after restart: %+v", s)
	}
	// And the restored session works for authorised calls.
	users, err := (&app.Users{Sessions: e.m}).List()
	if err != nil || len(users) != 1 || users[0].Username != "rita" {
		t.Fatalf("users after restart: %+v, %v", users, err)
	}
}

func TestSettings_TestConnectionAndCheck(t *testing.T) {
	e := newSettingsEnv(t)
	remoteForm := func(url string) app.SettingsView { return app.SettingsView{Backend: "remote", RemoteURL: url} }
	if r, err := e.s.TestConnection(remoteForm(e.remoteURL)); err != nil || r.Status != remote.Reachable {
		t.Fatalf("TestConnection(served) = %+v, %v", r, err)
	}
	if r, err := e.s.TestConnection(remoteForm("http://" + deadAddress(t))); err != nil || r.Status != remote.Unreachable || !strings.Contains(r.Reason, "connection refused") {
		t.Fatalf("TestConnection(dead) = %+v, %v", r, err)
	}
	if _, err := e.s.TestConnection(remoteForm("localhost:4000")); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("TestConnection(no scheme) = %v", err)
	}
	if _, err := e.s.TestConnection(app.SettingsView{Backend: "embedded", RemoteURL: e.remoteURL}); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("TestConnection(embedded) = %v", err)
	}

	if c, _ := e.s.Check(remoteForm("http://api.example.com/")); !c.OK || c.RemoteURL != "http://api.example.com" ||
		!strings.Contains(c.Warning, "unencrypted") || !c.Changed || !c.Switches {
		t.Fatalf("Check(plain http) = %+v", c)
	}
	if c, _ := e.s.Check(remoteForm("https://api.example.com")); !c.OK || c.Warning != "" {
		t.Fatalf("Check(https) = %+v", c)
	}
	if c, _ := e.s.Check(remoteForm("api.example.com")); c.OK || !strings.Contains(c.Message, "http://") {
		t.Fatalf("Check(no scheme) = %+v", c)
	}
	// The embedded backend keeps the address for the form but needs none:
	// a half-typed one is no error, and no switch or change follows.
	if c, _ := e.s.Check(app.SettingsView{Backend: "embedded", RemoteURL: "http://"}); !c.OK || c.Changed || c.Switches ||
		c.RemoteURL != "http://localhost:4000" {
		t.Fatalf("Check(embedded, half-typed address) = %+v", c)
	}
	if c, _ := e.s.Check(app.SettingsView{Backend: "embedded", RemoteURL: "http://lab:4000"}); !c.OK || !c.Changed || c.Switches {
		t.Fatalf("Check(embedded, new address) = %+v: a change, not a switch", c)
	}
}

func TestSettings_KindsComeFromTheRegistry(t *testing.T) {
	e := newSettingsEnv(t)
	kinds := e.s.Kinds()
	if len(kinds) != 2 || kinds[0].Name != "embedded" || kinds[0].NeedsAddress || kinds[0].CanProbe ||
		kinds[1].Name != "remote" || !kinds[1].NeedsAddress || !kinds[1].CanProbe {
		t.Fatalf("Kinds() = %+v", kinds)
	}
}

func deadAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
