package app

import (
	"bytes"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

// AppearanceStore keeps the theme setting (*clientdb.DB).
type AppearanceStore interface {
	Appearance() (clientdb.Appearance, error)
	SaveAppearance(clientdb.Appearance) error
}

// ThemeView is the theme setting as the UI sees it: "system", "light" or "dark".
type ThemeView struct {
	Theme string `json:"theme"`
}

// The window's background before and behind the page: Bootstrap's body
// colours in its light and dark colour modes, so nothing flashes.
var (
	lightBackground = options.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 255}
	darkBackground  = options.RGBA{R: 0x21, G: 0x25, B: 0x29, A: 255}
)

// Theme is the bound API of the light/dark setting. Go owns the setting; the
// UI applies it (following the OS in "system") and tells Go what it applied,
// so the window's own background matches the page.
type Theme struct {
	Store   AppearanceStore
	Runtime DesktopRuntime
	Log     *slog.Logger
	// OnChange, if set, hears every saved change (the menu's radio items).
	OnChange func(theme string)

	mu sync.Mutex
}

// Get returns the theme setting.
func (t *Theme) Get() (ThemeView, error) {
	a, err := t.Store.Appearance()
	if err != nil {
		return ThemeView{Theme: clientdb.ThemeSystem}, err
	}
	return ThemeView{Theme: a.Theme}, nil
}

// Set stores the theme setting and tells the UI (EventThemeChanged), which
// applies it; an unknown theme is an EINVALID error.
func (t *Theme) Set(theme string) (ThemeView, error) {
	if !clientdb.ValidTheme(theme) {
		return ThemeView{}, backend.Errorf(backend.EINVALID, "Choose the system, light or dark theme")
	}
	t.mu.Lock()
	a, err := t.Store.Appearance()
	if err == nil {
		a.Theme = theme
		err = t.Store.SaveAppearance(a)
	}
	t.mu.Unlock()
	if err != nil {
		return ThemeView{}, err
	}
	t.log().Info("theme changed", "theme", theme)
	t.Runtime.WindowSetTheme(theme)
	t.Runtime.EventsEmit(EventThemeChanged, ThemeView{Theme: theme})
	if t.OnChange != nil {
		t.OnChange(theme)
	}
	return ThemeView{Theme: theme}, nil
}

// Applied is called by the UI with the colour mode it now shows. The window
// background follows, and the next start opens in that colour.
func (t *Theme) Applied(dark bool) error {
	c := lightBackground
	if dark {
		c = darkBackground
	}
	t.Runtime.WindowSetBackgroundColour(c.R, c.G, c.B)
	t.mu.Lock()
	defer t.mu.Unlock()
	a, err := t.Store.Appearance()
	if err != nil || a.LastDark == dark {
		return err
	}
	a.LastDark = dark
	return t.Store.SaveAppearance(a)
}

// StartBackground is the window colour for the first frame: the colour the
// UI showed last time (for "system" Go cannot ask the OS as the page can).
// A function, not a method of Theme, so it is not bound to the UI.
func StartBackground(store AppearanceStore) *options.RGBA {
	a, err := store.Appearance()
	dark := err == nil && (a.Theme == clientdb.ThemeDark || (a.Theme == clientdb.ThemeSystem && a.LastDark))
	if dark {
		c := darkBackground
		return &c
	}
	c := lightBackground
	return &c
}

// ThemedIndex serves the page (index.html from assets) with the theme
// setting on its <html> element as data-theme, so the page's first frame,
// drawn before any script of the app has run, is already in the right colour
// mode. Every other path goes to next.
func ThemedIndex(assets fs.FS, store AppearanceStore) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/index.html") {
				next.ServeHTTP(w, r)
				return
			}
			page, err := fs.ReadFile(assets, "index.html")
			if err != nil {
				next.ServeHTTP(w, r)
				return
			}
			theme := clientdb.ThemeSystem
			if a, err := store.Appearance(); err == nil {
				theme = a.Theme
			}
			// The language setting too, when the store keeps one, so the
			// first frame is already in the chosen language.
			attrs := `data-theme="` + theme + `" `
			if ls, ok := store.(LanguageStore); ok {
				if lang, err := ls.Language(); err == nil {
					attrs += `data-lang="` + lang + `" `
				}
			}
			// theme and lang are fixed words (Appearance and Language check),
			// so they need no escaping.
			page = bytes.Replace(page, []byte("<html "), []byte("<html "+attrs), 1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			w.Write(page)
		})
	}
}

func (t *Theme) log() *slog.Logger {
	if t.Log != nil {
		return t.Log
	}
	return slog.Default()
}
