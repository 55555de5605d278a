package userfile

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Format names an import file's layout.
type Format string

const (
	FormatMongo    Format = "mongo"    // mongoexport of the Node API's users (--jsonArray or one per line)
	FormatASPNET   Format = "aspnet"   // the ASP.NET API's Users rows as JSON (sqlite3 -json)
	FormatAuthDesk Format = "authdesk" // `authdesk users export`
)

// Formats lists the formats Reader understands.
var Formats = []Format{FormatMongo, FormatASPNET, FormatAuthDesk}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == FormatMongo || f == FormatASPNET || f == FormatAuthDesk }

// Description names f for people.
func (f Format) Description() string {
	switch f {
	case FormatMongo:
		return "MongoDB export (Node.js API)"
	case FormatASPNET:
		return "ASP.NET API users (JSON rows)"
	case FormatAuthDesk:
		return "AuthDesk export"
	}
	return string(f)
}

// MaxRecordBytes bounds one record. A user is a few hundred bytes; anything
// this large is not a user export, and is refused before it fills memory.
const MaxRecordBytes = 1 << 20

// ErrEmpty is returned by the first Next when the input holds nothing but
// white space: most likely a failed export or the wrong file.
var ErrEmpty = errors.New("the file is empty: there are no users in it")

// FileError is a fault in the file that stops the import: broken JSON, a
// record over MaxRecordBytes, a truncated file.
type FileError struct {
	Line   int // 1-based
	Record int // 1-based; 0 when the fault is outside any record
	Msg    string
}

func (e *FileError) Error() string {
	if e.Record > 0 {
		return fmt.Sprintf("line %d (record %d): %s", e.Line, e.Record, e.Msg)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// Reader reads user records one at a time from a JSON array or from JSON
// objects one after another (one per line, as mongoexport writes them).
type Reader struct {
	r      *bufio.Reader
	format Format // "" until detected
	line   int    // line of the next unread byte
	off    int64  // bytes consumed
	state  int
	count  int    // records returned so far
	buf    []byte // the current record's bytes
}

const (
	stateStart = iota
	stateArray // inside [ ... ]
	stateLines // objects one after another
	stateAfter // after the closing ]
	stateDone
)

// NewReader reads from r. format "" detects the format from the first record.
func NewReader(r io.Reader, format Format) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 64<<10), format: format, line: 1}
}

// Format is the format given or detected (known after the first record).
func (rd *Reader) Format() Format { return rd.format }

// Offset is how many bytes of the input have been consumed, for progress.
func (rd *Reader) Offset() int64 { return rd.off }

// Next returns the next record, or io.EOF after the last one. A record that is
// valid JSON but unusable comes back with Invalid set; any error is fatal.
func (rd *Reader) Next() (*backend.ImportRecord, error) {
	for {
		switch rd.state {
		case stateStart:
			if err := rd.skipBOM(); err != nil {
				return nil, err
			}
			c, err := rd.skipSpace()
			if err == io.EOF {
				rd.state = stateDone
				return nil, ErrEmpty
			} else if err != nil {
				return nil, err
			}
			switch c {
			case '[':
				rd.consume(1)
				rd.state = stateArray
				c, err := rd.skipSpace()
				if err == io.EOF {
					return nil, rd.fault(0, "the file ends before the array is closed with ]")
				} else if err != nil {
					return nil, err
				}
				if c == ']' {
					rd.consume(1)
					rd.state = stateAfter
					continue
				}
				return rd.record()
			case '{':
				rd.state = stateLines
				return rd.record()
			default:
				return nil, rd.fault(0, fmt.Sprintf("expected a JSON array or object, found %s", quoteByte(c)))
			}
		case stateArray:
			c, err := rd.skipSpace()
			if err == io.EOF {
				return nil, rd.fault(0, "the file ends before the array is closed with ] (truncated?)")
			} else if err != nil {
				return nil, err
			}
			switch c {
			case ']':
				rd.consume(1)
				rd.state = stateAfter
				continue
			case ',':
				rd.consume(1)
				if _, err := rd.skipSpace(); err == io.EOF {
					return nil, rd.fault(0, "the file ends after a comma (truncated?)")
				} else if err != nil {
					return nil, err
				}
				return rd.record()
			default:
				return nil, rd.fault(0, fmt.Sprintf("expected , or ] after record %d, found %s", rd.count, quoteByte(c)))
			}
		case stateLines:
			if _, err := rd.skipSpace(); err == io.EOF {
				rd.state = stateDone
				continue
			} else if err != nil {
				return nil, err
			}
			return rd.record()
		case stateAfter:
			c, err := rd.skipSpace()
			if err == io.EOF {
				rd.state = stateDone
				continue
			} else if err != nil {
				return nil, err
			}
			return nil, rd.fault(0, fmt.Sprintf("unexpected %s after the closing ]", quoteByte(c)))
		default:
			return nil, io.EOF
		}
	}
}

func (rd *Reader) fault(record int, msg string) error {
	rd.state = stateDone
	return &FileError{Line: rd.line, Record: record, Msg: msg}
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (rd *Reader) consume(n int) {
	b, _ := rd.r.Peek(n)
	rd.line += bytes.Count(b, []byte{'\n'})
	rd.off += int64(len(b))
	_, _ = rd.r.Discard(len(b))
}

func (rd *Reader) skipBOM() error {
	b, err := rd.r.Peek(3)
	if err != nil && err != io.EOF {
		return err
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		rd.consume(3)
	}
	return nil
}

// skipSpace consumes JSON white space and returns the next byte unconsumed.
func (rd *Reader) skipSpace() (byte, error) {
	for {
		b, err := rd.r.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			rd.consume(1)
		default:
			return b[0], nil
		}
	}
}

// record reads one JSON value's bytes (bounded) and decodes it.
func (rd *Reader) record() (*backend.ImportRecord, error) {
	rd.count++
	n, startLine := rd.count, rd.line
	if err := rd.readValue(n); err != nil {
		return nil, err
	}
	rec := &backend.ImportRecord{Record: n, Line: startLine}
	var err error
	if rd.format == "" {
		var f Format
		if f, err = detect(rd.buf); err == nil {
			rd.format = f
		}
	}
	if err == nil {
		err = decode(rd.format, rd.buf, rec)
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		rd.state = stateDone
		// Offset is just past the offending byte.
		at := min(max(int(se.Offset)-1, 0), len(rd.buf))
		line := startLine + bytes.Count(rd.buf[:at], []byte{'\n'})
		return nil, &FileError{Line: line, Record: n, Msg: "not valid JSON: " + se.Error()}
	case err != nil:
		rd.state = stateDone
		return nil, &FileError{Line: startLine, Record: n, Msg: err.Error()}
	}
	return rec, nil
}

// readValue copies one JSON value into rd.buf, tracking strings and nesting
// only as far as needed to find its end; checkSyntax does the rest.
func (rd *Reader) readValue(n int) error {
	rd.buf = rd.buf[:0]
	if cap(rd.buf) > 64<<10 {
		rd.buf = nil // a big record earlier: do not keep its buffer
	}
	startLine := rd.line
	depth, inString, escaped := 0, false, false
	first := true
	for {
		c, err := rd.r.ReadByte()
		if err == io.EOF {
			if !first && depth == 0 && !inString {
				return nil // a scalar at the very end
			}
			return rd.fault(n, fmt.Sprintf("the file ends inside the record that starts on line %d (truncated?)", startLine))
		} else if err != nil {
			return err
		}
		if !inString && depth == 0 && !first && isDelimiter(c) {
			_ = rd.r.UnreadByte()
			return nil // end of a scalar
		}
		rd.off++
		if c == '\n' {
			rd.line++
		}
		if len(rd.buf) >= MaxRecordBytes {
			return rd.fault(n, fmt.Sprintf("the record that starts on line %d is larger than %d KiB; this does not look like a user export",
				startLine, MaxRecordBytes>>10))
		}
		rd.buf = append(rd.buf, c)
		first = false
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					return nil
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth <= 0 {
				return nil
			}
		}
	}
}

func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}', '[', '{', '"':
		return true
	}
	return false
}

// detect tells the format from the keys of the first record.
func detect(b []byte) (Format, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		if _, syntax := err.(*json.SyntaxError); syntax {
			return "", err
		}
		return "", errors.New("the first record is not a JSON object")
	}
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("_id"):
		return FormatMongo, nil
	case has("PasswordHash") || has("Username"):
		return FormatASPNET, nil
	case has("passwordHash") && has("created"):
		return FormatAuthDesk, nil
	case has("passwordHash") || has("username"):
		return FormatMongo, nil
	}
	return "", errors.New("cannot tell the format: the first record has neither username and passwordHash " +
		"(MongoDB, AuthDesk) nor Username and PasswordHash (ASP.NET); name it with --format")
}

// fileRecord holds the fields of every format; encoding/json matches keys
// case-insensitively, so Username and username both land in Username.
type fileRecord struct {
	OID          json.RawMessage `json:"_id"`
	Username     string          `json:"username"`
	FirstName    string          `json:"firstName"`
	LastName     string          `json:"lastName"`
	Role         json.RawMessage `json:"role"`
	PasswordHash string          `json:"passwordHash"`
	Created      json.RawMessage `json:"created"`
}

// decode fills rec from the record's JSON, or sets rec.Invalid. It returns
// only syntax errors (json.Unmarshal checks the syntax of the whole value
// before it decodes any of it).
func decode(f Format, b []byte, rec *backend.ImportRecord) error {
	var fr fileRecord
	if err := json.Unmarshal(b, &fr); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			return err
		case errors.As(err, &te) && te.Field == "":
			rec.Invalid = fmt.Sprintf("a user must be a JSON object, not %s", te.Value)
		case errors.As(err, &te):
			rec.Invalid = fmt.Sprintf("field %s must not be %s", te.Field, te.Value)
		default:
			rec.Invalid = err.Error()
		}
		return nil
	}
	rec.Username, rec.FirstName, rec.LastName, rec.PasswordHash = fr.Username, fr.FirstName, fr.LastName, fr.PasswordHash
	var err error
	if rec.Role, err = role(f, fr.Role); err != nil {
		rec.Invalid = err.Error()
		return nil
	}
	switch f {
	case FormatMongo:
		rec.Created = objectIDTime(fr.OID)
	case FormatAuthDesk:
		if rec.Created, err = created(fr.Created); err != nil {
			rec.Invalid = err.Error()
		}
	}
	return nil
}

// role maps "admin", "USER" and friends to the two roles; missing means User
// (decided by the store). The ASP.NET API's Role enum is stored as a number:
// 0 Admin, 1 User.
func role(f Format, raw json.RawMessage) (backend.Role, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch {
		case s == "":
			return "", nil
		case strings.EqualFold(s, string(backend.RoleAdmin)):
			return backend.RoleAdmin, nil
		case strings.EqualFold(s, string(backend.RoleUser)):
			return backend.RoleUser, nil
		}
		return "", fmt.Errorf("role %q is neither Admin nor User", s)
	}
	var n float64
	if f == FormatASPNET && json.Unmarshal(raw, &n) == nil {
		switch n {
		case 0:
			return backend.RoleAdmin, nil
		case 1:
			return backend.RoleUser, nil
		}
		return "", fmt.Errorf("role %v is neither 0 (Admin) nor 1 (User)", n)
	}
	return "", fmt.Errorf("role must be \"Admin\" or \"User\", not %s", truncate(string(raw)))
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// objectIDTime reads the creation second a MongoDB ObjectId starts with
// ({"$oid": "<24 hex>"}, or the bare string). Anything else: zero, so the
// store uses the import time.
func objectIDTime(raw json.RawMessage) time.Time {
	var oid struct {
		OID string `json:"$oid"`
	}
	var s string
	switch {
	case len(raw) == 0:
		return time.Time{}
	case raw[0] == '{' && json.Unmarshal(raw, &oid) == nil:
		s = oid.OID
	case raw[0] != '"' || json.Unmarshal(raw, &s) != nil:
		return time.Time{}
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 12 {
		return time.Time{}
	}
	secs := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if secs == 0 || secs == math.MaxUint32 {
		return time.Time{}
	}
	return time.Unix(int64(secs), 0).UTC()
}

// created reads an AuthDesk export's RFC 3339 time.
func created(raw json.RawMessage) (time.Time, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, errors.New("created must be an RFC 3339 time string")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("created %q is not an RFC 3339 time", truncate(s))
	}
	return t.UTC(), nil
}
