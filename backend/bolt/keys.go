package bolt

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// Access tokens name the key that signed them in their header ("kid"), so
// the signing key can be replaced (`authdesk keys rotate`) without ending the
// access tokens already out: a key that is no longer current still verifies
// its own tokens until the last of them has expired, and is then dropped. A
// kid that names no key in use is refused without trying any key.
//
// The current key stays where it always was (meta/jwtKey); the retiring keys
// are a JSON list at meta/jwtKeysRetiring. A key's ID is derived from it (a
// hash prefix), so nothing else is stored.

var keyJWTRetiring = []byte("jwtKeysRetiring")

// keyIDBytes of SHA-256 make a key's ID: enough to tell keys apart, far too
// little to learn anything about the key.
const keyIDBytes = 9

// keyID is the kid of tokens key signs.
func keyID(key []byte) string {
	sum := sha256.Sum256(key)
	return base64.RawURLEncoding.EncodeToString(sum[:keyIDBytes])
}

// retiringKey is a former signing key and when its last token expires.
type retiringKey struct {
	Key    []byte    `json:"key"`
	Retire time.Time `json:"retire"`
}

// signingKeys is the key in use and the retiring ones; replaced whole on
// rotation, so readers need no lock.
type signingKeys struct {
	current  []byte
	id       string
	retiring []retiringKey
}

func newSigningKeys(current []byte, retiring []retiringKey) *signingKeys {
	return &signingKeys{current: current, id: keyID(current), retiring: retiring}
}

// verifier returns the key for a token's kid at now, or nil. A token without
// a kid was issued before tokens carried one: only the current key is tried.
func (k *signingKeys) verifier(now time.Time) func(kid string) []byte {
	return func(kid string) []byte {
		if kid == "" || kid == k.id {
			return k.current
		}
		for _, r := range k.retiring {
			if keyID(r.Key) == kid && now.Before(r.Retire) {
				return r.Key
			}
		}
		return nil
	}
}

// loadSigningKeys reads the keys inside Open's transaction, dropping retiring
// keys whose tokens have all expired.
func (db *DB) loadSigningKeys(meta *bolt.Bucket, path string, current []byte, now time.Time) error {
	retiring, err := decodeRetiring(meta.Get(keyJWTRetiring))
	if err != nil {
		return damaged(path, fmt.Errorf("retiring signing keys: %w", err))
	}
	kept := live(retiring, now)
	if len(kept) != len(retiring) {
		if err := putRetiring(meta, kept); err != nil {
			return err
		}
	}
	db.keys.Store(newSigningKeys(current, kept))
	return nil
}

func decodeRetiring(v []byte) ([]retiringKey, error) {
	if v == nil {
		return nil, nil
	}
	var list []retiringKey
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, err
	}
	for _, r := range list {
		if len(r.Key) != 32 {
			return nil, errors.New("a key is not 32 bytes")
		}
	}
	return list, nil
}

func putRetiring(meta *bolt.Bucket, list []retiringKey) error {
	if len(list) == 0 {
		return meta.Delete(keyJWTRetiring)
	}
	v, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return meta.Put(keyJWTRetiring, v)
}

// live keeps the retiring keys that still have tokens out at now.
func live(list []retiringKey, now time.Time) []retiringKey {
	var kept []retiringKey
	for _, r := range list {
		if now.Before(r.Retire) {
			kept = append(kept, r)
		}
	}
	return kept
}

// KeyRotation is what RotateSigningKey did.
type KeyRotation struct {
	NewKeyID string    // signs every access token from now on
	OldKeyID string    // the key it replaced
	OldUntil time.Time // the replaced key verifies its tokens until then, and is then dropped
	Dropped  int       // retiring keys whose tokens had all expired, removed now
}

// RotateSigningKey makes a new random key sign access tokens from now on.
// The key it replaces keeps verifying the tokens it signed until they have
// expired (the access token lifetime, plus the clock leeway, from now) and
// is then dropped. Refresh tokens are not affected: sessions go on.
func (db *DB) RotateSigningKey(ctx context.Context) (KeyRotation, error) {
	if err := ctx.Err(); err != nil {
		return KeyRotation{}, err
	}
	now := db.Now().UTC()
	next := make([]byte, 32) // 256 bits for HS256
	if _, err := rand.Read(next); err != nil {
		return KeyRotation{}, backend.Wrap(backend.EINTERNAL, err, "Could not make a new signing key")
	}
	var res KeyRotation
	var keys *signingKeys
	err := db.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		old := append([]byte(nil), meta.Get(keyJWTKey)...)
		if len(old) != 32 {
			return damaged(db.db.Path(), errors.New("signing key missing"))
		}
		retiring, err := decodeRetiring(meta.Get(keyJWTRetiring))
		if err != nil {
			return damaged(db.db.Path(), fmt.Errorf("retiring signing keys: %w", err))
		}
		kept := live(retiring, now)
		res = KeyRotation{NewKeyID: keyID(next), OldKeyID: keyID(old),
			OldUntil: now.Add(db.opts.AccessTTL + tokenLeeway).Truncate(time.Second).Add(time.Second),
			Dropped:  len(retiring) - len(kept)}
		kept = append(kept, retiringKey{Key: old, Retire: res.OldUntil})
		if err := meta.Put(keyJWTKey, next); err != nil {
			return err
		}
		if err := putRetiring(meta, kept); err != nil {
			return err
		}
		keys = newSigningKeys(next, kept)
		return nil
	})
	if err != nil {
		if backend.ErrorCode(err) != "" {
			return KeyRotation{}, err
		}
		return KeyRotation{}, backend.Wrap(backend.EINTERNAL, err, "Could not save the new signing key")
	}
	db.keys.Store(keys)
	return res, nil
}
