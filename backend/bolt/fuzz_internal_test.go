package bolt

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"
)

// FuzzParseRefreshToken: only the exact encodings we hand out are accepted
// (a new-form token only with its tag), and the hash is that of the bytes.
func FuzzParseRefreshToken(f *testing.F) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	fam, body := make([]byte, familyIDBytes), make([]byte, tokenBodyBytes)
	tok, _ := encodeToken(secret, fam, body)
	child, _ := childToken(secret, fam, []byte(tok))
	legacy := base64.RawURLEncoding.EncodeToString(body)
	for _, s := range []string{tok, child, legacy, "", "abc", tok + "=", tok[:85], tok[:85] + "B", legacy[:42] + "B",
		"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", tok[:83] + "+/A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := parseRefreshToken(secret, s)
		if !ok {
			return
		}
		raw, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || (len(raw) != refreshTokenBytes && len(raw) != legacyTokenBytes) || base64.RawURLEncoding.EncodeToString(raw) != s {
			t.Fatalf("accepted non-canonical token %q", s)
		}
		if sum := sha256.Sum256(raw); string(sum[:]) != string(p.hash) {
			t.Fatal("hash is not SHA-256 of the token bytes")
		}
		if len(raw) == refreshTokenBytes {
			if again, _ := encodeToken(secret, raw[:familyIDBytes], raw[familyIDBytes:familyIDBytes+tokenBodyBytes]); again != s {
				t.Fatalf("accepted %q without a valid tag", s)
			}
		}
	})
}

// FuzzVerifyAccessToken: nothing but the exact token we signed verifies.
func FuzzVerifyAccessToken(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	good, _, err := signAccessToken(key, 7, "00112233445566778899aabbccddeeff", now, time.Minute)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", "a.b.c", good + "A", good[:len(good)-1],
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpZCI6IjciLCJzdWIiOiI3In0."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, _, ok := verifyAccessToken(key, s, clock)
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
