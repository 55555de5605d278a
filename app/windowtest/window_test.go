//go:build windowtest

package windowtest

import (
	"regexp"
	"testing"
	"time"
)

// The login page is what a new person sees: the UI must report it rendered
// the /login route, and the screen must show the page (Bootstrap's blue login
// button), not a blank or error page.
func TestWindowOpensOnLoginPage(t *testing.T) {
	d := StartDesktop(t)
	d.Launch()
	m := d.WaitForLog(regexp.MustCompile(`msg="ui ready" route=(\S+)`), 90*time.Second)
	if got := m[1]; !regexp.MustCompile(`^"?/login`).MatchString(got) {
		t.Fatalf("first route = %s, want /login", got)
	}
	d.WaitForWindow(30 * time.Second)
	time.Sleep(time.Second) // let the first frame reach the X server after the route rendered
	img := d.Screenshot("login")
	blue := CountNear(img, 0x0d, 0x6e, 0xfd, 12)
	if blue < 300 {
		t.Fatalf("only %d pixels of the login button's blue on screen: the page did not render (see screenshot)", blue)
	}
}
