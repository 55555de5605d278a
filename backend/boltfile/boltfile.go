// Package boltfile opens AuthDesk's bbolt files (backend.db and client.db) one
// way: the data folder is created owner-only, the file is created 0600 (and
// tightened if an older build or a copy left it readable by others), a second
// AuthDesk on the same folder is told so within a second, and a file that is
// not a sound bbolt database is reported as damaged and left untouched.
//
// "Sound" means more than bbolt's own open: every page reachable from the
// root is read and bbolt's consistency check (Tx.Check) runs before anything
// is written, so a flipped byte in a data page is found at start-up instead of
// by a request that happens to touch that page later.
package boltfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/privatedir"
	bolt "go.etcd.io/bbolt"
)

// LockTimeout bounds the wait for bbolt's file lock: a second AuthDesk on the
// same data folder holds it for as long as it runs, so waiting longer only
// delays the message the person needs to see.
const LockTimeout = time.Second

// maxReportedProblems bounds what the consistency check collects for the log.
const maxReportedProblems = 10

// Open opens (creating if needed) the bbolt file name in dir. A missing file
// is a first run; an existing file that is empty, not bbolt, or inconsistent
// is damage, reported with Damaged and never modified. Never NoSync: an
// acknowledged write must survive a crash.
func Open(dir, name string) (*bolt.DB, error) {
	if err := privatedir.Create(dir); err != nil {
		return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot create the data folder %s", dir)
	}
	path := filepath.Join(dir, name)
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() == 0:
		// bbolt would quietly initialise it, and a new signing key or an empty
		// user list would replace whatever the file was meant to hold.
		return nil, Damaged(path, errors.New("the file is empty"))
	case err == nil && !fi.Mode().IsRegular():
		return nil, Damaged(path, errors.New("not a regular file"))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot open %s", path)
	}

	bdb, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, backend.Wrap(backend.ECONFLICT, err, "AuthDesk is already running with this data folder (%s)", dir)
	} else if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot open %s", path)
	} else if err != nil {
		return nil, Damaged(path, err)
	}
	// bbolt only applies the mode when it creates the file; tighten a file
	// that an older build or a copy left readable by others.
	if fi, err := os.Stat(path); err != nil {
		_ = bdb.Close()
		return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot open %s", path)
	} else if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			_ = bdb.Close()
			return nil, backend.Wrap(backend.EINTERNAL, err, "Cannot restrict access to %s", path)
		}
	}
	if err := Check(bdb); err != nil {
		_ = bdb.Close()
		return nil, Damaged(path, err)
	}
	return bdb, nil
}

// IsLocked reports whether err came from Open finding the file in use by
// another process.
func IsLocked(err error) bool {
	return backend.ErrorCode(err) == backend.ECONFLICT && errors.Is(err, bolt.ErrTimeout)
}

// Damaged is the error for a file that cannot be used as it is. It names the
// file and says that nothing was changed: the person may want it back.
func Damaged(path string, cause error) error {
	return backend.Wrap(backend.EINTERNAL, cause,
		"%s is not an AuthDesk database or is damaged; it was left untouched (move it aside to start fresh)", path)
}

// Check reads every page reachable from the root in a read-only transaction,
// then runs bbolt's consistency check (reachability, freelist, page types, key
// order). A page number that points outside the file would make bbolt read
// unmapped memory; the walk turns that fault into an error instead of a crash,
// and the consistency check only runs once the walk found every page readable.
func Check(db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		if err := walk(tx); err != nil {
			return err
		}
		var problems []error
		for err := range tx.Check() {
			if len(problems) < maxReportedProblems {
				problems = append(problems, err)
			}
		}
		return errors.Join(problems...)
	})
}

// walk visits every key of every bucket, recovering from bbolt's panics on
// malformed pages and from memory faults on wild page numbers.
func walk(tx *bolt.Tx) (err error) {
	done := make(chan error, 1)
	go func() {
		// Faults are per goroutine; this one only reads.
		debug.SetPanicOnFault(true)
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("unreadable page: %v", r)
			}
		}()
		done <- tx.ForEach(func(name []byte, b *bolt.Bucket) error { return walkBucket(b) })
	}()
	return <-done
}

func walkBucket(b *bolt.Bucket) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		child := b.Bucket(k)
		if child == nil {
			return fmt.Errorf("bucket entry %x cannot be opened", k)
		}
		if err := walkBucket(child); err != nil {
			return err
		}
	}
	return nil
}
