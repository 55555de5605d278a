//go:build !windows && !darwin

package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/keyring/keyringtest"
)

// events records what the app sent to the UI.
type events struct {
	mu   sync.Mutex
	sent []app.RememberView
}

func (e *events) EventsEmit(name string, data ...any) {
	if name != app.EventRememberChanged || len(data) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sent = append(e.sent, data[0].(app.RememberView))
}

func (e *events) ShowWindow() {}

// running is the app's services on a data folder, as the window or the
// harness opens them.
type running struct {
	svc      *services
	auth     *app.Auth
	remember *app.Remember
	events   *events
}

func start(t *testing.T, dir string) *running {
	t.Helper()
	cfg, err := defaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.dataDir = dir
	ev := &events{}
	svc, err := openServices(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), ev)
	if err != nil {
		t.Fatal(err)
	}
	r := &running{svc: svc, events: ev}
	for _, b := range svc.bound {
		switch v := b.(type) {
		case *app.Auth:
			r.auth = v
		case *app.Remember:
			r.remember = v
		}
	}
	svc.startup(context.Background())
	return r
}

func (r *running) stop() { r.svc.close() }

func (r *running) signedIn(t *testing.T) string {
	t.Helper()
	s, err := r.auth.Session()
	if err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return s.User.Username
}

// rawClientDB is client.db's bytes as they are on disk.
func rawClientDB(t *testing.T, dir string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, clientdb.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// keyringToken is the secret of the embedded backend's keyring entry, as
// libsecret's own tool finds it ("" when there is none).
func keyringToken(t *testing.T, bus *keyringtest.Bus, dir string) string {
	t.Helper()
	out, err := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", "embedded@"+dir)
	if err != nil && strings.TrimSpace(out) != "" {
		t.Fatalf("secret-tool search: %v\n%s", err, out)
	}
	if out != "" && !strings.Contains(out, "label = AuthDesk — Embedded (offline) ("+dir+")") {
		t.Errorf("the keyring entry is not named for a person:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "secret = "); ok {
			return v
		}
	}
	return ""
}

func TestSignInIsRestoredFromTheKeyringAfterRestart(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	dir := t.TempDir()

	r := start(t, dir)
	if _, err := r.auth.Login("test", "test"); err != nil {
		t.Fatal(err)
	}
	tok := keyringToken(t, bus, dir)
	if tok == "" {
		t.Fatal("secret-tool finds no AuthDesk entry after login")
	}
	if v, err := r.remember.Status(); err != nil || v.Location != "keyring" || !v.Keep {
		t.Errorf("Status = %+v, %v; want keep, keyring", v, err)
	}
	r.stop()
	if bytes.Contains(rawClientDB(t, dir), []byte(tok)) {
		t.Fatal("the refresh token's bytes are in client.db")
	}

	r = start(t, dir)
	if who := r.signedIn(t); who != "test" {
		t.Fatalf("after restart signed in as %q; want test", who)
	}
	// The restore rotated the token: the keyring holds the new one, the
	// file neither.
	tok2 := keyringToken(t, bus, dir)
	if tok2 == "" || tok2 == tok {
		t.Fatalf("keyring token after the restore's refresh = %q (was %q)", tok2, tok)
	}
	if err := r.auth.Logout(); err != nil {
		t.Fatal(err)
	}
	if tok := keyringToken(t, bus, dir); tok != "" {
		t.Fatal("the keyring entry is still there after logout")
	}
	r.stop()
	raw := rawClientDB(t, dir)
	if bytes.Contains(raw, []byte(tok)) || bytes.Contains(raw, []byte(tok2)) {
		t.Fatal("a refresh token's bytes are in client.db after logout")
	}
	r = start(t, dir)
	defer r.stop()
	if who := r.signedIn(t); who != "" {
		t.Fatalf("after logout and restart signed in as %q", who)
	}
}

func TestWithoutDBusTheSignInIsKeptInTheFileAndSettingsSaysSo(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", keyringtest.Nowhere(t))
	dir := t.TempDir()
	r := start(t, dir)
	if _, err := r.auth.Login("test", "test"); err != nil {
		t.Fatal(err)
	}
	v, err := r.remember.Status()
	if err != nil || v.Location != "file" || !strings.Contains(v.Problem, "No system keyring was found") {
		t.Errorf("Status = %+v, %v; want file and why", v, err)
	}
	r.stop()
	r = start(t, dir)
	defer r.stop()
	if who := r.signedIn(t); who != "test" {
		t.Fatalf("after restart signed in as %q; want test (from the file)", who)
	}
}

func TestKeepMeSignedInOffMeansLoginPageAfterRestart(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	dir := t.TempDir()
	r := start(t, dir)
	if v, err := r.remember.SetKeep(false); err != nil || v.Keep || v.Location != "none" {
		t.Fatalf("SetKeep(false) = %+v, %v", v, err)
	}
	if _, err := r.auth.Login("test", "test"); err != nil {
		t.Fatal(err)
	}
	if keyringToken(t, bus, dir) != "" {
		t.Error("a keyring entry was written with keep off")
	}
	r.stop()
	r = start(t, dir)
	defer r.stop()
	if who := r.signedIn(t); who != "" {
		t.Fatalf("keep off, yet after restart signed in as %q", who)
	}
	if v, _ := r.remember.Status(); v.Keep {
		t.Error("the keep-off choice was forgotten across the restart")
	}
}

// An older AuthDesk kept the refresh token inside client.db; the first start
// moves it to the keyring and its bytes leave the file.
func TestAnOldTokenMovesToTheKeyringAndLeavesNoTrace(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	dir := t.TempDir()

	// A real token from the embedded backend, saved the old way.
	db := bolt.NewDB(dir, bolt.Options{AccessTTL: time.Minute, RefreshTTL: time.Hour})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	g, err := bolt.NewAuthService(db).Authenticate(context.Background(), "test", "test")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	cdb, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = cdb.SaveSession(backend.SavedSession{BackendID: "embedded", UserID: g.User.ID, Username: g.User.Username,
		RefreshToken: g.RefreshToken, RefreshExpires: g.RefreshExpires, Saved: time.Now()})
	cdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(rawClientDB(t, dir), []byte(g.RefreshToken)) {
		t.Fatal("setup: the old layout should hold the token in client.db")
	}

	r := start(t, dir)
	defer r.stop()
	if bytes.Contains(rawClientDB(t, dir), []byte(g.RefreshToken)) {
		t.Fatal("the old token's bytes are still in client.db after the move")
	}
	if who := r.signedIn(t); who != "test" {
		t.Fatalf("after the move signed in as %q; want test", who)
	}
	if keyringToken(t, bus, dir) == "" {
		t.Fatal("secret-tool finds no entry after the move")
	}
}

// Two data folders are two embedded backends: each keeps its own keyring
// entry, so signing in on one never signs the other out.
func TestTwoDataFoldersKeepTheirOwnEntries(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		r := start(t, dir)
		if _, err := r.auth.Login("test", "test"); err != nil {
			t.Fatal(err)
		}
		r.stop()
	}
	if keyringToken(t, bus, a) == keyringToken(t, bus, b) || keyringToken(t, bus, a) == "" {
		t.Fatal("the two folders share one keyring entry")
	}
	for _, dir := range []string{a, b} {
		r := start(t, dir)
		if who := r.signedIn(t); who != "test" {
			t.Errorf("%s: after restart signed in as %q; want test", dir, who)
		}
		r.stop()
	}
}

// A switch to another backend and a session the backend refuses both delete
// the keyring entry.
func TestSwitchingBackendAndARevokedSessionDeleteTheEntry(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	dir := t.TempDir()

	r := start(t, dir)
	if _, err := r.auth.Login("test", "test"); err != nil {
		t.Fatal(err)
	}
	if keyringToken(t, bus, dir) == "" {
		t.Fatal("no entry after login")
	}
	var settings *app.Settings
	for _, b := range r.svc.bound {
		if s, ok := b.(*app.Settings); ok {
			settings = s
		}
	}
	res, err := settings.Save(app.SettingsView{Backend: "remote", RemoteURL: "http://127.0.0.1:9"})
	if err != nil || !res.Switched {
		t.Fatalf("switching to remote: %+v, %v", res, err)
	}
	if keyringToken(t, bus, dir) != "" {
		t.Fatal("the embedded backend's entry is still there after switching backends")
	}
	if _, err := settings.Save(app.SettingsView{Backend: "embedded"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.auth.Login("test", "test"); err != nil {
		t.Fatal(err)
	}
	r.stop()

	// The person's sessions end elsewhere (a password change); the next
	// start's restore is refused and the entry goes.
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	err = bolt.NewAdminService(db).SetPassword(context.Background(), "test", "a-new-password-123")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if keyringToken(t, bus, dir) == "" {
		t.Fatal("setup: no entry before the restart")
	}
	r = start(t, dir)
	defer r.stop()
	if who := r.signedIn(t); who != "" {
		t.Fatalf("signed in as %q with a revoked session", who)
	}
	if keyringToken(t, bus, dir) != "" {
		t.Fatal("the entry of a revoked session is still there")
	}
}
