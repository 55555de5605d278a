package remote

import (
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// CheckURL validates a server address typed into Settings and returns it
// normalised (trimmed, no trailing slash). warning is non-empty for plain
// http to a host that is not this computer: allowed (a lab network may need
// it) but passwords and tokens would cross the network unencrypted.
func CheckURL(raw string) (normalized, warning string, err error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		return "", "", backend.Errorf(backend.EINVALID, "Enter the server's address, for example http://localhost:4000")
	}
	u, perr := url.Parse(s)
	switch {
	case perr != nil:
		return "", "", backend.Errorf(backend.EINVALID, "%q is not a valid address", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", "", backend.Errorf(backend.EINVALID, "The address must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		return "", "", backend.Errorf(backend.EINVALID, "The address must name a host, for example http://localhost:4000")
	case u.User != nil:
		// It would be saved, shown and logged with the session's label.
		return "", "", backend.Errorf(backend.EINVALID, "The address must not contain a user name or password")
	case u.RawQuery != "" || u.ForceQuery:
		return "", "", backend.Errorf(backend.EINVALID, "The address must not contain a query (?...)")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", "", backend.Errorf(backend.EINVALID, "The address must not contain a fragment (#...)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", "", backend.Errorf(backend.EINVALID, "The port must be a number from 1 to 65535")
		}
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	normalized = u.String()
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		warning = "Plain http sends your password and tokens to " + u.Hostname() +
			" unencrypted. Use https unless this is a network you trust."
	}
	return normalized, warning, nil
}

// IsLoopback reports whether host (a name or an IP, without port or
// brackets) is this computer.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
