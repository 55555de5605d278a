package mfa_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/mfa"
)

// rfcSecret is RFC 6238 Appendix B's SHA-1 key, "12345678901234567890", in base32.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// refCode is an independent RFC 4226/6238 implementation (dynamic truncation
// by hand) so the tests do not only check the library against itself.
func refCode(t *testing.T, secret string, step int64) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(secret, "="))
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha1.New, key)
	m.Write(binary.BigEndian.AppendUint64(nil, uint64(step)))
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

func TestCode_RFC6238Vectors(t *testing.T) {
	// Appendix B, SHA-1 column; the 8-digit values' last 6 digits are the
	// 6-digit codes.
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		now := time.Unix(tc.unix, 0)
		want := tc.want[2:]
		got, err := mfa.Code(rfcSecret, mfa.Step(now))
		if err != nil || got != want {
			t.Errorf("T=%d: code %q, %v; want %q", tc.unix, got, err, want)
		}
		if ref := refCode(t, rfcSecret, mfa.Step(now)); ref != want {
			t.Errorf("T=%d: reference implementation says %q, want %q", tc.unix, ref, want)
		}
		if _, ok := mfa.Verify(rfcSecret, want, now, -1); !ok {
			t.Errorf("T=%d: Verify refused the RFC's code %s", tc.unix, want)
		}
	}
}

func TestStep_Boundaries(t *testing.T) {
	if s := mfa.Step(time.Unix(29, 999_000_000)); s != 0 {
		t.Errorf("Step(29.999 s) = %d, want 0", s)
	}
	if s := mfa.Step(time.Unix(30, 0)); s != 1 {
		t.Errorf("Step(30 s) = %d, want 1", s)
	}
	if s := mfa.Step(time.Unix(59, 999_999_999)); s != 1 {
		t.Errorf("Step(59.999 s) = %d, want 1", s)
	}
}

func TestVerify_StepBoundaryAndSkew(t *testing.T) {
	key, err := mfa.NewSecret(mfa.Issuer, "alice")
	if err != nil {
		t.Fatal(err)
	}
	const n = 59_000_000 // a step in 2026
	start := time.Unix(n*30, 0)
	justBefore := start.Add(-time.Millisecond) // step n-1, 29.999 s into it
	code := func(step int64) string { return refCode(t, key.Secret, step) }

	// At 29.999 s into step n-1 the window is n-2..n; at 30 s it is n-1..n+1.
	for _, tc := range []struct {
		name string
		at   time.Time
		step int64
		ok   bool
	}{
		{"current step", start, n, true},
		{"one step behind (slow phone)", start, n - 1, true},
		{"one step ahead (fast phone)", start, n + 1, true},
		{"two steps behind", start, n - 2, false},
		{"two steps ahead", start, n + 2, false},
		{"n+1 at 29.999 s is two steps ahead", justBefore, n + 1, false},
		{"n-2 still valid at 29.999 s", justBefore, n - 2, true},
		{"n-2 gone at 30 s", start, n - 2, false},
		{"n accepted at 29.999 s (one ahead)", justBefore, n, true},
	} {
		got, ok := mfa.Verify(key.Secret, code(tc.step), tc.at, 0)
		if ok != tc.ok || (ok && got != tc.step) {
			t.Errorf("%s: Verify = %d, %v; want %d, %v", tc.name, got, ok, tc.step, tc.ok)
		}
	}
}

func TestVerify_ReplayRefused(t *testing.T) {
	key, _ := mfa.NewSecret(mfa.Issuer, "alice")
	now := time.Unix(1_770_000_015, 0)
	cur := mfa.Step(now)
	step, ok := mfa.Verify(key.Secret, refCode(t, key.Secret, cur), now, 0)
	if !ok || step != cur {
		t.Fatalf("first use: %d, %v", step, ok)
	}
	if _, ok := mfa.Verify(key.Secret, refCode(t, key.Secret, cur), now, step); ok {
		t.Error("the same code was accepted twice")
	}
	if _, ok := mfa.Verify(key.Secret, refCode(t, key.Secret, cur-1), now, step); ok {
		t.Error("an older code was accepted after a newer one was used")
	}
	// The next step's code is still good (a second sign-in 30 s later).
	if s, ok := mfa.Verify(key.Secret, refCode(t, key.Secret, cur+1), now.Add(mfa.Period), step); !ok || s != cur+1 {
		t.Errorf("next step's code: %d, %v", s, ok)
	}
}

func TestVerify_InputNormalisation(t *testing.T) {
	key, _ := mfa.NewSecret(mfa.Issuer, "alice")
	now := time.Unix(1_770_000_015, 0)
	c := refCode(t, key.Secret, mfa.Step(now))
	for _, in := range []string{c, c[:3] + " " + c[3:], " " + c + "\n", c[:3] + "\u00a0" + c[3:]} {
		if _, ok := mfa.Verify(key.Secret, in, now, 0); !ok {
			t.Errorf("Verify(%q) refused", in)
		}
	}
	fullwidth := strings.Map(func(r rune) rune { return r - '0' + '０' }, c)
	for _, in := range []string{"", c[:5], c + "0", c[:5] + "a", "-" + c[1:], fullwidth, strings.Repeat(" ", 100) + c} {
		if _, ok := mfa.Verify(key.Secret, in, now, 0); ok {
			t.Errorf("Verify(%q) accepted", in)
		}
	}
	if _, ok := mfa.Verify("not base32!", c, now, 0); ok {
		t.Error("a damaged secret verified a code")
	}
}

func TestNewSecret_URIAndRandomness(t *testing.T) {
	a, err := mfa.NewSecret(mfa.Issuer, "alice@example")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := mfa.NewSecret(mfa.Issuer, "alice@example")
	if a.Secret == b.Secret {
		t.Fatal("two secrets are equal")
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(a.Secret)
	if err != nil || len(raw) != 20 {
		t.Fatalf("secret %q: %d bytes, %v; want 20", a.Secret, len(raw), err)
	}
	u, err := url.Parse(a.URI)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/AuthDesk:alice@example" ||
		q.Get("secret") != a.Secret || q.Get("issuer") != "AuthDesk" || q.Get("digits") != "6" ||
		q.Get("period") != "30" || q.Get("algorithm") != "SHA1" {
		t.Errorf("URI %s", a.URI)
	}
	if _, err := mfa.NewSecret(mfa.Issuer, ""); err == nil {
		t.Error("an empty account name was accepted")
	}
}
