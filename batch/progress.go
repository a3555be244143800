package batch

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how the batch goes: on a terminal a bar with files done,
// apps per minute and time left; elsewhere (a log, CI) one line per file.
type progress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	total int
	n     int
	start time.Time
}

func newProgress(opt Options, total int) *progress {
	p := &progress{w: opt.Progress, total: total, start: time.Now()}
	if opt.Terminal && total > 0 {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(opt.Progress),
			progressbar.OptionSetDescription("scanning"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(opt.Progress) }),
		)
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
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%.0f apps/min", p.rate()))
		_ = p.bar.Add(1)
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

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
