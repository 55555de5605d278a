//go:build !windows

package privatedir_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/authdesk/authdesk/backend/privatedir"
)

func TestCreateIsOwnerOnly(t *testing.T) {
	dir := filepath.Join(tempDir(t), "authdesk")
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("mode %o, want 700", got)
	}
}

// A folder that exists already is left as the person set it up.
func TestCreateLeavesExistingFolder(t *testing.T) {
	dir := tempDir(t)
	if err := os.Chmod(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := privatedir.Create(dir); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if got := fi.Mode().Perm(); got != 0o750 {
		t.Errorf("mode changed to %o", got)
	}
}
