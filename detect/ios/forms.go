package ios

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Forms reads the data-entry fields of the compiled nibs and storyboards:
// each UITextField and UITextView with its placeholder, text, accessibility
// label and the label that precedes it, matched against the lexicon.
var Forms = &analysis.Analyzer{
	Name:       "ios-forms",
	Doc:        "reports the text fields of an iOS app's compiled nibs and storyboards whose placeholders, labels or accessibility labels name personal data",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*FormsResult](),
	Run:        runForms,
}

// FormsResult holds every field read, as the report lists them.
type FormsResult struct {
	Fields []scan.Field
	Found  []Found
}

// inputClasses are the UIKit classes a person types into.
var inputClasses = map[string]bool{"UITextField": true, "UITextView": true, "UISearchTextField": true}

// Keys under which UIKit's nib coder stores a text field's strings.
const (
	keyText        = "UIText"
	keyPlaceholder = "UIPlaceholder"
	keyA11yLabel   = "UIAccessibilityLabel"
)

// locale returns the localisation of a nib from its .lproj directory
// ("" for Base or none).
func nibLocale(p string) string {
	for _, part := range strings.Split(p, "/") {
		if l, ok := strings.CutSuffix(part, ".lproj"); ok && l != "Base" {
			return l
		}
	}
	return ""
}

type fieldVerdict struct {
	field  int
	cat    knowledge.Category
	strong bool
	n      int // distinct sources that matched
	terms  []string
}

func runForms(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	lex := knowledge.DefaultLexicon()
	res := &FormsResult{}
	var verdicts []fieldVerdict
	for _, n := range m.app.Nibs {
		a := n.Archive
		loc := nibLocale(n.Path)
		lastLabel := ""
		for i := range a.Objects {
			cls := a.ClassName(i)
			text := func(key string) string {
				if v, ok := a.Get(i, key); ok {
					if s, ok := a.String(v); ok {
						return s
					}
				}
				return ""
			}
			if cls == "UILabel" {
				lastLabel = text(keyText)
				continue
			}
			if !inputClasses[cls] {
				continue
			}
			f := scan.Field{Layout: n.Path, Widget: cls}
			sources := []struct{ name, text string }{
				{"label", lastLabel}, {"hint", text(keyPlaceholder)}, {"description", text(keyA11yLabel)}, {"text", text(keyText)},
			}
			lastLabel = ""
			set := func(dst *map[string]string, s string) {
				if s != "" {
					*dst = map[string]string{loc: s}
				}
			}
			set(&f.Hint, sources[1].text)
			set(&f.Description, sources[2].text)
			set(&f.Text, sources[3].text)
			switch {
			case sources[0].text != "":
				f.Labels, f.LabelSource = map[string]string{loc: sources[0].text}, "preceding UILabel"
			case sources[2].text != "":
				f.Labels, f.LabelSource = map[string]string{loc: sources[2].text}, "accessibilityLabel"
			case sources[1].text != "":
				f.Labels, f.LabelSource = map[string]string{loc: sources[1].text}, "placeholder"
			}
			query := cls == "UISearchTextField"
			byCat := map[knowledge.Category]*fieldVerdict{}
			for _, src := range sources {
				if src.text == "" {
					continue
				}
				counted := map[knowledge.Category]bool{}
				for _, lm := range lex.MatchTextLocale(src.text, loc) {
					if lm.Marker == knowledge.MarkerQuery {
						query = true
					}
					for _, c := range lm.Categories {
						f.Matches = append(f.Matches, scan.Match{Category: c, Term: lm.Term, Lang: lm.Lang, Strong: lm.Strong, Source: src.name})
						v := byCat[c]
						if v == nil {
							v = &fieldVerdict{field: len(res.Fields), cat: c}
							byCat[c] = v
						}
						v.strong = v.strong || lm.Strong
						if !counted[c] {
							counted[c] = true
							v.n++
						}
						if t := "'" + lm.Term + "'"; !slices.Contains(v.terms, t) {
							v.terms = append(v.terms, t)
						}
					}
				}
			}
			for _, c := range knowledge.Categories() {
				if v := byCat[c.ID]; v != nil {
					f.Categories = append(f.Categories, c.ID)
					if !query {
						verdicts = append(verdicts, *v)
					}
				}
			}
			f.Evidence = scan.LayoutWidget(n.Path, cls, "", 0, fieldDetail(&f))
			res.Fields = append(res.Fields, f)
		}
	}
	// One finding per category, naming every field.
	for _, c := range knowledge.Categories() {
		var vs []fieldVerdict
		for _, v := range verdicts {
			if v.cat == c.ID {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			continue
		}
		level := scan.LevelLow
		var labels, terms []string
		var ev []scan.Evidence
		for _, v := range vs {
			switch {
			case v.strong && v.n >= 2:
				level = scan.LevelHigh
			case (v.strong || v.n >= 2) && level != scan.LevelHigh:
				level = scan.LevelMedium
			}
			f := &res.Fields[v.field]
			if l := label(f); !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
			for _, t := range v.terms {
				if len(terms) < 4 && !slices.Contains(terms, t) {
					terms = append(terms, t)
				}
			}
			if len(ev) < 8 {
				ev = append(ev, f.Evidence)
			}
		}
		what := strings.ToLower(c.Title)
		title := fmt.Sprintf("Form field asks for %s: '%s'", what, labels[0])
		if len(vs) > 1 {
			title = fmt.Sprintf("%d form fields ask for %s: '%s'", len(vs), what, strings.Join(labels, "', '"))
		}
		sev := analysis.Medium
		if c.ID.Special() {
			sev = analysis.High
		}
		report(pass, &res.Found, analysis.Finding{
			Category:   c.ID,
			Title:      title,
			Severity:   sev,
			Confidence: scan.Confidence{Level: level, Reason: fmt.Sprintf("the placeholders, labels or accessibility labels of %d text field(s) in compiled nibs match lexicon terms for %s (%s)", len(vs), what, strings.Join(terms, ", "))},
			Evidence:   ev,
		})
	}
	return res, nil
}

func label(f *scan.Field) string {
	for _, m := range []map[string]string{f.Labels, f.Hint, f.Description, f.Text} {
		for _, s := range m {
			return s
		}
	}
	return f.Widget
}

func fieldDetail(f *scan.Field) string {
	var parts []string
	one := func(m map[string]string) string {
		for l, s := range m {
			if l != "" {
				return l + " '" + s + "'"
			}
			return "'" + s + "'"
		}
		return ""
	}
	if f.LabelSource == "preceding UILabel" {
		parts = append(parts, "label "+one(f.Labels))
	}
	if f.Hint != nil {
		parts = append(parts, "placeholder "+one(f.Hint))
	}
	if f.Description != nil {
		parts = append(parts, "accessibilityLabel "+one(f.Description))
	}
	if f.Text != nil {
		parts = append(parts, "text "+one(f.Text))
	}
	return strings.Join(parts, ", ") + " (" + path.Base(f.Layout) + ")"
}
