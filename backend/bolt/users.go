package bolt

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// userRecord is a user as stored: the domain fields plus the password hash,
// which never leaves this package.
type userRecord struct {
	ID           uint64
	Username     string
	FirstName    string
	LastName     string
	Role         backend.Role
	Created      time.Time
	PasswordHash string
}

func (r *userRecord) user() backend.User {
	return backend.User{
		ID:        strconv.FormatUint(r.ID, 10),
		Username:  r.Username,
		FirstName: r.FirstName,
		LastName:  r.LastName,
		Role:      r.Role,
		Created:   r.Created,
	}
}

// itob encodes an ID big-endian so bbolt's byte order is numeric order.
func itob(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// parseUserID accepts only the canonical decimal form, so "007" and "7" do not
// both name user 7.
func parseUserID(s string) (uint64, bool) {
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id != 0 && strconv.FormatUint(id, 10) == s
}

// usernameKey is the username index's key for name: its PRECIS
// UsernameCaseMapped form (backend.NormalizeUsername), so "Alice", "ALICE"
// and a full-width "Ａｌｉｃｅ" are one account. Every path that writes or
// reads the index (add, import, login, migration) goes through here. A name
// that cannot be normalised is EINVALID.
func usernameKey(name string) ([]byte, error) {
	n, err := backend.NormalizeUsername(name)
	if err != nil {
		return nil, err
	}
	return []byte(n), nil
}

// legacyUsernameKey is schema 1's key (lower case), kept for existing users
// whose names PRECIS refuses, so they can still log in.
func legacyUsernameKey(name string) []byte { return []byte(strings.ToLower(name)) }

func findUserByID(tx *bolt.Tx, id uint64) (*userRecord, error) {
	v := tx.Bucket(bucketUsers).Get(itob(id))
	if v == nil {
		return nil, nil
	}
	return decodeUser(v)
}

// findUserByName returns nil, nil when there is no such user.
func findUserByName(tx *bolt.Tx, name string) (*userRecord, error) {
	key, err := usernameKey(name)
	if err != nil {
		key = legacyUsernameKey(name)
	}
	return findUserByKey(tx, key)
}

// findUserByKey looks up an index key from usernameKey.
func findUserByKey(tx *bolt.Tx, key []byte) (*userRecord, error) {
	id := tx.Bucket(bucketUsernames).Get(key)
	if len(id) != 8 {
		return nil, nil
	}
	return findUserByID(tx, binary.BigEndian.Uint64(id))
}

// insertUser stores a new user with the next ID. A taken username (in any
// case or width) is ECONFLICT.
func insertUser(tx *bolt.Tx, r *userRecord) (*userRecord, error) {
	key, err := usernameKey(r.Username)
	if err != nil {
		return nil, err
	}
	names := tx.Bucket(bucketUsernames)
	if names.Get(key) != nil {
		return nil, backend.Errorf(backend.ECONFLICT, "Username %q is already taken", r.Username)
	}
	users := tx.Bucket(bucketUsers)
	id, err := users.NextSequence()
	if err != nil {
		return nil, err
	}
	r.ID = id
	if err := names.Put(key, itob(id)); err != nil {
		return nil, err
	}
	return r, putUser(tx, r)
}

// putUser overwrites an existing user's record (the username must not change).
func putUser(tx *bolt.Tx, r *userRecord) error {
	return tx.Bucket(bucketUsers).Put(itob(r.ID), encodeUser(r))
}

// deleteUser removes the user, the name index entry, their sessions, their
// second factor and their login counter.
func deleteUser(tx *bolt.Tx, r *userRecord) error {
	if err := deleteUserFamilies(tx, r.ID); err != nil {
		return err
	}
	if err := deleteMFA(tx, r.ID); err != nil {
		return err
	}
	if err := setDisabled(tx, r.ID, false, time.Time{}); err != nil {
		return err
	}
	names := tx.Bucket(bucketUsernames)
	for _, key := range indexKeys(r.Username) {
		if id := names.Get(key); len(id) == 8 && binary.BigEndian.Uint64(id) == r.ID {
			if err := names.Delete(key); err != nil {
				return err
			}
			if err := clearThrottle(tx, throttleKey(key)); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bucketUsers).Delete(itob(r.ID))
}

// indexKeys are the keys under which a user may be indexed: the normalised
// one and, for users from schema 1, the lower-cased one.
func indexKeys(name string) [][]byte {
	keys := [][]byte{legacyUsernameKey(name)}
	if k, err := usernameKey(name); err == nil && !bytes.Equal(k, keys[0]) {
		keys = append(keys, k)
	}
	return keys
}

// allUsers returns every user in ID order.
func allUsers(tx *bolt.Tx) ([]backend.User, error) {
	b := tx.Bucket(bucketUsers)
	// The sequence bounds the count; it saves regrowing a large slice.
	users := make([]backend.User, 0, min(b.Sequence(), 1<<16))
	err := b.ForEach(func(_, v []byte) error {
		r, err := decodeUser(v)
		if err != nil {
			return err
		}
		users = append(users, r.user())
		return nil
	})
	return users, err
}
