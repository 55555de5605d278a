package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// cors lets browser pages on allowed origins call the API with credentials
// (the refresh cookie). Pages on this computer (localhost, 127.0.0.1, [::1],
// any port) are allowed, since a dev server like Vite runs there; others
// only when listed. A disallowed origin gets no CORS headers, so the
// browser withholds the answer from the page; its preflight is refused.
func cors(extra map[string]bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Always: a cache must not serve one origin's answer to another.
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		norm, err := NormalizeOrigin(origin)
		allowed := err == nil && (loopbackOrigin(norm) || extra[norm])
		if allowed {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			// A page may read how long to wait after a 429 or 503.
			w.Header().Set("Access-Control-Expose-Headers", "Retry-After")
		}
		if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
			next.ServeHTTP(w, r)
			return
		}
		// A preflight.
		w.Header().Add("Vary", "Access-Control-Request-Method")
		w.Header().Add("Vary", "Access-Control-Request-Headers")
		if !allowed {
			writeError(w, http.StatusForbidden, "Origin "+origin+" is not allowed (start the server with --cors-origin "+origin+")")
			return
		}
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS") // PATCH, DELETE: users_admin.go
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
	})
}

// NormalizeOrigin returns an origin as browsers send it, lower-cased:
// scheme://host[:port] with http or https and nothing after. The served
// command uses it to check --cors-origin values.
func NormalizeOrigin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	switch {
	case err != nil:
		return "", fmt.Errorf("origin %q is not a URL", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("origin %q must start with http:// or https://", s)
	case u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("origin %q must be scheme://host[:port] and nothing else", s)
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// loopbackOrigin reports whether a normalised origin is a page on this computer.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	return err == nil && backend.IsLoopback(u.Hostname())
}
