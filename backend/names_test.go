package backend_test

import (
	"testing"

	"github.com/authdesk/authdesk/backend"
)

func TestNormalizeUsername(t *testing.T) {
	ok := map[string]string{
		"Test":        "test",
		"  alice  ":   "alice",
		"ＡＬＩＣＥ":       "alice", // full-width folds to ASCII
		"Zoë":         "zoë",
		"bob@example": "bob@example",
	}
	for in, want := range ok {
		got, err := backend.NormalizeUsername(in)
		if err != nil || got != want {
			t.Errorf("NormalizeUsername(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", "ad\u202emin", "a\x00b", "tab\tname", "two words", "zero\u200bwidth"} {
		if _, err := backend.NormalizeUsername(bad); backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("NormalizeUsername(%q) error = %v, want EINVALID", bad, err)
		}
	}
}

func TestValidateNewPassword(t *testing.T) {
	for _, bad := range []string{"", "a", "1234567", "ääääääa"} {
		if backend.ErrorCode(backend.ValidateNewPassword(bad)) != backend.EINVALID {
			t.Errorf("ValidateNewPassword(%q) accepted", bad)
		}
	}
	for _, good := range []string{"12345678", "correct horse", "ääääääää"} {
		if err := backend.ValidateNewPassword(good); err != nil {
			t.Errorf("ValidateNewPassword(%q) = %v", good, err)
		}
	}
}
