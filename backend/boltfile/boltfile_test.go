package boltfile_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/boltfile"
	bolt "go.etcd.io/bbolt"
)

// makeFile writes a bbolt file with a few thousand keys in two buckets, so
// it has branch and leaf pages, and returns its path and page size.
func makeFile(t *testing.T, dir string) (string, int) {
	t.Helper()
	db, err := boltfile.Open(dir, "data.db")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"users", "sessions"} {
			b, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			for i := range 3000 {
				if err := b.Put(fmt.Appendf(nil, "key-%06d", i), bytes.Repeat([]byte{'v'}, 40)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	size := db.Info().PageSize
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "data.db"), size
}

// pagesOfType lists the IDs of pages whose header flags are flag.
func pagesOfType(data []byte, size int, flag uint16) (ids []int) {
	for id := 2; (id+1)*size <= len(data); id++ {
		p := data[id*size:]
		if binary.LittleEndian.Uint64(p) == uint64(id) && binary.LittleEndian.Uint16(p[8:]) == flag {
			ids = append(ids, id)
		}
	}
	return ids
}

func assertDamaged(t *testing.T, dir, path string, before []byte) {
	t.Helper()
	db, err := boltfile.Open(dir, "data.db")
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a damaged file")
	}
	msg := backend.ErrorMessage(err)
	if !strings.Contains(msg, path) || !strings.Contains(msg, "damaged") || !strings.Contains(msg, "left untouched") {
		t.Fatalf("message %q", msg)
	}
	if boltfile.IsLocked(err) {
		t.Fatal("damage reported as a lock")
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Fatal("the damaged file was changed")
	}
}

func TestOpen_DamagedPagesAreFoundAtOpen(t *testing.T) {
	const (
		branchPage = 0x01
		leafPage   = 0x02
	)
	for name, damage := range map[string]func(t *testing.T, data []byte, size int){
		"leaf page type overwritten": func(t *testing.T, data []byte, size int) {
			id := pagesOfType(data, size, leafPage)[3]
			binary.LittleEndian.PutUint16(data[id*size+8:], 0x40)
		},
		"leaf keys out of order": func(t *testing.T, data []byte, size int) {
			id := pagesOfType(data, size, leafPage)[3]
			p := data[id*size:]
			// The first key's bytes: element 0's pos is relative to itself.
			pos := int(binary.LittleEndian.Uint32(p[16+4:]))
			p[16+pos] = 'z'
		},
		"branch page zeroed": func(t *testing.T, data []byte, size int) {
			id := pagesOfType(data, size, branchPage)[0]
			clear(data[id*size+8 : (id+1)*size])
		},
		"branch child points outside the file": func(t *testing.T, data []byte, size int) {
			id := pagesOfType(data, size, branchPage)[0]
			// Element 1's page ID (elements: pos, ksize, pgid).
			binary.LittleEndian.PutUint64(data[id*size+16+16+8:], 1<<40)
		},
		"garbage over a leaf page": func(t *testing.T, data []byte, size int) {
			id := pagesOfType(data, size, leafPage)[5]
			copy(data[id*size+8:(id+1)*size], bytes.Repeat([]byte{0xA5, 0x17, 0xff, 0x00}, size))
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path, size := makeFile(t, dir)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			damage(t, data, size)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			assertDamaged(t, dir, path, data)
		})
	}
}

func TestOpen_EmptyFileIsDamageMissingFileIsFirstRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	assertDamaged(t, dir, path, []byte{})

	fresh := filepath.Join(t.TempDir(), "new", "folder")
	db, err := boltfile.Open(fresh, "data.db")
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	db.Close()
	if fi, err := os.Stat(filepath.Join(fresh, "data.db")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new file: %v, %v", fi, err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("new folder: %v, %v", fi, err)
	}
}

func TestOpen_SoundFileOpensAndLooseModeIsTightened(t *testing.T) {
	dir := t.TempDir()
	path, _ := makeFile(t, dir)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := boltfile.Open(dir, "data.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %o, want 600", fi.Mode().Perm())
	}
	if _, err := boltfile.Open(dir, "data.db"); !boltfile.IsLocked(err) ||
		backend.ErrorMessage(err) != "AuthDesk is already running with this data folder ("+dir+")" {
		t.Fatalf("second open: %v", err)
	}
}
