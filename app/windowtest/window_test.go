//go:build windowtest

package windowtest

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The login page is what a new person sees: the UI must report it rendered
// the /login route, and the screen must show the page (Bootstrap's blue login
// button), not a blank or error page.
func TestWindowOpensOnLoginPage(t *testing.T) {
	d := StartDesktop(t)
	if route, _ := d.LaunchUntilReady(); !strings.HasPrefix(route, "/login") {
		t.Fatalf("first route = %s, want /login", route)
	}
	// The first frame reaches the X server a little after the route rendered.
	img := d.ScreenshotWhen("login", 10*time.Second, func(img image.Image) bool { return loginButton(img) >= 300 })
	blue := loginButton(img)
	if blue < 300 {
		t.Fatalf("only %d pixels of the login button's blue on screen: the page did not render (see screenshot)", blue)
	}
}

// A second launch on the same data folder hands over to the running window
// over D-Bus and exits; the first window stays and is told to come forward.
func TestSecondLaunchHandsOverToTheRunningWindow(t *testing.T) {
	d := StartDesktop(t)
	d.StartSessionBus()
	d.LaunchUntilReady()

	var second syncBuffer
	cmd := d.Command(&second)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the second launch did not exit; its output:\n%s", second.String())
	}
	// Handing over is not a failure: exit code 0 and no error in the log.
	if code := cmd.ProcessState.ExitCode(); code != 0 || strings.Contains(second.String(), "level=ERROR") {
		t.Fatalf("the second launch exited with %d; its output:\n%s", code, second.String())
	}
	d.WaitForLog(regexp.MustCompile(`bringing the window to the front`), 10*time.Second)
	if d.app.ProcessState != nil {
		t.Fatal("the first window exited")
	}
	if n := len(d.Windows()); n != 1 {
		t.Fatalf("%d AuthDesk windows on screen, want 1", n)
	}
}

// Without a session bus there is no hand-over: the second launch must say
// clearly that the folder is in use (on stderr and in a window), not hang and
// not open a second, broken UI.
func TestSecondLaunchWithoutHandOverExplainsTheLock(t *testing.T) {
	d := StartDesktop(t)
	d.bus = "disabled:"
	d.LaunchUntilReady()

	var second syncBuffer
	cmd := d.Command(&second)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	want := "AuthDesk is already running with this data folder (" + d.DataDir + ")"
	waitFor(t, 10*time.Second, "the lock message", func() bool { return strings.Contains(second.String(), want) })
	waitFor(t, 30*time.Second, "the error window", func() bool { return len(d.Windows()) == 2 })
	d.ScreenshotSettled("second-launch-error", 10*time.Second)
}

// A person types the demo credentials into the real window and lands on the
// home page: the dark nav bar (shown only when logged in) is on screen.
func TestWindowLogInWithTheKeyboard(t *testing.T) {
	d := StartDesktop(t)
	route, win := d.LaunchUntilReady()
	if !strings.HasPrefix(route, "/login") {
		t.Fatalf("first route = %s, want /login", route)
	}
	d.Xdotool("windowfocus", "--sync", win)
	// Let the page settle as a person would see it: the login info (demo
	// hint, a light blue box) arrives after the first render and moves the
	// form down.
	d.ScreenshotWhen("login-hint", 10*time.Second, func(img image.Image) bool { return demoHint(img) >= 2000 })
	// The username field has the focus when the login page opens.
	d.Xdotool("type", "--delay", "40", "test")
	d.Xdotool("key", "Tab")
	d.Xdotool("type", "--delay", "40", "test")
	d.Screenshot("login-typed")
	d.Xdotool("key", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
	img := d.ScreenshotWhen("home", 10*time.Second, func(img image.Image) bool { return navBar(img) >= 10000 })
	if dark := navBar(img); dark < 10000 {
		t.Fatalf("only %d pixels of the dark nav bar on screen: not the home page (see screenshot)", dark)
	}
}

// A damaged data file must not be overwritten or give a blank window: the
// person sees which file is wrong, and the file is left as it was.
func TestDamagedDataFileIsExplainedAndKept(t *testing.T) {
	d := StartDesktop(t)
	damaged := bytes.Repeat([]byte("not a database "), 400)
	path := filepath.Join(d.DataDir, "backend.db")
	if err := os.WriteFile(path, damaged, 0o600); err != nil {
		t.Fatal(err)
	}
	d.Launch()
	d.WaitForLog(regexp.MustCompile(regexp.QuoteMeta(path)+` is not an AuthDesk database or is damaged`), 30*time.Second)
	d.WaitForWindow(30 * time.Second)
	d.ScreenshotSettled("damaged-data-file", 10*time.Second)
	d.Stop()
	if got, _ := os.ReadFile(path); !bytes.Equal(got, damaged) {
		t.Fatal("the damaged file was changed")
	}
}

// Colours the tests look for on screen (Bootstrap 5's).
func loginButton(img image.Image) int { return CountNear(img, 0x0d, 0x6e, 0xfd, 12) } // the primary blue
func demoHint(img image.Image) int    { return CountNear(img, 0xcf, 0xf4, 0xfc, 6) }  // alert-info's background
func navBar(img image.Image) int      { return CountNear(img, 0x21, 0x25, 0x29, 6) }  // bg-dark
