// Package analysis is the small framework that detectors are written in, after
// golang.org/x/tools/go/analysis: an Analyzer has a name, a doc line, the
// analyzers whose results it needs, the type of the result it returns, and a
// Run function over a Pass that reports Findings.
//
// Results are typed: an analyzer declares its ResultType, the framework
// checks every returned value against it, and dependents read it with
// ResultOf, never by name. Detectors never print; the report package renders
// what they found.
package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"appxray/app"
	"appxray/knowledge"
	"appxray/scan"
)

// Finding, Evidence, Confidence and Severity are the scan document's types:
// what an analyzer reports is what the report shows.
type (
	Finding    = scan.Finding
	Evidence   = scan.Evidence
	Confidence = scan.Confidence
	Severity   = knowledge.Severity
)

// Severities, from most to least serious.
const (
	High   = knowledge.SeverityHigh
	Medium = knowledge.SeverityMedium
	Low    = knowledge.SeverityLow
	Info   = knowledge.SeverityInfo
)

// An Analyzer is one detector or one shared index.
type Analyzer struct {
	Name     string
	Doc      string
	Requires []*Analyzer
	// ResultType is the type of the value Run returns (nil when it returns
	// none). The framework checks it, so that ResultOf cannot be wrong.
	ResultType reflect.Type
	// Run does the work. It returns a value of ResultType for dependent
	// analyzers and for the report; findings go through Pass.Report. A
	// result may be partial: work cut at a limit is recorded with Pass.Cut
	// and the result still returned, so dependents go on with what was read.
	Run func(*Pass) (any, error)
}

func (a *Analyzer) String() string { return a.Name }

// TypeOf is the reflect.Type of T, for Analyzer.ResultType.
func TypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// Config carries what a run needs besides the app.
type Config struct {
	// Trackers replaces or extends the built-in tracker table (--trackers).
	Trackers *knowledge.TrackerMatcher
	// Workers bounds the concurrency of one run: at most this many
	// analyzers run at once, and Pass.Workers tells the analyzers that
	// split their own work how many goroutines to use. 1 runs everything
	// in sequence on one goroutine, as a batch that scans several apps at
	// once wants; 0 means every analyzer whose requirements are done runs
	// at once, each splitting its work over GOMAXPROCS goroutines.
	Workers int
}

// Pass is one analyzer's view of the run.
type Pass struct {
	Analyzer *Analyzer
	// App is the opened app: its Parts for an Android app (APK, split
	// set, App Bundle, DEX, JAR), its IOS model for an iOS app (which has
	// no Parts; the iOS analyzers reach it through detect/ios's Model).
	App     *app.App
	Context context.Context
	Config  *Config

	deps map[*Analyzer]any
	run  *runState
}

// runState is shared by the passes of one run.
type runState struct {
	mu       sync.Mutex
	findings []Finding
	cuts     []Cut
	misuse   map[*Analyzer][]string
}

// Cut is work an analyzer stopped short of (a limit reached, a part it
// could not read) while still returning a result from the rest.
type Cut struct {
	Analyzer string
	Where    string // the part: "classes3.dex", "res/layout/a.xml"…
	Err      error
}

func (c Cut) Error() string {
	return c.Analyzer + ": " + c.Where + ": " + c.Err.Error()
}

// ResultOf returns the result of an analyzer the pass's analyzer requires.
// Asking for one it does not require, or with the wrong type, is a
// programming error: it panics, and the framework turns the panic into the
// analyzer's error.
func ResultOf[T any](p *Pass, a *Analyzer) T {
	v, ok := p.deps[a]
	if !ok {
		panic(fmt.Sprintf("analysis: %s reads the result of %s, which it does not require", p.Analyzer.Name, a.Name))
	}
	if want := reflect.TypeFor[T](); a.ResultType != want {
		panic(fmt.Sprintf("analysis: %s reads the result of %s as %v; it is %v", p.Analyzer.Name, a.Name, want, a.ResultType))
	}
	t, _ := v.(T)
	return t
}

// Report records a finding. A finding whose category is not in the
// taxonomy, or whose severity or confidence is not one of the known
// levels, is refused and becomes an error of the analyzer: the report
// never carries a claim in a vocabulary it cannot explain. A finding
// without a severity takes its category's default.
func (p *Pass) Report(f Finding) {
	if f.Analyzer == "" {
		f.Analyzer = p.Analyzer.Name
	}
	info, ok := f.Category.Info()
	if f.Severity == "" {
		f.Severity = info.Severity
	}
	var bad string
	switch {
	case !ok:
		bad = fmt.Sprintf("reported a finding in category %q, which is not in the taxonomy", f.Category)
	case !f.Severity.Valid():
		bad = fmt.Sprintf("reported %q with severity %q", f.Title, f.Severity)
	case f.Confidence.Level.Rank() > 2:
		bad = fmt.Sprintf("reported %q with confidence %q", f.Title, f.Confidence.Level)
	case len(f.Evidence) == 0:
		bad = fmt.Sprintf("reported %q without evidence", f.Title)
	}
	p.run.mu.Lock()
	defer p.run.mu.Unlock()
	if bad != "" {
		p.run.misuse[p.Analyzer] = append(p.run.misuse[p.Analyzer], bad)
		return
	}
	f.Special = info.Special
	if f.ID == "" {
		f.ID = StableID(f)
	}
	p.run.findings = append(p.run.findings, f)
}

// Workers is the number of goroutines the analyzer may split its own work
// over (Config.Workers, or GOMAXPROCS when that is 0).
func (p *Pass) Workers() int {
	if p.Config != nil && p.Config.Workers > 0 {
		return p.Config.Workers
	}
	return max(1, runtime.GOMAXPROCS(0))
}

// Parallel runs fn(0), …, fn(n-1) on at most Workers goroutines and
// returns when every call has. Calls start in order: fn(i) has started
// before fn(i+1) does, so a call may wait for an earlier one's work.
func (p *Pass) Parallel(n int, fn func(i int)) {
	workers := min(p.Workers(), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// Cut records work the analyzer cut short; it still returns its result.
func (p *Pass) Cut(where string, err error) {
	p.run.mu.Lock()
	p.run.cuts = append(p.run.cuts, Cut{Analyzer: p.Analyzer.Name, Where: where, Err: err})
	p.run.mu.Unlock()
}

// StableID derives an ID from what a finding is about, so that the same
// finding keeps its ID from one scan (and one appxray version) to the next.
func StableID(f Finding) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", f.Analyzer, f.Category, f.Title)
	if len(f.Evidence) > 0 {
		fmt.Fprintf(h, "%s\x00%s", f.Evidence[0].Kind, f.Evidence[0].Location)
	}
	return strings.ReplaceAll(string(f.Category), ".", "-") + "-" + hex.EncodeToString(h.Sum(nil))[:10]
}

// Result is what a run produced.
type Result struct {
	Findings []Finding
	// Errors are analyzers that failed (their dependents with them); the
	// others still ran.
	Errors []error
	// Cuts are pieces of work analyzers stopped short of while still
	// returning a result.
	Cuts []Cut

	results map[*Analyzer]any
}

// Get returns an analyzer's result from a finished run; ok is false if the
// analyzer did not run or failed. Like ResultOf it panics on a type that is
// not the analyzer's ResultType.
func Get[T any](r *Result, a *Analyzer) (T, bool) {
	var zero T
	if want := reflect.TypeFor[T](); a.ResultType != want {
		panic(fmt.Sprintf("analysis: result of %s read as %v; it is %v", a.Name, want, a.ResultType))
	}
	v, ok := r.results[a]
	if !ok {
		return zero, false
	}
	t, ok := v.(T)
	return t, ok
}

// Run runs the analyzers and everything they require, each once, in
// dependency order; analyzers whose requirements are done run concurrently,
// at most cfg.Workers at once (one after the other, in plan order, when it
// is 1). It checks the whole plan before running anything.
func Run(ctx context.Context, a *app.App, cfg *Config, analyzers []*Analyzer) (*Result, error) {
	order, err := plan(analyzers)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = &Config{}
	}
	st := &runState{misuse: map[*Analyzer][]string{}}
	var (
		mu      sync.Mutex
		results = map[*Analyzer]any{}
		failed  = map[*Analyzer]error{}
		done    = map[*Analyzer]chan struct{}{}
	)
	for _, an := range order {
		done[an] = make(chan struct{})
	}
	// one runs an analyzer once its requirements are done (or ctx is
	// cancelled), holding a worker's slot while it runs.
	var slots chan struct{}
	if cfg.Workers > 1 {
		slots = make(chan struct{}, cfg.Workers)
	}
	one := func(an *Analyzer) {
		defer close(done[an])
		deps := map[*Analyzer]any{}
		for _, req := range an.Requires {
			select {
			case <-done[req]:
			case <-ctx.Done():
			}
			mu.Lock()
			err, bad := failed[req]
			deps[req] = results[req]
			mu.Unlock()
			if ctx.Err() != nil {
				err, bad = ctx.Err(), true
			}
			if bad {
				mu.Lock()
				failed[an] = fmt.Errorf("%s: requires %s: %w", an.Name, req.Name, err)
				mu.Unlock()
				return
			}
		}
		if slots != nil {
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
			}
			// A slot and the cancellation may come together (select
			// takes either): no analyzer starts once the run is cancelled.
			if err := ctx.Err(); err != nil {
				mu.Lock()
				failed[an] = fmt.Errorf("%s: %w", an.Name, err)
				mu.Unlock()
				return
			}
		}
		pass := &Pass{Analyzer: an, App: a, Context: ctx, Config: cfg, deps: deps, run: st}
		res, err := safeRun(an, pass)
		if err == nil {
			err = checkResult(an, res)
		}
		mu.Lock()
		if err != nil {
			failed[an] = err
		} else {
			results[an] = res
		}
		mu.Unlock()
	}
	if cfg.Workers == 1 {
		// Plan order puts every analyzer after what it requires.
		for _, an := range order {
			one(an)
		}
	} else {
		var wg sync.WaitGroup
		for _, an := range order {
			wg.Go(func() { one(an) })
		}
		wg.Wait()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := &Result{results: results, Cuts: st.cuts}
	for _, an := range order {
		if err, ok := failed[an]; ok {
			out.Errors = append(out.Errors, err)
		}
		for _, m := range st.misuse[an] {
			out.Errors = append(out.Errors, fmt.Errorf("%s: %s", an.Name, m))
		}
	}
	sort.SliceStable(out.Cuts, func(i, j int) bool {
		if out.Cuts[i].Analyzer != out.Cuts[j].Analyzer {
			return out.Cuts[i].Analyzer < out.Cuts[j].Analyzer
		}
		return out.Cuts[i].Where < out.Cuts[j].Where
	})
	sortFindings(st.findings)
	out.Findings = dedupe(st.findings)
	return out, nil
}

// checkResult holds an analyzer to its declared ResultType.
func checkResult(an *Analyzer, res any) error {
	switch {
	case an.ResultType == nil && res != nil:
		return fmt.Errorf("%s: returned a %T but declares no result type", an.Name, res)
	case an.ResultType != nil && res == nil:
		return fmt.Errorf("%s: returned no result; it declares %v", an.Name, an.ResultType)
	case an.ResultType != nil && reflect.TypeOf(res) != an.ResultType:
		return fmt.Errorf("%s: returned a %T; it declares %v", an.Name, res, an.ResultType)
	}
	return nil
}

// safeRun turns a detector's panic into that detector's error: one faulty
// detector must not take the whole report with it.
func safeRun(an *Analyzer, p *Pass) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", an.Name, r)
		}
	}()
	res, err = an.Run(p)
	if err != nil {
		err = fmt.Errorf("%s: %w", an.Name, err)
	}
	return res, err
}

// plan orders the analyzers and their requirements, and checks the plan:
// no cycles, no two analyzers of one name, every analyzer complete.
func plan(roots []*Analyzer) ([]*Analyzer, error) {
	var order []*Analyzer
	state := map[*Analyzer]int{} // 1 visiting, 2 done
	var visit func(a *Analyzer, path []string) error
	visit = func(a *Analyzer, path []string) error {
		if a == nil {
			return fmt.Errorf("analysis: nil analyzer required by %s", strings.Join(path, " -> "))
		}
		switch state[a] {
		case 1:
			return fmt.Errorf("analysis: cycle: %s", strings.Join(append(path, a.Name), " -> "))
		case 2:
			return nil
		}
		if a.Name == "" || a.Run == nil || a.Doc == "" {
			return fmt.Errorf("analysis: analyzer %q without name, doc or Run", a.Name)
		}
		state[a] = 1
		for _, r := range a.Requires {
			if err := visit(r, append(path, a.Name)); err != nil {
				return err
			}
			if r.ResultType == nil {
				return fmt.Errorf("analysis: %s requires %s, which declares no result", a.Name, r.Name)
			}
		}
		state[a] = 2
		order = append(order, a)
		return nil
	}
	names := map[string]*Analyzer{}
	for _, a := range roots {
		if err := visit(a, nil); err != nil {
			return nil, err
		}
	}
	for _, a := range order {
		if other, ok := names[a.Name]; ok && other != a {
			return nil, fmt.Errorf("analysis: two analyzers named %q", a.Name)
		}
		names[a.Name] = a
	}
	return order, nil
}

// Validate checks analyzers as Run would, without running them.
func Validate(analyzers []*Analyzer) error {
	_, err := plan(analyzers)
	return err
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.ID < b.ID
	})
}

// dedupe merges findings with the same ID, keeping every piece of evidence.
func dedupe(fs []Finding) []Finding {
	idx := map[string]int{}
	var out []Finding
	for _, f := range fs {
		if i, ok := idx[f.ID]; ok {
			out[i].Evidence = appendNew(out[i].Evidence, f.Evidence...)
			continue
		}
		idx[f.ID] = len(out)
		out = append(out, f)
	}
	return out
}

func appendNew(dst []Evidence, src ...Evidence) []Evidence {
	for _, e := range src {
		found := false
		for _, d := range dst {
			if d == e {
				found = true
				break
			}
		}
		if !found {
			dst = append(dst, e)
		}
	}
	return dst
}
