package batch

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress shows how the batch goes: on a terminal one line redrawn in
// place, with a bar, files done, elapsed and remaining time and apps per
// minute; elsewhere (a log, CI) one line per file.
//
// The bar is drawn here rather than by a progress-bar library: the one
// the batch used (schollz/progressbar) links net/http, whose package
// initialisers every scan process then paid at start-up, for a line of text.
type progress struct {
	w        io.Writer
	terminal bool
	total    int
	n        int
	start    time.Time
	drawn    time.Time // when the bar was last drawn
	width    int       // the last line's width, to blank what it leaves
}

// barWidth is the bar's width in cells; redrawEvery bounds how often it is
// redrawn, so that a batch of small apps does not flood a slow terminal.
const (
	barWidth    = 30
	redrawEvery = 100 * time.Millisecond
)

func newProgress(opt Options, total int) *progress {
	p := &progress{w: opt.Progress, terminal: opt.Terminal && total > 0, total: total, start: time.Now()}
	if p.terminal {
		p.draw() // the first app may take a while
	}
	return p
}

// rate is apps per minute so far.
func (p *progress) rate() float64 {
	el := time.Since(p.start).Minutes()
	if el <= 0 {
		return 0
	}
	return float64(p.n) / el
}

func (p *progress) done(r Row) {
	p.n++
	if p.terminal {
		if p.n == p.total || time.Since(p.drawn) >= redrawEvery {
			p.draw()
		}
		return
	}
	what := r.Status
	switch {
	case r.Error != "":
		what += ": " + r.Error
	case r.Package != "":
		what += fmt.Sprintf(" %s %s", r.Package, r.VersionName)
	}
	if len(r.FailOn) > 0 {
		what += " [fail-on]"
	}
	fmt.Fprintf(p.w, "[%d/%d] %s: %s\n", p.n, p.total, r.File, what)
}

// draw redraws the bar's line in place.
func (p *progress) draw() {
	p.drawn = time.Now()
	el := time.Since(p.start)
	full := barWidth * p.n / p.total
	line := fmt.Sprintf("scanning %3d%% [%s%s] %d/%d (%s", 100*p.n/p.total,
		strings.Repeat("=", full), strings.Repeat(" ", barWidth-full), p.n, p.total, el.Round(time.Second))
	if p.n > 0 && p.n < p.total {
		left := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
		line += fmt.Sprintf(", %s left", left.Round(time.Second))
	}
	line += fmt.Sprintf(") %.0f apps/min", p.rate())
	pad := max(0, p.width-len(line))
	p.width = len(line)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
}

func (p *progress) finish() {
	if p.terminal {
		if p.n < p.total {
			p.draw() // cut short: show where it stopped
		}
		fmt.Fprintln(p.w)
	}
}
