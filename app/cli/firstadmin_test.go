//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// openAdmin opens a data folder as serve does (no demo account).
func openAdmin(t *testing.T, dir string) (*bolt.AdminService, func()) {
	t.Helper()
	db := bolt.NewDB(dir, bolt.Options{NoDemoUser: true})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	return bolt.NewAdminService(db), func() { db.Close() }
}

func firstAdmin(t *testing.T, args ...string) *cli.FirstAdmin {
	t.Helper()
	var f cli.FirstAdmin
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &f
}

func TestFirstAdminFromFlagsAndStdin(t *testing.T) {
	dir := t.TempDir()
	admin, done := openAdmin(t, dir)
	var out, errOut bytes.Buffer
	f := firstAdmin(t, "--init-admin", "--admin-username", "root", "--admin-first-name", "Ada", "--admin-last-name", "Root", "--password-stdin")
	if code := f.Run(context.Background(), strings.NewReader("long-enough-pass\n"), &out, &errOut, admin); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "Added admin root") {
		t.Fatalf("stdout %q", out.String())
	}
	users, _ := admin.Users(context.Background())
	if len(users) != 1 || users[0].Username != "root" || users[0].Role != backend.RoleAdmin || users[0].FirstName != "Ada" {
		t.Fatalf("users %+v", users)
	}
	// Only the first account: a second run refuses and adds nothing.
	errOut.Reset()
	f = firstAdmin(t, "--init-admin", "--admin-username", "other", "--admin-first-name", "O", "--admin-last-name", "T", "--password-stdin")
	if code := f.Run(context.Background(), strings.NewReader("long-enough-pass\n"), &out, &errOut, admin); code != 1 ||
		!strings.Contains(errOut.String(), "creates the first account only") {
		t.Fatalf("second --init-admin: exit %d, %q", code, errOut.String())
	}
	done()
	assertLoginNoDemo(t, dir, "root", "long-enough-pass")
}

func TestFirstAdminUsageErrors(t *testing.T) {
	admin, done := openAdmin(t, t.TempDir())
	defer done()
	for _, args := range [][]string{
		{"--init-admin", "--password-stdin"},                                                     // no username and nobody to ask
		{"--admin-username", "root"},                                                             // without --init-admin
		{"--init-admin", "--admin-username", "x"},                                                // password from a terminal that is not there
		{"--init-admin", "--admin-username", "x", "--password-stdin"},                            // no names
		{"--init-admin", "--admin-username", "x", "--admin-first-name", "X", "--password-stdin"}, // no last name
	} {
		var out, errOut bytes.Buffer
		if code := firstAdmin(t, args...).Run(context.Background(), strings.NewReader("pw-pw-pw-pw\n"), &out, &errOut, admin); code != 2 {
			t.Errorf("%q: exit %d (%s), want 2", args, code, errOut.String())
		}
	}
	if users, _ := admin.Users(context.Background()); len(users) != 0 {
		t.Fatalf("users added by failed runs: %+v", users)
	}
	var out, errOut bytes.Buffer
	if code := firstAdmin(t).Run(context.Background(), nil, &out, &errOut, admin); code != 0 || errOut.Len() != 0 {
		t.Fatalf("without --init-admin: exit %d %q", code, errOut.String())
	}
}

func TestFirstAdminAsksOnTheTerminal(t *testing.T) {
	dir := t.TempDir()
	admin, done := openAdmin(t, dir)
	master, slave := openPTY(t)
	var out bytes.Buffer
	var stderr lockedBuffer
	exit := make(chan int, 1)
	go func() {
		exit <- firstAdmin(t, "--init-admin").Run(context.Background(), slave, &out, &stderr, admin)
	}()
	for _, step := range []struct{ prompt, answer string }{{"Username: ", "grace"}, {"First name: ", "Grace"}, {"Last name: ", "Hopper"}} {
		waitFor(t, &stderr, step.prompt)
		master.WriteString(step.answer + "\n")
	}
	typeAtPrompt(t, master, slave, &stderr, "New password:", "cobol-compiler-1959")
	typeAtPrompt(t, master, slave, &stderr, "Repeat password:", "cobol-compiler-1959")
	select {
	case code := <-exit:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("--init-admin did not finish")
	}
	users, _ := admin.Users(context.Background())
	if len(users) != 1 || users[0].Username != "grace" || users[0].LastName != "Hopper" || users[0].Role != backend.RoleAdmin {
		t.Fatalf("users %+v", users)
	}
	done()
	assertLoginNoDemo(t, dir, "grace", "cobol-compiler-1959")
}

func waitFor(t *testing.T, b *lockedBuffer, s string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !strings.Contains(b.String(), s); {
		if time.Now().After(end) {
			t.Fatalf("no %q; stderr so far %q", s, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func assertLoginNoDemo(t *testing.T, dir, user, pass string) {
	t.Helper()
	db := bolt.NewDB(dir, bolt.Options{NoDemoUser: true})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := bolt.NewAuthService(db).Authenticate(context.Background(), user, pass); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
}
