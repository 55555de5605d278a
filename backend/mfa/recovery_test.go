package mfa_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/mfa"
)

func TestNewRecoveryCodes_Format(t *testing.T) {
	codes, err := mfa.NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 {
		t.Fatalf("%d codes, want 10", len(codes))
	}
	// Crockford base32: no i, l, o or u to misread.
	re := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !re.MatchString(c) {
			t.Errorf("code %q is not xxxxx-xxxxx from the unambiguous alphabet", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
	}
	again, _ := mfa.NewRecoveryCodes()
	if again[0] == codes[0] {
		t.Error("two sets start with the same code")
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	for in, want := range map[string]string{
		"abcde-23456":    "abcde23456",
		"ABCDE-23456":    "abcde23456",
		"abcde23456":     "abcde23456",
		" abcde 23456 ":  "abcde23456",
		"Oo0iI-lL123":    "00011" + "11123",
		"a-b-c-d-e23456": "abcde23456",
	} {
		if got, ok := mfa.NormalizeRecoveryCode(in); !ok || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abcde-2345", "abcde-234567", "abcdu-23456", "abcdé-23456", "123456", strings.Repeat("a", 200)} {
		if got, ok := mfa.NormalizeRecoveryCode(in); ok {
			t.Errorf("Normalize(%q) = %q, accepted", in, got)
		}
	}
}

func TestHashRecoveryCode_KeyedAndOwned(t *testing.T) {
	k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	h := mfa.HashRecoveryCode(k1, "7", "abcde23456")
	if len(h) != 32 || bytes.Contains(h, []byte("abcde")) {
		t.Fatalf("hash %x", h)
	}
	if !bytes.Equal(h, mfa.HashRecoveryCode(k1, "7", "abcde23456")) {
		t.Error("not deterministic")
	}
	for _, other := range [][]byte{
		mfa.HashRecoveryCode(k2, "7", "abcde23456"), // other database
		mfa.HashRecoveryCode(k1, "8", "abcde23456"), // other user
		mfa.HashRecoveryCode(k1, "7", "abcde23457"), // other code
		mfa.HashRecoveryCode(k1, "", "7abcde23456"), // owner and code do not run together
	} {
		if bytes.Equal(h, other) {
			t.Error("different inputs gave the same hash")
		}
	}
	hashes := [][]byte{mfa.HashRecoveryCode(k1, "7", "x"), h, mfa.HashRecoveryCode(k1, "7", "y")}
	if i := mfa.MatchRecoveryCode(hashes, h); i != 1 {
		t.Errorf("match index %d, want 1", i)
	}
	if i := mfa.MatchRecoveryCode(hashes, mfa.HashRecoveryCode(k1, "7", "z")); i != -1 {
		t.Errorf("match index %d, want -1", i)
	}
}
