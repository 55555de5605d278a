//go:build windowtest

package windowtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Geometry is a window's place on the X screen.
type Geometry struct{ X, Y, Width, Height int }

// Geometry asks xdotool where the window is.
func (d *Desktop) Geometry(win string) (Geometry, error) {
	out, err := d.x("xdotool", "getwindowgeometry", "--shell", win).Output()
	if err != nil {
		return Geometry{}, err
	}
	var g Geometry
	for _, line := range strings.Fields(string(out)) {
		k, v, _ := strings.Cut(line, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "X":
			g.X = n
		case "Y":
			g.Y = n
		case "WIDTH":
			g.Width = n
		case "HEIGHT":
			g.Height = n
		}
	}
	return g, nil
}

// WaitForGeometry polls until the window is at want, and fails with what it
// last saw otherwise.
func (d *Desktop) WaitForGeometry(win string, want Geometry, timeout time.Duration) {
	d.t.Helper()
	var got Geometry
	waitFor(d.t, timeout, fmt.Sprintf("the window at %+v", want), func() bool {
		got, _ = d.Geometry(win)
		return got == want
	})
}

// WaitForExit waits for the app to end and returns its exit code.
func (d *Desktop) WaitForExit(timeout time.Duration) int {
	d.t.Helper()
	done := make(chan struct{})
	go func() { d.app.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		d.t.Fatalf("the app did not exit within %s; its log:\n%s", timeout, d.log.String())
	}
	os.WriteFile(filepath.Join(d.OutDir, strings.ReplaceAll(d.t.Name(), "/", "_")+".log"), []byte(d.log.String()), 0o644)
	return d.app.ProcessState.ExitCode()
}

// Key focuses the window and presses keys there, as a person would.
func (d *Desktop) Key(win string, keys ...string) {
	d.t.Helper()
	d.Xdotool("windowfocus", "--sync", win)
	d.Xdotool(append([]string{"key", "--delay", "80"}, keys...)...)
}
