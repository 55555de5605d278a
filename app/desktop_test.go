package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/wailsapp/wails/v2/pkg/menu"

	"github.com/authdesk/authdesk/app"
	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/clientdb"
)

// fakeWindow is a window on a set of monitors: what the Wails runtime would
// report and what it was told.
type fakeWindow struct {
	mu                  sync.Mutex
	x, y, width, height int
	maximised           bool
	screens             []app.Screen
	events              []string
	background          [3]uint8
	frameTheme          string
	quits               int
	opened              []string
}

func screen(w, h int, current bool) app.Screen {
	s := app.Screen{IsCurrent: current, IsPrimary: current, Width: w, Height: h}
	s.Size.Width, s.Size.Height = w, h
	return s
}

func (f *fakeWindow) EventsEmit(name string, data ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, name)
}
func (f *fakeWindow) ShowWindow()                         {}
func (f *fakeWindow) WindowGetPosition() (int, int)       { return f.x, f.y }
func (f *fakeWindow) WindowGetSize() (int, int)           { return f.width, f.height }
func (f *fakeWindow) WindowIsMaximised() bool             { return f.maximised }
func (f *fakeWindow) WindowIsMinimised() bool             { return false }
func (f *fakeWindow) WindowSetPosition(x, y int)          { f.x, f.y = x, y }
func (f *fakeWindow) WindowSetSize(w, h int)              { f.width, f.height = w, h }
func (f *fakeWindow) ScreenGetAll() ([]app.Screen, error) { return f.screens, nil }
func (f *fakeWindow) WindowSetBackgroundColour(r, g, b uint8) {
	f.background = [3]uint8{r, g, b}
}
func (f *fakeWindow) WindowSetTheme(t string)   { f.frameTheme = t }
func (f *fakeWindow) BrowserOpenURL(url string) { f.opened = append(f.opened, url) }
func (f *fakeWindow) Quit()                     { f.quits++ }
func (f *fakeWindow) emitted() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.events, " ")
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openClientDB(t *testing.T, dir string) *clientdb.DB {
	t.Helper()
	db, err := clientdb.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var (
	defaultSize = app.Size{Width: 1024, Height: 720}
	minSize     = app.Size{Width: 640, Height: 520}
)

func newWindow(db *clientdb.DB, rt *fakeWindow) *app.Window {
	return &app.Window{Store: db, Runtime: rt, Log: quiet, Default: defaultSize, Min: minSize}
}

// A person moves and resizes the window, closes it, and starts AuthDesk
// again: the window comes back where it was, at the size it was.
func TestWindowComesBackWhereItWas(t *testing.T) {
	dir := t.TempDir()
	db := openClientDB(t, dir)
	first := &fakeWindow{screens: []app.Screen{screen(1920, 1080, true)}}
	w := newWindow(db, first)
	if size, max := w.StartSize(); size != defaultSize || max {
		t.Fatalf("first start: %+v maximised=%v; want the default size", size, max)
	}
	first.x, first.y, first.width, first.height = 300, 200, 800, 600
	w.Save()
	db.Close()

	db = openClientDB(t, dir)
	second := &fakeWindow{screens: first.screens, x: 448, y: 180, width: 800, height: 600}
	w = newWindow(db, second)
	if size, max := w.StartSize(); size != (app.Size{Width: 800, Height: 600}) || max {
		t.Fatalf("restart: opens at %+v maximised=%v; want 800x600", size, max)
	}
	w.Restore()
	if second.x != 300 || second.y != 200 {
		t.Fatalf("restart: window at %d,%d; want 300,200", second.x, second.y)
	}
	second.x, second.y = 10, 10
	w.Restore() // a page reload must not move the window again
	if second.x != 10 {
		t.Fatal("a second Restore moved the window")
	}
}

// A maximised window opens maximised, and keeps the normal size it had
// before, for when it is un-maximised.
func TestMaximisedWindowKeepsItsNormalSize(t *testing.T) {
	dir := t.TempDir()
	db := openClientDB(t, dir)
	rt := &fakeWindow{screens: []app.Screen{screen(1920, 1080, true)}, x: 50, y: 60, width: 900, height: 650}
	w := newWindow(db, rt)
	w.Save()
	rt.maximised, rt.x, rt.y, rt.width, rt.height = true, 0, 0, 1920, 1080
	w.Save()

	w = newWindow(db, &fakeWindow{screens: rt.screens})
	size, max := w.StartSize()
	if !max || size != (app.Size{Width: 900, Height: 650}) {
		t.Fatalf("StartSize = %+v maximised=%v; want 900x650 maximised", size, max)
	}
}

// The window was on a monitor that is gone (or the screen got smaller): it
// comes back whole onto the screen there is.
func TestWindowOnAMissingMonitorComesBackOnScreen(t *testing.T) {
	saved := clientdb.WindowState{X: 2400, Y: 900, Width: 1200, Height: 900, ScreenWidth: 2560, ScreenHeight: 1440}
	laptop := []app.Screen{screen(1366, 768, true)}
	x, y, size := app.Place(saved, laptop, minSize)
	if size != (app.Size{Width: 1200, Height: 768}) {
		t.Fatalf("size %+v; want 1200x768 (no taller than the screen)", size)
	}
	if x != 166 || y != 0 {
		t.Fatalf("position %d,%d; want 166,0 (the right edge on screen)", x, y)
	}
	for _, c := range []struct {
		s    clientdb.WindowState
		x, y int
	}{
		{clientdb.WindowState{X: -500, Y: -40, Width: 800, Height: 600}, 0, 0},
		{clientdb.WindowState{X: 100, Y: 100, Width: 800, Height: 600}, 100, 100},
		{clientdb.WindowState{X: 5000, Y: 5000, Width: 800, Height: 600}, 566, 168},
	} {
		x, y, size := app.Place(c.s, laptop, minSize)
		if x != c.x || y != c.y || x+size.Width > 1366 || y+size.Height > 768 || x < 0 || y < 0 {
			t.Errorf("Place(%+v) = %d,%d %+v; want %d,%d and wholly on the 1366x768 screen", c.s, x, y, size, c.x, c.y)
		}
	}
	// A screen smaller than the minimum size: the minimum wins, at 0,0.
	if x, y, size := app.Place(saved, []app.Screen{screen(600, 400, true)}, minSize); size != minSize || x != 0 || y != 0 {
		t.Fatalf("tiny screen: %d,%d %+v", x, y, size)
	}
}

func TestThemeSettingIsStoredAnnouncedAndPaintsTheWindow(t *testing.T) {
	dir := t.TempDir()
	db := openClientDB(t, dir)
	rt := &fakeWindow{}
	var told []string
	theme := &app.Theme{Store: db, Runtime: rt, Log: quiet, OnChange: func(t string) { told = append(told, t) }}
	if v, err := theme.Get(); err != nil || v.Theme != "system" {
		t.Fatalf("fresh Get = %+v, %v; want system", v, err)
	}
	if _, err := theme.Set("sepia"); backend.ErrorCode(err) != backend.EINVALID {
		t.Fatalf("Set(sepia) = %v, want EINVALID", err)
	}
	if v, err := theme.Set("dark"); err != nil || v.Theme != "dark" {
		t.Fatalf("Set(dark) = %+v, %v", v, err)
	}
	if !strings.Contains(rt.emitted(), app.EventThemeChanged) || rt.frameTheme != "dark" || strings.Join(told, ",") != "dark" {
		t.Fatalf("after Set: events %q, frame %q, menu told %v", rt.emitted(), rt.frameTheme, told)
	}
	if err := theme.Applied(true); err != nil || rt.background != [3]uint8{0x21, 0x25, 0x29} {
		t.Fatalf("Applied(dark): %v, background %v", err, rt.background)
	}
	if c := app.StartBackground(db); c.R != 0x21 {
		t.Fatalf("next start background %+v, want dark", c)
	}
	// "system" opens in the colour the UI showed last time.
	theme.Set("system")
	if c := app.StartBackground(db); c.R != 0x21 {
		t.Fatalf("system, last dark: start background %+v, want dark", c)
	}
	theme.Applied(false)
	if c := app.StartBackground(db); c.R != 0xff || rt.background != [3]uint8{0xff, 0xff, 0xff} {
		t.Fatalf("system, last light: start background %+v, window %v", c, rt.background)
	}
	db.Close()
	if v, _ := (&app.Theme{Store: openClientDB(t, dir)}).Get(); v.Theme != "system" {
		t.Fatalf("after reopening: %q", v.Theme)
	}
}

// The page's first frame carries the setting, before any app script runs.
func TestThemedIndexMarksThePage(t *testing.T) {
	db := openClientDB(t, t.TempDir())
	assets := fstest.MapFS{"index.html": {Data: []byte(`<!doctype html><html lang="en"><body>x</body></html>`)}}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "asset "+r.URL.Path) })
	h := app.ThemedIndex(assets, db)(next)
	get := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Body.String()
	}
	if got := get("/"); !strings.Contains(got, `<html data-theme="system" data-lang="system" lang="en">`) {
		t.Fatalf("fresh: %s", got)
	}
	db.SaveAppearance(clientdb.Appearance{Theme: "dark"})
	db.SaveLanguage("de")
	if got := get("/index.html"); !strings.Contains(got, `<html data-theme="dark" data-lang="de" lang="en">`) {
		t.Fatalf("dark: %s", got)
	}
	if got := get("/assets/app.js"); got != "asset /assets/app.js" {
		t.Fatalf("other paths must pass through: %s", got)
	}
}

type signOutSpy struct{ calls int }

func (s *signOutSpy) Logout(context.Context) error { s.calls++; return nil }

func findItem(m *menu.Menu, label string) *menu.MenuItem {
	for _, it := range m.Items {
		if it.Label == label {
			return it
		}
		if it.SubMenu != nil {
			if found := findItem(it.SubMenu, label); found != nil {
				return found
			}
		}
	}
	return nil
}

func TestMenuItemsDoWhatTheySay(t *testing.T) {
	db := openClientDB(t, t.TempDir())
	rt := &fakeWindow{}
	spy := &signOutSpy{}
	theme := &app.Theme{Store: db, Runtime: rt, Log: quiet}
	about := &app.About{Runtime: rt, Info: app.AboutInfo{Website: "https://example.org/authdesk"}}
	m := &app.Menu{Runtime: rt, Sessions: spy, Theme: theme, About: about, Log: quiet, GOOS: "linux"}
	built := m.Build("system")
	theme.OnChange = m.ThemeChanged

	click := func(label string) {
		t.Helper()
		it := findItem(built, label)
		if it == nil {
			t.Fatalf("no menu item %q", label)
		}
		it.Click(&menu.CallbackData{MenuItem: it})
	}
	if top := []string{built.Items[0].Label, built.Items[1].Label, built.Items[2].Label, built.Items[3].Label}; strings.Join(top, ",") != "File,Edit,View,Help" {
		t.Fatalf("menu bar %v", top)
	}
	for label, key := range map[string]string{"Settings…": ",", "Quit AuthDesk": "q", "Close window": "w"} {
		if a := findItem(built, label).Accelerator; a == nil || a.Key != key {
			t.Errorf("%s: accelerator %+v, want CmdOrCtrl+%s", label, a, key)
		}
	}
	// The web view keeps Ctrl+C and friends: no accelerator takes them.
	if findItem(built, "Copy").Accelerator != nil || findItem(built, "Select all").Accelerator != nil {
		t.Error("Edit items must not take the keys from the web view")
	}
	click("Settings…")
	click("About AuthDesk")
	click("Copy")
	if got := rt.emitted(); got != "menu:navigate menu:about menu:edit" {
		t.Fatalf("events %q", got)
	}
	click("Sign out")
	if spy.calls != 1 {
		t.Fatal("Sign out did not end the session")
	}
	click("Quit AuthDesk")
	click("Close window")
	if rt.quits != 2 {
		t.Fatalf("%d quits, want 2", rt.quits)
	}
	click("AuthDesk website")
	if strings.Join(rt.opened, " ") != "https://example.org/authdesk" {
		t.Fatalf("opened %v", rt.opened)
	}
	dark := findItem(built, "Dark")
	dark.Checked = true // GTK checks the clicked radio item first
	click("Dark")
	if v, _ := theme.Get(); v.Theme != "dark" {
		t.Fatalf("theme after View > Theme > Dark: %q", v.Theme)
	}
	theme.Set("light") // from elsewhere: the radio items follow
	if !findItem(built, "Light").Checked || findItem(built, "Dark").Checked {
		t.Fatal("radio items did not follow the setting")
	}

	// macOS: the system's Edit menu, and the app's name on the first menu.
	mac := (&app.Menu{Runtime: rt, Sessions: spy, Theme: theme, About: about, GOOS: "darwin"}).Build("system")
	if mac.Items[0].Label != "AuthDesk" || mac.Items[1].Role != menu.EditMenuRole {
		t.Fatalf("macOS menu: %q, role %v", mac.Items[0].Label, mac.Items[1].Role)
	}
}

func TestAboutOpensTheDataFolder(t *testing.T) {
	var opened string
	a := &app.About{Info: app.AboutInfo{DataDir: "/data/authdesk"}, Log: quiet,
		OpenFolder: func(dir string) error { opened = dir; return nil }}
	if err := a.OpenDataFolder(); err != nil || opened != "/data/authdesk" {
		t.Fatalf("OpenDataFolder: %v, opened %q", err, opened)
	}
	a.OpenFolder = func(string) error { return errors.New("no file manager") }
	if err := a.OpenDataFolder(); backend.ErrorCode(err) != backend.EUNAVAILABLE || !strings.Contains(backend.ErrorMessage(err), "/data/authdesk") {
		t.Fatalf("without a file manager: %v", err)
	}
	if err := app.OpenFolder("/no/such/folder"); err == nil {
		t.Fatal("OpenFolder of a missing folder succeeded")
	}
}
