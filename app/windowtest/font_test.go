//go:build windowtest

package windowtest

import (
	"os"
	"path/filepath"
	"testing"
)

// The page is drawn in the desktop's own UI font: GTK's font setting, here
// set to a serif in the GTK settings file of a second start. The login page
// then looks different from the default start's, while a third start with
// the default setting again looks like the first (so the difference is the
// font, not the screen or the caret).
func TestPageUsesTheDesktopFont(t *testing.T) {
	d := StartDesktop(t)
	d.LaunchUntilReady()
	settle()
	before := d.Screenshot("font-default")
	d.Stop()

	config := t.TempDir()
	if err := os.MkdirAll(filepath.Join(config, "gtk-3.0"), 0o700); err != nil {
		t.Fatal(err)
	}
	settings := "[Settings]\ngtk-font-name=DejaVu Serif 11\n"
	if err := os.WriteFile(filepath.Join(config, "gtk-3.0", "settings.ini"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	d.Env = []string{"XDG_CONFIG_HOME=" + config}
	d.LaunchUntilReady()
	settle()
	serif := d.Screenshot("font-serif")
	d.Stop()

	d.Env = nil
	d.LaunchUntilReady()
	settle()
	again := d.Screenshot("font-default-again")

	same, changed := differentPixels(before, again), differentPixels(before, serif)
	t.Logf("pixels that differ from the default start: %d with the default font again, %d with a serif desktop font", same, changed)
	if same > 500 {
		t.Fatalf("two starts with the same desktop font differ in %d pixels (see font-default*.png)", same)
	}
	if changed < 5000 {
		t.Fatalf("with GTK's font set to DejaVu Serif only %d pixels changed: the page did not follow the desktop font (see font-serif.png)", changed)
	}
}
