package httpapi

import (
	"net"
	"net/http"
	"strings"
)

// HostPolicy decides which Host headers the server answers. A server bound
// to loopback must refuse other names: a page on a name the attacker controls
// can make that name resolve to 127.0.0.1 (DNS rebinding) and would then talk
// to the API as a same-origin page.
type HostPolicy struct {
	// Public are extra names (lower case, no port) accepted besides
	// loopback names and IP literals.
	Public []string
}

// Allows reports whether host (a Host header, with or without a port) is
// served: a loopback name (localhost, *.localhost), an IP literal, or one of
// Public. IP literals cannot be rebound, so any is fine. An empty Host (an
// HTTP/1.0 client; browsers always send one) is allowed.
func (p HostPolicy) Allows(host string) bool {
	name := hostName(host)
	if name == "" {
		return true
	}
	if name == "localhost" || strings.HasSuffix(name, ".localhost") || net.ParseIP(name) != nil {
		return true
	}
	for _, pub := range p.Public {
		if name == pub {
			return true
		}
	}
	return false
}

// NormalizeHostName checks a --public-host value and returns it as Allows
// compares it: lower case, no trailing dot, no port.
func NormalizeHostName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "/@ ") {
		return "", false
	}
	name := hostName(s)
	if name == "" || strings.ContainsAny(name, ":") {
		return "", false
	}
	return name, true
}

// hostName strips the port and brackets, lower-cases and drops a trailing dot.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// checkHost refuses requests for hosts the policy does not allow with 421
// Misdirected Request: this server is not the one that name should reach.
func (s *Server) checkHost(next http.Handler) http.Handler {
	if s.Hosts == nil {
		return next
	}
	policy := *s.Hosts
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !policy.Allows(r.Host) {
			name := hostName(r.Host)
			writeError(w, http.StatusMisdirectedRequest,
				"This server does not answer for the host name "+name+" (start it with --public-host "+name+" to allow it)")
			return
		}
		next.ServeHTTP(w, r)
	})
}
