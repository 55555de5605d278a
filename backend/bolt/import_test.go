package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/userfile"
	"golang.org/x/crypto/bcrypt"
)

// bcryptHash hashes password as the tutorial APIs do; variant rewrites the
// $2a$ prefix Go writes ($2b$ and $2y$ differ only in name).
func bcryptHash(tb testing.TB, password, variant string) string {
	tb.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		tb.Fatal(err)
	}
	return variant + string(h[len("$2a$"):])
}

// importString runs ImportUsers over a file's text and collects the problems.
func importString(tb testing.TB, db *bolt.DB, data string, opt bolt.ImportOptions) (backend.ImportSummary, []backend.ImportProblem, error) {
	tb.Helper()
	var problems []backend.ImportProblem
	opt.Problem = func(p backend.ImportProblem) { problems = append(problems, p) }
	rd := userfile.NewReader(strings.NewReader(data), "")
	sum, err := bolt.NewAdminService(db).ImportUsers(ctx, rd.Next, opt)
	return sum, problems, err
}

// exportString is the store's AuthDesk export.
func exportString(tb testing.TB, db *bolt.DB) string {
	tb.Helper()
	var buf bytes.Buffer
	w, err := userfile.NewWriter(&buf, userfile.ExportJSON)
	if err != nil {
		tb.Fatal(err)
	}
	if err := bolt.NewAdminService(db).ExportUsers(ctx, w.Write); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.String()
}

func TestImportUsers_EachTutorialFormatLogsInWithTheOriginalPassword(t *testing.T) {
	mongoArray := fmt.Sprintf(`[{"_id":{"$oid":"5f1d7f4e2c3a4b0012345678"},"username":"ada","passwordHash":%q,"firstName":"Ada","lastName":"Lovelace","role":"Admin","__v":0},
{"_id":{"$oid":"5f1d7f4e2c3a4b0012345679"},"username":"brian","passwordHash":%q,"firstName":"Brian","lastName":"Kernighan","role":"user","__v":0}]`,
		bcryptHash(t, "ada-pass-1", "$2a$"), bcryptHash(t, "brian-pass", "$2b$"))
	mongoLines := fmt.Sprintf(`{"_id":{"$oid":"5f1d7f4e2c3a4b0012345678"},"username":"ada","passwordHash":%q,"firstName":"Ada","lastName":"Lovelace","role":"Admin","__v":0}
{"_id":{"$oid":"5f1d7f4e2c3a4b0012345679"},"username":"brian","passwordHash":%q,"firstName":"Brian","lastName":"Kernighan","role":"User","__v":0}
`, bcryptHash(t, "ada-pass-1", "$2a$"), bcryptHash(t, "brian-pass", "$2y$"))
	// sqlite3 -json: PascalCase columns, one row per line, the Role enum as a number.
	aspnet := fmt.Sprintf(`[{"Id":1,"FirstName":"Ada","LastName":"Lovelace","Username":"ada","Role":0,"PasswordHash":%q},
{"Id":2,"FirstName":"Brian","LastName":"Kernighan","Username":"brian","Role":1,"PasswordHash":%q}]
`, bcryptHash(t, "ada-pass-1", "$2a$"), bcryptHash(t, "brian-pass", "$2a$"))

	for _, tc := range []struct {
		name, data string
		format     userfile.Format
	}{
		{"mongoexport --jsonArray", mongoArray, userfile.FormatMongo},
		{"mongoexport one per line", mongoLines, userfile.FormatMongo},
		{"sqlite3 -json", aspnet, userfile.FormatASPNET},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := MustOpenDB(t)
			rd := userfile.NewReader(strings.NewReader(tc.data), "")
			sum, err := bolt.NewAdminService(db).ImportUsers(ctx, rd.Next, bolt.ImportOptions{})
			if err != nil || sum != (backend.ImportSummary{Imported: 2}) {
				t.Fatalf("summary %+v, %v", sum, err)
			}
			if rd.Format() != tc.format {
				t.Errorf("detected %q, want %q", rd.Format(), tc.format)
			}
			if !strings.HasPrefix(db.PasswordHash("ada"), "$2") {
				t.Fatalf("hash not kept as imported: %.10s", db.PasswordHash("ada"))
			}
			auth := bolt.NewAuthService(db)
			for _, u := range []struct{ name, pw string }{{"ada", "ada-pass-1"}, {"Brian", "brian-pass"}} {
				if _, err := auth.Authenticate(ctx, u.name, "wrong-password"); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
					t.Errorf("%s with a wrong password: %v", u.name, err)
				}
				g := MustLogin(t, auth, u.name, u.pw)
				if h := db.PasswordHash(u.name); !strings.HasPrefix(h, "$argon2id$") {
					t.Errorf("%s: hash after login starts %.10s, want argon2id", u.name, h)
				}
				MustLogin(t, auth, u.name, u.pw) // and the new hash works
				if u.name == "ada" && g.User.Role != backend.RoleAdmin {
					t.Errorf("ada's role %q", g.User.Role)
				}
				if u.name == "Brian" && (g.User.Role != backend.RoleUser || g.User.FirstName != "Brian" || g.User.LastName != "Kernighan") {
					t.Errorf("brian: %+v", g.User)
				}
			}
			users, _ := bolt.NewAdminService(db).Users(ctx)
			created := users[1].Created
			if tc.format == userfile.FormatMongo {
				// The ObjectId's first four bytes are its creation time.
				if want := time.Unix(0x5f1d7f4e, 0).UTC(); !created.Equal(want) {
					t.Errorf("created %v, want %v from the ObjectId", created, want)
				}
			} else if !created.Equal(NewClock().Now()) {
				t.Errorf("created %v, want the import time", created)
			}
		})
	}
}

func TestImportUsers_StoresTheNormalisedUsername(t *testing.T) {
	db, _ := MustOpenDB(t)
	data := fmt.Sprintf(`{"username":"  ADA ","firstName":"Ada","lastName":"Lovelace","passwordHash":%q}`, bcryptHash(t, "pw-ada-123", "$2b$"))
	if sum, _, err := importString(t, db, data, bolt.ImportOptions{}); err != nil || sum.Imported != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	users, _ := bolt.NewAdminService(db).Users(ctx)
	if users[1].Username != "ada" || users[1].Role != backend.RoleUser {
		t.Errorf("stored %+v", users[1])
	}
	MustLogin(t, bolt.NewAuthService(db), "Ada", "pw-ada-123")
}

func TestImportUsers_ReportsAndSkipsBadRecords(t *testing.T) {
	db, _ := MustOpenDB(t)
	good := bcryptHash(t, "good-pass", "$2a$")
	argon := db.PasswordHash("test") // a real argon2id PHC string
	data := strings.Join([]string{
		`[`,
		fmt.Sprintf(`{"username":"ok1","firstName":"A","lastName":"B","passwordHash":%q},`, good),
		`{"username":"md5","firstName":"A","lastName":"B","passwordHash":"5f4dcc3b5aa765d61d8327deb882cf99"},`,
		`{"username":"sha","firstName":"A","lastName":"B","passwordHash":"$pbkdf2-sha256$29000$abc$def"},`,
		fmt.Sprintf(`{"username":"short","firstName":"A","lastName":"B","passwordHash":%q},`, good[:40]),
		fmt.Sprintf(`{"username":"badchars","firstName":"A","lastName":"B","passwordHash":%q},`, good[:59]+"!"),
		`{"username":"nohash","firstName":"A","lastName":"B"},`,
		fmt.Sprintf(`{"username":"noname","firstName":" ","lastName":"B","passwordHash":%q},`, good),
		fmt.Sprintf(`{"username":"nolast","firstName":"A","passwordHash":%q},`, good),
		fmt.Sprintf(`{"username":"root","firstName":"A","lastName":"B","role":"Superuser","passwordHash":%q},`, good),
		fmt.Sprintf(`{"username":"evil\u202egnp","firstName":"A","lastName":"B","passwordHash":%q},`, good),
		fmt.Sprintf(`{"username":42,"firstName":"A","lastName":"B","passwordHash":%q},`, good),
		`"just a string",`,
		fmt.Sprintf(`{"username":"ok2","firstName":"C","lastName":"D","role":"ADMIN","passwordHash":%q}`, argon),
		`]`,
	}, "\n")
	sum, problems, err := importString(t, db, data, bolt.ImportOptions{})
	if err != nil || sum != (backend.ImportSummary{Imported: 2, Invalid: 11}) {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	want := []string{
		"2 3 md5 Password hash is not bcrypt or argon2id",
		"3 4 sha Password hash scheme $pbkdf2-sha256$ is not supported (only bcrypt and argon2id)",
		"4 5 short Password hash is not a well-formed bcrypt hash",
		"5 6 badchars Password hash is not a well-formed bcrypt hash",
		"6 7 nohash Password hash is missing",
		"7 8 noname First name is required",
		"8 9 nolast Last name is required",
		"9 10 root role \"Superuser\" is neither Admin nor User",
		"10 11 evil\u202egnp Username must not contain control or text-direction characters",
		"11 12  field username must not be number",
		"12 13  a user must be a JSON object, not string",
	}
	var got []string
	for _, p := range problems {
		if !p.Invalid {
			t.Errorf("record %d reported as skipped, want invalid", p.Record)
		}
		got = append(got, fmt.Sprintf("%d %d %s %s", p.Record, p.Line, p.Username, p.Reason))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range problems {
		if strings.Contains(p.Reason, good[7:]) {
			t.Errorf("a reason shows the hash: %q", p.Reason)
		}
	}
	auth := bolt.NewAuthService(db)
	MustLogin(t, auth, "ok1", "good-pass")
	if g := MustLogin(t, auth, "ok2", "test"); g.User.Role != backend.RoleAdmin {
		t.Errorf("ok2 role %q", g.User.Role)
	}
}

func TestImportUsers_Duplicates(t *testing.T) {
	h1, h2 := bcryptHash(t, "first-pass", "$2a$"), bcryptHash(t, "second-pass", "$2a$")
	file := fmt.Sprintf(`{"username":"test","firstName":"New","lastName":"Name","role":"User","passwordHash":%q}
{"username":"carol","firstName":"Carol","lastName":"One","passwordHash":%q}
{"username":"CAROL","firstName":"Carol","lastName":"Two","passwordHash":%q}
`, h1, h1, h2)

	t.Run("skip", func(t *testing.T) {
		db, _ := MustOpenDB(t)
		sum, problems, err := importString(t, db, file, bolt.ImportOptions{})
		if err != nil || sum != (backend.ImportSummary{Imported: 1, Skipped: 2}) {
			t.Fatalf("%+v %v", sum, err)
		}
		got := fmt.Sprintf("%+v", problems)
		want := "[{Record:1 Line:1 Username:test Reason:username already taken (kept the existing user) Invalid:false} " +
			"{Record:3 Line:3 Username:CAROL Reason:duplicate of record 2 in this file Invalid:false}]"
		if got != want {
			t.Errorf("problems\n%s\nwant\n%s", got, want)
		}
		auth := bolt.NewAuthService(db)
		MustLogin(t, auth, "test", "test") // the existing user is untouched
		MustLogin(t, auth, "carol", "first-pass")
	})

	t.Run("update", func(t *testing.T) {
		db, _ := MustOpenDB(t)
		auth := bolt.NewAuthService(db)
		session := MustLogin(t, auth, "test", "test")
		sum, problems, err := importString(t, db, file, bolt.ImportOptions{OnConflict: backend.ConflictUpdate})
		if err != nil || sum != (backend.ImportSummary{Imported: 1, Updated: 1, Skipped: 1}) || len(problems) != 1 {
			t.Fatalf("%+v %v %+v", sum, err, problems)
		}
		g := MustLogin(t, auth, "test", "first-pass")
		if g.User.ID != "1" || g.User.FirstName != "New" || g.User.Role != backend.RoleUser {
			t.Errorf("updated user %+v", g.User)
		}
		// The password changed, so the old session is over.
		if _, err := auth.Refresh(ctx, session.RefreshToken); backend.ErrorCode(err) != backend.EUNAUTHORIZED {
			t.Errorf("refresh after the import changed the hash: %v", err)
		}
	})

	t.Run("fail", func(t *testing.T) {
		db, _ := MustOpenDB(t)
		before := exportString(t, db)
		sum, _, err := importString(t, db, file, bolt.ImportOptions{OnConflict: backend.ConflictFail})
		if !errors.Is(err, bolt.ErrImportConflict) || !strings.Contains(err.Error(), `record 1 (line 1): username "test" is already taken`) {
			t.Fatalf("err %v (summary %+v)", err, sum)
		}
		if after := exportString(t, db); after != before {
			t.Errorf("store changed:\n%s", after)
		}
		// Within the file, too.
		_, _, err = importString(t, db, file[strings.Index(file, "\n")+1:], bolt.ImportOptions{OnConflict: backend.ConflictFail})
		if !errors.Is(err, bolt.ErrImportConflict) || !strings.Contains(err.Error(), `username "carol" appears again (first in record 1)`) {
			t.Fatalf("err %v", err)
		}
		if after := exportString(t, db); after != before {
			t.Errorf("store changed:\n%s", after)
		}
	})
}

// A failed import leaves the store exactly as it was: one transaction.
func TestImportUsers_FailureLeavesTheStoreUnchanged(t *testing.T) {
	h := bcryptHash(t, "some-pass", "$2a$")
	good := func(i int) string {
		return fmt.Sprintf(`{"username":"u%d","firstName":"F","lastName":"L","passwordHash":%q}`, i, h)
	}
	for _, tc := range []struct{ name, data, err string }{
		{"bad JSON", "[" + good(1) + ",\n" + good(2) + ",\n" + `{"username": "u3", "firstName": F}` + "]",
			`line 3 (record 3): not valid JSON: invalid character 'F' looking for beginning of value`},
		{"bad JSON on a later line of a record", good(1) + "\n{\n\"username\": \"u2\",\n\"x\": tru\n}\n",
			`line 4 (record 2): not valid JSON`},
		{"truncated", "[" + good(1) + ",\n" + good(2)[:30], `line 2 (record 2): the file ends inside the record that starts on line 2 (truncated?)`},
		{"array not closed", "[" + good(1) + ",\n" + good(2) + "\n", `line 3: the file ends before the array is closed with ] (truncated?)`},
		{"text after the array", "[" + good(1) + "]\n]", `line 2: unexpected ']' after the closing ]`},
		{"huge record", good(1) + "\n" + `{"username":"big","firstName":"` + strings.Repeat("x", userfile.MaxRecordBytes) + `"}`,
			`line 2 (record 2): the record that starts on line 2 is larger than 1024 KiB; this does not look like a user export`},
		{"empty", " \n\t\n", userfile.ErrEmpty.Error()},
		{"not JSON", "username,password\nbob,x\n", `line 1: expected a JSON array or object, found 'u'`},
		{"unknown format", `[{"login":"bob","pw":"x"}]`, `line 1 (record 1): cannot tell the format`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := MustOpenDB(t)
			before := exportString(t, db)
			_, _, err := importString(t, db, tc.data, bolt.ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err %v, want %q", err, tc.err)
			}
			if after := exportString(t, db); after != before {
				t.Errorf("store changed:\n%s", after)
			}
			// Not even the ID sequence moved.
			if u := MustAddUser(t, db, "next", backend.RoleUser, "password1"); u.ID != "2" {
				t.Errorf("next ID %s, want 2", u.ID)
			}
		})
	}
}

func TestImportUsers_EmptyArrayImportsNothing(t *testing.T) {
	db, _ := MustOpenDB(t)
	if sum, _, err := importString(t, db, "[]\n", bolt.ImportOptions{}); err != nil || sum.Total() != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
}

func TestImportUsers_CancelledAndDryRunChangeNothing(t *testing.T) {
	db, _ := MustOpenDB(t)
	before := exportString(t, db)
	h := bcryptHash(t, "some-pass", "$2a$")
	data := fmt.Sprintf(`{"username":"u1","firstName":"F","lastName":"L","passwordHash":%q}
{"username":"u2","firstName":"F","lastName":"L","passwordHash":%q}`, h, h)

	cctx, cancel := context.WithCancel(ctx)
	rd := userfile.NewReader(strings.NewReader(data), "")
	next := func() (*backend.ImportRecord, error) {
		rec, err := rd.Next()
		if rec != nil && rec.Record == 1 {
			cancel() // Ctrl+C after the first record
		}
		return rec, err
	}
	if _, err := bolt.NewAdminService(db).ImportUsers(cctx, next, bolt.ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	sum, _, err := importString(t, db, data, bolt.ImportOptions{DryRun: true})
	if err != nil || sum.Imported != 2 {
		t.Fatalf("dry run: %+v %v", sum, err)
	}
	if after := exportString(t, db); after != before {
		t.Errorf("store changed:\n%s", after)
	}
}

func TestExportImport_RoundTrip(t *testing.T) {
	src, _ := MustOpenDB(t)
	MustAddUser(t, src, "alice", backend.RoleAdmin, "alice-pass")
	MustAddUser(t, src, "bob", backend.RoleUser, "bob-pass-1")
	if _, err := bolt.NewAdminService(src).ImportUser(ctx,
		backend.User{Username: "carol", FirstName: "Carol", LastName: "=HYPERLINK()"}, bcryptHash(t, "carol-pass", "$2a$")); err != nil {
		t.Fatal(err)
	}
	exported := exportString(t, src)
	if strings.Count(exported, "\n") != 6 || !strings.HasPrefix(exported, "[\n{\"id\":\"1\",\"username\":\"test\"") {
		t.Errorf("export:\n%s", exported)
	}

	dst := MustOpenDBAt(t, t.TempDir(), bolt.Options{NoDemoUser: true}, NewClock())
	rd := userfile.NewReader(strings.NewReader(exported), "")
	sum, err := bolt.NewAdminService(dst).ImportUsers(ctx, rd.Next, bolt.ImportOptions{})
	if err != nil || sum.Imported != 4 || rd.Format() != userfile.FormatAuthDesk {
		t.Fatalf("%+v %v %s", sum, err, rd.Format())
	}
	// Same users, hashes, roles and created times (and, in a fresh store, IDs).
	if again := exportString(t, dst); again != exported {
		t.Errorf("round trip differs:\n%s\nwant\n%s", again, exported)
	}
	auth := bolt.NewAuthService(dst)
	MustLogin(t, auth, "alice", "alice-pass")
	MustLogin(t, auth, "carol", "carol-pass")
}

func TestExportUsers_CSV(t *testing.T) {
	db, _ := MustOpenDB(t)
	if _, err := bolt.NewAdminService(db).ImportUser(ctx,
		backend.User{Username: "carol", FirstName: "=cmd|' /C calc'!A0", LastName: "O'Neil, Jr"}, bcryptHash(t, "carol-pass", "$2a$")); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := userfile.NewWriter(&buf, userfile.ExportCSV)
	if err := bolt.NewAdminService(db).ExportUsers(ctx, w.Write); err != nil {
		t.Fatal(err)
	}
	w.Close()
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "id,username,firstName,lastName,role,created,passwordHash" || len(lines) != 4 {
		t.Fatalf("csv:\n%s", buf.String())
	}
	if !strings.HasPrefix(lines[2], `2,carol,'=cmd|' /C calc'!A0,"O'Neil, Jr",User,2026-03-01T12:00:00Z,$2a$04$`) {
		t.Errorf("row %q", lines[2])
	}
}
