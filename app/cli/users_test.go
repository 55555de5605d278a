package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// run executes `authdesk users args...` against the store in dir.
func run(t *testing.T, dir, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Users(context.Background(), args, strings.NewReader(stdin), &out, &errOut,
		cli.OpenBolt(dir, bolt.Options{}))
	return code, out.String(), errOut.String()
}

func TestUsers_AddListPasswdRemove(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, dir, "s3cret-pass\n", "add", "--username", "alice", "--first-name", "Alice", "--last-name", "Liddell", "--role", "Admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, "Added user alice (ID 2, Admin)") {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}

	code, out, _ = run(t, dir, "", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 {
		t.Fatalf("list: %d %q", code, out)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID USERNAME FIRST NAME LAST NAME ROLE" {
		t.Errorf("header %q", lines[0])
	}
	if f := strings.Fields(lines[2]); strings.Join(f, " ") != "2 alice Alice Liddell Admin" {
		t.Errorf("row %q", lines[2])
	}

	// The trailing newline was stripped: the password is exactly s3cret-pass.
	assertLogin(t, dir, "alice", "s3cret-pass", true)

	code, _, errOut = run(t, dir, "n3w-password", "passwd", "alice", "--password-stdin")
	if code != 0 {
		t.Fatalf("passwd: %d %q", code, errOut)
	}
	assertLogin(t, dir, "alice", "s3cret-pass", false)
	assertLogin(t, dir, "alice", "n3w-password", true)

	if code, _, errOut = run(t, dir, "", "remove", "alice"); code != 0 {
		t.Fatalf("remove: %d %q", code, errOut)
	}
	assertLogin(t, dir, "alice", "n3w-password", false)
}

func assertLogin(t *testing.T, dir, user, pass string, want bool) {
	t.Helper()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err := bolt.NewAuthService(db).Authenticate(context.Background(), user, pass)
	if (err == nil) != want {
		t.Fatalf("login %s/%s: err = %v, want success %v", user, pass, err, want)
	}
}

func TestUsers_OperationalErrorsExit1(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		stdin string
		args  []string
		msg   string
	}{
		{"password1", []string{"add", "--username", "TEST", "--first-name", "T", "--last-name", "T", "--password-stdin"}, `authdesk: Username "TEST" is already taken` + "\n"},
		{"password1", []string{"passwd", "--password-stdin", "nobody"}, `authdesk: User "nobody" not found` + "\n"},
		{"", []string{"remove", "nobody"}, `authdesk: User "nobody" not found` + "\n"},
	} {
		code, _, errOut := run(t, dir, tc.stdin, tc.args...)
		if code != 1 || errOut != tc.msg {
			t.Errorf("%v: exit %d, stderr %q; want 1, %q", tc.args, code, errOut, tc.msg)
		}
	}
}

func TestUsers_LockedStoreExit1(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	code, _, errOut := run(t, dir, "", "list")
	if want := "authdesk: AuthDesk is already running with this data folder (" + dir + ")\n"; code != 1 || errOut != want {
		t.Fatalf("exit %d, stderr %q; want 1, %q", code, errOut, want)
	}
}

func TestUsers_UsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", nil, "Usage: authdesk users"},
		{"", []string{"frobnicate"}, `authdesk: unknown command "frobnicate"`},
		{"", []string{"list", "--bogus"}, "authdesk: flag provided but not defined: -bogus"},
		{"", []string{"list", "extra"}, "authdesk: users list takes no arguments"},
		{"pw", []string{"add", "--password-stdin"}, "authdesk: users add needs --username"},
		{"password1", []string{"add", "--username", "bob", "--password-stdin"}, "authdesk: users add needs --first-name and --last-name"},
		{"password1", []string{"add", "--username", "bob", "--first-name", "Bob", "--last-name", " ", "--password-stdin"}, "authdesk: users add needs --first-name and --last-name"},
		{"pw", []string{"add", "--username", "bob", "--role", "Root", "--password-stdin"}, "authdesk: --role must be Admin or User"},
		{"", []string{"add", "--username", "bob", "--first-name", "B", "--last-name", "B", "--password-stdin"}, "authdesk: Password is required"},
		{"\n", []string{"add", "--username", "bob", "--first-name", "B", "--last-name", "B", "--password-stdin"}, "authdesk: Password is required"},
		{strings.Repeat("p", 1025), []string{"passwd", "test", "--password-stdin"}, "authdesk: Password must be at most 1024 bytes"},
		// Not a terminal and no --password-stdin: refuse instead of reading.
		{"pw", []string{"add", "--username", "bob", "--first-name", "B", "--last-name", "B"}, "use --password-stdin"},
		{"pw", []string{"passwd", "test"}, "use --password-stdin"},
		{"", []string{"passwd"}, "authdesk: users passwd needs exactly one username"},
		{"", []string{"remove", "a", "b"}, "authdesk: users remove needs exactly one username"},
		{"", []string{"unlock"}, "authdesk: users unlock needs exactly one username"},
		{"short", []string{"add", "--username", "bob", "--first-name", "B", "--last-name", "B", "--password-stdin"}, "authdesk: Password must be at least 8 characters"},
		{"", []string{"add", "--username", "bad‮name", "--first-name", "B", "--last-name", "B", "--password-stdin"}, "authdesk: Username must not contain control or text-direction characters"},
	} {
		code, _, errOut := run(t, dir, tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	// None of that changed anything.
	if _, out, _ := run(t, dir, "", "list"); strings.Count(out, "\n") != 2 {
		t.Errorf("users after failed commands:\n%s", out)
	}
}

func TestUsers_HelpDocumentsExitCodes(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"add", "--help"}} {
		code, out, _ := run(t, t.TempDir(), "", args...)
		if code != 0 || !strings.Contains(out, "Exit codes:") || !strings.Contains(out, "2  usage error") {
			t.Errorf("%v: exit %d, stdout %q", args, code, out)
		}
	}
}

// After too many wrong passwords an account waits; `users unlock` lets its
// owner straight back in, and the counter survived the restart in between.
func TestUsers_Unlock(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	auth := bolt.NewAuthService(db)
	for range 5 {
		auth.Authenticate(context.Background(), "test", "wrong-password")
	}
	_, err := auth.Authenticate(context.Background(), "test", "test")
	if backend.ErrorCode(err) != backend.ETOOMANY {
		t.Fatalf("after 5 failures: %v", err)
	}
	db.Close()

	code, out, errOut := run(t, dir, "", "unlock", "TEST")
	if code != 0 || out != "Unlocked TEST: the next login attempt is checked at once\n" {
		t.Fatalf("unlock: %d %q %q", code, out, errOut)
	}
	assertLogin(t, dir, "test", "test", true)

	code, _, errOut = run(t, dir, "", "unlock", "nobody")
	if code != 1 || errOut != `authdesk: User "nobody" not found`+"\n" {
		t.Fatalf("unlock nobody: %d %q", code, errOut)
	}
}
