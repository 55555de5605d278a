package bolt

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/mfa"
	bolt "go.etcd.io/bbolt"
)

// Second factor (TOTP and recovery codes) in backend.db. See docs/MFA.md.
//
// Layout, added without a schema bump (the bucket appears with the first
// enrolment):
//
//	meta  "mfa_recovery_key" → 32 random bytes, the HMAC key of recovery codes
//	mfa   user ID (8-byte big-endian) → JSON mfaRecord
//
// The TOTP secret is stored as-is: backend.db is owner-only (0600) and
// already holds the JWT signing key, which grants far more than a TOTP secret
// does, so encrypting the secret under another key kept in the same file
// would protect nothing. Recovery codes are stored only as keyed hashes.

var (
	bucketMFA         = []byte("mfa")
	keyMFARecoveryKey = []byte("mfa_recovery_key")
)

// PendingEnrolmentTTL is how long a generated secret waits for its first code
// before the person has to start setting up again.
const PendingEnrolmentTTL = 15 * time.Minute

// Messages of the second-factor step.
const (
	MsgWrongCode        = "The code is not correct"
	MsgLastWrongCode    = "The code is not correct, and that was the last try; sign in again"
	MsgChallengeEnded   = "This sign-in has expired or ended; sign in again"
	MsgCodeShape        = "Enter the 6-digit code from your authenticator app, or a recovery code"
	MsgTOTPShape        = "Enter the 6-digit code from your authenticator app"
	MsgMFAAlreadyOn     = "Two-step sign-in is already on"
	MsgMFAOff           = "Two-step sign-in is not on"
	MsgEnrolmentExpired = "Setting up two-step sign-in took too long or was not started; start again"
)

// mfaRecord is one user's second factor as stored.
type mfaRecord struct {
	Secret   string    `json:"secret,omitempty"` // active TOTP secret (base32); empty while only pending
	Enabled  time.Time `json:"enabled,omitzero"`
	LastStep int64     `json:"lastStep,omitempty"` // the last TOTP step accepted: replay protection
	Recovery [][]byte  `json:"recovery,omitempty"` // keyed hashes of the unused recovery codes

	PendingSecret string    `json:"pendingSecret,omitempty"`
	PendingSince  time.Time `json:"pendingSince,omitzero"`
}

func (r *mfaRecord) active() bool { return r != nil && r.Secret != "" }

func getMFA(tx *bolt.Tx, uid uint64) (*mfaRecord, error) {
	b := tx.Bucket(bucketMFA)
	if b == nil {
		return nil, nil
	}
	v := b.Get(itob(uid))
	if v == nil {
		return nil, nil
	}
	var r mfaRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("second-factor record of user %d: %w", uid, err)
	}
	return &r, nil
}

func putMFA(tx *bolt.Tx, uid uint64, r *mfaRecord) error {
	b, err := tx.CreateBucketIfNotExists(bucketMFA)
	if err != nil {
		return err
	}
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return b.Put(itob(uid), v)
}

// deleteMFA removes a user's second factor; deleteUser calls it.
func deleteMFA(tx *bolt.Tx, uid uint64) error {
	if b := tx.Bucket(bucketMFA); b != nil {
		return b.Delete(itob(uid))
	}
	return nil
}

// recoveryKey returns the HMAC key of recovery codes, creating it on first use.
// tx must be writable.
func recoveryKey(tx *bolt.Tx) ([]byte, error) {
	meta := tx.Bucket(bucketMeta)
	if k := meta.Get(keyMFARecoveryKey); len(k) == 32 {
		return append([]byte(nil), k...), nil
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, meta.Put(keyMFARecoveryKey, k)
}

// newRecoveryCodes makes a fresh set for uid: the codes to show once, and the
// hashes to store.
func newRecoveryCodes(tx *bolt.Tx, uid uint64) ([]string, [][]byte, error) {
	key, err := recoveryKey(tx)
	if err != nil {
		return nil, nil, err
	}
	codes, err := mfa.NewRecoveryCodes()
	if err != nil {
		return nil, nil, err
	}
	owner := fmt.Sprint(uid)
	hashes := make([][]byte, len(codes))
	for i, c := range codes {
		n, _ := mfa.NormalizeRecoveryCode(c)
		hashes[i] = mfa.HashRecoveryCode(key, owner, n)
	}
	return codes, hashes, nil
}

// WrongCodeError is the cause inside the EUNAUTHORIZED error a wrong code
// gives, so the caller can count it toward the account's throttle. It is the
// domain's type (the session layer must tell it from a refused token).
type WrongCodeError = backend.WrongCodeError

// WrongCode returns the details when err is a wrong second-factor code.
func WrongCode(err error) (*WrongCodeError, bool) {
	var w *WrongCodeError
	ok := errors.As(err, &w)
	return w, ok
}

func wrongCode(uid uint64, left int) error {
	msg := MsgWrongCode
	if left == 0 {
		msg = MsgLastWrongCode
	}
	return &backend.Error{Code: backend.EUNAUTHORIZED, Message: msg,
		Err: &WrongCodeError{UserID: fmt.Sprint(uid), AttemptsLeft: left}}
}

var (
	errChallengeEnded   = backend.Errorf(backend.EUNAUTHORIZED, MsgChallengeEnded)
	errCodeShape        = backend.Errorf(backend.EINVALID, MsgCodeShape)
	errTOTPShape        = backend.Errorf(backend.EINVALID, MsgTOTPShape)
	errMFAAlreadyOn     = backend.Errorf(backend.ECONFLICT, MsgMFAAlreadyOn)
	errMFAOff           = backend.Errorf(backend.ECONFLICT, MsgMFAOff)
	errEnrolmentExpired = backend.Errorf(backend.ECONFLICT, MsgEnrolmentExpired)
	errNoUser           = backend.Errorf(backend.ENOTFOUND, backend.MsgUserNotFound)
)

// codeKind is what a typed code looks like.
type codeKind int

const (
	codeMalformed codeKind = iota
	codeTOTP
	codeRecovery
)

func classify(code string) (codeKind, string) {
	if c, ok := mfa.NormalizeCode(code); ok {
		return codeTOTP, c
	}
	if c, ok := mfa.NormalizeRecoveryCode(code); ok {
		return codeRecovery, c
	}
	return codeMalformed, ""
}

// checkCode checks a well-formed code against an active record, updating it
// (last step used, recovery code consumed) on success; the caller stores it.
func checkCode(tx *bolt.Tx, uid uint64, r *mfaRecord, kind codeKind, code string, now time.Time) (ok, usedRecovery bool, err error) {
	switch kind {
	case codeTOTP:
		step, ok := mfa.Verify(r.Secret, code, now, r.LastStep)
		if ok {
			r.LastStep = step
		}
		return ok, false, nil
	case codeRecovery:
		key, err := recoveryKey(tx)
		if err != nil {
			return false, false, err
		}
		i := mfa.MatchRecoveryCode(r.Recovery, mfa.HashRecoveryCode(key, fmt.Sprint(uid), code))
		if i < 0 {
			return false, false, nil
		}
		r.Recovery = append(r.Recovery[:i:i], r.Recovery[i+1:]...)
		return true, true, nil
	}
	return false, false, nil
}

// MFAService manages the embedded backend's second factor and runs the code
// step of a sign-in. One per DB: it holds the table of pending challenges.
type MFAService struct {
	db         *DB
	challenges *mfa.Challenges
}

// NewMFAService returns the second-factor operations over an open DB.
// It returns the DB's own service, so the password step (AuthService) and
// the code step always share the one challenge table.
func NewMFAService(db *DB) *MFAService {
	db.mfaOnce.Do(func() {
		db.mfa = &MFAService{db: db, challenges: mfa.NewChallenges(func() time.Time { return db.Now() })}
	})
	return db.mfa
}

// MFAStatus is what the Account page shows about a user's second factor.
type MFAStatus struct {
	Enabled           bool
	Since             time.Time
	RecoveryCodesLeft int
}

// Status returns userID's second-factor state.
func (s *MFAService) Status(ctx context.Context, userID string) (*MFAStatus, error) {
	uid, ok := parseUserID(userID)
	if !ok {
		return nil, errNoUser
	}
	var st MFAStatus
	err := s.db.db.View(func(tx *bolt.Tx) error {
		if u, err := findUserByID(tx, uid); err != nil {
			return err
		} else if u == nil {
			return errNoUser
		}
		r, err := getMFA(tx, uid)
		if r.active() {
			st = MFAStatus{Enabled: true, Since: r.Enabled, RecoveryCodesLeft: len(r.Recovery)}
		}
		return err
	})
	if err != nil {
		return nil, internal(err)
	}
	return &st, nil
}

// HasMFA reports whether userID signs in with a second factor.
func (s *MFAService) HasMFA(ctx context.Context, userID string) (bool, error) {
	st, err := s.Status(ctx, userID)
	if err != nil {
		return false, err
	}
	return st.Enabled, nil
}

// UsersWithMFA returns the IDs of the users who have a second factor on, for
// the users page.
func (s *MFAService) UsersWithMFA(ctx context.Context) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.db.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMFA)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var r mfaRecord
			if len(k) != 8 || json.Unmarshal(v, &r) != nil {
				return fmt.Errorf("malformed second-factor record %x", k)
			}
			// A removed user's record may remain until deleteUser drops it.
			if r.active() && tx.Bucket(bucketUsers).Get(k) != nil {
				out[fmt.Sprint(binary.BigEndian.Uint64(k))] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, internal(err)
	}
	return out, nil
}

// BeginEnrolment generates a new TOTP secret for userID and keeps it pending
// until ConfirmEnrolment sees a code from it. Starting again replaces the
// pending secret. The Key goes to the Account page (QR code and text).
func (s *MFAService) BeginEnrolment(ctx context.Context, userID string) (*mfa.Key, error) {
	uid, ok := parseUserID(userID)
	if !ok {
		return nil, errNoUser
	}
	now := s.db.Now().UTC()
	var key *mfa.Key
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		u, err := findUserByID(tx, uid)
		if err != nil {
			return err
		} else if u == nil {
			return errNoUser
		}
		r, err := getMFA(tx, uid)
		if err != nil {
			return err
		} else if r.active() {
			return errMFAAlreadyOn
		} else if r == nil {
			r = &mfaRecord{}
		}
		if key, err = mfa.NewSecret(mfa.Issuer, u.Username); err != nil {
			return err
		}
		r.PendingSecret, r.PendingSince = key.Secret, now
		return putMFA(tx, uid, r)
	})
	if err != nil {
		return nil, internal(err)
	}
	return key, nil
}

// ConfirmEnrolment turns the second factor on when code comes from the pending
// secret, and returns the 10 recovery codes: the only time they exist in
// clear. The confirming code cannot be used again to sign in.
func (s *MFAService) ConfirmEnrolment(ctx context.Context, userID, code string) ([]string, error) {
	uid, ok := parseUserID(userID)
	if !ok {
		return nil, errNoUser
	}
	if _, ok := mfa.NormalizeCode(code); !ok {
		return nil, errTOTPShape
	}
	now := s.db.Now().UTC()
	var codes []string
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		if u, err := findUserByID(tx, uid); err != nil {
			return err
		} else if u == nil {
			return errNoUser
		}
		r, err := getMFA(tx, uid)
		switch {
		case err != nil:
			return err
		case r.active():
			return errMFAAlreadyOn
		case r == nil || r.PendingSecret == "" || !now.Before(r.PendingSince.Add(PendingEnrolmentTTL)):
			return errEnrolmentExpired
		}
		step, ok := mfa.Verify(r.PendingSecret, code, now, 0)
		if !ok {
			return wrongCode(uid, -1)
		}
		codes, r.Recovery, err = newRecoveryCodes(tx, uid)
		if err != nil {
			return err
		}
		r.Secret, r.Enabled, r.LastStep = r.PendingSecret, now, step
		r.PendingSecret, r.PendingSince = "", time.Time{}
		return putMFA(tx, uid, r)
	})
	if err != nil {
		return nil, internal(err)
	}
	return codes, nil
}

// withCode runs fn on userID's active record once code (a current TOTP code or
// an unused recovery code) is accepted, and stores what fn leaves (nil: the
// record is removed), all in one transaction.
func (s *MFAService) withCode(userID, code string, fn func(tx *bolt.Tx, uid uint64, r *mfaRecord) (*mfaRecord, error)) error {
	uid, ok := parseUserID(userID)
	if !ok {
		return errNoUser
	}
	kind, c := classify(code)
	if kind == codeMalformed {
		return errCodeShape
	}
	now := s.db.Now().UTC()
	var wrong error
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		if u, err := findUserByID(tx, uid); err != nil {
			return err
		} else if u == nil {
			return errNoUser
		}
		r, err := getMFA(tx, uid)
		if err != nil {
			return err
		} else if !r.active() {
			return errMFAOff
		}
		ok, _, err := checkCode(tx, uid, r, kind, c, now)
		if err != nil {
			return err
		} else if !ok {
			wrong = wrongCode(uid, -1)
			return nil
		}
		if r, err = fn(tx, uid, r); err != nil {
			return err
		} else if r == nil {
			return deleteMFA(tx, uid)
		}
		return putMFA(tx, uid, r)
	})
	if err != nil {
		return internal(err)
	}
	return wrong
}

// Disable turns userID's second factor off; it takes a current code or a
// recovery code (someone who lost the phone signs in with a recovery code,
// turns it off and sets it up again).
func (s *MFAService) Disable(ctx context.Context, userID, code string) error {
	return s.withCode(userID, code, func(*bolt.Tx, uint64, *mfaRecord) (*mfaRecord, error) {
		return nil, nil
	})
}

// RegenerateRecoveryCodes replaces all of userID's recovery codes with 10 new
// ones, returned once; the old ones stop working. It takes a current code or
// a recovery code.
func (s *MFAService) RegenerateRecoveryCodes(ctx context.Context, userID, code string) ([]string, error) {
	var codes []string
	err := s.withCode(userID, code, func(tx *bolt.Tx, uid uint64, r *mfaRecord) (_ *mfaRecord, err error) {
		codes, r.Recovery, err = newRecoveryCodes(tx, uid)
		return r, err
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// MFAChallenge is what the password step answers for a user with a second
// factor, instead of a grant.
type MFAChallenge struct {
	ID      string
	Expires time.Time
}

// beginChallenge starts the code step for u after its password was checked.
// The challenge remembers u's password hash: if the password changes before
// the code arrives, the challenge is refused.
//
// AuthService.Authenticate calls this (instead of issuing tokens) when
// getMFA(tx, u.ID).active().
func (s *MFAService) beginChallenge(u *userRecord) (*MFAChallenge, error) {
	id, exp, retry, err := s.challenges.Begin(fmt.Sprint(u.ID), passwordStamp(u))
	if errors.Is(err, mfa.ErrFull) {
		return nil, backend.RetryAfterError(backend.EBUSY, retry, "Too many sign-ins are waiting for a code; try again in a few minutes")
	} else if err != nil {
		return nil, internal(err)
	}
	return &MFAChallenge{ID: id, Expires: exp}, nil
}

// passwordStamp identifies the password a challenge was made with, without
// keeping the hash itself in the challenge table.
func passwordStamp(u *userRecord) string {
	sum := sha256.Sum256([]byte(u.PasswordHash))
	return string(sum[:])
}

// MFASignIn is the result of a correct code at the second step.
type MFASignIn struct {
	User              backend.User
	UsedRecoveryCode  bool
	RecoveryCodesLeft int
}

// VerifyChallenge checks code (a TOTP code or a recovery code) for the
// challenge. A wrong code is an EUNAUTHORIZED error whose cause is a
// *WrongCodeError (see WrongCode): count it toward the account throttle. After
// MaxAttempts codes, expiry, a success, a password change or the second
// factor's removal the challenge is over (MsgChallengeEnded).
func (s *MFAService) VerifyChallenge(ctx context.Context, challenge, code string) (*MFASignIn, error) {
	return s.verifyChallenge(ctx, challenge, code, challengeHooks{})
}

// challengeHooks let the sign-in (AuthService.AuthenticateMFA) run its own steps inside the transaction that checks the code.
type challengeHooks struct {
	// gate runs before the code is looked at; an error refuses the attempt
	// without spending it (the account throttle: refused without checking).
	gate func(tx *bolt.Tx, uid uint64) error
	// then runs after a correct code, to start the token family atomically
	// with the code being used up.
	then func(tx *bolt.Tx, u *userRecord) error
}

// verifyChallenge is VerifyChallenge with the caller's hooks.
func (s *MFAService) verifyChallenge(ctx context.Context, challenge, code string, hooks challengeHooks) (*MFASignIn, error) {
	kind, c := classify(code)
	if kind == codeMalformed {
		return nil, errCodeShape // no attempt spent: it could never have matched
	}
	att, err := s.challenges.Attempt(challenge)
	if err != nil {
		return nil, errChallengeEnded
	}
	uid, _ := parseUserID(att.Subject)
	now := s.db.Now().UTC()
	var res *MFASignIn
	var invalid, wrong bool
	var gated error
	err = s.db.db.Update(func(tx *bolt.Tx) error {
		if hooks.gate != nil {
			if gated = hooks.gate(tx, uid); gated != nil {
				return nil
			}
		}
		u, err := findUserByID(tx, uid)
		if err != nil {
			return err
		} else if u == nil || passwordStamp(u) != att.Stamp {
			invalid = true // removed, or the password changed since
			return nil
		}
		r, err := getMFA(tx, uid)
		if err != nil {
			return err
		} else if !r.active() {
			invalid = true // turned off or reset since: sign in again
			return nil
		}
		ok, usedRecovery, err := checkCode(tx, uid, r, kind, c, now)
		if err != nil {
			return err
		} else if !ok {
			wrong = true
			return nil
		}
		if err := putMFA(tx, uid, r); err != nil {
			return err
		}
		if hooks.then != nil {
			if err := hooks.then(tx, u); err != nil {
				return err
			}
		}
		res = &MFASignIn{User: u.user(), UsedRecoveryCode: usedRecovery, RecoveryCodesLeft: len(r.Recovery)}
		return nil
	})
	switch {
	case err != nil:
		att.Release() // the check did not happen
		return nil, internal(err)
	case gated != nil:
		att.Release()
		return nil, gated
	case invalid:
		att.Invalid()
		return nil, errChallengeEnded
	case wrong:
		return nil, wrongCode(uid, att.Failed())
	}
	att.Succeeded()
	return res, nil
}

// ResetMFA turns off username's second factor without a code, for an admin
// (the users page, `authdesk users mfa-reset`). It reports whether there was
// one; a pending enrolment is dropped too.
func (s *AdminService) ResetMFA(ctx context.Context, username string) (bool, error) {
	if username == "" {
		return false, backend.Errorf(backend.EINVALID, "Username is required")
	}
	var had bool
	err := s.db.db.Update(func(tx *bolt.Tx) error {
		u, err := findUserByName(tx, username)
		if err != nil {
			return err
		} else if u == nil {
			return backend.Errorf(backend.ENOTFOUND, "User %q not found", username)
		}
		r, err := getMFA(tx, u.ID)
		if err != nil {
			return err
		}
		had = r.active()
		return deleteMFA(tx, u.ID)
	})
	if err != nil {
		return false, internal(err)
	}
	return had, nil
}
