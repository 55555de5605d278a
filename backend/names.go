package backend

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"
)

// MinPasswordLength is the shortest new or changed password accepted (NIST SP
// 800-63B asks for at least 8 characters). Existing passwords, and the demo
// account's "test", keep working: the rule applies when a password is set.
const MinPasswordLength = 8

// NormalizeUsername returns the form a username is stored and compared in:
// PRECIS UsernameCaseMapped (RFC 8265: width-mapped, case-folded, NFC), after
// trimming surrounding spaces. Control, format (bidi overrides such as U+202E)
// and other disallowed characters are refused with an EINVALID error.
func NormalizeUsername(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", Errorf(EINVALID, "Username is required")
	}
	if len(name) > MaxUsernameBytes {
		return "", Errorf(EINVALID, "Username must be at most %d bytes", MaxUsernameBytes)
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return "", Errorf(EINVALID, "Username must not contain control or text-direction characters")
		}
	}
	out, err := precis.UsernameCaseMapped.String(name)
	if err != nil {
		return "", Errorf(EINVALID, "Username may use letters, digits and symbols, without spaces or control characters")
	}
	return out, nil
}

// ValidateNewPassword checks a password being set (add, change, reset).
func ValidateNewPassword(password string) error {
	switch n := utf8.RuneCountInString(password); {
	case n == 0:
		return Errorf(EINVALID, "Password is required")
	case n < MinPasswordLength:
		return Errorf(EINVALID, "Password must be at least %d characters", MinPasswordLength)
	case len(password) > MaxPasswordBytes:
		return Errorf(EINVALID, "Password must be at most %d bytes", MaxPasswordBytes)
	}
	return nil
}
