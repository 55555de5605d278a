package bolt

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

const (
	refreshTokenBytes = 32
	// graceWindow lets a client that died before saving a rotation's answer
	// try once more with the token it still has (the one grace for every
	// backend, which the session manager's timing is built around).
	graceWindow = backend.RefreshGrace
	// purgeAfter is how long inactive tokens are kept for the admin views.
	purgeAfter = 2 * 24 * time.Hour

	reasonReplaced        = "Replaced by new token"
	reasonReuse           = "Attempted reuse of revoked ancestor token"
	reasonRevoked         = "Revoked without replacement"
	reasonPasswordChanged = "Password changed"
)

// tokenRecord is a stored refresh token. The token itself is never stored,
// only its SHA-256, so a copy of backend.db cannot be used to log in.
type tokenRecord struct {
	User       uint64    `json:"user"`
	Family     string    `json:"family"`
	Created    time.Time `json:"created"`
	Expires    time.Time `json:"expires"`
	CreatedBy  string    `json:"createdBy"`
	Revoked    time.Time `json:"revoked,omitzero"`
	RevokedBy  string    `json:"revokedBy,omitempty"`
	ReplacedBy []byte    `json:"replacedBy,omitempty"` // hash of the successor
	Reason     string    `json:"reason,omitempty"`

	hash []byte // SHA-256 of the token; the index key
	key  []byte // key in the user's token bucket: created + hash
}

func (r *tokenRecord) revoked() bool             { return !r.Revoked.IsZero() }
func (r *tokenRecord) active(now time.Time) bool { return !r.revoked() && now.Before(r.Expires) }

func (r *tokenRecord) revoke(now time.Time, by, reason string, replacedBy []byte) {
	r.Revoked, r.RevokedBy, r.Reason, r.ReplacedBy = now, by, reason, replacedBy
}

// domain returns the record for admin views; Token is a prefix of the hash,
// enough to tell tokens apart and useless for logging in.
func (r *tokenRecord) domain() backend.RefreshTokenRecord {
	return backend.RefreshTokenRecord{
		Token:         tokenID(r.hash),
		Family:        r.Family,
		Created:       r.Created,
		Expires:       r.Expires,
		CreatedBy:     r.CreatedBy,
		Revoked:       r.Revoked,
		RevokedBy:     r.RevokedBy,
		ReplacedBy:    tokenID(r.ReplacedBy),
		ReasonRevoked: r.Reason,
	}
}

func tokenID(hash []byte) string {
	if len(hash) == 0 {
		return ""
	}
	return hex.EncodeToString(hash[:8])
}

// newRefreshToken returns a random token for the client and its hash for us.
func newRefreshToken() (token string, hash []byte, err error) {
	raw := make([]byte, refreshTokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(raw), sum[:], nil
}

// parseRefreshToken returns the hash of a well-formed token. Only the exact
// encoding we hand out is accepted, so one token has one spelling.
func parseRefreshToken(token string) (hash []byte, ok bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(refreshTokenBytes) {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != refreshTokenBytes {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}

func newFamily() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// userTokenBucket returns the bucket of one user's tokens, creating it if asked.
func userTokenBucket(tx *bolt.Tx, uid uint64, create bool) (*bolt.Bucket, error) {
	parent := tx.Bucket(bucketUserTokens)
	if create {
		return parent.CreateBucketIfNotExists(itob(uid))
	}
	return parent.Bucket(itob(uid)), nil
}

// insertToken issues a refresh token for uid in family.
func insertToken(tx *bolt.Tx, uid uint64, family string, now time.Time, ttl time.Duration, by string) (string, *tokenRecord, error) {
	token, hash, err := newRefreshToken()
	if err != nil {
		return "", nil, err
	}
	r := &tokenRecord{User: uid, Family: family, Created: now, Expires: now.Add(ttl), CreatedBy: by, hash: hash}
	r.key = binary.BigEndian.AppendUint64(nil, uint64(now.UnixNano()))
	r.key = append(r.key, hash...)
	if err := tx.Bucket(bucketTokens).Put(hash, append(itob(uid), r.key...)); err != nil {
		return "", nil, err
	}
	return token, r, saveToken(tx, r)
}

func saveToken(tx *bolt.Tx, r *tokenRecord) error {
	b, err := userTokenBucket(tx, r.User, true)
	if err != nil {
		return err
	}
	buf, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put(r.key, buf)
}

// findToken returns nil, nil for an unknown hash.
func findToken(tx *bolt.Tx, hash []byte) (*tokenRecord, error) {
	ref := tx.Bucket(bucketTokens).Get(hash)
	if len(ref) != 8+8+sha256.Size {
		return nil, nil
	}
	b, err := userTokenBucket(tx, binary.BigEndian.Uint64(ref), false)
	if err != nil || b == nil {
		return nil, err
	}
	key := bytes.Clone(ref[8:])
	v := b.Get(key)
	if v == nil {
		return nil, nil
	}
	return decodeToken(key, v)
}

func decodeToken(key, v []byte) (*tokenRecord, error) {
	var r tokenRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, err
	}
	r.key = bytes.Clone(key)
	r.hash = r.key[8:]
	return &r, nil
}

// userTokens returns a user's tokens, oldest first.
func userTokens(tx *bolt.Tx, uid uint64) ([]*tokenRecord, error) {
	b, err := userTokenBucket(tx, uid, false)
	if err != nil || b == nil {
		return nil, err
	}
	var out []*tokenRecord
	err = b.ForEach(func(k, v []byte) error {
		r, err := decodeToken(k, v)
		out = append(out, r)
		return err
	})
	return out, err
}

// revokeWhere revokes the active tokens of user uid for which match is true.
func revokeWhere(tx *bolt.Tx, uid uint64, now time.Time, by, reason string, match func(*tokenRecord) bool) error {
	tokens, err := userTokens(tx, uid)
	if err != nil {
		return err
	}
	for _, r := range tokens {
		if r.revoked() || !match(r) {
			continue
		}
		r.revoke(now, by, reason, nil)
		if err := saveToken(tx, r); err != nil {
			return err
		}
	}
	return nil
}

// revokeFamily ends every token descended from one login.
func revokeFamily(tx *bolt.Tx, uid uint64, family string, now time.Time, by, reason string) error {
	return revokeWhere(tx, uid, now, by, reason, func(r *tokenRecord) bool { return r.Family == family })
}

// purgeTokens deletes the user's inactive tokens created more than purgeAfter
// ago. Keys start with the creation time, so the scan stops at the first token
// too young to purge.
func purgeTokens(tx *bolt.Tx, uid uint64, now time.Time) error {
	b, err := userTokenBucket(tx, uid, false)
	if err != nil || b == nil {
		return err
	}
	cutoff := uint64(now.Add(-purgeAfter).UnixNano())
	index := tx.Bucket(bucketTokens)
	c := b.Cursor()
	for k, v := c.First(); k != nil && binary.BigEndian.Uint64(k) <= cutoff; {
		r, err := decodeToken(k, v)
		if err != nil {
			return err
		}
		if r.active(now) {
			k, v = c.Next()
			continue
		}
		if err := index.Delete(r.hash); err != nil {
			return err
		}
		// Cursor.Delete leaves the cursor on the following item's slot;
		// re-seek to the same key, which now finds the next one.
		if err := c.Delete(); err != nil {
			return err
		}
		k, v = c.Seek(r.key)
	}
	return nil
}

// deleteAllTokens removes a user's tokens and their index entries.
func deleteAllTokens(tx *bolt.Tx, uid uint64) error {
	b, err := userTokenBucket(tx, uid, false)
	if err != nil || b == nil {
		return err
	}
	index := tx.Bucket(bucketTokens)
	if err := b.ForEach(func(k, _ []byte) error { return index.Delete(k[8:]) }); err != nil {
		return err
	}
	return tx.Bucket(bucketUserTokens).DeleteBucket(itob(uid))
}
