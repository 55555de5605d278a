//go:build !windows && !darwin

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSh(t *testing.T, script string, flags ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	args := append(flags, "--", "sh", "-c", script)
	code := run(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestTheCommandSeesAnUnlockedKeyringOfItsOwn(t *testing.T) {
	before, _ := filepath.Glob(filepath.Join(os.TempDir(), "keyringtest-*"))
	out, errOut, code := runSh(t, `printf 'seen' | secret-tool store --label 'withkeyring test' service AuthDeskTest username t &&
secret-tool lookup service AuthDeskTest username t`)
	if code != 0 || out != "seen" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want the stored secret read back", code, out, errOut)
	}
	// A second run starts from an empty keyring: nothing is shared or kept.
	out, _, code = runSh(t, `secret-tool lookup service AuthDeskTest username t`)
	if code == 0 || out != "" {
		t.Errorf("a second run found %q (exit %d); want a fresh keyring", out, code)
	}
	after, _ := filepath.Glob(filepath.Join(os.TempDir(), "keyringtest-*"))
	if len(after) > len(before) {
		t.Errorf("bus folders left behind: %v (before: %v)", after, before)
	}
}

func TestNoneMeansNoKeyring(t *testing.T) {
	out, errOut, code := runSh(t, `echo "$DBUS_SESSION_BUS_ADDRESS"; secret-tool lookup service AuthDeskTest username t`, "-none")
	if code == 0 || !strings.Contains(out, "no-bus-here") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want secret-tool to fail with no bus", code, out, errOut)
	}
}

func TestExitStatusAndUsage(t *testing.T) {
	if _, _, code := runSh(t, "exit 3"); code != 3 {
		t.Errorf("exit status = %d, want the command's 3", code)
	}
	var errOut bytes.Buffer
	if code := run(nil, nil, &bytes.Buffer{}, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage: withkeyring") {
		t.Errorf("no command: exit %d, %q", code, errOut.String())
	}
}
