package bolt

import (
	"context"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// AuthService is the embedded backend.Authenticator.
type AuthService struct {
	db *DB
}

var (
	_ backend.Authenticator      = (*AuthService)(nil)
	_ backend.DemoAccountChecker = (*AuthService)(nil)
)

// NewAuthService returns the Authenticator over an open DB.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

var (
	errBadCredentials = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	errInvalidToken   = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	errUnauthorized   = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgUnauthorized)
)

// Authenticate checks the password and starts a new token family. The slow
// hash check runs outside any transaction so logins do not hold the write lock.
func (s *AuthService) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	if err := backend.ValidateCredentials(username, password); err != nil {
		return nil, err
	}
	var u *userRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		u, err = findUserByName(tx, username)
		return err
	}); err != nil {
		return nil, internal(err)
	}
	stored := s.db.dummyHash // unknown users cost the same as a wrong password
	if u != nil {
		stored = u.PasswordHash
	}
	match, rehash, err := s.db.verifyPassword(ctx, stored, password)
	if err != nil {
		return nil, internal(err)
	} else if !match || u == nil {
		return nil, errBadCredentials
	}
	var newHash string
	if rehash { // bcrypt import or old parameters: upgrade while we know the password
		if newHash, err = s.db.hashPassword(ctx, password); err != nil {
			return nil, internal(err)
		}
	}

	now := s.db.Now().UTC()
	client := backend.ClientFrom(ctx)
	var grant *backend.Grant
	var refused error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		cur, err := findUserByID(tx, u.ID)
		if err != nil {
			return err
		}
		// Removed, or the password changed while we were hashing.
		if cur == nil || cur.PasswordHash != u.PasswordHash {
			refused = errBadCredentials
			return nil
		}
		if newHash != "" {
			cur.PasswordHash = newHash
			if err := putUser(tx, cur); err != nil {
				return err
			}
		}
		family, err := newFamily()
		if err != nil {
			return err
		}
		token, rec, err := insertToken(tx, cur.ID, family, now, s.db.opts.RefreshTTL, client)
		if err != nil {
			return err
		}
		if err := purgeTokens(tx, cur.ID, now); err != nil {
			return err
		}
		grant, err = s.db.grant(cur, token, rec, now)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return grant, refused
}

// Refresh rotates a refresh token in one transaction: the presented token is
// revoked as replaced and its successor issued in the same family, so two
// concurrent refreshes cannot both rotate it.
//
// A revoked token is a sign of theft (the thief or the owner is replaying a
// used token), so its whole family is revoked. The one exception is a client
// that rotated, died before saving the answer, and retries within graceWindow
// with the token it still has: if that token's successor is the family's
// current active token, a fresh successor is issued and the current one is
// revoked as replaced, so exactly one chain stays alive.
func (s *AuthService) Refresh(ctx context.Context, refreshToken string) (*backend.Grant, error) {
	hash, ok := parseRefreshToken(refreshToken)
	if !ok {
		return nil, errInvalidToken
	}
	now := s.db.Now().UTC()
	client := backend.ClientFrom(ctx)
	var grant *backend.Grant
	var refused error
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		rec, err := findToken(tx, hash)
		if err != nil {
			return err
		} else if rec == nil {
			refused = errInvalidToken
			return nil
		}
		replaced := rec // the token this rotation uses up
		switch {
		case rec.revoked():
			cur, err := graceSuccessor(tx, rec, now)
			if err != nil {
				return err
			} else if cur == nil {
				refused = errInvalidToken
				// Committed despite the refusal: the family must stay dead.
				return revokeFamily(tx, rec.User, rec.Family, now, client, reasonReuse)
			}
			replaced = cur
		case !rec.active(now):
			refused = errInvalidToken
			return nil
		}
		u, err := findUserByID(tx, rec.User)
		if err != nil {
			return err
		} else if u == nil {
			refused = errInvalidToken
			return nil
		}
		token, next, err := insertToken(tx, u.ID, rec.Family, now, s.db.opts.RefreshTTL, client)
		if err != nil {
			return err
		}
		replaced.revoke(now, client, reasonReplaced, next.hash)
		if err := saveToken(tx, replaced); err != nil {
			return err
		}
		if replaced != rec {
			// Keep the presented token pointing at the live successor, so a
			// retry within its (unchanged) window is still recognised. Its
			// revocation time stays, so the window cannot be stretched.
			rec.ReplacedBy = next.hash
			if err := saveToken(tx, rec); err != nil {
				return err
			}
		}
		if err := purgeTokens(tx, u.ID, now); err != nil {
			return err
		}
		grant, err = s.db.grant(u, token, next, now)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return grant, refused
}

// graceSuccessor returns the family's current token if rec was replaced by it
// less than graceWindow ago, else nil.
func graceSuccessor(tx *bolt.Tx, rec *tokenRecord, now time.Time) (*tokenRecord, error) {
	if rec.Reason != reasonReplaced || rec.ReplacedBy == nil || !now.Before(rec.Revoked.Add(graceWindow)) {
		return nil, nil
	}
	cur, err := findToken(tx, rec.ReplacedBy)
	if err != nil || cur == nil || !cur.active(now) {
		return nil, err
	}
	return cur, nil
}

// Revoke ends a refresh token without replacement. Users may revoke their own
// tokens; admins any. A token that is not the caller's looks the same to a
// non-admin whether or not it exists.
func (s *AuthService) Revoke(ctx context.Context, accessToken, refreshToken string) error {
	caller, err := s.caller(accessToken)
	if err != nil {
		return err
	}
	if refreshToken == "" {
		return backend.Errorf(backend.EINVALID, "Token is required")
	}
	hash, ok := parseRefreshToken(refreshToken)
	now := s.db.Now().UTC()
	var refused error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		var rec *tokenRecord
		if ok {
			var err error
			if rec, err = findToken(tx, hash); err != nil {
				return err
			}
		}
		switch {
		case caller.Role != backend.RoleAdmin && (rec == nil || rec.User != caller.ID):
			refused = errUnauthorized
		case rec == nil || !rec.active(now):
			refused = backend.Errorf(backend.EINVALID, backend.MsgInvalidToken)
		default:
			rec.revoke(now, backend.ClientFrom(ctx), reasonRevoked, nil)
			return saveToken(tx, rec)
		}
		return nil
	})
	if err != nil {
		return internal(err)
	}
	return refused
}

// ListUsers returns all users to an admin and only themself to anyone else.
func (s *AuthService) ListUsers(ctx context.Context, accessToken string) ([]backend.User, error) {
	caller, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	if caller.Role != backend.RoleAdmin {
		return []backend.User{caller.user()}, nil
	}
	var users []backend.User
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		users, err = allUsers(tx)
		return err
	}); err != nil {
		return nil, internal(err)
	}
	return users, nil
}

// GetUser returns a user to themself or an admin. A non-admin asking for
// someone else is refused whether or not that user exists.
func (s *AuthService) GetUser(ctx context.Context, accessToken, id string) (*backend.User, error) {
	caller, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	uid, ok := parseUserID(id)
	if ok && uid == caller.ID {
		u := caller.user()
		return &u, nil
	} else if caller.Role != backend.RoleAdmin {
		return nil, errUnauthorized
	}
	var r *userRecord
	if ok {
		if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
			r, err = findUserByID(tx, uid)
			return err
		}); err != nil {
			return nil, internal(err)
		}
	}
	if r == nil {
		return nil, backend.Errorf(backend.ENOTFOUND, backend.MsgUserNotFound)
	}
	u := r.user()
	return &u, nil
}

// RefreshTokens lists a user's refresh tokens, oldest first, for the served
// API's GET /users/{id}/refresh-tokens; the same rules as GetUser apply.
func (s *AuthService) RefreshTokens(ctx context.Context, accessToken, id string) ([]backend.RefreshTokenRecord, error) {
	u, err := s.GetUser(ctx, accessToken, id)
	if err != nil {
		return nil, err
	}
	uid, _ := parseUserID(u.ID)
	var out []backend.RefreshTokenRecord
	err = s.db.db.View(func(tx *bolt.Tx) error {
		tokens, err := userTokens(tx, uid)
		for _, t := range tokens {
			out = append(out, t.domain())
		}
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return out, nil
}

// UserFromAccessToken returns the user an access token belongs to, as stored
// now (so a changed role applies at once). For the served API's middleware.
func (s *AuthService) UserFromAccessToken(ctx context.Context, accessToken string) (*backend.User, error) {
	r, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	u := r.user()
	return &u, nil
}

// caller checks an access token and loads its user. A token for a removed
// user is refused like an invalid one.
func (s *AuthService) caller(accessToken string) (*userRecord, error) {
	uid, ok := verifyAccessToken(s.db.signingKey, accessToken, s.db.Now)
	if !ok {
		return nil, errUnauthorized
	}
	var r *userRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		r, err = findUserByID(tx, uid)
		return err
	}); err != nil {
		return nil, internal(err)
	} else if r == nil {
		return nil, errUnauthorized
	}
	return r, nil
}

// grant assembles what the client receives after login or refresh.
func (db *DB) grant(u *userRecord, refreshToken string, rec *tokenRecord, now time.Time) (*backend.Grant, error) {
	access, exp, err := signAccessToken(db.signingKey, u.ID, now, db.opts.AccessTTL)
	if err != nil {
		return nil, err
	}
	return &backend.Grant{
		User:           u.user(),
		AccessToken:    access,
		AccessExpires:  exp,
		RefreshToken:   refreshToken,
		RefreshExpires: rec.Expires,
	}, nil
}

// internal wraps a storage failure; the cause goes to the log, not the person.
func internal(err error) error {
	if err == nil {
		return nil
	} else if _, ok := err.(*backend.Error); ok {
		return err
	}
	return backend.Wrap(backend.EINTERNAL, err, "The embedded backend failed")
}
