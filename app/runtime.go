package app

import (
	"context"
	goruntime "runtime"
	"sync"

	wailsruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// Runtime is the part of the Wails runtime the bound structs use. The Wails
// functions log.Fatalf when called without the context Wails hands to
// OnStartup, so they are reached only through this interface: the window uses
// WailsRuntime, tests and the browser harness their own.
type Runtime interface {
	EventsEmit(name string, data ...any)
	ShowWindow()
}

// WailsRuntime forwards to the real Wails runtime once Startup has given it a
// context. Events emitted before that are dropped: the UI asks for the current
// state when it mounts, so nothing is lost.
type WailsRuntime struct {
	mu  sync.Mutex
	ctx context.Context
}

// Startup is called from Wails' OnStartup with the runtime's context.
func (r *WailsRuntime) Startup(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctx = ctx
}

// WarmUp asks the web view to run an empty script as soon as Wails has a
// context, while it is still loading the first page. Measured with `make
// bench-startup` on WebKitGTK, the page's HTML then arrives ~35 ms sooner and
// the login page is painted ~25 ms sooner (a start with a saved session
// emitted its "session changed" event at this point and so had it already).
// Call it first thing in OnStartup. Only on Linux: that is where it was
// measured; WebView2 loads its page another way.
func (r *WailsRuntime) WarmUp() {
	if ctx := r.context(); ctx != nil && goruntime.GOOS == "linux" {
		wailsruntime.WindowExecJS(ctx, "void 0")
	}
}

func (r *WailsRuntime) context() context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ctx
}

func (r *WailsRuntime) EventsEmit(name string, data ...any) {
	if ctx := r.context(); ctx != nil {
		wailsruntime.EventsEmit(ctx, name, data...)
	}
}

// ShowWindow brings the window to the front, e.g. when a second launch hands
// over to this one.
func (r *WailsRuntime) ShowWindow() {
	if ctx := r.context(); ctx != nil {
		wailsruntime.WindowUnminimise(ctx)
		wailsruntime.WindowShow(ctx)
	}
}
