package forms

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Detail strings show the default locale and a few others; the Field and
// OptionList hold them all.
const (
	maxDetailLocales = 3
	maxDetailRunes   = 80
	maxDetailOptions = 12
	maxTitleLabels   = 3
)

func quote(s string) string {
	if utf8.RuneCountInString(s) > maxDetailRunes {
		r := []rune(s)
		s = string(r[:maxDetailRunes]) + "…"
	}
	return "'" + s + "'"
}

// localized renders "'Name' / zh-CN '姓名' / zh-TW '姓名'".
func localized(m map[string]string) string {
	var parts []string
	shown := 0
	locs := sortedLocales(m)
	for _, l := range locs {
		if l == "" {
			parts = append(parts, quote(m[l]))
			continue
		}
		if shown == maxDetailLocales {
			parts = append(parts, fmt.Sprintf("(+%d locales)", len(locs)-len(parts)))
			break
		}
		shown++
		parts = append(parts, l+" "+quote(m[l]))
	}
	return strings.Join(parts, " / ")
}

func fieldDetail(f *Field) string {
	var parts []string
	if f.Labels != nil && f.LabelSource != "text" && f.LabelSource != "hint" && f.LabelSource != "contentDescription" {
		parts = append(parts, "label "+localized(f.Labels))
	}
	if f.Text != nil {
		parts = append(parts, "text "+localized(f.Text))
	}
	if f.Hint != nil {
		parts = append(parts, "hint "+localized(f.Hint))
	}
	if f.Description != nil {
		parts = append(parts, "contentDescription "+localized(f.Description))
	}
	if f.InputType != "" {
		parts = append(parts, "inputType "+f.InputType)
	}
	if f.Autofill != "" {
		parts = append(parts, "autofillHints "+f.Autofill)
	}
	if f.Entries != "" {
		parts = append(parts, "entries "+f.Entries)
	}
	if f.Group != "" {
		parts = append(parts, "in RadioGroup @id/"+f.Group)
	}
	return strings.Join(parts, ", ")
}

func htmlDetail(f *Field) string {
	parts := []string{f.Widget}
	if f.ID != "" {
		parts[0] += " name=" + f.ID
	}
	if f.Widget == "input" {
		parts[0] += " type=" + f.InputType
	}
	if f.Hint != nil {
		parts = append(parts, "placeholder "+quote(f.Hint[""]))
	}
	if f.Labels != nil && f.LabelSource == "label" {
		parts = append(parts, "label "+quote(f.Labels[""]))
	}
	if f.Description != nil {
		parts = append(parts, "aria-label/title "+quote(f.Description[""]))
	}
	if f.Autofill != "" {
		parts = append(parts, "autocomplete "+f.Autofill)
	}
	return strings.Join(parts, ", ")
}

func listDetail(o *OptionList) string {
	var parts []string
	for i, l := range sortedLocales(o.Options) {
		if i > maxDetailLocales {
			parts = append(parts, fmt.Sprintf("(+%d locales)", len(o.Options)-i))
			break
		}
		opts := o.Options[l]
		shown := opts
		if len(shown) > maxDetailOptions {
			shown = shown[:maxDetailOptions]
		}
		q := make([]string, len(shown))
		for j, s := range shown {
			q[j] = quote(s)
		}
		text := strings.Join(q, ", ")
		if len(opts) > len(shown) {
			text += fmt.Sprintf(" (+%d more)", len(opts)-len(shown))
		}
		if l != "" {
			text = l + ": " + text
		}
		parts = append(parts, text)
	}
	n := 0
	for _, opts := range o.Options {
		n = max(n, len(opts))
	}
	d := fmt.Sprintf("%d options: %s", n, strings.Join(parts, " / "))
	if o.Title != nil {
		d = "title " + localized(o.Title) + "; " + d
	}
	if len(o.UsedBy) > 0 {
		d += "; used by " + strings.Join(o.UsedBy, ", ")
	}
	return d
}

// matched renders the terms behind one category: "'sfzh' (pinyin, id),
// '身份证号' (zh, label)".
func matched(ms []Match, category knowledge.Category) string {
	var parts []string
	for _, m := range ms {
		if m.Category != category {
			continue
		}
		p := fmt.Sprintf("%s (%s, %s)", quote(m.Term), m.Lang, m.Source)
		if !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return "matched " + strings.Join(parts, ", ")
}

// displayLabel is a short name for a field in a title.
func displayLabel(f *Field) string {
	if f.Labels != nil {
		if l, ok := f.Labels[""]; ok {
			return l
		}
		return values(f.Labels)[0]
	}
	if f.ID != "" {
		return f.ID
	}
	return f.Widget
}

// group gathers one category's fields or lists for a finding.
type group struct {
	category knowledge.Category
	items    []int
	conf     scan.Level
	terms    []string
	shape    bool // a low verdict rests on a field's shape
	keys     map[string]bool
}

func (g *group) add(i int, v *verdict) {
	g.items = append(g.items, i)
	switch c := v.confidence(); {
	case c == scan.LevelHigh:
		g.conf = scan.LevelHigh
	case c == scan.LevelMedium && g.conf != scan.LevelHigh:
		g.conf = scan.LevelMedium
	case g.conf == "":
		g.conf = c
	}
	if v.low && slices.ContainsFunc(v.matches, func(m Match) bool { return m.Lang == "shape" }) {
		g.shape = true
	}
	for _, m := range v.matches {
		t := quote(m.Term)
		if len(g.terms) < 4 && !slices.Contains(g.terms, t) {
			g.terms = append(g.terms, t)
		}
	}
}

// groups orders categories by the taxonomy. key, if set, names each item
// so that copies of one field in several qualifier folders of its layout
// count once: the first copy stands for the others.
func groups(verdicts [][]*verdict, key func(int) string) []*group {
	by := map[knowledge.Category]*group{}
	for i, vs := range verdicts {
		for _, v := range vs {
			g, ok := by[v.category]
			if !ok {
				g = &group{category: v.category, keys: map[string]bool{}}
				by[v.category] = g
			}
			if key != nil {
				if k := key(i); k != "" {
					if g.keys[k] {
						continue
					}
					g.keys[k] = true
				}
			}
			g.add(i, v)
		}
	}
	var out []*group
	for _, c := range knowledge.Categories() {
		if g, ok := by[c.ID]; ok {
			out = append(out, g)
		}
	}
	return out
}

// severity rates a form finding: a form that asks about a special
// category is high; any other question a person answers is medium,
// whatever the category's default for what code takes from a device.
func severity(category knowledge.Category) analysis.Severity {
	if category.Special() {
		return analysis.High
	}
	return analysis.Medium
}

func what(category knowledge.Category) string {
	return strings.ToLower(category.Title())
}

// report turns fields and option lists into findings: one per category for
// fields and one per category for option lists, each naming every field or
// list as evidence (up to maxEvidence).
func (s *state) report() {
	// A layout that no code inflates and no layout includes is defined but
	// not used: its fields stay, at low confidence.
	for i, info := range s.fieldInfo {
		if info.layout.id == 0 || !s.unusedLayout(info.layout) {
			continue
		}
		for _, v := range s.fieldVerdicts[i] {
			v.low = true
		}
		if len(s.fieldVerdicts[i]) > 0 || len(info.query) > 0 {
			f := &s.res.Fields[i]
			f.Evidence.Detail = strings.TrimPrefix(f.Evidence.Detail+"; "+notUsed, "; ")
		}
	}
	s.reportFields()
	s.reportQueries()
	s.reportLists()
}

// fieldKey names a field for counting: its copies share the key.
func (s *state) fieldKey(i int) string {
	return copyKey(s.res.Fields[i].Evidence.Location)
}

// notUsed is the note on a field whose layout nothing shows.
const notUsed = "layout defined but not used: no code inflates it and no layout includes it"

func (s *state) reportFields() {
	for _, g := range groups(s.fieldVerdicts, s.fieldKey) {
		var labels []string
		more := false
		f := analysis.Finding{Category: g.category, Severity: severity(g.category)}
		for _, i := range g.items {
			fd := &s.res.Fields[i]
			if l := displayLabel(fd); !slices.Contains(labels, l) {
				if len(labels) < maxTitleLabels {
					labels = append(labels, l)
				} else {
					more = true
				}
			}
			if len(f.Evidence) < maxEvidence {
				ev := fd.Evidence
				ev.Detail = strings.TrimPrefix(ev.Detail+"; "+matched(fd.Matches, g.category), "; ")
				f.Evidence = append(f.Evidence, ev)
			}
		}
		n := len(g.items)
		switch {
		case g.category.Group() != knowledge.GroupPerson:
			// Only person categories are asked for; a field that names
			// watched apps or the like is about them.
			f.Title = fmt.Sprintf("%s about %q: %s", plural(n, "form field"), what(g.category), strings.Join(quoteAll(labels), ", "))
		case n == 1:
			f.Title = fmt.Sprintf("Form field asks for %s: %s", what(g.category), quote(labels[0]))
		default:
			f.Title = fmt.Sprintf("%d form fields ask for %s: %s", n, what(g.category), strings.Join(quoteAll(labels), ", "))
		}
		if more {
			f.Title += ", …"
		}
		f.Confidence = analysis.Confidence{Level: g.conf, Reason: fmt.Sprintf("labels, ids or input types of %s match lexicon terms for %s (%s)", plural(n, "field"), what(g.category), strings.Join(g.terms, ", "))}
		if g.conf == scan.LevelLow {
			f.Confidence.Reason += "; " + lowReason(g)
		}
		s.pass.Report(f)
	}
}

// lowReason says why a finding is not a claim.
func lowReason(g *group) string {
	if g.shape {
		return "only the field's shape suggests it (no label names it)"
	}
	return "no widget in use shows it (defined but not used)"
}

// reportQueries reports, at low confidence, what search and filter fields
// query: a people search by age and sex queries those, it does not collect
// them from the user.
func (s *state) reportQueries() {
	queried := make([][]*verdict, len(s.fieldInfo))
	for i, info := range s.fieldInfo {
		queried[i] = info.query
	}
	for _, g := range groups(queried, s.fieldKey) {
		f := analysis.Finding{Category: g.category, Severity: analysis.Low}
		var labels []string
		for _, i := range g.items {
			fd := &s.res.Fields[i]
			if l := displayLabel(fd); len(labels) < maxTitleLabels && !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
			if len(f.Evidence) < maxEvidence {
				ev := fd.Evidence
				ev.Detail = strings.TrimPrefix(ev.Detail+"; "+matched(s.fieldInfo[i].queryMatches(), g.category), "; ")
				f.Evidence = append(f.Evidence, ev)
			}
		}
		f.Title = fmt.Sprintf("%s search or filter by %s: %s (queries data, does not collect it)", plural(len(g.items), "field"), what(g.category), strings.Join(quoteAll(labels), ", "))
		f.Confidence = analysis.Confidence{Level: scan.LevelLow, Reason: "search or filter fields: what they name is what the user looks for, not data the app collects"}
		s.pass.Report(f)
	}
}

func (fi fieldInfo) queryMatches() []Match {
	_, ms := categoriesOf(fi.query)
	return ms
}

func (s *state) reportLists() {
	for _, g := range groups(s.listVerdicts, nil) {
		var names []string
		f := analysis.Finding{Category: g.category, Severity: severity(g.category)}
		for _, i := range g.items {
			o := &s.res.OptionLists[i]
			if len(names) < maxTitleLabels {
				names = append(names, shortSource(o.Source))
			}
			if len(f.Evidence) < maxEvidence {
				ev := o.Evidence
				ev.Detail += "; " + matched(o.Matches, g.category)
				f.Evidence = append(f.Evidence, ev)
			}
		}
		n := len(g.items)
		f.Title = fmt.Sprintf("%s about %s: %s", plural(n, "option list"), what(g.category), strings.Join(names, ", "))
		if g.category.Group() != knowledge.GroupPerson {
			f.Title = fmt.Sprintf("%s about %q: %s", plural(n, "option list"), what(g.category), strings.Join(names, ", "))
		}
		if n > len(names) {
			f.Title += ", …"
		}
		f.Confidence = analysis.Confidence{Level: g.conf, Reason: fmt.Sprintf("names, titles or options of %s match lexicon terms for %s (%s)", plural(n, "list"), what(g.category), strings.Join(g.terms, ", "))}
		if g.conf == scan.LevelLow {
			f.Confidence.Reason += "; " + lowReason(g)
		}
		s.pass.Report(f)
	}
}

// shortSource names a list in a title: "@array/religions", "RadioGroup
// @id/zjxy", "select name=mz".
func shortSource(src string) string {
	if strings.HasPrefix(src, "@") {
		return src
	}
	if i := strings.IndexByte(src, ' '); i >= 0 {
		return src[i+1:]
	}
	return src
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
