package control

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
)

// These tests run on every system, Windows (under Wine) included.

// echo is a command that shows what it got: its arguments on stdout, its
// standard input's size on stderr, and exits with the number of arguments.
func echo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "args=%q\n", args)
	in, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintln(stderr, "read error:", err)
		return 1
	}
	fmt.Fprintf(stderr, "stdin=%d bytes\n", len(in))
	stdout.Write(in)
	return len(args)
}

func listen(t *testing.T, dir string, h Handler, log *slog.Logger) *Server {
	t.Helper()
	s, err := Listen(dir, h, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRun_ArgsStdinOutputAndExitCode(t *testing.T) {
	dir := tempDir(t)
	listen(t, dir, echo, nil)
	// More than one frame of input and output.
	input := bytes.Repeat([]byte("0123456789abcdef"), 3*MaxFrame/16+7)
	var out, errOut bytes.Buffer
	code, err := Run(context.Background(), dir, []string{"users", "add", "--username", "a b"}, bytes.NewReader(input), &out, &errOut)
	if err != nil {
		t.Fatal(err)
	}
	if code != 4 {
		t.Errorf("exit code %d, want 4", code)
	}
	wantHead := `args=["users" "add" "--username" "a b"]` + "\n"
	if !bytes.HasPrefix(out.Bytes(), []byte(wantHead)) || !bytes.Equal(out.Bytes()[len(wantHead):], input) {
		t.Errorf("stdout: %d bytes, head %q", out.Len(), out.String()[:min(out.Len(), 60)])
	}
	if errOut.String() != fmt.Sprintf("stdin=%d bytes\n", len(input)) {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestRun_NoServer(t *testing.T) {
	dir := tempDir(t)
	_, err := Run(context.Background(), dir, []string{"users", "list"}, nil, io.Discard, io.Discard)
	if !errors.Is(err, ErrNoServer) {
		t.Fatalf("err = %v, want ErrNoServer", err)
	}
}

func TestListen_ReplacesStaleSocket(t *testing.T) {
	dir := tempDir(t)
	// A process that died leaves its socket file; nobody answers on it.
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: SocketPath(dir), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Lstat(SocketPath(dir)); err != nil {
		t.Fatal("no stale socket to test with:", err)
	}
	var logs backendBuffer
	listen(t, dir, echo, slog.New(slog.NewTextHandler(&logs, nil)))
	if code, err := Run(context.Background(), dir, []string{"x"}, strings.NewReader(""), io.Discard, io.Discard); err != nil || code != 1 {
		t.Fatalf("after replacing the stale socket: %d %v", code, err)
	}
	if !strings.Contains(logs.String(), "replaced a stale control socket") {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestListen_KeepsALiveSocket(t *testing.T) {
	dir := tempDir(t)
	listen(t, dir, echo, nil)
	if s, err := Listen(dir, echo, nil); err == nil {
		s.Close()
		t.Fatal("a second server took over a socket someone answers on")
	} else if !strings.Contains(err.Error(), "another process answers") {
		t.Errorf("err = %v", err)
	}
	if code, err := Run(context.Background(), dir, []string{"x"}, strings.NewReader(""), io.Discard, io.Discard); err != nil || code != 1 {
		t.Fatalf("the first server stopped answering: %d %v", code, err)
	}
}

// backendBuffer is a log shared between goroutines.
type backendBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *backendBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *backendBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
