//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/authdesk/authdesk/backend/backendtest"
	"github.com/authdesk/authdesk/backend/bolt"
)

// authdesk returns the command for `authdesk args...`, the real binary built
// from this tree, so the data folder's file lock is held and fought over as
// between a running AuthDesk and a person's shell.
func authdesk(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	return exec.Command(buildAuthdesk(t), args...)
}

var built = map[*testing.T]string{}

func buildAuthdesk(t *testing.T) string {
	t.Helper()
	if bin, ok := built[t]; ok {
		return bin
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	binDir := t.TempDir()
	// Other users may run it too (TestUsersAnotherUser).
	os.Chmod(binDir, 0o755)
	os.Chmod(filepath.Dir(binDir), 0o755)
	bin := filepath.Join(binDir, "authdesk")
	build := exec.Command(goCmd, "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	built[t] = bin
	t.Cleanup(func() { delete(built, t) })
	return bin
}

type result struct {
	code           int
	stdout, stderr string
}

// cliRun runs `authdesk --data-dir dir args...` with stdin and waits.
func cliRun(t *testing.T, dir, stdin string, args ...string) result {
	t.Helper()
	return cliRunAs(t, nil, dir, stdin, args...)
}

// cliRunAs is cliRun with the process's credentials (nil: this process's).
func cliRunAs(t *testing.T, cred *syscall.Credential, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := authdesk(t, append([]string{"--data-dir", dir}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errOut.String()}
}

// startServe runs `authdesk serve` on dir until the test ends and returns its
// API's base URL and its log.
// logged waits up to 5 s for text in serve's log: the log arrives through a
// pipe that a goroutine copies, so it can trail the command's own answer.
func logged(logs *backendtest.Buffer, text string) bool {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(logs.String(), text) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// waitCount waits up to 5 s for text to appear n times in serve's log.
func waitCount(logs *backendtest.Buffer, text string, n int) bool {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if got := strings.Count(logs.String(), text); got == n {
			return true
		} else if got > n || time.Now().After(deadline) {
			return false
		}
	}
}

func startServe(t *testing.T, dir string) (string, *backendtest.Buffer, *exec.Cmd) {
	t.Helper()
	return startServeAs(t, nil, dir)
}

func startServeAs(t *testing.T, cred *syscall.Credential, dir string) (string, *backendtest.Buffer, *exec.Cmd) {
	t.Helper()
	cmd := authdesk(t, "--data-dir", dir, "--log-level", "debug", "serve", "--addr", "127.0.0.1:0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	logs := &backendtest.Buffer{}
	cmd.Stderr = logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- line
	}()
	select {
	case line := <-ready:
		m := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("serve did not start: %q; log:\n%s", line, logs.String())
		}
		return m[1], logs, cmd
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start; log:\n%s", logs.String())
	}
	return "", nil, nil
}

func login(t *testing.T, base, user, pass string) int {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, pass)
	resp, err := http.Post(base+"/users/authenticate", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUsersWhileServeRuns runs the same users commands on two data folders,
// one free and one held by a running `authdesk serve`, and expects the same
// output and exit codes from both.
func TestUsersWhileServeRuns(t *testing.T) {
	free, held := t.TempDir(), t.TempDir()
	const adminPW, bobPW, bobPW2 = "river-stone-9431", "first-pass-5120-kite", "second-pass-7782-lamp"
	admin := []string{"users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"}
	for _, dir := range []string{free, held} {
		if r := cliRun(t, dir, adminPW+"\n", admin...); r.code != 0 {
			t.Fatalf("adding the admin: %+v", r)
		}
	}
	base, logs, serve := startServe(t, held)
	if fi, err := os.Lstat(filepath.Join(held, "control.sock")); err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != os.ModeSocket {
		t.Fatalf("control socket: %v %v", fi, err)
	}

	steps := []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		{"add", bobPW + "\n", []string{"users", "add", "--username", "bob", "--first-name", "Bob", "--last-name", "Builder", "--password-stdin"}, 0},
		{"list", "", []string{"users", "list"}, 0},
		{"passwd", bobPW2, []string{"users", "passwd", "bob", "--password-stdin"}, 0},
		{"add taken", "another-pass-1-mist\n", []string{"users", "add", "--username", "bob", "--first-name", "B", "--last-name", "B", "--password-stdin"}, 1},
		{"unknown command", "", []string{"users", "frobnicate"}, 2},
		{"missing username", "pw-pw-pw-pw\n", []string{"users", "add", "--password-stdin"}, 2},
		{"bad flag", "", []string{"users", "list", "--colour"}, 2},
		{"no terminal, no --password-stdin", "x\n", []string{"users", "passwd", "bob"}, 2},
		{"help", "", []string{"users", "--help"}, 0},
		{"no command", "", []string{"users"}, 2},
		{"remove", "", []string{"users", "remove", "bob"}, 0},
		{"remove again", "", []string{"users", "remove", "bob"}, 1},
		{"list after", "", []string{"users", "list"}, 0},
	}
	for i, s := range steps {
		want := cliRun(t, free, s.stdin, s.args...)
		got := cliRun(t, held, s.stdin, s.args...)
		if want.code != s.code {
			t.Errorf("%s without a running AuthDesk: exit %d, want %d (%+v)", s.name, want.code, s.code, want)
		}
		if got != want {
			t.Errorf("%s while serve runs:\n got %+v\nwant %+v", s.name, got, want)
		}
		if !waitCount(logs, "ran a command for the local command line", i+1) {
			n := strings.Count(logs.String(), "ran a command for the local command line")
			t.Fatalf("%s: the running serve ran %d commands, want %d; log:\n%s", s.name, n, i+1, logs.String())
		}
		// The running server sees the change at once.
		switch s.name {
		case "add":
			if code := login(t, base, "bob", bobPW); code != 200 {
				t.Errorf("bob cannot log in to the running serve after add: %d", code)
			}
		case "passwd":
			if login(t, base, "bob", bobPW) == 200 || login(t, base, "bob", bobPW2) != 200 {
				t.Error("the running serve does not use bob's new password")
			}
		case "remove":
			if code := login(t, base, "bob", bobPW2); code == 200 {
				t.Error("bob still logs in after remove")
			}
		}
	}
	for _, pw := range []string{adminPW, bobPW, bobPW2} {
		if strings.Contains(logs.String(), pw) {
			t.Errorf("serve's log holds a password:\n%s", logs.String())
		}
	}

	// serve ends, removes its socket, and the folder is free again.
	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()
	if _, err := os.Lstat(filepath.Join(held, "control.sock")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left after serve ended: %v", err)
	}
	if got, want := cliRun(t, held, "", "users", "list"), cliRun(t, free, "", "users", "list"); got != want || got.code != 0 {
		t.Errorf("after serve ended:\n got %+v\nwant %+v", got, want)
	}
}

// TestUsersLockedWithoutSocket: a folder held by a process without the
// control socket (an older AuthDesk) still gets the clear error.
func TestUsersLockedWithoutSocket(t *testing.T) {
	dir := t.TempDir()
	db := bolt.NewDB(dir, bolt.Options{})
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := cliRun(t, dir, "", "users", "list")
	want := fmt.Sprintf("authdesk: AuthDesk is already running with this data folder (%s)\n", dir)
	if r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Errorf("got %+v, want exit 1 and %q", r, want)
	}
	// Usage errors and help need no store and still work.
	if r := cliRun(t, dir, "", "users", "frobnicate"); r.code != 2 {
		t.Errorf("unknown command: %+v", r)
	}
}

// TestUsersStaleSocket: a socket file left behind by a process that was
// killed does not stop the CLI, and the next serve replaces it.
func TestUsersStaleSocket(t *testing.T) {
	dir := t.TempDir()
	if r := cliRun(t, dir, "river-stone-9431\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	_, _, serve := startServe(t, dir)
	serve.Process.Kill() // no cleanup
	serve.Wait()
	if _, err := os.Lstat(filepath.Join(dir, "control.sock")); err != nil {
		t.Fatalf("no stale socket to test with: %v", err)
	}
	if r := cliRun(t, dir, "", "users", "list"); r.code != 0 || !strings.Contains(r.stdout, "admin") {
		t.Errorf("list with a stale socket: %+v", r)
	}
	_, logs, _ := startServe(t, dir)
	if r := cliRun(t, dir, "", "users", "list"); r.code != 0 || !strings.Contains(r.stdout, "admin") {
		t.Errorf("list through the new serve: %+v", r)
	}
	if !strings.Contains(logs.String(), "replaced a stale control socket") {
		t.Errorf("log:\n%s", logs.String())
	}
}

// openPTY returns a pseudo-terminal: the test types on master, the command's
// standard input is slave, as in a person's shell.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
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
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	return master, slave
}

// passwdOnTerminal runs `authdesk users passwd bob` with a terminal for
// standard input and types pw at both prompts once they show with echo off.
func passwdOnTerminal(t *testing.T, dir, pw, repeat string) result {
	t.Helper()
	master, slave := openPTY(t)
	cmd := authdesk(t, "--data-dir", dir, "users", "passwd", "bob")
	var out bytes.Buffer
	errOut := &backendtest.Buffer{}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, &out, errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ prompt, typed string }{{"New password: ", pw}, {"Repeat password: ", repeat}} {
		prompt := p.prompt
		deadline := time.Now().Add(20 * time.Second)
		for {
			tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(errOut.String(), prompt) && tio.Lflag&unix.ECHO == 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("no %q with echo off; stderr %q", prompt, errOut.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		master.Write([]byte(p.typed + "\n"))
	}
	err := cmd.Wait()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errOut.String()}
}

// TestUsersPasswdPromptWhileServeRuns: without --password-stdin the password
// is asked for on the command line's own terminal, twice and without echo,
// exactly as when nothing runs, and reaches the running serve.
func TestUsersPasswdPromptWhileServeRuns(t *testing.T) {
	free, held := t.TempDir(), t.TempDir()
	const pw = "typed-at-the-prompt-6620"
	for _, dir := range []string{free, held} {
		if r := cliRun(t, dir, "river-stone-9431\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
			t.Fatalf("%+v", r)
		}
		if r := cliRun(t, dir, "first-pass-5120-kite\n", "users", "add", "--username", "bob", "--first-name", "Bob", "--last-name", "Builder", "--password-stdin"); r.code != 0 {
			t.Fatalf("%+v", r)
		}
	}
	base, logs, _ := startServe(t, held)
	// A typo in the repeat: exit 2, nothing changed, in both places.
	want := passwdOnTerminal(t, free, pw, pw+"x")
	got := passwdOnTerminal(t, held, pw, pw+"x")
	if want.code != 2 || !strings.Contains(want.stderr, "the passwords do not match") || got != want {
		t.Errorf("mismatch:\n got %+v\nwant %+v", got, want)
	}
	if code := login(t, base, "bob", pw); code == 200 {
		t.Error("a mismatched repeat changed the password")
	}
	want = passwdOnTerminal(t, free, pw, pw)
	got = passwdOnTerminal(t, held, pw, pw)
	if want.code != 0 || want.stderr != "New password: \nRepeat password: \n" {
		t.Errorf("without a running AuthDesk: %+v", want)
	}
	if got != want {
		t.Errorf("while serve runs:\n got %+v\nwant %+v", got, want)
	}
	if !logged(logs, "ran a command for the local command line") {
		t.Errorf("the command did not run in serve; log:\n%s", logs.String())
	}
	if code := login(t, base, "bob", pw); code != 200 {
		t.Errorf("bob cannot log in with the typed password: %d", code)
	}
	if strings.Contains(logs.String(), pw) {
		t.Errorf("serve's log holds the password:\n%s", logs.String())
	}
}

// TestUsersAnotherUser: another user (here root, whom file modes do not stop)
// reaching a folder held by `serve` gets a clear refusal, and its command
// never reaches the running AuthDesk. Needs root to start serve as nobody.
func TestUsersAnotherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run serve as another user")
	}
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	parent := t.TempDir()
	os.Chmod(parent, 0o755)
	dir := filepath.Join(parent, "data")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if r := cliRunAs(t, nobody, dir, "river-stone-9431\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
		t.Fatalf("adding the admin as nobody: %+v", r)
	}
	_, logs, _ := startServeAs(t, nobody, dir)

	r := cliRun(t, dir, "", "users", "list")
	want := fmt.Sprintf("authdesk: the AuthDesk answering on %s runs as user id 65534, not as you (user id 0); nothing was sent to it\n", filepath.Join(dir, "control.sock"))
	if r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Errorf("root's users list:\n got %+v\nwant exit 1 and %q", r, want)
	}
	if strings.Contains(logs.String(), "ran a command") {
		t.Errorf("root's command ran in nobody's serve:\n%s", logs.String())
	}
	// A client that skips its own check (speaking the protocol by hand) is
	// refused by serve, which asks the kernel who connects.
	c, err := net.Dial("unix", filepath.Join(dir, "control.sock"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	hello := []byte(`{"version":1,"args":["users","list"]}`)
	c.Write(append([]byte{'H', 0, 0, 0, byte(len(hello))}, hello...))
	head := make([]byte, 5)
	if _, err := io.ReadFull(c, head); err != nil {
		t.Fatal(err)
	}
	msg := make([]byte, binary.BigEndian.Uint32(head[1:]))
	io.ReadFull(c, msg)
	if wantMsg := "only user id 65534, who owns this data folder, may use its control socket; this is user id 0"; head[0] != 'F' || string(msg) != wantMsg {
		t.Errorf("serve answered root with %q %q, want a refusal %q", head[0], msg, wantMsg)
	}
	if strings.Contains(logs.String(), "ran a command") || !strings.Contains(logs.String(), "refused a control connection") {
		t.Errorf("serve's log:\n%s", logs.String())
	}

	// The owner gets through.
	if r := cliRunAs(t, nobody, dir, "", "users", "list"); r.code != 0 || !strings.Contains(r.stdout, "admin") {
		t.Errorf("the owner's users list: %+v", r)
	}
}

// cliRunIn is cliRun from the working folder wd, as a person in a shell.
func cliRunIn(t *testing.T, wd, dir, stdin string, args ...string) result {
	t.Helper()
	cmd := authdesk(t, append([]string{"--data-dir", dir}, args...)...)
	cmd.Dir = wd
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errOut.String()}
}

// Import and export name files relative to the shell's folder, also when the
// command runs inside a running serve (whose own folder is elsewhere).
func TestImportExportWhileServeRuns(t *testing.T) {
	free, held, wd := t.TempDir(), t.TempDir(), t.TempDir()
	const carolPW = "carols-own-pass-4471"
	if r := cliRun(t, free, carolPW+"\n", "users", "add", "--username", "carol", "--first-name", "Carol", "--last-name", "Cole", "--password-stdin"); r.code != 0 {
		t.Fatalf("add carol: %+v", r)
	}
	if r := cliRunIn(t, wd, free, "", "users", "export", "--output", "carol.json"); r.code != 0 {
		t.Fatalf("export without serve: %+v", r)
	}
	if r := cliRun(t, held, "river-stone-9431\n", "users", "add", "--username", "admin", "--first-name", "Ada", "--last-name", "Admin", "--role", "Admin", "--password-stdin"); r.code != 0 {
		t.Fatalf("add admin: %+v", r)
	}
	base, logs, _ := startServe(t, held)

	if r := cliRunIn(t, wd, held, "", "users", "import", "carol.json"); r.code != 0 {
		t.Fatalf("import of a relative path while serve runs: %+v\nlog:\n%s", r, logs.String())
	}
	if !logged(logs, "ran a command for the local command line") {
		t.Fatalf("the import did not run inside serve; log:\n%s", logs.String())
	}
	if code := login(t, base, "carol", carolPW); code != 200 {
		t.Fatalf("carol cannot log in to the running serve after the import: %d", code)
	}
	if r := cliRunIn(t, wd, held, "", "users", "export", "--output", "all.json"); r.code != 0 {
		t.Fatalf("export while serve runs: %+v", r)
	}
	fi, err := os.Stat(filepath.Join(wd, "all.json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the export is not in the shell's folder, owner-only: %v %v", fi, err)
	}
	data, _ := os.ReadFile(filepath.Join(wd, "all.json"))
	if !strings.Contains(string(data), `"carol"`) || !strings.Contains(string(data), `"admin"`) {
		t.Fatalf("export holds:\n%s", data)
	}
}
