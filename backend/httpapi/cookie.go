package httpapi

import (
	"net/http"

	"github.com/authdesk/authdesk/backend"
)

const refreshCookie = "refreshToken"

// setRefreshCookie sets the rotated refresh token. HttpOnly keeps it from
// page scripts; SameSite=Lax keeps other sites' forms from using it; Secure
// whenever this request came over TLS, so it never leaks to plain http.
func setRefreshCookie(w http.ResponseWriter, r *http.Request, g *backend.Grant) {
	http.SetCookie(w, &http.Cookie{
		Name:     refreshCookie,
		Value:    g.RefreshToken,
		Path:     "/",
		Expires:  g.RefreshExpires, // zero: a session cookie
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   r.TLS != nil,
	})
}
