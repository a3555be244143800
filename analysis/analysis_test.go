package analysis

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"appxray/app"
	"appxray/knowledge"
	"appxray/scan"
)

func code(loc string) Evidence { return scan.DexMethod("classes.dex", loc, "") }

func TestRunOrderResultsAndFailures(t *testing.T) {
	var order []string
	base := &Analyzer{Name: "base", Doc: "d", ResultType: TypeOf[int](), Run: func(p *Pass) (any, error) {
		order = append(order, "base")
		return 41, nil
	}}
	user := &Analyzer{Name: "user", Doc: "d", Requires: []*Analyzer{base}, ResultType: TypeOf[int](), Run: func(p *Pass) (any, error) {
		order = append(order, "user")
		n := ResultOf[int](p, base)
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "t", Severity: High, Confidence: scan.Sure("r"), Evidence: []Evidence{code("a")}})
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "t", Severity: High, Confidence: scan.Sure("r"), Evidence: []Evidence{code("a"), code("b")}})
		p.Report(Finding{Category: knowledge.PersonReligion, Title: "r", Severity: Medium, Confidence: scan.Sure("r"), Evidence: []Evidence{scan.LayoutWidget("x", "EditText", "", 0, "")}})
		return n + 1, nil
	}}
	broken := &Analyzer{Name: "broken", Doc: "d", ResultType: TypeOf[int](), Run: func(p *Pass) (any, error) { return nil, errors.New("boom") }}
	dependent := &Analyzer{Name: "dependent", Doc: "d", Requires: []*Analyzer{broken}, Run: func(p *Pass) (any, error) {
		t.Error("ran although its requirement failed")
		return nil, nil
	}}
	panicky := &Analyzer{Name: "panicky", Doc: "d", Run: func(p *Pass) (any, error) { panic("bad index") }}

	res, err := Run(context.Background(), &app.App{}, nil, []*Analyzer{user, dependent, panicky})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "base,user" {
		t.Errorf("order %v", order)
	}
	if n, ok := Get[int](res, user); !ok || n != 42 {
		t.Errorf("user result %v, %v", n, ok)
	}
	if _, ok := Get[int](res, broken); ok {
		t.Error("a failed analyzer has a result")
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings %+v", res.Findings)
	}
	sms := res.Findings[0]
	if sms.Category != "device.sms" || len(sms.Evidence) != 2 || sms.Special || sms.Analyzer != "user" || !strings.HasPrefix(sms.ID, "device-sms-") {
		t.Errorf("merged finding %+v", sms)
	}
	if !res.Findings[1].Special {
		t.Errorf("religion not marked special: %+v", res.Findings[1])
	}
	all := joinErrors(res.Errors)
	for _, want := range []string{"broken: boom", "dependent: requires broken", "panicky: internal error: bad index"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q lack %q", all, want)
		}
	}
}

func joinErrors(errs []error) string {
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return strings.Join(msgs, "\n")
}

func TestPlanRejects(t *testing.T) {
	run := func(*Pass) (any, error) { return nil, nil }
	a := &Analyzer{Name: "a", Doc: "d", ResultType: TypeOf[int](), Run: run}
	b := &Analyzer{Name: "b", Doc: "d", ResultType: TypeOf[int](), Requires: []*Analyzer{a}, Run: run}
	a.Requires = []*Analyzer{b}
	x1 := &Analyzer{Name: "x", Doc: "d", Run: run}
	x2 := &Analyzer{Name: "x", Doc: "d", Run: run}
	noResult := &Analyzer{Name: "noresult", Doc: "d", Run: run}
	needsIt := &Analyzer{Name: "needs", Doc: "d", Requires: []*Analyzer{noResult}, Run: run}
	tests := []struct {
		name  string
		roots []*Analyzer
		want  string
	}{
		{"cycle", []*Analyzer{a}, "cycle"},
		{"duplicate names", []*Analyzer{x1, x2}, "two analyzers"},
		{"nil requirement", []*Analyzer{{Name: "n", Doc: "d", Run: run, Requires: []*Analyzer{nil}}}, "nil analyzer"},
		{"no doc", []*Analyzer{{Name: "n", Run: run}}, "without name, doc or Run"},
		{"requires no result", []*Analyzer{needsIt}, "declares no result"},
	}
	for _, tt := range tests {
		if err := Validate(tt.roots); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if _, err := Run(context.Background(), &app.App{}, nil, tt.roots); err == nil {
			t.Errorf("%s: Run accepted the plan", tt.name)
		}
	}
}

// An analyzer is held to its declared result type, and ResultOf to the
// analyzers a pass requires.
func TestResultTypesChecked(t *testing.T) {
	wrongType := &Analyzer{Name: "wrong", Doc: "d", ResultType: TypeOf[int](), Run: func(*Pass) (any, error) { return "forty-two", nil }}
	missing := &Analyzer{Name: "missing", Doc: "d", ResultType: TypeOf[*int](), Run: func(*Pass) (any, error) { return nil, nil }}
	undeclared := &Analyzer{Name: "undeclared", Doc: "d", Run: func(*Pass) (any, error) { return 1, nil }}
	other := &Analyzer{Name: "other", Doc: "d", ResultType: TypeOf[int](), Run: func(*Pass) (any, error) { return 1, nil }}
	sneaky := &Analyzer{Name: "sneaky", Doc: "d", Run: func(p *Pass) (any, error) {
		_ = ResultOf[int](p, other) // not required
		return nil, nil
	}}
	misread := &Analyzer{Name: "misread", Doc: "d", Requires: []*Analyzer{other}, Run: func(p *Pass) (any, error) {
		_ = ResultOf[string](p, other)
		return nil, nil
	}}
	res, err := Run(context.Background(), &app.App{}, nil, []*Analyzer{wrongType, missing, undeclared, other, sneaky, misread})
	if err != nil {
		t.Fatal(err)
	}
	all := joinErrors(res.Errors)
	for _, want := range []string{
		"wrong: returned a string; it declares int",
		"missing: returned no result; it declares *int",
		"undeclared: returned a int but declares no result type",
		"sneaky: internal error: analysis: sneaky reads the result of other, which it does not require",
		"misread: internal error: analysis: misread reads the result of other as string; it is int",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q lack %q", all, want)
		}
	}
	if n, ok := Get[int](res, other); !ok || n != 1 {
		t.Errorf("other = %v, %v", n, ok)
	}
}

// Report refuses findings outside the vocabulary and says so; a finding
// without severity takes its category's default.
func TestReportVocabulary(t *testing.T) {
	an := &Analyzer{Name: "vocab", Doc: "d", Run: func(p *Pass) (any, error) {
		p.Report(Finding{Category: "device.telepathy", Title: "reads minds", Evidence: []Evidence{code("a")}})
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "sev", Severity: "critical", Evidence: []Evidence{code("a")}})
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "conf", Confidence: scan.Confidence{Level: "certain"}, Evidence: []Evidence{code("a")}})
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "noconf", Evidence: []Evidence{code("a")}})
		p.Report(Finding{Category: knowledge.DeviceSMS, Title: "bare", Confidence: scan.Sure("r")})
		p.Report(Finding{Category: knowledge.BehaviourBoot, Title: "boots", Confidence: scan.Weak("r"), Evidence: []Evidence{code("b")}})
		p.Cut("classes2.dex", errors.New("over the work limit"))
		return nil, nil
	}}
	res, err := Run(context.Background(), &app.App{}, nil, []*Analyzer{an})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].Title != "boots" || res.Findings[0].Severity != Low {
		t.Errorf("findings %+v", res.Findings)
	}
	all := joinErrors(res.Errors)
	for _, want := range []string{`category "device.telepathy", which is not in the taxonomy`, `severity "critical"`, `confidence "certain"`, `"noconf" with confidence ""`, `"bare" without evidence`} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q lack %q", all, want)
		}
	}
	if len(res.Cuts) != 1 || res.Cuts[0].Error() != "vocab: classes2.dex: over the work limit" {
		t.Errorf("cuts %v", res.Cuts)
	}
}

func TestStableID(t *testing.T) {
	f := Finding{Analyzer: "a", Category: "device.sms", Title: "t", Evidence: []Evidence{code("l")}}
	g := f
	g.Evidence = append([]Evidence{}, f.Evidence...)
	g.Evidence = append(g.Evidence, code("other"))
	if StableID(f) != StableID(g) {
		t.Error("ID depends on more than the first evidence")
	}
	g.Title = "u"
	if StableID(f) == StableID(g) {
		t.Error("ID ignores the title")
	}
}

// TestWorkers checks Config.Workers: with 1, analyzers run one at a time on
// the caller's goroutine in plan order; with 2, never more than two run at
// once; either way the results and findings are those of an unbounded run.
func TestWorkers(t *testing.T) {
	var mu sync.Mutex
	running, most := 0, 0
	enter := func() {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
	}
	var leaves []*Analyzer
	for i := range 6 {
		leaves = append(leaves, &Analyzer{Name: fmt.Sprint("leaf", i), Doc: "d", ResultType: TypeOf[int](), Run: func(p *Pass) (any, error) {
			enter()
			p.Report(Finding{Category: knowledge.DeviceSMS, Title: fmt.Sprint("t", i), Severity: High, Confidence: scan.Sure("r"), Evidence: []Evidence{code("a")}})
			return i, nil
		}})
	}
	sum := &Analyzer{Name: "sum", Doc: "d", Requires: leaves, ResultType: TypeOf[int](), Run: func(p *Pass) (any, error) {
		enter()
		n := 0
		for _, l := range leaves {
			n += ResultOf[int](p, l)
		}
		return n + p.Workers(), nil
	}}
	for _, w := range []int{0, 1, 2} {
		most = 0
		res, err := Run(context.Background(), &app.App{}, &Config{Workers: w}, []*Analyzer{sum})
		if err != nil {
			t.Fatal(err)
		}
		want := 15 + w
		if w == 0 {
			want = 15 + max(1, runtime.GOMAXPROCS(0))
		}
		if n, ok := Get[int](res, sum); !ok || n != want {
			t.Errorf("workers %d: sum %d, want %d", w, n, want)
		}
		if len(res.Findings) != 6 || len(res.Errors) != 0 {
			t.Errorf("workers %d: %d findings, errors %v", w, len(res.Findings), res.Errors)
		}
		if w > 0 && most > w {
			t.Errorf("workers %d: %d analyzers ran at once", w, most)
		}
	}
}

// TestWorkersCancelled checks that a bounded run stopped by its context
// returns, its waiting analyzers not run.
func TestWorkersCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := 0
	var mu sync.Mutex
	var as []*Analyzer
	for i := range 4 {
		as = append(as, &Analyzer{Name: fmt.Sprint("a", i), Doc: "d", Run: func(p *Pass) (any, error) {
			mu.Lock()
			ran++
			mu.Unlock()
			cancel()
			<-p.Context.Done()
			return nil, nil
		}})
	}
	if _, err := Run(ctx, &app.App{}, &Config{Workers: 2}, as); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
	if ran > 2 {
		t.Errorf("%d analyzers ran after the cancellation", ran)
	}
}
