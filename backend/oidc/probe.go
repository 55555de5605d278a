package oidc

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Probe outcomes.
const (
	Reachable     = "reachable"     // discovery and JWKS are fine: sign-in can start
	Unreachable   = "unreachable"   // no answer, or a server error: try later
	NotOIDC       = "not_oidc"      // something answers, but not an OpenID provider at that issuer
	Misconfigured = "misconfigured" // an OpenID provider, but not usable as configured
)

// ProbeResult is what Settings' "Test connection" shows. It holds no secret.
type ProbeResult struct {
	Issuer   string   `json:"issuer"`
	Status   string   `json:"status"`   // Reachable, Unreachable, NotOIDC or Misconfigured
	Reason   string   `json:"reason"`   // one sentence: what was found, or exactly what is wrong
	Warnings []string `json:"warnings"` // what works but a person should know

	// What the provider advertises (filled as far as discovery got).
	AuthorizationEndpoint string   `json:"authorizationEndpoint,omitempty"`
	TokenEndpoint         string   `json:"tokenEndpoint,omitempty"`
	UserinfoEndpoint      string   `json:"userinfoEndpoint,omitempty"`
	RevocationEndpoint    string   `json:"revocationEndpoint,omitempty"`
	EndSessionEndpoint    string   `json:"endSessionEndpoint,omitempty"`
	JWKSURI               string   `json:"jwksUri,omitempty"`
	PKCES256              bool     `json:"pkceS256"`
	Keys                  int      `json:"keys"`                  // signing keys in the JWKS
	SigningAlgs           []string `json:"signingAlgs,omitempty"` // of those keys, or as advertised
	Scopes                []string `json:"scopes,omitempty"`      // scopes_supported
}

// jwk is the part of a JSON Web Key Probe looks at.
type jwk struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
}

// Probe checks that cfg names a usable OpenID provider: it fetches the
// discovery document and the JWKS and reports what it found or the first
// thing that stops a sign-in. It creates no session and sends no credential.
func Probe(ctx context.Context, cfg Config, opts ...Option) ProbeResult {
	c := NewClient(cfg, opts...)
	res := ProbeResult{Issuer: c.cfg.Issuer, Warnings: []string{}}
	m, warnings, p := c.fetchMetadata(ctx)
	res.AuthorizationEndpoint, res.TokenEndpoint, res.UserinfoEndpoint = m.AuthorizationEndpoint, m.TokenEndpoint, m.UserinfoEndpoint
	res.RevocationEndpoint, res.EndSessionEndpoint, res.JWKSURI = m.RevocationEndpoint, m.EndSessionEndpoint, m.JWKSURI
	res.PKCES256 = slices.Contains(m.CodeChallengeMethodsSupported, "S256")
	res.Scopes = m.ScopesSupported
	if p != nil {
		res.Status, res.Reason = p.status, p.msg
		return res
	}
	res.Warnings = append(res.Warnings, warnings...)

	var set struct {
		Keys []jwk `json:"keys"`
	}
	if p := c.getJSON(ctx, m.JWKSURI, "key set (JWKS)", &set); p != nil {
		res.Status, res.Reason = p.status, p.msg
		return res
	}
	for _, k := range set.Keys {
		if k.Use == "enc" || (k.Kty != "RSA" && k.Kty != "EC" && k.Kty != "OKP") {
			continue
		}
		res.Keys++
		if k.Alg != "" && !slices.Contains(res.SigningAlgs, k.Alg) {
			res.SigningAlgs = append(res.SigningAlgs, k.Alg)
		}
	}
	if len(res.SigningAlgs) == 0 {
		res.SigningAlgs = m.IDTokenSigningAlgValuesSupported
	}
	if res.Keys == 0 {
		res.Status = Misconfigured
		if len(set.Keys) == 0 {
			res.Reason = fmt.Sprintf("The provider's key set (%s) is empty, so no ID token could be verified.", m.JWKSURI)
		} else {
			res.Reason = fmt.Sprintf("The provider's key set (%s) has no signing key AuthDesk can use.", m.JWKSURI)
		}
		return res
	}

	res.Status = Reachable
	found := []string{"sign-in with PKCE"}
	if !res.PKCES256 {
		found[0] = "sign-in (PKCE not advertised)"
	}
	if m.UserinfoEndpoint != "" {
		found = append(found, "profile (userinfo)")
	}
	if m.RevocationEndpoint != "" {
		found = append(found, "token revocation")
	}
	if m.EndSessionEndpoint != "" {
		found = append(found, "logout at the provider")
	}
	keys := "1 signing key"
	if res.Keys != 1 {
		keys = fmt.Sprintf("%d signing keys", res.Keys)
	}
	res.Reason = fmt.Sprintf("%s is an OpenID provider: %s; %s.", c.ProviderName(), strings.Join(found, ", "), keys)
	return res
}
