package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// `serve` and `users` never create the demo account: serve on a new folder
// refuses and says how to make the first admin; `users add` makes exactly
// the user asked for.
func TestServeAndUsersDoNotSeedTheDemoAccount(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--data-dir", dir, "serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "has no users yet") || !strings.Contains(errOut.String(), "users add --role Admin") {
		t.Fatalf("serve on a new folder: exit %d, stderr %q", code, errOut.String())
	}

	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"--data-dir", dir, "users", "add", "--username", "ada", "--first-name", "Ada", "--last-name", "Lovelace", "--role", "Admin", "--password-stdin"},
		strings.NewReader("analytical-engine\n"), &out, &errOut)
	if code != 0 {
		t.Fatalf("users add: exit %d, %s", code, errOut.String())
	}
	out.Reset()
	if code = run(context.Background(), []string{"--data-dir", dir, "users", "list"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("users list: exit %d, %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "ada") {
		t.Fatalf("users after add:\n%s", out.String())
	}
}

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
