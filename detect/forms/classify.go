package forms

import (
	"slices"

	"appxray/knowledge"
)

// source is one place a field or list is named or described: its id, its
// label (in every locale), its hint, one of its options… Sources with the
// same group are not independent (a RadioButton's id is usually its text
// retyped; an option in two locales is one option), so they cannot
// corroborate each other's weak terms.
type source struct {
	name  string // Match.Source
	group string
	ident bool     // match as an identifier rather than text
	texts []string // one text per locale, or the identifier
	fixed []Match  // matches known without the lexicon (input types)
}

// verdict is one category a field or list falls in.
type verdict struct {
	category string
	strong   bool
	groups   []string
	matches  []Match
}

// confidence grades a verdict: several independent sources with a strong
// term are high; a single strong term, or weak terms from two sources,
// medium.
func (v *verdict) confidence() string {
	if v.strong && len(v.groups) >= 2 {
		return "high"
	}
	return "medium"
}

// classify matches the sources against the lexicon and keeps the categories
// that a strong term supports, or weak terms from two independent sources.
func classify(lex *knowledge.Lexicon, srcs []source) []*verdict {
	var order []string
	byCat := map[string]*verdict{}
	add := func(src *source, m Match) {
		v, ok := byCat[m.Category]
		if !ok {
			v = &verdict{category: m.Category}
			byCat[m.Category] = v
			order = append(order, m.Category)
		}
		v.strong = v.strong || m.Strong
		if !slices.Contains(v.groups, src.group) {
			v.groups = append(v.groups, src.group)
		}
		if !slices.Contains(v.matches, m) {
			v.matches = append(v.matches, m)
		}
	}
	for i := range srcs {
		src := &srcs[i]
		for _, m := range src.fixed {
			add(src, m)
		}
		for _, t := range src.texts {
			var ms []knowledge.LexMatch
			if src.ident {
				ms = lex.MatchIdentifier(t)
			} else {
				ms = lex.MatchText(t)
			}
			for _, lm := range ms {
				for _, c := range lm.Categories {
					add(src, Match{Category: c, Term: lm.Term, Lang: lm.Lang, Strong: lm.Strong, Source: src.name})
				}
			}
		}
	}
	var out []*verdict
	for _, c := range order {
		if v := byCat[c]; v.strong || len(v.groups) >= 2 {
			out = append(out, v)
		}
	}
	return out
}

// categoriesOf lists the verdicts' categories and the matches behind them.
func categoriesOf(vs []*verdict) ([]string, []Match) {
	var cats []string
	var ms []Match
	for _, v := range vs {
		cats = append(cats, v.category)
		ms = append(ms, v.matches...)
	}
	return cats, ms
}

// values lists a per-locale map's texts, default locale first.
func values(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, l := range sortedLocales(m) {
		if !slices.Contains(out, m[l]) {
			out = append(out, m[l])
		}
	}
	return out
}
