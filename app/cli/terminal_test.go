package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/authdesk/authdesk/app/cli"
)

func TestPath_RelativeToTheCommandLinesFolder(t *testing.T) {
	ctx := context.Background()
	if got := cli.Path(ctx, "users.json"); got != "users.json" {
		t.Errorf("run here: %q", got)
	}
	ctx = cli.WithWorkDir(ctx, "/home/ada/exports")
	for name, want := range map[string]string{
		"users.json":      filepath.Join("/home/ada/exports", "users.json"),
		"../old/a.json":   filepath.Join("/home/ada/old", "a.json"),
		"/tmp/users.json": "/tmp/users.json",
		"":                "",
	} {
		if got := cli.Path(ctx, name); got != want {
			t.Errorf("Path(%q) = %q, want %q", name, got, want)
		}
	}
}

type remoteOut struct {
	bytes.Buffer
	term bool
}

func (r *remoteOut) IsTerminal() bool { return r.term }

func TestIsTerminal(t *testing.T) {
	if cli.IsTerminal(&bytes.Buffer{}) {
		t.Error("a buffer is a terminal")
	}
	if !cli.IsTerminal(&remoteOut{term: true}) || cli.IsTerminal(&remoteOut{}) {
		t.Error("the control socket's terminal flag is not followed")
	}
}
