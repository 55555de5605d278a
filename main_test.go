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
	code = run(context.Background(), []string{"--data-dir", dir, "users", "add", "--username", "ada", "--role", "Admin", "--password-stdin"},
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
