package bolt_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/boltfile"
	bbolt "go.etcd.io/bbolt"
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

// openBenchDB opens a store with cheap hashing and the real clock.
func openBenchDB(b *testing.B, opts bolt.Options, batching bool) *bolt.DB {
	db := bolt.NewDB(b.TempDir(), opts)
	db.UseCheapHashing()
	if !batching {
		db.DisableBatching()
	}
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// reportLatency adds p50 and p99 of samples to the benchmark's output.
func reportLatency(b *testing.B, samples []time.Duration) {
	if len(samples) == 0 {
		return
	}
	slices.Sort(samples)
	ms := func(q float64) float64 {
		return float64(samples[int(q*float64(len(samples)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

// BenchmarkRefreshParallel50 is 50 clients refreshing at once, each its own
// session: shared commits (Batch) against one commit per rotation, in the
// same run. Every rotation is answered only after its commit's fsync.
func BenchmarkRefreshParallel50(b *testing.B) {
	for _, mode := range []struct {
		name     string
		batching bool
	}{{"one-commit-each", false}, {"shared-commits", true}} {
		b.Run(mode.name, func(b *testing.B) {
			db := openBenchDB(b, bolt.Options{MaxSessions: 100}, mode.batching)
			auth := bolt.NewAuthService(db)
			var mu sync.Mutex
			var samples []time.Duration
			parallelism := max(1, 50/runtime.GOMAXPROCS(0))
			// One session per client, signed in beforehand.
			tokens := make(chan string, parallelism*runtime.GOMAXPROCS(0))
			for range cap(tokens) {
				tokens <- MustLogin(b, auth, "test", "test").RefreshToken
			}
			b.SetParallelism(parallelism)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				tok := <-tokens
				var mine []time.Duration
				for pb.Next() {
					start := time.Now()
					g, err := auth.Refresh(ctx, tok)
					mine = append(mine, time.Since(start))
					if err != nil {
						b.Error(err)
						return
					}
					tok = g.RefreshToken
				}
				mu.Lock()
				samples = append(samples, mine...)
				mu.Unlock()
			})
			b.StopTimer()
			reportLatency(b, samples)
		})
	}
}

// BenchmarkReplay is presenting a used refresh token after the grace window
// (theft detected: the family is revoked), for a user whose sessions have
// rotated once and 40,000 times. Each replay is a lookup by key, so the
// history does not matter; "records" is what backend.db holds for sessions.
func BenchmarkReplay(b *testing.B) {
	for _, rotations := range []int{1, 40000} {
		b.Run(fmt.Sprintf("rotations=%d", rotations), func(b *testing.B) {
			clock := backendtest.NewClock(time.Now())
			db := bolt.NewDB(b.TempDir(), bolt.Options{MaxSessions: 100})
			db.UseCheapHashing()
			db.Now = clock.Now
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			auth := bolt.NewAuthService(db)
			// The history: 50 sessions rotating concurrently (shared commits).
			var wg sync.WaitGroup
			for w := range 50 {
				tok := MustLogin(b, auth, "test", "test").RefreshToken
				wg.Go(func() {
					for i := w; i < rotations; i += 50 {
						g, err := auth.Refresh(ctx, tok)
						if err != nil {
							b.Error(err)
							return
						}
						tok = g.RefreshToken
					}
				})
			}
			wg.Wait()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				used := MustLogin(b, auth, "test", "test").RefreshToken
				if _, err := auth.Refresh(ctx, used); err != nil {
					b.Fatal(err)
				}
				clock.Add(bolt.GraceWindow + time.Second)
				b.StartTimer()
				if _, err := auth.Refresh(ctx, used); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
					b.Fatalf("replay: %v", err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(db.RecordCount()), "records")
		})
	}
}

// BenchmarkIntegrityCheck100kUsers is the consistency check Open runs (every
// page read, then bbolt's Tx.Check) on a backend.db with 100,000 users and
// 500 sessions: what every start-up pays (the bound: 200 ms).
func BenchmarkIntegrityCheck100kUsers(b *testing.B) {
	db := openBenchDB(b, bolt.Options{MaxSessions: 5000}, true)
	dir := filepath.Dir(db.Path())
	admin := bolt.NewAdminService(db)
	hash, _ := bcrypt.GenerateFromPassword([]byte("password"), bcrypt.MinCost)
	var wg sync.WaitGroup
	for w := range 200 {
		wg.Go(func() {
			for i := w; i < 99999; i += 200 {
				u := backend.User{Username: fmt.Sprintf("user%06d", i), FirstName: "First", LastName: "Last"}
				if _, err := admin.ImportUser(ctx, u, string(hash)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	auth := bolt.NewAuthService(db)
	for range 500 {
		MustLogin(b, auth, "test", "test")
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	raw, err := bbolt.Open(filepath.Join(dir, bolt.FileName), 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	b.ResetTimer()
	for b.Loop() {
		if err := boltfile.Check(raw); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	fi, _ := os.Stat(filepath.Join(dir, bolt.FileName))
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
}

// BenchmarkLoginDuringFlood is a right password (real argon2id) from one
// client while 50 connections of another send wrong ones as fast as they are
// answered: at one account (throttled after 5, so refused without hashing)
// and at made-up names (never throttled: every guess wants a hash, and the
// per-client bound keeps the flood to its share of the queue). A busy answer
// is retried after its Retry-After, as clients do; the latency includes those
// retries, and "busy-%" is the share of the right logins' attempts refused.
func BenchmarkLoginDuringFlood(b *testing.B) {
	for _, target := range []string{"one-account", "made-up-names"} {
		b.Run(target, func(b *testing.B) {
			db := bolt.NewDB(b.TempDir(), bolt.Options{})
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			if _, err := bolt.NewAdminService(db).AddUser(ctx, backend.User{Username: "bob"}, "bobs-password"); err != nil {
				b.Fatal(err)
			}
			auth := bolt.NewAuthService(db)
			flooder := backend.WithClient(ctx, "203.0.113.7")
			person := backend.WithClient(ctx, "198.51.100.2")
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range 50 {
				wg.Go(func() {
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						name := "test"
						if target == "made-up-names" {
							name = fmt.Sprintf("guess-%d-%d", w, i)
						}
						_, _ = auth.Authenticate(flooder, name, "wrong-password")
					}
				})
			}
			time.Sleep(200 * time.Millisecond)
			var samples []time.Duration
			attempts, busy := 0, 0
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				for {
					attempts++
					_, err := auth.Authenticate(person, "bob", "bobs-password")
					if backend.ErrorCode(err) == backend.EBUSY {
						busy++
						time.Sleep(backend.RetryAfter(err))
						continue
					} else if err != nil {
						b.Fatal(err)
					}
					break
				}
				samples = append(samples, time.Since(start))
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			reportLatency(b, samples)
			b.ReportMetric(100*float64(busy)/float64(attempts), "busy-%")
		})
	}
}
