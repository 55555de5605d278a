//go:build linux

package control

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestRun_StdinReadOnlyWhenAsked(t *testing.T) {
	dir := tempDir(t)
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		return 0
	}, nil)
	r := &countingReader{r: strings.NewReader("keep me")}
	if code, err := Run(context.Background(), dir, []string{"users", "list"}, r, io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatal(code, err)
	}
	if r.n != 0 {
		t.Errorf("the client read %d bytes of stdin the command never asked for", r.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestListen_SocketIsOwnerOnly(t *testing.T) {
	dir := tempDir(t)
	s := listen(t, dir, echo, nil)
	fi, err := os.Lstat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeSocket || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, want a socket with 0600", fi.Mode())
	}
	if s.Path() != filepath.Join(dir, "control.sock") {
		t.Errorf("path %s", s.Path())
	}
	s.Close()
	if _, err := os.Lstat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket left behind after Close: %v", err)
	}
}

func TestListen_RefusesToReplaceAFile(t *testing.T) {
	dir := tempDir(t)
	if err := os.WriteFile(SocketPath(dir), []byte("notes"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Listen(dir, echo, nil); err == nil {
		s.Close()
		t.Fatal("a regular file was replaced by the socket")
	} else if !strings.Contains(err.Error(), "is not a socket") {
		t.Errorf("err = %v", err)
	}
	if b, _ := os.ReadFile(SocketPath(dir)); string(b) != "notes" {
		t.Errorf("file content lost: %q", b)
	}
}

func TestServer_RefusesAnotherUser(t *testing.T) {
	dir := tempDir(t)
	ran := false
	var logs backendBuffer
	s := &Server{Handler: func(context.Context, []string, io.Reader, io.Writer, io.Writer) int { ran = true; return 0 },
		Log: slog.New(slog.NewTextHandler(&logs, nil)), uid: os.Getuid() + 1}
	if err := s.listen(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err := Run(context.Background(), dir, []string{"users", "list"}, strings.NewReader(""), io.Discard, io.Discard)
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a refusal", err)
	}
	want := fmt.Sprintf("only user id %d, who owns this data folder, may use its control socket; this is user id %d", os.Getuid()+1, os.Getuid())
	if re.Message != want {
		t.Errorf("message %q, want %q", re.Message, want)
	}
	if ran {
		t.Error("the command ran for a refused peer")
	}
	if !strings.Contains(logs.String(), "refused a control connection") {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestClient_RefusesAServerOfAnotherUser(t *testing.T) {
	dir := tempDir(t)
	ran := false
	listen(t, dir, func(context.Context, []string, io.Reader, io.Writer, io.Writer) int { ran = true; return 0 }, nil)
	_, err := run(context.Background(), dir, []string{"users", "list"}, strings.NewReader("secret"), io.Discard, io.Discard, os.Getuid()+1)
	want := fmt.Sprintf("the AuthDesk answering on %s runs as user id %d, not as you (user id %d); nothing was sent to it", SocketPath(dir), os.Getuid(), os.Getuid()+1)
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v", err)
	}
	if ran {
		t.Error("the client sent its command to another user's process")
	}
}

// rawConn connects without the client, to send what a buggy or hostile peer would.
func rawConn(t *testing.T, dir string) *net.UnixConn {
	t.Helper()
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: SocketPath(dir), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func TestServer_RejectsBadRequests(t *testing.T) {
	dir := tempDir(t)
	listen(t, dir, echo, nil)
	encode := func(h hello) []byte { b, _ := json.Marshal(h); return b }
	for _, tc := range []struct {
		name string
		send func(c *net.UnixConn)
		want string
	}{
		{"oversized frame", func(c *net.UnixConn) {
			c.Write([]byte{frameHello, 0, 0x10, 0, 1}) // 1 MiB + 1
		}, "bad request"},
		{"not a hello", func(c *net.UnixConn) { writeFrame(c, frameStdin, []byte("x")) }, "bad request"},
		{"not JSON", func(c *net.UnixConn) { writeFrame(c, frameHello, []byte("{")) }, "bad request"},
		{"another version", func(c *net.UnixConn) {
			writeFrame(c, frameHello, encode(hello{Version: 2, Args: []string{"users"}}))
		}, "speaks control protocol version 1, this command version 2"},
		{"too many arguments", func(c *net.UnixConn) {
			writeFrame(c, frameHello, encode(hello{Version: 1, Args: make([]string, maxArgs+1)}))
		}, "too many arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := rawConn(t, dir)
			tc.send(c)
			typ, payload, err := readFrame(c)
			if err != nil || typ != frameFail || !strings.Contains(string(payload), tc.want) {
				t.Fatalf("got %q %q %v, want a refusal with %q", typ, payload, err, tc.want)
			}
			if _, _, err := readFrame(c); err != io.EOF {
				t.Errorf("connection still open after a refusal: %v", err)
			}
		})
	}
}

func TestServer_SilentPeerTimesOut(t *testing.T) {
	old := handshakeTimeout
	t.Cleanup(func() { handshakeTimeout = old }) // after the server is closed
	handshakeTimeout = 200 * time.Millisecond
	dir := tempDir(t)
	listen(t, dir, echo, nil)
	c := rawConn(t, dir)
	start := time.Now()
	typ, _, err := readFrame(c)
	if err != nil || typ != frameFail {
		t.Fatalf("got %q %v", typ, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestServer_ClientGoingAwayEndsTheCommand(t *testing.T) {
	dir := tempDir(t)
	started, ended := make(chan struct{}), make(chan error, 1)
	s := listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		close(started)
		<-ctx.Done()
		ended <- ctx.Err()
		return 1
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, dir, []string{"users", "list"}, strings.NewReader(""), io.Discard, io.Discard)
		done <- err
	}()
	<-started
	cancel() // Ctrl-C in the CLI
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v", err)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the command kept running after its client went away")
	}
	// Close waits for running commands (none now) and returns promptly.
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs")
	}
}

func TestServer_CloseEndsRunningCommands(t *testing.T) {
	dir := tempDir(t)
	started := make(chan struct{})
	s := listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		close(started)
		<-ctx.Done()
		fmt.Fprintln(stderr, "authdesk: AuthDesk is shutting down")
		return 1
	}, nil)
	res := make(chan int, 1)
	var errOut bytes.Buffer
	go func() {
		code, _ := Run(context.Background(), dir, []string{"users", "list"}, strings.NewReader(""), io.Discard, &errOut)
		res <- code
	}()
	<-started
	s.Close()
	if code := <-res; code != 1 || !strings.Contains(errOut.String(), "shutting down") {
		t.Errorf("code %d, stderr %q", code, errOut.String())
	}
}

// openPTY returns a pseudo-terminal: the test types on master, the client
// reads its terminal on slave.
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

func TestRun_PasswordIsTypedOnTheClientsTerminal(t *testing.T) {
	master, slave := openPTY(t)
	dir := tempDir(t)
	var got []byte
	var mu sync.Mutex
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		term, ok := stdin.(Terminal)
		if !ok {
			fmt.Fprintln(stderr, "stdin is not a terminal")
			return 2
		}
		fmt.Fprint(stderr, "New password: ")
		pw, err := term.ReadPassword()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		mu.Lock()
		got = pw
		mu.Unlock()
		return 0
	}, nil)

	res := make(chan int, 1)
	var errOut bytes.Buffer
	go func() {
		code, err := Run(context.Background(), dir, []string{"users", "passwd", "bob"}, slave, io.Discard, &errOut)
		if err != nil {
			t.Error(err)
		}
		res <- code
	}()
	// Type once the client has turned echo off for the prompt.
	deadline := time.Now().Add(10 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ECHO == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no password prompt with echo off on the client's terminal")
		}
		time.Sleep(10 * time.Millisecond)
	}
	master.Write([]byte("typed-secret\n"))
	if code := <-res; code != 0 {
		t.Fatalf("code %d, stderr %q", code, errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if string(got) != "typed-secret" {
		t.Errorf("the command got %q", got)
	}
	if errOut.String() != "New password: " {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestRun_NoTerminalNoPrompt(t *testing.T) {
	dir := tempDir(t)
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if _, ok := stdin.(Terminal); ok {
			return 1
		}
		return 0
	}, nil)
	if code, err := Run(context.Background(), dir, nil, strings.NewReader("pw\n"), io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatalf("a piped stdin was offered as a terminal: %d %v", code, err)
	}
}

func TestRun_InterruptAtThePromptTurnsEchoBackOn(t *testing.T) {
	_, slave := openPTY(t)
	dir := tempDir(t)
	ended := make(chan struct{})
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		defer close(ended)
		_, err := stdin.(Terminal).ReadPassword()
		if err == nil {
			return 0
		}
		return 1
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() {
		_, err := Run(ctx, dir, []string{"users", "passwd", "bob"}, slave, io.Discard, io.Discard)
		res <- err
	}()
	echoOn := func() bool {
		tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio.Lflag&unix.ECHO != 0
	}
	deadline := time.Now().Add(10 * time.Second)
	for echoOn() {
		if time.Now().After(deadline) {
			t.Fatal("no prompt")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel() // Ctrl-C while the person has not typed anything
	select {
	case err := <-res:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client waits for the terminal after Ctrl-C")
	}
	if !echoOn() {
		t.Error("the terminal was left without echo")
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the command kept waiting for a password nobody will send")
	}
}

func TestRun_WorkDirAndTerminalsReachTheCommand(t *testing.T) {
	_, slave := openPTY(t)
	dir := tempDir(t)
	type seen struct {
		dir           string
		stdin         bool
		stdout, stder bool
	}
	got := make(chan seen, 1)
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		isTerm := func(w io.Writer) bool { t, ok := w.(interface{ IsTerminal() bool }); return ok && t.IsTerminal() }
		_, in := stdin.(Terminal)
		got <- seen{WorkDir(ctx), in, isTerm(stdout), isTerm(stderr)}
		return 0
	}, nil)
	wd, _ := os.Getwd()
	if _, err := Run(context.Background(), dir, nil, strings.NewReader(""), slave, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != (seen{wd, false, true, false}) {
		t.Errorf("stdout a terminal: the command saw %+v", s)
	}
	if _, err := Run(context.Background(), dir, nil, slave, &bytes.Buffer{}, slave); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != (seen{wd, true, false, true}) {
		t.Errorf("stdin and stderr terminals: the command saw %+v", s)
	}
}

func TestServer_APanickingCommandEndsOnlyItself(t *testing.T) {
	dir := tempDir(t)
	var logs backendBuffer
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if len(args) > 0 {
			panic("boom")
		}
		return 0
	}, slog.New(slog.NewTextHandler(&logs, nil)))
	var errOut bytes.Buffer
	code, err := Run(context.Background(), dir, []string{"users"}, strings.NewReader(""), io.Discard, &errOut)
	if err != nil || code != 1 || !strings.Contains(errOut.String(), "internal error") {
		t.Fatalf("%d %v %q", code, err, errOut.String())
	}
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("log: %s", logs.String())
	}
	if code, err := Run(context.Background(), dir, nil, strings.NewReader(""), io.Discard, io.Discard); err != nil || code != 0 {
		t.Fatalf("the server is gone after a panic: %d %v", code, err)
	}
}

func TestServer_BusyBeyondMaxConns(t *testing.T) {
	dir := tempDir(t)
	release := make(chan struct{})
	started := make(chan struct{}, maxConns)
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		started <- struct{}{}
		<-release
		return 0
	}, nil)
	codes := make(chan int, maxConns)
	for range maxConns {
		go func() {
			code, err := Run(context.Background(), dir, nil, strings.NewReader(""), io.Discard, io.Discard)
			if err != nil {
				t.Error(err)
			}
			codes <- code
		}()
	}
	for range maxConns {
		<-started
	}
	_, err := Run(context.Background(), dir, nil, strings.NewReader(""), io.Discard, io.Discard)
	var re *RefusedError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "busy") {
		t.Errorf("command %d: err = %v, want busy", maxConns+1, err)
	}
	close(release)
	for range maxConns {
		if code := <-codes; code != 0 {
			t.Errorf("code %d", code)
		}
	}
	// Slots are given back (each just after its command's exit code is sent).
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		code, err := Run(context.Background(), dir, nil, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil && code == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the others ended: %d %v", code, err)
		}
	}
}

// helloRaw sends a good hello on c and reads the acceptance.
func helloRaw(t *testing.T, c *net.UnixConn) {
	t.Helper()
	b, _ := json.Marshal(hello{Version: Version, Args: []string{"users", "add"}})
	if err := writeFrame(c, frameHello, b); err != nil {
		t.Fatal(err)
	}
	if typ, _, err := readFrame(c); err != nil || typ != frameAccept {
		t.Fatalf("no acceptance: %q %v", typ, err)
	}
}

func TestServer_InputTimeout(t *testing.T) {
	old := inputTimeout
	t.Cleanup(func() { inputTimeout = old }) // after the server is closed
	inputTimeout = 200 * time.Millisecond
	dir := tempDir(t)
	listen(t, dir, echo, nil)
	c := rawConn(t, dir)
	helloRaw(t, c)
	// echo prints its arguments first, then asks for its input.
	var stderr string
	asked := false
	for {
		typ, payload, err := readFrame(c)
		if err != nil {
			t.Fatalf("stderr so far %q: %v", stderr, err)
		}
		switch typ {
		case frameRead:
			asked = true // never answered
		case frameStderr:
			stderr += string(payload)
		case frameExit:
			if code := int(binary.BigEndian.Uint32(payload)); code != 1 {
				t.Errorf("exit %d", code)
			}
			if !asked {
				t.Error("no read request")
			}
			if !strings.Contains(stderr, "timed out waiting for the command line's input") {
				t.Errorf("stderr %q", stderr)
			}
			return
		}
	}
}

func TestServer_WriteTimeout(t *testing.T) {
	old := writeTimeout
	t.Cleanup(func() { writeTimeout = old }) // after the server is closed
	writeTimeout = 200 * time.Millisecond
	dir := tempDir(t)
	werr := make(chan error, 1)
	listen(t, dir, func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		_, err := stdout.Write(make([]byte, 64<<20))
		werr <- err
		return 1
	}, nil)
	c := rawConn(t, dir)
	helloRaw(t, c)
	// Read nothing more: a client that stopped reading must not hold the
	// command (and the store) for ever.
	select {
	case err := <-werr:
		if err == nil {
			t.Error("64 MiB written to a client that reads nothing")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the command is stuck writing to a client that does not read")
	}
}
