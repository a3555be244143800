package code

import (
	"fmt"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// APIs reports calls to framework and SDK APIs that reach people's data or
// show how the app behaves, one finding per category, API and author (the
// app, or each SDK), naming every calling method.
var APIs = &analysis.Analyzer{
	Name:     "code-apis",
	Doc:      "reports calls to framework and SDK APIs that reach contacts, SMS, call logs, identifiers, location, camera, microphone and other personal data, naming each calling method",
	Requires: []*analysis.Analyzer{Index},
	Run:      runAPIs,
}

// maxEvidence caps the call sites listed in one finding; the title says how
// many there are in all.
const maxEvidence = 20

func runAPIs(pass *analysis.Pass) (any, error) {
	ix := analysis.ResultOf[*IndexResult](pass, Index)
	// Calls the context makes weak are kept apart from strong ones of the
	// same API: a finding's evidence lists only what proves it.
	type key struct {
		category   knowledge.Category
		title, sdk string
		weak       bool
	}
	type group struct {
		rule  *knowledge.APIRule
		calls []Call
		weak  bool
	}
	groups := map[key]*group{}
	var order []key
	ctx := newContext(pass, ix)
	for _, c := range ix.Calls {
		if c.Category == "" {
			continue
		}
		c.Rule = ctx.adjust(c)
		title := c.Rule.Title
		if c.Arg != "" {
			title = queryTitle(c)
		}
		k := key{c.Category, title, ix.SDK(c.Site), c.Rule.Confidence == knowledge.Weak}
		g, ok := groups[k]
		if !ok {
			g = &group{rule: c.Rule, weak: true}
			groups[k] = g
			order = append(order, k)
		} else if g.rule.Confidence == knowledge.Weak && c.Rule.Confidence != knowledge.Weak {
			g.rule = c.Rule
		}
		g.calls = append(g.calls, c)
		if c.Rule.Confidence != knowledge.Weak {
			g.weak = false
		}
	}
	smsFilters(pass, ix)
	for _, k := range order {
		g := groups[k]
		sortCalls(g.calls)
		f := analysis.Finding{
			Category: k.category,
			Title:    k.title,
			Severity: severityOf(k.category, g.weak),
			SDK:      k.sdk,
		}
		methods := map[string]bool{}
		for _, c := range g.calls {
			loc := ix.Location(c.Site)
			if methods[loc] {
				continue
			}
			methods[loc] = true
			if len(f.Evidence) < maxEvidence {
				f.Evidence = append(f.Evidence, ix.Evidence(c.Site, detail(ix, c)))
			}
		}
		if len(methods) > maxEvidence {
			f.Title = fmt.Sprintf("%s (%d calling methods, first %d listed)", f.Title, len(methods), maxEvidence)
		}
		switch {
		case g.weak && g.rule.Note != "" && strings.HasPrefix(g.rule.Note, weakenedPrefix):
			f.Confidence = scan.Weak(strings.TrimPrefix(g.rule.Note, weakenedPrefix))
		case g.weak:
			f.Confidence = scan.Weak("the API can serve other purposes; its use alone does not prove the data is collected")
		case strings.HasPrefix(g.rule.Note, strongPrefix):
			f.Confidence = scan.Likely(strings.TrimPrefix(g.rule.Note, strongPrefix))
		case g.calls[0].Arg != "":
			f.Confidence = scan.Sure("the calling method passes " + g.calls[0].Arg + " to the API")
		default:
			f.Confidence = scan.Likely("the code calls the API; whether that code runs is not decided statically")
		}
		pass.Report(f)
	}
	return nil, nil
}

// queryTitle names a call decided by its argument, such as a content query.
func queryTitle(c Call) string {
	if c.Rule.DecidedBy == knowledge.DecidedByContentURI {
		if cat, ok := c.Category.Info(); ok {
			t := cat.Title
			if len(t) > 1 && t[1] >= 'a' && t[1] <= 'z' {
				t = strings.ToLower(t[:1]) + t[1:] // "Call log", not "SMS"
			}
			return "Queries " + t + " through a content provider"
		}
	}
	if r, ok := knowledge.MatchContentURI(c.Arg); ok && r.Title != "" {
		return r.Title
	}
	if c.Category == knowledge.BehaviourSMSSend {
		return "Sends SMS to numbers written in its code"
	}
	return c.Rule.Title
}

func detail(ix *IndexResult, c Call) string {
	verb := "calls"
	if c.Field {
		verb = "reads"
	}
	s := fmt.Sprintf("%s %s at pc 0x%x", verb, ix.Target(c), c.Site.PC)
	if c.Arg != "" {
		s += fmt.Sprintf(" with %q", c.Arg)
	}
	return s
}

// severityOf rates a finding: its category's default, lowered to low
// when the API alone proves little.
func severityOf(category knowledge.Category, weak bool) analysis.Severity {
	if weak {
		return analysis.Low
	}
	return category.DefaultSeverity()
}
