package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/authdesk/authdesk/backend"
)

// metadata is the part of the discovery document (OpenID Connect Discovery
// 1.0 section 3, RFC 8414) AuthDesk uses.
type metadata struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	IssParameterSupported             bool     `json:"authorization_response_iss_parameter_supported"`
}

// discovered is a provider whose discovery document passed the checks.
type discovered struct {
	meta     metadata
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	oauth    oauth2.Config // RedirectURL is set per login
}

// problem is what is wrong with a provider, for Probe and for the error the
// other calls return.
type problem struct {
	status string // a Probe status: Unreachable, NotOIDC, Misconfigured
	code   string // the backend error code
	msg    string
	cause  error
}

func (p *problem) err() error { return backend.Wrap(p.code, p.cause, "%s", p.msg) }

func unreachable(c *Client, err error) *problem {
	return &problem{status: Unreachable, code: backend.EUNAVAILABLE, msg: backend.ErrorMessage(c.transportError(err)), cause: err}
}

func misconfigured(format string, args ...any) *problem {
	msg := fmt.Sprintf(format, args...)
	return &problem{status: Misconfigured, code: backend.EINVALID, msg: msg, cause: errors.New(msg)}
}

func notOIDC(format string, args ...any) *problem {
	msg := fmt.Sprintf(format, args...)
	return &problem{status: NotOIDC, code: backend.EUNAVAILABLE, msg: msg, cause: errors.New(msg)}
}

// wellKnown is the discovery document's address for issuer.
func wellKnown(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// getJSON fetches url and decodes a JSON object into v. what names the
// document in messages.
func (c *Client) getJSON(ctx context.Context, url, what string, v any) *problem {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return misconfigured("The %s address %q is not a valid URL", what, url)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return unreachable(c, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return unreachable(c, err)
	}
	switch {
	case resp.StatusCode >= 500:
		return &problem{status: Unreachable, code: backend.EUNAVAILABLE, cause: fmt.Errorf("%s: HTTP %d", url, resp.StatusCode),
			msg: fmt.Sprintf("%s answered the %s request with an error (HTTP %d); it may be starting or broken.", c.ProviderName(), what, resp.StatusCode)}
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return notOIDC("%s redirects the %s request to %q. Use the issuer URL exactly as the provider publishes it.", c.ProviderName(), what, resp.Header.Get("Location"))
	case resp.StatusCode == http.StatusNotFound:
		return notOIDC("There is no %s at %s (HTTP 404). Check the issuer URL: it is the address before /.well-known/openid-configuration.", what, url)
	case resp.StatusCode != http.StatusOK:
		return notOIDC("%s answered the %s request with HTTP %d.", c.ProviderName(), what, resp.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "text/html" {
		return notOIDC("%s answered with a web page, not the JSON %s. Check the issuer URL.", url, what)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return notOIDC("The %s at %s is not valid JSON.", what, url)
	}
	return nil
}

// fetchMetadata gets the discovery document and checks it. warnings are
// things that do not stop a sign-in but a person should know.
func (c *Client) fetchMetadata(ctx context.Context) (m metadata, warnings []string, p *problem) {
	if err := c.cfg.Validate(); err != nil {
		return m, nil, &problem{status: Misconfigured, code: backend.EINVALID, msg: backend.ErrorMessage(err), cause: err}
	}
	if p := c.getJSON(ctx, wellKnown(c.cfg.Issuer), "discovery document", &m); p != nil {
		return m, nil, p
	}
	// OpenID Connect Discovery section 4.3: the issuer in the document must be
	// exactly the one it was fetched for, or ID tokens could come from anyone.
	if m.Issuer != c.cfg.Issuer {
		if m.Issuer == "" {
			return m, nil, notOIDC("The discovery document at %s has no issuer.", wellKnown(c.cfg.Issuer))
		}
		return m, nil, misconfigured("The provider calls itself %q, not %q. Use exactly %q as the issuer URL.", m.Issuer, c.cfg.Issuer, m.Issuer)
	}
	for _, f := range []struct{ name, val string }{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"jwks_uri", m.JWKSURI},
	} {
		if f.val == "" {
			return m, nil, notOIDC("The discovery document has no %s, so AuthDesk cannot sign in with it.", f.name)
		}
	}
	for _, f := range []struct{ name, val string }{
		{"authorization_endpoint", m.AuthorizationEndpoint},
		{"token_endpoint", m.TokenEndpoint},
		{"jwks_uri", m.JWKSURI},
		{"userinfo_endpoint", m.UserinfoEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint},
		{"end_session_endpoint", m.EndSessionEndpoint},
	} {
		if f.val == "" {
			continue
		}
		if err := checkEndpointURL("The provider's "+f.name, f.val); err != nil {
			return m, nil, misconfigured("%s (it is %q).", backend.ErrorMessage(err), f.val)
		}
	}
	if len(m.ResponseTypesSupported) > 0 && !slices.Contains(m.ResponseTypesSupported, "code") {
		return m, nil, misconfigured("The provider does not offer the authorization code flow (response_types_supported has no \"code\").")
	}
	if len(m.GrantTypesSupported) > 0 && !slices.Contains(m.GrantTypesSupported, "authorization_code") {
		return m, nil, misconfigured("The provider does not offer the authorization_code grant.")
	}
	switch {
	case len(m.CodeChallengeMethodsSupported) == 0:
		warnings = append(warnings, "The provider does not advertise PKCE (code_challenge_methods_supported). AuthDesk sends S256 anyway; if sign-in fails, enable PKCE for the client.")
	case !slices.Contains(m.CodeChallengeMethodsSupported, "S256"):
		return m, nil, misconfigured("The provider does not support PKCE with S256 (it offers %s). A desktop app needs S256 (RFC 7636, RFC 8252).", strings.Join(m.CodeChallengeMethodsSupported, ", "))
	}
	if len(m.GrantTypesSupported) > 0 && !slices.Contains(m.GrantTypesSupported, "refresh_token") {
		warnings = append(warnings, "The provider does not advertise refresh tokens: a session will end when its access token expires.")
	} else if len(m.ScopesSupported) > 0 && slices.Contains(c.cfg.Scopes, "offline_access") && !slices.Contains(m.ScopesSupported, "offline_access") {
		warnings = append(warnings, "The provider does not list the offline_access scope: it may not issue refresh tokens, and a session would end when its access token expires.")
	}
	if m.RevocationEndpoint == "" {
		warnings = append(warnings, "The provider has no revocation endpoint: logging out ends the session in AuthDesk, but the provider keeps the refresh token until it expires.")
	}
	return m, warnings, nil
}

// discover returns the provider's checked discovery document, fetching it on
// first use. A failure is not cached: the next call tries again.
func (c *Client) discover(ctx context.Context) (*discovered, error) {
	c.mu.Lock()
	d := c.disc
	c.mu.Unlock()
	if d != nil {
		return d, nil
	}
	m, _, p := c.fetchMetadata(ctx)
	if p != nil {
		return nil, p.err()
	}
	d = c.newDiscovered(m)
	c.mu.Lock()
	if c.disc == nil {
		c.disc = d
	}
	d = c.disc
	c.mu.Unlock()
	return d, nil
}

// cached returns the discovery document if one was fetched.
func (c *Client) cached() *discovered {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.disc
}

func (c *Client) newDiscovered(m metadata) *discovered {
	// go-oidc takes its HTTP client from a context value; cancellation of
	// that context is ignored, so a background context is right: the key set
	// outlives any one call.
	hctx := gooidc.ClientContext(context.Background(), c.http)
	var algs []string
	for _, a := range m.IDTokenSigningAlgValuesSupported {
		if a != "none" && !strings.HasPrefix(a, "HS") { // a public client has no secret to check HS* with
			algs = append(algs, a)
		}
	}
	pc := gooidc.ProviderConfig{
		IssuerURL:   m.Issuer,
		AuthURL:     m.AuthorizationEndpoint,
		TokenURL:    m.TokenEndpoint,
		UserInfoURL: m.UserinfoEndpoint,
		JWKSURL:     m.JWKSURI,
		Algorithms:  algs,
	}
	prov := pc.NewProvider(hctx)
	return &discovered{
		meta:     m,
		provider: prov,
		verifier: prov.VerifierContext(hctx, &gooidc.Config{ClientID: c.cfg.ClientID, Now: c.now}),
		oauth: oauth2.Config{
			ClientID: c.cfg.ClientID,
			Endpoint: oauth2.Endpoint{
				AuthURL:   m.AuthorizationEndpoint,
				TokenURL:  m.TokenEndpoint,
				AuthStyle: oauth2.AuthStyleInParams, // a public client: client_id in the body, no secret
			},
			Scopes: c.cfg.Scopes,
		},
	}
}
