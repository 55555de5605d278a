//go:build windowtest

package windowtest

import (
	"image"
	"regexp"
	"strings"
	"testing"
	"time"
)

// removeButtons counts the red of the Users page's Remove buttons
// (btn-outline-danger): one per row an admin may remove.
func removeButtons(img image.Image) int { return CountNear(img, 0xdc, 0x35, 0x45, 14) }

// An admin opens the Users page from the nav bar in the real window: the
// accounts added with `authdesk users add` while the window runs (over the
// control socket) are listed, each with its actions, and typing a search
// narrows the list to the one person whose name matches.
func TestUsersPageInTheWindow(t *testing.T) {
	d := StartDesktop(t)
	_, win := d.LaunchUntilReady()
	for _, u := range [][3]string{{"alice", "Alice", "Liddell"}, {"bob", "Bob", "Builder"}, {"carol", "Carol", "Cole"}} {
		var out syncBuffer
		cmd := d.Command(&out, "users", "add", "--username", u[0], "--first-name", u[1], "--last-name", u[2], "--password-stdin")
		cmd.Stdin = strings.NewReader(u[0] + "-password\n")
		if err := cmd.Run(); err != nil {
			t.Fatalf("users add %s while the window runs: %v\n%s", u[0], err, out.String())
		}
	}
	settle()
	d.Key(win, "t", "e", "s", "t", "Tab", "t", "e", "s", "t", "Return")
	d.WaitForLog(regexp.MustCompile(`msg="session changed" reason=login user=test`), 30*time.Second)
	settle()
	// Home, then Users: the second link of the nav bar.
	d.Key(win, "Tab", "Tab", "Return")
	all := d.ScreenshotWhen("users-page", 15*time.Second, func(img image.Image) bool { return removeButtons(img) > 600 })
	three := removeButtons(all)
	if three <= 600 {
		t.Fatalf("only %d pixels of Remove buttons: the Users page did not list the three accounts (see screenshot)", three)
	}
	// The search box has the focus; the search runs in Go.
	d.Key(win, "c", "o", "l", "e")
	one := d.ScreenshotWhen("users-search", 10*time.Second, func(img image.Image) bool {
		n := removeButtons(img)
		return n > 0 && n < three/2
	})
	if n := removeButtons(one); n == 0 || n >= three/2 {
		t.Fatalf("after searching, %d pixels of Remove buttons (from %d): not one row (see screenshot)", n, three)
	}
	t.Logf("Remove buttons: %d pixels for three accounts, %d after the search", three, removeButtons(one))
}
