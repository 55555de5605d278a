package remote

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Two-step sign-in against a server that offers it (`authdesk serve`,
// docs/API.md): the password step may answer {"mfaRequired": true,
// "challenge", "expires"} instead of a login; POST /users/authenticate/mfa
// then trades the challenge and a code for the usual answer.

var _ backend.SecondFactorLogin = (*Client)(nil)

// maxChallengeBytes bounds what a server may hand over as a challenge.
const maxChallengeBytes = 512

// mfaRequired reads a 200 answer to the password step: a challenge when the
// server asks for a code, nil when the answer is a login.
func (c *Client) mfaRequired(r *response) (*backend.MFARequired, error) {
	var body struct {
		MFARequired bool      `json:"mfaRequired"`
		Challenge   string    `json:"challenge"`
		Expires     time.Time `json:"expires"`
	}
	if json.Unmarshal(r.body, &body) != nil || !body.MFARequired {
		return nil, nil // not this shape: the login answer's own checks apply
	}
	if body.Challenge == "" || len(body.Challenge) > maxChallengeBytes || !sendable(body.Challenge) {
		return nil, c.notTheAPI(errors.New("unusable challenge"), "it asked for a code but sent no usable challenge")
	}
	if body.Expires.IsZero() {
		body.Expires = c.Now().Add(5 * time.Minute) // the server did not say: assume the usual
	}
	return &backend.MFARequired{Challenge: body.Challenge, Expires: body.Expires}, nil
}

// AuthenticateMFA is the code step: POST /users/authenticate/mfa.
func (c *Client) AuthenticateMFA(ctx context.Context, challenge, code string) (*backend.Grant, error) {
	if code == "" {
		return nil, backend.Errorf(backend.EINVALID, "Enter the 6-digit code from your authenticator app, or a recovery code")
	}
	if len(code) > 64 {
		return nil, backend.Errorf(backend.EINVALID, "The code is too long")
	}
	r, err := c.send(ctx, request{
		method: http.MethodPost, path: "/users/authenticate/mfa",
		body: map[string]string{"challenge": challenge, "code": code},
	})
	if err != nil {
		return nil, err
	}
	switch r.status {
	case http.StatusOK:
		return c.grant(r)
	case http.StatusBadRequest, http.StatusUnauthorized:
		return nil, codeRefusal(r)
	}
	return nil, c.failure(r)
}

// codeRefusal reads a refused code step. attemptsLeft (docs/API.md) says a
// code was wrong and how many the challenge still takes, 0 when it is over;
// without it the code was not accepted as input at all.
func codeRefusal(r *response) error {
	var body struct {
		AttemptsLeft *int `json:"attemptsLeft"`
	}
	msg := errorMessage(r)
	if json.Unmarshal(r.body, &body) != nil || body.AttemptsLeft == nil {
		return backend.Errorf(backend.EINVALID, "%s", msg)
	} else if *body.AttemptsLeft <= 0 {
		return backend.Errorf(backend.EMFAENDED, "%s", msg)
	}
	return &backend.Error{Code: backend.EUNAUTHORIZED, Message: msg,
		Err: &backend.WrongCodeError{AttemptsLeft: *body.AttemptsLeft}}
}
