package backend

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Two-step sign-in (docs/MFA.md). A password login for an account with a
// second factor does not give a Grant: it gives an *MFARequired error that
// carries a short-lived challenge, and the code step (SecondFactorLogin)
// trades the challenge and a code for the Grant. The challenge never reaches
// the UI; the session manager keeps it.

// MFARequired is what PasswordLogin.Authenticate returns, as its error, for an
// account with a second factor when the password was right. It holds a
// secret (the challenge): never log it or send it to the UI.
type MFARequired struct {
	Challenge string
	Expires   time.Time
}

func (e *MFARequired) Error() string {
	return fmt.Sprintf("%s: a second-factor code is needed (until %s)", EMFAREQUIRED, e.Expires.UTC().Format(time.RFC3339))
}

// AsMFARequired returns the challenge when err says a code is needed.
func AsMFARequired(err error) (*MFARequired, bool) {
	var m *MFARequired
	ok := errors.As(err, &m)
	return m, ok
}

// SecondFactorLogin is the code step of a two-step sign-in.
type SecondFactorLogin interface {
	// AuthenticateMFA checks code (a 6-digit TOTP code or a recovery code)
	// for a challenge from Authenticate and starts a session.
	AuthenticateMFA(ctx context.Context, challenge, code string) (*Grant, error)
}

// WrongCodeError is the cause inside the error a wrong second-factor code
// gives (code EUNAUTHORIZED from the embedded backend). Callers that retry on
// EUNAUTHORIZED (a refused access token) must not retry these.
type WrongCodeError struct {
	UserID string
	// AttemptsLeft is what remains of a sign-in challenge (0: it ended), or
	// -1 when the code was for managing the second factor.
	AttemptsLeft int
}

func (e *WrongCodeError) Error() string {
	return fmt.Sprintf("wrong second-factor code for user %s (%d attempts left)", e.UserID, e.AttemptsLeft)
}

// IsWrongCode reports whether err is a wrong second-factor code.
func IsWrongCode(err error) bool {
	var w *WrongCodeError
	return errors.As(err, &w)
}

// SecondFactorStatus is a user's second factor as the Account page shows it.
type SecondFactorStatus struct {
	Enabled           bool
	Since             time.Time // zero when off
	RecoveryCodesLeft int
}

// SecondFactorSetup is a new, not yet confirmed TOTP secret: Secret is the
// base32 text a person may type into an app, URI the otpauth:// form the QR
// code carries. Both are secret.
type SecondFactorSetup struct {
	Secret string
	URI    string
}

// SecondFactorManager lets signed-in people manage their own second factor.
// Every call carries the access token that authorises it (the session layer
// binds it; callers above it use SecondFactor).
type SecondFactorManager interface {
	SecondFactorStatus(ctx context.Context, accessToken string) (*SecondFactorStatus, error)
	// BeginSecondFactor makes a secret that ConfirmSecondFactor turns on.
	BeginSecondFactor(ctx context.Context, accessToken string) (*SecondFactorSetup, error)
	// ConfirmSecondFactor turns it on with a current code from the new
	// secret and returns the recovery codes, the only time they are shown.
	ConfirmSecondFactor(ctx context.Context, accessToken, code string) ([]string, error)
	// DisableSecondFactor turns it off; it takes a current code or a recovery code.
	DisableSecondFactor(ctx context.Context, accessToken, code string) error
	// NewRecoveryCodes replaces the recovery codes; it takes a code too.
	NewRecoveryCodes(ctx context.Context, accessToken, code string) ([]string, error)
}

// SecondFactorAdmin lets admins see who has a second factor and turn it off
// for someone who lost both phone and recovery codes.
type SecondFactorAdmin interface {
	// UsersWithSecondFactor returns the IDs of the users who have one on.
	UsersWithSecondFactor(ctx context.Context, accessToken string) ([]string, error)
	// ResetSecondFactor turns userID's second factor off without a code. It
	// reports whether there was one.
	ResetSecondFactor(ctx context.Context, accessToken, userID string) (bool, error)
}

// SecondFactor is SecondFactorManager and SecondFactorAdmin as callers above
// the session layer use them: the access token is bound in. Admin calls give
// EUNAUTHORIZED to non-admins and ENOTFOUND when the backend has no admin side.
type SecondFactor interface {
	Status(ctx context.Context) (*SecondFactorStatus, error)
	Begin(ctx context.Context) (*SecondFactorSetup, error)
	Confirm(ctx context.Context, code string) ([]string, error)
	Disable(ctx context.Context, code string) error
	NewRecoveryCodes(ctx context.Context, code string) ([]string, error)
	UsersWithSecondFactor(ctx context.Context) ([]string, error)
	Reset(ctx context.Context, userID string) (bool, error)
}
