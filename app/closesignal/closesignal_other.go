//go:build !windows

package closesignal

import "context"

// Notify returns ctx: outside Windows, os/signal already covers closing.
func Notify(ctx context.Context, _ string) (context.Context, func()) {
	return ctx, func() {}
}
