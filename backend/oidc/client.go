package oidc

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Limits. A provider answers in milliseconds; these stop a stuck or hostile
// one from holding the window or its memory.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 15 * time.Second
	// DefaultLoginTimeout is how long a browser sign-in may take before the
	// listener closes and Wait gives up.
	DefaultLoginTimeout = 5 * time.Minute
	// MaxBodyBytes caps every answer read from the provider (discovery, JWKS,
	// token, userinfo). Real ones are a few kilobytes.
	MaxBodyBytes = 1 << 20
)

// Client talks to one provider for one client ID. It is safe for concurrent
// use. The discovery document is fetched on first use and kept; the JWKS is
// fetched when a token names a key it has not seen (key rollover).
type Client struct {
	cfg     Config
	http    *http.Client
	timeout time.Duration

	// Now is the clock for ID token expiry and for turning expires_in into
	// an expiry time.
	Now func() time.Time
	// LoginTimeout bounds a browser sign-in (DefaultLoginTimeout).
	LoginTimeout time.Duration
	// OnCallback, if set, is called (in its own goroutine) when the browser
	// comes back to the loopback listener, whatever the outcome, so the app
	// can bring its window to the front.
	OnCallback func()
	// Logger receives what a person need not see (never a token).
	Logger *slog.Logger

	mu    sync.Mutex
	disc  *discovered // nil until discovery succeeded
	last  *Profile    // claims of the last verified ID token and userinfo
	idTok string      // the last verified ID token, for EndSessionURL's hint
}

// Option changes how NewClient builds the Client.
type Option func(*options)

type options struct {
	httpClient *http.Client
	rootCAs    *x509.CertPool
	timeout    time.Duration
}

// WithHTTPClient replaces the HTTP client (transport, TLS). Redirects are
// still not followed and answers are still size-capped.
func WithHTTPClient(c *http.Client) Option { return func(o *options) { o.httpClient = c } }

// WithRootCAs trusts pool instead of the system's roots (a private CA).
func WithRootCAs(pool *x509.CertPool) Option { return func(o *options) { o.rootCAs = pool } }

// WithTimeout bounds each request to the provider.
func WithTimeout(d time.Duration) Option { return func(o *options) { o.timeout = d } }

// NewClient returns a client for cfg (normalized). It does not contact the
// provider; the first Begin, Refresh, Revoke or Probe does. Call
// cfg.Validate first: a bad config fails each call with EINVALID.
func NewClient(cfg Config, opts ...Option) *Client {
	o := options{timeout: DefaultTimeout}
	for _, f := range opts {
		f(&o)
	}
	c := &Client{cfg: cfg.Normalize(), timeout: o.timeout, Now: time.Now, LoginTimeout: DefaultLoginTimeout}
	var hc http.Client
	if o.httpClient != nil {
		hc = *o.httpClient // a copy: the caller's client is not changed
		if hc.Timeout > 0 {
			c.timeout = hc.Timeout
		} else {
			hc.Timeout = o.timeout
		}
	} else {
		hc = http.Client{
			Timeout: o.timeout,
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: DefaultConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
				TLSClientConfig:       &tls.Config{RootCAs: o.rootCAs, MinVersion: tls.VersionTLS12},
				TLSHandshakeTimeout:   DefaultConnectTimeout,
				ForceAttemptHTTP2:     true,
				MaxIdleConns:          4,
				IdleConnTimeout:       90 * time.Second,
				ExpectContinueTimeout: time.Second,
			},
		}
	}
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = capTransport{rt}
	hc.Jar = nil
	// A redirect is reported, not followed: a POST would become a GET, and a
	// token must not follow a redirect to another host.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &hc
	return c
}

// String names the client by issuer and client ID only; the ID token it
// keeps for EndSessionURL stays out of logs, even from a stray %v.
func (c *Client) String() string {
	return "oidc.Client{" + c.cfg.Issuer + " " + c.cfg.ClientID + "}"
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Config is the normalized configuration the client uses.
func (c *Client) Config() Config { return c.cfg }

// Issuer is the provider's issuer URL as configured.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// ProviderName is a short name for messages and the login button: the
// issuer's host (and path, for multi-tenant issuers).
func (c *Client) ProviderName() string { return providerName(c.cfg.Issuer) }

func providerName(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" {
		return issuer
	}
	name := u.Host
	if p := trimSlash(u.Path); p != "" {
		name += "/" + p
	}
	return name
}

func trimSlash(s string) string {
	for len(s) > 0 && s[0] == '/' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

func (c *Client) log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// capTransport cuts every answer at MaxBodyBytes.
type capTransport struct{ rt http.RoundTripper }

func (t capTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err == nil && resp.Body != nil {
		resp.Body = &cappedBody{rc: resp.Body, left: MaxBodyBytes}
	}
	return resp, err
}

type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, &http.MaxBytesError{Limit: MaxBodyBytes}
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n - 1, &http.MaxBytesError{Limit: MaxBodyBytes}
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }
