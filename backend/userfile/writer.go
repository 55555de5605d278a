package userfile

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// ExportFormat names an export file's layout.
type ExportFormat string

const (
	ExportJSON ExportFormat = "authdesk" // JSON array, one user per line; Reader reads it back
	ExportCSV  ExportFormat = "csv"      // for spreadsheets; not read back
)

// exportRecord is AuthDesk's export format. The id is informational: an
// import assigns new IDs.
type exportRecord struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	FirstName    string `json:"firstName"`
	LastName     string `json:"lastName"`
	Role         string `json:"role"`
	Created      string `json:"created"`
	PasswordHash string `json:"passwordHash"`
}

var csvHeader = []string{"id", "username", "firstName", "lastName", "role", "created", "passwordHash"}

// Writer writes an export, one user at a time.
type Writer struct {
	w      *bufio.Writer
	csv    *csv.Writer
	format ExportFormat
	n      int
}

// NewWriter writes format to w. Call Close to finish the file.
func NewWriter(w io.Writer, format ExportFormat) (*Writer, error) {
	wr := &Writer{w: bufio.NewWriterSize(w, 64<<10), format: format}
	switch format {
	case ExportJSON:
		_, err := wr.w.WriteString("[")
		return wr, err
	case ExportCSV:
		wr.csv = csv.NewWriter(wr.w)
		return wr, wr.csv.Write(csvHeader)
	}
	return nil, fmt.Errorf("unknown export format %q", format)
}

// Write adds one user.
func (wr *Writer) Write(u backend.UserRecord) error {
	rec := exportRecord{
		ID: u.ID, Username: u.Username, FirstName: u.FirstName, LastName: u.LastName,
		Role: string(u.Role), Created: u.Created.UTC().Format(time.RFC3339Nano), PasswordHash: u.PasswordHash,
	}
	wr.n++
	if wr.csv != nil {
		return wr.csv.Write([]string{rec.ID, cell(rec.Username), cell(rec.FirstName), cell(rec.LastName),
			rec.Role, rec.Created, rec.PasswordHash})
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	sep := ",\n"
	if wr.n == 1 {
		sep = "\n"
	}
	if _, err := wr.w.WriteString(sep); err != nil {
		return err
	}
	_, err = wr.w.Write(b)
	return err
}

// Count is the number of users written.
func (wr *Writer) Count() int { return wr.n }

// Close ends the file and flushes it (it does not close the underlying writer).
func (wr *Writer) Close() error {
	if wr.csv != nil {
		wr.csv.Flush()
		if err := wr.csv.Error(); err != nil {
			return err
		}
	} else if _, err := wr.w.WriteString("\n]\n"); err != nil {
		return err
	}
	return wr.w.Flush()
}

// cell keeps a spreadsheet from running a name as a formula (OWASP's CSV
// injection advice): text starting with = + - @ or a control character gets a
// leading apostrophe, which spreadsheets show as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
