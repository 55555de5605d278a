package bolt_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"golang.org/x/crypto/bcrypt"
)

// BenchmarkPageUsers100k: one page of 100 out of 100,000 users, as the home
// list and the Users page ask for it, against the whole unpaged list (the
// baseline, same run). Token check included.
func BenchmarkPageUsers100k(b *testing.B) {
	db := MustOpenDBAt(b, b.TempDir(), bolt.Options{}, nil)
	admin := bolt.NewAdminService(db)
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	var wg sync.WaitGroup
	for w := range 100 {
		wg.Go(func() {
			for i := w; i < 99999; i += 100 {
				u := backend.User{Username: fmt.Sprintf("user%06d", i), FirstName: fmt.Sprintf("First%06d", i), LastName: "Last"}
				if _, err := admin.ImportUser(ctx, u, string(hash)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	auth := bolt.NewAuthService(db)
	tok := MustLogin(b, auth, "test", "test").AccessToken
	b.Run("list-all-baseline", func(b *testing.B) {
		for b.Loop() {
			if users, err := auth.ListUsers(ctx, tok); err != nil || len(users) != 100000 {
				b.Fatalf("%d users, %v", len(users), err)
			}
		}
	})
	for _, c := range []struct {
		name string
		q    backend.UserQuery
		want int
	}{
		{"first-page-by-id", backend.UserQuery{}, 100},
		{"first-page-by-username", backend.UserQuery{Sort: backend.SortByUsername}, 100},
		{"first-page-by-last-name-desc", backend.UserQuery{Sort: backend.SortByLastName, Desc: true}, 100},
		{"search", backend.UserQuery{Search: "user00077", Sort: backend.SortByUsername}, 10},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if p, err := auth.PageUsers(ctx, tok, c.q); err != nil || len(p.Users) != c.want {
					b.Fatalf("%+v, %v", p, err)
				}
			}
		})
	}
}
