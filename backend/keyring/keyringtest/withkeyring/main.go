//go:build !windows && !darwin

// Command withkeyring runs a command against a private D-Bus session bus with
// an unlocked GNOME Keyring on it, for test suites that are not Go tests (the
// real-window test, the browser end-to-end suite):
//
//	go run ./backend/keyring/keyringtest/withkeyring -- node --test ...
//	go run ./backend/keyring/keyringtest/withkeyring -none -- node --test ...
//
// The command gets DBUS_SESSION_BUS_ADDRESS (and AUTHDESK_TEST_KEYRING_BUS)
// for that bus (with -none: an address where nothing listens, i.e. "no
// keyring here"); its HOME and the
// rest of its environment are untouched, so the person's own keyring is never
// used. Everything started is stopped when the command exits, and its exit
// status is withkeyring's.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/authdesk/authdesk/backend/keyring/keyringtest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("withkeyring", flag.ContinueOnError)
	fs.SetOutput(stderr)
	none := fs.Bool("none", false, "run with no keyring: DBUS_SESSION_BUS_ADDRESS points where nothing listens")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: withkeyring [-none] -- command [args...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	var address string
	if *none {
		dir, err := os.MkdirTemp("", "withkeyring-none-")
		if err != nil {
			fmt.Fprintln(stderr, "withkeyring:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		address = "unix:path=" + filepath.Join(dir, "no-bus-here")
	} else {
		bus, err := keyringtest.NewBus()
		if err != nil {
			fmt.Fprintln(stderr, "withkeyring:", err)
			return 1
		}
		defer bus.Close()
		d, err := bus.NewKeyring()
		if err != nil {
			fmt.Fprintln(stderr, "withkeyring:", err)
			return 1
		}
		defer d.Stop()
		address = bus.Address
	}

	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	// AUTHDESK_TEST_KEYRING_BUS names the same bus for tests that set the
	// bus of the processes they start themselves (app/windowtest).
	cmd.Env = append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+address, "AUTHDESK_TEST_KEYRING_BUS="+address)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "withkeyring:", err)
		return 127
	}
	// Pass an interrupt on to the command and let it finish, so the deferred
	// clean-up still runs.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			_ = cmd.Process.Signal(s)
		case err := <-done:
			var exit *exec.ExitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &exit) && exit.ExitCode() >= 0:
				return exit.ExitCode()
			default:
				fmt.Fprintln(stderr, "withkeyring:", err)
				return 1
			}
		}
	}
}
