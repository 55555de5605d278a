package bolt

import (
	"context"
	"runtime"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// allocated returns the bytes fn allocates. An argon2id verify with the
// real parameters allocates its 19 MiB of memory, so it shows plainly.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const argonBytes = 16 << 20 // well under the 19 MiB one verify takes

// The login page's demo hint must not cost an argon2 verify before the first
// page: the answer comes from the record written where the password was set.
func TestDemoHintNeedsNoArgon2(t *testing.T) {
	ctx := context.Background()
	db := NewDB(t.TempDir(), Options{}) // real parameters: that is what is measured
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	auth, admin := NewAuthService(db), NewAdminService(db)

	ask := func(step string, want bool) uint64 {
		t.Helper()
		db.demo.invalidate() // as after a restart: nothing cached in memory
		var got bool
		var err error
		n := allocated(func() { got, err = auth.DemoAccountActive(ctx) })
		if err != nil || got != want {
			t.Fatalf("%s: DemoAccountActive = %v, %v; want %v", step, got, err, want)
		}
		return n
	}
	if n := ask("first run", true); n > argonBytes/4 {
		t.Fatalf("first run: the hint allocated %d bytes: an argon2 verify ran", n)
	}
	// A file from before the record existed: one verify, then never again.
	if err := db.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyDemoPassword) }); err != nil {
		t.Fatal(err)
	}
	if n := ask("older file, first time", true); n < argonBytes {
		t.Fatalf("older file: only %d bytes allocated; the check cannot have verified the password", n)
	}
	if n := ask("older file, second time", true); n > argonBytes/4 {
		t.Fatalf("older file, second time: %d bytes: the answer was not recorded", n)
	}
	if err := admin.SetPassword(ctx, "test", "s3cret-password"); err != nil {
		t.Fatal(err)
	}
	if n := ask("after a password change", false); n > argonBytes/4 {
		t.Fatalf("after a password change: the hint allocated %d bytes", n)
	}
}
