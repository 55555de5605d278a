package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/userfile"
)

// UserExporter is the optional capability `users export` needs;
// *bolt.AdminService has it.
type UserExporter interface {
	ExportUsers(ctx context.Context, fn func(backend.UserRecord) error) error
}

// export writes every user with their password hash. The file is created
// owner-only (0600) and never replaces an existing file without --force
// (then it is written beside it and renamed over it, so a failed export
// leaves the old file whole). Without --output it writes standard output,
// except to a terminal; a file that standard output was redirected into is
// made owner-only too.
func (c *usersCmd) export(ctx context.Context, args []string) error {
	fs := c.flags("export")
	format := fs.String("format", string(userfile.ExportJSON), "authdesk or csv")
	output := fs.String("output", "", "file to write (default: standard output)")
	force := fs.Bool("force", false, "replace an existing --output file")
	if pos, err := c.parse(fs, args); err != nil {
		return err
	} else if len(pos) != 0 {
		return usagef("users export takes no positional arguments (use --output FILE)")
	}
	ef := userfile.ExportFormat(*format)
	if ef != userfile.ExportJSON && ef != userfile.ExportCSV {
		return usagef("--format must be authdesk or csv, not %q", *format)
	}
	toStdout := *output == "" || *output == "-"
	if !toStdout {
		*output = Path(ctx, *output) // the command line's folder, also when run inside a running AuthDesk
	}
	if toStdout && IsTerminal(c.stdout) {
		return usagef("standard output is a terminal, and the export holds password hashes; use --output FILE")
	}
	if !toStdout && !*force {
		if _, err := os.Lstat(*output); err == nil {
			return fmt.Errorf("%s already exists; use --force to replace it", *output)
		}
	}

	admin, closeFn, err := c.open()
	if err != nil {
		return lockedHint(err, "export")
	}
	defer closeFn()
	exporter, ok := admin.(UserExporter)
	if !ok {
		return errors.New("this backend cannot export users")
	}
	write := func(w io.Writer) (int, error) {
		uw, err := userfile.NewWriter(w, ef)
		if err != nil {
			return 0, err
		}
		if err := exporter.ExportUsers(ctx, uw.Write); err != nil {
			return 0, err
		}
		return uw.Count(), uw.Close()
	}

	var n int
	where := *output
	if toStdout {
		where = "the output"
		if f, ok := c.stdout.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
				if err := f.Chmod(0o600); err != nil {
					fmt.Fprintf(c.stderr, "authdesk: warning: cannot make the output file owner-only: %v\n", err)
				}
			}
		}
		if n, err = write(c.stdout); err != nil {
			return err
		}
	} else if n, err = writeFile(*output, *force, write); err != nil {
		return err
	}
	if closeErr := closeFn(); closeErr != nil {
		return closeErr
	}
	fmt.Fprintf(c.stderr, "authdesk: wrote %d users to %s. It holds their password hashes: keep it private and delete it when you are done.\n", n, where)
	return nil
}

// writeFile creates path 0600 and fills it with write; nothing is left
// behind on failure. With replace, an existing file is swapped for the new
// one only once the new one is complete.
func writeFile(path string, replace bool, write func(io.Writer) (int, error)) (int, error) {
	var f *os.File
	var err error
	if replace {
		f, err = os.CreateTemp(filepath.Dir(path), ".authdesk-export-*") // 0600
	} else {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("%s already exists; use --force to replace it", path)
	} else if err != nil {
		return 0, fmt.Errorf("cannot create %s: %w", path, errors.Unwrap(err))
	}
	n, err := write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && replace {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return 0, err
	}
	return n, nil
}
