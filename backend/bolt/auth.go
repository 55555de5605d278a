package bolt

import (
	"bytes"
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
	_ backend.Authenticator       = (*AuthService)(nil)
	_ backend.DemoAccountChecker  = (*AuthService)(nil)
	_ backend.SecondFactorLogin   = (*AuthService)(nil)
	_ backend.SecondFactorManager = (*AuthService)(nil)
	_ backend.SecondFactorAdmin   = (*AuthService)(nil)
)

// NewAuthService returns the Authenticator over an open DB.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

var (
	errBadCredentials = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgBadCredentials)
	errInvalidToken   = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgInvalidToken)
	errUnauthorized   = backend.Errorf(backend.EUNAUTHORIZED, backend.MsgUnauthorized)
)

// Authenticate checks the password and starts a new session (token family).
// For an account with a second factor it starts no session: the error is a
// *backend.MFARequired with the challenge for AuthenticateMFA.
// An account that is throttled (throttle.go) is refused before any hashing;
// the slow hash check runs outside any transaction and in a bounded queue
// (password.go), so logins neither hold the write lock nor pile up.
func (s *AuthService) Authenticate(ctx context.Context, username, password string) (*backend.Grant, error) {
	if err := backend.ValidateCredentials(username, password); err != nil {
		return nil, err
	}
	nameKey, err := usernameKey(username)
	if err != nil {
		// Not a name anyone could register now, but schema 1 may hold one:
		// look it up as schema 1 did, and treat it like any other name.
		nameKey = legacyUsernameKey(username)
	}
	tkey := throttleKey(nameKey)
	now := s.db.Now().UTC()
	// Enter before reading the counter: a check still running is counted
	// here, one that has left has recorded its failure (see attemptGate).
	running := s.db.gate.enter(tkey)
	defer s.db.gate.leave(tkey)
	var u *userRecord
	var th *throttleRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		if u, err = findUserByKey(tx, nameKey); err != nil {
			return err
		}
		th, err = getThrottle(tx, tkey)
		return err
	}); err != nil {
		return nil, internal(err)
	}
	// Known and unknown names alike: no hashing while the name waits, and
	// only as many simultaneous checks as it has failures left.
	if wait := th.wait(now); wait > 0 {
		return nil, tooMany(wait)
	} else if !th.allows(running) {
		return nil, tooMany(time.Second)
	}
	stored := s.db.dummyHash // unknown users cost the same as a wrong password
	if u != nil {
		stored = u.PasswordHash
	}
	match, rehash, err := s.db.verifyPassword(ctx, stored, password)
	if err != nil {
		return nil, internal(err)
	} else if !match || u == nil {
		if err := s.db.recordFailure(tkey, now); err != nil {
			return nil, internal(err)
		}
		return nil, errBadCredentials
	}
	var newHash string
	if rehash { // bcrypt import or old parameters: upgrade while we know the password
		if newHash, err = s.db.hashPassword(ctx, password); err != nil {
			return nil, internal(err)
		}
	}

	client := backend.ClientFrom(ctx)
	var grant *backend.Grant
	var refused error
	var needsCode *userRecord // the record as written, when a second factor is on
	// Batch: concurrent logins share a commit. The function may run twice,
	// so it sets every result afresh and writes only through tx.
	err = s.db.batch(func(tx *bolt.Tx) error {
		grant, refused, needsCode = nil, nil, nil
		cur, err := findUserByID(tx, u.ID)
		if err != nil {
			return err
		}
		// Removed, or the password changed while we were hashing.
		if cur == nil || cur.PasswordHash != u.PasswordHash {
			refused = errBadCredentials
			return nil
		}
		if isDisabled(tx, cur.ID) { // the password was right: say why (manage.go)
			refused = errDisabled
			return nil
		}
		if newHash != "" {
			cur.PasswordHash = newHash
			if err := putUser(tx, cur); err != nil {
				return err
			}
		}
		// A second factor: no tokens yet, and the failure count stays (only
		// a correct code clears it; see signin_mfa.go).
		if f, err := getMFA(tx, cur.ID); err != nil {
			return err
		} else if f.active() {
			needsCode = cur
			return nil
		}
		if err := clearThrottle(tx, tkey); err != nil {
			return err
		}
		token, fam, err := startFamily(tx, s.db.refreshKey, cur.ID, now, s.db.opts.RefreshTTL, s.db.opts.SessionLifetime, client, backend.UserAgentFrom(ctx))
		if err != nil {
			return err
		}
		if err := tidyFamilies(tx, cur.ID, now, s.db.opts.MaxSessions, client); err != nil {
			return err
		}
		grant, err = s.db.grant(cur, token, fam, now)
		return err
	})
	if err != nil {
		return nil, internal(err)
	} else if needsCode != nil {
		return nil, s.db.secondFactor().challengeFor(needsCode)
	}
	return grant, refused
}

// Refresh rotates a refresh token (see tokens.go for the scheme):
//   - the family's current token rotates to its child, which becomes current;
//   - the token just replaced, within graceWindow of that rotation, gets the
//     same child again (tabs refreshing at once, a retry of a lost answer),
//     and the window does not move;
//   - any other genuine token of the family is a used one: theft or a replay,
//     so the whole family is revoked and the session ends.
//
// Concurrent rotations share commits (bbolt's Batch); each is answered only
// after its commit is on disk.
func (s *AuthService) Refresh(ctx context.Context, refreshToken string) (*backend.Grant, error) {
	p, ok := parseRefreshToken(s.db.refreshKey, refreshToken)
	if !ok {
		return nil, errInvalidToken
	}
	now := s.db.Now().UTC()
	client := backend.ClientFrom(ctx)
	var grant *backend.Grant
	var refused error
	err := s.db.batch(func(tx *bolt.Tx) error {
		grant, refused = nil, nil // Batch may run this more than once
		f, err := findFamilyOf(tx, p)
		if err != nil {
			return err
		} else if f == nil || !f.alive(now) {
			refused = errInvalidToken
			return nil
		}
		var token string
		switch {
		case bytes.Equal(p.hash, f.Current):
			if !now.Before(f.Expires) {
				refused = errInvalidToken
				return nil
			}
			var hash []byte
			token, hash = childToken(s.db.refreshKey, f.id, p.raw)
			f.rotate(hash, now, s.db.opts.RefreshTTL, client)
			if err := saveFamily(tx, f); err != nil {
				return err
			}
		case bytes.Equal(p.hash, f.Parent) && now.Before(f.Issued.Add(graceWindow)):
			var hash []byte
			token, hash = childToken(s.db.refreshKey, f.id, p.raw)
			if !bytes.Equal(hash, f.Current) || !now.Before(f.Expires) {
				refused = errInvalidToken
				return nil
			}
		default:
			refused = errInvalidToken
			// Committed despite the refusal: the family must stay dead.
			f.revoke(now, client, reasonReuse)
			return saveFamily(tx, f)
		}
		u, err := findUserByID(tx, f.User)
		if err != nil {
			return err
		} else if u == nil || isDisabled(tx, u.ID) {
			refused = errInvalidToken
			return nil
		}
		grant, err = s.db.grant(u, token, f, now)
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return grant, refused
}

// Revoke ends a refresh token without replacement, and with it its session:
// the session's access tokens stop working too. Users may revoke their own
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
	p, ok := parseRefreshToken(s.db.refreshKey, refreshToken)
	now := s.db.Now().UTC()
	var refused error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		var f *familyRecord
		if ok {
			var err error
			if f, err = findFamilyOf(tx, p); err != nil {
				return err
			}
		}
		switch {
		case caller.Role != backend.RoleAdmin && (f == nil || f.User != caller.ID):
			refused = errUnauthorized
		case f == nil || !bytes.Equal(f.Current, p.hash) || !f.active(now):
			refused = backend.Errorf(backend.EINVALID, backend.MsgInvalidToken)
		default:
			f.revoke(now, backend.ClientFrom(ctx), reasonRevoked)
			return saveFamily(tx, f)
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

// RefreshTokens lists a user's refresh tokens, oldest session first, for the
// served API's GET /users/{id}/refresh-tokens: the first DefaultTokenPage of
// them. The same rules as GetUser apply. RefreshTokenPage reads further.
func (s *AuthService) RefreshTokens(ctx context.Context, accessToken, id string) ([]backend.RefreshTokenRecord, error) {
	out, _, err := s.RefreshTokenPage(ctx, accessToken, id, 0, "")
	return out, err
}

// RefreshTokenPage returns up to limit token records (0 means
// DefaultTokenPage, at most MaxTokenPage) after cursor ("" for the first
// page), and the cursor of the next page, "" after the last. Each session
// shows its current token and the one that token replaced.
func (s *AuthService) RefreshTokenPage(ctx context.Context, accessToken, id string, limit int, cursor string) ([]backend.RefreshTokenRecord, string, error) {
	switch {
	case limit == 0:
		limit = DefaultTokenPage
	case limit < 0 || limit > MaxTokenPage:
		return nil, "", backend.Errorf(backend.EINVALID, "limit must be between 1 and %d", MaxTokenPage)
	}
	u, err := s.GetUser(ctx, accessToken, id)
	if err != nil {
		return nil, "", err
	}
	uid, _ := parseUserID(u.ID)
	var out []backend.RefreshTokenRecord
	var next string
	err = s.db.db.View(func(tx *bolt.Tx) (err error) {
		out, next, err = tokenPage(tx, uid, limit, cursor)
		return err
	})
	if err != nil {
		return nil, "", internal(err)
	}
	return out, next, nil
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
// user, or from a session that has ended (logout, revocation, a password
// change, the session lifetime), is refused like an invalid one: two lookups
// by key, whatever the number of sessions or users.
func (s *AuthService) caller(accessToken string) (*userRecord, error) {
	uid, sid, ok := verifyAccessTokenWith(s.db.keys.Load().verifier(s.db.Now()), accessToken, s.db.Now)
	if !ok {
		return nil, errUnauthorized
	}
	now := s.db.Now().UTC()
	var r *userRecord
	if err := s.db.db.View(func(tx *bolt.Tx) (err error) {
		if r, err = findUserByID(tx, uid); err != nil || r == nil {
			return err
		}
		f, err := findSession(tx, sid)
		if err != nil {
			return err
		} else if f == nil || f.User != uid || !f.alive(now) {
			r = nil
		}
		return nil
	}); err != nil {
		return nil, internal(err)
	} else if r == nil {
		return nil, errUnauthorized
	}
	return r, nil
}

// grant assembles what the client receives after login or refresh. No
// token outlives the session's absolute end.
func (db *DB) grant(u *userRecord, refreshToken string, f *familyRecord, now time.Time) (*backend.Grant, error) {
	ttl := min(db.opts.AccessTTL, f.Ends.Sub(now))
	access, exp, err := signAccessToken(db.keys.Load().current, u.ID, f.sessionID(), now, ttl)
	if err != nil {
		return nil, err
	}
	return &backend.Grant{
		User:           u.user(),
		AccessToken:    access,
		AccessExpires:  exp,
		RefreshToken:   refreshToken,
		RefreshExpires: f.Expires,
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
