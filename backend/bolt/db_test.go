package bolt_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	bbolt "go.etcd.io/bbolt"
)

// Clock is a fake clock tests move by hand.
type Clock = backendtest.Clock

func NewClock() *Clock { return backendtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) }

// MustOpenDB opens a fresh store in a temporary folder with the demo user,
// cheap hashing and a fake clock; it is closed when the test ends.
func MustOpenDB(tb testing.TB) (*bolt.DB, *Clock) {
	tb.Helper()
	clock := NewClock()
	db := MustOpenDBAt(tb, tb.TempDir(), bolt.Options{}, clock)
	return db, clock
}

// MustOpenDBAt opens the store in dir with cheap hashing.
func MustOpenDBAt(tb testing.TB, dir string, opts bolt.Options, clock *Clock) *bolt.DB {
	tb.Helper()
	db := bolt.NewDB(dir, opts)
	db.UseCheapHashing()
	if clock != nil {
		db.Now = clock.Now
	}
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Error(err)
		}
	})
	return db
}

// MustLogin logs in and fails the test otherwise.
func MustLogin(tb testing.TB, auth *bolt.AuthService, username, password string) *backend.Grant {
	tb.Helper()
	g, err := auth.Authenticate(context.Background(), username, password)
	if err != nil {
		tb.Fatalf("login %s: %v", username, err)
	}
	return g
}

// MustAddUser adds a user with role and password.
func MustAddUser(tb testing.TB, db *bolt.DB, username string, role backend.Role, password string) *backend.User {
	tb.Helper()
	u, err := bolt.NewAdminService(db).AddUser(context.Background(),
		backend.User{Username: username, FirstName: "First " + username, LastName: "Last", Role: role}, password)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// assertError checks an error's code and person-readable message.
func assertError(tb testing.TB, err error, code, message string) {
	tb.Helper()
	if got := backend.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	if got := backend.ErrorMessage(err); got != message {
		tb.Fatalf("error message = %q, want %q", got, message)
	}
}

func TestOpen_CreatesPrivateFolderAndFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	MustOpenDBAt(t, dir, bolt.Options{}, nil)

	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	} else if got := fi.Mode().Perm(); got != 0o700 {
		t.Errorf("data folder mode = %o, want 700", got)
	}
	fi, err = os.Stat(filepath.Join(dir, "backend.db"))
	if err != nil {
		t.Fatal(err)
	} else if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("backend.db mode = %o, want 600", got)
	}
}

func TestOpen_SecondOpenFailsFastWithConflict(t *testing.T) {
	dir := t.TempDir()
	MustOpenDBAt(t, dir, bolt.Options{}, nil)

	second := bolt.NewDB(dir, bolt.Options{})
	start := time.Now()
	err := second.Open()
	elapsed := time.Since(start)
	if err == nil {
		second.Close()
		t.Fatal("second Open on the same folder succeeded")
	}
	assertError(t, err, backend.ECONFLICT, "AuthDesk is already running with this data folder ("+dir+")")
	if !bolt.IsLocked(err) {
		t.Error("IsLocked(err) = false")
	}
	// The promise to the person starting a second copy: an answer, not a hang.
	if elapsed > 2*time.Second {
		t.Errorf("second Open took %v, want under 2s", elapsed)
	}
}

func TestIsLocked_OtherErrors(t *testing.T) {
	if bolt.IsLocked(nil) || bolt.IsLocked(errors.New("timeout")) || bolt.IsLocked(backend.Errorf(backend.ECONFLICT, "x")) {
		t.Fatal("IsLocked true for an error that is not the lock")
	}
}

func TestOpen_ReopenKeepsUsersAndSigningKey(t *testing.T) {
	dir := t.TempDir()
	clock := NewClock()
	db := bolt.NewDB(dir, bolt.Options{})
	db.UseCheapHashing()
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	if err := bolt.NewAdminService(db).RemoveUser(context.Background(), "test"); err != nil {
		t.Fatal(err)
	}
	MustAddUser(t, db, "alice", backend.RoleAdmin, "password1")
	g := MustLogin(t, bolt.NewAuthService(db), "alice", "password1")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = MustOpenDBAt(t, dir, bolt.Options{}, clock)
	users, err := bolt.NewAuthService(db).ListUsers(context.Background(), g.AccessToken)
	if err != nil {
		t.Fatalf("access token from before the restart: %v", err)
	}
	// The demo account is a first-run gift: once removed it stays removed.
	if len(users) != 1 || users[0].Username != "alice" {
		t.Fatalf("users after reopen = %+v, want only alice", users)
	}
	if _, err := bolt.NewAuthService(db).Refresh(context.Background(), g.RefreshToken); err != nil {
		t.Fatalf("refresh token from before the restart: %v", err)
	}
}

func TestOpen_NoDemoUser(t *testing.T) {
	db := MustOpenDBAt(t, t.TempDir(), bolt.Options{NoDemoUser: true}, nil)
	_, err := bolt.NewAuthService(db).Authenticate(context.Background(), "test", "test")
	assertError(t, err, backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	users, err := bolt.NewAdminService(db).Users(context.Background())
	if err != nil || len(users) != 0 {
		t.Fatalf("users = %v, %v; want none", users, err)
	}
}

func TestOpen_DamagedFileIsNamedAndLeftAlone(t *testing.T) {
	for name, content := range map[string][]byte{
		"short text": []byte("my notes\n"),
		"large junk": bytes.Repeat([]byte("not a database "), 1000),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "backend.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			db := bolt.NewDB(dir, bolt.Options{})
			err := db.Open()
			if err == nil {
				db.Close()
				t.Fatal("Open accepted a file that is not a database")
			}
			if msg := backend.ErrorMessage(err); !strings.Contains(msg, path) {
				t.Errorf("message %q does not name %s", msg, path)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
				t.Error("the damaged file was modified")
			}
		})
	}
}

// An empty backend.db is damage, not a first run: recreating it would mint a
// new signing key and the demo admin over whatever the file held.
func TestOpen_EmptyFileIsDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backend.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := bolt.NewDB(dir, bolt.Options{})
	err := db.Open()
	if err == nil {
		db.Close()
		t.Fatal("Open accepted an empty backend.db")
	}
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, path+" is not an AuthDesk database or is damaged") {
		t.Errorf("message %q", msg)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Error("the empty file was written to")
	}
}

// A damaged page deep inside an otherwise valid backend.db is found at
// open, before anything is written.
func TestOpen_DamagedPageIsFoundAtOpen(t *testing.T) {
	dir := t.TempDir()
	db := MustOpenDBAt(t, dir, bolt.Options{}, nil)
	admin := bolt.NewAdminService(db)
	var wg sync.WaitGroup
	for w := range 30 { // concurrent imports share commits
		wg.Go(func() {
			for i := w; i < 300; i += 30 {
				if _, err := admin.ImportUser(ctx, backend.User{Username: fmt.Sprintf("user%03d", i)}, bcryptPassword1); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	db.Close()
	path := filepath.Join(dir, "backend.db")
	raw, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var root int
	size := raw.Info().PageSize
	raw.View(func(tx *bbolt.Tx) error { root = int(tx.Bucket([]byte("users")).RootPage()); return nil })
	raw.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Flip the type of the users bucket's root page (flags at offset 8).
	if root < 2 || binary.LittleEndian.Uint64(data[root*size:]) != uint64(root) {
		t.Fatalf("users root page %d not found", root)
	}
	data[root*size+8] ^= 0xff
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	db = bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err == nil {
		db.Close()
		t.Fatal("Open accepted a file with a damaged page")
	} else if msg := backend.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, "damaged") {
		t.Errorf("message %q", msg)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, data) {
		t.Error("the damaged file was modified")
	}
}

// bcryptPassword1 is "password1" at bcrypt's minimum cost, for fast imports.
const bcryptPassword1 = "$2a$04$K9fxJ.wYmSAOH6mrM4n8H.S7IZs8wY4Ch9LPgsD6ZQEVs8N2bbAcm"

func TestOpen_ForeignBoltFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backend.db")
	other, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = other.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("someone-elses"))
		if err != nil {
			return err
		}
		return b.Put([]byte("k"), []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	before, _ := os.ReadFile(path)

	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err == nil {
		db.Close()
		t.Fatal("Open accepted another program's bbolt file")
	} else if !strings.Contains(backend.ErrorMessage(err), path) {
		t.Errorf("message %q does not name the file", backend.ErrorMessage(err))
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the foreign file was modified")
	}
}

func TestOpen_NewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	db := MustOpenDBAt(t, dir, bolt.Options{NoDemoUser: true}, nil)
	db.Close()
	raw, err := bbolt.Open(filepath.Join(dir, "backend.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db = bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err == nil {
		db.Close()
		t.Fatal("Open accepted a newer schema")
	} else if !strings.Contains(backend.ErrorMessage(err), "newer AuthDesk") {
		t.Errorf("message = %q", backend.ErrorMessage(err))
	}
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
