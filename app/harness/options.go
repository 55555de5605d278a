package harness

import (
	"io"
	"io/fs"
	"log/slog"
)

// Options configure the browser test harness.
type Options struct {
	Addr   string  // listen address, loopback only, e.g. "127.0.0.1:0"
	Assets fs.FS   // the built frontend (frontend/dist), index.html at its root
	Bound  []any   // the same bound structs the window gets
	Broker *Broker // the Runtime the bound structs were given
	Log    *slog.Logger
	Ready  io.Writer // gets one line "harness listening on http://ADDR/" once serving
}
