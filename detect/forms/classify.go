package forms

import (
	"slices"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// source is one place a field or list is named or described: its id, its
// label (in every locale), its hint, one of its options… Sources with the
// same group are not independent (a RadioButton's id is usually its text
// retyped; an option in two locales is one option), so they cannot
// corroborate each other's weak terms.
type source struct {
	name  string // Match.Source
	group string
	ident bool              // match as an identifier rather than text
	texts map[string]string // text per locale (BCP 47, "" default); an identifier under ""
	fixed []Match           // matches known without the lexicon (input types)
	// tie marks a source that only breaks ties (an input type): its
	// categories count only where no other source names one.
	tie bool
}

// ident makes the source of an identifier.
func identSource(name, group, id string) source {
	return source{name: name, group: group, ident: true, texts: map[string]string{"": id}}
}

// langFits reports whether a term of a lexicon language may be matched in
// text of a locale. Text of the default locale (whatever language it is)
// and of the term's own language may; other locales may not, or false
// friends creep in (Swedish "Visa alltid" is "Always show", not a visa).
// Chinese terms also serve Japanese, which writes the same words in kanji.
func langFits(lexLang, locale string) bool {
	if locale == "" {
		return true
	}
	lang, _, _ := strings.Cut(locale, "-")
	lang = strings.ToLower(lang)
	switch lexLang {
	case "zh":
		return lang == "zh" || lang == "ja"
	case "inputType", "autofill":
		return true
	}
	return lexLang == lang
}

// verdict is one category a field or list falls in.
type verdict struct {
	category knowledge.Category
	strong   bool
	groups   []string
	matches  []Match
	// matchGroups[i] is the independence group of the source of matches[i];
	// translated[i] is set when matches[i] comes from a translation only,
	// which says again what the default text says.
	matchGroups []string
	translated  []bool
	// low marks a verdict a report must not state as a claim: its field is
	// in a layout nothing shows, or it rests on a field's shape alone.
	low bool
}

// confidence grades a verdict: several independent sources with a strong
// term are high; a single strong term, or weak terms from two sources,
// medium.
func (v *verdict) confidence() scan.Level {
	if v.low {
		return scan.LevelLow
	}
	if v.strong && len(v.groups) >= 2 {
		return scan.LevelHigh
	}
	return scan.LevelMedium
}

// corroborated reports whether weak terms agree from two independent
// sources with different terms: "name" as a label and "xm" as an id do;
// "name" as a label and "txt_name" as an id do not (the id restates the
// label), nor does "work" in two options of one list ("Work", "Work fax").
func (v *verdict) corroborated() bool {
	for i, a := range v.matches {
		for j, b := range v.matches[i+1:] {
			if v.translated[i] || v.translated[i+1+j] {
				continue
			}
			if v.matchGroups[i] != v.matchGroups[i+1+j] && (fixedMatch(a) || fixedMatch(b) || !sameWord(a.Term, b.Term)) {
				return true
			}
		}
	}
	return false
}

// fixedMatch reports whether a match comes from an input type, an autofill
// hint or a field's shape rather than a lexicon word.
func fixedMatch(m Match) bool {
	return m.Lang == "inputType" || m.Lang == "autofill" || m.Lang == "shape"
}

// foldCase lower-cases a term and drops its accents, for comparing terms.
func foldCase(t string) string {
	return knowledge.FoldAccents(strings.ToLower(t))
}

// sameWord reports whether two terms are one word written twice (in two
// languages' lexicons, or with and without a plural).
func sameWord(a, b string) bool {
	a, b = foldCase(a), foldCase(b)
	return a == b || strings.TrimSuffix(a, "s") == strings.TrimSuffix(b, "s")
}

// strongUntranslated reports whether a strong term of the default text (or
// of an identifier) supports the verdict, not only one of a translation.
func (v *verdict) strongUntranslated() bool {
	for i, m := range v.matches {
		if m.Strong && !v.translated[i] {
			return true
		}
	}
	return false
}

// strongFrom reports whether a strong term from one of the named sources
// supports the verdict.
func (v *verdict) strongFrom(sources ...string) bool {
	for _, m := range v.matches {
		if m.Strong && slices.Contains(sources, m.Source) {
			return true
		}
	}
	return false
}

// markers are the marker phrases found in a field's sources.
type markers struct {
	choice, query []Match // Match.Category empty; Term and Source set
}

func (m *markers) add(lm knowledge.LexMatch, src string) {
	x := Match{Term: lm.Term, Lang: lm.Lang, Source: src}
	switch lm.Marker {
	case knowledge.MarkerChoice:
		m.choice = append(m.choice, x)
	case knowledge.MarkerQuery:
		m.query = append(m.query, x)
	}
}

// findMarkers matches the sources for marker phrases only.
func findMarkers(lex *knowledge.Lexicon, srcs []source) markers {
	var out markers
	for i := range srcs {
		src := &srcs[i]
		for _, loc := range sortedLocales(src.texts) {
			t := src.texts[loc]
			var ms []knowledge.LexMatch
			if src.ident {
				ms = lex.MatchIdentifier(t)
			} else {
				ms = lex.MatchText(t)
			}
			for _, lm := range ms {
				if lm.Marker != "" && (src.ident || langFits(lm.Lang, loc)) {
					out.add(lm, src.name)
				}
			}
		}
	}
	return out
}

// classify matches the sources against the lexicon and keeps the categories
// that a strong term supports, or (unless strongOnly) weak terms from two
// independent sources.
func classify(lex *knowledge.Lexicon, srcs []source, strongOnly bool) []*verdict {
	var order []knowledge.Category
	byCat := map[knowledge.Category]*verdict{}
	tieOnly := map[knowledge.Category]bool{}
	add := func(src *source, m Match, translated bool) {
		if _, seen := tieOnly[m.Category]; !seen || !src.tie {
			tieOnly[m.Category] = src.tie && (!seen || tieOnly[m.Category])
		}
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
		for i, have := range v.matches {
			if v.matchGroups[i] == src.group && have.Source == m.Source && have.Strong == m.Strong && sameWord(foldCase(have.Term), foldCase(m.Term)) {
				// One word in several languages' lexicons: keep one,
				// English where it is one of them (most default locales
				// are in English).
				if m.Lang == "en" && have.Lang != "en" {
					v.matches[i] = m
				}
				return
			}
		}
		v.matches = append(v.matches, m)
		v.matchGroups = append(v.matchGroups, src.group)
		v.translated = append(v.translated, translated)
	}
	for i := range srcs {
		src := &srcs[i]
		for _, m := range src.fixed {
			add(src, m, false)
		}
		// Translations often repeat a text; match each text once and
		// keep a term if any locale showing the text fits it.
		byText := map[string][]string{}
		var texts []string
		for _, loc := range sortedLocales(src.texts) {
			t := src.texts[loc]
			if _, ok := byText[t]; !ok {
				texts = append(texts, t)
			}
			byText[t] = append(byText[t], loc)
		}
		// A category that only a translation finds, where the default
		// text says nothing of it, is the translation's sense of a word
		// ("Display as:" is "표시 이름" in Korean, with 이름 "name" in it):
		// the default text and its translations say one thing.
		var defaultCats []knowledge.Category
		if def, ok := src.texts[""]; ok && !src.ident {
			for _, lm := range lex.MatchText(def) {
				defaultCats = append(defaultCats, lm.Categories...)
			}
		}
		for _, t := range texts {
			var ms []knowledge.LexMatch
			if src.ident {
				ms = lex.MatchIdentifier(t)
			} else {
				ms = lex.MatchText(t)
			}
			translation := !src.ident && src.texts[""] != "" && !slices.Contains(byText[t], "")
			for _, lm := range ms {
				if lm.Marker != "" {
					continue
				}
				if !src.ident && !slices.ContainsFunc(byText[t], func(loc string) bool { return langFits(lm.Lang, loc) }) {
					continue
				}
				for _, c := range lm.Categories {
					// (Options keep what only a translation finds: a list's
					// items are names of things the lexicon knows in one
					// language and not another, "Han" and 汉族.)
					if translation && !slices.Contains(defaultCats, c) && src.name != "option" {
						continue
					}
					add(src, Match{Category: c, Term: lm.Term, Lang: lm.Lang, Strong: lm.Strong, Source: src.name}, translation)
				}
			}
		}
	}
	var out []*verdict
	for _, c := range order {
		if v := byCat[c]; v.strong || !strongOnly && v.corroborated() {
			out = append(out, v)
		}
	}
	// The input type breaks ties only: where another source names a
	// category, the categories only the input type gives are dropped
	// ("Card number" on a phone keyboard is a card number).
	named := slices.ContainsFunc(out, func(v *verdict) bool { return !tieOnly[v.category] })
	if named {
		out = slices.DeleteFunc(out, func(v *verdict) bool { return tieOnly[v.category] })
	}
	return out
}

// categoriesOf lists the verdicts' categories and the matches behind them.
func categoriesOf(vs []*verdict) ([]knowledge.Category, []Match) {
	var cats []knowledge.Category
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
