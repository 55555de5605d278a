package userfile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/authdesk/authdesk/backend/userfile"
)

// FuzzReader: any input ends in io.EOF, ErrEmpty or a FileError (never a
// panic or a hang), records are numbered 1, 2, 3 with lines inside the input,
// and a JSON array is read exactly when it is valid JSON, one record per
// element.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		`[{"_id":{"$oid":"5f1d7f4e2c3a4b0012345678"},"username":"a","passwordHash":"$2a$","firstName":"A","lastName":"B","role":"Admin"}]`,
		"{\"username\":\"a\"}\n{\"username\":\"b\",\"role\":0}\n",
		`[{"Id":1,"Username":"a","Role":1,"PasswordHash":"x"},{"Id":2}]`,
		`[{"username":"a","created":"2025-01-01T00:00:00Z","passwordHash":"h"}]`,
		`[]`, `[`, `{`, `["a\"}"]`, `[{"username":"a"},]`, `[{"username":"a"}] x`, "\xef\xbb\xbf[]", `{"u":1}5`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := userfile.NewReader(bytes.NewReader(data), "")
		lines := bytes.Count(data, []byte{'\n'}) + 1
		n := 0
		var err error
		for {
			r, e := rd.Next()
			if e != nil {
				err = e
				break
			}
			n++
			if r.Record != n || r.Line < 1 || r.Line > lines {
				t.Fatalf("record %d at line %d (%d lines): %+v", n, r.Line, lines, r)
			}
			if n > len(data) {
				t.Fatal("more records than bytes")
			}
		}
		var fe *userfile.FileError
		switch {
		case err == io.EOF, errors.Is(err, userfile.ErrEmpty):
		case errors.As(err, &fe):
			if fe.Line < 1 || fe.Line > lines {
				t.Fatalf("error at line %d of %d: %v", fe.Line, lines, err)
			}
		default:
			t.Fatalf("unexpected error %T %v", err, err)
		}
		if _, again := rd.Next(); again != io.EOF {
			t.Fatalf("Next after the end: %v", again)
		}

		body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '[' {
			return
		}
		var elems []json.RawMessage
		valid := json.Unmarshal(body, &elems) == nil
		switch {
		case err == io.EOF && !valid:
			t.Fatalf("read %d records from invalid JSON %q", n, data)
		case err == io.EOF && n != len(elems):
			t.Fatalf("read %d records, the array has %d", n, len(elems))
		case valid && fe != nil && strings.Contains(fe.Msg, "not valid JSON"):
			t.Fatalf("valid JSON %q called invalid: %v", data, err)
		}
	})
}
