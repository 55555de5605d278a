package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Two-step sign-in on the served API (docs/API.md, docs/MFA.md). For an
// account with a second factor, POST /users/authenticate answers with a
// challenge instead of tokens; POST /users/authenticate/mfa trades the
// challenge and a code for the usual login answer. Accounts without one
// see nothing new, so the tutorial's clients keep working for them.

// mfaRequiredBody is the password step's answer for such an account: no
// user fields, no jwtToken, no cookie.
type mfaRequiredBody struct {
	MFARequired bool      `json:"mfaRequired"`
	Challenge   string    `json:"challenge"`
	Expires     time.Time `json:"expires"`
}

func writeMFARequired(w http.ResponseWriter, req *backend.MFARequired) {
	writeJSON(w, http.StatusOK, mfaRequiredBody{MFARequired: true, Challenge: req.Challenge, Expires: req.Expires.UTC()})
}

// authenticateMFA is POST /users/authenticate/mfa {"challenge","code"}.
func (s *Server) authenticateMFA(w http.ResponseWriter, r *http.Request, _ []string) {
	step, ok := s.Auth.(backend.SecondFactorLogin)
	if !ok {
		notFound(w)
		return
	}
	var body struct {
		Challenge string `json:"challenge"`
		Code      string `json:"code"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	if body.Challenge == "" {
		none := 0
		writeJSON(w, http.StatusBadRequest, codeRefusal{Message: "Challenge is required", AttemptsLeft: &none})
		return
	}
	g, err := step.AuthenticateMFA(withClient(r), body.Challenge, body.Code)
	if err != nil {
		s.writeCodeRefusal(w, r, err)
		return
	}
	s.writeGrant(w, r, g)
}

// codeRefusal is a refused code step: 400 with the message and, when a code
// was checked or the challenge is over, how many codes the challenge still
// takes (0: sign in again). A malformed code has no attemptsLeft: it spent
// nothing.
type codeRefusal struct {
	Message      string `json:"message"`
	AttemptsLeft *int   `json:"attemptsLeft,omitempty"`
}

func (s *Server) writeCodeRefusal(w http.ResponseWriter, r *http.Request, err error) {
	var wrong *backend.WrongCodeError
	switch {
	case errors.As(err, &wrong):
		left := max(wrong.AttemptsLeft, 0)
		writeJSON(w, http.StatusBadRequest, codeRefusal{Message: backend.ErrorMessage(err), AttemptsLeft: &left})
	case backend.ErrorCode(err) == backend.EUNAUTHORIZED:
		none := 0
		writeJSON(w, http.StatusBadRequest, codeRefusal{Message: backend.ErrorMessage(err), AttemptsLeft: &none})
	default:
		s.writeRefusal(w, r, err)
	}
}
