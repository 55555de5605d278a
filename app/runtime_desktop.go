package app

import (
	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Screen is one monitor as the Wails runtime reports it.
type Screen = wailsruntime.Screen

// DesktopRuntime is the part of the Wails runtime the window memory, the
// menu, the theme and About use. WailsRuntime implements it; tests use their
// own. Like Runtime's methods, these do nothing before Startup.
type DesktopRuntime interface {
	Runtime
	WindowGetPosition() (x, y int)
	WindowGetSize() (width, height int)
	WindowIsMaximised() bool
	WindowIsMinimised() bool
	WindowSetPosition(x, y int)
	WindowSetSize(width, height int)
	ScreenGetAll() ([]Screen, error)
	WindowSetBackgroundColour(r, g, b uint8)
	// WindowSetTheme sets the window frame's theme where Wails can (Windows):
	// "system", "light" or "dark".
	WindowSetTheme(theme string)
	BrowserOpenURL(url string)
	Quit()
}

var _ DesktopRuntime = (*WailsRuntime)(nil)

func (r *WailsRuntime) WindowGetPosition() (x, y int) {
	if ctx := r.context(); ctx != nil {
		return wailsruntime.WindowGetPosition(ctx)
	}
	return 0, 0
}

func (r *WailsRuntime) WindowGetSize() (width, height int) {
	if ctx := r.context(); ctx != nil {
		return wailsruntime.WindowGetSize(ctx)
	}
	return 0, 0
}

func (r *WailsRuntime) WindowIsMaximised() bool {
	if ctx := r.context(); ctx != nil {
		return wailsruntime.WindowIsMaximised(ctx)
	}
	return false
}

func (r *WailsRuntime) WindowIsMinimised() bool {
	if ctx := r.context(); ctx != nil {
		return wailsruntime.WindowIsMinimised(ctx)
	}
	return false
}

func (r *WailsRuntime) WindowSetPosition(x, y int) {
	if ctx := r.context(); ctx != nil {
		wailsruntime.WindowSetPosition(ctx, x, y)
	}
}

func (r *WailsRuntime) WindowSetSize(width, height int) {
	if ctx := r.context(); ctx != nil {
		wailsruntime.WindowSetSize(ctx, width, height)
	}
}

func (r *WailsRuntime) ScreenGetAll() ([]Screen, error) {
	if ctx := r.context(); ctx != nil {
		return wailsruntime.ScreenGetAll(ctx)
	}
	return nil, nil
}

func (r *WailsRuntime) WindowSetBackgroundColour(red, green, blue uint8) {
	if ctx := r.context(); ctx != nil {
		wailsruntime.WindowSetBackgroundColour(ctx, red, green, blue, 255)
	}
}

func (r *WailsRuntime) WindowSetTheme(theme string) {
	ctx := r.context()
	if ctx == nil {
		return
	}
	switch theme {
	case "dark":
		wailsruntime.WindowSetDarkTheme(ctx)
	case "light":
		wailsruntime.WindowSetLightTheme(ctx)
	default:
		wailsruntime.WindowSetSystemDefaultTheme(ctx)
	}
}

func (r *WailsRuntime) BrowserOpenURL(url string) {
	if ctx := r.context(); ctx != nil {
		wailsruntime.BrowserOpenURL(ctx, url)
	}
}

// Quit closes the window and ends the app (Wails runs OnBeforeClose first).
func (r *WailsRuntime) Quit() {
	if ctx := r.context(); ctx != nil {
		wailsruntime.Quit(ctx)
	}
}

// WithoutWindow gives rt the window methods as no-ops, for the browser test
// harness, which has events but no window.
func WithoutWindow(rt Runtime) DesktopRuntime { return noWindow{rt} }

type noWindow struct{ Runtime }

func (noWindow) WindowGetPosition() (int, int)           { return 0, 0 }
func (noWindow) WindowGetSize() (int, int)               { return 0, 0 }
func (noWindow) WindowIsMaximised() bool                 { return false }
func (noWindow) WindowIsMinimised() bool                 { return false }
func (noWindow) WindowSetPosition(int, int)              {}
func (noWindow) WindowSetSize(int, int)                  {}
func (noWindow) ScreenGetAll() ([]Screen, error)         { return nil, nil }
func (noWindow) WindowSetBackgroundColour(_, _, _ uint8) {}
func (noWindow) WindowSetTheme(string)                   {}
func (noWindow) BrowserOpenURL(string)                   {}
func (noWindow) Quit()                                   {}
