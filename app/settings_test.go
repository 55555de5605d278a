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
	embedded  session.Backend
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

	e := &settingsEnv{
		t: t, dir: t.TempDir(), embAuth: embAuth, remoteURL: srv.URL,
		embedded: session.Backend{Auth: embAuth, ID: "embedded", Kind: "embedded", Label: "Embedded (offline)"},
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
	m := session.New(app.BackendFor(saved, e.embedded), db)
	m.Logger = slog.New(slog.DiscardHandler)
	m.Start(context.Background())
	e.db, e.m = db, m
	e.s = &app.Settings{Store: db, Sessions: m, Embedded: e.embedded, Version: "1.2.3", Log: m.Logger}
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

func (e *settingsEnv) save(v app.SettingsView) app.SettingsView {
	e.t.Helper()
	got, err := e.s.Save(v)
	if err != nil {
		e.t.Fatalf("Save(%+v): %v", v, err)
	}
	return got
}

func TestSettings_Defaults(t *testing.T) {
	e := newSettingsEnv(t)
	v, err := e.s.Get()
	if err != nil || v != (app.SettingsView{Backend: "embedded", RemoteURL: "http://localhost:4000", Version: "1.2.3"}) {
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

	v := e.save(app.SettingsView{Backend: "remote", RemoteURL: " " + e.remoteURL + "/ "})
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
	e.save(app.SettingsView{Backend: "remote", RemoteURL: e.remoteURL})
	if e.session() == nil {
		t.Fatal("re-saving unchanged settings ended the session")
	}
	// Another remote address is another backend.
	other := "http://" + deadAddress(t)
	e.save(app.SettingsView{Backend: "remote", RemoteURL: other})
	if e.session() != nil || e.m.Backend().ID != "remote:"+other {
		t.Fatalf("after changing the address: backend %+v", e.m.Backend())
	}
	// And back to embedded, where the session was ended on purpose.
	e.save(app.SettingsView{Backend: "embedded", RemoteURL: other})
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
	e.save(app.SettingsView{Backend: "remote", RemoteURL: e.remoteURL})
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

func TestSettings_TestConnectionAndCheckURL(t *testing.T) {
	e := newSettingsEnv(t)
	if r, err := e.s.TestConnection(e.remoteURL); err != nil || r.Status != remote.Reachable {
		t.Fatalf("TestConnection(served) = %+v, %v", r, err)
	}
	if r, err := e.s.TestConnection("http://" + deadAddress(t)); err != nil || r.Status != remote.Unreachable || !strings.Contains(r.Reason, "connection refused") {
		t.Fatalf("TestConnection(dead) = %+v, %v", r, err)
	}
	if _, err := e.s.TestConnection("localhost:4000"); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("TestConnection(no scheme) = %v", err)
	}

	if c, _ := e.s.CheckURL("http://api.example.com/"); !c.OK || c.URL != "http://api.example.com" || !strings.Contains(c.Warning, "unencrypted") {
		t.Fatalf("CheckURL(plain http) = %+v", c)
	}
	if c, _ := e.s.CheckURL("https://api.example.com"); !c.OK || c.Warning != "" {
		t.Fatalf("CheckURL(https) = %+v", c)
	}
	if c, _ := e.s.CheckURL("api.example.com"); c.OK || !strings.Contains(c.Message, "http://") {
		t.Fatalf("CheckURL(no scheme) = %+v", c)
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
