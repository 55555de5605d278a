package clientdb

import (
	"os"
	"path/filepath"
	"runtime"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/boltfile"
	bolt "go.etcd.io/bbolt"
)

// Compact rewrites client.db with only its live data. bbolt never overwrites
// in place: a deleted or replaced value stays readable in the file's freed
// pages until they happen to be reused. After Compact, what was deleted is
// gone from the file.
//
// The copy is written beside the file and renamed over it while still open,
// so the file lock never lapses (a second AuthDesk cannot slip in) and a crash
// leaves either the old file or the new one, never half of one. Other calls
// wait while it runs; client.db is small, so that is milliseconds.
func (db *DB) Compact() error {
	db.mu.Lock()
	defer db.mu.Unlock()

	tmp := db.path + ".compact"
	_ = os.Remove(tmp) // left by a crash mid-compaction; the real file is intact
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: boltfile.LockTimeout})
	if err != nil {
		return backend.Wrap(backend.EINTERNAL, err, "Could not create %s", tmp)
	}
	fail := func(err error) error {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return backend.Wrap(backend.EINTERNAL, err, "Could not compact %s; it is unchanged", db.path)
	}
	// Every transaction bbolt commits is fsynced, so dst is on disk here.
	if err := bolt.Compact(dst, db.db, 0); err != nil {
		return fail(err)
	}
	if runtime.GOOS == "windows" {
		// Windows cannot replace a file that is open (and mapped): close
		// both, rename, reopen. The lock lapses for that moment.
		return db.replaceClosed(dst, tmp)
	}
	if err := os.Rename(tmp, db.path); err != nil {
		return fail(err)
	}
	syncDir(db.path)
	// The old file is unlinked now; closing it frees its pages for good.
	// dst holds all the data and the lock, so a failure here loses nothing.
	_ = db.db.Close()
	db.db = dst
	return nil
}

// replaceClosed finishes Compact where an open file cannot be replaced.
func (db *DB) replaceClosed(dst *bolt.DB, tmp string) error {
	if err := dst.Close(); err != nil {
		_ = os.Remove(tmp)
		return backend.Wrap(backend.EINTERNAL, err, "Could not compact %s; it is unchanged", db.path)
	}
	if err := db.db.Close(); err != nil {
		_ = os.Remove(tmp)
		return backend.Wrap(backend.EINTERNAL, err, "Could not compact %s", db.path)
	}
	renameErr := os.Rename(tmp, db.path)
	if renameErr != nil {
		_ = os.Remove(tmp)
	}
	syncDir(db.path)
	reopened, err := bolt.Open(db.path, 0o600, &bolt.Options{Timeout: boltfile.LockTimeout})
	if err != nil {
		return backend.Wrap(backend.EINTERNAL, err, "Could not reopen %s after compacting it; restart AuthDesk", db.path)
	}
	db.db = reopened
	if renameErr != nil {
		return backend.Wrap(backend.EINTERNAL, renameErr, "Could not compact %s; it is unchanged", db.path)
	}
	return nil
}

// syncDir makes a rename in path's folder durable. Best effort: some
// filesystems cannot fsync a directory.
func syncDir(path string) {
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
