package bolt_test

import (
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// FuzzAuthenticate: any input gets a clean answer (EINVALID, bad credentials
// or, once a name has failed often, "too many attempts"), and only test/test
// (any username case) logs in.
func FuzzAuthenticate(f *testing.F) {
	for _, s := range [][2]string{{"test", "test"}, {"TEST", "test"}, {"test", "TEST"}, {"", ""}, {"test", ""},
		{"tést", "test"}, {"test\x00", "test"}, {"\xff\xfe", "\xff"}, {"test", "test\n"}} {
		f.Add(s[0], s[1])
	}
	db, _ := MustOpenDB(f)
	auth := bolt.NewAuthService(db)
	f.Fuzz(func(t *testing.T, username, password string) {
		g, err := auth.Authenticate(ctx, username, password)
		if err == nil {
			if bolt.NormalizeUsername(username) != "test" || password != "test" || g.User.Username != "test" {
				t.Fatalf("logged in with %q/%q as %+v", username, password, g.User)
			}
			return
		}
		switch backend.ErrorCode(err) {
		case backend.EINVALID:
			if backend.ValidateCredentials(username, password) == nil {
				t.Fatalf("EINVALID for valid input %q/%q: %v", username, password, err)
			}
		case backend.ETOOMANY:
			if backend.RetryAfter(err) <= 0 {
				t.Fatalf("throttled without a Retry-After: %v", err)
			}
		case backend.EUNAUTHORIZED:
			if backend.ErrorMessage(err) != backend.MsgBadCredentials {
				t.Fatalf("message %q", backend.ErrorMessage(err))
			}
		default:
			t.Fatalf("%q/%q: %v", username, password, err)
		}
	})
}
