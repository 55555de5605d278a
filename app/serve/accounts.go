package serve

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/authdesk/authdesk/backend"
)

// NoUsersError is Run's refusal to serve a data folder without accounts:
// nobody could sign in, and the first account must not be the demo one.
type NoUsersError struct{ DataDir string }

func (e *NoUsersError) Error() string {
	dir := e.DataDir
	if dir == "" {
		dir = "the data folder"
	}
	return fmt.Sprintf(`%s has no users yet, so nobody could sign in. Create the first admin, then start serve again:
  authdesk --data-dir %q users add --role Admin --username NAME --first-name FIRST --last-name LAST
or let serve ask for it now:
  authdesk --data-dir %q serve --init-admin`, dir, e.DataDir, e.DataDir)
}

// DemoExposedError is Run's refusal to offer the demo account beyond this
// computer while its password is still the published one.
type DemoExposedError struct{ Addr string }

func (e *DemoExposedError) Error() string {
	return fmt.Sprintf(`the demo account "test" still has the password "test", and %s is reachable from other computers: anyone there could sign in as an Admin. Change its password (authdesk users passwd test) or remove it (authdesk users remove test), or serve on 127.0.0.1 only`, e.Addr)
}

func (o *Options) checkUsers(ctx context.Context) error {
	if o.Users == nil {
		return nil
	}
	users, err := o.Users.Users(ctx)
	if err != nil {
		return fmt.Errorf("cannot read the accounts: %s", backend.ErrorMessage(err))
	}
	if len(users) == 0 {
		return &NoUsersError{DataDir: o.DataDir}
	}
	return nil
}

// checkDemo refuses non-loopback addresses while the demo account has its
// default password, and warns on loopback.
func (o *Options) checkDemo(ctx context.Context, log *slog.Logger, addr net.Addr, loopback bool) error {
	demo, ok := o.Auth.(backend.DemoAccountChecker)
	if !ok {
		return nil
	}
	active, err := demo.DemoAccountActive(ctx)
	if err != nil {
		return fmt.Errorf("cannot check the demo account: %s", backend.ErrorMessage(err))
	}
	if !active {
		return nil
	}
	if !loopback {
		return &DemoExposedError{Addr: addr.String()}
	}
	log.Warn(`WARNING: the demo account "test" has the password "test" and is an Admin. Anyone who can run programs on this computer can sign in with it. Change it (authdesk users passwd test) or remove it (authdesk users remove test) before serving beyond 127.0.0.1`)
	return nil
}
