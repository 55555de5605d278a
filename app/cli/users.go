// Package cli holds AuthDesk's commands that run without a window, for
// scripts and for whoever administers a machine.
//
// `authdesk users` manages the embedded backend's accounts:
//
//	authdesk users list
//	authdesk users add --username U --first-name F --last-name L [--role Admin|User] [--password-stdin]
//	authdesk users passwd U [--password-stdin]
//	authdesk users remove U
//	authdesk users import [--format F] [--on-conflict skip|update|fail] [--dry-run] FILE|-
//	authdesk users export [--format authdesk|csv] [--output FILE [--force]]
//	authdesk users unlock U
//	authdesk users mfa-reset U
//
// Exit codes, which scripts may rely on:
//
//	0  success
//	1  the operation failed: no such user, username taken, the data folder is
//	   in use by a running AuthDesk, the database is damaged
//	2  usage error: unknown command or flag, missing or invalid argument
//
// Errors go to stderr as "authdesk: <message>".
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
)

// Exit codes; see the package documentation.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// UserAdmin is what `authdesk users` needs from the store;
// *bolt.AdminService implements it.
type UserAdmin interface {
	Users(ctx context.Context) ([]backend.User, error)
	AddUser(ctx context.Context, u backend.User, password string) (*backend.User, error)
	SetPassword(ctx context.Context, username, password string) error
	RemoveUser(ctx context.Context, username string) error
	// Unlock clears U's failed-login counter (login throttling).
	Unlock(ctx context.Context, username string) error
}

// Opener opens the store and returns it with its close function. Users calls
// it only once the arguments are known to be good, so `--help` and typos work
// even while AuthDesk is running and holds the lock.
type Opener func() (UserAdmin, func() error, error)

// OpenBolt returns the Opener for the embedded store in dataDir.
func OpenBolt(dataDir string, opts bolt.Options) Opener {
	return func() (UserAdmin, func() error, error) {
		db := bolt.NewDB(dataDir, opts)
		if err := db.Open(); err != nil {
			return nil, nil, err
		}
		return bolt.NewAdminService(db), db.Close, nil
	}
}

const usersUsage = `Usage: authdesk users <command> [arguments]

Manage the accounts of AuthDesk's embedded backend. While a window or
"authdesk serve" has the same data folder open, the command runs inside it.

Commands:
  list                         show all users
  add --username U --first-name F --last-name L [--role Admin|User] [--password-stdin]
                               add a user (role defaults to User)
  passwd U [--password-stdin]  set U's password and end U's sessions
  remove U                     remove U and U's sessions
  import [--format auto|mongo|aspnet|authdesk] [--on-conflict skip|update|fail] [--dry-run] FILE|-
                               add the users in FILE (- for standard input): a
                               mongoexport of the Node.js API's users, the
                               ASP.NET API's Users rows as JSON (sqlite3 -json)
                               or an export of AuthDesk; all or nothing
  export [--format authdesk|csv] [--output FILE [--force]]
                               write every user with their password hash
                               (owner-only file; standard output by default)
  unlock U                     let U try to log in again at once after too
                               many failed attempts
  mfa-reset U                  turn off U's two-step sign-in (lost authenticator and recovery codes)

Passwords need at least 8 characters. Without --password-stdin the password
is asked for twice on the terminal.
With it, the password is read from standard input; one trailing newline is
removed.

import keeps bcrypt and argon2id hashes as they are; a bcrypt hash becomes
argon2id at the user's first login. A taken username is skipped (default),
overwrites the existing user (--on-conflict update: names, role, hash) or
stops the import (--on-conflict fail). Every skipped or invalid record is
listed on stderr. A broken file (bad JSON, a record over 1 MiB), a conflict
under --on-conflict fail or Ctrl+C saves nothing: the import is one
transaction. --dry-run checks everything and saves nothing.

Exit codes:
  0  success
  1  the operation failed (no such user, username taken, data folder in use)
  2  usage error (unknown command or flag, missing or invalid argument)
`

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// Users runs `authdesk users` with args (the words after "users") and returns
// the process exit code.
func Users(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, open Opener) int {
	// Tokens revoked from here say who did it.
	ctx = backend.WithClient(ctx, "cli")
	if len(args) == 0 {
		fmt.Fprint(stderr, usersUsage)
		return ExitUsage
	}
	cmd := &usersCmd{stdin: stdin, stdout: stdout, stderr: stderr, open: open}
	var err error
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usersUsage)
		return ExitOK
	case "list":
		err = cmd.list(ctx, args[1:])
	case "add":
		err = cmd.add(ctx, args[1:])
	case "passwd":
		err = cmd.passwd(ctx, args[1:])
	case "remove":
		err = cmd.remove(ctx, args[1:])
	case "import":
		err = cmd.importUsers(ctx, args[1:])
	case "export":
		err = cmd.export(ctx, args[1:])
	case "unlock":
		err = cmd.unlock(ctx, args[1:])
	case "mfa-reset":
		err = cmd.mfaReset(ctx, args[1:])
	default:
		err = usagef("unknown command %q (try: authdesk users --help)", args[0])
	}
	return report(stderr, err)
}

// report prints err and picks the exit code.
func report(stderr io.Writer, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, flag.ErrHelp):
		return ExitOK // parse printed the help
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "authdesk: %s\n", ue.msg)
		return ExitUsage
	case backend.ErrorCode(err) == backend.EINVALID:
		fmt.Fprintf(stderr, "authdesk: %s\n", backend.ErrorMessage(err))
		return ExitUsage
	case backend.ErrorCode(err) == backend.EINTERNAL:
		// No window and no log here: the cause is the useful part.
		fmt.Fprintf(stderr, "authdesk: %s\n", strings.TrimPrefix(err.Error(), backend.EINTERNAL+": "))
		return ExitError
	default:
		fmt.Fprintf(stderr, "authdesk: %s\n", backend.ErrorMessage(err))
		return ExitError
	}
}

type usersCmd struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	open           Opener
}

// flags returns a flag set that reports its own errors as usage errors.
func (c *usersCmd) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("authdesk users "+name, flag.ContinueOnError)
	// Errors are reported once, by report; help goes to stdout in parse.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses flags wherever they appear among the positional arguments, so
// `passwd alice --password-stdin` works like `passwd --password-stdin alice`.
func (c *usersCmd) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(c.stdout, usersUsage)
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// withStore opens the store, runs fn and closes it.
func (c *usersCmd) withStore(fn func(UserAdmin) error) error {
	admin, closeFn, err := c.open()
	if err != nil {
		return err
	}
	err = fn(admin)
	if cerr := closeFn(); err == nil {
		err = cerr
	}
	return err
}

func (c *usersCmd) list(ctx context.Context, args []string) error {
	fs := c.flags("list")
	if pos, err := c.parse(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usagef("users list takes no arguments")
	}
	return c.withStore(func(admin UserAdmin) error {
		users, err := admin.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tUSERNAME\tFIRST NAME\tLAST NAME\tROLE")
		for _, u := range users {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Username, u.FirstName, u.LastName, u.Role)
		}
		return w.Flush()
	})
}

func (c *usersCmd) add(ctx context.Context, args []string) error {
	fs := c.flags("add")
	var u backend.User
	var role string
	fs.StringVar(&u.Username, "username", "", "login name (required)")
	fs.StringVar(&u.FirstName, "first-name", "", "first name")
	fs.StringVar(&u.LastName, "last-name", "", "last name")
	fs.StringVar(&role, "role", string(backend.RoleUser), "Admin or User")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if pos, err := c.parse(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usagef("users add takes no positional arguments (got %q)", pos[0])
	}
	if u.Username == "" {
		return usagef("users add needs --username")
	}
	if u.Role = backend.Role(role); !u.Role.Valid() {
		return usagef("--role must be Admin or User, not %q", role)
	}
	if strings.TrimSpace(u.FirstName) == "" || strings.TrimSpace(u.LastName) == "" {
		return usagef("users add needs --first-name and --last-name")
	}
	password, err := readPassword(c.stdin, c.stderr, *fromStdin)
	if err != nil {
		return err
	}
	return c.withStore(func(admin UserAdmin) error {
		added, err := admin.AddUser(ctx, u, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Added user %s (ID %s, %s)\n", added.Username, added.ID, added.Role)
		return nil
	})
}

func (c *usersCmd) passwd(ctx context.Context, args []string) error {
	fs := c.flags("passwd")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	} else if len(pos) != 1 {
		return usagef("users passwd needs exactly one username")
	}
	password, err := readPassword(c.stdin, c.stderr, *fromStdin)
	if err != nil {
		return err
	}
	return c.withStore(func(admin UserAdmin) error {
		if err := admin.SetPassword(ctx, pos[0], password); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Password changed for %s; their sessions were ended\n", pos[0])
		return nil
	})
}

func (c *usersCmd) remove(ctx context.Context, args []string) error {
	fs := c.flags("remove")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	} else if len(pos) != 1 {
		return usagef("users remove needs exactly one username")
	}
	return c.withStore(func(admin UserAdmin) error {
		if err := admin.RemoveUser(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Removed user %s\n", pos[0])
		return nil
	})
}

func (c *usersCmd) unlock(ctx context.Context, args []string) error {
	fs := c.flags("unlock")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	} else if len(pos) != 1 {
		return usagef("users unlock needs exactly one username")
	}
	return c.withStore(func(admin UserAdmin) error {
		if err := admin.Unlock(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Unlocked %s: the next login attempt is checked at once\n", pos[0])
		return nil
	})
}
