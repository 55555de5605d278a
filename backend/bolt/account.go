package bolt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// The signed-in person's own account (backend.OwnAccountManager): changing the
// password, and listing and ending their own sessions. The current session
// is the one the access token names (its sid claim).

var _ backend.OwnAccountManager = (*AuthService)(nil)

const (
	reasonSignedOutElsewhere = "Signed out from another session"
	// sessionHandleBytes is how much of a hash of the family ID names a
	// session in listings: enough to tell a person's sessions apart.
	sessionHandleBytes = 12
)

var (
	errWrongCurrent    = backend.Errorf(backend.EINVALID, backend.MsgWrongCurrentPassword)
	errSessionNotFound = backend.Errorf(backend.ENOTFOUND, backend.MsgSessionNotFound)
	errCurrentSession  = backend.Errorf(backend.EINVALID, backend.MsgCurrentSession)
)

// sessionHandle is how listings name a session. It is a hash of the family
// ID, so a listing shows nothing that is part of a token.
func sessionHandle(f *familyRecord) string {
	sum := sha256.Sum256(append([]byte("authdesk session\x00"), f.id...))
	return hex.EncodeToString(sum[:sessionHandleBytes])
}

// callerSession checks an access token as caller does and also returns the
// session (token family ID, as the token's sid claim has it) it belongs to.
func (s *AuthService) callerSession(accessToken string) (*userRecord, string, error) {
	u, err := s.caller(accessToken)
	if err != nil {
		return nil, "", err
	}
	_, sid, ok := verifyAccessTokenWith(s.db.keys.Load().verifier(s.db.Now()), accessToken, s.db.Now)
	if !ok { // caller just accepted it; only a clock step could get here
		return nil, "", errUnauthorized
	}
	return u, sid, nil
}

// ChangePassword replaces the holder's password once current is right. Like
// a login, it is refused while the account is throttled (before any hashing)
// and a wrong current password counts as a failed login, so a stolen access
// token buys no more guesses than the login page gives. On success the
// throttle is cleared and every other session of the person ends (refresh
// and access tokens alike); the calling session goes on.
func (s *AuthService) ChangePassword(ctx context.Context, accessToken, current, newPassword string) error {
	u, sid, err := s.callerSession(accessToken)
	if err != nil {
		return err
	}
	switch {
	case current == "":
		return backend.Errorf(backend.EINVALID, backend.MsgCurrentPasswordRequired)
	case len(current) > backend.MaxPasswordBytes:
		return backend.Errorf(backend.EINVALID, "Password must be at most %d bytes", backend.MaxPasswordBytes)
	}
	if err := backend.ValidateNewPassword(newPassword); err != nil {
		return err
	} else if newPassword == current {
		return backend.Errorf(backend.EINVALID, backend.MsgSamePassword)
	}

	tkey := userThrottleKey(u)
	now := s.db.Now().UTC()
	leave, err := s.db.enterThrottle(tkey, now)
	if err != nil {
		return err
	}
	defer leave()
	match, _, err := s.db.verifyPassword(ctx, u.PasswordHash, current)
	if err != nil {
		return internal(err)
	} else if !match {
		if err := s.db.recordFailure(tkey, now); err != nil {
			return internal(err)
		}
		return errWrongCurrent
	}
	hash, err := s.db.hashPassword(ctx, newPassword)
	if err != nil {
		return internal(err)
	}

	by := backend.ClientFrom(ctx)
	var refused error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		cur, err := findUserByID(tx, u.ID)
		if err != nil {
			return err
		}
		f, err := findSession(tx, sid)
		if err != nil {
			return err
		}
		switch {
		case cur == nil || f == nil || f.User != u.ID || !f.alive(now):
			refused = errUnauthorized // removed, or signed out meanwhile
			return nil
		case cur.PasswordHash != u.PasswordHash:
			// Changed by someone else while we were hashing: the current
			// password we checked is no longer the current one.
			refused = backend.Errorf(backend.ECONFLICT, "Your password was changed meanwhile; enter the new current password")
			return nil
		}
		if err := writePassword(tx, cur, hash, false); err != nil {
			return err
		}
		_, err = revokeOtherFamilies(tx, u.ID, f.id, now, by, reasonPasswordChanged)
		return err
	})
	s.db.demo.invalidate()
	if err != nil {
		return internal(err)
	}
	return refused
}

// revokeOtherFamilies ends every live session of uid except keep, and says
// how many it ended.
func revokeOtherFamilies(tx *bolt.Tx, uid uint64, keep []byte, now time.Time, by, reason string) (int, error) {
	n := 0
	err := eachFamily(tx, uid, func(f *familyRecord) error {
		if !f.alive(now) || string(f.id) == string(keep) {
			return nil
		}
		f.revoke(now, by, reason)
		n++
		return saveFamily(tx, f)
	})
	return n, err
}

// MySessions lists the holder's active sessions: the current one first,
// then the others, most recently used first.
func (s *AuthService) MySessions(ctx context.Context, accessToken string) ([]backend.SessionInfo, error) {
	u, sid, err := s.callerSession(accessToken)
	if err != nil {
		return nil, err
	}
	now := s.db.Now().UTC()
	out := []backend.SessionInfo{}
	err = s.db.db.View(func(tx *bolt.Tx) error {
		return eachFamily(tx, u.ID, func(f *familyRecord) error {
			if f.active(now) {
				out = append(out, sessionInfo(f, f.sessionID() == sid))
			}
			return nil
		})
	})
	if err != nil {
		return nil, internal(err)
	}
	slices.SortStableFunc(out, func(a, b backend.SessionInfo) int {
		switch {
		case a.Current != b.Current:
			if a.Current {
				return -1
			}
			return 1
		}
		return lastUsed(b).Compare(lastUsed(a))
	})
	return out, nil
}

func lastUsed(s backend.SessionInfo) time.Time {
	if s.LastRefreshed.IsZero() {
		return s.Started
	}
	return s.LastRefreshed
}

func sessionInfo(f *familyRecord, current bool) backend.SessionInfo {
	info := backend.SessionInfo{
		ID:        sessionHandle(f),
		Client:    f.IssuedBy,
		UserAgent: f.UserAgent,
		Started:   f.Started,
		Expires:   minTime(f.Expires, f.Ends),
		Current:   current,
	}
	if f.Issued.After(f.Started) {
		info.LastRefreshed = f.Issued
	}
	if info.Client == "" {
		info.Client = backend.ClientDesktop
	}
	return info
}

// SignOutSession ends one of the holder's other sessions, named as
// MySessions names it. Another person's session, an ended one and a made-up
// ID all look the same: ENOTFOUND.
func (s *AuthService) SignOutSession(ctx context.Context, accessToken, id string) error {
	u, sid, err := s.callerSession(accessToken)
	if err != nil {
		return err
	}
	if len(id) != 2*sessionHandleBytes {
		return errSessionNotFound
	}
	now := s.db.Now().UTC()
	by := backend.ClientFrom(ctx)
	var refused error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		refused = errSessionNotFound
		return eachFamily(tx, u.ID, func(f *familyRecord) error {
			if refused != errSessionNotFound || !f.active(now) || sessionHandle(f) != id {
				return nil
			}
			if f.sessionID() == sid {
				refused = errCurrentSession
				return nil
			}
			refused = nil
			f.revoke(now, by, reasonSignedOutElsewhere)
			return saveFamily(tx, f)
		})
	})
	if err != nil {
		return internal(err)
	}
	return refused
}

// SignOutOtherSessions ends every session of the holder but the current one.
func (s *AuthService) SignOutOtherSessions(ctx context.Context, accessToken string) (int, error) {
	u, sid, err := s.callerSession(accessToken)
	if err != nil {
		return 0, err
	}
	keep, _ := hex.DecodeString(sid)
	now := s.db.Now().UTC()
	var n int
	err = s.db.db.Update(func(tx *bolt.Tx) (err error) {
		n, err = revokeOtherFamilies(tx, u.ID, keep, now, backend.ClientFrom(ctx), reasonSignedOutElsewhere)
		return err
	})
	if err != nil {
		return 0, internal(err)
	}
	return n, nil
}
