//go:build windowtest

package windowtest

import (
	"bufio"
	"context"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"
)

// Desktop is one Xvfb display with the AuthDesk binary running on it.
type Desktop struct {
	t       *testing.T
	Display string
	DataDir string
	OutDir  string
	xvfb    *exec.Cmd
	app     *exec.Cmd
	log     *syncBuffer
	bus     string // D-Bus session address; "" for the suite's keyring bus, if any, else none
	// Env is added to the app's environment (e.g. GTK_THEME=Adwaita:dark).
	Env []string
}

// syncBuffer collects the app's log while tests read it.
type syncBuffer = backendtest.Buffer

func binary(t *testing.T) string {
	bin := os.Getenv("AUTHDESK_BIN")
	if bin == "" {
		t.Fatal("AUTHDESK_BIN is not set: run these tests through `make test`")
	}
	return bin
}

func outputDir(t *testing.T) string {
	dir := os.Getenv("AUTHDESK_TEST_OUTPUT")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// StartDesktop starts Xvfb on a free display number.
func StartDesktop(t *testing.T) *Desktop {
	t.Helper()
	d := &Desktop{t: t, OutDir: outputDir(t), DataDir: t.TempDir()}
	// Xvfb picks a free display itself and says which (-displayfd): other
	// test runs on this machine may be starting servers at the same time.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	d.xvfb = exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	d.xvfb.ExtraFiles = []*os.File{w}
	if err := d.xvfb.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() {
		d.xvfb.Process.Kill()
		d.xvfb.Wait()
	})
	number := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		r.Close()
		number <- strings.TrimSpace(line)
	}()
	select {
	case n := <-number:
		if n == "" {
			t.Fatal("Xvfb did not say which display it took")
		}
		d.Display = ":" + n
	case <-time.After(15 * time.Second):
		t.Fatal("Xvfb did not start within 15 s")
	}
	return d
}

// Launch starts the binary with a private data dir and extra args.
func (d *Desktop) Launch(args ...string) {
	d.t.Helper()
	d.log = &syncBuffer{}
	d.app = d.Command(d.log, args...)
	if err := d.app.Start(); err != nil {
		d.t.Fatalf("launching %s: %v", binary(d.t), err)
	}
	d.t.Cleanup(d.Stop)
}

// LaunchUntilReady launches the app, waits until the UI has reported its
// first route and the window is on screen, and returns the route and the
// window id.
func (d *Desktop) LaunchUntilReady(args ...string) (route, window string) {
	d.t.Helper()
	d.Launch(args...)
	m := d.WaitForLog(regexp.MustCompile(`msg="ui ready" route=(\S+)`), 90*time.Second)
	return strings.Trim(m[1], `"`), d.WaitForWindow(30 * time.Second)
}

// Command prepares the binary on this display and data dir, output to log.
func (d *Desktop) Command(log io.Writer, args ...string) *exec.Cmd {
	all := append([]string{"--data-dir", d.DataDir, "--log-level", "debug"}, args...)
	cmd := exec.Command(binary(d.t), all...)
	bus := d.bus
	if bus == "" {
		// The suite's own session bus with an unlocked GNOME Keyring
		// (scripts/test.sh runs it under withkeyring), so the app keeps its
		// sign-in where a desktop would.
		bus = os.Getenv("AUTHDESK_TEST_KEYRING_BUS")
	}
	if bus == "" {
		bus = "disabled:" // no session bus: the single-instance lock is skipped, not waited on
	}
	cmd.Env = append(os.Environ(), "DISPLAY="+d.Display, "GDK_BACKEND=x11",
		// Software rendering: Xvfb has no GPU.
		"WEBKIT_DISABLE_COMPOSITING_MODE=1", "LIBGL_ALWAYS_SOFTWARE=1",
		"DBUS_SESSION_BUS_ADDRESS="+bus)
	cmd.Env = append(cmd.Env, d.Env...)
	cmd.Stdout = log
	cmd.Stderr = log
	return cmd
}

// Log is what the app has logged so far.
func (d *Desktop) Log() string { return d.log.String() }

// Stop ends the app by its PID: SIGTERM, then SIGKILL after 5 s.
func (d *Desktop) Stop() {
	if d.app == nil || d.app.Process == nil || d.app.ProcessState != nil {
		return
	}
	d.app.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { d.app.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		d.app.Process.Kill()
		<-done
	}
	os.WriteFile(filepath.Join(d.OutDir, d.t.Name()+".log"), []byte(d.log.String()), 0o644)
}

// WaitForLog waits until the app's log matches re and returns the match.
func (d *Desktop) WaitForLog(re *regexp.Regexp, timeout time.Duration) []string {
	d.t.Helper()
	var m []string
	waitFor(d.t, timeout, "log line "+re.String(), func() bool {
		if d.app.ProcessState != nil {
			d.t.Fatalf("the app exited early:\n%s", d.log.String())
		}
		m = re.FindStringSubmatch(d.log.String())
		return m != nil
	})
	return m
}

// WaitForWindow waits for a window titled AuthDesk and returns its id.
func (d *Desktop) WaitForWindow(timeout time.Duration) string {
	d.t.Helper()
	var id string
	waitFor(d.t, timeout, "the AuthDesk window", func() bool {
		ids := d.Windows()
		if len(ids) == 0 {
			return false
		}
		id = ids[0]
		return true
	})
	return id
}

// Windows lists the visible windows titled AuthDesk.
func (d *Desktop) Windows() []string {
	out, _ := d.x("xdotool", "search", "--onlyvisible", "--name", "^AuthDesk$").Output()
	return strings.Fields(string(out))
}

func (d *Desktop) x(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.Display)
	return cmd
}

// Xdotool runs one xdotool command and fails the test if it fails.
func (d *Desktop) Xdotool(args ...string) {
	d.t.Helper()
	if out, err := d.x("xdotool", args...).CombinedOutput(); err != nil {
		d.t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// Screenshot saves the whole screen as OutDir/name.png and decodes it.
func (d *Desktop) Screenshot(name string) image.Image {
	d.t.Helper()
	path := filepath.Join(d.OutDir, name+".png")
	if out, err := d.x("import", "-window", "root", path).CombinedOutput(); err != nil {
		d.t.Fatalf("screenshot: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		d.t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		d.t.Fatalf("decoding %s: %v", path, err)
	}
	d.t.Logf("screenshot: %s", path)
	return img
}

// ScreenshotWhen takes screenshots until ok accepts one or timeout passes,
// and returns the last (saved as OutDir/name.png). A test asserts on what it
// returns, so a screen that never gets there fails that assertion with the
// screenshot to look at; nothing waits longer than the screen needs.
func (d *Desktop) ScreenshotWhen(name string, timeout time.Duration, ok func(image.Image) bool) image.Image {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		img := d.Screenshot(name)
		if ok(img) || time.Now().After(deadline) {
			return img
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// ScreenshotSettled takes screenshots until two in a row are the same (the
// window has drawn and stopped changing) or timeout passes.
func (d *Desktop) ScreenshotSettled(name string, timeout time.Duration) image.Image {
	d.t.Helper()
	var last image.Image
	return d.ScreenshotWhen(name, timeout, func(img image.Image) bool {
		same := last != nil && sameImage(last, img)
		last = img
		return same
	})
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	bounds := a.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// CountNear counts pixels within tol of the colour (r, g, b) on every channel.
func CountNear(img image.Image, r, g, b, tol int) int {
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(int(pr>>8), r, tol) && near(int(pg>>8), g, tol) && near(int(pb>>8), b, tol) {
				n++
			}
		}
	}
	return n
}

func near(a, b, tol int) bool { return a-b <= tol && b-a <= tol }

func waitFor(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for !ok() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// StartSessionBus starts a private D-Bus session bus (the single-instance lock
// talks over it) and returns its address.
func (d *Desktop) StartSessionBus() string {
	d.t.Helper()
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		d.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		d.t.Fatalf("starting dbus-daemon: %v", err)
	}
	d.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := make([]byte, 512)
	n, err := out.Read(line)
	if err != nil || n == 0 {
		d.t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	d.bus = strings.TrimSpace(string(line[:n]))
	return d.bus
}
