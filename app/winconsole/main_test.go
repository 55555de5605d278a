//go:build !windows

// The Windows side (Ctrl+C, taskkill, a GUI program) runs for real in
// scripts/wine-test.sh; these run the same code on a Unix system.

package main

import (
	"bufio"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the program authdesk.com starts: with
// WINCONSOLE_CHILD set it acts out one behaviour of authdesk.exe and exits.
func TestMain(m *testing.M) {
	switch os.Getenv("WINCONSOLE_CHILD") {
	case "":
		os.Exit(m.Run())
	case "echo": // a CLI command: reads stdin, answers on both outputs, fails with 3
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		os.Stdout.WriteString("got " + strings.TrimSpace(line) + " args " + strings.Join(os.Args[1:], ",") + "\n")
		os.Stderr.WriteString("an error line\n")
		os.Exit(3)
	case "serve": // stops cleanly when asked
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt)
		os.Stdout.WriteString("ready\n")
		<-c
		os.Stdout.WriteString("stopped serving\n")
		os.Exit(0)
	case "stubborn": // does not stop when asked
		signal.Ignore(os.Interrupt)
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(2)
}

// files gives runTarget real files for stdin, stdout and stderr, and reads
// back what was written to the two outputs.
type files struct {
	in, out, err *os.File
}

func newFiles(t *testing.T, input string) *files {
	t.Helper()
	dir := t.TempDir()
	f := &files{}
	var err error
	if err = os.WriteFile(filepath.Join(dir, "in"), []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	if f.in, err = os.Open(filepath.Join(dir, "in")); err != nil {
		t.Fatal(err)
	}
	if f.out, err = os.Create(filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if f.err, err = os.Create(filepath.Join(dir, "err")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.in.Close(); f.out.Close(); f.err.Close() })
	return f
}

func (f *files) read(t *testing.T) (stdout, stderr string) {
	t.Helper()
	o, err := os.ReadFile(f.out.Name())
	if err != nil {
		t.Fatal(err)
	}
	e, err := os.ReadFile(f.err.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(o), string(e)
}

func TestPassesArgumentsStdioAndExitCode(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "echo")
	f := newFiles(t, "secret-from-stdin\n")
	code := runTarget(os.Args[0], []string{"users", "list"}, f.in, f.out, f.err)
	out, errOut := f.read(t)
	if code != 3 {
		t.Errorf("exit code %d, want the program's 3", code)
	}
	if out != "got secret-from-stdin args users,list\n" {
		t.Errorf("stdout %q", out)
	}
	if errOut != "an error line\n" {
		t.Errorf("stderr %q", errOut)
	}
}

func TestMissingProgramIsAClearError(t *testing.T) {
	f := newFiles(t, "")
	missing := filepath.Join(t.TempDir(), "authdesk.exe")
	if code := runTarget(missing, nil, f.in, f.out, f.err); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	_, errOut := f.read(t)
	if !strings.Contains(errOut, "authdesk: cannot start "+missing) {
		t.Errorf("stderr %q does not name the program it could not start", errOut)
	}
}

// waitFor polls the output file until it holds want.
func waitFor(t *testing.T, f *files, want string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if out, _ := f.read(t); strings.Contains(out, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, _ := f.read(t)
	t.Fatalf("no %q in the output %q", want, out)
}

func TestCtrlCAsksTheProgramToStop(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "serve")
	f := newFiles(t, "")
	codes := make(chan int, 1)
	go func() { codes <- runTarget(os.Args[0], []string{"serve"}, f.in, f.out, f.err) }()
	waitFor(t, f, "ready\n")
	// Ctrl+C in a console reaches this program, not the GUI program it runs.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-codes:
		if code != 0 {
			t.Errorf("exit code %d, want 0 (a clean stop)", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10 s after Ctrl+C")
	}
	if out, _ := f.read(t); !strings.Contains(out, "stopped serving") {
		t.Errorf("the program did not stop on its own: %q", out)
	}
}

func TestProgramThatIgnoresTheRequestIsEnded(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "stubborn")
	old := gracePeriod
	gracePeriod = 300 * time.Millisecond
	t.Cleanup(func() { gracePeriod = old })
	f := newFiles(t, "")
	codes := make(chan int, 1)
	go func() { codes <- runTarget(os.Args[0], nil, f.in, f.out, f.err) }()
	waitFor(t, f, "ready\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-codes:
		if code == 0 {
			t.Errorf("exit code 0 for a program that had to be ended")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a program that ignores Ctrl+C was not ended after the grace period")
	}
}
