package bolt

import (
	"context"
	"strings"
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
	if err := validateUser(&u); err != nil {
		return nil, err
	}
	if err := backend.ValidateCredentials(u.Username, password); err != nil {
		return nil, err
	}
	hash, err := s.db.hashPassword(ctx, password)
	if err != nil {
		return nil, internal(err)
	}
	return s.insert(u, hash)
}

// ImportUser creates a user whose password hash comes from elsewhere: an
// argon2id PHC string or a bcrypt $2a$/$2b$ hash as the tutorial APIs store
// them. bcrypt hashes are replaced by argon2id at the user's next login.
func (s *AdminService) ImportUser(ctx context.Context, u backend.User, passwordHash string) (*backend.User, error) {
	if err := validateUser(&u); err != nil {
		return nil, err
	}
	if !validHash(passwordHash) {
		return nil, backend.Errorf(backend.EINVALID, "Password hash must be argon2id (PHC form) or bcrypt")
	}
	return s.insert(u, passwordHash)
}

func (s *AdminService) insert(u backend.User, hash string) (*backend.User, error) {
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
	if err != nil {
		return nil, internal(err)
	}
	out := r.user()
	return &out, nil
}

// SetPassword replaces a user's password and revokes their active refresh
// tokens: whoever knew the old password should not stay logged in.
func (s *AdminService) SetPassword(ctx context.Context, username, password string) error {
	if err := backend.ValidateCredentials(username, password); err != nil {
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
		r.PasswordHash = hash
		if err := putUser(tx, r); err != nil {
			return err
		}
		if err := noteDemoPassword(tx, r.Username, hash, password == demoPassword); err != nil {
			return err
		}
		all := func(*tokenRecord) bool { return true }
		return revokeWhere(tx, r.ID, now, backend.ClientFrom(ctx), reasonPasswordChanged, all)
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
