package app

import (
	"context"
	"log/slog"
	"strings"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/oidc"
	"github.com/authdesk/authdesk/backend/session"
)

// Signing in with an OpenID provider (docs/OIDC.md): the bound API of the
// login page's "Sign in with <provider>", Settings' "Test connection" for a
// provider, and the home page's profile. Tokens stay in the session manager;
// what reaches the UI is a SessionView, a probe's findings and the person's
// profile claims.

// ProviderSettingsView is the OpenID provider part of the Settings form.
type ProviderSettingsView struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"clientId"`
	Scopes   string `json:"scopes"` // space-separated; "" means the defaults
}

// DefaultProviderScopes is what the scopes field starts with.
var DefaultProviderScopes = strings.Join(oidc.DefaultScopes, " ")

func (v ProviderSettingsView) config() oidc.Config {
	return oidc.Config{Issuer: v.Issuer, ClientID: v.ClientID, Scopes: []string{v.Scopes}}
}

func (v ProviderSettingsView) empty() bool {
	return strings.TrimSpace(v.Issuer+v.ClientID+v.Scopes) == ""
}

func providerSettingsView(s clientdb.Settings) ProviderSettingsView {
	v := ProviderSettingsView{Issuer: s.OIDCIssuer, ClientID: s.OIDCClientID, Scopes: s.OIDCScopes}
	if v.Scopes == "" {
		v.Scopes = DefaultProviderScopes
	}
	return v
}

func providerConfig(s clientdb.Settings) oidc.Config {
	return providerSettingsView(s).config().Normalize()
}

// normaliseProvider puts the form's provider into next: checked and
// normalised when the chosen kind needs one; otherwise a valid typed one is
// kept for later and anything else leaves the saved one.
func normaliseProvider(next *clientdb.Settings, v ProviderSettingsView, saved clientdb.Settings, needed bool) error {
	next.OIDCIssuer, next.OIDCClientID, next.OIDCScopes = saved.OIDCIssuer, saved.OIDCClientID, saved.OIDCScopes
	cfg := v.config()
	if err := cfg.Validate(); err != nil {
		if needed {
			return err
		}
		return nil
	}
	if !needed && v.empty() {
		return nil
	}
	cfg = cfg.Normalize()
	next.OIDCIssuer, next.OIDCClientID, next.OIDCScopes = cfg.Issuer, cfg.ClientID, strings.Join(cfg.Scopes, " ")
	return nil
}

// providerID keys a provider's saved session: tokens of one provider, client
// or set of scopes are never sent to another.
func providerID(k BackendKind, s clientdb.Settings) string {
	cfg := providerConfig(s)
	return k.Name + ":" + cfg.Issuer + " " + cfg.ClientID + " " + strings.Join(cfg.Scopes, " ")
}

func providerBackend(k BackendKind, s clientdb.Settings) session.Backend {
	cfg := providerConfig(s)
	auth := k.OpenProvider(cfg)
	label := cfg.Issuer
	if bl, ok := auth.(backend.BrowserLogin); ok {
		label = bl.ProviderName()
	}
	return session.Backend{Auth: auth, ID: providerID(k, s), Kind: k.Name, Label: label}
}

// BrowserSessions is the part of the session manager the provider sign-in
// needs (*session.Manager).
type BrowserSessions interface {
	LoginWithBrowser(ctx context.Context, open func(url string) error) (*session.Session, error)
	CancelBrowserLogin()
	Session(ctx context.Context) (*session.Session, error)
	Logout(ctx context.Context) error
	Backend() session.Backend
}

// ProviderProbeView is what "Test connection" found at an OpenID provider.
type ProviderProbeView struct {
	Issuer   string   `json:"issuer"`
	Status   string   `json:"status"` // an oidc probe status: reachable, unreachable, not_oidc, misconfigured
	Reason   string   `json:"reason"` // a sentence: what was found, or what is wrong
	Warnings []string `json:"warnings"`
	// What the provider advertises, as far as discovery got.
	Endpoints   []ClaimView `json:"endpoints"` // name and address
	PKCES256    bool        `json:"pkceS256"`
	Revocation  bool        `json:"revocation"`
	EndSession  bool        `json:"endSession"`
	Keys        int         `json:"keys"`
	SigningAlgs []string    `json:"signingAlgs"`
}

// ProfileView is what the provider says about the signed-in person: the
// standard claims as text, never a token.
type ProfileView struct {
	Subject    string      `json:"sub"`
	Name       string      `json:"name"`
	GivenName  string      `json:"givenName"`
	FamilyName string      `json:"familyName"`
	Email      string      `json:"email"`
	Claims     []ClaimView `json:"claims"`
	// ProviderLogout: the provider can end its own session too
	// (SignOutAtProvider opens its end-session page).
	ProviderLogout bool `json:"providerLogout"`
}

// ClaimView is one name and its value, as text.
type ClaimView struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// profileSource is a backend that remembers whom it signed in
// (*oidc.Client).
type profileSource interface {
	LastProfile() *oidc.Profile
}

// endSessioner is a backend with RP-initiated logout (*oidc.Client).
type endSessioner interface {
	EndSessionURL(idTokenHint string) string
}

// Provider is the bound API for signing in with an OpenID provider.
type Provider struct {
	Sessions BrowserSessions
	// Runtime brings the window to the front when the sign-in ends.
	Runtime Runtime
	// OpenURL opens an address in the system browser (Wails'
	// BrowserOpenURL; the e2e harness records it instead).
	OpenURL func(url string)
	Log     *slog.Logger
}

// SignInWithProvider opens the provider's sign-in page in the system browser
// and waits (at most 5 minutes) until the person has signed in there, then
// starts the session. It fails with a plain message when the person cancels,
// declines, takes too long, or the provider's answer is wrong.
func (p *Provider) SignInWithProvider() (*SessionView, error) {
	s, err := p.Sessions.LoginWithBrowser(context.Background(), func(url string) error {
		if p.OpenURL == nil {
			return backend.Errorf(backend.EINTERNAL, "this build cannot open a web browser")
		}
		p.OpenURL(url)
		return nil
	})
	if p.Runtime != nil {
		p.Runtime.ShowWindow()
	}
	if err != nil {
		if backend.ErrorCode(err) == backend.EINTERNAL || backend.ErrorCode(err) == backend.EUNAVAILABLE {
			p.log().Warn("sign-in with the provider failed", "err", err)
		}
		return nil, err
	}
	return sessionView(s), nil
}

// CancelProviderSignIn stops the sign-in in progress (the Cancel button);
// SignInWithProvider then returns "The sign-in was cancelled."
func (p *Provider) CancelProviderSignIn() {
	p.Sessions.CancelBrowserLogin()
}

// TestProvider fetches the provider's discovery document and keys and says
// what it found or exactly what is wrong. An incomplete form is an EINVALID
// error naming the field.
func (p *Provider) TestProvider(v ProviderSettingsView) (ProviderProbeView, error) {
	cfg := v.config()
	if err := cfg.Validate(); err != nil {
		return ProviderProbeView{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	r := oidc.Probe(ctx, cfg)
	out := ProviderProbeView{
		Issuer: r.Issuer, Status: r.Status, Reason: r.Reason, Warnings: r.Warnings,
		Endpoints: []ClaimView{}, PKCES256: r.PKCES256, Revocation: r.RevocationEndpoint != "",
		EndSession: r.EndSessionEndpoint != "", Keys: r.Keys, SigningAlgs: r.SigningAlgs,
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if out.SigningAlgs == nil {
		out.SigningAlgs = []string{}
	}
	for _, e := range []ClaimView{
		{"authorization", r.AuthorizationEndpoint}, {"token", r.TokenEndpoint}, {"userinfo", r.UserinfoEndpoint},
		{"revocation", r.RevocationEndpoint}, {"end_session", r.EndSessionEndpoint}, {"jwks", r.JWKSURI},
	} {
		if e.Value != "" {
			out.Endpoints = append(out.Endpoints, e)
		}
	}
	return out, nil
}

// Profile returns the signed-in person's profile claims as the provider
// gave them, or nil when nobody is signed in or the backend has no profiles.
// It makes no request: the claims are kept in memory from the last sign-in
// or refresh.
func (p *Provider) Profile() (*ProfileView, error) {
	s, err := p.Sessions.Session(context.Background())
	if err != nil || s == nil {
		return nil, err
	}
	src, ok := p.Sessions.Backend().Auth.(profileSource)
	if !ok {
		return nil, nil
	}
	prof := src.LastProfile()
	if prof == nil || prof.Subject != s.User.ID {
		return nil, nil // someone else's, or not known yet after a restart
	}
	out := &ProfileView{Subject: prof.Subject, Name: prof.Name, GivenName: prof.GivenName,
		FamilyName: prof.FamilyName, Email: prof.Email, Claims: make([]ClaimView, 0, len(prof.Claims))}
	for _, c := range prof.Claims {
		out.Claims = append(out.Claims, ClaimView{Name: c.Name, Value: c.Value})
	}
	if es, ok := p.Sessions.Backend().Auth.(endSessioner); ok {
		out.ProviderLogout = es.EndSessionURL("") != ""
	}
	return out, nil
}

// SignOutAtProvider logs out here (revoking the refresh token, as Logout
// does) and then opens the provider's end-session page in the system browser
// (OpenID Connect RP-Initiated Logout), so the provider's own session ends
// too and the next sign-in asks for the password again. The address carries
// the client ID but no ID token: the provider may ask the person to confirm.
// Without an end-session endpoint it is Logout.
func (p *Provider) SignOutAtProvider() error {
	endURL := ""
	if es, ok := p.Sessions.Backend().Auth.(endSessioner); ok {
		endURL = es.EndSessionURL("")
	}
	if err := p.Sessions.Logout(context.Background()); err != nil {
		return err
	}
	if endURL != "" && p.OpenURL != nil {
		p.OpenURL(endURL)
	}
	return nil
}

func (p *Provider) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
