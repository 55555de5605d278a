package bolt_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"golang.org/x/crypto/bcrypt"
)

// BenchmarkLogin uses the real argon2id parameters: this is what a person waits for.
func BenchmarkLogin(b *testing.B) {
	db := bolt.NewDB(b.TempDir(), bolt.Options{})
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	auth := bolt.NewAuthService(db)
	for b.Loop() {
		if _, err := auth.Authenticate(ctx, "test", "test"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRefresh is one rotation: one bbolt write transaction and its fsync.
func BenchmarkRefresh(b *testing.B) {
	db := MustOpenDBAt(b, b.TempDir(), bolt.Options{}, nil)
	auth := bolt.NewAuthService(db)
	tok := MustLogin(b, auth, "test", "test").RefreshToken
	for b.Loop() {
		g, err := auth.Refresh(ctx, tok)
		if err != nil {
			b.Fatal(err)
		}
		tok = g.RefreshToken
	}
}

// BenchmarkVerifyJWT is the signature and claims check alone.
func BenchmarkVerifyJWT(b *testing.B) {
	db := MustOpenDBAt(b, b.TempDir(), bolt.Options{}, nil)
	tok := MustLogin(b, bolt.NewAuthService(db), "test", "test").AccessToken
	key := db.SigningKey()
	for b.Loop() {
		if _, ok := bolt.VerifyAccessToken(key, tok, time.Now); !ok {
			b.Fatal("refused")
		}
	}
}

// BenchmarkListUsers10k is an admin's ListUsers over 10,000 users, token check included.
func BenchmarkListUsers10k(b *testing.B) {
	db := MustOpenDBAt(b, b.TempDir(), bolt.Options{}, nil)
	admin := bolt.NewAdminService(db)
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost) // imports skip hashing
	var wg sync.WaitGroup                                                // concurrent imports share commits
	for w := range 100 {
		wg.Go(func() {
			for i := w; i < 9999; i += 100 {
				u := backend.User{Username: fmt.Sprintf("user%05d", i), FirstName: "First", LastName: "Last"}
				if _, err := admin.ImportUser(ctx, u, string(hash)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	auth := bolt.NewAuthService(db)
	tok := MustLogin(b, auth, "test", "test").AccessToken
	for b.Loop() {
		users, err := auth.ListUsers(ctx, tok)
		if err != nil || len(users) != 10000 {
			b.Fatalf("%d users, %v", len(users), err)
		}
	}
}
