package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("AUTHDESK_DATA_DIR", t.TempDir())
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// Help is asked for, so it is the answer: on stdout (a pager or grep gets
// it) with exit code 0, and nothing on stderr.
func TestHelpGoesToStdoutAndSucceeds(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"-help"}, {"--data-dir", "x", "--help"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing", args, code, errOut)
		}
		for _, want := range []string{"Usage:", "authdesk version", "serve", "-data-dir"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: stdout lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestSubcommandHelpGoesToStdout(t *testing.T) {
	code, out, errOut := runCLI(t, "serve", "--help")
	if code != 0 || errOut != "" || !strings.Contains(out, "-addr") || !strings.Contains(out, "Usage: authdesk [flags] serve") {
		t.Fatalf("serve --help: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "window", "-h")
	if code != 0 || errOut != "" || !strings.Contains(out, "Usage:") {
		t.Fatalf("window -h: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestVersionFlagAndCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 0 || out != "authdesk "+version+"\n" || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// A mistake is an error: named on stderr, usage after it, exit code 2,
// nothing on stdout.
func TestUsageMistakesGoToStderr(t *testing.T) {
	for _, args := range [][]string{{"--no-such-flag"}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"window", "extra"}} {
		code, out, errOut := runCLI(t, args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2, nothing, a message", args, code, out, errOut)
		}
	}
}
