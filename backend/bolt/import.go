package bolt

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// ImportOptions tune ImportUsers.
type ImportOptions struct {
	OnConflict backend.ConflictPolicy // empty means ConflictSkip
	// DryRun checks every record and counts what would happen, then rolls back.
	DryRun bool
	// Problem, if set, is called for every skipped or invalid record.
	Problem func(backend.ImportProblem)
	// Saving, if set, is called once every record has been read, before the
	// (possibly long) commit.
	Saving func(backend.ImportSummary)
}

// ErrImportConflict is wrapped by the error ImportUsers returns when
// OnConflict is ConflictFail and a username is taken.
var ErrImportConflict = errors.New("import conflict")

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run")

// ImportUsers reads records from next until it returns io.EOF and stores them
// with their password hashes as they are (bcrypt is replaced by argon2id at
// each user's first login). Every record that cannot be used is reported to
// opt.Problem and counted; the rest are stored.
//
// All or nothing: the whole import is one bbolt transaction. If next fails
// (bad JSON, a truncated file), ctx ends (Ctrl+C), a conflict meets
// ConflictFail, or the commit fails, the store is left exactly as it was.
//
// One transaction holds every new record in memory until the commit (about
// 100 MB for 100,000 users). bbolt splits pages only at commit, so putting
// keys in random order into one transaction is quadratic; the username index
// entries are therefore collected and put in sorted order at the end, which
// keeps 100,000 users to a second or two.
//
// The write transaction is held while next reads, which suits the CLI (it
// has the data folder to itself). A caller inside a running AuthDesk (the
// control socket, when it comes) should feed it from a local file rather than
// a slow stream, or logins would wait for the reading.
func (s *AdminService) ImportUsers(ctx context.Context, next func() (*backend.ImportRecord, error), opt ImportOptions) (backend.ImportSummary, error) {
	if opt.OnConflict == "" {
		opt.OnConflict = backend.ConflictSkip
	}
	if !opt.OnConflict.Valid() {
		return backend.ImportSummary{}, backend.Errorf(backend.EINVALID, "Unknown conflict policy %q", opt.OnConflict)
	}
	var sum backend.ImportSummary
	now := s.db.Now().UTC()
	client := backend.ClientFrom(ctx)
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		sum = backend.ImportSummary{}
		users, names := tx.Bucket(bucketUsers), tx.Bucket(bucketUsernames)
		type entry struct {
			key string
			id  uint64
		}
		var added []entry
		seen := make(map[string]int) // username key -> record that first used it
		problem := func(rec *backend.ImportRecord, invalid bool, reason string) {
			if invalid {
				sum.Invalid++
			} else {
				sum.Skipped++
			}
			if opt.Problem != nil {
				opt.Problem(backend.ImportProblem{Record: rec.Record, Line: rec.Line,
					Username: rec.Username, Reason: reason, Invalid: invalid})
			}
		}
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			rec, err := next()
			if err == io.EOF {
				break
			} else if err != nil {
				return err
			}
			if rec.Invalid != "" {
				problem(rec, true, rec.Invalid)
				continue
			}
			r, reason := importedUser(rec, now)
			if reason != "" {
				problem(rec, true, reason)
				continue
			}
			k, err := usernameKey(r.Username)
			if err != nil {
				problem(rec, true, backend.ErrorMessage(err))
				continue
			}
			key := string(k)
			if first, dup := seen[key]; dup {
				if opt.OnConflict == backend.ConflictFail {
					return fmt.Errorf("%w: record %d (line %d): username %q appears again (first in record %d)",
						ErrImportConflict, rec.Record, rec.Line, r.Username, first)
				}
				problem(rec, false, fmt.Sprintf("duplicate of record %d in this file", first))
				continue
			}
			seen[key] = rec.Record
			if existing := names.Get([]byte(key)); existing != nil {
				switch opt.OnConflict {
				case backend.ConflictFail:
					return fmt.Errorf("%w: record %d (line %d): username %q is already taken",
						ErrImportConflict, rec.Record, rec.Line, r.Username)
				case backend.ConflictSkip:
					problem(rec, false, "username already taken (kept the existing user)")
					continue
				}
				if err := updateImported(tx, existing, r, now, client); err != nil {
					return err
				}
				sum.Updated++
				continue
			}
			id, err := users.NextSequence()
			if err != nil {
				return err
			}
			r.ID = id
			if err := putUser(tx, r); err != nil {
				return err
			}
			added = append(added, entry{key, id})
			sum.Imported++
		}
		if opt.Saving != nil {
			opt.Saving(sum)
		}
		slices.SortFunc(added, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		for _, e := range added {
			if err := names.Put([]byte(e.key), itob(e.id)); err != nil {
				return err
			}
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	s.db.demo.invalidate()
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return sum, err
}

// updateImported overwrites an existing user's names, role and hash (keeping
// their ID and username). A changed hash ends their sessions, as a password
// change does.
func updateImported(tx *bolt.Tx, idBytes []byte, r *userRecord, now time.Time, client string) error {
	if len(idBytes) != 8 {
		return errBadUserRecord
	}
	cur, err := findUserByID(tx, binary.BigEndian.Uint64(idBytes))
	if err != nil {
		return err
	} else if cur == nil {
		return errBadUserRecord // an index entry without a user: damaged
	}
	changed := cur.PasswordHash != r.PasswordHash
	cur.FirstName, cur.LastName, cur.Role, cur.PasswordHash = r.FirstName, r.LastName, r.Role, r.PasswordHash
	if err := putUser(tx, cur); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	if err := clearUserThrottle(tx, cur); err != nil {
		return err
	}
	return revokeUserFamilies(tx, cur.ID, now, client, reasonPasswordChanged)
}

// importedUser checks and normalises one record, or says why it is unusable.
func importedUser(rec *backend.ImportRecord, now time.Time) (*userRecord, string) {
	name, err := backend.NormalizeUsername(rec.Username)
	if err != nil {
		return nil, backend.ErrorMessage(err)
	}
	first, last := strings.TrimSpace(rec.FirstName), strings.TrimSpace(rec.LastName)
	role := rec.Role
	if role == "" {
		role = backend.RoleUser
	}
	switch {
	case first == "":
		return nil, "First name is required"
	case last == "":
		return nil, "Last name is required"
	case len(first) > maxNameBytes || len(last) > maxNameBytes:
		return nil, fmt.Sprintf("First and last name must be at most %d bytes", maxNameBytes)
	case !printable(first) || !printable(last):
		return nil, "First and last name must be printable text"
	case !role.Valid():
		return nil, fmt.Sprintf("Role must be %q or %q", backend.RoleAdmin, backend.RoleUser)
	}
	if reason := checkImportHash(rec.PasswordHash); reason != "" {
		return nil, reason
	}
	created := rec.Created.UTC()
	if rec.Created.IsZero() {
		created = now
	}
	return &userRecord{Username: name, FirstName: first, LastName: last, Role: role,
		Created: created, PasswordHash: rec.PasswordHash}, ""
}

// bcryptForm is a whole modular-crypt bcrypt hash: variant, two-digit cost, 22
// characters of salt and 31 of digest in bcrypt's base64 alphabet.
var bcryptForm = regexp.MustCompile(`^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$`)

// hashScheme picks the "$name$" prefix out of an unsupported hash, to name it
// in a message without showing the hash.
var hashScheme = regexp.MustCompile(`^\$[A-Za-z0-9-]{1,20}\$`)

// checkImportHash says why encoded cannot be imported, or returns "".
func checkImportHash(encoded string) string {
	switch {
	case encoded == "":
		return "Password hash is missing"
	case strings.HasPrefix(encoded, "$2"):
		if bcryptForm.MatchString(encoded) && validHash(encoded) {
			return ""
		}
		return "Password hash is not a well-formed bcrypt hash"
	case strings.HasPrefix(encoded, "$argon2id$"):
		if validHash(encoded) {
			return ""
		}
		return "Password hash is not a well-formed argon2id hash (PHC form)"
	}
	if scheme := hashScheme.FindString(encoded); scheme != "" {
		return fmt.Sprintf("Password hash scheme %s is not supported (only bcrypt and argon2id)", scheme)
	}
	return "Password hash is not bcrypt or argon2id"
}

// ExportUsers calls fn with every user and their password hash, in ID order,
// inside one read transaction (a consistent snapshot).
func (s *AdminService) ExportUsers(ctx context.Context, fn func(backend.UserRecord) error) error {
	err := s.db.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			r, err := decodeUser(v)
			if err != nil {
				return err
			}
			return fn(backend.UserRecord{User: r.user(), PasswordHash: r.PasswordHash})
		})
	})
	return err
}
