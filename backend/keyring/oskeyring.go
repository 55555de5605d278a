//go:build windows || darwin

package keyring

// Windows Credential Manager and the macOS Keychain through
// zalando/go-keyring: a generic credential with target "AuthDesk:<backend ID>"
// on Windows, a generic password with service "AuthDesk" and account
// <backend ID> on macOS. Neither call takes a context; the Keyring's timeout
// still bounds the caller.

import (
	"context"
	"errors"
	"fmt"

	zk "github.com/zalando/go-keyring"
)

type osKeyring struct{}

func newProvider() provider { return osKeyring{} }

// probeID names an entry that is never written: looking it up answers
// "is the store usable" without touching a real entry.
const probeID = "availability-probe"

func wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, zk.ErrNotFound):
		return ErrNotFound
	default:
		return fmt.Errorf("%w: %w", ErrFailed, err)
	}
}

func (osKeyring) available(context.Context) error {
	if _, err := zk.Get(Service, probeID); err != nil && !errors.Is(err, zk.ErrNotFound) {
		return wrap(err)
	}
	return nil
}

func (osKeyring) get(_ context.Context, id string) (string, error) {
	s, err := zk.Get(Service, id)
	return s, wrap(err)
}

// set cannot give the entry a label: both stores name it by service and
// account, which read "AuthDesk" and the backend ID.
func (osKeyring) set(_ context.Context, id, _, secret string) error {
	return wrap(zk.Set(Service, id, secret))
}

func (osKeyring) delete(_ context.Context, id string) error {
	return wrap(zk.Delete(Service, id))
}
