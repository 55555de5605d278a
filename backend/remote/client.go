package remote

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Limits. A login server answers in milliseconds; these only stop a stuck or
// hostile server from holding the window or its memory.
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultTimeout        = 15 * time.Second
	// MaxBodyBytes caps every response body read. The largest honest answer,
	// a user list, is far below it.
	MaxBodyBytes = 1 << 20
)

// Client talks to one server. It is safe for concurrent use.
type Client struct {
	base    string // scheme://host[:port][/path], no trailing slash
	display string // base without any user:password, for messages
	http    *http.Client
	timeout time.Duration // for messages only

	// Now is the clock used to turn a cookie's Max-Age into an expiry.
	Now func() time.Time

	offers accountOffers // whether the server has the account routes (account.go)
}

var _ backend.Authenticator = (*Client)(nil) // the whole tutorial contract

// Option changes how NewClient builds the Client.
type Option func(*config)

type config struct {
	httpClient *http.Client
	rootCAs    *x509.CertPool
	timeout    time.Duration
	connect    time.Duration
}

// WithHTTPClient replaces the whole HTTP client (its transport, timeouts and
// TLS settings). Redirects are still not followed.
func WithHTTPClient(c *http.Client) Option { return func(o *config) { o.httpClient = c } }

// WithRootCAs trusts pool instead of the system's roots, for servers with a
// private CA (and tests with httptest.NewTLSServer).
func WithRootCAs(pool *x509.CertPool) Option { return func(o *config) { o.rootCAs = pool } }

// WithTimeout bounds each request, from dialling to the last byte of the body.
func WithTimeout(d time.Duration) Option { return func(o *config) { o.timeout = d } }

// WithConnectTimeout bounds opening the connection.
func WithConnectTimeout(d time.Duration) Option { return func(o *config) { o.connect = d } }

// NewClient returns a client for the API at baseURL (e.g.
// "http://localhost:4000"). The URL is not checked here; see backend.CheckServerURL,
// which Settings uses before a URL is ever saved. A bad URL fails each call with
// EUNAVAILABLE.
func NewClient(baseURL string, opts ...Option) *Client {
	cfg := config{timeout: DefaultTimeout, connect: DefaultConnectTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	base := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	c := &Client{base: base, display: redact(base), timeout: cfg.timeout, Now: time.Now}

	hc := cfg.httpClient
	if hc == nil {
		hc = &http.Client{
			Timeout: cfg.timeout,
			Transport: &http.Transport{
				Proxy:                 http.ProxyFromEnvironment,
				DialContext:           (&net.Dialer{Timeout: cfg.connect, KeepAlive: 30 * time.Second}).DialContext,
				TLSClientConfig:       &tls.Config{RootCAs: cfg.rootCAs, MinVersion: tls.VersionTLS12},
				TLSHandshakeTimeout:   cfg.connect,
				ForceAttemptHTTP2:     true,
				MaxIdleConns:          4,
				IdleConnTimeout:       90 * time.Second,
				ExpectContinueTimeout: time.Second,
			},
		}
	} else {
		copied := *hc // do not change the caller's client
		hc = &copied
		if hc.Timeout > 0 {
			c.timeout = hc.Timeout
		}
	}
	// No cookie jar: it would re-encode the refresh cookie and send it to
	// every path. And no redirects: a POST would turn into a GET, and the
	// Bearer token must not follow a redirect to another host. A redirect is
	// reported so the person can fix the address instead.
	hc.Jar = nil
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = hc
	return c
}

// redact drops any user:password from u, so it can be shown and logged.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

var errNoBase = errors.New("no server address")
