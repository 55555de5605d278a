package main

import (
	"bufio"
	"context"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authdesk/authdesk/app/closesignal"
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
	case "serve": // stops cleanly when the system asks it to, as serve does
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		ctx, release := closesignal.Notify(ctx, "winconsole test")
		defer release()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
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
	// Not t.TempDir: Wine cannot always remove a file a child process had
	// open ("Invalid function"), and that is not what these tests are about.
	dir, err := os.MkdirTemp("", "winconsole-test")
	if err != nil {
		t.Fatal(err)
	}
	f := &files{}
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
	t.Cleanup(func() { f.in.Close(); f.out.Close(); f.err.Close(); os.RemoveAll(dir) })
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

// waitFor polls the output file until it holds want.
func waitFor(t *testing.T, f *files, want string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if out, _ := f.read(t); strings.Contains(out, want) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, _ := f.read(t)
	t.Fatalf("no %q in the output %q", want, out)
}

func TestPassesArgumentsStdioAndExitCode(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "echo")
	f := newFiles(t, "secret-from-stdin\n")
	code := runTarget(os.Args[0], []string{"users", "list"}, f.in, f.out, f.err, nil)
	out, errOut := f.read(t)
	if code != 3 {
		t.Errorf("exit code %d, want the program's 3", code)
	}
	if strings.ReplaceAll(out, "\r", "") != "got secret-from-stdin args users,list\n" {
		t.Errorf("stdout %q", out)
	}
	if strings.ReplaceAll(errOut, "\r", "") != "an error line\n" {
		t.Errorf("stderr %q", errOut)
	}
}

func TestMissingProgramIsAClearError(t *testing.T) {
	f := newFiles(t, "")
	missing := filepath.Join(filepath.Dir(f.in.Name()), "authdesk.exe")
	if code := runTarget(missing, nil, f.in, f.out, f.err, nil); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	_, errOut := f.read(t)
	if !strings.Contains(errOut, "authdesk: cannot start "+missing) {
		t.Errorf("stderr %q does not name the program it could not start", errOut)
	}
}

// A Ctrl+C asks the program to stop the way the system does (on Windows:
// WM_CLOSE to its hidden window, through taskkill), and it stops cleanly.
func TestCtrlCAsksTheProgramToStop(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "serve")
	f := newFiles(t, "")
	interrupts := make(chan os.Signal, 1)
	codes := make(chan int, 1)
	go func() { codes <- runTarget(os.Args[0], []string{"serve"}, f.in, f.out, f.err, interrupts) }()
	waitFor(t, f, "ready")
	interrupts <- os.Interrupt
	select {
	case code := <-codes:
		if code != 0 {
			t.Errorf("exit code %d, want 0 (a clean stop)", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15 s after Ctrl+C")
	}
	out, errOut := f.read(t)
	if !strings.Contains(out, "stopped serving") {
		t.Errorf("the program did not stop on its own: %q", out)
	}
	if !strings.Contains(errOut, "authdesk: stopping (press Ctrl+C again to end it at once)") {
		t.Errorf("no word that it is stopping: %q", errOut)
	}
}

func TestProgramThatIgnoresTheRequestIsEnded(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "stubborn")
	old := gracePeriod
	gracePeriod = 300 * time.Millisecond
	t.Cleanup(func() { gracePeriod = old })
	f := newFiles(t, "")
	interrupts := make(chan os.Signal, 1)
	codes := make(chan int, 1)
	go func() { codes <- runTarget(os.Args[0], nil, f.in, f.out, f.err, interrupts) }()
	waitFor(t, f, "ready")
	interrupts <- os.Interrupt
	select {
	case code := <-codes:
		if code == 0 {
			t.Errorf("exit code 0 for a program that had to be ended")
		}
	case <-time.After(15 * time.Second):
		t.Fatal("a program that ignores Ctrl+C was not ended after the grace period")
	}
}

func TestSecondCtrlCEndsItAtOnce(t *testing.T) {
	t.Setenv("WINCONSOLE_CHILD", "stubborn")
	f := newFiles(t, "")
	interrupts := make(chan os.Signal, 2)
	codes := make(chan int, 1)
	go func() { codes <- runTarget(os.Args[0], nil, f.in, f.out, f.err, interrupts) }()
	waitFor(t, f, "ready")
	interrupts <- os.Interrupt
	interrupts <- os.Interrupt
	select {
	case code := <-codes:
		if code == 0 {
			t.Errorf("exit code 0 for a program that had to be ended")
		}
	case <-time.After(5 * time.Second): // well inside the 10 s grace
		t.Fatal("a second Ctrl+C did not end it")
	}
}
