// Package analysis is the small framework that detectors are written in, after
// golang.org/x/tools/go/analysis: an Analyzer has a name, a doc line, the
// analyzers whose results it needs, and a Run function over a Pass that
// reports Findings and may return a result for the analyzers that require it.
//
// Detectors never print; the report package renders what they found.
package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"appxray/app"
	"appxray/knowledge"
)

// An Analyzer is one detector or one shared index.
type Analyzer struct {
	Name     string
	Doc      string
	Requires []*Analyzer
	// Run does the work. It may return a result for dependent analyzers
	// (and for the report); findings go through Pass.Report.
	Run func(*Pass) (any, error)
}

// Config carries what a run needs besides the app.
type Config struct {
	// Trackers replaces or extends the built-in tracker table (--trackers).
	Trackers *knowledge.TrackerMatcher
}

// Pass is one analyzer's view of the run.
type Pass struct {
	Analyzer *Analyzer
	App      *app.App
	Context  context.Context
	Config   *Config
	// ResultOf holds the results of the analyzers this one requires.
	ResultOf map[*Analyzer]any

	mu       *sync.Mutex
	findings *[]Finding
}

// Report records a finding.
func (p *Pass) Report(f Finding) {
	if f.Analyzer == "" {
		f.Analyzer = p.Analyzer.Name
	}
	if c, ok := knowledge.CategoryByID(f.Category); ok {
		f.Special = c.Special
	}
	if f.ID == "" {
		f.ID = StableID(f)
	}
	p.mu.Lock()
	*p.findings = append(*p.findings, f)
	p.mu.Unlock()
}

// Severity orders findings for a reader.
type Severity string

// Severities, from most to least serious.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
	Info   Severity = "info"
)

// Confidence says how sure a finding is, and why.
type Confidence struct {
	Level  string `json:"level"` // high, medium, low
	Reason string `json:"reason"`
}

// Evidence kinds.
const (
	EvManifest = "manifest"
	EvCode     = "code"
	EvLayout   = "layout"
	EvResource = "resource"
	EvAsset    = "asset"
	EvNative   = "native"
)

// Evidence names a place a reader can check.
type Evidence struct {
	Kind     string `json:"kind"`
	Location string `json:"location"`
	Detail   string `json:"detail,omitempty"`
}

// Finding is one claim about the app, with its evidence.
type Finding struct {
	ID         string     `json:"id"`
	Category   string     `json:"category"`
	Special    bool       `json:"special"`
	Title      string     `json:"title"`
	Severity   Severity   `json:"severity"`
	Confidence Confidence `json:"confidence"`
	Evidence   []Evidence `json:"evidence"`
	// SDK names the third-party SDK the evidence lies in, "" for the app's
	// own code or for evidence outside code.
	SDK      string `json:"sdk,omitempty"`
	Analyzer string `json:"analyzer"`
}

// StableID derives an ID from what a finding is about, so that the same
// finding keeps its ID from one scan (and one appxray version) to the next.
func StableID(f Finding) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", f.Analyzer, f.Category, f.Title)
	if len(f.Evidence) > 0 {
		fmt.Fprintf(h, "%s\x00%s", f.Evidence[0].Kind, f.Evidence[0].Location)
	}
	return strings.ReplaceAll(f.Category, ".", "-") + "-" + hex.EncodeToString(h.Sum(nil))[:10]
}

// Result is what a run produced.
type Result struct {
	Findings []Finding
	// Results holds every analyzer's returned value, by analyzer name.
	Results map[string]any
	// Errors are analyzers that failed; the others still ran.
	Errors []error
}

// Run runs the analyzers and everything they require, each once, in
// dependency order; analyzers whose requirements are done run concurrently.
func Run(ctx context.Context, a *app.App, cfg *Config, analyzers []*Analyzer) (*Result, error) {
	order, err := plan(analyzers)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = &Config{}
	}
	var (
		mu       sync.Mutex
		findings []Finding
		results  = map[*Analyzer]any{}
		failed   = map[*Analyzer]error{}
		done     = map[*Analyzer]chan struct{}{}
	)
	for _, an := range order {
		done[an] = make(chan struct{})
	}
	var wg sync.WaitGroup
	for _, an := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
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
			pass := &Pass{Analyzer: an, App: a, Context: ctx, Config: cfg, ResultOf: deps, mu: &mu, findings: &findings}
			res, err := safeRun(an, pass)
			mu.Lock()
			if err != nil {
				failed[an] = err
			} else {
				results[an] = res
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := &Result{Results: map[string]any{}}
	for _, an := range order {
		if err, ok := failed[an]; ok {
			out.Errors = append(out.Errors, err)
		} else {
			out.Results[an.Name] = results[an]
		}
	}
	sortFindings(findings)
	out.Findings = dedupe(findings)
	return out, nil
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

func plan(roots []*Analyzer) ([]*Analyzer, error) {
	var order []*Analyzer
	state := map[*Analyzer]int{} // 1 visiting, 2 done
	var visit func(a *Analyzer, path []string) error
	visit = func(a *Analyzer, path []string) error {
		switch state[a] {
		case 1:
			return fmt.Errorf("analysis: cycle: %s", strings.Join(append(path, a.Name), " -> "))
		case 2:
			return nil
		}
		if a.Name == "" || a.Run == nil {
			return errors.New("analysis: analyzer without name or Run")
		}
		state[a] = 1
		for _, r := range a.Requires {
			if err := visit(r, append(path, a.Name)); err != nil {
				return err
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

var severityRank = map[Severity]int{High: 0, Medium: 1, Low: 2, Info: 3}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if severityRank[a.Severity] != severityRank[b.Severity] {
			return severityRank[a.Severity] < severityRank[b.Severity]
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
