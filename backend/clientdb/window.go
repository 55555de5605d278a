package clientdb

import (
	"github.com/authdesk/authdesk/backend"
)

// The desktop shell's own state: where the window was and how it looks.
// Nothing here is secret; it lives in its own bucket so the settings and the
// saved session keep their layout.
var (
	bucketDesktop = []byte("desktop")

	keyWindow     = []byte("window")
	keyAppearance = []byte("appearance")
)

// WindowState is the window's place when it was last closed. X and Y are the
// top-left corner as the Wails runtime reports it; ScreenWidth and
// ScreenHeight are the size of the monitor it was on, so a restart can tell
// whether that monitor is still there.
type WindowState struct {
	X            int  `json:"x"`
	Y            int  `json:"y"`
	Width        int  `json:"width"`
	Height       int  `json:"height"`
	Maximised    bool `json:"maximised"`
	ScreenWidth  int  `json:"screenWidth"`
	ScreenHeight int  `json:"screenHeight"`
}

// Window returns the saved window state; found is false before the first close.
func (db *DB) Window() (s WindowState, found bool, err error) {
	found, err = db.get(bucketDesktop, keyWindow, &s)
	if err != nil || !found || s.Width <= 0 || s.Height <= 0 {
		return WindowState{}, false, err
	}
	return s, true, nil
}

// SaveWindow stores the window state. A size of zero or less is refused: it
// would open an invisible window next time.
func (db *DB) SaveWindow(s WindowState) error {
	if s.Width <= 0 || s.Height <= 0 {
		return backend.Errorf(backend.EINVALID, "Window size %dx%d is not a size", s.Width, s.Height)
	}
	return db.put(bucketDesktop, keyWindow, s)
}

// Themes a person can choose: follow the operating system, or always light
// or dark.
const (
	ThemeSystem = "system"
	ThemeLight  = "light"
	ThemeDark   = "dark"
)

// Appearance is the theme setting, and whether the UI was dark the last time
// it applied it, so the next start paints the window in the right colour
// before the page (which can ask the OS) has loaded.
type Appearance struct {
	Theme    string `json:"theme"`
	LastDark bool   `json:"lastDark"`
}

// ValidTheme reports whether t is one of the themes above.
func ValidTheme(t string) bool { return t == ThemeSystem || t == ThemeLight || t == ThemeDark }

// Appearance returns the saved appearance; a fresh install follows the system.
func (db *DB) Appearance() (Appearance, error) {
	var a Appearance
	if _, err := db.get(bucketDesktop, keyAppearance, &a); err != nil {
		return Appearance{Theme: ThemeSystem}, err
	}
	if !ValidTheme(a.Theme) {
		a.Theme = ThemeSystem
	}
	return a, nil
}

// SaveAppearance stores a; an unknown theme is an EINVALID error.
func (db *DB) SaveAppearance(a Appearance) error {
	if !ValidTheme(a.Theme) {
		return backend.Errorf(backend.EINVALID, "Theme must be %q, %q or %q", ThemeSystem, ThemeLight, ThemeDark)
	}
	return db.put(bucketDesktop, keyAppearance, a)
}
