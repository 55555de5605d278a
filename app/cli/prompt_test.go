//go:build linux

package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend/backendtest"

	"golang.org/x/sys/unix"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/backend/bolt"
)

// openPTY returns a pseudo-terminal pair: the test types into master, the
// command reads the terminal on slave, as it would in a person's shell.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	// Non-blocking, so the runtime poller takes it and read deadlines work.
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx") // never call master.Fd(): it would make it blocking
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	return master, slave
}

// lockedBuffer is stderr shared between the command and the test.
type lockedBuffer = backendtest.Buffer

// typeAtPrompt waits until the command shows prompt with echo turned off,
// then types line: what a person sees and does.
func typeAtPrompt(t *testing.T, master, slave *os.File, stderr *lockedBuffer, prompt, line string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(stderr.String(), prompt) && tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q prompt with echo off; stderr so far: %q", prompt, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := master.WriteString(line + "\n"); err != nil {
		t.Fatal(err)
	}
}

func runOnTerminal(t *testing.T, dir string, first, second string) (int, string, []byte) {
	master, slave := openPTY(t)
	var out bytes.Buffer
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Users(context.Background(), []string{"passwd", "test"}, slave, &out, &stderr, cli.OpenBolt(dir, bolt.Options{}))
	}()
	typeAtPrompt(t, master, slave, &stderr, "New password:", first)
	typeAtPrompt(t, master, slave, &stderr, "Repeat password:", second)
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("users passwd did not finish after both prompts were answered")
	}
	// Whatever the terminal echoed back to the person's screen.
	master.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	screen := make([]byte, 4096)
	n, _ := master.Read(screen)
	return code, out.String() + stderr.String(), screen[:n]
}

func TestUsersPasswd_PromptsTwiceWithoutEcho(t *testing.T) {
	dir := t.TempDir()
	code, output, screen := runOnTerminal(t, dir, "brand-new-pass", "brand-new-pass")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, output)
	}
	if bytes.Contains(screen, []byte("brand-new-pass")) {
		t.Fatalf("the password was echoed to the terminal: %q", screen)
	}
	assertLogin(t, dir, "test", "test", false)
	assertLogin(t, dir, "test", "brand-new-pass", true)
}

func TestUsersPasswd_MismatchChangesNothing(t *testing.T) {
	dir := t.TempDir()
	code, output, _ := runOnTerminal(t, dir, "one-password", "another-one")
	if code != 2 || !strings.Contains(output, "the passwords do not match") {
		t.Fatalf("exit %d, output %q; want 2 and the mismatch message", code, output)
	}
	assertLogin(t, dir, "test", "test", true)
}

// On a terminal, import draws a bar redrawn in place (count, share, rate,
// time left) and clears it before printing a skipped record.
func TestImport_ProgressBarOnATerminal(t *testing.T) {
	defer cli.ShowEveryTick()()
	master, slave := openPTY(t)
	h := "$2a$04$" + strings.Repeat("a", 53)
	file := filepath.Join(t.TempDir(), "users.json")
	data := fmt.Sprintf(`[{"username":"u1","firstName":"F","lastName":"L","passwordHash":%q},
{"username":"test","firstName":"F","lastName":"L","passwordHash":%q}]`, h, h)
	if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := cli.Users(context.Background(), []string{"import", file}, strings.NewReader(""), &out, slave, cli.OpenBolt(t.TempDir(), bolt.Options{}))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	master.SetReadDeadline(time.Now().Add(time.Second))
	var screen string
	for buf := make([]byte, 8192); ; {
		n, err := master.Read(buf)
		screen += string(buf[:n])
		if err != nil {
			break
		}
	}
	for _, want := range []string{
		"\r[###########-------------] 1 records read (49%, ",
		"record 2 (line 2) \"test\": skipped: username already taken (kept the existing user)\r\n",
		"\rsaving 1 new and 0 updated users...",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, screen)
		}
	}
	if !regexp.MustCompile(`\r\[#{24}\] 2 records read \(100%, \d+/s, about 0s left\)`).MatchString(screen) {
		t.Errorf("no final bar in %q", screen)
	}
	// Each message starts on a cleared line; at the end the line is blank again.
	if !regexp.MustCompile(`\r {60,}\rrecord 2 \(line 2\)`).MatchString(screen) || !regexp.MustCompile(`\r {30,}\r$`).MatchString(screen) ||
		strings.Contains(screen, "\x1b") {
		t.Errorf("lines not cleared, or escape sequences used: %q", screen)
	}
}

// `import -` on a terminal would wait for a file to be typed: refused, as is
// an export that would print password hashes on the terminal.
func TestImportExport_RefuseATerminal(t *testing.T) {
	_, slave := openPTY(t)
	var errOut bytes.Buffer
	code := cli.Users(context.Background(), []string{"import", "-"}, slave, &bytes.Buffer{}, &errOut, cli.OpenBolt(t.TempDir(), bolt.Options{}))
	if code != 2 || errOut.String() != "authdesk: standard input is a terminal; pipe the file in or name it\n" {
		t.Errorf("import -: exit %d, %q", code, errOut.String())
	}
	errOut.Reset()
	code = cli.Users(context.Background(), []string{"export"}, strings.NewReader(""), slave, &errOut, cli.OpenBolt(t.TempDir(), bolt.Options{}))
	if code != 2 || errOut.String() != "authdesk: standard output is a terminal, and the export holds password hashes; use --output FILE\n" {
		t.Errorf("export: exit %d, %q", code, errOut.String())
	}
}
