package backend

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// CheckServerURL is the one rule for a server address a person types (a
// remote API today, an identity provider's issuer later): http or https, a
// host, an optional port, an optional path, nothing else. It returns the
// address normalised (trimmed, no trailing slash, scheme and host in lower
// case). warning is non-empty for plain http to a host that is not this
// computer: allowed (a lab network may need it), but passwords and tokens
// would cross the network unencrypted. A refused address is an EINVALID error
// whose message says what to fix.
func CheckServerURL(raw string) (normalized, warning string, err error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		return "", "", Errorf(EINVALID, "Enter the server's address, for example http://localhost:4000")
	}
	u, perr := url.Parse(s)
	switch {
	case perr != nil:
		return "", "", Errorf(EINVALID, "%q is not a valid address", s)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", "", Errorf(EINVALID, "The address must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "":
		return "", "", Errorf(EINVALID, "The address must name a host, for example http://localhost:4000")
	case u.User != nil:
		// It would be saved, shown and logged with the session's label.
		return "", "", Errorf(EINVALID, "The address must not contain a user name or password")
	case u.RawQuery != "" || u.ForceQuery:
		return "", "", Errorf(EINVALID, "The address must not contain a query (?...)")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", "", Errorf(EINVALID, "The address must not contain a fragment (#...)")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", "", Errorf(EINVALID, "The port must be a number from 1 to 65535")
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

// IsLoopback is the one check for "this computer": host is a name or an IP
// address, without port or brackets. localhost and its subdomains (which
// browsers and RFC 6761 resolve to loopback) and every loopback address count.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
