package gate

import (
	"slices"
	"strings"
	"testing"

	"appxray/knowledge"
	"appxray/scan"
)

func report() *scan.Report {
	r := scan.New(scan.Tool{Name: "appxray"}, scan.File{})
	add := func(c knowledge.Category, sev knowledge.Severity) {
		r.Findings = append(r.Findings, scan.Finding{Category: c, Severity: sev, Special: c.Special()})
	}
	add(knowledge.DeviceSMS, knowledge.SeverityHigh)
	add(knowledge.DeviceSMS, knowledge.SeverityMedium)
	add(knowledge.PersonName, knowledge.SeverityMedium)
	add(knowledge.BehaviourBoot, knowledge.SeverityLow)
	return r
}

func TestMatch(t *testing.T) {
	withTracker := report()
	withTracker.Trackers = []scan.Tracker{{Name: "Umeng"}}
	clear := report()
	clear.Endpoints = []scan.Endpoint{{Host: "x", Cleartext: true}}
	for _, tt := range []struct {
		spec string
		r    *scan.Report
		want []string
	}{
		{"", report(), nil},
		{"device.sms", report(), []string{"device.sms: 2 findings"}},
		{"device.contacts", report(), nil},
		{"person", report(), []string{"person: 1 finding"}},
		{"special", report(), nil},
		{"high", report(), []string{"high or above: 1 finding"}},
		{"medium", report(), []string{"medium or above: 3 findings"}},
		{"high,low", report(), []string{"low or above: 4 findings"}}, // the lower severity covers the higher
		{"tracker", report(), nil},
		{"tracker", withTracker, []string{"tracker: Umeng"}},
		{"cleartext", report(), nil},
		{"cleartext", clear, []string{"cleartext: 1 finding or http:// address"}},
		{" device.sms , behaviour.boot ", report(), []string{"device.sms: 2 findings", "behaviour.boot: 1 finding"}},
	} {
		g, err := Parse(tt.spec)
		if err != nil {
			t.Fatalf("%q: %v", tt.spec, err)
		}
		if got := g.Match(tt.r); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.spec, got, tt.want)
		}
	}
	r := report()
	r.Findings = append(r.Findings, scan.Finding{Category: knowledge.PersonReligion, Severity: knowledge.SeverityHigh, Special: true})
	g, _ := Parse("special")
	if got := g.Match(r); !slices.Equal(got, []string{"special: 1 finding"}) {
		t.Errorf("special: %q", got)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, spec := range []string{"sms", "device.nothing", "critical", "religion"} {
		if _, err := Parse(spec); err == nil || !strings.Contains(err.Error(), spec) {
			t.Errorf("%q: err %v", spec, err)
		}
	}
}
