package backend

import (
	"errors"
	"fmt"
	"time"
)

// Error codes shared by every adapter. They cross the Wails binding as the `code`
// of `{code, message}`, so the UI can react to the kind of failure while the
// message stays something a person can read.
const (
	EINVALID      = "invalid"      // the input is wrong: empty, too long, malformed
	EUNAUTHORIZED = "unauthorized" // bad credentials, or a token that is not (or no longer) valid
	ECONFLICT     = "conflict"     // the thing exists already
	ENOTFOUND     = "not_found"    // no such user, route or record
	EUNAVAILABLE  = "unavailable"  // the backend cannot be reached or answered with a server error
	EINTERNAL     = "internal"     // a bug or an I/O failure; details go to the log, not the person
)

// Error is an application error a person may see. Wrap lower-level errors with
// Err so they are logged while Message stays readable.
type Error struct {
	Code    string
	Message string
	Err     error // underlying cause, logged only

	// RetryAfter, for ETOOMANY and EBUSY, is how long to wait before trying
	// again (the served API's Retry-After header, the window's countdown).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap builds an *Error that keeps cause for the log.
func Wrap(code string, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of an application error, or
// a generic one for anything else so internals never reach the UI.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong inside AuthDesk. The details are in its log."
}

// Messages the tutorial's APIs use; clients written for them match on these.
const (
	MsgBadCredentials = "Username or password is incorrect"
	MsgInvalidToken   = "Invalid token"
	MsgUnauthorized   = "Unauthorized"
	MsgUserNotFound   = "User not found"
)

// Codes for refusals that a later attempt may pass.
const (
	ETOOMANY = "too_many_requests" // throttled: too many attempts; RetryAfter says when to try again
	EBUSY    = "busy"              // the server is saturated right now; RetryAfter says when to try again
)

// Codes of the two-step sign-in (secondfactor.go).
const (
	EMFAREQUIRED = "mfa_required" // the password was right; now the code (the UI shows the code step)
	EMFAENDED    = "mfa_ended"    // the code step is over (expired, used, too many wrong codes): sign in again
)

// RetryAfterError builds a throttling or busy error that says when to retry.
func RetryAfterError(code string, after time.Duration, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), RetryAfter: after}
}

// RetryAfter returns how long the caller should wait before trying again, or
// zero when err says nothing about it.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
