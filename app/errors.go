package app

import (
	"log/slog"

	"github.com/authdesk/authdesk/backend"
)

// ErrorView is what a rejected binding call gives the UI.
type ErrorView struct {
	Code    string `json:"code"`
	Message string `json:"message"`
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
		return ErrorView{Code: code, Message: backend.ErrorMessage(err)}
	}
}
