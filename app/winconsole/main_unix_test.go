//go:build !windows

package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The real signal path on a Unix system: run installs the handler, and a
// SIGINT to this process reaches the program as a polite request.
func TestRealCtrlCReachesRun(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "serve")
	f := newFiles(t, "")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	codes := make(chan int, 1)
	go func() {
		codes <- runWith(self, []string{"serve"}, f.in, f.out, f.err)
	}()
	waitFor(t, f, "ready")
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-codes:
		if code != 0 {
			t.Errorf("exit code %d, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after SIGINT")
	}
	if out, _ := f.read(t); !strings.Contains(out, "stopped serving") {
		t.Errorf("output %q", out)
	}
}
