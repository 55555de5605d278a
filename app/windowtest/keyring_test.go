//go:build windowtest

package windowtest

import (
	"context"
	"image"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// useTestKeyring checks that the app runs on the private D-Bus session with
// an unlocked GNOME Keyring that scripts/test.sh starts for this suite
// (withkeyring), which Command uses by default.
func (d *Desktop) useTestKeyring() string {
	d.t.Helper()
	bus := os.Getenv("AUTHDESK_TEST_KEYRING_BUS")
	if bus == "" {
		d.t.Fatal("no test keyring: run this suite under backend/keyring/keyringtest/withkeyring, as scripts/test.sh does")
	}
	d.bus = bus
	return bus
}

// keyringEntry is what libsecret's secret-tool finds for the embedded
// backend on this data folder ("" when there is no entry).
func (d *Desktop) keyringEntry(bus string) string {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "secret-tool", "search", "--all", "service", "AuthDesk", "username", "embedded@"+d.DataDir)
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+bus)
	out, _ := cmd.CombinedOutput()
	return strings.TrimSpace(string(out))
}

// Signed in through the real window, the sign-in is in the system keyring
// (secret-tool sees it), a restart opens on home, and File > Sign out
// removes the entry.
func TestWindowSignInIsKeptInTheKeyring(t *testing.T) {
	d := StartDesktop(t)
	bus := d.useTestKeyring()
	route, win := d.LaunchUntilReady()
	if !strings.HasPrefix(route, "/login") {
		t.Fatalf("first route = %s, want /login", route)
	}
	d.Xdotool("windowfocus", "--sync", win)
	d.ScreenshotWhen("keyring-login", 10*time.Second, func(img image.Image) bool { return demoHint(img) >= 2000 })
	d.Xdotool("type", "--delay", "40", "test")
	d.Xdotool("key", "Tab")
	d.Xdotool("type", "--delay", "40", "test")
	d.Xdotool("key", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
	entry := d.keyringEntry(bus)
	if !strings.Contains(entry, "label = AuthDesk — Embedded (offline)") {
		t.Fatalf("secret-tool finds no AuthDesk entry after signing in:\n%s", entry)
	}

	d.Key(win, "ctrl+q")
	if code := d.WaitForExit(20 * time.Second); code != 0 {
		t.Fatalf("Ctrl+Q: exit code %d", code)
	}
	route, win = d.LaunchUntilReady()
	if route != "/" {
		t.Fatalf("after a restart the first route = %s, want / (restored from the keyring)", route)
	}
	d.ScreenshotWhen("keyring-restored", 10*time.Second, func(img image.Image) bool { return navBar(img) >= 10000 })

	d.menuItem(win, 20, 2) // File > Sign out
	d.WaitForLog(regexp.MustCompile(`msg="session ended" reason=logout`), 20*time.Second)
	if entry := d.keyringEntry(bus); entry != "" {
		t.Fatalf("the keyring entry is still there after signing out:\n%s", entry)
	}
}
