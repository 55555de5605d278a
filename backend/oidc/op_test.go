package oidc_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testOP is a small OpenID provider for the failure paths: discovery, a JWKS
// of RSA keys (with rollover), an authorization endpoint that redirects at
// once (the person "agrees" instantly), a token endpoint that checks PKCE,
// refresh with rotation, userinfo and RFC 7009 revocation. Knobs make it
// misbehave in one way at a time.
type testOP struct {
	t        *testing.T
	srv      *httptest.Server
	issuer   string
	clientID string

	mu       sync.Mutex
	keys     []*sigKey // published in the JWKS
	signer   *sigKey   // signs ID tokens
	codes    map[string]*authCode
	access   map[string]string // access token -> sub
	refresh  map[string]string // active refresh token -> sub
	revoked  []string
	jwksHits int
	tokenReq []url.Values

	// knobs
	discoveryStatus int                  // answer discovery with this status
	discoveryBody   string               // answer discovery with this body
	discoveryDelay  time.Duration        // answer discovery this late
	meta            func(map[string]any) // edit the discovery document
	jwksBody        string               // answer the JWKS with this body
	authorizeError  string               // answer /authorize with this error
	tokenStatus     int                  // token endpoint answers this status with tokenError
	tokenError      string
	idClaims        func(jwt.MapClaims) // edit ID token claims
	noRotate        bool                // refresh keeps the refresh token
	noRefreshToken  bool                // no refresh token at all
	refreshIDToken  bool                // refresh also returns an ID token
	accessTTL       time.Duration
	revokeStatus    int
	userinfoStatus  int           // answer userinfo with this status
	userinfoGate    chan struct{} // userinfo waits for this to close
	userinfoHits    int
}

type sigKey struct {
	kid  string
	priv *rsa.PrivateKey
}

type authCode struct {
	challenge, nonce, redirect, sub string
}

var testUser = map[string]any{
	"sub": "248289761001", "preferred_username": "ada", "given_name": "Ada", "family_name": "Lovelace",
	"name": "Ada Lovelace", "email": "ada@example.org", "email_verified": true, "locale": "en-GB",
}

// Three RSA keys shared by all tests (generating one takes a while): key 0
// is every provider's first signing key, 1 and 2 are "other" keys.
var (
	keyOnce sync.Once
	keyPool [3]*rsa.PrivateKey
	keyErr  error
)

func newKey(t *testing.T, kid string, i int) *sigKey {
	t.Helper()
	keyOnce.Do(func() {
		for n := range keyPool {
			if keyPool[n], keyErr = rsa.GenerateKey(rand.Reader, 2048); keyErr != nil {
				return
			}
		}
	})
	if keyErr != nil {
		t.Fatal(keyErr)
	}
	return &sigKey{kid: kid, priv: keyPool[i]}
}

func newTestOP(t *testing.T) *testOP {
	t.Helper()
	op := &testOP{
		t: t, clientID: "authdesk-desktop",
		codes: map[string]*authCode{}, access: map[string]string{}, refresh: map[string]string{},
		accessTTL: 5 * time.Minute,
	}
	k := newKey(t, "key-1", 0)
	op.keys, op.signer = []*sigKey{k}, k
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	mux.HandleFunc("GET /userinfo", op.userinfo)
	mux.HandleFunc("POST /revoke", op.revoke)
	op.srv = httptest.NewServer(mux) // 127.0.0.1
	op.issuer = op.srv.URL
	t.Cleanup(op.srv.Close)
	return op
}

func (op *testOP) discovery(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	delay := op.discoveryDelay
	op.mu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.discoveryStatus != 0 {
		w.WriteHeader(op.discoveryStatus)
		fmt.Fprint(w, op.discoveryBody)
		return
	}
	if op.discoveryBody != "" {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, op.discoveryBody)
		return
	}
	m := map[string]any{
		"issuer":                                op.issuer,
		"authorization_endpoint":                op.issuer + "/authorize",
		"token_endpoint":                        op.issuer + "/token",
		"userinfo_endpoint":                     op.issuer + "/userinfo",
		"jwks_uri":                              op.issuer + "/jwks",
		"revocation_endpoint":                   op.issuer + "/revoke",
		"end_session_endpoint":                  op.issuer + "/logout?ui=simple",
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code", "refresh_token"},
		"code_challenge_methods_supported":      []string{"S256"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"subject_types_supported":               []string{"public"},
	}
	if op.meta != nil {
		op.meta(m)
	}
	writeJSON(w, http.StatusOK, m)
}

func (op *testOP) jwks(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.jwksHits++
	if op.jwksBody != "" {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, op.jwksBody)
		return
	}
	var keys []map[string]any
	for _, k := range op.keys {
		keys = append(keys, map[string]any{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": k.kid,
			"n": b64(k.priv.N.Bytes()), "e": b64(big.NewInt(int64(k.priv.E)).Bytes()),
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}

// rollover publishes a new signing key, signs with it from now on and retires
// the old ones, as a provider does after a key rotation.
func (op *testOP) rollover(kid string) {
	k := newKey(op.t, kid, 2)
	op.mu.Lock()
	op.keys, op.signer = []*sigKey{k}, k
	op.mu.Unlock()
}

func isLoopbackCallback(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "http" && u.Hostname() == "127.0.0.1" && u.Port() != "" && u.Path == "/callback" && u.RawQuery == ""
}

func (op *testOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != op.clientID {
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if !isLoopbackCallback(redirect) {
		http.Error(w, "redirect_uri is not registered", http.StatusBadRequest)
		return
	}
	back := func(params url.Values) {
		params.Set("state", q.Get("state"))
		params.Set("iss", op.issuer)
		http.Redirect(w, r, redirect+"?"+params.Encode(), http.StatusFound)
	}
	op.mu.Lock()
	denied := op.authorizeError
	op.mu.Unlock()
	switch {
	case denied != "":
		back(url.Values{"error": {denied}, "error_description": {"test provider says " + denied}})
		return
	case q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		back(url.Values{"error": {"invalid_request"}, "error_description": {"PKCE S256 is required"}})
		return
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "):
		back(url.Values{"error": {"invalid_scope"}})
		return
	}
	code := randToken()
	op.mu.Lock()
	op.codes[code] = &authCode{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: redirect, sub: testUser["sub"].(string)}
	op.mu.Unlock()
	back(url.Values{"code": {code}})
}

func (op *testOP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	op.tokenReq = append(op.tokenReq, r.PostForm)
	if r.PostForm.Get("client_id") != op.clientID || r.Header.Get("Authorization") != "" {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if op.tokenStatus != 0 {
		oauthError(w, op.tokenStatus, op.tokenError)
		return
	}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c, ok := op.codes[r.PostForm.Get("code")]
		delete(op.codes, r.PostForm.Get("code")) // one use
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || c.redirect != r.PostForm.Get("redirect_uri") || b64(sum[:]) != c.challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		op.issueLocked(w, c.sub, c.nonce, !op.noRefreshToken, true, "")
	case "refresh_token":
		old := r.PostForm.Get("refresh_token")
		sub, ok := op.refresh[old]
		if !ok {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		keep := ""
		if op.noRotate {
			keep = old
		} else {
			delete(op.refresh, old)
		}
		op.issueLocked(w, sub, "", !op.noRotate, op.refreshIDToken, keep)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

// issueLocked answers a token request. keep is a refresh token that stays
// valid (not rotated), and is not sent again.
func (op *testOP) issueLocked(w http.ResponseWriter, sub, nonce string, newRefresh, idToken bool, keep string) {
	at := randToken()
	op.access[at] = sub
	body := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": int(op.accessTTL / time.Second)}
	if newRefresh {
		rt := randToken()
		op.refresh[rt] = sub
		body["refresh_token"] = rt
	}
	if idToken {
		now := time.Now()
		sum := sha256.Sum256([]byte(at))
		claims := jwt.MapClaims{
			"iss": op.issuer, "sub": sub, "aud": op.clientID, "exp": now.Add(10 * time.Minute).Unix(),
			"iat": now.Unix(), "at_hash": b64(sum[:16]),
			"given_name": testUser["given_name"], "preferred_username": testUser["preferred_username"],
		}
		if nonce != "" {
			claims["nonce"] = nonce
		}
		if op.idClaims != nil {
			op.idClaims(claims)
		}
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
		tok.Header["kid"] = op.signer.kid
		s, err := tok.SignedString(op.signer.priv)
		if err != nil {
			op.t.Error(err)
		}
		body["id_token"] = s
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, body)
}

func (op *testOP) userinfo(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	sub, ok := op.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	status, gate := op.userinfoStatus, op.userinfoGate
	op.userinfoHits++
	op.mu.Unlock()
	if gate != nil {
		<-gate
	}
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	u := map[string]any{}
	for k, v := range testUser {
		u[k] = v
	}
	u["sub"] = sub
	u["updated_at"] = 1700000000
	writeJSON(w, http.StatusOK, u)
}

func (op *testOP) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if op.revokeStatus != 0 {
		oauthError(w, op.revokeStatus, "temporarily_unavailable")
		return
	}
	if r.PostForm.Get("client_id") != op.clientID {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	tok := r.PostForm.Get("token")
	op.revoked = append(op.revoked, r.PostForm.Get("token_type_hint")+":"+tok)
	delete(op.refresh, tok)
	delete(op.access, tok)
	w.WriteHeader(http.StatusOK)
}

func (op *testOP) set(f func(op *testOP)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	f(op)
}

func (op *testOP) activeRefresh(tok string) bool {
	op.mu.Lock()
	defer op.mu.Unlock()
	_, ok := op.refresh[tok]
	return ok
}

func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": "test provider says " + code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func randToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return b64(b)
}

// freeAddr is a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
