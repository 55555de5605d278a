package mfa_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/authdesk/authdesk/backend/mfa"
)

// FuzzCodeInput: whatever is typed, Verify accepts it only when, spaces
// removed, it is exactly one of the codes of the accepted steps; recovery-code
// normalisation yields 10 symbols of the alphabet and is idempotent.
func FuzzCodeInput(f *testing.F) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	now := time.Unix(1_111_111_111, 0)
	cur := mfa.Step(now)
	var valid []string
	for s := cur - 1; s <= cur+1; s++ {
		c, _ := mfa.Code(secret, s)
		valid = append(valid, c)
	}
	for _, s := range []string{valid[0], valid[1], " " + valid[2], "050 471", "050471\x00", "０５０４７１", "abcde-23456", "OIL00-11111", "", "-", strings.Repeat("9", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, ok := mfa.Verify(secret, in, now, 0)
		stripped := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, in)
		want := len(in) <= mfa.MaxCodeBytes && (stripped == valid[0] || stripped == valid[1] || stripped == valid[2])
		if ok != want {
			t.Fatalf("Verify(%q) = %v, want %v", in, ok, want)
		}
		if n, ok := mfa.NormalizeRecoveryCode(in); ok {
			if len(n) != 10 || strings.Trim(n, "0123456789abcdefghjkmnpqrstvwxyz") != "" {
				t.Fatalf("Normalize(%q) = %q", in, n)
			}
			if again, ok := mfa.NormalizeRecoveryCode(n); !ok || again != n {
				t.Fatalf("Normalize not idempotent on %q: %q, %v", n, again, ok)
			}
		}
	})
}
