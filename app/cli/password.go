package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/authdesk/authdesk/backend"
	"golang.org/x/term"
)

// readPassword gets the new password: from stdin when asked to, otherwise by
// prompting twice on the terminal without echo. A script that forgot
// --password-stdin gets a usage error instead of a hang or a surprise read.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool) (string, error) {
	if fromStdin {
		return readPasswordFrom(stdin)
	}
	readTerm, ok := terminal(stdin)
	if !ok {
		return "", usagef("standard input is not a terminal; pipe the password in and use --password-stdin")
	}
	fmt.Fprint(stderr, "New password: ")
	first, err := readTerm()
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(stderr, "Repeat password: ")
	second, err := readTerm()
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(first, second) {
		return "", usagef("the passwords do not match")
	}
	return string(first), nil
}

// Terminal is a standard input that is a terminal in another process: when
// the command runs inside the AuthDesk that owns the data folder, the password
// is typed on the command line's own terminal (see app/control).
type Terminal interface {
	ReadPassword() ([]byte, error)
}

// terminal returns how to read a line without echo from stdin, if it is a
// terminal here or elsewhere.
func terminal(stdin io.Reader) (func() ([]byte, error), bool) {
	if t, ok := stdin.(Terminal); ok {
		return t.ReadPassword, true
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return func() ([]byte, error) { return term.ReadPassword(int(f.Fd())) }, true
	}
	return nil, false
}

// readPasswordFrom reads all of r and strips one trailing newline (what echo
// and most editors add). It reads a little past the limit so an over-long
// password is reported as such rather than silently cut.
func readPasswordFrom(r io.Reader) (string, error) {
	buf, err := io.ReadAll(io.LimitReader(r, backend.MaxPasswordBytes+3))
	if err != nil {
		return "", err
	}
	if bytes.HasSuffix(buf, []byte("\r\n")) {
		buf = buf[:len(buf)-2]
	} else if bytes.HasSuffix(buf, []byte("\n")) {
		buf = buf[:len(buf)-1]
	}
	return string(buf), nil
}
