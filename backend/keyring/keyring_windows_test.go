package keyring_test

// On Windows the keyring is Credential Manager. scripts/wine-test.sh runs
// this file as a Windows test binary under Wine, whose Credential Manager
// API (advapi32's Cred* functions) is a real one; the entries are read back
// with that API, as Credential Manager lists them.

import (
	"context"
	"errors"
	"testing"

	"github.com/danieljoos/wincred"

	"github.com/authdesk/authdesk/backend/keyring"
)

func TestCredentialManagerRoundTrip(t *testing.T) {
	ctx := context.Background()
	k := keyring.New()
	if err := k.Available(ctx); err != nil {
		t.Fatalf("Available: %v", err)
	}
	t.Cleanup(func() { _ = k.Delete(ctx, "embedded") })
	if _, err := k.Get(ctx, "embedded"); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("Get before Set = %v, want ErrNotFound", err)
	}
	if err := k.Set(ctx, "embedded", "Embedded (offline)", "refresh-token-one"); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(ctx, "embedded", "Embedded (offline)", "refresh-token-two"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, "embedded"); err != nil || got != "refresh-token-two" {
		t.Fatalf("Get = %q, %v; want the second token", got, err)
	}

	// What Credential Manager holds: one generic credential for the backend.
	cred, err := wincred.GetGenericCredential("AuthDesk:embedded")
	if err != nil {
		t.Fatalf("Credential Manager has no AuthDesk:embedded entry: %v", err)
	}
	if cred.UserName != "embedded" || string(cred.CredentialBlob) != "refresh-token-two" {
		t.Errorf("the entry holds user %q and %d bytes, want user embedded and the second token", cred.UserName, len(cred.CredentialBlob))
	}

	if err := k.Delete(ctx, "embedded"); err != nil {
		t.Fatal(err)
	}
	if _, err := wincred.GetGenericCredential("AuthDesk:embedded"); err == nil {
		t.Error("the entry is still in Credential Manager after Delete")
	}
	if err := k.Delete(ctx, "embedded"); err != nil {
		t.Errorf("deleting an absent entry: %v", err)
	}
}

func TestOneEntryPerBackend(t *testing.T) {
	ctx := context.Background()
	k := keyring.New()
	// IDs of this test's own: other programs (the e2e suite under Wine) may
	// have left entries of their own in the same Credential Manager.
	ids := []string{"test-one-entry", "remote:http://127.0.0.1:4999"}
	for i, id := range ids {
		t.Cleanup(func() { _ = k.Delete(ctx, id) })
		for _, token := range []string{"first-", "token-"} { // a rotation replaces the entry
			if err := k.Set(ctx, id, "backend", token+string(rune('a'+i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func() map[string]int {
		all, err := wincred.List()
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, c := range all {
			for _, id := range ids {
				if c.TargetName == "AuthDesk:"+id {
					n[id]++
				}
			}
		}
		return n
	}
	if n := count(); n[ids[0]] != 1 || n[ids[1]] != 1 {
		t.Fatalf("Credential Manager holds %v of this test's entries, want one per backend", n)
	}
	if err := k.Delete(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if n := count(); n[ids[0]] != 1 || n[ids[1]] != 0 {
		t.Fatalf("after deleting one backend's entry: %v", n)
	}
	if got, err := k.Get(ctx, ids[0]); err != nil || got != "token-a" {
		t.Errorf("deleting one backend's entry touched another's: %q, %v", got, err)
	}
}
