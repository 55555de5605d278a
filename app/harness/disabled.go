//go:build !harness

package harness

import (
	"context"
	"errors"
)

// Enabled is false in normal builds: the harness is compiled only with
// `-tags harness`, so the shipped binary has no test server in it.
const Enabled = false

// Serve is unavailable without the harness build tag.
func Serve(ctx context.Context, opts Options) error {
	return errors.New("this build has no test harness (build with -tags harness)")
}
