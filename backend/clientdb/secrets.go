package clientdb

import (
	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// The file side of the secret store: when no system keyring is usable, a
// backend's secret (its refresh token) is kept here, in its own bucket, one
// entry per backend ID. The file is owner-only (0600 in a 0700 folder); that
// is all that protects it, which is why the keyring comes first.

var bucketSecrets = []byte("secrets")

// secretFormat starts every stored value, so the layout can change later and
// an empty secret is still a present value.
const secretFormat byte = 1

// GetSecret returns the secret kept for backendID; found is false if none.
func (db *DB) GetSecret(backendID string) (secret string, found bool, err error) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	err = db.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSecrets)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(backendID))
		if v == nil {
			return nil
		}
		if len(v) == 0 || v[0] != secretFormat {
			return backend.Errorf(backend.EINTERNAL,
				"%s: the saved sign-in for %q is in a format this AuthDesk does not read. Nothing was changed.", db.path, backendID)
		}
		secret, found = string(v[1:]), true
		return nil
	})
	return secret, found, err
}

// PutSecret keeps secret for backendID, replacing any earlier one. It returns
// once the data is on disk.
func (db *DB) PutSecret(backendID, secret string) error {
	if backendID == "" {
		return backend.Errorf(backend.EINVALID, "A saved secret needs a backend ID")
	}
	v := make([]byte, 0, 1+len(secret))
	v = append(append(v, secretFormat), secret...)
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSecrets)
		if err != nil {
			return db.wrapTxErr(err)
		}
		return db.wrapTxErr(b.Put([]byte(backendID), v))
	})
}

// DeleteSecret removes backendID's secret and then compacts the file, so the
// secret's bytes do not linger in the pages bbolt freed. Deleting what is not
// there is not an error and rewrites nothing.
func (db *DB) DeleteSecret(backendID string) error {
	var deleted bool
	err := func() error {
		db.mu.RLock()
		defer db.mu.RUnlock()
		return db.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketSecrets)
			if b == nil || b.Get([]byte(backendID)) == nil {
				return nil
			}
			deleted = true
			return db.wrapTxErr(b.Delete([]byte(backendID)))
		})
	}()
	if err != nil || !deleted {
		return err
	}
	return db.Compact()
}
