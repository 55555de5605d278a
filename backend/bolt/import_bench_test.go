package bolt_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/userfile"
)

const benchUsers = 100_000

// mongoExport is a `mongoexport --jsonArray` of n tutorial users, all with
// one bcrypt hash (imports never hash, so one is as good as many).
func mongoExport(tb testing.TB, n int) []byte {
	hash := bcryptHash(tb, "password", "$2a$")
	var buf bytes.Buffer
	buf.WriteString("[")
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		fmt.Fprintf(&buf, `{"_id":{"$oid":"65a0%020x"},"username":"user%06d","passwordHash":%q,"firstName":"First%d","lastName":"Last%d","role":"User","__v":0}`,
			i, (i*7919)%n, hash, i, i) // usernames out of order, as a real collection's are
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

func importBytes(b *testing.B, db *bolt.DB, data []byte) backend.ImportSummary {
	rd := userfile.NewReader(bytes.NewReader(data), "")
	sum, err := bolt.NewAdminService(db).ImportUsers(ctx, rd.Next, bolt.ImportOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

// BenchmarkImport100k is `authdesk users import` of a 100,000-user MongoDB
// export (without the terminal output): users/s is the figure to quote.
// parse-only is the baseline: reading and decoding the file with no store.
func BenchmarkImport100k(b *testing.B) {
	data := mongoExport(b, benchUsers)
	rate := func(b *testing.B) {
		b.ReportMetric(float64(benchUsers)*float64(b.N)/b.Elapsed().Seconds(), "users/s")
	}
	b.Run("parse-only", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			rd := userfile.NewReader(bytes.NewReader(data), "")
			for n := 0; ; n++ {
				if _, err := rd.Next(); err == io.EOF {
					if n != benchUsers {
						b.Fatalf("%d records", n)
					}
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		rate(b)
	})
	b.Run("into-new-store", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			db := bolt.NewDB(b.TempDir(), bolt.Options{NoDemoUser: true})
			if err := db.Open(); err != nil {
				b.Fatal(err)
			}
			if sum := importBytes(b, db, data); sum.Imported != benchUsers {
				b.Fatalf("%+v", sum)
			}
			db.Close()
		}
		rate(b)
	})
	// A rerun of the same file: every record is a conflict, skipped.
	b.Run("rerun-all-skipped", func(b *testing.B) {
		db := MustOpenDBAt(b, b.TempDir(), bolt.Options{NoDemoUser: true}, nil)
		importBytes(b, db, data)
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if sum := importBytes(b, db, data); sum.Skipped != benchUsers {
				b.Fatalf("%+v", sum)
			}
		}
		rate(b)
	})
}
