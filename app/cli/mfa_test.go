package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/pquerna/otp/totp"
)

// withMFA runs fn with the second-factor service of the store in dir.
func withMFA(t *testing.T, dir string, fn func(*bolt.MFAService)) {
	t.Helper()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(bolt.NewMFAService(db))
}

func TestUsers_MFAReset(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// The demo user (ID 1) turns two-step sign-in on.
	withMFA(t, dir, func(m *bolt.MFAService) {
		key, err := m.BeginEnrolment(ctx, "1")
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(key.Secret, time.Now())
		if _, err := m.ConfirmEnrolment(ctx, "1", code); err != nil {
			t.Fatal(err)
		}
	})

	code, out, errOut := run(t, dir, "", "mfa-reset", "TEST")
	if code != 0 || !strings.Contains(out, "Two-step sign-in turned off for TEST") {
		t.Fatalf("mfa-reset: exit %d, %q %q", code, out, errOut)
	}
	withMFA(t, dir, func(m *bolt.MFAService) {
		if on, err := m.HasMFA(ctx, "1"); err != nil || on {
			t.Fatalf("HasMFA after reset = %v, %v", on, err)
		}
	})
	// Again: nothing to do, still success.
	if code, out, _ = run(t, dir, "", "mfa-reset", "test"); code != 0 || !strings.Contains(out, "test had no two-step sign-in") {
		t.Fatalf("second reset: exit %d, %q", code, out)
	}

	for _, tc := range []struct {
		args []string
		exit int
		want string
	}{
		{[]string{"mfa-reset", "nobody"}, 1, `authdesk: User "nobody" not found` + "\n"},
		{[]string{"mfa-reset"}, 2, "authdesk: users mfa-reset needs exactly one username\n"},
		{[]string{"mfa-reset", "a", "b"}, 2, "authdesk: users mfa-reset needs exactly one username\n"},
	} {
		if code, _, errOut := run(t, dir, "", tc.args...); code != tc.exit || errOut != tc.want {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, errOut, tc.exit, tc.want)
		}
	}
	if _, out, _ := run(t, dir, "", "--help"); !strings.Contains(out, "mfa-reset U") {
		t.Error("help does not list mfa-reset")
	}
}
