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
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("standard input is not a terminal; pipe the password in and use --password-stdin")
	}
	fd := int(f.Fd())
	fmt.Fprint(stderr, "New password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(stderr, "Repeat password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(first, second) {
		return "", usagef("the passwords do not match")
	}
	return string(first), nil
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
