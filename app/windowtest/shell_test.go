//go:build windowtest

package windowtest

import (
	"image"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

// The page shows once the UI reported ready; give the frame a moment to
// reach the X server before a screenshot is judged.
func settle() { time.Sleep(time.Second) }

// Ctrl+Q quits (exit code 0, the window saved on the way out), and the next
// start opens the window where and as large as it was.
func TestCtrlQQuitsAndTheWindowComesBackWhereItWas(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	want := Geometry{X: 100, Y: 80, Width: 800, Height: 600}
	d.Xdotool("windowsize", win, "800", "600")
	d.Xdotool("windowmove", win, "100", "80")
	d.WaitForGeometry(win, want, 10*time.Second)

	d.Key(win, "ctrl+q")
	if code := d.WaitForExit(20 * time.Second); code != 0 {
		t.Fatalf("Ctrl+Q: exit code %d, want 0", code)
	}
	if !strings.Contains(d.Log(), `msg="window state saved" x=100 y=80 width=800 height=600`) {
		t.Fatalf("the window state was not saved on quit:\n%s", d.Log())
	}

	_, win = d.LaunchUntilReady()
	d.WaitForGeometry(win, want, 20*time.Second)
	settle()
	d.Screenshot("window-restored")
}

// A window saved on a monitor that is no longer there (far right and below
// this 1280x800 screen, larger than it) comes back whole onto the screen.
func TestWindowFromAMissingMonitorComesBackOnScreen(t *testing.T) {
	d := StartDesktop(t)
	db, err := clientdb.Open(d.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.SaveWindow(clientdb.WindowState{X: 3000, Y: 1600, Width: 1400, Height: 700, ScreenWidth: 2560, ScreenHeight: 1440})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, win := d.LaunchUntilReady()
	var g Geometry
	waitFor(t, 20*time.Second, "the window wholly on the 1280x800 screen", func() bool {
		g, _ = d.Geometry(win)
		return g.X >= 0 && g.Y >= 0 && g.X+g.Width <= 1280 && g.Y+g.Height <= 800 && g.Width > 600
	})
	if g.Height != 700 || g.Width != 1280 {
		t.Fatalf("window %+v: want 1280 wide (as wide as the screen) and 700 high (as saved)", g)
	}
	settle()
	d.Screenshot("window-back-on-screen")
}

// Ctrl+W closes the window, and with it the app.
func TestCtrlWClosesTheWindow(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	d.Key(win, "ctrl+w")
	if code := d.WaitForExit(20 * time.Second); code != 0 {
		t.Fatalf("Ctrl+W: exit code %d, want 0", code)
	}
	if !strings.Contains(d.Log(), `msg="menu: close window"`) {
		t.Fatal("the app ended, but not through Close window")
	}
}

// Ctrl+, opens Settings from the login page: the UI follows the menu's
// event and the login page (its blue Login button) is gone.
func TestCtrlCommaOpensSettings(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	if blue := CountNear(d.Screenshot("before-ctrl-comma"), 0x0d, 0x6e, 0xfd, 12); blue < 300 {
		t.Fatalf("the login page is not showing (%d blue pixels)", blue)
	}
	d.Key(win, "ctrl+comma")
	d.WaitForLog(regexp.MustCompile(`menu: showing /settings`), 15*time.Second)
	settle()
	img := d.Screenshot("settings-by-ctrl-comma")
	if blue := CountNear(img, 0x0d, 0x6e, 0xfd, 12); blue > 1500 {
		t.Fatalf("%d pixels of the Login button's blue: still the login page", blue)
	}
}

// The menu bar's File > Quit AuthDesk, with the mouse: the app ends with 0.
func TestMenuQuitWithTheMouse(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	g, err := d.Geometry(win)
	if err != nil {
		t.Fatal(err)
	}
	// "File" is the first item of the menu bar, at the window's top left.
	d.Xdotool("mousemove", itoa(g.X+20), itoa(g.Y+12))
	d.Xdotool("click", "1")
	time.Sleep(500 * time.Millisecond)
	d.Screenshot("file-menu-open")
	d.Xdotool("key", "Up", "Return") // the last item: Quit AuthDesk
	if code := d.WaitForExit(20 * time.Second); code != 0 {
		t.Fatalf("File > Quit: exit code %d, want 0", code)
	}
	if !strings.Contains(d.Log(), `msg="menu: quit"`) {
		t.Fatal("the app ended, but not through the Quit item")
	}
}

// Help > About AuthDesk (by keyboard: F10 opens the menu bar, Left wraps to
// Help, Up picks its last item) shows the About dialog over the page.
func TestHelpAboutShowsTheDialog(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	d.Key(win, "F10", "Left", "Up", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="menu: about"`), 15*time.Second)
	var img image.Image
	// The modal's backdrop dims the white page to mid grey.
	waitFor(t, 15*time.Second, "the About dialog's backdrop", func() bool {
		img = d.Screenshot("about-dialog")
		return CountNear(img, 0x80, 0x80, 0x80, 6) > 100000
	})
	// Esc closes it: the page is white again.
	d.Key(win, "Escape")
	waitFor(t, 15*time.Second, "the dialog to close", func() bool {
		return CountNear(d.Screenshot("about-closed"), 0x80, 0x80, 0x80, 6) < 1000
	})
}

// With a dark GTK theme the page is dark from the start: Bootstrap's dark
// body colour fills the window; with the default theme it is white.
func TestDarkGTKThemeGivesADarkWindow(t *testing.T) {
	d := StartDesktop(t)
	d.Env = []string{"GTK_THEME=Adwaita:dark"}
	d.LaunchUntilReady()
	settle()
	img := d.Screenshot("login-dark")
	if dark := CountNear(img, 0x21, 0x25, 0x29, 4); dark < 200000 {
		t.Fatalf("only %d pixels of the dark body colour #212529 (see screenshot)", dark)
	}
	if white := CountNear(img, 0xff, 0xff, 0xff, 2); white > 20000 {
		t.Fatalf("%d white pixels in dark mode", white)
	}
}

// The theme setting in client.db (View > Theme > Dark) wins over a light
// system theme.
func TestDarkThemeSettingWithALightSystem(t *testing.T) {
	d := StartDesktop(t)
	db, err := clientdb.Open(d.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.SaveAppearance(clientdb.Appearance{Theme: clientdb.ThemeDark})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	d.LaunchUntilReady()
	settle()
	if dark := CountNear(d.Screenshot("login-dark-setting"), 0x21, 0x25, 0x29, 4); dark < 200000 {
		t.Fatalf("only %d pixels of the dark body colour", dark)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// menuItem opens a menu of the menu bar with the mouse (menuX: the title's
// offset from the window's left edge) and picks an item with the keyboard:
// down presses of Down (separators are skipped), or the last item for 0.
func (d *Desktop) menuItem(win string, menuX, down int) {
	d.t.Helper()
	g, err := d.Geometry(win)
	if err != nil {
		d.t.Fatal(err)
	}
	d.Xdotool("mousemove", itoa(g.X+menuX), itoa(g.Y+12))
	d.Xdotool("click", "1")
	time.Sleep(400 * time.Millisecond)
	keys := []string{"key", "--delay", "80"}
	if down == 0 {
		keys = append(keys, "Up")
	}
	for range down {
		keys = append(keys, "Down")
	}
	d.Xdotool(append(keys, "Return")...)
	time.Sleep(400 * time.Millisecond)
}

// The Edit menu acts on the focused field: Select all, Cut (the text leaves
// the field for the clipboard) and Paste (it comes back at the caret). Only
// if every step worked does the username read "test" and the login succeed.
func TestEditMenuActsOnTheFocusedField(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	const edit = 59 // "Edit" in the menu bar
	d.Key(win, "s", "t")
	d.menuItem(win, edit, 0) // Select all
	d.menuItem(win, edit, 3) // Cut: the field is empty, the clipboard has "st"
	d.Key(win, "End", "t", "e")
	d.menuItem(win, edit, 5) // Paste: "te" + "st"
	d.Screenshot("edit-menu-pasted")
	d.Key(win, "Tab", "t", "e", "s", "t", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
}

// Ctrl+A outside a field selects nothing: the page looks the same before and
// after (a web page would highlight all its text).
func TestCtrlASelectsNoPageText(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	g, err := d.Geometry(win)
	if err != nil {
		t.Fatal(err)
	}
	// Click the empty page beside the card: no field has the focus now.
	d.Xdotool("mousemove", itoa(g.X+60), itoa(g.Y+400))
	d.Xdotool("click", "1")
	time.Sleep(500 * time.Millisecond)
	before := d.Screenshot("ctrl-a-before")
	d.Key(win, "ctrl+a")
	time.Sleep(700 * time.Millisecond)
	after := d.Screenshot("ctrl-a-after")
	if n := differentPixels(before, after); n > 400 {
		t.Fatalf("Ctrl+A changed %d pixels: the page's text was selected (see the screenshots)", n)
	}
}

func differentPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			if ar != br || ag != bg || ab != bb {
				n++
			}
		}
	}
	return n
}

// A start in dark mode never shows a light frame: from the moment the window
// is on screen until the login page is drawn, every screenshot of the
// window's page area is dark (the window background, then the first frame
// with its spinner, then the page).
func TestDarkStartHasNoLightFlash(t *testing.T) {
	d := StartDesktop(t)
	db, err := clientdb.Open(d.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.SaveAppearance(clientdb.Appearance{Theme: clientdb.ThemeDark, LastDark: true})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	d.Launch()
	win := d.WaitForWindow(60 * time.Second)
	ready := regexp.MustCompile(`msg="ui ready"`)
	frames := 0
	deadline := time.Now().Add(60 * time.Second)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the UI did not report ready within a minute:\n%s", d.Log())
		}
		done := ready.MatchString(d.Log())
		g, err := d.Geometry(win)
		if err != nil || g.Width == 0 {
			t.Logf("no geometry for the window yet (%v)", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		img := d.Screenshot("dark-start-" + itoa(i))
		// Below the menu bar (GTK's, which follows the GTK theme).
		page := image.Rect(g.X, g.Y+30, g.X+g.Width, g.Y+g.Height)
		// A light frame fills most of the ~700,000 pixels; the dark login
		// page's own light text (labels, title, the checkbox's label) is
		// a few thousand.
		if light := countLight(img, page); light > 10000 {
			t.Fatalf("frame %d: %d light pixels in the window while starting dark (see dark-start-%d.png)", i, light, i)
		}
		frames++
		if done {
			break
		}
	}
	t.Logf("%d frames, all dark", frames)
}

// countLight counts pixels in r brighter than mid grey on every channel.
func countLight(img image.Image, r image.Rectangle) int {
	n := 0
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr>>8 > 0xb0 && cg>>8 > 0xb0 && cb>>8 > 0xb0 {
				n++
			}
		}
	}
	return n
}

// While Go restores a saved session (here from a server that accepts the
// connection and never answers), the first frame shows the app's background
// and a spinner at once, not a blank window.
func TestFirstFrameShowsASpinnerWhileTheSessionIsRestored(t *testing.T) {
	d := StartDesktop(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c // never answered
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(held) > 0 {
			(<-held).Close()
		}
	})
	server := "http://" + ln.Addr().String()
	db, err := clientdb.Open(d.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = db.SaveSettings(clientdb.Settings{Backend: "remote", RemoteURL: server})
	if err == nil {
		err = db.SaveSession(backend.SavedSession{BackendID: "remote:" + server, UserID: "1", Username: "ann",
			RefreshToken: "not-a-real-token", RefreshExpires: time.Now().Add(time.Hour), Saved: time.Now()})
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	d.Launch()
	d.WaitForWindow(60 * time.Second)
	var spinner int
	waitFor(t, 10*time.Second, "the spinner of the first frame", func() bool {
		if strings.Contains(d.Log(), `msg="ui ready"`) {
			t.Fatal("the UI was ready before the restore could have finished")
		}
		spinner = CountNear(d.Screenshot("first-frame-spinner"), 0x0d, 0x6e, 0xfd, 16)
		return spinner > 100
	})
	t.Logf("%d spinner pixels before the UI was ready", spinner)
}

// In the dark nav bar the keyboard focus is plain to see: after signing in,
// Tab puts the focus on the first link and its light-blue ring (#9ec5fe,
// 8.7:1 against the bar) is drawn around it.
func TestNavBarFocusRingIsVisible(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	d.Key(win, "t", "e", "s", "t", "Tab", "t", "e", "s", "t", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
	settle()
	before := CountNear(d.Screenshot("nav-before-tab"), 0x9e, 0xc5, 0xfe, 10)
	d.Key(win, "Tab")
	var ring int
	waitFor(t, 10*time.Second, "the focus ring in the nav bar", func() bool {
		ring = CountNear(d.Screenshot("nav-focus-ring"), 0x9e, 0xc5, 0xfe, 10) - before
		return ring > 80
	})
	t.Logf("%d pixels of the focus ring", ring)
}
