package manifest

import (
	"fmt"
	"slices"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Confidence levels.
const (
	confHigh   = scan.LevelHigh
	confMedium = scan.LevelMedium
	confLow    = scan.LevelLow
)

// surer reports whether level a is surer than b ("" is least sure).
func surer(a, b scan.Level) bool { return a.Rank() < b.Rank() }

// maxSev is the more serious of two severities, "" being the least.
func maxSev(a, b analysis.Severity) analysis.Severity {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return knowledge.MaxSeverity(a, b)
}

// collector gathers the manifest's contributions into one finding per
// category: a reader wants "SMS: requests READ_SMS; receives SMS in
// .EventReceiver" once, with all its evidence, not one finding per line.
type collector struct {
	byCat map[string]*agg
	order []string
}

type agg struct {
	cat     knowledge.Category
	sdk     string
	sev     analysis.Severity
	conf    scan.Level
	reasons []string
	// perms are the permissions that reach the category, with their
	// protection level and, for one Android grants without a request,
	// why, for the title and the reason.
	perms       []string
	permLevel   []string
	permImplied []string
	permConf    scan.Level
	permNotes   []string
	phrases     []string
	ev          []analysis.Evidence
	total       int // pieces of evidence before the cap
}

func newCollector() *collector { return &collector{byCat: map[string]*agg{}} }

// get returns the contribution for a category in the app's own
// declarations (sdk "") or in those of one SDK: a reader wants the two
// kept apart.
func (c *collector) get(cat knowledge.Category, sdk string) *agg {
	key := string(cat) + "\x00" + sdk
	a := c.byCat[key]
	if a == nil {
		a = &agg{cat: cat, sdk: sdk}
		c.byCat[key] = a
		c.order = append(c.order, key)
	}
	return a
}

func (a *agg) addEvidence(ev analysis.Evidence) {
	if slices.Contains(a.ev, ev) {
		return
	}
	a.total++
	if len(a.ev) < maxEvidence {
		a.ev = append(a.ev, ev)
	}
}

// perm records a permission that reaches cat: requested, or implied by
// Android for the reason implied.
func (c *collector) perm(cat knowledge.Category, name, level, implied string, sev analysis.Severity, conf scan.Level, ev analysis.Evidence) {
	a := c.get(cat, "")
	a.sev = maxSev(a.sev, sev)
	if surer(conf, a.permConf) {
		a.permConf = conf
	}
	if !slices.Contains(a.perms, name) {
		a.perms = append(a.perms, name)
		a.permLevel = append(a.permLevel, level)
		a.permImplied = append(a.permImplied, implied)
	}
	a.addEvidence(ev)
}

// permNote records what decided a permission's confidence for cat.
func (c *collector) permNote(cat knowledge.Category, note string) {
	a := c.get(cat, "")
	if note != "" && !slices.Contains(a.permNotes, note) {
		a.permNotes = append(a.permNotes, note)
	}
}

// fact records a declaration other than a permission request: a receiver,
// a service, an attribute.
func (c *collector) fact(cat knowledge.Category, sdk, phrase string, sev analysis.Severity, conf scan.Level, reason string, ev ...analysis.Evidence) {
	a := c.get(cat, sdk)
	a.sev = maxSev(a.sev, sev)
	if surer(conf, a.conf) {
		a.conf = conf
	}
	if phrase != "" && !slices.Contains(a.phrases, phrase) {
		a.phrases = append(a.phrases, phrase)
	}
	if reason != "" && !slices.Contains(a.reasons, reason) {
		a.reasons = append(a.reasons, reason)
	}
	for _, e := range ev {
		a.addEvidence(e)
	}
}

// maxTitleItems bounds the names listed in a title.
const maxTitleItems = 6

func listNames(names []string) string {
	if len(names) <= maxTitleItems {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxTitleItems], ", ") + fmt.Sprintf(" and %d more", len(names)-maxTitleItems)
}

// findings turns the collected contributions into findings, in the order
// the categories were first met.
func (c *collector) findings() []analysis.Finding {
	var out []analysis.Finding
	for _, key := range c.order {
		a := c.byCat[key]
		cat := a.cat
		title := cat.Title()
		var parts, reasons []string
		conf := a.conf
		if len(a.perms) > 0 {
			// A permission Android implies was never asked for: the title
			// must not say the app requests it.
			var req, reqLevels, imp, impLevels []string
			for i, p := range a.perms {
				short := shortPerm(p)
				if why := a.permImplied[i]; why != "" {
					imp = append(imp, short)
					impLevels = append(impLevels, short+" ("+a.permLevel[i]+"; implied: "+why+")")
					continue
				}
				req = append(req, short)
				reqLevels = append(reqLevels, short+" ("+a.permLevel[i]+")")
			}
			var said []string
			what := "a request"
			if len(req) > 0 {
				parts = append(parts, "requests "+listNames(req))
				said = append(said, "the manifest requests "+listNames(reqLevels))
			}
			if len(imp) > 0 {
				parts = append(parts, "gets "+listNames(imp)+" without requesting it")
				said = append(said, "Android grants "+listNames(impLevels)+" without a request")
				what = "a permission"
			}
			reasons = append(reasons, strings.Join(said, "; ")+"; "+what+" shows what the app may do, its code shows whether it does")
			reasons = append(reasons, a.permNotes...)
			if surer(a.permConf, conf) {
				conf = a.permConf
			}
		}
		parts = append(parts, a.phrases...)
		reasons = append(reasons, a.reasons...)
		title += ": " + strings.Join(parts, "; ")
		if a.total > len(a.ev) {
			title += fmt.Sprintf(" (%d declarations, first %d shown)", a.total, len(a.ev))
		}
		out = append(out, analysis.Finding{
			Category:   cat,
			Title:      title,
			Severity:   a.sev,
			Confidence: analysis.Confidence{Level: conf, Reason: strings.Join(reasons, "; ")},
			Evidence:   a.ev,
			SDK:        a.sdk,
		})
	}
	return out
}
