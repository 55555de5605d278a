//go:build !windows && !darwin

package keyring_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authdesk/authdesk/backend"
	"github.com/authdesk/authdesk/backend/keyring"
	"github.com/authdesk/authdesk/backend/keyring/keyringtest"
)

// startKeyring gives the test a private bus with an unlocked GNOME Keyring
// and points DBUS_SESSION_BUS_ADDRESS at it.
func startKeyring(t *testing.T) *keyringtest.Bus {
	t.Helper()
	bus := keyringtest.StartBus(t)
	bus.StartKeyring(t)
	bus.Use(t)
	return bus
}

func wantCode(t *testing.T, err error, code string, cause error) {
	t.Helper()
	if got := backend.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Fatalf("error %v does not carry cause %v", err, cause)
	}
}

func TestSetGetDeleteRoundTrip(t *testing.T) {
	bus := startKeyring(t)
	ctx := context.Background()
	k := keyring.New()

	if err := k.Available(ctx); err != nil {
		t.Fatalf("Available on an unlocked keyring: %v", err)
	}
	_, err := k.Get(ctx, "embedded")
	wantCode(t, err, backend.ENOTFOUND, keyring.ErrNotFound)

	if err := k.Set(ctx, "embedded", "Embedded (offline)", "refresh-token-one"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, "embedded"); err != nil || got != "refresh-token-one" {
		t.Fatalf("Get = %q, %v; want the saved token", got, err)
	}

	// A rotated token replaces the entry: there is still exactly one.
	if err := k.Set(ctx, "embedded", "Embedded (offline)", "refresh-token-two"); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get(ctx, "embedded"); err != nil || got != "refresh-token-two" {
		t.Fatalf("Get after replace = %q, %v", got, err)
	}

	// What a person (or libsecret) sees: one entry, named for AuthDesk and
	// the backend, found by its attributes.
	out, err := bus.SecretTool(t, "search", "--all", "service", "AuthDesk", "username", "embedded")
	if err != nil {
		t.Fatalf("secret-tool search: %v\n%s", err, out)
	}
	if !strings.Contains(out, "label = AuthDesk — Embedded (offline)") {
		t.Errorf("secret-tool search does not show the label:\n%s", out)
	}
	if !strings.Contains(out, "secret = refresh-token-two") || strings.Contains(out, "refresh-token-one") {
		t.Errorf("secret-tool search should show only the current token:\n%s", out)
	}
	if n := strings.Count(out, "label = "); n != 1 {
		t.Errorf("secret-tool search found %d entries, want 1:\n%s", n, out)
	}
	if out, err := bus.SecretTool(t, "lookup", "service", "AuthDesk", "username", "embedded"); err != nil || out != "refresh-token-two" {
		t.Errorf("secret-tool lookup = %q, %v", out, err)
	}

	if err := k.Delete(ctx, "embedded"); err != nil {
		t.Fatal(err)
	}
	_, err = k.Get(ctx, "embedded")
	wantCode(t, err, backend.ENOTFOUND, keyring.ErrNotFound)
	if out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk"); strings.Contains(out, "label") {
		t.Errorf("entry still in the keyring after Delete:\n%s", out)
	}
	// Deleting what is not there is not an error (logout after a failed save).
	if err := k.Delete(ctx, "embedded"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
}

func TestOneExactEntryPerBackend(t *testing.T) {
	bus := startKeyring(t)
	ctx := context.Background()
	k := keyring.New()

	ids := map[string]string{
		"embedded":                   "Embedded (offline)",
		"remote:https://api.example": "https://api.example",
		// A prefix of the one above: lookups must not mix them up.
		"remote:https://api.exampl": "https://api.exampl",
	}
	for id, label := range ids {
		if err := k.Set(ctx, id, label, "token for "+id); err != nil {
			t.Fatal(err)
		}
	}
	for id := range ids {
		if got, err := k.Get(ctx, id); err != nil || got != "token for "+id {
			t.Errorf("Get(%q) = %q, %v", id, got, err)
		}
	}
	if err := k.Delete(ctx, "remote:https://api.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(ctx, "remote:https://api.example"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("deleted entry: %v", err)
	}
	for _, id := range []string{"embedded", "remote:https://api.exampl"} {
		if got, err := k.Get(ctx, id); err != nil || got != "token for "+id {
			t.Errorf("Get(%q) after deleting another = %q, %v", id, got, err)
		}
	}
	out, _ := bus.SecretTool(t, "search", "--all", "service", "AuthDesk")
	if !strings.Contains(out, "label = AuthDesk — https://api.exampl\n") || strings.Count(out, "label = ") != 2 {
		t.Errorf("secret-tool search:\n%s", out)
	}
}

func TestNoDBusSessionIsUnavailableQuickly(t *testing.T) {
	ctx := context.Background()
	k := keyring.New()
	for name, setup := range map[string]func(t *testing.T){
		"address points nowhere": func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", keyringtest.Nowhere(t))
		},
		"no address at all": func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no "bus" socket there either
		},
	} {
		t.Run(name, func(t *testing.T) {
			setup(t)
			start := time.Now()
			err := k.Available(ctx)
			if d := time.Since(start); d > time.Second {
				t.Errorf("Available took %s with no bus; want an immediate answer", d)
			}
			wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNoSession)
			if msg := backend.ErrorMessage(err); !strings.Contains(msg, "No system keyring was found") || !strings.Contains(msg, "D-Bus session") {
				t.Errorf("message %q does not say what is missing", msg)
			}
			err = k.Set(ctx, "embedded", "Embedded (offline)", "secret-never-in-errors")
			wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNoSession)
			if strings.Contains(err.Error(), "secret-never-in-errors") {
				t.Errorf("the error carries the secret: %v", err)
			}
			_, err = k.Get(ctx, "embedded")
			wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNoSession)
		})
	}
}

func TestBusWithoutSecretService(t *testing.T) {
	bus := keyringtest.StartBus(t)
	bus.Use(t)
	err := keyring.New().Available(context.Background())
	wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNoService)
	if msg := backend.ErrorMessage(err); !strings.Contains(msg, "Secret Service") {
		t.Errorf("message %q does not name the Secret Service", msg)
	}
}

func TestLockedKeyringPromptsOnlyWhenThePersonIsActing(t *testing.T) {
	bus := startKeyring(t)
	ctx := context.Background()
	k := keyring.New()
	if err := k.Set(ctx, "embedded", "Embedded (offline)", "locked-away"); err != nil {
		t.Fatal(err)
	}
	bus.Lock(t)
	prompts := bus.WatchPrompts(t)

	// In the background (a token refresh) nothing may appear on screen: the
	// call fails at once and says the keyring is locked.
	start := time.Now()
	err := k.Available(ctx)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Available on a locked keyring took %s in the background", d)
	}
	wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNeedsUnlock)
	if !errors.Is(err, keyring.ErrLocked) || !strings.Contains(backend.ErrorMessage(err), "locked") {
		t.Errorf("background error %v should be a locked-keyring error saying so", err)
	}
	_, err = k.Get(ctx, "embedded")
	wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrNeedsUnlock) // not "not found"
	if !prompts.WaitFor("Dismiss") {
		t.Fatalf("the unused prompt was not withdrawn; calls seen: %v", prompts.Calls())
	}
	if slices.Contains(prompts.Calls(), "Prompt") {
		t.Fatalf("a background call showed the unlock prompt; calls seen: %v", prompts.Calls())
	}

	// When the person signs in, the prompt is shown. The test bus has no
	// prompter (like a headless box), so GNOME Keyring reports it dismissed.
	err = k.Available(keyring.WithPrompt(ctx, 5*time.Second))
	wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrLocked)
	if errors.Is(err, keyring.ErrNeedsUnlock) {
		t.Errorf("with a prompt allowed the error should be \"refused\", got %v", err)
	}
	if msg := backend.ErrorMessage(err); msg != "The system keyring is locked and unlocking it was refused" {
		t.Errorf("message = %q", msg)
	}
	if !prompts.WaitFor("Prompt") {
		t.Errorf("no prompt was shown for an interactive call; calls seen: %v", prompts.Calls())
	}
}

func TestHungKeyringTimesOut(t *testing.T) {
	bus := keyringtest.StartBus(t)
	d := bus.StartKeyring(t)
	bus.Use(t)
	k := keyring.New()
	k.Timeout = 300 * time.Millisecond

	// A stopped daemon keeps its bus name and answers nothing: every call
	// hangs, as one waiting on a prompt does.
	pid := d.PID()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGCONT) })

	before := runtime.NumGoroutine()
	for name, f := range map[string]func() error{
		"Available": func() error { return k.Available(context.Background()) },
		"Set":       func() error { return k.Set(context.Background(), "embedded", "x", "hung-secret") },
		"Get":       func() error { _, err := k.Get(context.Background(), "embedded"); return err },
		"Delete":    func() error { return k.Delete(context.Background(), "embedded") },
	} {
		start := time.Now()
		err := f()
		if d := time.Since(start); d > k.Timeout+500*time.Millisecond {
			t.Errorf("%s took %s against a hung keyring; the timeout is %s", name, d, k.Timeout)
		}
		wantCode(t, err, backend.EUNAVAILABLE, keyring.ErrTimeout)
		if msg := backend.ErrorMessage(err); !strings.Contains(msg, "did not answer within 300ms") {
			t.Errorf("%s: message %q", name, msg)
		}
	}

	// The abandoned calls do not linger: each one's connection is closed
	// shortly after its deadline, even though the daemon never answers.
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+1 {
		t.Errorf("%d goroutines after the timed-out calls, %d before: calls to a hung keyring leak", n, before)
	}

	// Once it answers again, so does the keyring.
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	k.Timeout = 0
	if err := k.Set(context.Background(), "embedded", "Embedded (offline)", "after-the-hang"); err != nil {
		t.Fatalf("Set after the daemon resumed: %v", err)
	}
}

func TestLimits(t *testing.T) {
	startKeyring(t)
	ctx := context.Background()
	k := keyring.New()

	big := strings.Repeat("s", keyring.MaxSecretBytes)
	if err := k.Set(ctx, "embedded", "Embedded", big); err != nil {
		t.Fatalf("a secret of exactly MaxSecretBytes: %v", err)
	}
	if got, err := k.Get(ctx, "embedded"); err != nil || got != big {
		t.Fatalf("Get of the largest secret: %d bytes, %v", len(got), err)
	}
	err := k.Set(ctx, "embedded", "Embedded", big+"s")
	wantCode(t, err, backend.EINVALID, nil)
	if strings.Contains(err.Error(), big) {
		t.Error("the error carries the secret")
	}
	if got, _ := k.Get(ctx, "embedded"); got != big {
		t.Error("a refused Set changed the saved secret")
	}
	wantCode(t, k.Set(ctx, "embedded", "Embedded", ""), backend.EINVALID, nil)
	wantCode(t, k.Set(ctx, "", "Embedded", "x"), backend.EINVALID, nil)
	_, err = k.Get(ctx, strings.Repeat("i", keyring.MaxIDBytes+1))
	wantCode(t, err, backend.EINVALID, nil)
	wantCode(t, k.Set(ctx, "embedded", strings.Repeat("l", keyring.MaxLabelBytes+1), "x"), backend.EINVALID, nil)
}

// TestTestKeyringIsPrivate guards the helper itself: the test keyring lives
// under its own HOME, never the person's.
func TestTestKeyringIsPrivate(t *testing.T) {
	bus := startKeyring(t)
	if err := keyring.New().Set(context.Background(), "embedded", "E", "private"); err != nil {
		t.Fatal(err)
	}
	var home string
	for _, kv := range bus.Env() {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	if real, _ := os.UserHomeDir(); home == "" || home == real {
		t.Fatalf("test keyring HOME = %q", home)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "keyrings", "login.keyring")); err != nil {
		t.Errorf("the test keyring's file is not under its own HOME: %v", err)
	}
}
