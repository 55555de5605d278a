package session

import (
	"time"

	"github.com/authdesk/authdesk/backend"
)

// state is one session as the Manager holds it. A state with no access token
// is a saved session being restored: it exists so the refresh machinery (with
// its backoff) can retry it, but the UI sees no session until it succeeds.
type state struct {
	epoch       uint64 // identifies this session; a refresh result for another epoch is stale
	backendID   string // the backend that issued the tokens, which keys the saved session
	user        backend.User
	access      string
	accessExp   time.Time // zero when neither the token nor the grant said
	refresh     string
	refreshExp  time.Time // zero when the backend did not say
	lastRefresh time.Time
	obtained    time.Time // when the grant arrived, to know the token's lifetime

	// After a failed refresh the next one waits until retryAt; backoff is the
	// wait that was used, doubled on each further failure.
	retryAt time.Time
	backoff time.Duration
}

// stateFromGrant builds the state for a fresh grant. The access token's own
// exp wins over the grant's field because it is what the server will enforce.
func stateFromGrant(g *backend.Grant, backendID string, epoch uint64, now time.Time) *state {
	exp, ok := backend.AccessExpiry(g.AccessToken)
	if !ok {
		exp = g.AccessExpires
	}
	return &state{
		epoch:      epoch,
		backendID:  backendID,
		user:       g.User,
		access:     g.AccessToken,
		accessExp:  exp,
		refresh:    g.RefreshToken,
		refreshExp: g.RefreshExpires,
		obtained:   now,
	}
}

func (s *state) restoring() bool { return s.access == "" }

// accessOnly reports whether the session has no refresh token (a provider
// that gave none): it lasts as long as its access token.
func (s *state) accessOnly() bool { return s.refresh == "" && s.access != "" }

// accessOnlyExpired reports whether an access-only session is over at now.
func (s *state) accessOnlyExpired(now time.Time) bool {
	return s.accessOnly() && !s.accessExp.IsZero() && !now.Before(s.accessExp)
}

// refreshExpired reports whether the refresh token's known expiry has passed;
// after that no retry can succeed.
func (s *state) refreshExpired(now time.Time) bool {
	return !s.refreshExp.IsZero() && !now.Before(s.refreshExp)
}

// due reports whether a refresh should start at now. A restore is due at once;
// an unknown access expiry is never refreshed ahead of time (Do refreshes it
// when the backend refuses it).
func (s *state) due(now time.Time, before time.Duration) bool {
	switch {
	case !s.retryAt.IsZero():
		return !now.Before(s.retryAt)
	case s.restoring():
		return true
	case s.accessExp.IsZero():
		return false
	}
	// A token that lives less than `before` would be due at once, forever: a
	// refresh every tick. Keep at least a tenth of its lifetime between
	// refreshes instead.
	if life := s.accessExp.Sub(s.obtained); !s.obtained.IsZero() && life > 0 && before > life-life/10 {
		before = life - life/10
	}
	return !now.Before(s.accessExp.Add(-before))
}

// failed schedules the next attempt after a refresh that may succeed later.
func (s *state) failed(now time.Time, minWait, maxWait time.Duration) {
	switch {
	case s.backoff == 0:
		s.backoff = minWait
	case s.backoff*2 > maxWait:
		s.backoff = maxWait
	default:
		s.backoff *= 2
	}
	s.retryAt = now.Add(s.backoff)
}

// validGrant reports whether g can become a session; a backend that answers
// without tokens is treated like one that did not answer.
func validGrant(g *backend.Grant) bool {
	return g != nil && g.AccessToken != "" && g.RefreshToken != ""
}
