package httpapi

import (
	"net/http"

	"github.com/authdesk/authdesk/backend"
)

// writeBackendError answers with the status a backend error code stands for
// and its person-readable message. Internal errors are logged with their
// cause and answered with a generic sentence. Handlers whose contract says
// otherwise (400 at login and refresh) translate before calling this.
func (s *Server) writeBackendError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	switch backend.ErrorCode(err) {
	case backend.EINVALID:
		status = http.StatusBadRequest
	case backend.EUNAUTHORIZED:
		status = http.StatusUnauthorized
	case backend.ENOTFOUND:
		status = http.StatusNotFound
	case backend.ECONFLICT:
		status = http.StatusConflict
	case backend.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	case backend.ETOOMANY, backend.EBUSY:
		// A refusal a later attempt may pass: say when.
		status = http.StatusTooManyRequests
		if backend.ErrorCode(err) == backend.EBUSY {
			status = http.StatusServiceUnavailable
		}
		writeRetryAfter(w, status, RetryAfterSeconds(backend.RetryAfter(err)), backend.ErrorMessage(err))
		return
	default:
		// The cause names files and storage, never tokens.
		s.log().Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, status, "Something went wrong on the server")
		return
	}
	writeError(w, status, backend.ErrorMessage(err))
}
