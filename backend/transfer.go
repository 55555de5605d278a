package backend

// Moving users in and out of the embedded backend: `authdesk users import` and
// `authdesk users export`. These records carry password hashes: they must never
// be logged or shown.

// UserRecord is a user together with their password hash.
type UserRecord struct {
	User
	PasswordHash string
}

// ImportRecord is one record read from an import file.
type ImportRecord struct {
	UserRecord
	// Record is the 1-based position in the file; Line is the line it starts on.
	Record, Line int
	// Invalid, when set, is why the file reader could not use the record (a
	// field of the wrong type, an unknown role). The record is reported and
	// skipped.
	Invalid string
}

// ConflictPolicy says what an import does with a username that is already taken.
type ConflictPolicy string

const (
	ConflictSkip   ConflictPolicy = "skip"   // keep the existing user, report the record
	ConflictUpdate ConflictPolicy = "update" // overwrite names, role and password hash
	ConflictFail   ConflictPolicy = "fail"   // abandon the whole import
)

// Valid reports whether p is one of the known policies.
func (p ConflictPolicy) Valid() bool {
	return p == ConflictSkip || p == ConflictUpdate || p == ConflictFail
}

// ImportProblem is a record an import skipped, and why.
type ImportProblem struct {
	Record, Line int
	Username     string // as written in the file; may be empty
	Reason       string
	Invalid      bool // true: the record is unusable; false: skipped as a conflict or duplicate
}

// ImportSummary counts what an import did with each record.
type ImportSummary struct {
	Imported int // new users
	Updated  int // existing users overwritten (--on-conflict update)
	Skipped  int // conflicts and duplicates left alone
	Invalid  int // unusable records
}

// Total is the number of records read.
func (s ImportSummary) Total() int { return s.Imported + s.Updated + s.Skipped + s.Invalid }
