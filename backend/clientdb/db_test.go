package clientdb_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	bolt "go.etcd.io/bbolt"
)

func open(t *testing.T, dir string) *clientdb.DB {
	t.Helper()
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestSettingsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)

	got, err := db.Settings()
	if err != nil || got != (clientdb.Settings{}) {
		t.Fatalf("fresh Settings() = %+v, %v; want nothing chosen yet", got, err)
	}

	want := clientdb.Settings{Backend: "remote", RemoteURL: "https://auth.example.com"}
	if err := db.SaveSettings(want); err != nil {
		t.Fatalf("SaveSettings: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := open(t, dir).Settings(); err != nil || got != want {
		t.Fatalf("after reopening, Settings() = %+v, %v; want %+v", got, err, want)
	}
}

func savedFor(backendID, token string) backend.SavedSession {
	return backend.SavedSession{
		BackendID:      backendID,
		UserID:         "64b7f0c2a1e4d3b2c1a09f8e",
		Username:       "alice",
		RefreshToken:   token,
		RefreshExpires: time.Date(2030, 1, 9, 3, 4, 5, 0, time.UTC),
		Saved:          time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC),
	}
}

func TestSavedSessionRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	const id = "remote:https://auth.example.com"

	if s, err := db.LoadSession(id); s != nil || err != nil {
		t.Fatalf("fresh LoadSession() = %v, %v; want nil, nil", s, err)
	}
	want := savedFor(id, "r3fr3sh-t0k3n")
	if err := db.SaveSession(want); err != nil {
		t.Fatalf("SaveSession: %v", err)
	}
	db.Close()
	db = open(t, dir)
	got, err := db.LoadSession(id)
	if err != nil || got == nil {
		t.Fatalf("LoadSession after reopening = %v, %v", got, err)
	}
	if got.BackendID != want.BackendID || got.UserID != want.UserID || got.Username != want.Username ||
		got.RefreshToken != want.RefreshToken || !got.RefreshExpires.Equal(want.RefreshExpires) || !got.Saved.Equal(want.Saved) {
		t.Fatalf("LoadSession() = %v, want %v", got, want)
	}
	if strings.Contains(got.String(), want.RefreshToken) || strings.Contains(fmt.Sprintf("%#v", *got), want.RefreshToken) {
		t.Fatal("SavedSession's String shows the token")
	}

	if err := db.ClearSession(id); err != nil {
		t.Fatalf("ClearSession: %v", err)
	}
	if s, err := db.LoadSession(id); s != nil || err != nil {
		t.Fatalf("LoadSession after ClearSession = %v, %v", s, err)
	}
	if err := db.ClearSession(id); err != nil {
		t.Fatalf("second ClearSession: %v", err)
	}
}

// Each backend keeps its own saved sign-in: saving or clearing one leaves
// the others as they were.
func TestSavedSessionsAreKeyedByBackend(t *testing.T) {
	db := open(t, t.TempDir())
	emb, rem := savedFor("embedded", "emb-token"), savedFor("remote:https://a.example", "rem-token")
	for _, s := range []backend.SavedSession{emb, rem} {
		if err := db.SaveSession(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.ClearSession("embedded"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.LoadSession(rem.BackendID); got == nil || got.RefreshToken != "rem-token" {
		t.Fatalf("clearing the embedded session touched the remote one: %v", got)
	}
	if got, _ := db.LoadSession("embedded"); got != nil {
		t.Fatalf("cleared session still there: %v", got)
	}
	if err := db.SaveSession(savedFor("", "x")); err == nil {
		t.Fatal("a session without a backend was saved")
	}
}

// A file from the version that kept one saved session comes back with that
// session under its backend, so an upgrade keeps the person signed in.
func TestOlderSingleSavedSessionIsMigrated(t *testing.T) {
	dir := t.TempDir()
	open(t, dir).Close()
	path := filepath.Join(dir, "client.db")
	writeRaw(t, path, "session", "saved",
		`{"backendId":"remote:https://old.example","userId":"7","username":"olga","refreshToken":"old-token","saved":"2030-01-02T03:04:05Z"}`)

	db := open(t, dir)
	got, err := db.LoadSession("remote:https://old.example")
	if err != nil || got == nil || got.RefreshToken != "old-token" || got.Username != "olga" {
		t.Fatalf("migrated session = %v, %v", got, err)
	}
	db.Close()
	if raw := readRaw(t, path, "session", "saved"); raw != "" {
		t.Fatalf("the old record is still there: %q", raw)
	}
}

func TestFileAndFolderArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "AuthDesk", "data")
	open(t, dir)
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "client.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %o, want %o", path, got, want)
		}
	}
}

func TestExistingFileIsMadePrivate(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	db.Close()
	path := filepath.Join(dir, "client.db")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	open(t, dir)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o after reopening, want 600", fi.Mode().Perm())
	}
}

func TestSecondOpenFailsWithMessage(t *testing.T) {
	dir := t.TempDir()
	first := open(t, dir)

	done := make(chan error, 1)
	go func() {
		db, err := clientdb.Open(dir)
		if err == nil {
			db.Close()
		}
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second): // failure guard; Open gives up after about 1s
		t.Fatal("second Open is still waiting for the lock")
	}
	if !clientdb.IsLocked(err) || backend.ErrorCode(err) != backend.ECONFLICT {
		t.Fatalf("second Open = %v; want a lock conflict", err)
	}
	want := "AuthDesk is already running with this data folder (" + dir + ")"
	if msg := backend.ErrorMessage(err); msg != want {
		t.Fatalf("message %q, want %q", msg, want)
	}

	// Once the first one is gone, the folder is usable again.
	first.Close()
	open(t, dir)
}

func TestIsLockedOnlyForLocks(t *testing.T) {
	if clientdb.IsLocked(nil) || clientdb.IsLocked(backend.Errorf(backend.ECONFLICT, "exists")) {
		t.Fatal("IsLocked true for something other than a lock conflict")
	}
}

func TestCorruptedFileIsReportedAndLeftAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "client.db")
	garbage := bytes.Repeat([]byte("not a bolt file "), 1024)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}

	db, err := clientdb.Open(dir)
	if err == nil {
		db.Close()
		t.Fatal("opened a corrupted file")
	}
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, "damaged") {
		t.Fatalf("message %q does not name the damaged file", msg)
	}
	if clientdb.IsLocked(err) {
		t.Fatal("corruption reported as a lock")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, garbage) {
		t.Fatal("the corrupted file was changed")
	}
}

func TestDamagedRecordIsReported(t *testing.T) {
	dir := t.TempDir()
	open(t, dir).Close()
	path := filepath.Join(dir, "client.db")
	writeRaw(t, path, "sessions", "embedded", "{not json")

	db := open(t, dir)
	_, err := db.LoadSession("embedded")
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, path) {
		t.Fatalf("Load of a damaged record = %v; want a message naming %s", err, path)
	}
}

func TestNewerFormatIsRefused(t *testing.T) {
	dir := t.TempDir()
	open(t, dir).Close()
	path := filepath.Join(dir, "client.db")
	writeRaw(t, path, "meta", "schema", "99")

	db, err := clientdb.Open(dir)
	if err == nil {
		db.Close()
		t.Fatal("opened a file from a newer AuthDesk")
	}
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, "newer AuthDesk") || !strings.Contains(msg, path) {
		t.Fatalf("message %q", msg)
	}
	// Refusing must not downgrade the recorded version.
	if v := readRaw(t, path, "meta", "schema"); v != "99" {
		t.Fatalf("schema version rewritten to %q", v)
	}
}

// writeRaw and readRaw reach into the file the way another program (or a
// disk fault) could.
func writeRaw(t *testing.T, path, bucket, key, value string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte(value))
	}); err != nil {
		t.Fatal(err)
	}
}

func readRaw(t *testing.T, path, bucket, key string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	_ = db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(bucket)); b != nil {
			v = string(b.Get([]byte(key)))
		}
		return nil
	})
	return v
}

// An empty client.db is damage, not a first run: the saved session and the
// settings it should hold would silently vanish.
func TestEmptyFileIsDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "client.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := clientdb.Open(dir)
	if err == nil {
		db.Close()
		t.Fatal("opened an empty client.db")
	}
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, "damaged") {
		t.Fatalf("message %q", msg)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatal("the empty file was written to")
	}
}
