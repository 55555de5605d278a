package privatedir_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/privatedir"
)

// tempDir is t.TempDir with a best-effort cleanup: these tests also run as a
// Windows binary under Wine (scripts/wine-test.sh), and Wine 8 lacks the call
// Go 1.26's os.RemoveAll makes on Windows, which t.TempDir counts as a failure.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "privatedir-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("leaving %s: %v", dir, err)
		}
	})
	return dir
}

func TestCreateMakesParents(t *testing.T) {
	dir := filepath.Join(tempDir(t), "a", "b", "authdesk")
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Fatalf("no folder %s: %v", dir, err)
	}
	// Again: nothing to do, no error.
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	// The files AuthDesk then keeps there can be written and read back.
	file := filepath.Join(dir, "backend.db")
	if err := os.WriteFile(file, []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "data" {
		t.Fatalf("read back %q, %v", b, err)
	}
}

func TestCreateRefusesAFile(t *testing.T) {
	file := filepath.Join(tempDir(t), "authdesk")
	if err := os.WriteFile(file, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := privatedir.Create(file)
	if err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("Create(file) = %v, want a \"not a folder\" error", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Errorf("the file changed: %q", b)
	}
}
