// Package serve runs `authdesk serve`: the embedded backend exposed over
// HTTP with the tutorial's API contract, without a window.
package serve

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/httpapi"
)

// DefaultAddr is where the tutorial's clients look for the API.
const DefaultAddr = "127.0.0.1:4000"

// shutdownGrace is how long requests in flight get to finish once the
// command is told to stop.
const shutdownGrace = 5 * time.Second

// idleTimeout closes keep-alive connections that wait this long for their
// next request. Clients reconnect in a millisecond on loopback; held-open
// idle connections are what a flood is made of.
const idleTimeout = 15 * time.Second

// Backend is what the server exposes; *bolt.AuthService implements it. If it
// also implements backend.DemoAccountChecker, Run refuses to expose the demo
// account beyond this computer.
type Backend interface {
	backend.Authenticator
	httpapi.Tokens
}

// UserLister lists the accounts; *bolt.AdminService implements it. Run
// uses it to refuse a data folder nobody can sign in to.
type UserLister interface {
	Users(ctx context.Context) ([]backend.User, error)
}

// Options configure Run. Register fills the flag-backed ones.
type Options struct {
	Addr        string   // host:port to listen on
	CORSOrigins []string // origins allowed besides loopback ones
	TLSCert     string   // PEM certificate file; with TLSKey, serve https
	TLSKey      string
	PublicHosts []string     // Host names answered besides loopback names and IP literals
	MaxConns    int          // connections held at once; 0 means DefaultMaxConns
	AccessLog   onOff        // one log line per request (on unless set off)
	LoginRate   httpapi.Rate // per-address bucket for POST /users/authenticate
	RefreshRate httpapi.Rate // per-address bucket for POST /users/refresh-token

	Auth    Backend
	Users   UserLister // optional: without it the no-users check is skipped
	DataDir string     // for messages only
	Log     *slog.Logger
	Ready   io.Writer // gets one line once the server listens (may be nil)
}

// onOff is a flag that reads on/off (and true/false); its zero value is on.
type onOff struct{ off bool }

func (v *onOff) String() string {
	if v == nil || !v.off {
		return "on"
	}
	return "off"
}

func (v *onOff) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "true", "1", "yes":
		v.off = false
	case "off", "false", "0", "no":
		v.off = true
	default:
		return fmt.Errorf("%q: use on or off", s)
	}
	return nil
}

// IsBoolFlag lets --access-log alone mean on.
func (v *onOff) IsBoolFlag() bool { return true }

// On reports whether the setting is on.
func (v onOff) On() bool { return !v.off }

// SetAccessLog turns the access log on or off (for callers without flags).
func (o *Options) SetAccessLog(on bool) { o.AccessLog.off = !on }

// rateFlag is a flag.Value over an httpapi.Rate.
type rateFlag struct{ r *httpapi.Rate }

func (f rateFlag) String() string {
	if f.r == nil {
		return ""
	}
	return f.r.String()
}

func (f rateFlag) Set(s string) error {
	r, err := httpapi.ParseRate(s)
	if err != nil {
		return err
	}
	*f.r = r
	return nil
}

// Register adds the serve flags to fs, writing into o. main.go registers its
// shared flags (--data-dir and the rest) on the same set.
func (o *Options) Register(fs *flag.FlagSet) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	fs.StringVar(&o.Addr, "addr", o.Addr, "address to listen on (host:port)")
	fs.Func("cors-origin", "allow browser pages from this origin (repeatable); pages on localhost are always allowed", func(s string) error {
		o.CORSOrigins = append(o.CORSOrigins, s)
		return nil
	})
	fs.StringVar(&o.TLSCert, "tls-cert", o.TLSCert, "PEM certificate file: serve https (needs --tls-key)")
	fs.StringVar(&o.TLSKey, "tls-key", o.TLSKey, "PEM private key file for --tls-cert")
	fs.Func("public-host", "also answer requests for this host name (repeatable); on a loopback address only localhost names and IP addresses are answered", func(s string) error {
		o.PublicHosts = append(o.PublicHosts, s)
		return nil
	})
	if o.MaxConns == 0 {
		o.MaxConns = DefaultMaxConns
	}
	fs.IntVar(&o.MaxConns, "max-conns", o.MaxConns, "connections held open at once; at the cap the longest-idle one is closed")
	fs.Var(&o.AccessLog, "access-log", "log one line per request: on or off (default on)")
	if o.LoginRate == (httpapi.Rate{}) {
		o.LoginRate = httpapi.DefaultLoginRate
	}
	if o.RefreshRate == (httpapi.Rate{}) {
		o.RefreshRate = httpapi.DefaultRefreshRate
	}
	fs.Var(rateFlag{&o.LoginRate}, "login-rate", "per client address: logins allowed at once and the time to allow that many again (N/DURATION), or off")
	fs.Var(rateFlag{&o.RefreshRate}, "refresh-rate", "per client address: token refreshes allowed at once and the time to allow that many again (N/DURATION), or off")
}

// Check validates the flag values and normalises the CORS origins.
func (o *Options) Check() error {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return fmt.Errorf("--addr %q: want host:port, e.g. %s", o.Addr, DefaultAddr)
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if o.MaxConns == 0 {
		o.MaxConns = DefaultMaxConns
	} else if o.MaxConns < 1 {
		return fmt.Errorf("--max-conns %d: want at least 1", o.MaxConns)
	}
	for i, h := range o.PublicHosts {
		norm, ok := httpapi.NormalizeHostName(h)
		if !ok {
			return fmt.Errorf("--public-host %q: want a host name such as auth.example.org (no scheme, port or path)", h)
		}
		o.PublicHosts[i] = norm
	}
	for i, origin := range o.CORSOrigins {
		norm, err := httpapi.NormalizeOrigin(origin)
		if err != nil {
			return fmt.Errorf("--cors-origin: %w", err)
		}
		o.CORSOrigins[i] = norm
	}
	return nil
}

// Run serves until ctx ends, then shuts down gracefully. It returns nil
// after a clean shutdown. It refuses to start on a data folder without users,
// and beyond this computer while the demo account has its default password.
func Run(ctx context.Context, o Options) error {
	if err := o.Check(); err != nil {
		return err
	}
	if o.Auth == nil {
		return errors.New("serve: no backend")
	}
	base := o.Log
	if base == nil {
		base = slog.Default()
	}
	// A full disk fails every request the same way: one line, then a count.
	repeats := newRepeatFilter(base.Handler(), RepeatWindow)
	defer repeats.flush()
	log := slog.New(repeats)

	if err := o.checkUsers(ctx); err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if o.TLSCert != "" {
		// Loaded before listening, so a bad file is reported at once.
		cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			return fmt.Errorf("cannot load the TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.Addr, err)
	}
	loopback := isLoopbackAddr(ln.Addr())
	if err := o.checkDemo(ctx, log, ln.Addr(), loopback); err != nil {
		ln.Close()
		return err
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	if tlsConfig == nil && !loopback {
		log.Warn("serving plain http beyond this computer: passwords and tokens cross the network unencrypted; use --tls-cert and --tls-key")
	}
	limited := newConnLimiter(ln, o.MaxConns)

	api := httpapi.New(o.Auth, o.Auth)
	api.CORSOrigins = o.CORSOrigins
	api.Log = log
	api.NoAccessLog = !o.AccessLog.On()
	api.LoginLimit = httpapi.NewLimiter(o.LoginRate, 0, nil)
	api.RefreshLimit = httpapi.NewLimiter(o.RefreshRate, 0, nil)
	if loopback || len(o.PublicHosts) > 0 {
		// On loopback, a name that is not a loopback name can only come
		// from DNS rebinding (or a proxy the operator names). Elsewhere,
		// listing public hosts narrows the server to them.
		api.Hosts = &httpapi.HostPolicy{Public: o.PublicHosts}
	}
	srv := &http.Server{
		Handler:           api.Handler(),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(repeats, slog.LevelWarn),
		ConnState:         limited.connState,
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // also stops the shutdown watcher if Serve fails
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Warn("requests were still running at shutdown", "err", err)
		}
	}()
	log.Info("serving the embedded backend", "addr", ln.Addr().String(), "tls", tlsConfig != nil,
		"cors_origins", strings.Join(o.CORSOrigins, " "), "public_hosts", strings.Join(o.PublicHosts, " "),
		"max_conns", o.MaxConns, "login_rate", o.LoginRate.String(), "refresh_rate", o.RefreshRate.String(),
		"access_log", o.AccessLog.String())
	if o.Ready != nil {
		fmt.Fprintf(o.Ready, "AuthDesk API listening on %s://%s\n", scheme, ln.Addr())
	}
	err = srv.Serve(limited)
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-done
	if n := limited.evicted.Load(); n > 0 {
		log.Info("idle connections closed to make room for new ones", "count", n, "max_conns", o.MaxConns)
	}
	return nil
}

// isLoopbackAddr reports whether a listener's address is on this computer only.
func isLoopbackAddr(a net.Addr) bool {
	if tcp, ok := a.(*net.TCPAddr); ok {
		return tcp.IP.IsLoopback()
	}
	host, _, _ := net.SplitHostPort(a.String())
	return backend.IsLoopback(host)
}
