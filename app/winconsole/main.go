// Command winconsole builds authdesk.com, the console companion of the
// Windows build's authdesk.exe.
//
// authdesk.exe is a GUI program (it opens the window), so Windows gives it no
// console: cmd and PowerShell start it and return at once, and whatever
// `authdesk.exe users list` prints arrives after the prompt, if at all.
// authdesk.com is a console program that the installer puts next to it. cmd
// prefers .com to .exe (PATHEXT), so `authdesk users list` in the install
// folder, or `authdesk.com ...` from anywhere, runs this instead: it starts
// authdesk.exe with the same arguments and the same standard input, output
// and error (the console's), waits for it and exits with its exit code, so a
// shell and a script see a normal command-line program.
//
// Ctrl+C reaches only console programs. The first one asks authdesk.exe to
// close the way Windows asks GUI programs (taskkill without /F: WM_CLOSE to
// its windows; `serve` opens a hidden one for this, see app/closesignal), so
// `serve` stops cleanly; if it has not ended 10 seconds later, or on a second
// Ctrl+C, it is ended.
//
// The program has no Windows-only code, so its tests run on any system.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// gracePeriod is how long a polite request to close has before the program
// is ended.
var gracePeriod = 10 * time.Second

func main() { os.Exit(run(os.Args[1:])) }

func run(args []string) int {
	target, err := targetPath()
	if err != nil {
		fmt.Fprintln(os.Stderr, "authdesk:", err)
		return 1
	}
	return runWith(target, args, os.Stdin, os.Stdout, os.Stderr)
}

// runWith is runTarget with this process's Ctrl+C as the interrupts.
func runWith(target string, args []string, stdin, stdout, stderr *os.File) int {
	// Notify before the start: a Ctrl+C from here on must not end this
	// program while authdesk.exe runs on without a console to report to.
	// SIGTERM is how Go reports closing the console window, logging off and
	// shutting down on Windows: authdesk.exe is asked to close then too,
	// rather than left running without its console.
	interrupts := make(chan os.Signal, 2)
	signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(interrupts)
	return runTarget(target, args, stdin, stdout, stderr, interrupts)
}

// targetPath is authdesk.exe in this program's folder.
func targetPath() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot find this program's folder: %w", err)
	}
	name := "authdesk"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(filepath.Dir(self), name), nil
}

// runTarget runs target with args and the given standard files, which it
// hands on as they are (files, not copies through pipes, so a console stays a
// console and a password prompt can turn echo off). Each value on interrupts
// is a Ctrl+C.
func runTarget(target string, args []string, stdin, stdout, stderr *os.File, interrupts <-chan os.Signal) int {
	cmd := exec.Command(target, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "authdesk: cannot start %s: %v\n", target, err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	var deadline <-chan time.Time
	asked := false
	for {
		select {
		case err := <-done:
			return exitCode(err, stderr)
		case <-interrupts:
			if asked {
				_ = cmd.Process.Kill()
				continue
			}
			asked = true
			fmt.Fprintln(stderr, "authdesk: stopping (press Ctrl+C again to end it at once)")
			if err := askToClose(cmd.Process); err != nil {
				fmt.Fprintln(stderr, "authdesk: could not ask it to stop:", err)
			}
			deadline = time.After(gracePeriod)
		case <-deadline:
			_ = cmd.Process.Kill()
		}
	}
}

func exitCode(err error, stderr *os.File) int {
	if err == nil {
		return 0
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if code := exit.ExitCode(); code >= 0 {
			return code
		}
		return 130 // ended by a signal (not on Windows): as a shell reports Ctrl+C
	}
	fmt.Fprintln(stderr, "authdesk:", err)
	return 1
}

// askToClose asks p to stop as the system asks a program to: WM_CLOSE on
// Windows (taskkill without /F), an interrupt elsewhere.
func askToClose(p *os.Process) error {
	if runtime.GOOS != "windows" {
		return p.Signal(os.Interrupt)
	}
	// taskkill is part of every Windows (and of Wine).
	out, err := exec.Command("taskkill", "/PID", fmt.Sprint(p.Pid)).CombinedOutput()
	if err != nil {
		return fmt.Errorf("taskkill: %w: %s", err, out)
	}
	return nil
}
