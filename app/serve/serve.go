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

// Backend is what the server exposes; *bolt.AuthService implements it.
type Backend interface {
	backend.Authenticator
	httpapi.Tokens
}

// Options configure Run. Register fills the flag-backed ones.
type Options struct {
	Addr        string   // host:port to listen on
	CORSOrigins []string // origins allowed besides loopback ones
	TLSCert     string   // PEM certificate file; with TLSKey, serve https
	TLSKey      string

	Auth  Backend
	Log   *slog.Logger
	Ready io.Writer // gets one line once the server listens (may be nil)
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
// after a clean shutdown.
func Run(ctx context.Context, o Options) error {
	if err := o.Check(); err != nil {
		return err
	}
	if o.Auth == nil {
		return errors.New("serve: no backend")
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
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

	api := httpapi.New(o.Auth, o.Auth)
	api.CORSOrigins = o.CORSOrigins
	api.Log = log
	srv := &http.Server{
		Handler:           api.Handler(),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.Addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
		scheme = "https"
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	if tlsConfig == nil && !backend.IsLoopback(host) {
		log.Warn("serving plain http beyond this computer: passwords and tokens cross the network unencrypted; use --tls-cert and --tls-key")
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
	log.Info("serving the embedded backend", "addr", ln.Addr().String(), "tls", tlsConfig != nil, "cors_origins", strings.Join(o.CORSOrigins, " "))
	if o.Ready != nil {
		fmt.Fprintf(o.Ready, "AuthDesk API listening on %s://%s\n", scheme, ln.Addr())
	}
	err = srv.Serve(ln)
	if !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-done
	return nil
}
