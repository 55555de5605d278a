package bolt

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Schema 1 kept every refresh token as its own record (tokens, user_tokens/ID)
// and indexed usernames in lower case. migrateV1 moves a schema-1 file to
// schema 2 in the opening transaction:
//
//   - the username index is rebuilt with usernameKey (PRECIS); a user whose
//     name PRECIS refuses, or whose normalised name another user already has,
//     keeps the lower-case key, so every existing user can still log in;
//   - each active refresh token becomes a session (family) whose current
//     token it is, found through legacy_tokens by its hash; used and expired
//     tokens are dropped (presenting one is then simply an invalid token).
var (
	bucketV1Tokens     = []byte("tokens")
	bucketV1UserTokens = []byte("user_tokens")
)

// v1Token is schema 1's token record (JSON).
type v1Token struct {
	User      uint64    `json:"user"`
	Family    string    `json:"family"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
	CreatedBy string    `json:"createdBy"`
	Revoked   time.Time `json:"revoked,omitzero"`
}

func (db *DB) migrateV1(tx *bolt.Tx) error {
	if err := rebuildUsernameIndex(tx); err != nil {
		return err
	}
	now := db.Now().UTC()
	if parent := tx.Bucket(bucketV1UserTokens); parent != nil {
		err := parent.ForEachBucket(func(uid []byte) error {
			return parent.Bucket(uid).ForEach(func(k, v []byte) error {
				var t v1Token
				if len(k) != 8+32 || json.Unmarshal(v, &t) != nil {
					return nil // unreadable: dropped like a used token
				}
				if !t.Revoked.IsZero() || !now.Before(t.Expires) {
					return nil
				}
				return migrateV1Token(tx, t, k[8:], db.opts.SessionLifetime)
			})
		})
		if err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketV1UserTokens); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketV1Tokens) != nil {
		return tx.DeleteBucket(bucketV1Tokens)
	}
	return nil
}

func migrateV1Token(tx *bolt.Tx, t v1Token, hash []byte, lifetime time.Duration) error {
	id, err := hex.DecodeString(t.Family)
	if err != nil || len(id) != familyIDBytes {
		return nil
	}
	if tx.Bucket(bucketFamilies).Get(id) != nil {
		return nil // one live token per family; a second would be a bug of schema 1
	}
	f := &familyRecord{
		User: t.User, Started: t.Created, Ends: t.Created.Add(lifetime),
		Current: bytes.Clone(hash), Issued: t.Created, Expires: t.Expires, IssuedBy: t.CreatedBy, id: id,
	}
	if err := saveFamily(tx, f); err != nil {
		return err
	}
	b, err := userFamilies(tx, t.User, true)
	if err != nil {
		return err
	}
	if err := b.Put(f.userKey(), nil); err != nil {
		return err
	}
	return tx.Bucket(bucketLegacyTokens).Put(hash, id)
}

// rebuildUsernameIndex re-keys every user with usernameKey, in ID order so
// the older account keeps a contested name.
func rebuildUsernameIndex(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketUsernames); err != nil {
		return err
	}
	names, err := tx.CreateBucket(bucketUsernames)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		r, err := decodeUser(v)
		if err != nil {
			return err
		}
		key, err := usernameKey(r.Username)
		if err != nil || names.Get(key) != nil {
			key = legacyUsernameKey(r.Username)
		}
		if names.Get(key) != nil {
			return nil // schema 1 could not hold this either
		}
		return names.Put(key, bytes.Clone(k))
	})
}

// tidyLegacyTokens, run at every open, forgets migrated tokens that no longer
// matter: their session is gone, or it has rotated twice since, so the token
// is neither its current nor its replaced one. (Presenting such a token is
// then an invalid token rather than detected reuse.)
func tidyLegacyTokens(tx *bolt.Tx) error {
	b := tx.Bucket(bucketLegacyTokens)
	var stale [][]byte
	err := b.ForEach(func(hash, id []byte) error {
		f, err := findFamily(tx, id)
		if err != nil {
			return err
		}
		if f == nil || (!bytes.Equal(f.Current, hash) && !bytes.Equal(f.Parent, hash)) {
			stale = append(stale, bytes.Clone(hash))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
