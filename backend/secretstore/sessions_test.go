//go:build !windows && !darwin

package secretstore_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/keyring/keyringtest"
	"github.com/authdesk/authdesk/backend/secretstore"
)

// told records what Sessions reported.
type told struct {
	mu   sync.Mutex
	list []secretstore.Remembered
}

func (t *told) add(r secretstore.Remembered) { t.mu.Lock(); t.list = append(t.list, r); t.mu.Unlock() }

func (t *told) last() secretstore.Remembered {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.list) == 0 {
		return secretstore.Remembered{}
	}
	return t.list[len(t.list)-1]
}

func newSessions(f *fixture) (*secretstore.Sessions, *told) {
	tl := &told{}
	return &secretstore.Sessions{
		Meta: f.db, Secrets: f.store, Keep: f.db, OnChange: tl.add,
		Label: func(string) string { return label },
	}, tl
}

func saved(tok string) backend.SavedSession {
	return backend.SavedSession{BackendID: id, UserID: "7", Username: "ann", RefreshToken: tok,
		RefreshExpires: time.Now().Add(time.Hour).Round(time.Second), Saved: time.Now().Round(time.Second)}
}

func TestSessionsKeepTheTokenInTheKeyringAndTheRestInTheFile(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	s, tl := newSessions(f)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	tok := token(t)
	want := saved(tok)
	if err := s.SaveSession(want); err != nil {
		t.Fatal(err)
	}
	if got := tl.last(); got.Location != secretstore.InKeyring || got.Notice != "" {
		t.Errorf("told %+v; want keyring, no notice", got)
	}
	if f.inFile(t, tok) {
		t.Fatal("the token's bytes are in client.db")
	}
	if !f.inFile(t, "ann") {
		t.Fatal("who is signed in should be in client.db")
	}
	out, err := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", id)
	if err != nil || !strings.Contains(out, "secret = "+tok) {
		t.Fatalf("secret-tool search: %v\n%s", err, out)
	}

	// A new run reads both halves back.
	s2, _ := newSessions(f)
	got, err := s2.LoadSession(id)
	if err != nil || got == nil || got.RefreshToken != tok || got.Username != "ann" || !got.RefreshExpires.Equal(want.RefreshExpires) {
		t.Fatalf("LoadSession = %v, %v", got, err)
	}

	if err := s2.ClearSession(id); err != nil {
		t.Fatal(err)
	}
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("keyring entry left after ClearSession:\n%s", out)
	}
	if got, _ := s2.LoadSession(id); got != nil {
		t.Errorf("LoadSession after ClearSession = %v", got)
	}
}

func TestSessionsMigrateAnOldTokenAndLeaveNoTrace(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	tok := token(t)
	// The older AuthDesk's layout: the token inside the saved session.
	if err := f.db.SaveSession(saved(tok)); err != nil {
		t.Fatal(err)
	}
	if !f.inFile(t, tok) {
		t.Fatal("setup: the old layout should hold the token in client.db")
	}
	s, _ := newSessions(f)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if f.inFile(t, tok) {
		t.Fatal("the migrated token's bytes are still in client.db")
	}
	if out, err := bus.SecretTool(t, "lookup", "service", "AuthDesk", "username", id); err != nil || strings.TrimSpace(out) != tok {
		t.Fatalf("secret-tool lookup = %q, %v; want the migrated token", out, err)
	}
	got, err := s.LoadSession(id)
	if err != nil || got == nil || got.RefreshToken != tok || got.UserID != "7" {
		t.Fatalf("LoadSession after migration = %v, %v", got, err)
	}
}

func TestSessionsWithoutDBusUseTheFileAndSaySo(t *testing.T) {
	noBus(t)
	f := newFixture(t)
	s, tl := newSessions(f)
	tok := token(t)
	if err := s.SaveSession(saved(tok)); err != nil {
		t.Fatal(err)
	}
	got := tl.last()
	if got.Location != secretstore.InFile || !strings.Contains(got.Problem, "D-Bus") || got.Notice != "" {
		t.Errorf("told %+v; want file with the keyring's problem, no notice (Settings says it)", got)
	}
	st, err := s.Status(id)
	if err != nil || st.Location != secretstore.InFile || st.Problem == "" || !st.Keep {
		t.Errorf("Status = %+v, %v", st, err)
	}
	if l, _ := s.LoadSession(id); l == nil || l.RefreshToken != tok {
		t.Errorf("LoadSession = %v", l)
	}
	if err := s.ClearSession(id); err != nil {
		t.Fatal(err)
	}
	if f.inFile(t, tok) {
		t.Error("the token's bytes are in client.db after ClearSession")
	}
}

// A keyring that goes away mid-run: the next save lands in the file and the
// person is told; a file that cannot be written either keeps the session in
// memory and says so.
func TestSessionsAFailedSaveIsNeverSilent(t *testing.T) {
	bus := keyringtest.StartBus(t)
	d := bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	f.store.Keyring = keyring.New()
	s, tl := newSessions(f)
	if err := s.SaveSession(saved(token(t))); err != nil {
		t.Fatal(err)
	}
	d.Stop()
	tok2 := token(t)
	if err := s.SaveSession(saved(tok2)); err != nil {
		t.Fatal(err)
	}
	if got := tl.last(); got.Location != secretstore.InFile || got.Notice != secretstore.NoticeMovedToFile || got.Problem == "" {
		t.Errorf("after the keyring went away: told %+v; want file, moved_to_file, a problem", got)
	}

	f.db.Close() // the disk goes away too
	tok3 := token(t)
	if err := s.SaveSession(saved(tok3)); err == nil {
		t.Fatal("SaveSession succeeded with nowhere to save")
	}
	if got := tl.last(); got.Location != secretstore.InMemory || got.Notice != secretstore.NoticeNotSaved || got.Problem == "" {
		t.Errorf("after the file went away: told %+v; want memory, not_saved, a problem", got)
	}
	if l, _ := s.LoadSession(id); l == nil || l.RefreshToken != tok3 {
		t.Error("the session that could not be saved is not kept for this run")
	}
}

func TestSessionsKeepOffSavesNothingAndOnSavesAgain(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	s, _ := newSessions(f)
	tok := token(t)
	if err := s.SaveSession(saved(tok)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetKeep(false); err != nil {
		t.Fatal(err)
	}
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("keyring entry left after turning keep off:\n%s", out)
	}
	tok2 := token(t)
	if err := s.SaveSession(saved(tok2)); err != nil {
		t.Fatal(err)
	}
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("a save with keep off reached the keyring:\n%s", out)
	}
	if f.inFile(t, tok) || f.inFile(t, tok2) || f.inFile(t, "ann") {
		t.Error("client.db keeps a sign-in with keep off")
	}
	// A restart with keep off finds nothing.
	s2, _ := newSessions(f)
	if l, _ := s2.LoadSession(id); l != nil {
		t.Errorf("LoadSession with keep off = %v", l)
	}
	if keep, _ := f.db.KeepSignedIn(); keep {
		t.Error("the choice was not remembered")
	}
	// On again: the session of this run is saved at once.
	if err := s.SetKeep(true); err != nil {
		t.Fatal(err)
	}
	if out, err := bus.SecretTool(t, "lookup", "service", "AuthDesk", "username", id); err != nil || strings.TrimSpace(out) != tok2 {
		t.Fatalf("after keep on: secret-tool lookup = %q, %v", out, err)
	}
}

// A keyring that is there but locked (and may not prompt in the
// background) is not "no keyring": the file takes the sign-in and the
// person is told at once.
func TestSessionsALockedKeyringSendsTheSignInToTheFileWithANotice(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	bus.Lock(t)
	f := newFixture(t)
	s, tl := newSessions(f)
	tok := token(t)
	if err := s.SaveSession(saved(tok)); err != nil {
		t.Fatal(err)
	}
	got := tl.last()
	if got.Location != secretstore.InFile || got.Notice != secretstore.NoticeMovedToFile || !strings.Contains(got.Problem, "locked") {
		t.Errorf("told %+v; want file, moved_to_file, the keyring is locked", got)
	}
	if l, _ := s.LoadSession(id); l == nil || l.RefreshToken != tok {
		t.Errorf("LoadSession = %v", l)
	}
}

// Two data folders share the account's keyring but not their entries; the
// default folder keeps the plain key.
func TestScopedKeyringsKeepFoldersApart(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	ctx := t.Context()
	a := secretstore.Scoped(keyring.New(), "/data/a")
	b := secretstore.Scoped(keyring.New(), "/data/b")
	plain := secretstore.Scoped(keyring.New(), "")
	for k, secret := range map[secretstore.Keyring]string{a: "secret-a", b: "secret-b", plain: "secret-plain"} {
		if err := k.Set(ctx, id, label, secret); err != nil {
			t.Fatal(err)
		}
	}
	for k, want := range map[secretstore.Keyring]string{a: "secret-a", b: "secret-b", plain: "secret-plain"} {
		if got, err := k.Get(ctx, id); err != nil || got != want {
			t.Errorf("Get = %q, %v; want %q", got, err, want)
		}
	}
	out, err := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", id+"@/data/a")
	if err != nil || !strings.Contains(out, "label = AuthDesk — Embedded (offline) (/data/a)") {
		t.Errorf("secret-tool search for folder a: %v\n%s", err, out)
	}
	if err := a.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(ctx, id); got != "secret-b" {
		t.Error("deleting folder a's entry touched folder b's")
	}
}
