package oidc

import (
	"net"
	"net/url"
	"strings"

	"github.com/authdesk/authdesk/backend"
)

// DefaultScopes are asked for when Config.Scopes is empty: the ID token
// (openid), the person's name and email for the home page, and a refresh
// token so the session survives restarts (offline_access).
var DefaultScopes = []string{"openid", "profile", "email", "offline_access"}

// Limits on the configuration a person types into Settings.
const (
	MaxIssuerBytes   = 2048
	MaxClientIDBytes = 256
	MaxScopesBytes   = 1024
)

// Config is what Settings keeps for an OpenID Connect backend. It holds no
// secret: AuthDesk is a public client.
type Config struct {
	Issuer   string   `json:"issuer"`   // e.g. https://sso.example.com/realms/staff
	ClientID string   `json:"clientId"` // a public (native) client registered at the provider
	Scopes   []string `json:"scopes"`   // empty means DefaultScopes
}

// Normalize returns cfg with spaces trimmed, the scopes split on white space
// and deduplicated, "openid" added when missing (without it there is no ID
// token), and DefaultScopes when none are given. It does not validate.
func (cfg Config) Normalize() Config {
	out := Config{Issuer: strings.TrimSpace(cfg.Issuer), ClientID: strings.TrimSpace(cfg.ClientID)}
	seen := map[string]bool{}
	for _, s := range cfg.Scopes {
		for _, f := range strings.Fields(s) {
			if !seen[f] {
				seen[f] = true
				out.Scopes = append(out.Scopes, f)
			}
		}
	}
	if len(out.Scopes) == 0 {
		out.Scopes = append([]string(nil), DefaultScopes...)
	} else if !seen["openid"] {
		out.Scopes = append([]string{"openid"}, out.Scopes...)
	}
	return out
}

// Validate returns an EINVALID error naming the first thing wrong with cfg
// (after Normalize), or nil. The issuer must be https, except on this
// computer's loopback (a provider run for development or tests), and must
// have no query or fragment (OpenID Connect Discovery section 3).
func (cfg Config) Validate() error {
	cfg = cfg.Normalize()
	if cfg.Issuer == "" {
		return backend.Errorf(backend.EINVALID, "The issuer URL is required")
	}
	if len(cfg.Issuer) > MaxIssuerBytes {
		return backend.Errorf(backend.EINVALID, "The issuer URL must be at most %d bytes", MaxIssuerBytes)
	}
	if err := checkEndpointURL("The issuer URL", cfg.Issuer); err != nil {
		return err
	}
	u, _ := url.Parse(cfg.Issuer)
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(cfg.Issuer, "?") || strings.Contains(cfg.Issuer, "#") {
		return backend.Errorf(backend.EINVALID, "The issuer URL must not have a query (?...) or fragment (#...)")
	}
	if cfg.ClientID == "" {
		return backend.Errorf(backend.EINVALID, "The client ID is required")
	}
	if len(cfg.ClientID) > MaxClientIDBytes {
		return backend.Errorf(backend.EINVALID, "The client ID must be at most %d bytes", MaxClientIDBytes)
	}
	if n := len(strings.Join(cfg.Scopes, " ")); n > MaxScopesBytes {
		return backend.Errorf(backend.EINVALID, "The scopes must be at most %d bytes", MaxScopesBytes)
	}
	for _, s := range cfg.Scopes {
		for _, r := range s {
			// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
			if r < 0x21 || r > 0x7e || r == '"' || r == '\\' {
				return backend.Errorf(backend.EINVALID, "The scope %q has a character scopes cannot have", s)
			}
		}
	}
	return nil
}

// checkEndpointURL accepts an absolute https URL, or http on a loopback host:
// tokens never travel in clear text over a network.
func checkEndpointURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return backend.Errorf(backend.EINVALID, "%s must be a full address starting with https://", what)
	}
	if u.User != nil {
		return backend.Errorf(backend.EINVALID, "%s must not contain a user name or password", what)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return backend.Errorf(backend.EINVALID, "%s must use https:// (plain http:// is only allowed for this computer: localhost or 127.0.0.1)", what)
	}
	return nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
