package clientdb_test

import (
	"bytes"
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
	if err != nil || got != clientdb.DefaultSettings() {
		t.Fatalf("fresh Settings() = %+v, %v; want defaults", got, err)
	}
	if got.Backend != "embedded" || got.RemoteURL != "http://localhost:4000" {
		t.Fatalf("defaults = %+v", got)
	}

	want := clientdb.Settings{Backend: "remote", RemoteURL: "https://auth.example.com"}
	if err := db.SaveSettings(clientdb.Settings{Backend: "remote", RemoteURL: " https://auth.example.com/ "}); err != nil {
		t.Fatalf("SaveSettings: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := open(t, dir).Settings(); err != nil || got != want {
		t.Fatalf("after reopening, Settings() = %+v, %v; want %+v", got, err, want)
	}
}

func TestSaveSettingsRejectsNonsense(t *testing.T) {
	db := open(t, t.TempDir())
	for _, s := range []clientdb.Settings{
		{Backend: "cloud", RemoteURL: "http://localhost:4000"},
		{Backend: "remote", RemoteURL: "localhost:4000"},
		{Backend: "remote", RemoteURL: "ftp://host"},
		{Backend: "remote", RemoteURL: "http://"},
	} {
		if err := db.SaveSettings(s); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("SaveSettings(%+v) = %v, want EINVALID", s, err)
		}
	}
	if got, _ := db.Settings(); got != clientdb.DefaultSettings() {
		t.Fatalf("a rejected save changed the settings to %+v", got)
	}
}

func TestSavedSessionRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)

	if s, err := db.Load(); s != nil || err != nil {
		t.Fatalf("fresh Load() = %v, %v; want nil, nil", s, err)
	}
	want := clientdb.SavedSession{
		BackendID:      "remote:https://auth.example.com",
		UserID:         "64b7f0c2a1e4d3b2c1a09f8e",
		Username:       "alice",
		RefreshToken:   "r3fr3sh-t0k3n",
		RefreshExpires: time.Date(2030, 1, 9, 3, 4, 5, 0, time.UTC),
		Saved:          time.Date(2030, 1, 2, 3, 4, 5, 6, time.UTC),
	}
	if err := db.Save(want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	db.Close()
	db = open(t, dir)
	got, err := db.Load()
	if err != nil || got == nil {
		t.Fatalf("Load after reopening = %v, %v", got, err)
	}
	if got.BackendID != want.BackendID || got.UserID != want.UserID || got.Username != want.Username ||
		got.RefreshToken != want.RefreshToken || !got.RefreshExpires.Equal(want.RefreshExpires) || !got.Saved.Equal(want.Saved) {
		t.Fatalf("Load() = %v, want %v", got, want)
	}
	if strings.Contains(got.String(), want.RefreshToken) {
		t.Fatal("SavedSession's String shows the token")
	}

	if err := db.Clear(); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	if s, err := db.Load(); s != nil || err != nil {
		t.Fatalf("Load after Clear = %v, %v", s, err)
	}
	if err := db.Clear(); err != nil {
		t.Fatalf("second Clear: %v", err)
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
	writeRaw(t, path, "session", "saved", "{not json")

	db := open(t, dir)
	_, err := db.Load()
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
		return tx.Bucket([]byte(bucket)).Put([]byte(key), []byte(value))
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
		v = string(tx.Bucket([]byte(bucket)).Get([]byte(key)))
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
