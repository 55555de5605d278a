package backend

import (
	"context"
	"strings"
	"time"
	"unicode"
)

// A person's own account (docs/API.md, "Your account"): changing the
// password, and seeing and ending their own sessions. A session is one login
// and its chain of refresh-token rotations (a token family).

// SessionInfo is one of a person's active sessions. It holds no token: ID
// names the session for SignOutSession and is useless for anything else.
type SessionInfo struct {
	ID string
	// Client is where the session was used last: ClientDesktop for the
	// window on this computer, or the client's IP address for a served one.
	Client string
	// UserAgent is the browser or program that logged in ("" when unknown).
	UserAgent     string
	Started       time.Time
	LastRefreshed time.Time // zero until the first refresh
	Expires       time.Time // when it ends unless refreshed again
	Current       bool      // the session whose access token asked
}

// ClientDesktop is the client of a session started in the window on this
// computer (ClientFrom's default).
const ClientDesktop = "desktop"

// OwnAccountManager is the person's own account as an adapter serves it: every
// call carries the access token that authorises it, and the session that
// token belongs to is the current one. Only the session layer calls it;
// everything above gets an OwnAccount with the token bound in.
type OwnAccountManager interface {
	// ChangePassword replaces the password after checking current. The
	// new one follows ValidateNewPassword. Wrong current passwords count
	// toward the account's login throttle (ETOOMANY while it waits) and are
	// EINVALID, never EUNAUTHORIZED (which would mean "refresh and retry").
	// On success every other session of the person ends; this one goes on.
	ChangePassword(ctx context.Context, accessToken, current, newPassword string) error
	// MySessions lists the person's active sessions, the current one first.
	MySessions(ctx context.Context, accessToken string) ([]SessionInfo, error)
	// SignOutSession ends one of the person's other sessions (ENOTFOUND when
	// there is no such active session of theirs; EINVALID for the current
	// one, which ends by signing out).
	SignOutSession(ctx context.Context, accessToken, id string) error
	// SignOutOtherSessions ends every session of the person but the current
	// one and says how many ended.
	SignOutOtherSessions(ctx context.Context, accessToken string) (int, error)
}

// OwnAccountOffer is implemented by adapters whose server may or may not have
// the OwnAccountManager calls (the remote client: the tutorial's own APIs do
// not). OffersAccount asks, with a valid access token; callers treat false
// as if OwnAccountManager were not implemented.
type OwnAccountOffer interface {
	OffersAccount(ctx context.Context, accessToken string) (bool, error)
}

// OwnAccount is OwnAccountManager as callers above the session layer use it: no
// method takes or returns a token. The session manager hands one out inside
// Manager.DoOwnAccount.
type OwnAccount interface {
	ChangePassword(ctx context.Context, current, newPassword string) error
	Sessions(ctx context.Context) ([]SessionInfo, error)
	SignOut(ctx context.Context, id string) error
	SignOutOthers(ctx context.Context) (int, error)
}

// Messages of the account calls, shared by the adapters.
const (
	MsgCurrentPasswordRequired = "Current password is required"
	MsgWrongCurrentPassword    = "Current password is not correct"
	MsgSamePassword            = "The new password must differ from the current one"
	MsgSessionNotFound         = "Session not found"
	MsgCurrentSession          = "This is the session you are using; sign out to end it"
)

// MaxUserAgentBytes bounds the User-Agent kept with a session.
const MaxUserAgentBytes = 256

type userAgentKey struct{}

// WithUserAgent records the browser or program that is calling (a served
// request's User-Agent), so a new session can say what started it.
func WithUserAgent(ctx context.Context, ua string) context.Context {
	return context.WithValue(ctx, userAgentKey{}, ua)
}

// UserAgentFrom returns the User-Agent recorded by WithUserAgent, without
// control characters and cut to MaxUserAgentBytes, or "".
func UserAgentFrom(ctx context.Context) string {
	ua, _ := ctx.Value(userAgentKey{}).(string)
	ua = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, ua))
	if len(ua) > MaxUserAgentBytes {
		ua = strings.ToValidUTF8(ua[:MaxUserAgentBytes], "")
	}
	return ua
}
