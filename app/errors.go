package app

import (
	"errors"
	"log/slog"
	"math"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/session"
)

// ErrorView is what a rejected binding call gives the UI.
type ErrorView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// RetryAfter, for too_many_requests and busy, is how many seconds to
	// wait before trying again (rounded up); the login page counts it down.
	RetryAfter int `json:"retryAfter,omitempty"`
	// Until, for mfa_required, is when the code step ends (the login page
	// shows it). The challenge itself never crosses the binding.
	Until time.Time `json:"until,omitzero"`
}

// ErrorFormatter returns the Wails ErrorFormatter: every error crosses the
// binding as {code, message}. Internal errors are logged with their detail and
// shown to the person only as a generic sentence.
func ErrorFormatter(log *slog.Logger) func(error) any {
	return func(err error) any {
		code := backend.ErrorCode(err)
		if code == backend.EINTERNAL {
			log.Error("binding call failed", "err", err)
		} else {
			log.Debug("binding call refused", "code", code, "err", err)
		}
		view := ErrorView{Code: code, Message: backend.ErrorMessage(err)}
		if code == backend.ETOOMANY || code == backend.EBUSY {
			if wait := backend.RetryAfter(err); wait > 0 {
				view.RetryAfter = int(math.Ceil(wait.Seconds()))
			}
		}
		var need *session.CodeNeeded
		if code == backend.EMFAREQUIRED && errors.As(err, &need) {
			view.Until = need.Until
		}
		return view
	}
}
