//go:build windowtest

package windowtest

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/clientdb"
)

// readmeShots is where the README's pictures live, from this package's folder.
const readmeShots = "../../docs/screenshots"

// The README's pictures come from the real window every time these tests
// run, so they always show the current UI: the login page and the home page,
// in the light and the dark theme, cut to the window from the screen.
func TestREADMEScreenshots(t *testing.T) {
	for _, theme := range []string{clientdb.ThemeLight, clientdb.ThemeDark} {
		t.Run(theme, func(t *testing.T) {
			d := StartDesktop(t)
			db, err := clientdb.Open(d.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			err = db.SaveAppearance(clientdb.Appearance{Theme: theme, LastDark: theme == clientdb.ThemeDark})
			if err == nil {
				err = db.SaveLanguage("en") // the README is in English
			}
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			_, win := d.LaunchUntilReady()
			d.Xdotool("windowfocus", "--sync", win)
			g, err := d.Geometry(win)
			if err != nil {
				t.Fatal(err)
			}
			// The login info (the demo hint) arrives after the first frame:
			// wait for the button, then for the page to stop changing.
			d.ScreenshotWhen("readme-login-"+theme, 10*time.Second, func(img image.Image) bool { return loginButton(img) >= 300 })
			login := d.ScreenshotSettled("readme-login-"+theme, 10*time.Second)
			checkTheme(t, login, g, theme)
			saveWindowShot(t, login, g, "login-"+theme+".png")

			d.Xdotool("type", "--delay", "40", "test")
			d.Xdotool("key", "Tab")
			d.Xdotool("type", "--delay", "40", "test")
			d.Xdotool("key", "Return")
			d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
			d.ScreenshotWhen("readme-home-"+theme, 10*time.Second, func(img image.Image) bool { return navBar(img) >= 10000 })
			// The users list arrives after the page: let it settle.
			time.Sleep(500 * time.Millisecond)
			home := d.Screenshot("readme-home-" + theme)
			if n := navBar(home); n < 10000 {
				t.Fatalf("only %d pixels of the nav bar: not the home page (see screenshot)", n)
			}
			checkTheme(t, home, g, theme)
			saveWindowShot(t, home, g, "home-"+theme+".png")
		})
	}
}

// checkTheme fails unless the window's corner (the page's background, away
// from any card) has the theme's colour: a README picture in the wrong
// theme is worse than none.
func checkTheme(t *testing.T, img image.Image, g Geometry, theme string) {
	t.Helper()
	r, gr, b, _ := img.At(g.X+g.Width-8, g.Y+g.Height-8).RGBA()
	dark := r>>8 < 0x40 && gr>>8 < 0x40 && b>>8 < 0x40
	if dark != (theme == clientdb.ThemeDark) {
		t.Fatalf("the %s window's corner is #%02x%02x%02x", theme, r>>8, gr>>8, b>>8)
	}
}

// saveWindowShot writes the window's part of a screenshot to docs/screenshots.
func saveWindowShot(t *testing.T, img image.Image, g Geometry, name string) {
	t.Helper()
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		t.Fatalf("screenshot of type %T cannot be cut", img)
	}
	cut := sub.SubImage(image.Rect(g.X, g.Y, g.X+g.Width, g.Y+g.Height).Intersect(img.Bounds()))
	if err := os.MkdirAll(readmeShots, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(readmeShots, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, cut); err != nil {
		t.Fatal(err)
	}
	t.Logf("README screenshot: %s (%dx%d)", path, cut.Bounds().Dx(), cut.Bounds().Dy())
}
