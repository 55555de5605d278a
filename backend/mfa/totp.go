// Package mfa holds AuthDesk's second-factor building blocks: RFC 6238 time-based
// one-time passwords (wrapping github.com/pquerna/otp), single-use recovery
// codes, and the short-lived challenge that sits between the password step and
// the code step of a sign-in. It knows nothing about storage: the embedded
// backend (backend/bolt) keeps the secrets and the replay state.
package mfa

import (
	"crypto/subtle"
	"strings"
	"time"
	"unicode"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// The TOTP parameters every authenticator app understands (RFC 6238's
// defaults, and the only ones Google Authenticator honours).
const (
	Issuer     = "AuthDesk"
	Period     = 30 * time.Second
	Digits     = 6
	SecretSize = 20 // bytes: 160 bits, RFC 4226's recommended HMAC-SHA-1 key length
	// Skew is how many steps either side of the current one are accepted, for
	// a phone clock that is a little off and the seconds spent typing.
	Skew = 1
)

// MaxCodeBytes bounds what is looked at as a code at all.
const MaxCodeBytes = 64

var hotpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Key is a newly generated TOTP secret: Secret is the base32 text a person can
// type into an app, URI the otpauth:// form a QR code carries.
type Key struct {
	Secret string
	URI    string
}

// NewSecret generates a random secret for account at issuer.
func NewSecret(issuer, account string) (*Key, error) {
	k, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      uint(Period / time.Second),
		SecretSize:  SecretSize,
		Digits:      otp.DigitsSix,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return nil, err
	}
	return &Key{Secret: k.Secret(), URI: k.URL()}, nil
}

// Step is the RFC 6238 time step t falls in: whole periods since the Unix epoch.
// 29.999 s after the epoch is step 0, 30 s is step 1.
func Step(t time.Time) int64 {
	s := t.Unix()
	p := int64(Period / time.Second)
	if s < 0 { // floor, not truncation, for the (theoretical) times before 1970
		return (s - p + 1) / p
	}
	return s / p
}

// Code returns the 6-digit code of secret at step. An invalid secret is an
// error.
func Code(secret string, step int64) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(step), hotpOpts)
}

// NormalizeCode turns what a person typed into the 6 digits of a TOTP code:
// spaces (apps show "123 456") are dropped. ok is false when the rest is not
// exactly 6 ASCII digits.
func NormalizeCode(code string) (string, bool) {
	if len(code) > MaxCodeBytes {
		return "", false
	}
	c := strings.Map(dropSpace, code)
	if len(c) != Digits {
		return "", false
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return "", false
		}
	}
	return c, true
}

func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

// Verify checks code against secret at now, accepting the step before and
// after the current one. A step at or before lastUsedStep is never accepted,
// so a code (or an older one) cannot be used twice; the caller stores the
// returned step as the new lastUsedStep. The candidates are all computed and
// compared in constant time, so the answer's timing does not tell which step
// (if any) matched.
func Verify(secret, code string, now time.Time, lastUsedStep int64) (step int64, ok bool) {
	c, valid := NormalizeCode(code)
	if !valid {
		return 0, false
	}
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		want, err := Code(secret, s)
		if err != nil {
			return 0, false
		}
		match := subtle.ConstantTimeCompare([]byte(want), []byte(c)) == 1
		if match && s > lastUsedStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}
