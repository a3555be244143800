// Package gate decides whether a scan should fail a CI run: --fail-on names
// what must not be found (categories, groups, special categories, trackers,
// cleartext traffic, or a severity and above), and Match says which of them
// a report shows.
package gate

import (
	"fmt"
	"slices"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// ExitMatched is the exit code of a scan whose report matches --fail-on.
// It differs from 1 (the scan itself failed) and 2 (bad usage), so that CI
// can tell "the app does what we forbid" from "appxray could not tell".
const ExitMatched = 3

// Gate is a parsed --fail-on list.
type Gate struct {
	terms      []string
	categories map[knowledge.Category]bool
	groups     map[knowledge.Group]bool
	special    bool
	tracker    bool
	cleartext  bool
	severity   knowledge.Severity // "" for none
}

// Parse reads a comma-separated --fail-on list: category IDs
// ("device.sms"), groups ("person", "device", "behaviour"), "special",
// "tracker", "cleartext", or a severity ("high", "medium", "low", "info")
// meaning a finding of that severity or above. An empty list never matches.
func Parse(spec string) (*Gate, error) {
	g := &Gate{categories: map[knowledge.Category]bool{}, groups: map[knowledge.Group]bool{}}
	for _, t := range strings.Split(spec, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		g.terms = append(g.terms, t)
		switch t {
		case "special":
			g.special = true
			continue
		case "tracker", "trackers":
			g.tracker = true
			continue
		case "cleartext":
			g.cleartext = true
			continue
		case string(knowledge.GroupPerson), string(knowledge.GroupDevice), string(knowledge.GroupBehaviour):
			g.groups[knowledge.Group(t)] = true
			continue
		}
		if s := knowledge.Severity(t); s.Valid() {
			if g.severity == "" || s.Rank() > g.severity.Rank() {
				g.severity = s
			}
			continue
		}
		if c := knowledge.Category(t); c.Known() {
			g.categories[c] = true
			continue
		}
		return nil, fmt.Errorf("--fail-on: %q is no category, group, severity, special, tracker or cleartext", t)
	}
	return g, nil
}

// Empty reports whether the gate has no terms.
func (g *Gate) Empty() bool { return g == nil || len(g.terms) == 0 }

// String is the list as given.
func (g *Gate) String() string { return strings.Join(g.terms, ",") }

// Match returns why r fails the gate, one reason per term that matched
// ("device.sms: 3 findings"), or nil.
func (g *Gate) Match(r *scan.Report) []string {
	if g.Empty() {
		return nil
	}
	var out []string
	count := func(term string, keep func(scan.Finding) bool) {
		n := 0
		for _, f := range r.Findings {
			if keep(f) {
				n++
			}
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%s: %d %s", term, n, plural(n, "finding", "findings")))
		}
	}
	cats := make([]knowledge.Category, 0, len(g.categories))
	for c := range g.categories {
		cats = append(cats, c)
	}
	slices.SortFunc(cats, func(a, b knowledge.Category) int { return a.Order() - b.Order() })
	for _, c := range cats {
		count(string(c), func(f scan.Finding) bool { return f.Category == c })
	}
	for _, gr := range []knowledge.Group{knowledge.GroupPerson, knowledge.GroupDevice, knowledge.GroupBehaviour} {
		if g.groups[gr] {
			count(string(gr), func(f scan.Finding) bool { return f.Category.Group() == gr })
		}
	}
	if g.special {
		count("special", func(f scan.Finding) bool { return f.Special || f.Category.Special() })
	}
	if g.severity != "" {
		count(string(g.severity)+" or above", func(f scan.Finding) bool { return f.Severity.Rank() <= g.severity.Rank() })
	}
	if g.tracker && len(r.Trackers) > 0 {
		var names []string
		for _, t := range r.Trackers {
			names = append(names, t.Name)
		}
		out = append(out, fmt.Sprintf("tracker: %s", strings.Join(names, ", ")))
	}
	if g.cleartext {
		n := 0
		for _, f := range r.Findings {
			if f.Category == knowledge.BehaviourCleartext {
				n++
			}
		}
		for _, e := range r.Endpoints {
			if e.Cleartext {
				n++
			}
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("cleartext: %d %s", n, plural(n, "finding or http:// address", "findings or http:// addresses")))
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
