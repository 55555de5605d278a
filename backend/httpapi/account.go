package httpapi

import (
	"net/http"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// The person's own account on the served API (docs/API.md, "Your
// account"): routes under /users/me/ that the tutorial does not have, so its
// six routes are untouched. The session a request comes from is the one its
// Bearer token names.
//
//	POST /users/me/password                   {"currentPassword","newPassword"}
//	GET  /users/me/sessions
//	POST /users/me/sessions/{id}/revoke
//	POST /users/me/sessions/revoke-others

// accountRoute picks the handler of an account route, or nil when seg is
// not one (then the tutorial's routes decide). seg[0] is "users".
func (s *Server) accountRoute(seg []string) (string, func(http.ResponseWriter, *http.Request, []string)) {
	if len(seg) < 3 || seg[1] != "me" {
		return "", nil
	}
	switch {
	case len(seg) == 3 && seg[2] == "password":
		// Guesses at the current password share the login bucket.
		return http.MethodPost, s.throttled(s.LoginLimit, s.authorized(s.changePassword))
	case len(seg) == 3 && seg[2] == "sessions":
		return http.MethodGet, s.authorized(s.mySessions)
	case len(seg) == 4 && seg[2] == "sessions" && seg[3] == "revoke-others":
		return http.MethodPost, s.authorized(s.signOutOthers)
	case len(seg) == 5 && seg[2] == "sessions" && seg[4] == "revoke":
		return http.MethodPost, s.authorized(s.signOutSession)
	}
	return "", nil
}

// account returns the backend's account calls, or answers 404 when it has
// none.
func (s *Server) account(w http.ResponseWriter) (backend.OwnAccountManager, bool) {
	a, ok := s.Auth.(backend.OwnAccountManager)
	if !ok {
		notFound(w)
	}
	return a, ok
}

// changePassword is POST /users/me/password.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	a, ok := s.account(w)
	if !ok {
		return
	}
	var body struct {
		CurrentPassword string `json:"currentPassword"`
		NewPassword     string `json:"newPassword"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	if err := a.ChangePassword(withClient(r), c.token, body.CurrentPassword, body.NewPassword); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"Password changed"})
}

// sessionBody is one session as GET /users/me/sessions shows it.
type sessionBody struct {
	ID            string    `json:"id"`
	Client        string    `json:"client"`
	UserAgent     string    `json:"userAgent,omitempty"`
	Started       time.Time `json:"started"`
	LastRefreshed time.Time `json:"lastRefreshed,omitzero"`
	Expires       time.Time `json:"expires"`
	Current       bool      `json:"current"`
}

// mySessions is GET /users/me/sessions.
func (s *Server) mySessions(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	a, ok := s.account(w)
	if !ok {
		return
	}
	list, err := a.MySessions(r.Context(), c.token)
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	out := make([]sessionBody, 0, len(list))
	for _, x := range list {
		out = append(out, sessionBody{
			ID: x.ID, Client: x.Client, UserAgent: x.UserAgent,
			Started: x.Started.UTC(), LastRefreshed: x.LastRefreshed.UTC(), Expires: x.Expires.UTC(),
			Current: x.Current,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// signOutSession is POST /users/me/sessions/{id}/revoke.
func (s *Server) signOutSession(w http.ResponseWriter, r *http.Request, seg []string, c caller) {
	a, ok := s.account(w)
	if !ok {
		return
	}
	if err := a.SignOutSession(withClient(r), c.token, seg[3]); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"Signed out"})
}

// signedOutBody answers POST /users/me/sessions/revoke-others.
type signedOutBody struct {
	Message   string `json:"message"`
	SignedOut int    `json:"signedOut"`
}

// signOutOthers is POST /users/me/sessions/revoke-others.
func (s *Server) signOutOthers(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	a, ok := s.account(w)
	if !ok {
		return
	}
	n, err := a.SignOutOtherSessions(withClient(r), c.token)
	if err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, signedOutBody{Message: "Signed out everywhere else", SignedOut: n})
}
