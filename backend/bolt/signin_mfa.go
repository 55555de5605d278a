package bolt

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/authdesk/authdesk/backend"
	bolt "go.etcd.io/bbolt"
)

// The second factor inside the login flow and its management by the
// signed-in person (docs/MFA.md): the code step of a sign-in, and the
// token-authorised calls the session layer and the served API use. Every
// wrong code counts toward the account's throttle, exactly like a wrong
// password, and a throttled account has no code looked at.

// secondFactor is the DB's one MFAService (one challenge table).
func (db *DB) secondFactor() *MFAService { return NewMFAService(db) }

// challengeFor starts the code step for u (the record as stored) and
// returns it as the error Authenticate gives.
func (s *MFAService) challengeFor(u *userRecord) error {
	ch, err := s.beginChallenge(u)
	if err != nil {
		return err
	}
	return &backend.MFARequired{Challenge: ch.ID, Expires: ch.Expires}
}

// userThrottleKey is the throttle counter a login with u's name uses.
func userThrottleKey(u *userRecord) []byte {
	key, err := usernameKey(u.Username)
	if err != nil {
		key = legacyUsernameKey(u.Username)
	}
	return throttleKey(key)
}

// AuthenticateMFA is the code step: a TOTP code or a recovery code for a
// challenge that Authenticate gave. A correct code starts the session, in the
// transaction that uses the code up, and clears the account's failure count.
// A wrong code is counted as a failed login; after mfa.MaxAttempts of them
// the challenge is over. A throttled account is refused before the code is
// looked at, without spending an attempt.
func (s *AuthService) AuthenticateMFA(ctx context.Context, challenge, code string) (*backend.Grant, error) {
	now := s.db.Now().UTC()
	client := backend.ClientFrom(ctx)
	var grant *backend.Grant
	var tkey []byte
	_, err := s.db.secondFactor().verifyChallenge(ctx, challenge, code, challengeHooks{
		gate: func(tx *bolt.Tx, uid uint64) error {
			u, err := findUserByID(tx, uid)
			if err != nil {
				return internal(err)
			} else if u == nil {
				return nil // verifyChallenge ends the challenge
			} else if isDisabled(tx, uid) {
				return errDisabled
			}
			tkey = userThrottleKey(u)
			th, err := getThrottle(tx, tkey)
			if err != nil {
				return internal(err)
			} else if wait := th.wait(now); wait > 0 {
				return tooMany(wait)
			}
			return nil
		},
		then: func(tx *bolt.Tx, u *userRecord) error {
			if err := clearThrottle(tx, tkey); err != nil {
				return err
			}
			token, fam, err := startFamily(tx, s.db.refreshKey, u.ID, now, s.db.opts.RefreshTTL, s.db.opts.SessionLifetime, client, backend.UserAgentFrom(ctx))
			if err != nil {
				return err
			}
			if err := tidyFamilies(tx, u.ID, now, s.db.opts.MaxSessions, client); err != nil {
				return err
			}
			grant, err = s.db.grant(u, token, fam, now)
			return err
		},
	})
	if backend.IsWrongCode(err) && tkey != nil {
		if ferr := s.db.recordFailure(tkey, now); ferr != nil {
			return nil, internal(ferr)
		}
	}
	if err != nil {
		return nil, err
	}
	return grant, nil
}

// withCodeGate runs a management call that checks a code for the holder of
// accessToken: refused while the account is throttled (a stolen access token
// must not buy unlimited guesses), and a wrong code is counted.
func (s *AuthService) withCodeGate(accessToken string, fn func(userID string) error) error {
	u, err := s.caller(accessToken)
	if err != nil {
		return err
	}
	tkey := userThrottleKey(u)
	now := s.db.Now().UTC()
	leave, err := s.db.enterThrottle(tkey, now)
	if err != nil {
		return err
	}
	defer leave()
	err = fn(strconv.FormatUint(u.ID, 10))
	if backend.IsWrongCode(err) {
		if ferr := s.db.recordFailure(tkey, now); ferr != nil {
			return internal(ferr)
		}
	}
	return err
}

// SecondFactorStatus says whether the holder of accessToken has a second factor.
func (s *AuthService) SecondFactorStatus(ctx context.Context, accessToken string) (*backend.SecondFactorStatus, error) {
	u, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	st, err := s.db.secondFactor().Status(ctx, strconv.FormatUint(u.ID, 10))
	if err != nil {
		return nil, err
	}
	return &backend.SecondFactorStatus{Enabled: st.Enabled, Since: st.Since, RecoveryCodesLeft: st.RecoveryCodesLeft}, nil
}

// BeginSecondFactor makes a pending secret for the holder of accessToken.
func (s *AuthService) BeginSecondFactor(ctx context.Context, accessToken string) (*backend.SecondFactorSetup, error) {
	u, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	}
	key, err := s.db.secondFactor().BeginEnrolment(ctx, strconv.FormatUint(u.ID, 10))
	if err != nil {
		return nil, err
	}
	return &backend.SecondFactorSetup{Secret: key.Secret, URI: key.URI}, nil
}

// ConfirmSecondFactor turns the pending secret on with a current code.
func (s *AuthService) ConfirmSecondFactor(ctx context.Context, accessToken, code string) ([]string, error) {
	var codes []string
	err := s.withCodeGate(accessToken, func(id string) (err error) {
		codes, err = s.db.secondFactor().ConfirmEnrolment(ctx, id, code)
		return err
	})
	return codes, err
}

// DisableSecondFactor turns the second factor off with a code.
func (s *AuthService) DisableSecondFactor(ctx context.Context, accessToken, code string) error {
	return s.withCodeGate(accessToken, func(id string) error {
		return s.db.secondFactor().Disable(ctx, id, code)
	})
}

// NewRecoveryCodes replaces the recovery codes; it takes a code.
func (s *AuthService) NewRecoveryCodes(ctx context.Context, accessToken, code string) ([]string, error) {
	var codes []string
	err := s.withCodeGate(accessToken, func(id string) (err error) {
		codes, err = s.db.secondFactor().RegenerateRecoveryCodes(ctx, id, code)
		return err
	})
	return codes, err
}

// admin returns the caller when it is an admin.
func (s *AuthService) admin(accessToken string) (*userRecord, error) {
	u, err := s.caller(accessToken)
	if err != nil {
		return nil, err
	} else if u.Role != backend.RoleAdmin {
		return nil, errUnauthorized
	}
	return u, nil
}

// UsersWithSecondFactor lists, for an admin, the IDs of the users who have a
// second factor on, in ascending order.
func (s *AuthService) UsersWithSecondFactor(ctx context.Context, accessToken string) ([]string, error) {
	if _, err := s.admin(accessToken); err != nil {
		return nil, err
	}
	set, err := s.db.secondFactor().UsersWithMFA(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		x, _ := strconv.ParseUint(a, 10, 64)
		y, _ := strconv.ParseUint(b, 10, 64)
		return cmp.Compare(x, y)
	})
	return ids, nil
}

// ResetSecondFactor turns userID's second factor off for an admin, without a
// code (the users page). It reports whether there was one.
func (s *AuthService) ResetSecondFactor(ctx context.Context, accessToken, userID string) (bool, error) {
	if _, err := s.admin(accessToken); err != nil {
		return false, err
	}
	uid, ok := parseUserID(userID)
	var had bool
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		u, err := findUserByID(tx, uid)
		if err != nil {
			return err
		} else if !ok || u == nil {
			return backend.Errorf(backend.ENOTFOUND, backend.MsgUserNotFound)
		}
		r, err := getMFA(tx, uid)
		if err != nil {
			return err
		}
		had = r.active()
		return deleteMFA(tx, uid)
	})
	if err != nil {
		return false, internal(err)
	}
	return had, nil
}
