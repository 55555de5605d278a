package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/authdesk/authdesk/backend"
)

// CallbackPath is the loopback redirect's path. Register
// http://127.0.0.1/callback at the provider; RFC 8252 section 7.3 has the
// provider accept it with any port.
const CallbackPath = "/callback"

// MaxCallbackHeaderBytes caps the request headers the loopback listener
// reads; the browser's answer is one short GET.
const MaxCallbackHeaderBytes = 16 << 10

// Login is one browser sign-in in progress. The listener it opened accepts
// exactly one answer; it is closed when the sign-in ends, whichever way.
type Login struct {
	c        *Client
	d        *discovered
	oauth    oauth2.Config
	authURL  string
	redirect string
	state    string
	nonce    string
	verifier string

	ln      net.Listener
	host    string // the listener's address, the only Host the callback accepts
	srv     *http.Server
	ctx     context.Context // ends with the sign-in; bounds the code exchange
	cancel  context.CancelFunc
	claimed atomic.Bool // the first callback with the right path took the sign-in

	once    sync.Once
	done    chan struct{}
	grant   *backend.Grant
	profile *Profile
	err     error
}

// Begin prepares a browser sign-in: it discovers the provider, makes a PKCE
// verifier (S256), a state and a nonce, and starts listening on
// http://127.0.0.1:<ephemeral port>/callback. Open AuthURL in the system
// browser, then call Wait. The sign-in ends, and the listener closes, when an
// answer arrives, on Cancel, when ctx ends, or after LoginTimeout.
func (c *Client) Begin(ctx context.Context) (*Login, error) {
	d, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	state, err := randomString()
	if err != nil {
		return nil, backend.Wrap(backend.EINTERNAL, err, "Could not start the sign-in")
	}
	nonce, err := randomString()
	if err != nil {
		return nil, backend.Wrap(backend.EINTERNAL, err, "Could not start the sign-in")
	}
	// RFC 8252 section 8.3: the loopback IP literal, not "localhost", so no
	// other interface or a hijacked name can take the answer. IPv6 only if
	// this computer has no IPv4 loopback (section 7.3).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		var err6 error
		if ln, err6 = net.Listen("tcp", "[::1]:0"); err6 != nil {
			return nil, backend.Wrap(backend.EINTERNAL, err, "Could not open a local port for the browser to return to")
		}
	}
	l := &Login{
		c: c, d: d, oauth: d.oauth, state: state, nonce: nonce, verifier: oauth2.GenerateVerifier(),
		ln: ln, done: make(chan struct{}),
	}
	l.host = ln.Addr().String() // 127.0.0.1:port or [::1]:port
	l.redirect = "http://" + l.host + CallbackPath
	l.oauth.RedirectURL = l.redirect
	l.authURL = l.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(l.verifier), oauth2.SetAuthURLParam("nonce", nonce))
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	l.srv = &http.Server{
		Handler:           http.HandlerFunc(l.serve),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      time.Minute,
		MaxHeaderBytes:    MaxCallbackHeaderBytes,
	}
	go func() { _ = l.srv.Serve(ln) }()

	timeout := c.LoginTimeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	go func() {
		t := time.NewTimer(timeout)
		defer t.Stop()
		select {
		case <-l.done:
		case <-ctx.Done():
			l.finish(nil, nil, cancelled(ctx.Err()))
		case <-t.C:
			l.finish(nil, nil, backend.Wrap(backend.EUNAUTHORIZED, context.DeadlineExceeded,
				"The sign-in was not finished within %s, so AuthDesk stopped waiting. Please sign in again.", roundDuration(timeout)))
		}
	}()
	return l, nil
}

// AuthURL is the provider's authorization address to open in the system
// browser. It carries state, nonce and the PKCE challenge, never a secret.
func (l *Login) AuthURL() string { return l.authURL }

// RedirectURI is the loopback address the browser returns to.
func (l *Login) RedirectURI() string { return l.redirect }

// Done is closed when the sign-in has ended and its listener is closed.
func (l *Login) Done() <-chan struct{} { return l.done }

// Wait blocks until the sign-in ends and returns its Grant. If ctx ends
// first, the sign-in is cancelled. Calling Wait again returns the same result.
func (l *Login) Wait(ctx context.Context) (*backend.Grant, error) {
	select {
	case <-l.done:
	case <-ctx.Done():
		l.finish(nil, nil, cancelled(ctx.Err()))
		<-l.done
	}
	return l.grant, l.err
}

// Cancel ends the sign-in (the person pressed Cancel). Wait then returns an
// EUNAUTHORIZED error that wraps context.Canceled.
func (l *Login) Cancel() { l.finish(nil, nil, cancelled(context.Canceled)) }

// String names the sign-in by its redirect URI only: state, nonce and the
// PKCE verifier stay out of logs, even from a stray %v.
func (l *Login) String() string { return "oidc.Login{" + l.redirect + "}" }

// GoString is String, for %#v.
func (l *Login) GoString() string { return l.String() }

// Profile waits for the sign-in to end and returns the person's profile, or
// nil if it failed.
func (l *Login) Profile() *Profile {
	<-l.done
	return l.profile
}

func cancelled(cause error) error {
	if errors.Is(cause, context.DeadlineExceeded) {
		return backend.Wrap(backend.EUNAUTHORIZED, cause, "The sign-in took too long and was stopped. Please sign in again.")
	}
	return backend.Wrap(backend.EUNAUTHORIZED, context.Canceled, "The sign-in was cancelled.")
}

// finish records the outcome once and closes the listener before anyone
// learns the outcome: once Done is closed, the port refuses connections.
// A page being written to the browser still completes (Shutdown waits for it).
// It reports whether this outcome was the one recorded.
func (l *Login) finish(g *backend.Grant, p *Profile, err error) bool {
	return l.finishWith(g, p, err, nil)
}

// finishWith is finish that also runs onRecord, before Done is closed, if
// this outcome is the one recorded.
func (l *Login) finishWith(g *backend.Grant, p *Profile, err error, onRecord func()) (recorded bool) {
	l.once.Do(func() {
		recorded = true
		l.grant, l.profile, l.err = g, p, err
		if onRecord != nil {
			onRecord()
		}
		_ = l.ln.Close()
		l.cancel() // stops a code exchange still under way
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if l.srv.Shutdown(ctx) != nil {
				_ = l.srv.Close()
			}
		}()
		close(l.done)
	})
	return recorded
}

// serve answers the browser. Only GET /callback counts; anything else (a
// favicon request) gets a 404 and leaves the sign-in waiting.
func (l *Login) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	// A request naming another host is a web page that rebound its own DNS
	// name to 127.0.0.1; it does not get to end or answer the sign-in.
	if r.Host != l.host {
		http.Error(w, "wrong host", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path != CallbackPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !l.claimed.CompareAndSwap(false, true) {
		writePage(w, http.StatusConflict, pageAlreadyDone, "")
		return
	}
	if hook := l.c.OnCallback; hook != nil {
		go hook()
	}
	g, p, remember, err := l.complete(r.URL.Query())
	if !l.finishWith(g, p, err, remember) {
		// Cancelled or timed out while the code was being exchanged: the
		// tokens that arrived anyway are revoked, not left live at the provider.
		if g != nil {
			go l.c.revokeUnused(g)
		}
		g, p, err = nil, nil, l.err
	}
	if err != nil {
		writePage(w, http.StatusOK, pageFailed, backend.ErrorMessage(err))
		return
	}
	who := p.GivenName
	if who == "" {
		who = g.User.Username
	}
	writePage(w, http.StatusOK, pageSignedIn, who)
}

// revokeUnused revokes a grant nobody will use.
func (c *Client) revokeUnused(g *backend.Grant) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := c.Revoke(ctx, g.AccessToken, g.RefreshToken); err != nil {
		c.log().Warn("oidc: could not revoke the tokens of a cancelled sign-in", "provider", c.ProviderName(), "err", err)
	}
}

// complete checks the browser's answer and turns the code into a Grant.
// On success, remember records the verified claims in the client; it runs
// only if this outcome is the sign-in's result.
func (l *Login) complete(q url.Values) (g *backend.Grant, p *Profile, remember func(), err error) {
	c, name := l.c, l.c.ProviderName()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(l.state)) != 1 {
		return nil, nil, nil, backend.Errorf(backend.EUNAUTHORIZED,
			"The answer that reached AuthDesk does not belong to this sign-in (its state does not match), so it was refused. Please sign in again.")
	}
	// RFC 9207: the iss parameter names who answered (mix-up defence).
	if iss, has := q["iss"]; has || l.d.meta.IssParameterSupported {
		if len(iss) == 0 || iss[0] != c.cfg.Issuer {
			return nil, nil, nil, backend.Errorf(backend.EUNAUTHORIZED,
				"The answer that reached AuthDesk came from another provider than %s, so it was refused.", c.cfg.Issuer)
		}
	}
	if e := q.Get("error"); e != "" {
		return nil, nil, nil, authorizeError(name, e, q.Get("error_description"))
	}
	code := q.Get("code")
	if code == "" {
		return nil, nil, nil, backend.Errorf(backend.EUNAVAILABLE, "%s sent the browser back without an authorization code.", name)
	}
	tok, err := l.oauth.Exchange(c.tokenCtx(l.ctx), code, oauth2.VerifierOption(l.verifier))
	if err != nil {
		if l.ctx.Err() != nil {
			return nil, nil, nil, cancelled(l.ctx.Err())
		}
		return nil, nil, nil, c.tokenError(err, duringSignIn)
	}
	if tok.AccessToken == "" {
		return nil, nil, nil, backend.Errorf(backend.EUNAVAILABLE, "%s answered the sign-in without an access token.", name)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, nil, nil, backend.Errorf(backend.EUNAVAILABLE,
			"%s answered the sign-in without an ID token. Make sure the client may use the openid scope.", name)
	}
	claims, err := c.verifyIDToken(l.ctx, l.d, raw, l.nonce, tok.AccessToken)
	if err != nil {
		return nil, nil, nil, err
	}
	claims = c.withUserinfo(l.ctx, l.d, claims, tok.AccessToken)
	return c.grant(tok, claims), claims.profile(), func() { c.remember(claims, raw) }, nil
}

// authorizeError maps an error answer from the authorization endpoint (RFC
// 6749 section 4.1.2.1; OpenID Connect Core section 3.1.2.6).
func authorizeError(name, code, desc string) error {
	switch code {
	case "access_denied":
		return backend.Errorf(backend.EUNAUTHORIZED, "The sign-in was declined at %s (%s).", name, describe(code, desc))
	case "login_required", "consent_required", "interaction_required", "account_selection_required":
		return backend.Errorf(backend.EUNAUTHORIZED, "%s needs you to finish signing in there (%s). Please sign in again.", name, describe(code, desc))
	case "temporarily_unavailable", "server_error":
		return backend.Errorf(backend.EUNAVAILABLE, "%s could not sign you in right now (%s). Try again later.", name, describe(code, desc))
	case "invalid_scope":
		return backend.Errorf(backend.EINVALID, "%s refused the requested scopes (%s). Check the scopes in Settings.", name, describe(code, desc))
	case "unauthorized_client", "invalid_client", "invalid_request", "unsupported_response_type", "invalid_request_uri", "request_not_supported":
		return backend.Errorf(backend.EINVALID, "%s refused AuthDesk's sign-in request (%s). Check the client ID and that the client is registered as a native app with redirect http://127.0.0.1/callback.", name, describe(code, desc))
	}
	return backend.Errorf(backend.EUNAVAILABLE, "%s could not sign you in: %s", name, describe(code, desc))
}

// randomString is 256 bits from the system's CSPRNG, base64url.
func randomString() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func roundDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		if d == time.Minute {
			return "1 minute"
		}
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
	return d.Round(time.Millisecond).String()
}
