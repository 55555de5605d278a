package cli

import (
	"context"
	"os"
	"path/filepath"

	"golang.org/x/term"
)

// A users command may run inside the AuthDesk that holds the data folder
// (see app/control) rather than in the person's shell. Commands that look at
// their terminal or open files named on the command line use these helpers so
// they behave the same in both places.

type workDirKey struct{}

// WithWorkDir says that file names on the command line are relative to dir,
// the working folder of the command line that sent them.
func WithWorkDir(ctx context.Context, dir string) context.Context {
	if dir == "" {
		return ctx
	}
	return context.WithValue(ctx, workDirKey{}, dir)
}

// Path resolves a file name given on the command line: relative to the
// command line's working folder, not to the process the command runs in.
func Path(ctx context.Context, name string) string {
	dir, _ := ctx.Value(workDirKey{}).(string)
	if dir == "" || name == "" || filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

// IsTerminal says whether w (a command's stdin, stdout or stderr) is a terminal,
// here or at the other end of the control socket.
func IsTerminal(w any) bool {
	if t, ok := w.(interface{ IsTerminal() bool }); ok {
		return t.IsTerminal()
	}
	if _, ok := w.(interface{ ReadPassword() ([]byte, error) }); ok {
		return true // a standard input that is the client's terminal
	}
	if f, ok := w.(*os.File); ok {
		return term.IsTerminal(int(f.Fd()))
	}
	return false
}
