package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/authdesk/authdesk/app/cli"
	"github.com/authdesk/authdesk/app/control"
)

// runKeys runs `authdesk keys`: inside the AuthDesk that holds the data
// folder when one answers on its control socket (so the running backend
// signs with the new key at once), else here.
func runKeys(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code, err := control.Run(ctx, cfg.dataDir, append([]string{"keys"}, args...), stdin, stdout, stderr)
	if err == nil {
		return code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "\nauthdesk: interrupted")
		return cli.ExitError
	} else if !errors.Is(err, control.ErrNoServer) {
		fmt.Fprintln(stderr, "authdesk:", err)
		return cli.ExitError
	}
	opts := cfg.backendOptions()
	opts.NoDemoUser = true
	return cli.Keys(ctx, args, stdin, stdout, stderr, cli.OpenBoltKeys(cfg.dataDir, opts))
}
