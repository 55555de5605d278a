package bolt

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// AdminService manages users directly in the store, without tokens: it is for
// the `authdesk users` command, run by whoever owns the data folder.
type AdminService struct {
	db *DB
}

// NewAdminService returns the admin operations over an open DB.
func NewAdminService(db *DB) *AdminService { return &AdminService{db: db} }

// maxNameBytes bounds first and last names.
const maxNameBytes = 128

// Users returns every user in ID order.
func (s *AdminService) Users(ctx context.Context) ([]backend.User, error) {
	var users []backend.User
	err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		users, err = allUsers(tx)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return users, nil
}

// AddUser creates a user with an argon2id hash of password. An empty role
// means RoleUser. ID and Created are assigned here.
func (s *AdminService) AddUser(ctx context.Context, u backend.User, password string) (*backend.User, error) {
	given := u.Username
	if err := validateUser(&u); err != nil {
		return nil, err
	}
	if err := backend.ValidateNewPassword(password); err != nil {
		return nil, err
	}
	hash, err := s.db.hashPassword(ctx, password)
	if err != nil {
		return nil, internal(err)
	}
	return s.insert(u, given, hash)
}

// ImportUser creates a user whose password hash comes from elsewhere: an
// argon2id PHC string or a bcrypt $2a$/$2b$ hash as the tutorial APIs store
// them. bcrypt hashes are replaced by argon2id at the user's next login.
func (s *AdminService) ImportUser(ctx context.Context, u backend.User, passwordHash string) (*backend.User, error) {
	given := u.Username
	if err := validateUser(&u); err != nil {
		return nil, err
	}
	if !validHash(passwordHash) {
		return nil, backend.Errorf(backend.EINVALID, "Password hash must be argon2id (PHC form) or bcrypt")
	}
	return s.insert(u, given, passwordHash)
}

// insert stores u (validated, username normalised); given is the name as
// typed, for the message when it is taken.
func (s *AdminService) insert(u backend.User, given, hash string) (*backend.User, error) {
	r := &userRecord{
		Username: u.Username, FirstName: u.FirstName, LastName: u.LastName,
		Role: u.Role, Created: s.db.Now().UTC(), PasswordHash: hash,
	}
	// Batch lets a bulk import share commits; fn may be re-run, so it only
	// touches the transaction and its own record.
	err := s.db.db.Batch(func(tx *bolt.Tx) (err error) {
		r.ID = 0
		_, err = insertUser(tx, r)
		return err
	})
	s.db.demo.invalidate()
	if backend.ErrorCode(err) == backend.ECONFLICT {
		return nil, backend.Errorf(backend.ECONFLICT, "Username %q is already taken", given)
	} else if err != nil {
		return nil, internal(err)
	}
	out := r.user()
	return &out, nil
}

// SetPassword replaces a user's password and ends all their sessions (refresh
// and access tokens alike): whoever knew the old password should not stay
// logged in. It also clears the account's login throttle.
func (s *AdminService) SetPassword(ctx context.Context, username, password string) error {
	if username == "" {
		return backend.Errorf(backend.EINVALID, "Username is required")
	}
	if err := backend.ValidateNewPassword(password); err != nil {
		return err
	}
	hash, err := s.db.hashPassword(ctx, password)
	if err != nil {
		return internal(err)
	}
	now := s.db.Now().UTC()
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := findUserByName(tx, username)
		if err != nil {
			return err
		} else if r == nil {
			return backend.Errorf(backend.ENOTFOUND, "User %q not found", username)
		}
		if err := writePassword(tx, r, hash, password == demoPassword); err != nil {
			return err
		}
		return revokeUserFamilies(tx, r.ID, now, backend.ClientFrom(ctx), reasonPasswordChanged)
	})
	s.db.demo.invalidate()
	return internal(err)
}

// RemoveUser deletes a user and all their refresh tokens.
func (s *AdminService) RemoveUser(ctx context.Context, username string) error {
	if username == "" {
		return backend.Errorf(backend.EINVALID, "Username is required")
	}
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := findUserByName(tx, username)
		if err != nil {
			return err
		} else if r == nil {
			return backend.Errorf(backend.ENOTFOUND, "User %q not found", username)
		}
		return deleteUser(tx, r)
	})
	s.db.demo.invalidate()
	return internal(err)
}

// Unlock clears username's failed-login counter, so the next attempt is
// checked at once (`authdesk users unlock`).
func (s *AdminService) Unlock(ctx context.Context, username string) error {
	if username == "" {
		return backend.Errorf(backend.EINVALID, "Username is required")
	}
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := findUserByName(tx, username)
		if err != nil {
			return err
		} else if r == nil {
			return backend.Errorf(backend.ENOTFOUND, "User %q not found", username)
		}
		return clearUserThrottle(tx, r)
	})
	return internal(err)
}

// Locked reports how long username's next login attempt must still wait
// (zero if it need not), for `authdesk users list` and tests.
func (s *AdminService) Locked(ctx context.Context, username string) (time.Duration, error) {
	key, err := usernameKey(username)
	if err != nil {
		key = legacyUsernameKey(username)
	}
	var r *throttleRecord
	err = s.db.db.View(func(tx *bolt.Tx) (err error) {
		r, err = getThrottle(tx, throttleKey(key))
		return err
	})
	if err != nil {
		return 0, internal(err)
	}
	return r.wait(s.db.Now()), nil
}

// clearUserThrottle clears the counters under every name the user is indexed by.
func clearUserThrottle(tx *bolt.Tx, r *userRecord) error {
	for _, key := range indexKeys(r.Username) {
		if err := clearThrottle(tx, throttleKey(key)); err != nil {
			return err
		}
	}
	return nil
}

// validateUser checks the fields of a new user and defaults the role. A
// username with control characters or outer spaces could never be typed
// back in at the login page.
func validateUser(u *backend.User) error {
	if u.Role == "" {
		u.Role = backend.RoleUser
	}
	switch {
	case u.Username == "":
		return backend.Errorf(backend.EINVALID, "Username is required")
	case len(u.Username) > backend.MaxUsernameBytes:
		return backend.Errorf(backend.EINVALID, "Username must be at most %d bytes", backend.MaxUsernameBytes)
	case !printable(u.Username) || strings.TrimSpace(u.Username) != u.Username:
		return backend.Errorf(backend.EINVALID, "Username must be printable text without leading or trailing spaces")
	}
	// Stored as compared: the PRECIS form (lower case, composed, narrow).
	name, err := backend.NormalizeUsername(u.Username)
	if err != nil {
		return err
	}
	u.Username = name
	switch {
	case len(u.FirstName) > maxNameBytes || len(u.LastName) > maxNameBytes:
		return backend.Errorf(backend.EINVALID, "First and last name must be at most %d bytes", maxNameBytes)
	case !printable(u.FirstName) || !printable(u.LastName):
		return backend.Errorf(backend.EINVALID, "First and last name must be printable text")
	case !u.Role.Valid():
		return backend.Errorf(backend.EINVALID, "Role must be %q or %q", backend.RoleAdmin, backend.RoleUser)
	}
	return nil
}

func printable(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

// writePassword stores r's new password hash, clears its login throttle and
// keeps the demo account's record (isDemo: the new password is the demo
// one) in step. Ending the person's sessions is the caller's: which ones
// end differs (all of them, or all but the caller's).
func writePassword(tx *bolt.Tx, r *userRecord, hash string, isDemo bool) error {
	r.PasswordHash = hash
	if err := putUser(tx, r); err != nil {
		return err
	}
	if err := clearUserThrottle(tx, r); err != nil {
		return err
	}
	return noteDemoPassword(tx, r.Username, hash, isDemo)
}
