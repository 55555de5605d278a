// Package keyring keeps client-side secrets (the refresh token that keeps a
// person signed in) in the operating system's credential store: the Secret
// Service over D-Bus on Linux and the BSDs (GNOME Keyring, KWallet, KeePassXC),
// Windows Credential Manager and the macOS Keychain.
//
// There is one entry per backend. Its lookup key is the backend's ID, so a
// lookup is exact; its label, where the store shows one, is
// "AuthDesk — <backend label>" so a person recognises it in Seahorse or
// Credential Manager.
//
// Every call is bounded (Timeout, 3 s by default): a keyring that waits on an
// unlock prompt nobody answers, or a D-Bus peer that hangs, makes the call fail
// with EUNAVAILABLE instead of hanging the app. Errors are *backend.Error values
// whose cause is one of the Err* values below, so a caller can tell "no
// keyring here" from "locked" with errors.Is. Secrets never appear in errors
// or logs.
package keyring

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authdesk/authdesk/backend"
)

// Service names AuthDesk's entries: the Secret Service "service" attribute,
// the first part of the Windows target name ("AuthDesk:<backend ID>"), the
// macOS Keychain service.
const Service = "AuthDesk"

// LabelPrefix starts every entry's label: "AuthDesk — Embedded (offline)".
const LabelPrefix = "AuthDesk — "

// DefaultTimeout bounds each call when Keyring.Timeout is zero.
const DefaultTimeout = 3 * time.Second

// Limits, checked before the keyring is asked. MaxSecretBytes is what Windows
// Credential Manager accepts (CRED_MAX_CREDENTIAL_BLOB_SIZE); it applies on
// every OS so a secret that fits on one fits on all.
const (
	MaxSecretBytes = 2560
	MaxIDBytes     = 1024
	MaxLabelBytes  = 1024
)

// Causes carried by the errors this package returns (test with errors.Is).
var (
	// ErrNotFound: the keyring works and holds no entry for this backend.
	ErrNotFound = errors.New("no keyring entry")
	// ErrNoSession: there is no D-Bus session bus to reach a keyring through.
	ErrNoSession = errors.New("no D-Bus session bus")
	// ErrNoService: the session bus has nothing providing the Secret Service.
	ErrNoService = errors.New("no Secret Service on the session bus")
	// ErrLocked: the keyring is locked and unlocking it was refused or failed.
	ErrLocked = errors.New("keyring locked, unlock refused")
	// ErrNeedsUnlock: the keyring is locked and the call was not allowed to
	// show the unlock prompt (see WithPrompt). errors.Is(err, ErrLocked) holds
	// for it too.
	ErrNeedsUnlock = fmt.Errorf("%w: unlocking it needs a prompt, and this call may not show one", ErrLocked)
	// ErrTimeout: the keyring did not answer in time (often: an unanswered
	// unlock prompt).
	ErrTimeout = errors.New("keyring did not answer in time")
	// ErrNoCollection: the Secret Service has no default collection to save into.
	ErrNoCollection = errors.New("keyring has no default collection")
	// ErrUnsupported: this OS has no credential store AuthDesk can use.
	ErrUnsupported = errors.New("no supported credential store on this OS")
	// ErrFailed: the keyring answered with an error of its own.
	ErrFailed = errors.New("keyring call failed")
)

// messages are what a person reads for each cause.
var messages = map[error]string{
	ErrNotFound:     "The system keyring has no saved sign-in for this backend",
	ErrNoSession:    "No system keyring was found: there is no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set, or nothing answers there)",
	ErrNoService:    "No system keyring was found: nothing on the D-Bus session provides the Secret Service (install GNOME Keyring or KWallet)",
	ErrLocked:       "The system keyring is locked and unlocking it was refused",
	ErrNeedsUnlock:  "The system keyring is locked (unlock it, e.g. in Seahorse, and your sign-in moves there the next time it is saved)",
	ErrNoCollection: "The system keyring has no default collection to save into (create one, e.g. \"Login\", in Seahorse)",
	ErrUnsupported:  "No system keyring was found: AuthDesk cannot use a credential store on this operating system",
	ErrFailed:       "The system keyring could not be used",
}

// provider is one OS's credential store. Its methods may ignore ctx's
// deadline (the Keyring enforces it) but must not return the secret in
// errors.
type provider interface {
	available(ctx context.Context) error
	get(ctx context.Context, id string) (string, error)
	set(ctx context.Context, id, label, secret string) error
	delete(ctx context.Context, id string) error
}

// Keyring is the OS credential store. The zero value is not usable; call New.
// Its methods are safe for concurrent use.
type Keyring struct {
	// Timeout bounds every call; zero means DefaultTimeout.
	Timeout time.Duration

	p provider
}

// New returns the keyring for this OS. It does not contact the keyring:
// call Available for that.
func New() *Keyring { return &Keyring{p: newProvider()} }

// Available reports whether a usable keyring is there now: nil, or an
// EUNAVAILABLE error whose cause is ErrNoSession, ErrNoService, ErrLocked
// (ErrNeedsUnlock), ErrNoCollection, ErrTimeout, ErrUnsupported or ErrFailed.
// A locked keyring is unlocked only if ctx allows a prompt (WithPrompt).
func (k *Keyring) Available(ctx context.Context) error {
	_, err := call(k, ctx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, k.p.available(ctx)
	})
	return err
}

// Get returns the secret saved for backendID. An absent entry is an
// ENOTFOUND error (cause ErrNotFound), distinct from an unusable keyring
// (EUNAVAILABLE).
func (k *Keyring) Get(ctx context.Context, backendID string) (string, error) {
	if err := checkID(backendID); err != nil {
		return "", err
	}
	return call(k, ctx, func(ctx context.Context) (string, error) { return k.p.get(ctx, backendID) })
}

// Set saves secret for backendID, replacing any earlier one, under the label
// "AuthDesk — <label>".
func (k *Keyring) Set(ctx context.Context, backendID, label, secret string) error {
	if err := checkID(backendID); err != nil {
		return err
	}
	switch {
	case secret == "":
		return backend.Errorf(backend.EINVALID, "An empty secret cannot be saved in the system keyring")
	case len(secret) > MaxSecretBytes:
		return backend.Errorf(backend.EINVALID, "The secret is %d bytes; the system keyring takes at most %d", len(secret), MaxSecretBytes)
	case len(label) > MaxLabelBytes:
		return backend.Errorf(backend.EINVALID, "The keyring entry's name must be at most %d bytes", MaxLabelBytes)
	}
	if label == "" {
		label = backendID
	}
	_, err := call(k, ctx, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, k.p.set(ctx, backendID, LabelPrefix+label, secret)
	})
	return err
}

// Delete removes backendID's entry. Removing an absent entry is not an error.
func (k *Keyring) Delete(ctx context.Context, backendID string) error {
	if err := checkID(backendID); err != nil {
		return err
	}
	_, err := call(k, ctx, func(ctx context.Context) (struct{}, error) {
		err := k.p.delete(ctx, backendID)
		if errors.Is(err, ErrNotFound) {
			err = nil
		}
		return struct{}{}, err
	})
	return err
}

type promptKey struct{}

// WithPrompt marks ctx as coming from something the person is doing right
// now (signing in, a button in Settings): if the keyring is locked, its
// unlock prompt is shown and the call waits up to wait for the answer. Without
// it, a locked keyring fails at once with ErrNeedsUnlock and nothing appears
// on screen, so a background token refresh never pops up a password dialog.
func WithPrompt(ctx context.Context, wait time.Duration) context.Context {
	return context.WithValue(ctx, promptKey{}, wait)
}

// promptWait returns how long a prompt may wait, and whether one may be shown.
func promptWait(ctx context.Context) (time.Duration, bool) {
	wait, ok := ctx.Value(promptKey{}).(time.Duration)
	return wait, ok
}

func checkID(id string) error {
	switch {
	case id == "":
		return backend.Errorf(backend.EINVALID, "A keyring entry needs a backend ID")
	case len(id) > MaxIDBytes:
		return backend.Errorf(backend.EINVALID, "A backend ID must be at most %d bytes", MaxIDBytes)
	}
	return nil
}

// call runs f under the keyring's timeout and turns what comes back into a
// *backend.Error. f runs in its own goroutine so that a provider blocked in a
// call that takes no context (Windows, macOS) cannot hold the caller past the
// deadline; the D-Bus provider honours ctx and returns promptly.
func call[T any](k *Keyring, ctx context.Context, f func(context.Context) (T, error)) (T, error) {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if wait, ok := promptWait(ctx); ok && wait > timeout {
		timeout = wait
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: a late answer must not block forever
	go func() {
		v, err := f(ctx)
		done <- result{v, err}
	}()
	var zero T
	select {
	case r := <-done:
		if r.err != nil {
			if ctx.Err() != nil && !isClassified(r.err) {
				return zero, timeoutError(timeout, r.err)
			}
			return zero, classify(r.err)
		}
		return r.v, nil
	case <-ctx.Done():
		return zero, timeoutError(timeout, ctx.Err())
	}
}

func timeoutError(timeout time.Duration, cause error) error {
	return backend.Wrap(backend.EUNAVAILABLE, fmt.Errorf("%w: %w", ErrTimeout, cause),
		"The system keyring did not answer within %s (it may be waiting for its unlock prompt)", timeout)
}

// isClassified reports whether err already names one of the causes above.
func isClassified(err error) bool {
	for cause := range messages {
		if errors.Is(err, cause) {
			return true
		}
	}
	return errors.Is(err, ErrTimeout)
}

// classify turns a provider error into a *backend.Error with a readable
// message and the provider's error kept (for the log) as the cause.
func classify(err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	if errors.Is(err, ErrTimeout) {
		return backend.Wrap(backend.EUNAVAILABLE, err, "The system keyring did not answer in time (it may be waiting for its unlock prompt)")
	}
	if errors.Is(err, ErrNotFound) {
		return backend.Wrap(backend.ENOTFOUND, err, "%s", messages[ErrNotFound])
	}
	for _, cause := range []error{ErrNoSession, ErrNoService, ErrNeedsUnlock, ErrLocked, ErrNoCollection, ErrUnsupported} {
		if errors.Is(err, cause) {
			return backend.Wrap(backend.EUNAVAILABLE, err, "%s", messages[cause])
		}
	}
	if !errors.Is(err, ErrFailed) {
		err = fmt.Errorf("%w: %w", ErrFailed, err)
	}
	return backend.Wrap(backend.EUNAVAILABLE, err, "%s", messages[ErrFailed])
}
