package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/authdesk/authdesk/backend"
	"golang.org/x/term"
)

// FirstAdmin is `serve --init-admin`: it creates the first account, an
// Admin, on a data folder that has none. Missing names are asked for on the
// terminal; the password is asked for twice, or read from stdin with
// --password-stdin (then the username must be given as a flag).
type FirstAdmin struct {
	Enabled       bool
	User          backend.User
	PasswordStdin bool
}

// Register adds --init-admin and its flags to fs.
func (f *FirstAdmin) Register(fs *flag.FlagSet) {
	fs.BoolVar(&f.Enabled, "init-admin", false, "on a data folder without users: create the first admin (asks on the terminal) before serving")
	fs.StringVar(&f.User.Username, "admin-username", "", "with --init-admin: the admin's username")
	fs.StringVar(&f.User.FirstName, "admin-first-name", "", "with --init-admin: the admin's first name")
	fs.StringVar(&f.User.LastName, "admin-last-name", "", "with --init-admin: the admin's last name")
	fs.BoolVar(&f.PasswordStdin, "password-stdin", false, "with --init-admin: read the admin's password from standard input")
}

// Run creates the admin and returns the exit code (ExitOK when disabled).
func (f *FirstAdmin) Run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, admin UserAdmin) int {
	if !f.Enabled {
		if f.PasswordStdin || f.User.Username != "" {
			return report(stderr, usagef("--admin-username, --admin-first-name, --admin-last-name and --password-stdin go with --init-admin"))
		}
		return ExitOK
	}
	return report(stderr, f.run(backend.WithClient(ctx, "cli"), stdin, stdout, stderr, admin))
}

func (f *FirstAdmin) run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer, admin UserAdmin) error {
	users, err := admin.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return backend.Errorf(backend.ECONFLICT, "--init-admin creates the first account only, and this data folder has %d already (add more with: authdesk users add)", len(users))
	}
	u := f.User
	u.Role = backend.RoleAdmin
	missing := u.Username == "" || u.FirstName == "" || u.LastName == ""
	if missing || !f.PasswordStdin {
		file, ok := stdin.(*os.File)
		if !ok || !term.IsTerminal(int(file.Fd())) {
			if u.Username == "" {
				return usagef("standard input is not a terminal: give --admin-username (and the names), pipe the password in and use --password-stdin")
			}
		} else if missing {
			fmt.Fprintln(stderr, "Create the first admin of this AuthDesk server.")
			for _, q := range []struct {
				prompt string
				into   *string
			}{{"Username", &u.Username}, {"First name", &u.FirstName}, {"Last name", &u.LastName}} {
				if *q.into != "" {
					continue
				}
				if *q.into, err = promptLine(file, stderr, q.prompt+": "); err != nil {
					return err
				}
			}
		}
	}
	// Every account has a name, the first admin's too (as for users add).
	if strings.TrimSpace(u.FirstName) == "" || strings.TrimSpace(u.LastName) == "" {
		return usagef("--init-admin needs the admin's first and last name (--admin-first-name, --admin-last-name)")
	}
	password, err := readPassword(stdin, stderr, f.PasswordStdin)
	if err != nil {
		return err
	}
	added, err := admin.AddUser(ctx, u, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added admin %s (ID %s)\n", added.Username, added.ID)
	return nil
}

// promptLine reads one line typed on the terminal, a byte at a time so
// nothing meant for the password prompt after it is read ahead.
func promptLine(tty *os.File, stderr io.Writer, prompt string) (string, error) {
	fmt.Fprint(stderr, prompt)
	var line bytes.Buffer
	b := make([]byte, 1)
	for {
		n, err := tty.Read(b)
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			line.WriteByte(b[0])
			if line.Len() > backend.MaxUsernameBytes*4 {
				return "", usagef("that line is too long")
			}
		}
		if err != nil {
			return "", fmt.Errorf("reading the terminal: %w", err)
		}
	}
	return strings.TrimSpace(strings.TrimSuffix(line.String(), "\r")), nil
}
