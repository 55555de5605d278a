package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/bolt"
	"github.com/authdesk/authdesk/backend/userfile"
)

// UserImporter is the optional capability `users import` needs;
// *bolt.AdminService has it.
type UserImporter interface {
	ImportUsers(ctx context.Context, next func() (*backend.ImportRecord, error), opt bolt.ImportOptions) (backend.ImportSummary, error)
}

// lockedHint turns the "already running" error into one that says what to do:
// import and export work on the data file itself (there is no control socket
// to a running AuthDesk yet).
func lockedHint(err error, cmd string) error {
	if !bolt.IsLocked(err) {
		return err
	}
	return &backend.Error{Code: backend.ECONFLICT, Err: err, Message: backend.ErrorMessage(err) +
		". users " + cmd + " needs the data folder to itself: close the AuthDesk window and any `authdesk serve` using it, then run it again"}
}

func (c *usersCmd) importUsers(ctx context.Context, args []string) error {
	fs := c.flags("import")
	format := fs.String("format", "auto", "mongo, aspnet, authdesk or auto")
	conflict := fs.String("on-conflict", string(backend.ConflictSkip), "skip, update or fail")
	dryRun := fs.Bool("dry-run", false, "check everything, save nothing")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	} else if len(pos) != 1 {
		return usagef("users import needs one FILE (or - for standard input)")
	}
	f := userfile.Format(*format)
	if *format == "auto" {
		f = ""
	} else if !f.Valid() {
		return usagef("--format must be auto, mongo, aspnet or authdesk, not %q", *format)
	}
	policy := backend.ConflictPolicy(*conflict)
	if !policy.Valid() {
		return usagef("--on-conflict must be skip, update or fail, not %q", *conflict)
	}

	var in io.Reader
	var size int64
	name := pos[0]
	if name == "-" {
		if IsTerminal(c.stdin) {
			return usagef("standard input is a terminal; pipe the file in or name it")
		}
		in, name = c.stdin, "standard input"
	} else {
		file, err := os.Open(Path(ctx, name))
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", name, errors.Unwrap(err))
		}
		defer file.Close()
		if fi, err := file.Stat(); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a folder, not a file", name)
		} else if err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		in = file
	}

	admin, closeFn, err := c.open()
	if err != nil {
		return lockedHint(err, "import")
	}
	importer, ok := admin.(UserImporter)
	if !ok {
		_ = closeFn()
		return errors.New("this backend cannot import users")
	}
	start := time.Now()
	rd := userfile.NewReader(in, f)
	bar := newProgress(c.stderr, "records", size)
	count := 0
	next := func() (*backend.ImportRecord, error) {
		rec, err := rd.Next()
		if rec != nil {
			count++
			bar.tick(count, rd.Offset())
		} else if err == io.EOF {
			bar.tick(count, max(rd.Offset(), size)) // all read: 100%
		}
		return rec, err
	}
	opt := bolt.ImportOptions{
		OnConflict: policy,
		DryRun:     *dryRun,
		Problem: func(p backend.ImportProblem) {
			kind := "skipped"
			if p.Invalid {
				kind = "invalid"
			}
			who := ""
			if p.Username != "" {
				who = fmt.Sprintf(" %q", p.Username)
			}
			bar.line(fmt.Sprintf("record %d (line %d)%s: %s: %s", p.Record, p.Line, who, kind, p.Reason))
		},
		Saving: func(s backend.ImportSummary) {
			if !*dryRun {
				bar.phase(fmt.Sprintf("saving %d new and %d updated users...", s.Imported, s.Updated))
			}
		},
	}
	sum, err := importer.ImportUsers(ctx, next, opt)
	bar.done()
	if cerr := closeFn(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return importFailed(ctx, name, err)
	}

	what := "from " + name
	if rd.Format() != "" {
		what += ", " + rd.Format().Description()
	}
	counts := fmt.Sprintf("%d imported, %d updated, %d skipped, %d invalid", sum.Imported, sum.Updated, sum.Skipped, sum.Invalid)
	if *dryRun {
		fmt.Fprintf(c.stdout, "Dry run %s: nothing was saved; it would give %s\n", what, counts)
		return nil
	}
	fmt.Fprintf(c.stdout, "Imported users %s in %s: %s\n", what, time.Since(start).Round(time.Millisecond), counts)
	if sum.Imported+sum.Updated > 0 {
		fmt.Fprintln(c.stdout, "They log in with their old passwords; a bcrypt hash is replaced by argon2id at the first login.")
	}
	return nil
}

// importFailed says what stopped the import and that nothing was saved.
func importFailed(ctx context.Context, name string, err error) error {
	var fe *userfile.FileError
	var msg string
	switch {
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		msg = "interrupted"
	case errors.As(err, &fe):
		msg = fmt.Sprintf("%s, %s", name, fe.Error())
	case errors.Is(err, userfile.ErrEmpty):
		msg = fmt.Sprintf("%s: %s", name, err)
	case errors.Is(err, bolt.ErrImportConflict):
		msg = strings.TrimPrefix(err.Error(), bolt.ErrImportConflict.Error()+": ") + " (--on-conflict fail)"
	case backend.ErrorCode(err) == backend.EINTERNAL:
		msg = strings.TrimPrefix(err.Error(), backend.EINTERNAL+": ")
	default:
		msg = backend.ErrorMessage(err)
	}
	return fmt.Errorf("%s; nothing was imported, the users are as they were", msg)
}
