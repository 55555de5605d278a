package session_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/session"
)

// directoryOnly hides everything of the embedded backend but the tutorial
// contract, as a server without paging or account management would.
type directoryOnly struct{ backend.Authenticator }

// accountsManager is a Manager on the real embedded backend (auth wraps it),
// signed in as the demo admin, on a fake clock.
func accountsManager(t *testing.T, wrap func(*bolt.AuthService) backend.Refresher) (*session.Manager, *backendtest.Clock) {
	t.Helper()
	clock := backendtest.NewClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	db := bolt.NewDB(t.TempDir(), bolt.Options{})
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	store, err := clientdb.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	m := session.New(embedded(wrap(bolt.NewAuthService(db))), store)
	m.Now = clock.Now
	m.Logger = slog.New(slog.DiscardHandler)
	m.NewTicker = func(time.Duration) (<-chan time.Time, func()) { return make(chan time.Time), func() {} }
	ctx := context.Background()
	m.Start(ctx)
	t.Cleanup(m.Close)
	if _, err := m.Login(ctx, "test", "test"); err != nil {
		t.Fatal(err)
	}
	return m, clock
}

func TestDoAccounts_ManagesWithoutTokensAndRefreshesOnce(t *testing.T) {
	ctx := context.Background()
	m, clock := accountsManager(t, func(a *bolt.AuthService) backend.Refresher { return a })
	var kept backend.Accounts
	err := m.DoAccounts(ctx, func(ctx context.Context, acc backend.Accounts) error {
		kept = acc
		f, err := acc.Features(ctx)
		if err != nil || !f.Paging || !f.Admin {
			t.Fatalf("features %+v %v", f, err)
		}
		_, err = acc.Create(ctx, backend.NewUser{Username: "bob", FirstName: "Bob", LastName: "B", Password: "bobs-password"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Kept past its call, it no longer works.
	if _, err := kept.Page(ctx, backend.UserQuery{}); backend.ErrorCode(err) != backend.EINTERNAL {
		t.Fatalf("a kept Accounts paged: %v", err)
	}
	// The access token has expired: the call refreshes once and goes through.
	clock.Add(20 * time.Minute)
	calls := 0
	var page *backend.UserPage
	err = m.DoAccounts(ctx, func(ctx context.Context, acc backend.Accounts) (err error) {
		calls++
		page, err = acc.Page(ctx, backend.UserQuery{Sort: backend.SortByUsername})
		return err
	})
	if err != nil || calls != 2 || page.Total != 2 || page.Users[0].Username != "bob" {
		t.Fatalf("after expiry: %+v, %v, %d calls", page, err, calls)
	}
}

func TestDoAccounts_PagesABackendWithoutPagingAndOffersNoManagement(t *testing.T) {
	ctx := context.Background()
	m, _ := accountsManager(t, func(a *bolt.AuthService) backend.Refresher { return directoryOnly{a} })
	err := m.DoAccounts(ctx, func(ctx context.Context, acc backend.Accounts) error {
		if f, err := acc.Features(ctx); err != nil || f.Paging || f.Admin {
			t.Fatalf("features %+v %v", f, err)
		}
		p, err := acc.Page(ctx, backend.UserQuery{Search: "TEST"})
		if err != nil || p.Total != 1 || p.Users[0].Username != "test" {
			t.Fatalf("page %+v %v", p, err)
		}
		_, err = acc.Create(ctx, backend.NewUser{Username: "bob", FirstName: "B", LastName: "B", Password: "bobs-password"})
		if backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Fatalf("create on a backend without management: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
