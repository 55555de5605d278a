package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/backend/bolt"
)

func TestExport_OwnerOnlyFileRefusesToOverwriteAndRoundTrips(t *testing.T) {
	src := t.TempDir()
	if code, _, errOut := run(t, src, "alice-password", "add", "--username", "alice", "--first-name", "Alice", "--last-name", "L", "--role", "Admin", "--password-stdin"); code != 0 {
		t.Fatal(errOut)
	}
	out := filepath.Join(t.TempDir(), "users.json")
	code, stdout, errOut := run(t, src, "", "export", "--output", out)
	if code != 0 || stdout != "" || errOut != "authdesk: wrote 2 users to "+out+". It holds their password hashes: keep it private and delete it when you are done.\n" {
		t.Fatalf("export: %d %q %q", code, stdout, errOut)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", fi.Mode(), err)
	}
	first, _ := os.ReadFile(out)

	// An existing file is not replaced without --force, and is left as it was.
	if code, _, errOut = run(t, src, "", "export", "--format", "csv", "--output", out); code != 1 || !strings.Contains(errOut, out+" already exists; use --force to replace it") {
		t.Fatalf("second export: %d %q", code, errOut)
	}
	if again, _ := os.ReadFile(out); string(again) != string(first) {
		t.Fatal("the refused export changed the file")
	}
	os.Chmod(out, 0o644)
	if code, _, errOut = run(t, src, "", "export", "--format", "csv", "--output", out, "--force"); code != 0 {
		t.Fatalf("--force: %d %q", code, errOut)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced file mode %v", fi.Mode())
	}
	if csv, _ := os.ReadFile(out); !strings.HasPrefix(string(csv), "id,username,firstName,lastName,role,created,passwordHash\n1,test,Test,User,Admin,") {
		t.Errorf("csv:\n%s", csv)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".authdesk-export-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// The JSON export brings the same users, hashes and times into a new data folder.
	dst := t.TempDir()
	in := writeFixture(t, "in.json", string(first))
	code, stdout, errOut = runOpts(t, dst, bolt.Options{NoDemoUser: true}, "", "import", in)
	if code != 0 || !strings.Contains(stdout, "AuthDesk export in ") || !strings.Contains(stdout, ": 2 imported, 0 updated, 0 skipped, 0 invalid") {
		t.Fatalf("import: %d %q %q", code, stdout, errOut)
	}
	code, stdout, _ = runOpts(t, dst, bolt.Options{NoDemoUser: true}, "", "export")
	if code != 0 || stdout != string(first) {
		t.Errorf("re-export differs:\n%s\nwant\n%s", stdout, first)
	}
	assertLogin(t, dst, "alice", "alice-password", true)
	assertLogin(t, dst, "test", "test", true)
}

// Standard output redirected into a file (`> users.json`) is made owner-only.
func TestExport_RedirectedStdoutBecomesOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var errOut strings.Builder
	code := cli.Users(context.Background(), []string{"export"}, strings.NewReader(""), f, &errOut, cli.OpenBolt(t.TempDir(), bolt.Options{}))
	if code != 0 || !strings.Contains(errOut.String(), "wrote 1 users to the output. It holds their password hashes") {
		t.Fatalf("%d %q", code, errOut.String())
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode())
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"username":"test"`) {
		t.Errorf("file:\n%s", b)
	}
}
