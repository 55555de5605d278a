// Package oidctest is a small OpenID provider on loopback for tests of the
// layers above backend/oidc (the session manager, the bound structs): a real
// oidc.Client signs in against it. backend/oidc's own tests have a provider
// with a knob for every way one can misbehave; this one only does the happy
// path and the few refusals those layers act on.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Provider is an OpenID provider on loopback: discovery, an RSA JWKS, an authorization endpoint that sends the
// browser straight back (the person agrees at once) or with an error, a token
// endpoint that checks PKCE and rotates refresh tokens, userinfo and RFC 7009
// revocation. It signs ID tokens by the test's clock.
type Provider struct {
	t      testing.TB
	srv    *httptest.Server
	Issuer string
	now    func() time.Time
	key    *rsa.PrivateKey

	mu      sync.Mutex
	codes   map[string]pendingCode
	access  map[string]bool
	refresh map[string]bool // live refresh tokens
	revoked []string

	issued []string // every token handed out, for tests that look for leaks

	Deny         string // answer /authorize with this error
	RefreshError int    // answer refresh_token grants with this status (400: invalid_grant)
	// NoRefreshToken: the sign-in gives no refresh token (a client not
	// allowed offline_access).
	NoRefreshToken bool
	AccessTTL      time.Duration
}

type pendingCode struct{ challenge, nonce, redirect string }

// ClientID is the public client the provider knows.
const ClientID = "authdesk-test"

// The person who signs in.
const (
	Subject   = "u-42"
	GivenName = "Grace"
	Username  = "grace"
)

var (
	providerKeyOnce sync.Once
	providerKey     *rsa.PrivateKey
)

// New starts a provider that is closed when the test ends.
func New(t testing.TB, now func() time.Time) *Provider {
	t.Helper()
	providerKeyOnce.Do(func() {
		var err error
		if providerKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	p := &Provider{t: t, now: now, key: providerKey, codes: map[string]pendingCode{},
		access: map[string]bool{}, refresh: map[string]bool{}, AccessTTL: 15 * time.Minute}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.keys)
	mux.HandleFunc("GET /auth", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	mux.HandleFunc("POST /revoke", p.revoke)
	p.srv = httptest.NewServer(mux)
	p.Issuer = p.srv.URL
	t.Cleanup(p.srv.Close)
	return p
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	sendJSON(w, http.StatusOK, map[string]any{
		"issuer": p.Issuer, "authorization_endpoint": p.Issuer + "/auth", "token_endpoint": p.Issuer + "/token",
		"userinfo_endpoint": p.Issuer + "/userinfo", "jwks_uri": p.Issuer + "/keys", "revocation_endpoint": p.Issuer + "/revoke",
		"end_session_endpoint":     p.Issuer + "/logout",
		"response_types_supported": []string{"code"}, "grant_types_supported": []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported": []string{"S256"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"scopes_supported": []string{"openid", "profile", "email", "offline_access"},
	})
}

func (p *Provider) keys(w http.ResponseWriter, _ *http.Request) {
	enc := base64.RawURLEncoding.EncodeToString
	sendJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
		"n": enc(p.key.N.Bytes()), "e": enc(big.NewInt(int64(p.key.E)).Bytes()),
	}}})
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if q.Get("client_id") != ClientID || !strings.HasPrefix(redirect, "http://127.0.0.1:") {
		http.Error(w, "unknown client or redirect", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	p.mu.Lock()
	if p.Deny != "" {
		back.Set("error", p.Deny)
	} else {
		code := secret()
		p.codes[code] = pendingCode{q.Get("code_challenge"), q.Get("nonce"), redirect}
		back.Set("code", code)
	}
	p.mu.Unlock()
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	p.mu.Lock()
	defer p.mu.Unlock()
	switch f.Get("grant_type") {
	case "authorization_code":
		c, ok := p.codes[f.Get("code")]
		delete(p.codes, f.Get("code"))
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if !ok || c.redirect != f.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			sendJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		p.issueLocked(w, c.nonce, true)
	case "refresh_token":
		switch {
		case p.RefreshError == http.StatusBadRequest || !p.refresh[f.Get("refresh_token")]:
			sendJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		case p.RefreshError != 0:
			sendJSON(w, p.RefreshError, map[string]string{"error": "temporarily_unavailable"})
			return
		}
		delete(p.refresh, f.Get("refresh_token")) // rotation
		p.issueLocked(w, "", false)
	default:
		sendJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
	}
}

func (p *Provider) issueLocked(w http.ResponseWriter, nonce string, idToken bool) {
	at := secret()
	p.access[at] = true
	p.issued = append(p.issued, at)
	body := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": int(p.AccessTTL / time.Second)}
	if !p.NoRefreshToken {
		rt := secret()
		p.refresh[rt] = true
		p.issued = append(p.issued, rt)
		body["refresh_token"] = rt
	}
	if idToken {
		now := p.now()
		claims := jwt.MapClaims{"iss": p.Issuer, "aud": ClientID, "sub": Subject, "iat": now.Unix(),
			"exp": now.Add(10 * time.Minute).Unix(), "nonce": nonce,
			"given_name": "Grace", "family_name": "Hopper", "preferred_username": "grace", "email": "grace@example.org"}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(p.key)
		if err != nil {
			p.t.Error(err)
		}
		body["id_token"] = s
		p.issued = append(p.issued, s)
	}
	sendJSON(w, http.StatusOK, body)
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	ok := p.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	p.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	sendJSON(w, http.StatusOK, map[string]any{"sub": "u-42", "given_name": "Grace", "family_name": "Hopper",
		"preferred_username": "grace", "email": "grace@example.org", "email_verified": true})
}

func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p.mu.Lock()
	defer p.mu.Unlock()
	tok := r.PostForm.Get("token")
	p.revoked = append(p.revoked, tok)
	delete(p.refresh, tok)
	delete(p.access, tok)
}

// Set changes the provider's knobs under its lock.
func (p *Provider) Set(f func(p *Provider)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// Live reports whether refresh token tok is still usable at the provider.
func (p *Provider) Live(tok string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refresh[tok]
}

// Issued is every access, refresh and ID token handed out so far.
func (p *Provider) Issued() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.issued...)
}

// Revoked is every token presented for revocation.
func (p *Provider) Revoked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.revoked...)
}

func sendJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func secret() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
