package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// TwoStepSessions is what TwoStep needs from the session manager
// (*session.Manager in the app).
type TwoStepSessions interface {
	LoginMFA(ctx context.Context, code string) (*session.Session, error)
	PendingCode() (time.Time, bool)
	CancelCode()
	DoSecondFactor(ctx context.Context, fn session.SecondFactorFunc) error
}

// TwoStep is the bound API of two-step sign-in: the login page's code step,
// the person's own set-up, and the admin's view and reset. The challenge
// between the steps stays in the session manager; the UI learns only until
// when a code is needed (Auth.Login's mfa_required error, or Pending).
type TwoStep struct {
	Sessions TwoStepSessions
	Log      *slog.Logger
}

// CodeStepView says whether the login page should ask for a code, and until when.
type CodeStepView struct {
	Pending bool      `json:"pending"`
	Until   time.Time `json:"until,omitzero"`
}

// TwoStepStatusView is the person's second factor as the set-up page shows it.
type TwoStepStatusView struct {
	Enabled           bool      `json:"enabled"`
	Since             time.Time `json:"since,omitzero"`
	RecoveryCodesLeft int       `json:"recoveryCodesLeft"`
}

// TwoStepSetupView is a new secret for the set-up page: the QR code's
// otpauth:// URI and the same secret as text for typing into an app. It is
// shown once and never kept by the UI after the page is left.
type TwoStepSetupView struct {
	Secret string `json:"secret"`
	URI    string `json:"uri"`
}

// SignIn finishes a two-step sign-in with a 6-digit code or a recovery code.
// A wrong code keeps the step (unauthorized); mfa_ended means sign in again.
func (t *TwoStep) SignIn(code string) (*SessionView, error) {
	s, err := t.Sessions.LoginMFA(context.Background(), code)
	if err != nil {
		return nil, err
	}
	return sessionView(s), nil
}

// Pending reports whether a password step waits for its code (the login
// page asks after a reload).
func (t *TwoStep) Pending() CodeStepView {
	until, ok := t.Sessions.PendingCode()
	return CodeStepView{Pending: ok, Until: until}
}

// Cancel forgets the waiting code step (the person goes back to the password).
func (t *TwoStep) Cancel() { t.Sessions.CancelCode() }

// Status returns the signed-in person's second factor.
func (t *TwoStep) Status() (TwoStepStatusView, error) {
	var v TwoStepStatusView
	err := t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) error {
		st, err := sf.Status(ctx)
		if err == nil {
			v = TwoStepStatusView{Enabled: st.Enabled, Since: st.Since, RecoveryCodesLeft: st.RecoveryCodesLeft}
		}
		return err
	})
	return v, err
}

// Begin makes a new secret; Confirm turns it on.
func (t *TwoStep) Begin() (TwoStepSetupView, error) {
	var v TwoStepSetupView
	err := t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) error {
		s, err := sf.Begin(ctx)
		if err == nil {
			v = TwoStepSetupView{Secret: s.Secret, URI: s.URI}
		}
		return err
	})
	return v, err
}

// Confirm turns two-step sign-in on with a current code from the new secret
// and returns the recovery codes, the only time they are shown.
func (t *TwoStep) Confirm(code string) ([]string, error) {
	return t.codes(func(ctx context.Context, sf backend.SecondFactor) ([]string, error) { return sf.Confirm(ctx, code) })
}

// Disable turns it off; it takes a current code or a recovery code.
func (t *TwoStep) Disable(code string) error {
	return t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) error {
		return sf.Disable(ctx, code)
	})
}

// NewRecoveryCodes replaces the recovery codes; it takes a code.
func (t *TwoStep) NewRecoveryCodes(code string) ([]string, error) {
	return t.codes(func(ctx context.Context, sf backend.SecondFactor) ([]string, error) {
		return sf.NewRecoveryCodes(ctx, code)
	})
}

func (t *TwoStep) codes(fn func(context.Context, backend.SecondFactor) ([]string, error)) ([]string, error) {
	var out []string
	err := t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) (err error) {
		out, err = fn(ctx, sf)
		return err
	})
	if out == nil {
		out = []string{}
	}
	return out, err
}

// UsersWithTwoStep returns, for an admin, the IDs of the users who sign in
// with a second factor (the users page's column).
func (t *TwoStep) UsersWithTwoStep() ([]string, error) {
	out := []string{}
	err := t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) error {
		ids, err := sf.UsersWithSecondFactor(ctx)
		if err == nil {
			out = append(out, ids...)
		}
		return err
	})
	return out, err
}

// Reset turns off userID's second factor, for an admin helping someone who
// lost both phone and recovery codes. It reports whether there was one.
func (t *TwoStep) Reset(userID string) (bool, error) {
	var had bool
	err := t.Sessions.DoSecondFactor(context.Background(), func(ctx context.Context, sf backend.SecondFactor) (err error) {
		had, err = sf.Reset(ctx, userID)
		if err == nil && t.Log != nil {
			t.Log.Info("two-step sign-in reset by an admin", "user", userID, "had", had)
		}
		return err
	})
	return had, err
}
