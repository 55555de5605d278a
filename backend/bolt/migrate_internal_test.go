package bolt

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// writeV1File writes backend.db as schema 1 (AuthDesk before this change)
// left it: users indexed in lower case, one record per refresh token. It
// returns the clear text of one active token of user 2.
func writeV1File(t *testing.T, dir string, now time.Time) (active, used string) {
	t.Helper()
	cheap := &DB{hash: argonParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		hashSlots: make(chan struct{}, 1), hashQueue: make(chan struct{}, 2)}
	hash := func(pw string) string {
		h, err := cheap.hashPassword(context.Background(), pw)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	raw, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	newToken := func() (string, []byte) {
		b := make([]byte, 32)
		rand.Read(b)
		sum := sha256.Sum256(b)
		return base64.RawURLEncoding.EncodeToString(b), sum[:]
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket([]byte("meta"))
		meta.Put([]byte("schema"), []byte("1"))
		key := make([]byte, 32)
		rand.Read(key)
		meta.Put([]byte("jwt_key"), key)
		users, _ := tx.CreateBucket([]byte("users"))
		names, _ := tx.CreateBucket([]byte("usernames"))
		for _, u := range []*userRecord{
			{Username: "test", Role: backend.RoleAdmin, PasswordHash: hash("test")},
			{Username: "Alice", Role: backend.RoleUser, PasswordHash: hash("alice-pw")},
			// Schema 1 allowed names PRECIS refuses (a bidi override here).
			{Username: "evil\u202eman", Role: backend.RoleUser, PasswordHash: hash("evil-pw")},
		} {
			u.ID, _ = users.NextSequence()
			u.Created = now
			users.Put(itob(u.ID), encodeUser(u))
			names.Put(legacyUsernameKey(u.Username), itob(u.ID))
		}
		index, _ := tx.CreateBucket([]byte("tokens"))
		perUser, _ := tx.CreateBucket([]byte("user_tokens"))
		alice, _ := perUser.CreateBucket(itob(2))
		put := func(hash []byte, rec map[string]any, created time.Time) {
			k := binary.BigEndian.AppendUint64(nil, uint64(created.UnixNano()))
			k = append(k, hash...)
			buf, _ := json.Marshal(rec)
			alice.Put(k, buf)
			index.Put(hash, append(itob(2), k...))
		}
		var uh, ah []byte
		used, uh = newToken()
		active, ah = newToken()
		family := "00112233445566778899aabbccddeeff"
		put(uh, map[string]any{"user": 2, "family": family, "created": now.Add(-time.Hour), "expires": now.Add(time.Hour),
			"createdBy": "desktop", "revoked": now.Add(-time.Minute), "reason": "Replaced by new token", "replacedBy": ah}, now.Add(-time.Hour))
		put(ah, map[string]any{"user": 2, "family": family, "created": now.Add(-time.Minute), "expires": now.Add(7 * 24 * time.Hour),
			"createdBy": "desktop"}, now.Add(-time.Minute))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return active, used
}

func TestMigrateV1_UsersAndSessionsKeepWorking(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := now
	active, used := writeV1File(t, dir, now)

	db := NewDB(dir, Options{})
	db.UseCheapHashing()
	db.Now = func() time.Time { return clock }
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auth := NewAuthService(db)
	ctx := context.Background()

	for _, login := range [][2]string{{"test", "test"}, {"ALICE", "alice-pw"}, {"alice", "alice-pw"}, {"evil\u202eman", "evil-pw"}} {
		if _, err := auth.Authenticate(ctx, login[0], login[1]); err != nil {
			t.Fatalf("login %q after the migration: %v", login[0], err)
		}
	}
	// The old token was dropped with the old records: simply invalid.
	if _, err := auth.Refresh(ctx, used); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("a used schema-1 token: %v", err)
	}
	// The active one still refreshes, into the new form.
	g, err := auth.Refresh(ctx, active)
	if err != nil {
		t.Fatalf("the saved session after the upgrade: %v", err)
	}
	if len(g.RefreshToken) != 86 || g.User.Username != "Alice" {
		t.Fatalf("grant %+v", g)
	}
	if _, err := auth.ListUsers(ctx, g.AccessToken); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Second)
	if again, err := auth.Refresh(ctx, active); err != nil || again.RefreshToken != g.RefreshToken {
		t.Fatalf("a retry of the schema-1 token within the grace: %v", err)
	}
	// Reopening keeps it all (the migration ran once).
	db.Close()
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	if _, err := auth.Refresh(ctx, active); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("the schema-1 token after the grace: %v", err)
	}
	// That was reuse: the session is over.
	if _, err := auth.Refresh(ctx, g.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
		t.Fatalf("the session survived reuse of its schema-1 token: %v", err)
	}
	err = db.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketV1Tokens) != nil || tx.Bucket(bucketV1UserTokens) != nil {
			t.Error("schema-1 token buckets are still there")
		}
		if v := string(tx.Bucket(bucketMeta).Get(keySchema)); v != strconv.Itoa(schemaVersion) {
			t.Errorf("schema %q after the migration", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
