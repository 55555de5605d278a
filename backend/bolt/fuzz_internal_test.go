package bolt

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"
)

// FuzzParseRefreshToken: only the exact encoding of 32 bytes is accepted, and
// the hash is that of the decoded bytes.
func FuzzParseRefreshToken(f *testing.F) {
	tok, _, _ := newRefreshToken()
	for _, s := range []string{tok, "", "abc", tok + "=", tok[:42], tok[:42] + "B", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", tok[:40] + "+/A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hash, ok := parseRefreshToken(s)
		if !ok {
			return
		}
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(raw) != refreshTokenBytes || base64.RawURLEncoding.EncodeToString(raw) != s {
			t.Fatalf("accepted non-canonical token %q", s)
		}
		if sum := sha256.Sum256(raw); string(sum[:]) != string(hash) {
			t.Fatal("hash is not SHA-256 of the token bytes")
		}
	})
}

// FuzzVerifyAccessToken: nothing but the exact token we signed verifies.
func FuzzVerifyAccessToken(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	good, _, err := signAccessToken(key, 7, now, time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "a.b.c", good + "A", good[:len(good)-1],
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpZCI6IjciLCJzdWIiOiI3In0."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := verifyAccessToken(key, s, clock)
		if ok && (s != good || id != 7) {
			t.Fatalf("accepted %q as user %d", s, id)
		}
		if s == good && !ok {
			t.Fatal("refused the genuine token")
		}
	})
}

// FuzzDecodeUser: a damaged record is an error, never a panic, and whatever
// decodes survives a re-encode unchanged.
func FuzzDecodeUser(f *testing.F) {
	f.Add(encodeUser(&userRecord{ID: 1, Username: "test", FirstName: "Test", LastName: "User",
		Role: "Admin", Created: time.Unix(1700000000, 5), PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5"}))
	f.Add([]byte{1})
	f.Add([]byte{1, 1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, buf []byte) {
		r, err := decodeUser(buf)
		if err != nil {
			return
		}
		again, err := decodeUser(encodeUser(r))
		if err != nil || *again != *r {
			t.Fatalf("round trip of %x: %+v became %+v (%v)", buf, r, again, err)
		}
	})
}
