package clientdb_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	bolt "go.etcd.io/bbolt"
)

// token returns a refresh-token-like secret that appears nowhere by chance.
func token(t *testing.T) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "rt-" + hex.EncodeToString(b)
}

func fileHas(t *testing.T, path, s string) bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(raw, []byte(s))
}

func TestSecretRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)

	if s, found, err := db.GetSecret("embedded"); err != nil || found || s != "" {
		t.Fatalf("fresh GetSecret = %q, %v, %v; want nothing", s, found, err)
	}
	one, two, other := token(t), token(t), token(t)
	for _, put := range []struct{ id, s string }{{"embedded", one}, {"embedded", two}, {"remote:https://api.example", other}} {
		if err := db.PutSecret(put.id, put.s); err != nil {
			t.Fatal(err)
		}
	}
	// An empty secret is a value like any other (the secret store uses it to
	// mark a keyring entry as stale).
	if err := db.PutSecret("remote:https://empty.example", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = open(t, dir)
	for id, want := range map[string]string{"embedded": two, "remote:https://api.example": other, "remote:https://empty.example": ""} {
		if s, found, err := db.GetSecret(id); err != nil || !found || s != want {
			t.Errorf("GetSecret(%q) after reopening = %q, %v, %v; want %q", id, s, found, err, want)
		}
	}
	if err := db.PutSecret("", "x"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("PutSecret with no backend ID: %v", err)
	}
}

func TestDeletedSecretLeavesNoTraceInTheFile(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	path := filepath.Join(dir, clientdb.FileName)

	secret, kept := token(t), token(t)
	settings := clientdb.Settings{Backend: "remote", RemoteURL: "https://auth.example.com"}
	if err := db.SaveSettings(settings); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSecret("embedded", secret); err != nil {
		t.Fatal(err)
	}
	if err := db.PutSecret("remote:https://auth.example.com", kept); err != nil {
		t.Fatal(err)
	}
	if !fileHas(t, path, secret) {
		t.Fatal("the secret's bytes are not in client.db after PutSecret; the raw check below would prove nothing")
	}

	if err := db.DeleteSecret("embedded"); err != nil {
		t.Fatal(err)
	}
	if fileHas(t, path, secret) {
		t.Fatal("the deleted secret's bytes are still in client.db")
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Errorf("compaction left its temporary file: %v", err)
	}

	// Everything else survived the rewrite, and the file is as private as before.
	if _, found, _ := db.GetSecret("embedded"); found {
		t.Error("deleted secret still found")
	}
	if s, found, err := db.GetSecret("remote:https://auth.example.com"); err != nil || !found || s != kept {
		t.Errorf("other backend's secret after compaction = %q, %v, %v", s, found, err)
	}
	if got, err := db.Settings(); err != nil || got != settings {
		t.Errorf("settings after compaction = %+v, %v", got, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("client.db after compaction: %v, %v; want mode 0600", fi.Mode(), err)
	}
	// The rewritten file is still locked: a second AuthDesk is refused.
	if db2, err := clientdb.Open(dir); !clientdb.IsLocked(err) {
		if db2 != nil {
			db2.Close()
		}
		t.Errorf("second Open after compaction: %v; want the already-running error", err)
	}
	// And it is still a working store.
	if err := db.PutSecret("embedded", "after"); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if s, _, err := open(t, dir).GetSecret("embedded"); err != nil || s != "after" {
		t.Errorf("after reopening: %q, %v", s, err)
	}
}

// TestBboltKeepsDeletedBytesUntilCompacted shows why DeleteSecret compacts:
// a plain bbolt delete leaves the value in the file.
func TestBboltKeepsDeletedBytesUntilCompacted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, clientdb.FileName)
	secret := token(t)
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutSecret("embedded", secret); err != nil {
		t.Fatal(err)
	}
	db.Close()

	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("secrets")).Delete([]byte("embedded")) }); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if !fileHas(t, path, secret) {
		t.Skip("this bbolt overwrote the freed page; the lingering-bytes case did not arise")
	}

	db = open(t, dir)
	if _, found, _ := db.GetSecret("embedded"); found {
		t.Fatal("secret still readable after the raw delete")
	}
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	if fileHas(t, path, secret) {
		t.Fatal("Compact left the deleted secret's bytes in the file")
	}
}

func TestDeletingAnAbsentSecretRewritesNothing(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	path := filepath.Join(dir, clientdb.FileName)
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteSecret("embedded"); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("deleting nothing replaced client.db")
	}
}

// TestCompactWhileInUse runs compactions while other goroutines read and
// write; run with -race it also checks the handle swap is guarded.
func TestCompactWhileInUse(t *testing.T) {
	db := open(t, t.TempDir())
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := []string{"a", "b", "c"}[w]
			for i := range 30 {
				if err := db.PutSecret(id, hex.EncodeToString([]byte{byte(i)})); err != nil {
					errs <- err
					return
				}
				if _, err := db.Settings(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range 10 {
		if err := db.Compact(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, id := range []string{"a", "b", "c"} {
		if s, found, err := db.GetSecret(id); err != nil || !found || s != hex.EncodeToString([]byte{29}) {
			t.Errorf("GetSecret(%q) = %q, %v, %v; want the last write", id, s, found, err)
		}
	}
}
