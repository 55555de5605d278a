package bolt

import (
	"context"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// An admin's account management through an access token (the window's Users
// page and the served API's admin routes). The rules that keep the data
// usable live here, inside the write transaction that changes it: nobody
// removes or disables themself, and the last enabled admin is never removed,
// disabled or made a User.

var _ backend.TokenUserAdmin = (*AuthService)(nil)

// bucketDisabled holds the IDs of disabled accounts (value: when). It is
// made on the first disable; no bucket means nobody is disabled.
var bucketDisabled = []byte("disabled")

// reasonDisabled is what an ended session's record says after a disable.
const reasonDisabled = "Account disabled"

var errDisabled = backend.Errorf(backend.EUNAUTHORIZED, "This account is disabled. Ask an administrator to enable it.")

func isDisabled(tx *bolt.Tx, uid uint64) bool {
	b := tx.Bucket(bucketDisabled)
	return b != nil && b.Get(itob(uid)) != nil
}

func setDisabled(tx *bolt.Tx, uid uint64, disabled bool, now time.Time) error {
	if !disabled {
		if b := tx.Bucket(bucketDisabled); b != nil {
			return b.Delete(itob(uid))
		}
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bucketDisabled)
	if err != nil {
		return err
	}
	return b.Put(itob(uid), []byte(now.UTC().Format(time.RFC3339)))
}

// accountsAdmin returns the caller when it is an admin.
func (s *AuthService) accountsAdmin(accessToken string) (*userRecord, error) {
	c, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	} else if c.Role != backend.RoleAdmin {
		return nil, backend.Errorf(backend.EUNAUTHORIZED, "Only administrators manage accounts")
	}
	return c, nil
}

// CreateUser adds an account. First and last name are required.
func (s *AuthService) CreateUser(ctx context.Context, accessToken string, nu backend.NewUser) (*backend.User, error) {
	if _, err := s.accountsAdmin(accessToken); err != nil {
		return nil, err
	}
	if err := backend.CheckNames(nu.FirstName, nu.LastName); err != nil {
		return nil, err
	}
	u := backend.User{Username: nu.Username, FirstName: nu.FirstName, LastName: nu.LastName, Role: nu.Role}
	given := u.Username
	if err := validateUser(&u); err != nil {
		return nil, err
	}
	if err := backend.ValidateNewPassword(nu.Password); err != nil {
		return nil, err
	}
	hash, err := s.db.hashPassword(ctx, nu.Password)
	if err != nil {
		return nil, internal(err)
	}
	return (&AdminService{db: s.db}).insert(u, given, hash)
}

// target loads the account id names, inside a write transaction.
func target(tx *bolt.Tx, id string) (*userRecord, error) {
	uid, ok := parseUserID(id)
	var r *userRecord
	if ok {
		var err error
		if r, err = findUserByID(tx, uid); err != nil {
			return nil, err
		}
	}
	if r == nil {
		return nil, backend.Errorf(backend.ENOTFOUND, backend.MsgUserNotFound)
	}
	return r, nil
}

// otherEnabledAdmin reports whether an enabled admin other than uid exists.
func otherEnabledAdmin(tx *bolt.Tx, uid uint64) (bool, error) {
	c := tx.Bucket(bucketUsers).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		r, err := decodeUser(v)
		if err != nil {
			return false, err
		}
		if r.ID != uid && r.Role == backend.RoleAdmin && !isDisabled(tx, r.ID) {
			return true, nil
		}
	}
	return false, nil
}

func lastAdmin(r *userRecord) error {
	return backend.Errorf(backend.ECONFLICT, "%s is the last administrator; make someone else an administrator first", r.Username)
}

// UpdateUser changes names, role and the disabled state. Disabling ends the
// person's sessions at once: their refresh tokens and access tokens stop
// working, and they cannot log in until enabled again.
func (s *AuthService) UpdateUser(ctx context.Context, accessToken, id string, ch backend.UserChanges) (*backend.UserEntry, error) {
	me, err := s.accountsAdmin(accessToken)
	if err != nil {
		return nil, err
	}
	if ch.Role != nil && !ch.Role.Valid() {
		return nil, backend.Errorf(backend.EINVALID, "Role must be %q or %q", backend.RoleAdmin, backend.RoleUser)
	}
	now := s.db.Now().UTC()
	var out backend.UserEntry
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := target(tx, id)
		if err != nil {
			return err
		}
		first, last := r.FirstName, r.LastName
		if ch.FirstName != nil {
			first = *ch.FirstName
		}
		if ch.LastName != nil {
			last = *ch.LastName
		}
		if ch.FirstName != nil || ch.LastName != nil {
			if err := backend.CheckNames(first, last); err != nil {
				return err
			}
		}
		wasDisabled := isDisabled(tx, r.ID)
		disabled, role := wasDisabled, r.Role
		if ch.Disabled != nil {
			disabled = *ch.Disabled
		}
		if ch.Role != nil {
			role = *ch.Role
		}
		if disabled && !wasDisabled && r.ID == me.ID {
			return backend.Errorf(backend.ECONFLICT, "You cannot disable your own account")
		}
		// An enabled admin stops being one: someone else must remain.
		if r.Role == backend.RoleAdmin && !wasDisabled && (role != backend.RoleAdmin || disabled) {
			if ok, err := otherEnabledAdmin(tx, r.ID); err != nil {
				return err
			} else if !ok {
				return lastAdmin(r)
			}
		}
		r.FirstName, r.LastName, r.Role = first, last, role
		if err := putUser(tx, r); err != nil {
			return err
		}
		if disabled != wasDisabled {
			if err := setDisabled(tx, r.ID, disabled, now); err != nil {
				return err
			}
		}
		if disabled && !wasDisabled {
			if err := revokeUserFamilies(tx, r.ID, now, backend.ClientFrom(ctx), reasonDisabled); err != nil {
				return err
			}
		}
		out = backend.UserEntry{User: r.user()}
		return fillAdminState(tx, &out, now)
	})
	if err != nil {
		return nil, internal(err)
	}
	return &out, nil
}

// ResetPassword sets someone else's password (your own is changed on the
// Account page, which asks for the current one), clears their failed-login
// count and ends their sessions.
func (s *AuthService) ResetPassword(ctx context.Context, accessToken, id, password string) error {
	me, err := s.accountsAdmin(accessToken)
	if err != nil {
		return err
	}
	if err := backend.ValidateNewPassword(password); err != nil {
		return err
	}
	if uid, ok := parseUserID(id); ok && uid == me.ID {
		return backend.Errorf(backend.ECONFLICT, "Change your own password on your account page")
	}
	hash, err := s.db.hashPassword(ctx, password)
	if err != nil {
		return internal(err)
	}
	now := s.db.Now().UTC()
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := target(tx, id)
		if err != nil {
			return err
		}
		if err := writePassword(tx, r, hash, password == demoPassword); err != nil {
			return err
		}
		return revokeUserFamilies(tx, r.ID, now, backend.ClientFrom(ctx), reasonPasswordChanged)
	})
	s.db.demo.invalidate()
	return internal(err)
}

// UnlockUser clears the account's failed-login count: its next login is
// checked at once.
func (s *AuthService) UnlockUser(ctx context.Context, accessToken, id string) error {
	if _, err := s.accountsAdmin(accessToken); err != nil {
		return err
	}
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := target(tx, id)
		if err != nil {
			return err
		}
		return clearUserThrottle(tx, r)
	})
	return internal(err)
}

// RemoveUser deletes an account with its sessions and second factor.
func (s *AuthService) RemoveUser(ctx context.Context, accessToken, id string) error {
	me, err := s.accountsAdmin(accessToken)
	if err != nil {
		return err
	}
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		r, err := target(tx, id)
		if err != nil {
			return err
		}
		if r.ID == me.ID {
			return backend.Errorf(backend.ECONFLICT, "You cannot remove your own account")
		}
		if r.Role == backend.RoleAdmin && !isDisabled(tx, r.ID) {
			if ok, err := otherEnabledAdmin(tx, r.ID); err != nil {
				return err
			} else if !ok {
				return lastAdmin(r)
			}
		}
		return deleteUser(tx, r)
	})
	s.db.demo.invalidate()
	return internal(err)
}
