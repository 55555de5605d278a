package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// route dispatches by path, then by method, so an unknown path is 404 and a
// known path with the wrong method is 405 with Allow, both as JSON.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	seg, ok := segments(r.URL.EscapedPath())
	if !ok || len(seg) == 0 || seg[0] != "users" {
		notFound(w)
		return
	}
	if s.routeAccounts(w, r, seg) { // users_admin.go: paging and account management
		return
	}
	var method string
	var h func(http.ResponseWriter, *http.Request, []string)
	switch {
	case len(seg) == 1:
		method, h = http.MethodGet, s.authorized(s.listUsers)
	case len(seg) == 2 && seg[1] == "authenticate":
		method, h = http.MethodPost, s.throttled(s.LoginLimit, s.authenticate)
	case len(seg) == 3 && seg[1] == "authenticate" && seg[2] == "mfa":
		method, h = http.MethodPost, s.throttled(s.LoginLimit, s.authenticateMFA)
	case len(seg) == 2 && seg[1] == "refresh-token":
		method, h = http.MethodPost, s.throttled(s.RefreshLimit, s.refresh)
	case len(seg) == 2 && seg[1] == "revoke-token":
		method, h = http.MethodPost, s.authorized(s.revoke)
	case len(seg) == 2:
		method, h = http.MethodGet, s.authorized(s.getUser)
	case len(seg) == 3 && seg[2] == "refresh-tokens":
		method, h = http.MethodGet, s.authorized(s.refreshTokens)
	default:
		if method, h = s.accountRoute(seg); h == nil { // account.go: /users/me/...
			notFound(w)
			return
		}
	}
	switch r.Method {
	case method:
		h(w, r, seg)
	case http.MethodOptions: // not a CORS preflight; those were answered already
		w.Header().Set("Allow", method+", OPTIONS")
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
	}
}

// segments splits an escaped path into decoded segments. Splitting before
// decoding keeps an id containing %2F one segment. Empty segments ("/users/",
// "//users") do not name a route.
func segments(escaped string) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil || d == "" {
			return nil, false
		}
		parts[i] = d
	}
	return parts, true
}

func notFound(w http.ResponseWriter) { writeError(w, http.StatusNotFound, "Not found") }
