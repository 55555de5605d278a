//go:build windowtest

package windowtest

import (
	"image"
	"regexp"
	"testing"
	"time"
)

// The user menu in the real window (WebKitGTK), as the e2e tests drive it in
// Chromium: opened with the mouse, then only the keyboard. Down and Return
// open Sessions (this session's row, light blue, on screen); Escape closes
// the menu and gives the focus back to its button, so Down there opens it
// again at its first item and Return opens Account (its blue button).
func TestUserMenuWithTheKeyboard(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	settle()
	d.Key(win, "t", "e", "s", "t", "Tab", "t", "e", "s", "t", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
	g, err := d.Geometry(win)
	if err != nil {
		t.Fatal(err)
	}
	var x, y int
	var found bool
	d.ScreenshotWhen("menu-home", 10*time.Second, func(img image.Image) bool {
		x, y, found = roleBadge(img, g)
		return found
	})
	if !found {
		t.Fatal("no role badge in the nav bar (see menu-home.png)")
	}
	openMenu := func() {
		d.Xdotool("mousemove", itoa(x), itoa(y))
		d.Xdotool("click", "1")
		time.Sleep(400 * time.Millisecond)
	}

	openMenu()
	d.Screenshot("menu-open")
	d.Key(win, "Down", "Return")
	img := d.ScreenshotWhen("menu-sessions", 10*time.Second, func(img image.Image) bool { return currentRow(img) > 5000 })
	if n := currentRow(img); n <= 5000 {
		t.Fatalf("only %d pixels of the current session's row: not the Sessions page (see menu-sessions.png)", n)
	}

	openMenu()
	d.Key(win, "Escape")
	time.Sleep(300 * time.Millisecond)
	d.Key(win, "Down")
	time.Sleep(300 * time.Millisecond)
	d.Key(win, "Return")
	img = d.ScreenshotWhen("menu-account", 10*time.Second, func(img image.Image) bool {
		return currentRow(img) < 500 && primaryButton(img) > 3000
	})
	if currentRow(img) >= 500 || primaryButton(img) <= 3000 {
		t.Fatalf("not the Account page after Escape, Down, Return (see menu-account.png): %d row pixels, %d button pixels",
			currentRow(img), primaryButton(img))
	}
}

// roleBadge finds the role badge (#6c757d) in the right half of the window's
// top 140 pixels (menu bar and nav bar) and returns its centre.
func roleBadge(img image.Image, g Geometry) (x, y int, ok bool) {
	// The mean of the badge-grey pixels, not the middle of their extent: a
	// few anti-aliased pixels of nav link text share the colour and would
	// pull the extent (and the click) off the button.
	sumX, sumY, n := 0, 0, 0
	for py := g.Y; py < g.Y+140; py++ {
		for px := g.X + g.Width/2; px < g.X+g.Width; px++ {
			r, gg, b, _ := img.At(px, py).RGBA()
			if near(int(r>>8), 0x6c, 6) && near(int(gg>>8), 0x75, 6) && near(int(b>>8), 0x7d, 6) {
				n++
				sumX += px
				sumY += py
			}
		}
	}
	if n <= 100 {
		return 0, 0, false
	}
	return sumX / n, sumY / n, true
}

func currentRow(img image.Image) int    { return CountNear(img, 0xcf, 0xe2, 0xff, 4) } // list-group-item-primary
func primaryButton(img image.Image) int { return CountNear(img, 0x0d, 0x6e, 0xfd, 6) } // btn-primary
