package userfile_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/userfile"
)

// readAll returns "record line username first last role created | invalid" per record.
func readAll(t *testing.T, data string, f userfile.Format) ([]string, error) {
	t.Helper()
	rd := userfile.NewReader(strings.NewReader(data), f)
	var out []string
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		s := fmt.Sprintf("%d %d %s %s %s %s", rec.Record, rec.Line, rec.Username, rec.FirstName, rec.LastName, rec.Role)
		if !rec.Created.IsZero() {
			s += " " + rec.Created.Format("2006-01-02T15:04:05Z")
		}
		if rec.Invalid != "" {
			s += " | " + rec.Invalid
		}
		out = append(out, s)
	}
}

func TestReader_ScansStringsEscapesAndLineEndings(t *testing.T) {
	data := "\xef\xbb\xbf\r\n[ {\"username\":\"a}\\\"{b\",\"firstName\":\"x]\",\"lastName\":\"L\",\"passwordHash\":\"h\",\"extra\":{\"n\":[1,{\"m\":\"}\"}]}} ,\r\n" +
		"  {\"username\":\"c\",\"firstName\":\"C\",\"lastName\":\"L\",\"passwordHash\":\"h\"}\r\n]\r\n"
	got, err := readAll(t, data, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`1 2 a}"{b x] L `, "2 3 c C L "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReader_FieldsPerFormat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format userfile.Format
		data   string
		want   string
	}{
		{"mongo oid and role case", "", `{"_id":{"$oid":"000000010000000000000000"},"username":"u","firstName":"F","lastName":"L","role":"aDmIn"}`,
			"1 1 u F L Admin 1970-01-01T00:00:01Z"},
		{"mongo bad oid: no time", "", `{"_id":"nope","username":"u","firstName":"F","lastName":"L"}`, "1 1 u F L "},
		{"aspnet numeric role", "", `[{"Id":7,"Username":"u","FirstName":"F","LastName":"L","Role":1,"PasswordHash":"h"}]`, "1 1 u F L User"},
		{"aspnet string role and nulls", "", `[{"Id":7,"Username":"u","FirstName":null,"LastName":"L","Role":"Admin","PasswordHash":"h"}]`, "1 1 u  L Admin"},
		{"aspnet bad number", "", `[{"Username":"u","Role":5,"PasswordHash":"h"}]`, "1 1 u    | role 5 is neither 0 (Admin) nor 1 (User)"},
		{"numbers only for aspnet", "", `{"_id":"x","username":"u","role":0}`, "1 1 u    | role must be \"Admin\" or \"User\", not 0"},
		{"forced aspnet", userfile.FormatASPNET, `{"username":"u","role":0,"passwordHash":"h"}`, "1 1 u   Admin"},
		{"authdesk created", "", `[{"id":"3","username":"u","firstName":"F","lastName":"L","role":"User","created":"2025-01-02T03:04:05.5Z","passwordHash":"h"}]`,
			"1 1 u F L User 2025-01-02T03:04:05Z"},
		{"authdesk bad created", "", `[{"username":"u","created":"yesterday","passwordHash":"h"}]`, `1 1 u    | created "yesterday" is not an RFC 3339 time`},
		{"forced authdesk", userfile.FormatAuthDesk, `{"username":"u","created":"2025-01-02T03:04:05Z"}`, "1 1 u    2025-01-02T03:04:05Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(t, tc.data, tc.format)
			if err != nil || len(got) != 1 || got[0] != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// tripwire fails the test if the reader asks for more than limit bytes.
type tripwire struct {
	t     *testing.T
	limit int
	n     int
}

func (r *tripwire) Read(p []byte) (int, error) {
	if r.n > r.limit {
		r.t.Fatalf("read %d bytes; the reader should have stopped", r.n)
	}
	for i := range p {
		p[i] = 'x'
	}
	if r.n == 0 {
		p[0], p[1], p[2] = '{', '"', 'a'
	}
	r.n += len(p)
	return len(p), nil
}

func TestReader_RefusesAHugeRecordWithoutReadingIt(t *testing.T) {
	src := &tripwire{t: t, limit: userfile.MaxRecordBytes + 256<<10}
	_, err := userfile.NewReader(src, "").Next()
	var fe *userfile.FileError
	if !errors.As(err, &fe) || fe.Record != 1 || !strings.Contains(fe.Msg, "larger than 1024 KiB") {
		t.Fatalf("err %v", err)
	}
}

func TestReader_EmptyAndWhitespace(t *testing.T) {
	for _, data := range []string{"", "\n\n  \t", "\xef\xbb\xbf"} {
		if _, err := userfile.NewReader(strings.NewReader(data), "").Next(); !errors.Is(err, userfile.ErrEmpty) {
			t.Errorf("%q: %v", data, err)
		}
	}
}
