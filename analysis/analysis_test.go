package analysis

import (
	"context"
	"errors"
	"strings"
	"testing"

	"appxray/app"
)

func TestRunOrderResultsAndFailures(t *testing.T) {
	var order []string
	base := &Analyzer{Name: "base", Doc: "d", Run: func(p *Pass) (any, error) {
		order = append(order, "base")
		return 41, nil
	}}
	user := &Analyzer{Name: "user", Doc: "d", Requires: []*Analyzer{base}, Run: func(p *Pass) (any, error) {
		order = append(order, "user")
		n := p.ResultOf[base].(int)
		p.Report(Finding{Category: "device.sms", Title: "t", Severity: High, Evidence: []Evidence{{Kind: EvCode, Location: "a"}}})
		p.Report(Finding{Category: "device.sms", Title: "t", Severity: High, Evidence: []Evidence{{Kind: EvCode, Location: "a"}, {Kind: EvCode, Location: "b"}}})
		p.Report(Finding{Category: "person.religion", Title: "r", Severity: Medium, Evidence: []Evidence{{Kind: EvLayout, Location: "x"}}})
		return n + 1, nil
	}}
	broken := &Analyzer{Name: "broken", Doc: "d", Run: func(p *Pass) (any, error) { return nil, errors.New("boom") }}
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
	if res.Results["user"] != 42 {
		t.Errorf("user result %v", res.Results["user"])
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
	var msgs []string
	for _, e := range res.Errors {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"broken: boom", "dependent: requires broken", "panicky: internal error: bad index"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q lack %q", all, want)
		}
	}
}

func TestPlanRejects(t *testing.T) {
	a := &Analyzer{Name: "a", Run: func(*Pass) (any, error) { return nil, nil }}
	b := &Analyzer{Name: "b", Requires: []*Analyzer{a}, Run: a.Run}
	a.Requires = []*Analyzer{b}
	if _, err := Run(context.Background(), &app.App{}, nil, []*Analyzer{a}); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: %v", err)
	}
	x1 := &Analyzer{Name: "x", Run: func(*Pass) (any, error) { return nil, nil }}
	x2 := &Analyzer{Name: "x", Run: x1.Run}
	if _, err := Run(context.Background(), &app.App{}, nil, []*Analyzer{x1, x2}); err == nil || !strings.Contains(err.Error(), "two analyzers") {
		t.Errorf("duplicate names: %v", err)
	}
}

func TestStableID(t *testing.T) {
	f := Finding{Analyzer: "a", Category: "device.sms", Title: "t", Evidence: []Evidence{{Kind: EvCode, Location: "l"}}}
	g := f
	g.Evidence = append([]Evidence{}, f.Evidence...)
	g.Evidence = append(g.Evidence, Evidence{Kind: EvCode, Location: "other"})
	if StableID(f) != StableID(g) {
		t.Error("ID depends on more than the first evidence")
	}
	g.Title = "u"
	if StableID(f) == StableID(g) {
		t.Error("ID ignores the title")
	}
}
