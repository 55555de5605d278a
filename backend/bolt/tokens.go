package bolt

import (
	"bytes"
	"crypto/hmac"
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

// Refresh tokens belong to a family: one login's chain of rotations. The
// store keeps one record per family, never one per token, so the records a
// user can make are bounded by the session cap however fast they rotate:
//
//   - A token is family ID (16 bytes) + body (32) + tag (16), base64url. The
//     tag is an HMAC under the server's refresh secret over family and body,
//     so a token names its family by an index lookup and cannot be made up.
//   - The first body is random; each rotation's child body is an HMAC of the
//     parent token under the same secret. Only SHA-256 hashes are stored, so
//     a copy of backend.db cannot derive a child: that needs the parent itself.
//   - The family record holds the hash of its current token and of the one it
//     replaced. A genuine token of the family that is neither is a used one:
//     reuse, and the family is revoked. No used token needs to be kept.
//   - Within graceWindow of a rotation, the replaced token rotates again to the
//     same child, so concurrent refreshes (browser tabs, a retry of a lost
//     answer) all get the one live token. The window counts from the first
//     rotation and replays do not move it.
const (
	familyIDBytes     = 16
	tokenBodyBytes    = 32
	tokenTagBytes     = 16
	refreshTokenBytes = familyIDBytes + tokenBodyBytes + tokenTagBytes
	// legacyTokenBytes is schema 1's random token; active ones were migrated.
	legacyTokenBytes = 32

	// graceWindow lets concurrent or retried refreshes with the token just
	// replaced receive the same successor.
	graceWindow = backend.RefreshGrace
	// purgeAfter is how long ended sessions stay listed for the admin views.
	purgeAfter = 2 * 24 * time.Hour

	// DefaultMaxSessions is how many active sessions (token families) one user
	// may have; a login beyond it signs the oldest out.
	DefaultMaxSessions = 50
	// DefaultSessionLifetime is how long a login lasts however often it is
	// refreshed; after it the person signs in again.
	DefaultSessionLifetime = 30 * 24 * time.Hour

	// Token listings are paged; a page holds at most this many records.
	DefaultTokenPage = 100
	MaxTokenPage     = 1000

	reasonReplaced        = "Replaced by new token"
	reasonReuse           = "Attempted reuse of revoked ancestor token"
	reasonRevoked         = "Revoked without replacement"
	reasonPasswordChanged = "Password changed"
	reasonSessionLimit    = "Signed out: too many sessions"
)

var (
	labelTag   = []byte("authdesk refresh tag\x00")
	labelChild = []byte("authdesk refresh child\x00")
)

// familyRecord is one login's session as stored.
type familyRecord struct {
	User     uint64    `json:"user"`
	Started  time.Time `json:"started"` // the login
	Ends     time.Time `json:"ends"`    // the absolute end: Started + session lifetime
	Current  []byte    `json:"current"` // SHA-256 of the live token
	Issued   time.Time `json:"issued"`  // when Current was issued; the grace counts from here
	Expires  time.Time `json:"expires"` // Current's expiry
	IssuedBy string    `json:"issuedBy"`
	// UserAgent is the browser or program that logged in (account.go).
	UserAgent string `json:"userAgent,omitempty"`

	// The token Current replaced, for the grace window and the listing.
	Parent         []byte    `json:"parent,omitempty"`
	ParentIssued   time.Time `json:"parentIssued,omitzero"`
	ParentExpires  time.Time `json:"parentExpires,omitzero"`
	ParentIssuedBy string    `json:"parentIssuedBy,omitempty"`

	Revoked   time.Time `json:"revoked,omitzero"`
	RevokedBy string    `json:"revokedBy,omitempty"`
	Reason    string    `json:"reason,omitempty"`

	id []byte // family ID, the key in bucketFamilies
}

func (f *familyRecord) revoked() bool { return !f.Revoked.IsZero() }

// alive reports whether the session may still be used at now: access tokens
// naming it are accepted and its current token refreshes.
func (f *familyRecord) alive(now time.Time) bool { return !f.revoked() && now.Before(f.Ends) }

func (f *familyRecord) active(now time.Time) bool { return f.alive(now) && now.Before(f.Expires) }

// endedAt is when the session stopped being active, for the purge.
func (f *familyRecord) endedAt() time.Time {
	end := f.Expires
	if f.revoked() && f.Revoked.Before(end) {
		end = f.Revoked
	}
	return end
}

func (f *familyRecord) revoke(now time.Time, by, reason string) {
	f.Revoked, f.RevokedBy, f.Reason = now, by, reason
}

// sessionID is the family ID as access tokens carry it.
func (f *familyRecord) sessionID() string { return hex.EncodeToString(f.id) }

// userKey orders a user's families by login time.
func (f *familyRecord) userKey() []byte {
	k := binary.BigEndian.AppendUint64(nil, uint64(f.Started.UnixNano()))
	return append(k, f.id...)
}

// records returns the family's tokens for the listing, oldest first: the
// replaced one (if any) and the current one. Tokens before those are gone.
func (f *familyRecord) records() []backend.RefreshTokenRecord {
	family := f.sessionID()
	var out []backend.RefreshTokenRecord
	if f.Parent != nil {
		out = append(out, backend.RefreshTokenRecord{
			Token: tokenID(f.Parent), Family: family,
			Created: f.ParentIssued, Expires: f.ParentExpires, CreatedBy: f.ParentIssuedBy,
			Revoked: f.Issued, RevokedBy: f.IssuedBy, ReplacedBy: tokenID(f.Current), ReasonRevoked: reasonReplaced,
		})
	}
	expires := f.Expires
	if f.Ends.Before(expires) {
		expires = f.Ends
	}
	return append(out, backend.RefreshTokenRecord{
		Token: tokenID(f.Current), Family: family,
		Created: f.Issued, Expires: expires, CreatedBy: f.IssuedBy,
		Revoked: f.Revoked, RevokedBy: f.RevokedBy, ReasonRevoked: f.Reason,
	})
}

// tokenID is how listings name a token: the start of its SHA-256, enough to
// tell tokens apart and useless for logging in.
func tokenID(hash []byte) string {
	if len(hash) == 0 {
		return ""
	}
	return hex.EncodeToString(hash[:8])
}

func mac(secret []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, secret)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// encodeToken assembles a token from its family and body.
func encodeToken(secret, family, body []byte) (token string, hash []byte) {
	raw := make([]byte, 0, refreshTokenBytes)
	raw = append(raw, family...)
	raw = append(raw, body...)
	raw = append(raw, mac(secret, labelTag, family, body)[:tokenTagBytes]...)
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(raw), sum[:]
}

// childToken is the token a rotation of parent (raw bytes) hands out.
func childToken(secret, family, parentRaw []byte) (string, []byte) {
	return encodeToken(secret, family, mac(secret, labelChild, parentRaw)[:tokenBodyBytes])
}

// presented is a refresh token as a client sent it, once its form is checked.
type presented struct {
	raw    []byte
	hash   []byte // SHA-256 of raw
	family []byte // nil for a schema-1 token: found through bucketLegacyTokens
}

// parseRefreshToken accepts only the exact encodings we hand out, so one
// token has one spelling, and a new-form token only with a valid tag.
func parseRefreshToken(secret []byte, token string) (presented, bool) {
	var n int
	switch len(token) {
	case base64.RawURLEncoding.EncodedLen(refreshTokenBytes):
		n = refreshTokenBytes
	case base64.RawURLEncoding.EncodedLen(legacyTokenBytes):
		n = legacyTokenBytes
	default:
		return presented{}, false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != n {
		return presented{}, false
	}
	sum := sha256.Sum256(raw)
	p := presented{raw: raw, hash: sum[:]}
	if n == refreshTokenBytes {
		family, body, tag := raw[:familyIDBytes], raw[familyIDBytes:familyIDBytes+tokenBodyBytes], raw[familyIDBytes+tokenBodyBytes:]
		if !hmac.Equal(tag, mac(secret, labelTag, family, body)[:tokenTagBytes]) {
			return presented{}, false
		}
		p.family = family
	}
	return p, true
}

// findFamilyOf returns the family a presented token names, or nil.
func findFamilyOf(tx *bolt.Tx, p presented) (*familyRecord, error) {
	family := p.family
	if family == nil {
		family = tx.Bucket(bucketLegacyTokens).Get(p.hash)
		if family == nil {
			return nil, nil
		}
	}
	return findFamily(tx, family)
}

func findFamily(tx *bolt.Tx, id []byte) (*familyRecord, error) {
	v := tx.Bucket(bucketFamilies).Get(id)
	if v == nil {
		return nil, nil
	}
	var f familyRecord
	if err := json.Unmarshal(v, &f); err != nil {
		return nil, err
	}
	f.id = bytes.Clone(id)
	return &f, nil
}

// findSession returns the family named by an access token's session ID.
func findSession(tx *bolt.Tx, sid string) (*familyRecord, error) {
	id, err := hex.DecodeString(sid)
	if err != nil || len(id) != familyIDBytes {
		return nil, nil
	}
	return findFamily(tx, id)
}

func saveFamily(tx *bolt.Tx, f *familyRecord) error {
	buf, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketFamilies).Put(f.id, buf)
}

// userFamilies is the bucket of one user's family keys, by login time.
func userFamilies(tx *bolt.Tx, uid uint64, create bool) (*bolt.Bucket, error) {
	parent := tx.Bucket(bucketUserFamilies)
	if create {
		return parent.CreateBucketIfNotExists(itob(uid))
	}
	return parent.Bucket(itob(uid)), nil
}

// startFamily records a new session for uid and returns its first token.
func startFamily(tx *bolt.Tx, secret []byte, uid uint64, now time.Time, ttl, lifetime time.Duration, by, userAgent string) (string, *familyRecord, error) {
	id := make([]byte, familyIDBytes)
	body := make([]byte, tokenBodyBytes)
	if _, err := rand.Read(id); err != nil {
		return "", nil, err
	}
	if _, err := rand.Read(body); err != nil {
		return "", nil, err
	}
	token, hash := encodeToken(secret, id, body)
	f := &familyRecord{User: uid, Started: now, Ends: now.Add(lifetime), Current: hash, Issued: now, IssuedBy: by, UserAgent: userAgent, id: id}
	f.Expires = minTime(now.Add(ttl), f.Ends)
	if err := saveFamily(tx, f); err != nil {
		return "", nil, err
	}
	b, err := userFamilies(tx, uid, true)
	if err != nil {
		return "", nil, err
	}
	return token, f, b.Put(f.userKey(), nil)
}

// rotate makes child (with hash childHash) the family's current token.
func (f *familyRecord) rotate(childHash []byte, now time.Time, ttl time.Duration, by string) {
	f.Parent, f.ParentIssued, f.ParentExpires, f.ParentIssuedBy = f.Current, f.Issued, f.Expires, f.IssuedBy
	f.Current, f.Issued, f.IssuedBy = childHash, now, by
	f.Expires = minTime(now.Add(ttl), f.Ends)
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// eachFamily calls fn for each of uid's families, oldest login first.
func eachFamily(tx *bolt.Tx, uid uint64, fn func(*familyRecord) error) error {
	b, err := userFamilies(tx, uid, false)
	if err != nil || b == nil {
		return err
	}
	// Collect first: fn may write to the buckets being read.
	var keys [][]byte
	if err := b.ForEach(func(k, _ []byte) error { keys = append(keys, bytes.Clone(k)); return nil }); err != nil {
		return err
	}
	for _, k := range keys {
		f, err := findFamily(tx, k[8:])
		if err != nil {
			return err
		} else if f == nil {
			continue
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// revokeUserFamilies ends every live session of uid.
func revokeUserFamilies(tx *bolt.Tx, uid uint64, now time.Time, by, reason string) error {
	return eachFamily(tx, uid, func(f *familyRecord) error {
		if !f.alive(now) {
			return nil
		}
		f.revoke(now, by, reason)
		return saveFamily(tx, f)
	})
}

// tidyFamilies runs after a login: beyond max active sessions the oldest are
// signed out, and ended sessions are deleted once older than purgeAfter or
// beyond max of them, so what one user can make stays bounded.
func tidyFamilies(tx *bolt.Tx, uid uint64, now time.Time, max int, by string) error {
	var active, ended []*familyRecord
	if err := eachFamily(tx, uid, func(f *familyRecord) error {
		if f.active(now) {
			active = append(active, f)
		} else {
			ended = append(ended, f)
		}
		return nil
	}); err != nil {
		return err
	}
	for len(active) > max {
		f := active[0]
		active = active[1:]
		f.revoke(now, by, reasonSessionLimit)
		if err := saveFamily(tx, f); err != nil {
			return err
		}
		ended = append(ended, f)
	}
	cutoff := now.Add(-purgeAfter)
	for i, f := range ended {
		if f.endedAt().After(cutoff) && len(ended)-i <= max {
			continue
		}
		if err := deleteFamily(tx, f); err != nil {
			return err
		}
	}
	return nil
}

func deleteFamily(tx *bolt.Tx, f *familyRecord) error {
	if err := tx.Bucket(bucketFamilies).Delete(f.id); err != nil {
		return err
	}
	b, err := userFamilies(tx, f.User, false)
	if err != nil || b == nil {
		return err
	}
	return b.Delete(f.userKey())
}

// deleteUserFamilies removes all of uid's sessions.
func deleteUserFamilies(tx *bolt.Tx, uid uint64) error {
	if err := eachFamily(tx, uid, func(f *familyRecord) error {
		return tx.Bucket(bucketFamilies).Delete(f.id)
	}); err != nil {
		return err
	}
	if tx.Bucket(bucketUserFamilies).Bucket(itob(uid)) == nil {
		return nil
	}
	return tx.Bucket(bucketUserFamilies).DeleteBucket(itob(uid))
}

// tokenPage returns up to limit of uid's token records, oldest session first,
// starting after cursor, and the cursor of the next page ("" at the end).
// A cursor is where the next page starts: a family's key and how many of
// that family's records were returned already.
func tokenPage(tx *bolt.Tx, uid uint64, limit int, cursor string) ([]backend.RefreshTokenRecord, string, error) {
	var after []byte
	skip := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
		if err != nil || len(raw) != 8+familyIDBytes+1 {
			return nil, "", backend.Errorf(backend.EINVALID, "Invalid cursor")
		}
		after, skip = raw[:8+familyIDBytes], int(raw[8+familyIDBytes])
	}
	out := []backend.RefreshTokenRecord{}
	b, err := userFamilies(tx, uid, false)
	if err != nil || b == nil {
		return out, "", err
	}
	c := b.Cursor()
	k, _ := c.First()
	if after != nil {
		if k, _ = c.Seek(after); k != nil && !bytes.Equal(k, after) {
			skip = 0 // that family is gone: start with the next one
		}
	}
	for ; k != nil; k, _ = c.Next() {
		f, err := findFamily(tx, k[8:])
		if err != nil {
			return nil, "", err
		} else if f == nil {
			skip = 0
			continue
		}
		recs := f.records()
		for i := skip; i < len(recs); i++ {
			if len(out) == limit {
				return out, encodeCursor(k, i), nil
			}
			out = append(out, recs[i])
		}
		skip = 0
	}
	return out, "", nil
}

func encodeCursor(key []byte, done int) string {
	return base64.RawURLEncoding.EncodeToString(append(bytes.Clone(key), byte(done)))
}
