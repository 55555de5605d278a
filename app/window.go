package app

import (
	"log/slog"
	"sync"

	"github.com/authdesk/authdesk/backend/clientdb"
)

// WindowStore keeps the window's place between runs (*clientdb.DB).
type WindowStore interface {
	Window() (clientdb.WindowState, bool, error)
	SaveWindow(clientdb.WindowState) error
}

// Size is a width and a height in pixels.
type Size struct{ Width, Height int }

// Window remembers the window's size, position and maximised state: saved
// when the window closes, restored when it opens. It is not bound to the UI.
//
// Wails reports a window's position in screen coordinates but places it
// relative to the monitor the window is on, and it reports monitors' sizes
// but not where they are. So the restored window is put on the monitor it
// opens on, at the saved position clamped so all of it is visible there: a
// window saved on a monitor that is gone, or one larger than the screen now,
// comes back whole onto the screen.
type Window struct {
	Store   WindowStore
	Runtime DesktopRuntime
	Log     *slog.Logger
	Default Size // the size of a first start
	Min     Size // the window's minimum size

	mu      sync.Mutex
	saved   clientdb.WindowState
	found   bool
	loaded  bool
	restore sync.Once
}

func (w *Window) load() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loaded {
		return
	}
	w.loaded = true
	s, found, err := w.Store.Window()
	if err != nil {
		w.log().Warn("cannot read the saved window state; using the default", "err", err)
		return
	}
	w.saved, w.found = s, found
}

// StartSize is the size the window opens with and whether it opens maximised.
func (w *Window) StartSize() (size Size, maximised bool) {
	w.load()
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.found {
		return w.Default, false
	}
	return Size{max(w.saved.Width, w.Min.Width), max(w.saved.Height, w.Min.Height)}, w.saved.Maximised
}

// Restore puts the window where it was (call it once the window is on
// screen: Wails' OnDomReady). Later calls (a page reload) do nothing.
func (w *Window) Restore() {
	w.restore.Do(func() {
		w.load()
		w.mu.Lock()
		saved, found := w.saved, w.found
		w.mu.Unlock()
		if !found || saved.Maximised {
			return // the window manager places a new or maximised window
		}
		screens, err := w.Runtime.ScreenGetAll()
		if err != nil || len(screens) == 0 {
			w.log().Debug("no screens reported: the window stays where it opened", "err", err)
			return
		}
		x, y, size := Place(saved, screens, w.Min)
		if size.Width != saved.Width || size.Height != saved.Height {
			w.Runtime.WindowSetSize(size.Width, size.Height)
		}
		w.Runtime.WindowSetPosition(x, y)
		w.log().Debug("window restored", "x", x, "y", y, "width", size.Width, "height", size.Height)
	})
}

// Save stores the window's place; call it before the window closes (Wails'
// OnBeforeClose). A maximised window keeps its earlier normal size and
// position, so un-maximising after a restart gives them back; a minimised
// one keeps what was saved before.
func (w *Window) Save() {
	w.load()
	if w.Runtime.WindowIsMinimised() {
		return
	}
	w.mu.Lock()
	s := w.saved
	if !w.found {
		s = clientdb.WindowState{Width: w.Default.Width, Height: w.Default.Height}
	}
	w.mu.Unlock()

	s.Maximised = w.Runtime.WindowIsMaximised()
	if !s.Maximised {
		s.X, s.Y = w.Runtime.WindowGetPosition()
		s.Width, s.Height = w.Runtime.WindowGetSize()
		if screens, err := w.Runtime.ScreenGetAll(); err == nil {
			if cur, ok := currentScreen(screens); ok {
				s.ScreenWidth, s.ScreenHeight = cur.Size.Width, cur.Size.Height
			}
		}
	}
	if s.Width <= 0 || s.Height <= 0 {
		return // the window is already gone: keep what was saved
	}
	if err := w.Store.SaveWindow(s); err != nil {
		w.log().Warn("cannot save the window state", "err", err)
		return
	}
	w.mu.Lock()
	w.saved, w.found = s, true
	w.mu.Unlock()
	w.log().Info("window state saved", "x", s.X, "y", s.Y, "width", s.Width, "height", s.Height, "maximised", s.Maximised)
}

// Place returns where a window saved as s goes on the current monitor: its
// size no larger than the monitor (and no smaller than min), and its
// position moved just enough for all of it to be on the monitor.
func Place(s clientdb.WindowState, screens []Screen, min Size) (x, y int, size Size) {
	cur, ok := currentScreen(screens)
	if !ok {
		return s.X, s.Y, Size{s.Width, s.Height}
	}
	sw, sh := cur.Size.Width, cur.Size.Height
	size = Size{clamp(s.Width, min.Width, max(sw, min.Width)), clamp(s.Height, min.Height, max(sh, min.Height))}
	x = clamp(s.X, 0, max(sw-size.Width, 0))
	y = clamp(s.Y, 0, max(sh-size.Height, 0))
	return x, y, size
}

// currentScreen is the monitor the window is on, else the primary one.
func currentScreen(screens []Screen) (Screen, bool) {
	for _, s := range screens {
		if s.IsCurrent && s.Size.Width > 0 {
			return s, true
		}
	}
	for _, s := range screens {
		if s.IsPrimary && s.Size.Width > 0 {
			return s, true
		}
	}
	if len(screens) > 0 && screens[0].Size.Width > 0 {
		return screens[0], true
	}
	return Screen{}, false
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

func (w *Window) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}
