package closesignal_test

import (
	"context"
	"testing"
	"time"
	"unsafe"

	"github.com/authdesk/authdesk/app/closesignal"
	"golang.org/x/sys/windows"
)

var (
	user32       = windows.NewLazySystemDLL("user32.dll")
	findWindowW  = user32.NewProc("FindWindowW")
	postMessageW = user32.NewProc("PostMessageW")
)

func findWindow(t *testing.T, title string) uintptr {
	t.Helper()
	cls, _ := windows.UTF16PtrFromString("AuthDeskCloseSignal")
	name, _ := windows.UTF16PtrFromString(title)
	h, _, _ := findWindowW.Call(uintptr(unsafe.Pointer(cls)), uintptr(unsafe.Pointer(name)))
	return h
}

// What `taskkill /IM authdesk.exe` (without /F) does: WM_CLOSE to the
// process's top-level windows. It ends the context; release removes the window.
func TestCloseMessageEndsTheContext(t *testing.T) {
	const title = "AuthDesk closesignal test"
	ctx, release := closesignal.Notify(context.Background(), title)
	defer release()
	h := findWindow(t, title)
	if h == 0 {
		t.Fatal("no hidden window to receive WM_CLOSE (no desktop?)")
	}
	if ctx.Err() != nil {
		t.Fatal("the context ended before anything asked")
	}
	postMessageW.Call(h, 0x0010 /* WM_CLOSE */, 0, 0)
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("WM_CLOSE did not end the context within 5 s")
	}
	release()
	for i := 0; findWindow(t, title) != 0; i++ {
		if i == 50 {
			t.Fatal("the hidden window is still there after release")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The parent context still ends it, as on other systems.
func TestParentCancelEndsTheContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	ctx, release := closesignal.Notify(parent, "AuthDesk closesignal parent test")
	defer release()
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the parent did not end the context")
	}
}
