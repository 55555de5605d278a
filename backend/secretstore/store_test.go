//go:build !windows && !darwin

package secretstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/keyring/keyringtest"
	"github.com/authdesk/authdesk/backend/secretstore"
)

const (
	id    = "embedded"
	label = "Embedded (offline)"
)

// fixture is a Store over a real client.db and the real keyring package,
// with its log captured.
type fixture struct {
	store *secretstore.Store
	db    *clientdb.DB
	path  string // client.db
	logs  *backendtest.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	logs := &backendtest.Buffer{}
	return &fixture{
		store: &secretstore.Store{Keyring: keyring.New(), File: db, Log: slog.New(slog.NewTextHandler(logs, nil))},
		db:    db,
		path:  filepath.Join(dir, clientdb.FileName),
		logs:  logs,
	}
}

func token(t *testing.T) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "rt-" + hex.EncodeToString(b)
}

// inFile reports whether s's bytes appear anywhere in client.db, read raw.
func (f *fixture) inFile(t *testing.T, s string) bool {
	t.Helper()
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(raw, []byte(s))
}

func (f *fixture) save(t *testing.T, secret string, want secretstore.Location) {
	t.Helper()
	loc, err := f.store.Save(context.Background(), id, label, secret)
	if err != nil || loc != want {
		t.Fatalf("Save = %q, %v; want %q", loc, err, want)
	}
}

func (f *fixture) load(t *testing.T, want string, wantLoc secretstore.Location) {
	t.Helper()
	got, loc, err := f.store.Load(context.Background(), id)
	if err != nil || got != want || loc != wantLoc {
		t.Fatalf("Load = %q, %q, %v; want %q from %q", got, loc, err, want, wantLoc)
	}
}

func noBus(t *testing.T) { t.Setenv("DBUS_SESSION_BUS_ADDRESS", keyringtest.Nowhere(t)) }

func TestKeyringHoldsTheSecretAndTheFileDoesNot(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	ctx := context.Background()

	tok := token(t)
	f.save(t, tok, secretstore.InKeyring)
	f.load(t, tok, secretstore.InKeyring)
	if f.inFile(t, tok) {
		t.Fatal("the token's bytes are in client.db although the keyring took it")
	}
	out, err := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", id)
	if err != nil || !strings.Contains(out, "label = AuthDesk — Embedded (offline)") || !strings.Contains(out, "secret = "+tok) {
		t.Fatalf("secret-tool search: %v\n%s", err, out)
	}
	st, err := f.store.Status(ctx, id)
	if err != nil || st != (secretstore.Status{Location: secretstore.InKeyring}) {
		t.Errorf("Status = %+v, %v; want keyring, no notice", st, err)
	}

	if err := f.store.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	f.load(t, "", secretstore.Nowhere)
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("keyring entry left after Delete:\n%s", out)
	}
}

func TestWithoutDBusTheFileHoldsItAndSaysSo(t *testing.T) {
	noBus(t)
	f := newFixture(t)
	ctx := context.Background()

	tok := token(t)
	start := time.Now()
	f.save(t, tok, secretstore.InFile)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Save without a bus took %s", d)
	}
	f.load(t, tok, secretstore.InFile)

	st, err := f.store.Status(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if st.Location != secretstore.InFile || st.Notice != secretstore.NoticeFile ||
		!strings.Contains(st.KeyringProblem, "No system keyring was found") {
		t.Errorf("Status = %+v", st)
	}
	if st.Notice != "Your sign-in is remembered in a file protected by your account's permissions: no system keyring was found" {
		t.Errorf("notice = %q", st.Notice)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "system keyring not usable") || strings.Contains(logs, tok) {
		t.Errorf("log should say why the keyring was not used, without the token:\n%s", logs)
	}

	// Logout removes it from the file, bytes and all.
	if err := f.store.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	f.load(t, "", secretstore.Nowhere)
	if f.inFile(t, tok) {
		t.Error("the token's bytes are still in client.db after Delete")
	}
}

func TestAKeyringThatAppearsLaterTakesOver(t *testing.T) {
	bus := keyringtest.StartBus(t) // a session bus, but no keyring yet
	bus.Use(t)
	f := newFixture(t)
	ctx := context.Background()

	first := token(t)
	f.save(t, first, secretstore.InFile)
	if !f.inFile(t, first) {
		t.Fatal("fallback token not in client.db")
	}
	if st, _ := f.store.Status(ctx, id); !strings.Contains(st.KeyringProblem, "Secret Service") {
		t.Errorf("Status.KeyringProblem = %q; want it to name the missing Secret Service", st.KeyringProblem)
	}

	bus.StartKeyring(t)
	if st, _ := f.store.Status(ctx, id); st.Location != secretstore.InFile || st.Notice != secretstore.NoticeFileKeyringBack {
		t.Errorf("Status with a keyring but the secret still in the file = %+v", st)
	}

	// The next save (a token refresh) goes to the keyring and removes the
	// file copy, bytes and all.
	second := token(t)
	f.save(t, second, secretstore.InKeyring)
	f.load(t, second, secretstore.InKeyring)
	if f.inFile(t, first) || f.inFile(t, second) {
		t.Error("a token's bytes are still in client.db after the keyring took over")
	}
	if out, _ := bus.SecretTool(t, "lookup", "service", "AuthDesk", "username", id); out != second {
		t.Errorf("secret-tool lookup = %q", out)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "sign-in remembered in the system keyring") {
		t.Errorf("log does not record the switch:\n%s", logs)
	}
}

func TestMigrateMovesAFileSecretIntoTheKeyring(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.Use(t)
	f := newFixture(t)
	ctx := context.Background()

	tok := token(t)
	f.save(t, tok, secretstore.InFile)
	// Still no keyring: Migrate leaves it where it is, without error.
	if loc, err := f.store.Migrate(ctx, id, label); err != nil || loc != secretstore.InFile {
		t.Fatalf("Migrate without a keyring = %q, %v", loc, err)
	}

	bus.StartKeyring(t) // e.g. the next start is in a graphical session
	if loc, err := f.store.Migrate(ctx, id, label); err != nil || loc != secretstore.InKeyring {
		t.Fatalf("Migrate = %q, %v", loc, err)
	}
	f.load(t, tok, secretstore.InKeyring)
	if f.inFile(t, tok) {
		t.Error("the migrated token's bytes are still in client.db")
	}
	out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", id)
	if !strings.Contains(out, "label = AuthDesk — Embedded (offline)") {
		t.Errorf("migrated entry's label:\n%s", out)
	}
	// Nothing left to move: Migrate says where it is.
	if loc, err := f.store.Migrate(ctx, id, label); err != nil || loc != secretstore.InKeyring {
		t.Errorf("second Migrate = %q, %v", loc, err)
	}
}

// The keyring goes out of reach after a save (an SSH session, a stopped
// daemon): later saves go to the file and win over the keyring's older
// entry; a logout while it is out of reach is not undone when it returns.
func TestKeyringOutOfReachNeverResurrectsAnOldToken(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	ctx := context.Background()

	old := token(t)
	f.save(t, old, secretstore.InKeyring)

	noBus(t)
	newer := token(t)
	f.save(t, newer, secretstore.InFile)

	bus.Use(t) // back; the keyring still holds the old, used-up token
	f.load(t, newer, secretstore.InFile)

	// Logout while the keyring is out of reach again.
	noBus(t)
	if err := f.store.Delete(ctx, id); err != nil {
		t.Fatalf("Delete with the keyring out of reach: %v", err)
	}
	if f.inFile(t, newer) {
		t.Error("the newer token's bytes are still in client.db after Delete")
	}
	bus.Use(t)
	// The keyring's stale entry is not used, and is removed now that it answers.
	f.load(t, "", secretstore.Nowhere)
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("stale keyring entry still there:\n%s", out)
	}
	if _, found, _ := f.db.GetSecret(id); found {
		t.Error("the tombstone stayed in the file after the keyring entry was removed")
	}
}

func TestAHungKeyringFallsBackInTime(t *testing.T) {
	bus := keyringtest.StartBus(t)
	d := bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	k := keyring.New()
	k.Timeout = 300 * time.Millisecond
	f.store.Keyring = k

	if err := syscall.Kill(d.PID(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(d.PID(), syscall.SIGCONT) })

	tok := token(t)
	start := time.Now()
	f.save(t, tok, secretstore.InFile)
	if el := time.Since(start); el > time.Second {
		t.Errorf("Save against a hung keyring took %s", el)
	}
	f.load(t, tok, secretstore.InFile)
	if !strings.Contains(f.logs.String(), "did not answer within 300ms") {
		t.Errorf("log does not say the keyring timed out:\n%s", f.logs.String())
	}
}

func TestNoKeyringAndNoFileMeansNotRemembered(t *testing.T) {
	noBus(t)
	s := &secretstore.Store{Keyring: keyring.New()} // the person chose not to use a file
	ctx := context.Background()

	loc, err := s.Save(ctx, id, label, token(t))
	if loc != secretstore.Nowhere || backend.ErrorCode(err) != backend.EUNAVAILABLE {
		t.Fatalf("Save = %q, %v; want none, unavailable", loc, err)
	}
	if msg := backend.ErrorMessage(err); !strings.HasPrefix(msg, "Your sign-in is not remembered after AuthDesk closes: No system keyring was found") {
		t.Errorf("message = %q", msg)
	}
	if _, loc, err := s.Load(ctx, id); loc != secretstore.Nowhere || backend.ErrorCode(err) != backend.EUNAVAILABLE {
		t.Errorf("Load = %q, %v; want none and the keyring's problem", loc, err)
	}
	st, err := s.Status(ctx, id)
	if err != nil || st.Location != secretstore.Nowhere || !strings.HasPrefix(st.Notice, "Your sign-in is not remembered") {
		t.Errorf("Status = %+v, %v", st, err)
	}
}

func TestSaveRefusesEmptyInput(t *testing.T) {
	f := newFixture(t)
	for _, in := range [][2]string{{"", "secret"}, {id, ""}} {
		if _, err := f.store.Save(context.Background(), in[0], label, in[1]); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("Save(%q, %q) = %v; want invalid", in[0], in[1], err)
		}
	}
}

// A background save (a token refresh) with the keyring locked must not pop up
// a password dialog: it goes to the file. Once the keyring is unlocked (here:
// GNOME Keyring restarted and unlocked, as at the next graphical login), the
// next save moves it back.
func TestLockedKeyringInTheBackgroundFallsBackWithoutAPrompt(t *testing.T) {
	bus := keyringtest.StartBus(t)
	d := bus.StartKeyring(t)
	bus.Use(t)
	f := newFixture(t)
	ctx := context.Background()

	f.save(t, token(t), secretstore.InKeyring)
	bus.Lock(t)
	prompts := bus.WatchPrompts(t)

	during := token(t)
	f.save(t, during, secretstore.InFile)
	f.load(t, during, secretstore.InFile)
	st, err := f.store.Status(ctx, id)
	if err != nil || st.Location != secretstore.InFile || !strings.Contains(st.KeyringProblem, "locked") {
		t.Errorf("Status with a locked keyring = %+v, %v", st, err)
	}
	if !prompts.WaitFor("Dismiss") {
		t.Fatalf("the keyring's prompt was not withdrawn; calls: %v", prompts.Calls())
	}
	if slices.Contains(prompts.Calls(), "Prompt") {
		t.Fatalf("a background save showed the keyring's password dialog; calls: %v", prompts.Calls())
	}

	d.Stop()
	bus.StartKeyring(t) // same HOME: the same login keyring, unlocked again
	after := token(t)
	f.save(t, after, secretstore.InKeyring)
	f.load(t, after, secretstore.InKeyring)
	if f.inFile(t, during) || f.inFile(t, after) {
		t.Error("a token's bytes are in client.db after the keyring took over again")
	}
	if out, _ := bus.SecretTool(t, "lookup", "service", "AuthDesk", "username", id); out != after {
		t.Errorf("secret-tool lookup = %q", out)
	}
}
