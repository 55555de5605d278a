package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// plainEvery is how often progress is printed as a plain line when stderr is
// not a terminal (a log file, a CI job); tests shorten it.
var plainEvery = 2 * time.Second

// barEvery is how often the terminal bar is redrawn; tests shorten it.
var barEvery = 100 * time.Millisecond

// progress shows how far a long operation has come on stderr: a bar redrawn
// in place on a terminal (count, rate, ETA), plain periodic lines otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	what  string // "records"
	total int64  // bytes to read; 0 when unknown (standard input)
	now   func() time.Time
	start time.Time
	last  time.Time
	count int
	off   int64
	onBar bool // the bar is drawn and the cursor is at its end
	lines bool // a plain progress line was printed
	width int  // the longest text on the bar line since it was last cleared
}

func newProgress(w io.Writer, what string, total int64) *progress {
	p := &progress{w: w, tty: IsTerminal(w), what: what, total: total, now: time.Now}
	p.start = p.now()
	p.last = p.start
	return p
}

// tick records that count items and off bytes are done.
func (p *progress) tick(count int, off int64) {
	p.count, p.off = count, off
	now := p.now()
	switch {
	case p.tty && now.Sub(p.last) >= barEvery:
		p.last = now
		p.drawBar(now)
	case !p.tty && now.Sub(p.last) >= plainEvery:
		p.last = now
		p.lines = true
		fmt.Fprintf(p.w, "import: %s\n", p.status(now, false))
	}
}

// status is "52118 records read (52%, 41200/s, about 2s left)" or its bar form.
func (p *progress) status(now time.Time, bar bool) string {
	elapsed := now.Sub(p.start)
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.count) / elapsed.Seconds()
	}
	var b strings.Builder
	if bar && p.total > 0 {
		const width = 24
		done := int(width * min(p.off, p.total) / p.total)
		fmt.Fprintf(&b, "[%s%s] ", strings.Repeat("#", done), strings.Repeat("-", width-done))
	}
	fmt.Fprintf(&b, "%d %s read", p.count, p.what)
	var parts []string
	if p.total > 0 {
		parts = append(parts, fmt.Sprintf("%d%%", 100*min(p.off, p.total)/p.total))
	}
	parts = append(parts, fmt.Sprintf("%.0f/s", rate))
	if p.total > 0 && p.off > 0 && elapsed > 0 {
		left := time.Duration(float64(elapsed) * float64(p.total-min(p.off, p.total)) / float64(p.off))
		parts = append(parts, "about "+left.Round(time.Second).String()+" left")
	}
	fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	return b.String()
}

// drawBar rewrites the bar's line. It uses only carriage returns and spaces,
// no escape sequences, so it works in any console, Windows' included.
func (p *progress) drawBar(now time.Time) { p.show(p.status(now, true)) }

func (p *progress) show(s string) {
	fmt.Fprintf(p.w, "\r%s%s", s, strings.Repeat(" ", max(p.width-len(s), 0)))
	p.width = max(p.width, len(s))
	p.onBar = true
}

func (p *progress) clearBar() {
	if p.onBar {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
		p.onBar, p.width = false, 0
	}
}

// line prints a message of its own (a skipped record) without tearing the
// bar; the bar comes back at the next tick that is due, so thousands of
// skipped records do not mean thousands of redraws.
func (p *progress) line(msg string) {
	p.clearBar()
	fmt.Fprintln(p.w, msg)
}

// phase says what happens after reading (saving), replacing the bar; in
// plain mode only when the reading was long enough to show progress.
func (p *progress) phase(msg string) {
	p.clearBar()
	if p.tty {
		p.show(msg)
	} else if p.lines {
		fmt.Fprintf(p.w, "import: %s\n", msg)
	}
}

// done removes the bar.
func (p *progress) done() { p.clearBar() }
