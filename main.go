// Command authdesk is the AuthDesk desktop login client. This file only wires:
// it reads flags, opens the stores, builds the services and hands them to the
// Wails window (or to a subcommand). Everything else lives in app/ and backend/.
package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/app/closesignal"
	"github.com/authdesk/authdesk/app/control"
	"github.com/authdesk/authdesk/app/harness"
	"github.com/authdesk/authdesk/app/serve"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/clientdb"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/oidc"
	"github.com/authdesk/authdesk/backend/remote"
	"github.com/authdesk/authdesk/backend/secretstore"
	"github.com/authdesk/authdesk/backend/session"
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/logger"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

//go:embed all:frontend/dist
var embedded embed.FS

// windowIcon is the app icon, for window managers that show one per window
// even when no desktop entry is installed (a build run from the tree). At
// 128x128 it is as large as window managers show it; the 1024x1024
// appicon.png took ~30 ms of start-up to decode and pass to the window manager.
//
//go:embed build/windowicon.png
var windowIcon []byte

// version is set at build time from wails.json (see the Makefile), commit
// from git; without it About shows what the Go toolchain stamped, if anything.
var version, commit = "dev", ""

// What Help > About says besides the version.
const (
	website   = "https://github.com/authdesk/authdesk"
	copyright = "Copyright © 2026 the AuthDesk team"
	license   = "No licence has been chosen yet: all rights reserved"
)

const usage = `AuthDesk: a desktop login client with silent token refresh.

Usage:
  authdesk [flags]                 open the window
  authdesk version, --version      print the version
  authdesk help, --help, -h        print this help
  authdesk [flags] users <command> ...
                                   manage the embedded backend's users (see: authdesk users --help)
  authdesk [flags] keys rotate     replace the key that signs the embedded backend's access tokens
  authdesk [flags] serve [--addr 127.0.0.1:4000] [--cors-origin ORIGIN]... [--tls-cert F --tls-key F]
                   [--public-host NAME]... [--max-conns N] [--access-log on|off]
                   [--login-rate N/DUR] [--refresh-rate N/DUR] [--init-admin [--password-stdin]]
                                   serve the embedded backend over HTTP with the tutorial's API

Flags:
`

const serveUsage = `Usage: authdesk [flags] serve [flags]

Serves the embedded backend over HTTP with the tutorial's API until stopped
(Ctrl+C or SIGTERM).

Flags:
`

// config holds the flags shared by every subcommand.
type config struct {
	dataDir    string
	logLevel   string
	accessTTL  time.Duration
	refreshTTL time.Duration
	noDemoUser bool

	sessionLifetime time.Duration
	maxSessions     int
}

func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data-dir", c.dataDir, "folder for AuthDesk's data (env AUTHDESK_DATA_DIR)")
	fs.StringVar(&c.logLevel, "log-level", c.logLevel, "log detail: debug, info, warn or error")
	fs.DurationVar(&c.accessTTL, "access-ttl", c.accessTTL, "embedded backend: access token lifetime")
	fs.DurationVar(&c.refreshTTL, "refresh-ttl", c.refreshTTL, "embedded backend: refresh token lifetime")
	fs.BoolVar(&c.noDemoUser, "no-demo-user", c.noDemoUser, "embedded backend: do not create the demo account test/test on first run")
	fs.DurationVar(&c.sessionLifetime, "session-lifetime", c.sessionLifetime, "embedded backend: how long a login lasts however often it is refreshed")
	fs.IntVar(&c.maxSessions, "max-sessions", c.maxSessions, "embedded backend: active sessions per user; a login beyond signs out the oldest")
}

// absolute makes the data folder absolute, so messages name it unambiguously
// and the single-instance lock is the same from any working directory.
func (c *config) absolute() error {
	abs, err := filepath.Abs(c.dataDir)
	if err != nil {
		return fmt.Errorf("data folder %q: %w", c.dataDir, err)
	}
	c.dataDir = abs
	return nil
}

// backendOptions are the embedded backend's settings from the flags.
func (c *config) backendOptions() bolt.Options {
	return bolt.Options{AccessTTL: c.accessTTL, RefreshTTL: c.refreshTTL, NoDemoUser: c.noDemoUser,
		SessionLifetime: c.sessionLifetime, MaxSessions: c.maxSessions}
}

func defaultConfig() (config, error) {
	c := config{logLevel: "info", accessTTL: 15 * time.Minute, refreshTTL: 7 * 24 * time.Hour, sessionLifetime: bolt.DefaultSessionLifetime, maxSessions: bolt.DefaultMaxSessions}
	if d := os.Getenv("AUTHDESK_DATA_DIR"); d != "" {
		c.dataDir = d
		return c, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return c, fmt.Errorf("cannot find your config folder (%v); pass --data-dir", err)
	}
	c.dataDir = filepath.Join(base, "authdesk")
	return c, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses global flags, then the subcommand and its flags, and returns the
// exit code: 0 ok, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := defaultConfig()
	if err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 1
	}
	global := flag.NewFlagSet("authdesk", flag.ContinueOnError)
	cfg.register(global)
	showVersion := global.Bool("version", false, "print the version and exit")
	if code, ok := parseFlags(global, usage, args, stdout, stderr); !ok {
		return code
	}
	if *showVersion {
		fmt.Fprintf(stdout, "authdesk %s\n", version)
		return 0
	}
	if err := cfg.absolute(); err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 1
	}
	cmd, rest := "", global.Args()
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}

	switch cmd {
	case "version":
		fmt.Fprintf(stdout, "authdesk %s\n", version)
		return 0
	case "help":
		printUsage(global, usage, stdout)
		return 0
	case "", "window":
		if code, ok := parseSub(&cfg, "window", rest, stdout, stderr); !ok {
			return code
		}
		if cfg.absolute() != nil {
			return 2
		}
		return runWindow(ctx, cfg, stderr)
	case "users":
		// Global flags go before "users"; what follows is the users command's own.
		return runUsers(ctx, cfg, rest, stdin, stdout, stderr)
	case "keys":
		return runKeys(ctx, cfg, rest, stdin, stdout, stderr)
	case "serve":
		return runServe(ctx, cfg, rest, stdin, stdout, stderr)
	case "harness":
		return runHarness(ctx, cfg, rest, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "authdesk: unknown command %q\n", cmd)
		printUsage(global, usage, stderr)
		return 2
	}
}

// parseSub lets the global flags follow a subcommand too.
func parseSub(cfg *config, name string, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	fs := flag.NewFlagSet("authdesk "+name, flag.ContinueOnError)
	cfg.register(fs)
	if code, ok := parseFlags(fs, usage, args, stdout, stderr); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authdesk %s: unexpected argument %q\n", name, fs.Arg(0))
		return 2, false
	}
	return 0, true
}

// parseFlags parses args into fs. Asked for help (-h, --help) it prints the
// usage to stdout and the exit code is 0; a mistake is named on stderr with
// the usage after it, exit code 2. ok is true when the caller goes on.
func parseFlags(fs *flag.FlagSet, header string, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, where it belongs
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		printUsage(fs, header, stdout)
		return 0, false
	default:
		printUsage(fs, header, stderr)
		return 2, false
	}
}

func printUsage(fs *flag.FlagSet, header string, w io.Writer) {
	fmt.Fprint(w, header)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

func newLogger(cfg config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", cfg.logLevel)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

func frontendAssets() fs.FS {
	dist, err := fs.Sub(embedded, "frontend/dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return dist
}

// services is everything the bound structs need, opened once.
type services struct {
	bound   []any
	startup func(ctx context.Context) // once the UI's runtime is there
	close   func()

	// The desktop shell's parts (menu, window memory) use these too.
	clientDB *clientdb.DB
	sessions *session.Manager
	theme    *app.Theme
	about    *app.About
}

// openServices opens the embedded backend's store and the client's own store
// and builds the session manager and the bound API on them.
func openServices(cfg config, log *slog.Logger, rt app.Runtime) (*services, error) {
	backendDB := bolt.NewDB(cfg.dataDir, cfg.backendOptions())
	if err := backendDB.Open(); err != nil {
		return nil, err
	}
	clientDB, err := clientdb.Open(cfg.dataDir)
	if err != nil {
		backendDB.Close()
		return nil, err
	}
	kinds := backendKinds(bolt.NewAuthService(backendDB), rt, log)
	// Start on the backend the person chose last time, so its saved session restores.
	saved, err := clientDB.Settings()
	if err != nil {
		clientDB.Close()
		backendDB.Close()
		return nil, err
	}
	ctl := startControl(cfg.dataDir, backendDB, log)
	signIns := openSignIns(cfg.dataDir, clientDB, kinds, rt, log)
	manager := session.New(kinds.For(saved), signIns)
	manager.Logger = log
	manager.OnChange = app.SessionEvents(rt, log)

	drt, ok := rt.(app.DesktopRuntime)
	if !ok {
		drt = app.WithoutWindow(rt)
	}
	theme := &app.Theme{Store: clientDB, Runtime: drt, Log: log}
	about := &app.About{Runtime: drt, Log: log, Info: app.AboutInfo{
		Name: "AuthDesk", Version: version, Commit: cmp.Or(commit, app.BuildCommit()), License: license,
		Copyright: copyright, DataDir: cfg.dataDir, Website: website,
	}}

	return &services{
		clientDB: clientDB, sessions: manager, theme: theme, about: about,
		bound: []any{
			&app.Shell{Log: log, AppVersion: version},
			&app.Auth{Sessions: manager, Log: log},
			&app.Users{Sessions: manager},
			&app.TwoStep{Sessions: manager, Log: log},
			&app.Accounts{Sessions: manager, Log: log},
			&app.Remember{Store: signIns, Sessions: manager},
			&app.Settings{Store: clientDB, Sessions: manager, Backends: kinds, Version: version, Log: log},
			&app.Provider{Sessions: manager, Runtime: rt, OpenURL: browserOpener(rt), Log: log},
			theme,
			&app.Language{Store: clientDB, Log: log},
			about,
			&app.MyAccount{Sessions: manager, Log: log},
		},
		startup: manager.Start,
		close: func() {
			ctl.Close()
			manager.Close()
			clientDB.Close()
			backendDB.Close()
		},
	}, nil
}

// backendKinds is the registry of backend kinds a person can choose in
// Settings, in the order offered; the first is the default. A new kind of
// backend is its adapter package plus one entry here.
func backendKinds(embedded *bolt.AuthService, rt app.Runtime, log *slog.Logger) app.Backends {
	return app.Backends{
		{
			Name: "embedded", Label: "Embedded (offline)",
			Description: "Accounts kept on this computer; no network needed.",
			Open:        func(string) backend.Refresher { return embedded },
		},
		{
			Name: "remote", Label: "Remote API",
			Description:  "A server that speaks the tutorial's API.",
			NeedsAddress: true, DefaultAddress: "http://localhost:4000",
			Open: func(address string) backend.Refresher { return remote.NewClient(address) },
			Probe: func(ctx context.Context, address string) app.ProbeView {
				r := remote.Probe(ctx, address)
				return app.ProbeView{URL: r.URL, Status: r.Status, Reason: r.Reason}
			},
		},
		{
			Name: "oidc", Label: "OpenID Connect provider",
			Description:   "Sign in through your web browser with your organisation's identity provider (Keycloak, Zitadel, Entra ID, ...).",
			NeedsProvider: true,
			OpenProvider: func(cfg oidc.Config) backend.Refresher {
				c := oidc.NewClient(cfg)
				c.Logger = log
				c.OnCallback = rt.ShowWindow // the browser came back: bring the window to the front
				return c
			},
		},
	}
}

// browserOpener is the runtime's way to open the system browser (Wails'
// BrowserOpenURL: xdg-open, ShellExecute, open), or nil when it has none.
func browserOpener(rt app.Runtime) func(url string) {
	if o, ok := rt.(interface{ BrowserOpenURL(url string) }); ok {
		return o.BrowserOpenURL
	}
	return nil
}

// runUsers runs `authdesk users`: inside the AuthDesk that holds the data
// folder when one answers on its control socket, else here.
func runUsers(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return viaControl(ctx, cfg, "users", args, stdin, stdout, stderr, func(opts bolt.Options) int {
		return cli.Users(ctx, args, stdin, stdout, stderr, cli.OpenBolt(cfg.dataDir, opts))
	})
}

// viaControl runs the command name with args inside the AuthDesk that holds
// the data folder when one answers on its control socket; when nobody
// answers, local runs it here on the folder (an older AuthDesk holding it
// still gets the "already running" error), never creating the demo account,
// which is for the window's first run: an admin's first `users add` must not
// bring it along.
func viaControl(ctx context.Context, cfg config, name string, args []string, stdin io.Reader, stdout, stderr io.Writer, local func(bolt.Options) int) int {
	code, err := control.Run(ctx, cfg.dataDir, append([]string{name}, args...), stdin, stdout, stderr)
	if err == nil {
		return code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "\nauthdesk: interrupted")
		return cli.ExitError
	} else if !errors.Is(err, control.ErrNoServer) {
		fmt.Fprintln(stderr, "authdesk:", err)
		return cli.ExitError
	}
	opts := cfg.backendOptions()
	opts.NoDemoUser = true
	return local(opts)
}

// startControl lets `authdesk users` run in this process, which holds db,
// through the data folder's control socket. Without the socket AuthDesk
// still works; the CLI then reports the folder as in use.
func startControl(dataDir string, db *bolt.DB, log *slog.Logger) interface{ Close() error } {
	open := cli.OpenedBolt(db)
	srv, err := control.Listen(dataDir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if len(args) > 0 && args[0] == "keys" {
			return cli.Keys(ctx, args[1:], stdin, stdout, stderr, cli.OpenedBoltKeys(db))
		}
		if len(args) == 0 || args[0] != "users" {
			fmt.Fprintln(stderr, "authdesk: the running AuthDesk runs only users and keys commands")
			return cli.ExitUsage
		}
		return cli.Users(cli.WithWorkDir(ctx, control.WorkDir(ctx)), args[1:], stdin, stdout, stderr, open)
	}, log)
	if err != nil {
		log.Warn("the users command cannot reach this process", "err", err)
		return io.NopCloser(nil)
	}
	return srv
}

// isLocked says whether another AuthDesk process holds the data folder.
func isLocked(err error) bool { return bolt.IsLocked(err) || clientdb.IsLocked(err) }

// instanceID ties the single-instance lock to the data folder, so two windows
// on one folder hand over to each other while separate folders can coexist.
func instanceID(dataDir string) string {
	sum := sha256.Sum256([]byte(dataDir))
	return "io.authdesk.app-" + hex.EncodeToString(sum[:6])
}

func runWindow(ctx context.Context, cfg config, stderr io.Writer) int {
	log, err := newLogger(cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 2
	}
	rt := &app.WailsRuntime{}
	svc, err := openServices(cfg, log, rt)
	if err != nil && isLocked(err) && app.HandOver(instanceID(cfg.dataDir)) {
		// Another AuthDesk has this folder and came to the front: done.
		log.Info("AuthDesk is already open with this data folder: brought its window to the front")
		return 0
	}
	if err != nil {
		msg := backend.ErrorMessage(err)
		log.Error("cannot start", "err", err)
		fmt.Fprintln(stderr, "authdesk:", msg)
		// A person who double-clicked the icon has no terminal: say it in a window.
		// When the folder is locked by another AuthDesk, the single-instance lock
		// hands over to that window first and this process exits.
		showStartupError(cfg, log, msg, isLocked(err))
		return 1
	}
	defer svc.close()

	// Menu, window memory and theme: see app/menu.go, app/window.go, app/theme.go.
	win := &app.Window{Store: svc.clientDB, Runtime: rt, Log: log,
		Default: app.Size{Width: 1024, Height: 720}, Min: app.Size{Width: 640, Height: 520}}
	size, maximised := win.StartSize()
	startState := options.Normal
	if maximised {
		startState = options.Maximised
	}
	appMenu := &app.Menu{Runtime: rt, Sessions: svc.sessions, Theme: svc.theme, About: svc.about, Log: log}
	svc.theme.OnChange = appMenu.ThemeChanged
	themeNow, _ := svc.theme.Get()

	err = wails.Run(&options.App{
		Title:            "AuthDesk",
		Width:            size.Width,
		Height:           size.Height,
		MinWidth:         win.Min.Width,
		MinHeight:        win.Min.Height,
		WindowStartState: startState,
		BackgroundColour: app.StartBackground(svc.clientDB),
		Menu:             appMenu.Build(themeNow.Theme),
		AssetServer: &assetserver.Options{
			Assets:     frontendAssets(),
			Middleware: app.ThemedIndex(frontendAssets(), svc.clientDB),
		},
		Bind:           svc.bound,
		ErrorFormatter: app.ErrorFormatter(log),
		Logger:         app.WailsLogger{Log: log},
		// The UI's own log lines (LogInfo) pass; slog's level decides.
		LogLevelProduction: logger.INFO,
		OnStartup: func(ctx context.Context) {
			rt.Startup(ctx)
			rt.WarmUp() // see its comment: the first page arrives sooner
			svc.startup(ctx)
		},
		OnDomReady:    func(context.Context) { go win.Restore() },
		OnBeforeClose: func(context.Context) bool { win.Save(); return false },
		Windows:       &windows.Options{Theme: windows.SystemDefault},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId: instanceID(cfg.dataDir),
			OnSecondInstanceLaunch: func(options.SecondInstanceData) {
				log.Info("another launch on this data folder: bringing the window to the front")
				rt.ShowWindow()
			},
		},
		Linux: &linux.Options{ProgramName: "authdesk", Icon: windowIcon},
	})
	if err != nil {
		fmt.Fprintln(stderr, "authdesk: the window failed:", err)
		return 1
	}
	return 0
}

// showStartupError opens a small window that explains why AuthDesk cannot
// start. With handOver, a running AuthDesk on the same folder is asked to come
// to the front instead (Wails then ends this process before any window shows).
func showStartupError(cfg config, log *slog.Logger, message string, handOver bool) {
	page := app.StartupErrorPage(message)
	opts := &options.App{
		Title:       "AuthDesk",
		Width:       520,
		Height:      240,
		AssetServer: &assetserver.Options{Handler: page},
		Logger:      app.WailsLogger{Log: log},
		Linux:       &linux.Options{ProgramName: "authdesk"},
	}
	if handOver {
		opts.SingleInstanceLock = &options.SingleInstanceLock{UniqueId: instanceID(cfg.dataDir)}
	}
	if err := wails.Run(opts); err != nil {
		log.Error("cannot show the error window", "err", err)
	}
}

// runServe exposes the embedded backend over HTTP with the tutorial's API
// contract, without a window, until SIGINT or SIGTERM.
func runServe(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("authdesk serve", flag.ContinueOnError)
	cfg.register(fs) // global flags may follow "serve" too
	var opts serve.Options
	opts.Register(fs)
	var firstAdmin cli.FirstAdmin
	firstAdmin.Register(fs)
	if code, ok := parseFlags(fs, serveUsage, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "authdesk serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := opts.Check(); err != nil {
		fmt.Fprintln(stderr, "authdesk serve:", err)
		return 2
	}
	if err := cfg.absolute(); err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 2
	}
	log, err := newLogger(cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 2
	}
	// On Windows also stop when asked to close (taskkill, logging off);
	// released after the database is closed (deferred first, runs last).
	ctx, release := closesignal.Notify(ctx, "AuthDesk serve")
	defer release()
	// serve never creates the demo account: its first admin is made on purpose.
	bopts := cfg.backendOptions()
	bopts.NoDemoUser = true
	db := bolt.NewDB(cfg.dataDir, bopts)
	if err := db.Open(); err != nil {
		log.Error("cannot open the embedded backend", "err", err)
		fmt.Fprintln(stderr, "authdesk serve:", backend.ErrorMessage(err))
		return 1
	}
	defer db.Close()
	admin := bolt.NewAdminService(db)
	if code := firstAdmin.Run(ctx, stdin, stdout, stderr, admin); code != 0 {
		return code
	}
	defer startControl(cfg.dataDir, db, log).Close()
	opts.Auth = bolt.NewAuthService(db)
	opts.Users = admin
	opts.DataDir = cfg.dataDir
	opts.Log = log
	opts.Ready = stdout
	if err := serve.Run(ctx, opts); err != nil {
		fmt.Fprintln(stderr, "authdesk serve:", err)
		return 1
	}
	log.Info("stopped serving")
	return 0
}

// runHarness serves the real frontend and bound structs to a browser for the
// end-to-end tests. It exists only in builds with `-tags harness`.
func runHarness(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) int {
	if !harness.Enabled {
		fmt.Fprintln(stderr, "authdesk: unknown command \"harness\" (test builds only)")
		return 2
	}
	fs := flag.NewFlagSet("authdesk harness", flag.ContinueOnError)
	cfg.register(fs)
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to serve the test page on")
	refreshBefore := fs.Duration("refresh-before", 0, "refresh the session this long before its access token expires (0: the session manager's default); the e2e tests use it to see a silent refresh without waiting minutes")
	if code, ok := parseFlags(fs, "Usage: authdesk harness [flags]\n\nFlags:\n", args, stdout, stderr); !ok {
		return code
	}
	if err := cfg.absolute(); err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 2
	}
	log, err := newLogger(cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 2
	}
	broker := harness.NewBroker()
	svc, err := openServices(cfg, log, broker)
	if err != nil {
		fmt.Fprintln(stderr, "authdesk:", err)
		return 1
	}
	defer svc.close()
	if *refreshBefore > 0 {
		svc.sessions.RefreshBefore = *refreshBefore
	}
	svc.startup(ctx)
	err = harness.Serve(ctx, harness.Options{
		Addr: *addr, Assets: frontendAssets(), Bound: svc.bound, Broker: broker, Log: log, Ready: stdout,
	})
	if err != nil {
		fmt.Fprintln(stderr, "authdesk harness:", err)
		return 1
	}
	return 0
}

// runKeys runs `authdesk keys`: inside the AuthDesk that holds the data
// folder when one answers on its control socket (so the running backend
// signs with the new key at once), else here.
func runKeys(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return viaControl(ctx, cfg, "keys", args, stdin, stdout, stderr, func(opts bolt.Options) int {
		return cli.Keys(ctx, args, stdin, stdout, stderr, cli.OpenBoltKeys(cfg.dataDir, opts))
	})
}

// openSignIns builds where saved sign-ins go: the refresh token in the
// system keyring (client.db when there is none), the rest in client.db, and
// moves what an older AuthDesk saved in client.db into the keyring.
func openSignIns(dataDir string, db *clientdb.DB, kinds app.Backends, rt app.Runtime, log *slog.Logger) *secretstore.Sessions {
	s := &secretstore.Sessions{
		Meta:     db,
		Secrets:  &secretstore.Store{Keyring: secretstore.Scoped(keyring.New(), keyringScope(dataDir)), File: db, Log: log},
		Keep:     db,
		Label:    keyringLabel(kinds),
		OnChange: app.RememberEvents(rt, log),
		Log:      log,
	}
	if err := s.Start(); err != nil {
		log.Warn("saved sign-ins could not all be moved to the system keyring", "err", err)
	}
	return s
}

// keyringScope keeps apart the keyring entries of AuthDesks on different
// data folders (each has its own embedded backend): entries for the default
// folder are keyed by the backend ID alone ("embedded"), others also by the
// folder ("embedded@/path/to/folder").
func keyringScope(dataDir string) string {
	if base, err := os.UserConfigDir(); err == nil && filepath.Join(base, "authdesk") == dataDir {
		return ""
	}
	return dataDir
}

// keyringLabel names a backend's keyring entry after what Settings calls it:
// "AuthDesk — Embedded (offline)", "AuthDesk — https://auth.example.com".
func keyringLabel(kinds app.Backends) func(backendID string) string {
	return func(id string) string {
		for _, k := range kinds {
			if id == k.Name {
				return k.Label
			}
			if addr, ok := strings.CutPrefix(id, k.Name+":"); ok && k.NeedsAddress {
				return addr
			}
			if rest, ok := strings.CutPrefix(id, k.Name+":"); ok && k.NeedsProvider {
				issuer, _, _ := strings.Cut(rest, " ") // the ID goes on with the client ID and scopes
				return issuer
			}
		}
		return id
	}
}
