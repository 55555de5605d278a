package session

import (
	"context"
	"errors"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Two-step sign-in on the client side (docs/MFA.md). When the password step
// answers with a challenge, Login keeps it here and returns a CodeNeeded
// error: the layers above learn only that a code is needed and until when.
// LoginMFA pairs the person's code with the kept challenge.

// codeStep is a password step waiting for its code. It holds the challenge,
// a secret that never leaves this package.
type codeStep struct {
	auth      backend.Refresher
	step      backend.SecondFactorLogin
	challenge string
	expires   time.Time
	switches  uint64
}

// CodeNeeded is the cause inside Login's EMFAREQUIRED error: the code step's
// deadline, for the login page. It carries no challenge.
type CodeNeeded struct {
	Until time.Time
}

func (c *CodeNeeded) Error() string {
	return "a second-factor code is needed until " + c.Until.UTC().Format(time.RFC3339)
}

// Messages of the code step as the session layer gives them.
const (
	MsgCodeNeeded = "Enter the 6-digit code from your authenticator app, or a recovery code"
	MsgCodeEnded  = "This sign-in has expired or ended; sign in again"
)

// holdCodeStep turns Authenticate's MFARequired into CodeNeeded and keeps the
// challenge; any other error passes unchanged (and a pending step stays).
func (m *Manager) holdCodeStep(err error, auth backend.Refresher, switches uint64) error {
	req, ok := backend.AsMFARequired(err)
	if !ok {
		return err
	}
	step, ok := auth.(backend.SecondFactorLogin)
	if !ok {
		return backend.Errorf(backend.EUNAVAILABLE, "The server asks for a second factor, which this backend cannot send")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.switches != switches {
		return errSwitched()
	}
	m.code = &codeStep{auth: auth, step: step, challenge: req.Challenge, expires: req.Expires, switches: switches}
	return &backend.Error{Code: backend.EMFAREQUIRED, Message: MsgCodeNeeded, Err: &CodeNeeded{Until: req.Expires}}
}

func errSwitched() error {
	return backend.Errorf(backend.ECONFLICT, "The backend was changed while you were logging in. Please log in again.")
}

// PendingCode returns until when the code step may follow, or false when no
// password step is waiting for a code.
func (m *Manager) PendingCode() (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.code; c != nil && m.Now().Before(c.expires) && c.switches == m.switches {
		return c.expires, true
	}
	return time.Time{}, false
}

// CancelCode forgets a waiting code step (the person went back to the
// password form).
func (m *Manager) CancelCode() {
	m.mu.Lock()
	m.code = nil
	m.mu.Unlock()
}

// LoginMFA finishes a two-step sign-in with code (a 6-digit code or a
// recovery code). A wrong code leaves the step waiting (the error says so);
// when the step is over (expired, used, too many wrong codes, the backend
// switched) the error's code is EMFAENDED and the person signs in again.
func (m *Manager) LoginMFA(ctx context.Context, code string) (*Session, error) {
	m.mu.Lock()
	c, b, switches := m.code, m.b, m.switches
	switch {
	case c == nil:
		m.mu.Unlock()
		return nil, backend.Errorf(backend.EMFAENDED, MsgCodeEnded)
	case c.switches != switches:
		m.code = nil
		m.mu.Unlock()
		return nil, backend.Errorf(backend.EMFAENDED, "The backend was changed while you were logging in. Please log in again.")
	case !m.Now().Before(c.expires):
		m.code = nil
		m.mu.Unlock()
		return nil, backend.Errorf(backend.EMFAENDED, MsgCodeEnded)
	}
	m.mu.Unlock()

	g, err := c.step.AuthenticateMFA(ctx, c.challenge, code)
	if err != nil {
		if ended(err) {
			m.dropCode(c)
			return nil, &backend.Error{Code: backend.EMFAENDED, Message: backend.ErrorMessage(err), Err: err}
		}
		return nil, err
	}
	m.dropCode(c)
	return m.startFromGrant(c.auth, b, switches, g)
}

// ended reports whether a refused code step cannot go on: the challenge is
// unknown, expired or used up. A wrong code with tries left, malformed input,
// throttling and network trouble leave it waiting.
func ended(err error) bool {
	var wrong *backend.WrongCodeError
	switch code := backend.ErrorCode(err); {
	case code == backend.EMFAENDED:
		return true
	case errors.As(err, &wrong):
		return wrong.AttemptsLeft == 0
	default:
		return code == backend.EUNAUTHORIZED
	}
}

func (m *Manager) dropCode(c *codeStep) {
	m.mu.Lock()
	if m.code == c {
		m.code = nil
	}
	m.mu.Unlock()
}

// SecondFactorFunc is a call made through Manager.DoSecondFactor; sf has the
// access token bound in and works only until DoSecondFactor returns.
type SecondFactorFunc func(ctx context.Context, sf backend.SecondFactor) error

// DoSecondFactor runs fn with the selected backend's second-factor
// management, the current access token bound in. As Do, it refreshes once
// and runs fn again when the token is refused, but never after a wrong code
// (that would check it twice).
func (m *Manager) DoSecondFactor(ctx context.Context, fn SecondFactorFunc) error {
	m.mu.Lock()
	st, b := m.cur, m.b
	if st == nil || st.restoring() {
		m.mu.Unlock()
		return errNotLoggedIn()
	}
	epoch, token := st.epoch, st.access
	m.mu.Unlock()
	if _, ok := b.Auth.(backend.SecondFactorManager); !ok {
		return backend.Errorf(backend.ENOTFOUND, "%s has no two-step sign-in to manage here", b.Label)
	}
	err := runSecondFactor(ctx, fn, b.Auth, token)
	if backend.ErrorCode(err) != backend.EUNAUTHORIZED || backend.IsWrongCode(err) {
		return err
	}
	auth, token, err := m.renew(ctx, epoch, token)
	if err != nil {
		return err
	}
	if _, ok := auth.(backend.SecondFactorManager); !ok {
		return errEnded()
	}
	return runSecondFactor(ctx, fn, auth, token)
}

func runSecondFactor(ctx context.Context, fn SecondFactorFunc, auth backend.Refresher, token string) error {
	sf := &boundSecondFactor{mgr: auth.(backend.SecondFactorManager)}
	sf.admin, _ = auth.(backend.SecondFactorAdmin)
	sf.bind(token, "second-factor management was used after its Manager.DoSecondFactor call returned")
	defer sf.unbind()
	return fn(ctx, sf)
}

// boundSecondFactor is a backend.SecondFactor for one DoSecondFactor call.
type boundSecondFactor struct {
	binding
	mgr   backend.SecondFactorManager
	admin backend.SecondFactorAdmin // nil when the backend has no admin side
}

var _ backend.SecondFactor = (*boundSecondFactor)(nil)

func (b *boundSecondFactor) Status(ctx context.Context) (*backend.SecondFactorStatus, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.mgr.SecondFactorStatus(ctx, b.token)
}

func (b *boundSecondFactor) Begin(ctx context.Context) (*backend.SecondFactorSetup, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.mgr.BeginSecondFactor(ctx, b.token)
}

func (b *boundSecondFactor) Confirm(ctx context.Context, code string) ([]string, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.mgr.ConfirmSecondFactor(ctx, b.token, code)
}

func (b *boundSecondFactor) Disable(ctx context.Context, code string) error {
	if err := b.check(); err != nil {
		return err
	}
	return b.mgr.DisableSecondFactor(ctx, b.token, code)
}

func (b *boundSecondFactor) NewRecoveryCodes(ctx context.Context, code string) ([]string, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	return b.mgr.NewRecoveryCodes(ctx, b.token, code)
}

func (b *boundSecondFactor) UsersWithSecondFactor(ctx context.Context) ([]string, error) {
	if err := b.check(); err != nil {
		return nil, err
	} else if b.admin == nil {
		return nil, backend.Errorf(backend.ENOTFOUND, "This backend does not say who uses two-step sign-in")
	}
	return b.admin.UsersWithSecondFactor(ctx, b.token)
}

func (b *boundSecondFactor) Reset(ctx context.Context, userID string) (bool, error) {
	if err := b.check(); err != nil {
		return false, err
	} else if b.admin == nil {
		return false, backend.Errorf(backend.ENOTFOUND, "This backend cannot reset two-step sign-in")
	}
	return b.admin.ResetSecondFactor(ctx, b.token, userID)
}
