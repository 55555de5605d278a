package oidc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"golang.org/x/oauth2"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/netreason"
)

// transportError explains why no answer came back from the provider.
func (c *Client) transportError(err error) error {
	return backend.Wrap(backend.EUNAVAILABLE, err, "Cannot reach %s: %s", c.ProviderName(), c.reason(err))
}

func (c *Client) reason(err error) string { return netreason.Reason(err, c.timeout, "provider") }

// clip keeps a provider's text to a length a dialog can show, and to one line.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 300
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// describe is an OAuth error as a sentence: its description, else its code.
func describe(code, desc string) string {
	if d := clip(desc); d != "" {
		return d
	}
	return clip(code)
}

// tokenError maps a failed call to the token endpoint. during says what the
// call was for ("sign-in", "session refresh").
//
// Only invalid_grant is a definite "this grant is over" (RFC 6749 section
// 5.2): an expired, revoked or already-used code or refresh token. Errors
// about the client's registration are EINVALID (a person must fix Settings or
// the provider; the session is not ended for them). Everything else, 5xx and
// answers that are not OAuth at all included, may pass on a later try.
func (c *Client) tokenError(err error, during string) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
			errors.Is(err, syscall.ECONNREFUSED) || isNetErr(err) {
			return c.transportError(err)
		}
		// 2xx without access_token, or a body that is not JSON.
		return backend.Wrap(backend.EUNAVAILABLE, err, "%s did not answer the %s like an OAuth provider", c.ProviderName(), during)
	}
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	name := c.ProviderName()
	cause := fmt.Errorf("token endpoint: HTTP %d %s", status, re.ErrorCode) // no body: it could echo a token
	switch {
	case re.ErrorCode == "invalid_grant":
		if during == duringRefresh {
			return backend.Wrap(backend.EUNAUTHORIZED, cause, "Your session at %s has ended (%s). Please sign in again.", name, describe(re.ErrorCode, re.ErrorDescription))
		}
		return backend.Wrap(backend.EUNAUTHORIZED, cause, "%s refused the sign-in code (%s). Please sign in again.", name, describe(re.ErrorCode, re.ErrorDescription))
	case status >= 500 || re.ErrorCode == "temporarily_unavailable" || re.ErrorCode == "server_error":
		detail := fmt.Sprintf("HTTP %d", status)
		if re.ErrorCode != "" {
			detail += ": " + describe(re.ErrorCode, re.ErrorDescription)
		}
		return backend.Wrap(backend.EUNAVAILABLE, cause, "%s could not complete the %s right now (%s). Try again later.", name, during, detail)
	case re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client":
		return backend.Wrap(backend.EINVALID, cause, "%s does not accept client ID %q as a public client with this flow (%s). Check the client's registration.", name, c.cfg.ClientID, describe(re.ErrorCode, re.ErrorDescription))
	case re.ErrorCode == "invalid_scope":
		return backend.Wrap(backend.EINVALID, cause, "%s refused the scopes %q (%s). Check the scopes in Settings.", name, strings.Join(c.cfg.Scopes, " "), describe(re.ErrorCode, re.ErrorDescription))
	case re.ErrorCode != "":
		return backend.Wrap(backend.EUNAVAILABLE, cause, "%s refused the %s: %s", name, during, describe(re.ErrorCode, re.ErrorDescription))
	}
	return backend.Wrap(backend.EUNAVAILABLE, cause, "%s answered the %s with HTTP %d", name, during, status)
}

func isNetErr(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe)
}

const (
	duringSignIn  = "sign-in"
	duringRefresh = "session refresh"
)
