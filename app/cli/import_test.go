package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/backend/bolt"
	"golang.org/x/crypto/bcrypt"
)

func bcryptHash(t *testing.T, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

// writeFixture writes a file in the test's folder and returns its path.
func writeFixture(t *testing.T, name, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runOpts is run with store options (e.g. no demo user).
func runOpts(t *testing.T, dir string, opts bolt.Options, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Users(context.Background(), args, strings.NewReader(stdin), &out, &errOut, cli.OpenBolt(dir, opts))
	return code, out.String(), errOut.String()
}

// storedHash reads a user's hash back through `users export`.
func storedHash(t *testing.T, dir, username string) string {
	t.Helper()
	code, out, errOut := run(t, dir, "", "export")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	m := regexp.MustCompile(`"username":"` + regexp.QuoteMeta(username) + `".*"passwordHash":"([^"]+)"`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("%s not in the export:\n%s", username, out)
	}
	return m[1]
}

func TestImport_TutorialFilesLogInAndRehashToArgon2id(t *testing.T) {
	mongo := fmt.Sprintf(`{"_id":{"$oid":"5f1d7f4e2c3a4b0012345678"},"username":"ada","passwordHash":%q,"firstName":"Ada","lastName":"Lovelace","role":"Admin","__v":0}
{"_id":{"$oid":"5f1d7f4e2c3a4b0012345679"},"username":"test","passwordHash":%q,"firstName":"Test","lastName":"User","role":"User","__v":0}
{"_id":{"$oid":"5f1d7f4e2c3a4b001234567a"},"username":"eve","passwordHash":"plain-text","firstName":"Eve","lastName":"X","role":"User","__v":0}
`, bcryptHash(t, "ada-password"), bcryptHash(t, "test"))
	aspnet := fmt.Sprintf(`[{"Id":1,"FirstName":"Ada","LastName":"Lovelace","Username":"ada","Role":0,"PasswordHash":%q},
{"Id":2,"FirstName":"Test","LastName":"User","Username":"test","Role":1,"PasswordHash":%q},
{"Id":3,"FirstName":"Eve","LastName":"X","Username":"eve","Role":1,"PasswordHash":"plain-text"}]
`, bcryptHash(t, "ada-password"), bcryptHash(t, "test"))
	for _, tc := range []struct{ name, data, format string }{
		{"mongo", mongo, "MongoDB export (Node.js API)"},
		{"aspnet", aspnet, "ASP.NET API users (JSON rows)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := writeFixture(t, "users.json", tc.data)
			code, out, errOut := run(t, dir, "", "import", file)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := "Imported users from " + file + ", " + tc.format + " in "; !strings.HasPrefix(out, want) ||
				!strings.Contains(out, ": 1 imported, 0 updated, 1 skipped, 1 invalid\n") {
				t.Errorf("stdout %q", out)
			}
			// The tutorial's own test user meets AuthDesk's demo account: skipped.
			for _, want := range []string{
				`record 2 (line 2) "test": skipped: username already taken (kept the existing user)`,
				`record 3 (line 3) "eve": invalid: Password hash is not bcrypt or argon2id`,
			} {
				if !strings.Contains(errOut, want+"\n") {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if h := storedHash(t, dir, "ada"); !strings.HasPrefix(h, "$2a$") {
				t.Fatalf("stored %.7s, want the bcrypt hash as imported", h)
			}
			assertLogin(t, dir, "ada", "ada-password", true)
			if h := storedHash(t, dir, "ada"); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
				t.Errorf("after the first login the hash is %.20s, want argon2id", h)
			}
			assertLogin(t, dir, "ada", "ada-password", true)
			assertLogin(t, dir, "ada", "wrong-password", false)
		})
	}
}

func TestImport_StandardInputAndDryRun(t *testing.T) {
	dir := t.TempDir()
	data := fmt.Sprintf(`[{"username":"bob","firstName":"Bob","lastName":"B","passwordHash":%q}]`, bcryptHash(t, "bob-password"))
	code, out, errOut := run(t, dir, data, "import", "--dry-run", "-")
	if code != 0 || !strings.HasPrefix(out, "Dry run from standard input, MongoDB export (Node.js API): nothing was saved; it would give 1 imported, 0 updated, 0 skipped, 0 invalid") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	assertLogin(t, dir, "bob", "bob-password", false)
	if code, out, errOut = run(t, dir, data, "import", "-"); code != 0 || !strings.Contains(out, "1 imported") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	assertLogin(t, dir, "bob", "bob-password", true)
}

func TestImport_OnConflictUpdateAndFail(t *testing.T) {
	dir := t.TempDir()
	data := fmt.Sprintf(`{"username":"TEST","firstName":"Tess","lastName":"Ter","role":"user","passwordHash":%q}
{"username":"new","firstName":"N","lastName":"U","passwordHash":%q}`, bcryptHash(t, "new-test-pw"), bcryptHash(t, "new-user-pw"))
	file := writeFixture(t, "users.ndjson", data)

	code, _, errOut := run(t, dir, "", "import", "--on-conflict", "fail", file)
	want := "authdesk: record 1 (line 1): username \"test\" is already taken (--on-conflict fail); nothing was imported, the users are as they were\n"
	if code != 1 || errOut != want {
		t.Fatalf("fail: exit %d, stderr %q; want %q", code, errOut, want)
	}
	assertLogin(t, dir, "new", "new-user-pw", false)

	code, out, errOut := run(t, dir, "", "import", "--on-conflict", "update", file)
	if code != 0 || !strings.Contains(out, "1 imported, 1 updated, 0 skipped, 0 invalid") || errOut != "" {
		t.Fatalf("update: %d %q %q", code, out, errOut)
	}
	assertLogin(t, dir, "test", "new-test-pw", true)
	_, out, _ = run(t, dir, "", "list")
	if !strings.Contains(strings.Join(strings.Fields(out), " "), "1 test Tess Ter User") {
		t.Errorf("list after update:\n%s", out)
	}
}

func TestImport_FailuresSaveNothingAndSaySo(t *testing.T) {
	h := bcryptHash(t, "pw-123456")
	good := fmt.Sprintf(`{"username":"u1","firstName":"F","lastName":"L","passwordHash":%q}`, h)
	for _, tc := range []struct{ name, data, want string }{
		{"bad JSON", "[" + good + ",\n{\"username\": u2}]", "line 2 (record 2): not valid JSON: invalid character 'u' looking for beginning of value; nothing was imported, the users are as they were\n"},
		{"empty", "", "the file is empty: there are no users in it; nothing was imported"},
		{"huge record", good + "\n{\"x\":\"" + strings.Repeat("a", 2<<20) + "\"}", "line 2 (record 2): the record that starts on line 2 is larger than 1024 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			_, before, _ := run(t, dir, "", "list")
			file := writeFixture(t, "users.json", tc.data)
			code, _, errOut := run(t, dir, "", "import", file)
			if code != 1 || !strings.HasPrefix(errOut, "authdesk: "+file) || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errOut, tc.want)
			}
			if _, after, _ := run(t, dir, "", "list"); after != before {
				t.Errorf("users changed:\n%s", after)
			}
		})
	}
}

func TestImport_ProgressLinesWhenStderrIsNotATerminal(t *testing.T) {
	defer cli.ShowEveryTick()()
	dir := t.TempDir()
	var lines []string
	h := bcryptHash(t, "pw-123456")
	for i := range 3 {
		lines = append(lines, fmt.Sprintf(`{"username":"u%d","firstName":"F","lastName":"L","passwordHash":%q}`, i, h))
	}
	file := writeFixture(t, "users.json", strings.Join(lines, "\n")+"\n")
	code, _, errOut := run(t, dir, "", "import", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	progress := regexp.MustCompile(`(?m)^import: (\d) records read \((\d+)%, \d+/s, about \d+\S* left\)$`).FindAllStringSubmatch(errOut, -1)
	if len(progress) != 4 || progress[0][1] != "1" || progress[0][2] != "33" || progress[3][1] != "3" || progress[3][2] != "100" {
		t.Errorf("progress lines %q in:\n%s", progress, errOut)
	}
	if !strings.HasSuffix(errOut, "import: saving 3 new and 0 updated users...\n") || strings.Contains(errOut, "\r") || strings.Contains(errOut, "\x1b") {
		t.Errorf("stderr:\n%q", errOut)
	}
}

func TestImportExport_NeedTheDataFolderFree(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	file := writeFixture(t, "users.json", "[]")
	for _, args := range [][]string{{"import", file}, {"export"}} {
		code, _, errOut := run(t, dir, "", args...)
		want := "authdesk: AuthDesk is already running with this data folder (" + dir + "). users " + args[0] +
			" needs the data folder to itself: close the AuthDesk window and any `authdesk serve` using it, then run it again\n"
		if code != 1 || errOut != want {
			t.Errorf("%v: exit %d, stderr %q; want 1, %q", args, code, errOut, want)
		}
	}
}

func TestImportExport_UsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "users import needs one FILE (or - for standard input)"},
		{[]string{"import", "a", "b"}, 2, "users import needs one FILE"},
		{[]string{"import", "--format", "xml", "f"}, 2, `--format must be auto, mongo, aspnet or authdesk, not "xml"`},
		{[]string{"import", "--on-conflict", "merge", "f"}, 2, `--on-conflict must be skip, update or fail, not "merge"`},
		{[]string{"import", filepath.Join(dir, "missing.json")}, 1, "cannot read " + filepath.Join(dir, "missing.json") + ": no such file or directory"},
		{[]string{"import", dir}, 1, dir + " is a folder, not a file"},
		{[]string{"export", "--format", "xml"}, 2, `--format must be authdesk or csv, not "xml"`},
		{[]string{"export", "out.json"}, 2, "users export takes no positional arguments (use --output FILE)"},
	} {
		code, _, errOut := run(t, dir, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}
