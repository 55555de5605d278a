package mfa

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Recovery codes stand in for the authenticator app when it is lost. Each is
// 10 symbols of Crockford's base32 (no I, L, O or U; 5 bits a symbol, 50 bits
// a code), shown as "xxxxx-xxxxx". Typing is forgiving: case, spaces and
// hyphens are ignored, and o/i/l read as 0/1/1.
const (
	RecoveryCodeCount = 10
	recoverySymbols   = 10
	recoveryAlphabet  = "0123456789abcdefghjkmnpqrstvwxyz"
)

// NewRecoveryCodes returns RecoveryCodeCount fresh codes in display form, all
// different.
func NewRecoveryCodes() ([]string, error) {
	codes := make([]string, 0, RecoveryCodeCount)
	seen := make(map[string]bool, RecoveryCodeCount)
	buf := make([]byte, recoverySymbols)
	for len(codes) < RecoveryCodeCount {
		if _, err := rand.Read(buf); err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, x := range buf {
			if i == recoverySymbols/2 {
				b.WriteByte('-')
			}
			b.WriteByte(recoveryAlphabet[x&31]) // 256 is a multiple of 32: no bias
		}
		if c := b.String(); !seen[c] {
			seen[c] = true
			codes = append(codes, c)
		}
	}
	return codes, nil
}

// NormalizeRecoveryCode returns the canonical 10 symbols of a recovery code as
// typed, or false when it cannot be one.
func NormalizeRecoveryCode(code string) (string, bool) {
	if len(code) > MaxCodeBytes {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'o':
			r = '0'
		case r == 'i' || r == 'l':
			r = '1'
		}
		if r > 0x7f || strings.IndexByte(recoveryAlphabet, byte(r)) < 0 {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != recoverySymbols {
		return "", false
	}
	return b.String(), true
}

// HashRecoveryCode returns the keyed hash stored in place of a normalised
// recovery code. HMAC-SHA-256 (fast) is enough here, unlike for passwords:
// each code carries 50 random bits, so there is no dictionary to try, and
// online guessing is bounded by the sign-in throttle. owner (the user's ID)
// is mixed in so a stored hash is worthless for any other account.
func HashRecoveryCode(key []byte, owner, normalized string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("authdesk recovery code v1\x00"))
	m.Write([]byte(owner))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	return m.Sum(nil)
}

// MatchRecoveryCode returns the index in hashes of the one equal to hash, or
// -1. Every entry is compared, in constant time.
func MatchRecoveryCode(hashes [][]byte, hash []byte) int {
	found := -1
	for i, h := range hashes {
		if subtle.ConstantTimeCompare(h, hash) == 1 && found < 0 {
			found = i
		}
	}
	return found
}
