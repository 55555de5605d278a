package httpapi

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// authenticate is POST /users/authenticate {"username","password"}.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, _ []string) {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	g, err := s.Auth.Authenticate(withClient(r), body.Username, body.Password)
	if req, ok := backend.AsMFARequired(err); ok {
		writeMFARequired(w, req) // mfa.go: a code is needed, no tokens yet
		return
	} else if err != nil {
		s.writeRefusal(w, r, err)
		return
	}
	s.writeGrant(w, r, g)
}

// refresh is POST /users/refresh-token. The token comes only from the
// cookie; a body is ignored, as both APIs do.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request, _ []string) {
	c, err := r.Cookie(refreshCookie)
	if err != nil || c.Value == "" {
		writeError(w, http.StatusBadRequest, backend.MsgInvalidToken)
		return
	}
	g, err := s.Auth.Refresh(withClient(r), c.Value)
	if err != nil {
		s.writeRefusal(w, r, err)
		return
	}
	s.writeGrant(w, r, g)
}

// writeRefusal answers a failed login or refresh: both APIs say 400 for a
// refusal there (401 would read as "your access token is bad").
func (s *Server) writeRefusal(w http.ResponseWriter, r *http.Request, err error) {
	switch backend.ErrorCode(err) {
	case backend.EUNAUTHORIZED, backend.EINVALID:
		writeError(w, http.StatusBadRequest, backend.ErrorMessage(err))
	default:
		s.writeBackendError(w, r, err)
	}
}

// revoke is POST /users/revoke-token {"token"}, else the cookie's token.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request, _ []string, c caller) {
	var body struct {
		Token string `json:"token"`
	}
	if e := readJSON(w, r, &body); e != nil {
		writeError(w, e.status, e.msg)
		return
	}
	token := body.Token
	if token == "" {
		if ck, err := r.Cookie(refreshCookie); err == nil {
			token = ck.Value
		}
	}
	if token == "" {
		writeError(w, http.StatusBadRequest, "Token is required")
		return
	}
	if err := s.Auth.Revoke(withClient(r), c.token, token); err != nil {
		s.writeBackendError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, message{"Token revoked"})
}

// writeGrant sends the user and access token and sets the new refresh cookie.
func (s *Server) writeGrant(w http.ResponseWriter, r *http.Request, g *backend.Grant) {
	setRefreshCookie(w, r, g)
	body := newUserBody(g.User)
	body.JWTToken = g.AccessToken
	writeJSON(w, http.StatusOK, body)
}

// caller is the holder of a valid Bearer token.
type caller struct {
	token string
}

// authorized checks the Bearer token before h runs, so every protected route
// answers a missing or bad token the same way: 401 Unauthorized.
func (s *Server) authorized(h func(http.ResponseWriter, *http.Request, []string, caller)) func(http.ResponseWriter, *http.Request, []string) {
	return func(w http.ResponseWriter, r *http.Request, seg []string) {
		token, ok := bearer(r)
		if !ok {
			writeError(w, http.StatusUnauthorized, backend.MsgUnauthorized)
			return
		}
		if _, err := s.Tokens.UserFromAccessToken(r.Context(), token); err != nil {
			s.writeBackendError(w, r, err)
			return
		}
		h(w, r, seg, caller{token: token})
	}
}

// bearer returns the token of "Authorization: Bearer <token>".
func bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// withClient records the caller's address as who created or revoked a token,
// and its User-Agent for the sessions list.
func withClient(r *http.Request) context.Context {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return backend.WithUserAgent(backend.WithClient(r.Context(), host), r.UserAgent())
}
