// Package privatedir creates AuthDesk's data folder so that only the person
// running AuthDesk can read it: it holds password hashes, the token signing
// key and a refresh token. On Unix that is mode 0700; on Windows, where file
// modes mean nothing, it is an access control list naming only the current
// user (privatedir_windows.go).
package privatedir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Create makes dir, and any missing parents, if it does not exist yet. The
// folder it creates is private to the current user; parents get the usual
// permissions, and a folder that already exists is left as it is (it may be
// one the person chose and shares on purpose).
func Create(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a folder")}
		}
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
	}
	if err := mkdirPrivate(dir); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return nil
}
