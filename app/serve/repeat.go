package serve

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// RepeatWindow is how long identical warnings and errors are counted rather
// than logged: a full disk would otherwise write one line per request. The
// first one is logged at once; the count follows when the window closes.
const RepeatWindow = time.Minute

// maxRepeatRuns bounds the distinct messages counted at once; beyond it,
// lines pass through as they come.
const maxRepeatRuns = 256

// repeatFilter is a slog.Handler that passes debug and info lines through
// and summarises runs of identical warnings and errors: same level, message
// and attributes.
type repeatFilter struct {
	next   slog.Handler
	prefix string // attributes and groups added with WithAttrs/WithGroup
	runs   *repeatRuns
}

type repeatRuns struct {
	window time.Duration
	mu     sync.Mutex
	runs   map[string]*repeatRun
	closed bool
}

type repeatRun struct {
	next   slog.Handler
	record slog.Record // the first of the run
	count  int         // repeats after it
	timer  *time.Timer
}

func newRepeatFilter(next slog.Handler, window time.Duration) *repeatFilter {
	return &repeatFilter{next: next, runs: &repeatRuns{window: window, runs: make(map[string]*repeatRun)}}
}

func (h *repeatFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *repeatFilter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return h.next.Handle(ctx, r)
	}
	var key strings.Builder
	fmt.Fprintf(&key, "%s\x00%s\x00%s", h.prefix, r.Level, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&key, "\x00%s=%v", a.Key, a.Value)
		return true
	})
	k := key.String()
	rs := h.runs
	rs.mu.Lock()
	if run, ok := rs.runs[k]; ok {
		run.count++
		rs.mu.Unlock()
		return nil
	}
	if !rs.closed && len(rs.runs) < maxRepeatRuns {
		run := &repeatRun{next: h.next, record: r.Clone()}
		rs.runs[k] = run
		run.timer = time.AfterFunc(rs.window, func() { rs.end(k) })
	}
	rs.mu.Unlock()
	return h.next.Handle(ctx, r)
}

// end closes the run under key, logging how often it repeated.
func (rs *repeatRuns) end(key string) {
	rs.mu.Lock()
	run, ok := rs.runs[key]
	delete(rs.runs, key)
	rs.mu.Unlock()
	if ok && run.count > 0 {
		r := run.record
		sum := slog.NewRecord(time.Now(), r.Level, fmt.Sprintf("%s (repeated %d more times within %s)", r.Message, run.count, rs.window), 0)
		r.Attrs(func(a slog.Attr) bool { sum.AddAttrs(a); return true })
		_ = run.next.Handle(context.Background(), sum)
	}
}

// flush ends every run now (at shutdown), so no count is lost.
func (h *repeatFilter) flush() {
	rs := h.runs
	rs.mu.Lock()
	rs.closed = true
	keys := make([]string, 0, len(rs.runs))
	for k, run := range rs.runs {
		run.timer.Stop()
		keys = append(keys, k)
	}
	rs.mu.Unlock()
	for _, k := range keys {
		rs.end(k)
	}
}

func (h *repeatFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	for _, a := range attrs {
		fmt.Fprintf(&b, "\x00%s=%v", a.Key, a.Value)
	}
	return &repeatFilter{next: h.next.WithAttrs(attrs), prefix: h.prefix + b.String(), runs: h.runs}
}

func (h *repeatFilter) WithGroup(name string) slog.Handler {
	return &repeatFilter{next: h.next.WithGroup(name), prefix: h.prefix + "\x00[" + name + "]", runs: h.runs}
}
