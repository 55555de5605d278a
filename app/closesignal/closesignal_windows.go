package closesignal

import (
	"context"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32             = windows.NewLazySystemDLL("user32.dll")
	procRegisterClassW = user32.NewProc("RegisterClassExW")
	procCreateWindowW  = user32.NewProc("CreateWindowExW")
	procDefWindowProcW = user32.NewProc("DefWindowProcW")
	procDestroyWindow  = user32.NewProc("DestroyWindow")
	procGetMessageW    = user32.NewProc("GetMessageW")
	procDispatchMsgW   = user32.NewProc("DispatchMessageW")
	procPostMessageW   = user32.NewProc("PostMessageW")
	procPostQuitMsg    = user32.NewProc("PostQuitMessage")
)

const (
	wmDestroy         = 0x0002
	wmClose           = 0x0010
	wmQueryEndSession = 0x0011
	wmEndSession      = 0x0016
	wmRelease         = 0x0400 + 1 // WM_USER+1: the command finished, close the window
	endSessionGrace   = 5 * time.Second
	className         = "AuthDeskCloseSignal"
)

type wndClassEx struct {
	Size       uint32
	Style      uint32
	WndProc    uintptr
	ClsExtra   int32
	WndExtra   int32
	Instance   windows.Handle
	Icon       windows.Handle
	Cursor     windows.Handle
	Background windows.Handle
	MenuName   *uint16
	ClassName  *uint16
	IconSm     windows.Handle
}

type msg struct {
	Hwnd    uintptr
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	Pt      [2]int32
}

// One watcher at a time (a process runs one command); the window procedure
// is a callback Windows calls without context, so it finds it here.
var (
	mu      sync.Mutex
	current *watcher
	wndProc = syscall.NewCallback(windowProc)
)

type watcher struct {
	cancel   context.CancelFunc
	released chan struct{}
}

// Notify returns a context that is also cancelled when Windows asks the
// process to close, and a release function to call (deferred) once the
// command has finished its clean-up. When the session ends, Windows ends the
// process as soon as WM_ENDSESSION is answered, so that answer waits for
// release (up to five seconds). title names the hidden window in tools that
// list windows. If the window cannot be created (no desktop, e.g. a
// service), ctx is returned as it is.
func Notify(ctx context.Context, title string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	w := &watcher{cancel: cancel, released: make(chan struct{})}
	hwnd := make(chan uintptr, 1)
	go w.loop(title, hwnd)
	h := <-hwnd
	if h == 0 {
		return ctx, cancel
	}
	var once sync.Once
	return ctx, func() {
		once.Do(func() {
			cancel()
			close(w.released)
			procPostMessageW.Call(h, wmRelease, 0, 0)
		})
	}
}

// loop owns the hidden window: Windows delivers its messages to the thread
// that created it, so the goroutine keeps that thread to itself.
func (w *watcher) loop(title string, hwnd chan<- uintptr) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mu.Lock()
	current = w
	mu.Unlock()
	defer func() {
		mu.Lock()
		if current == w {
			current = nil
		}
		mu.Unlock()
	}()

	cls, _ := windows.UTF16PtrFromString(className)
	name, _ := windows.UTF16PtrFromString(title)
	wc := wndClassEx{WndProc: wndProc, ClassName: cls}
	wc.Size = uint32(unsafe.Sizeof(wc))
	procRegisterClassW.Call(uintptr(unsafe.Pointer(&wc))) // fails harmlessly if registered before
	// A top-level window that is never shown (no WS_VISIBLE): taskkill and
	// the session manager find top-level windows, not message-only ones.
	h, _, _ := procCreateWindowW.Call(0, uintptr(unsafe.Pointer(cls)), uintptr(unsafe.Pointer(name)),
		0, 0, 0, 0, 0, 0, 0, 0, 0)
	hwnd <- h
	if h == 0 {
		return
	}
	var m msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 { // WM_QUIT or an error
			return
		}
		procDispatchMsgW.Call(uintptr(unsafe.Pointer(&m)))
	}
}

func windowProc(hwnd, message, wParam, lParam uintptr) uintptr {
	mu.Lock()
	w := current
	mu.Unlock()
	switch message {
	case wmClose: // taskkill, Task Manager: stop; the window goes at release
		if w != nil {
			w.cancel()
		}
		return 0
	case wmQueryEndSession: // yes, the session may end
		return 1
	case wmEndSession:
		if wParam != 0 && w != nil {
			w.cancel()
			select {
			case <-w.released:
			case <-time.After(endSessionGrace):
			}
		}
		return 0
	case wmRelease:
		procDestroyWindow.Call(hwnd)
		return 0
	case wmDestroy:
		procPostQuitMsg.Call(0)
		return 0
	}
	r, _, _ := procDefWindowProcW.Call(hwnd, message, wParam, lParam)
	return r
}
