//go:build !windows && !darwin

// Package keyringtest gives tests a real Secret Service of their own: a
// private D-Bus session bus (dbus-daemon) and GNOME Keyring on it with a fresh
// HOME, its "login" collection created and unlocked with a known password. The
// person's own keyring is never touched, and every process started here is
// stopped when the test ends.
//
// It needs the Debian packages dbus-daemon, gnome-keyring and (for
// SecretTool) libsecret-tools, which scripts/deps.sh installs.
package keyringtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Password unlocks the test keyring's login collection.
const Password = "keyringtest-password"

// busConfig is a session bus with no service directories: nothing is started
// on demand, so a test decides whether a Secret Service exists.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// Bus is a private session bus.
type Bus struct {
	Address string // for DBUS_SESSION_BUS_ADDRESS
	dir     string // holds the socket, the config, HOME and XDG_RUNTIME_DIR
	cmd     *exec.Cmd
}

// StartBus starts a private session bus and stops it when tb ends.
func StartBus(tb testing.TB) *Bus {
	tb.Helper()
	b, err := NewBus()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b
}

// NewBus starts a private session bus; Close stops it. StartBus is the
// form for tests.
func NewBus() (*Bus, error) {
	// A short folder name: a unix socket path must fit in 108 bytes.
	dir, err := os.MkdirTemp("", "keyringtest-")
	if err != nil {
		return nil, err
	}
	b := &Bus{dir: dir}
	for _, d := range []string{"run", "home"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o700); err != nil {
			b.Close()
			return nil, err
		}
	}
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, busConfig, filepath.Join(dir, "run")), 0o600); err != nil {
		b.Close()
		return nil, err
	}

	b.cmd = exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := b.cmd.StdoutPipe()
	if err != nil {
		b.Close()
		return nil, err
	}
	var stderr strings.Builder
	b.cmd.Stderr = &stderr
	dieWithParent(b.cmd)
	if err := b.cmd.Start(); err != nil {
		b.Close()
		return nil, fmt.Errorf("keyringtest: starting dbus-daemon (Debian package dbus-daemon): %w", err)
	}

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case b.Address = <-line:
		if b.Address == "" {
			b.Close()
			return nil, fmt.Errorf("keyringtest: dbus-daemon printed no address; stderr: %s", stderr.String())
		}
		return b, nil
	case <-time.After(10 * time.Second):
		b.Close()
		return nil, fmt.Errorf("keyringtest: dbus-daemon did not start in 10s; stderr: %s", stderr.String())
	}
}

// Close stops the bus and removes its folder (and the keyring's files).
// Stop the keyring daemon first.
func (b *Bus) Close() {
	if b.cmd != nil {
		stop(b.cmd)
	}
	_ = os.RemoveAll(b.dir)
}

// Use points this test's DBUS_SESSION_BUS_ADDRESS at b (restored when the
// test ends).
func (b *Bus) Use(t *testing.T) { t.Setenv("DBUS_SESSION_BUS_ADDRESS", b.Address) }

// Env is the environment a child process needs to see b and its keyring.
func (b *Bus) Env() []string {
	return append(os.Environ(),
		"DBUS_SESSION_BUS_ADDRESS="+b.Address,
		"HOME="+filepath.Join(b.dir, "home"),
		"XDG_RUNTIME_DIR="+filepath.Join(b.dir, "run"),
		"XDG_DATA_HOME="+filepath.Join(b.dir, "home", ".local", "share"),
		"XDG_CONFIG_HOME="+filepath.Join(b.dir, "home", ".config"),
		"XDG_CACHE_HOME="+filepath.Join(b.dir, "home", ".cache"),
	)
}

// Daemon is a running gnome-keyring-daemon.
type Daemon struct {
	cmd *exec.Cmd
	bus *Bus
}

// StartKeyring starts gnome-keyring-daemon on b, creating and unlocking its
// login collection with Password, and waits until it serves the Secret
// Service. It is stopped when tb ends (or by Stop).
func (b *Bus) StartKeyring(tb testing.TB) *Daemon {
	tb.Helper()
	d, err := b.NewKeyring()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(d.Stop)
	return d
}

// NewKeyring is StartKeyring outside a test; the caller calls Stop.
func (b *Bus) NewKeyring() (*Daemon, error) {
	cmd := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
	cmd.Env = b.Env()
	cmd.Stdin = strings.NewReader(Password)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("keyringtest: starting gnome-keyring-daemon (Debian package gnome-keyring): %w", err)
	}
	d := &Daemon{cmd: cmd, bus: b}
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := b.ready()
		if err == nil {
			return d, nil
		}
		if time.Now().After(deadline) {
			d.Stop()
			return nil, fmt.Errorf("keyringtest: gnome-keyring-daemon did not serve an unlocked login collection in 15s: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the daemon; the bus keeps running (the keyring "goes away").
func (d *Daemon) Stop() { stop(d.cmd) }

// ready reports whether the Secret Service answers with an unlocked default
// collection.
func (b *Bus) ready() error {
	return b.withConn(func(ctx context.Context, conn *dbus.Conn) error {
		var path dbus.ObjectPath
		svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
		if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&path); err != nil {
			return err
		}
		if path == "/" {
			return fmt.Errorf("no default collection yet")
		}
		v, err := conn.Object("org.freedesktop.secrets", path).GetProperty("org.freedesktop.Secret.Collection.Locked")
		if err != nil {
			return err
		}
		if locked, _ := v.Value().(bool); locked {
			return fmt.Errorf("the default collection is locked")
		}
		return nil
	})
}

// Lock locks the keyring's default collection, as a screen lock or the
// person would.
func (b *Bus) Lock(tb testing.TB) {
	tb.Helper()
	err := b.withConn(func(ctx context.Context, conn *dbus.Conn) error {
		var path dbus.ObjectPath
		svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
		if err := svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&path); err != nil {
			return err
		}
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		return svc.CallWithContext(ctx, "org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{path}).Store(&locked, &prompt)
	})
	if err != nil {
		tb.Fatalf("keyringtest: locking the keyring: %v", err)
	}
}

func (b *Bus) withConn(f func(context.Context, *dbus.Conn) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := dbus.Connect(b.Address, dbus.WithContext(ctx))
	if err != nil {
		return err
	}
	defer conn.Close()
	return f(ctx, conn)
}

// SecretTool runs libsecret's secret-tool against b's keyring and returns
// what it printed (stdout and stderr).
func (b *Bus) SecretTool(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", args...)
	cmd.Env = b.Env()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Nowhere returns a D-Bus address where nothing listens, for tests of "no
// D-Bus session".
func Nowhere(tb testing.TB) string {
	return "unix:path=" + filepath.Join(tb.TempDir(), "no-bus-here")
}

// stop ends a child: SIGTERM, then SIGKILL after 3 s.
func stop(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// PID is the daemon's process ID (to stop it with SIGSTOP: a hung keyring).
func (d *Daemon) PID() int { return d.cmd.Process.Pid }

// PromptWatch records the calls made to Secret Service prompt objects on a
// bus ("Prompt" shows one on screen, "Dismiss" withdraws it), so a test can
// tell whether a person would have seen a password dialog.
type PromptWatch struct {
	mu    sync.Mutex
	calls []string
}

// WatchPrompts starts a D-Bus monitor on b for prompt calls; it stops when
// tb ends.
func (b *Bus) WatchPrompts(tb testing.TB) *PromptWatch {
	tb.Helper()
	conn, err := dbus.Connect(b.Address)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	rule := "type='method_call',interface='org.freedesktop.Secret.Prompt'"
	if err := conn.BusObject().Call("org.freedesktop.DBus.Monitoring.BecomeMonitor", 0, []string{rule}, uint32(0)).Err; err != nil {
		tb.Fatalf("keyringtest: becoming a D-Bus monitor: %v", err)
	}
	msgs := make(chan *dbus.Message, 64)
	conn.Eavesdrop(msgs)
	w := &PromptWatch{}
	go func() {
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					return
				}
				if m.Type != dbus.TypeMethodCall {
					continue
				}
				if v, ok := m.Headers[dbus.FieldMember]; ok {
					w.mu.Lock()
					w.calls = append(w.calls, v.Value().(string))
					w.mu.Unlock()
				}
			case <-conn.Context().Done():
				return
			}
		}
	}()
	return w
}

// Calls returns the prompt methods called so far, in order.
func (w *PromptWatch) Calls() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.calls)
}

// WaitFor waits up to 5 s until member has been called; false if it never was.
func (w *PromptWatch) WaitFor(member string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if slices.Contains(w.Calls(), member) {
			return true
		}
	}
	return false
}
