package eval

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"appxray/knowledge"
	"appxray/scan"
)

// Count is the true and false positives and false negatives of one measure.
type Count struct {
	TP, FP, FN int
}

// Precision is TP/(TP+FP); 1 when nothing was claimed.
func (c Count) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN); 1 when there was nothing to find.
func (c Count) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// Miss is one wrong or missed claim, for the reader of the test output.
type Miss struct {
	App     string
	Measure string // "forms", "person/<channel>", "special", "device/<channel>"
	Kind    string // "false" or "missed"
	What    string
}

// Scores accumulates the measures over apps.
type Scores struct {
	Forms       Count
	FormsByLang map[string]*Count
	// Person and Device are per channel (the analyzer that made the
	// claim) plus "all".
	Person map[string]*Count
	Device map[string]*Count
	// Special counts special-category claims: FP are false ones.
	Special Count
	Apps    int
	Misses  []Miss
}

// NewScores returns empty scores.
func NewScores() *Scores {
	return &Scores{FormsByLang: map[string]*Count{}, Person: map[string]*Count{}, Device: map[string]*Count{}}
}

func bucket(m map[string]*Count, k string) *Count {
	c := m[k]
	if c == nil {
		c = &Count{}
		m[k] = c
	}
	return c
}

// claim reports whether a finding is something a report tells a reader.
func claim(f scan.Finding) bool { return f.Confidence.Level != scan.LevelLow }

// Add scores one app's report against its label.
func (s *Scores) Add(l *Label, r *scan.Report) {
	s.Apps++
	name := l.file
	miss := func(measure, kind, what string) {
		s.Misses = append(s.Misses, Miss{App: name, Measure: measure, Kind: kind, What: what})
	}

	// Forms: (field, category) pairs.
	truthPerson := map[knowledge.Category]bool{}
	for _, c := range l.Person {
		truthPerson[c] = true
	}
	if l.FormsLabelled {
		truth := map[string]FieldLabel{}
		for _, f := range l.Fields {
			truth[NormalizeWhere(f.Where)] = f
			for _, c := range f.Categories {
				truthPerson[c] = true
			}
		}
		pred := map[string][]knowledge.Category{}
		for _, f := range r.Fields {
			k := NormalizeWhere(f.Evidence.Location)
			for _, c := range f.Categories {
				if !slices.Contains(pred[k], c) {
					pred[k] = append(pred[k], c)
				}
			}
		}
		langOf := func(k string) string {
			if f, ok := truth[k]; ok && f.Lang != "" {
				return f.Lang
			}
			return l.Lang
		}
		for k, cs := range pred {
			for _, c := range cs {
				lc := bucket(s.FormsByLang, langOf(k))
				if slices.Contains(truth[k].Categories, c) {
					s.Forms.TP++
					lc.TP++
				} else {
					s.Forms.FP++
					lc.FP++
					miss("forms", "false", fmt.Sprintf("%s as %s", k, c))
				}
			}
		}
		for k, f := range truth {
			for _, c := range f.Categories {
				if !slices.Contains(pred[k], c) {
					s.Forms.FN++
					bucket(s.FormsByLang, langOf(k)).FN++
					miss("forms", "missed", fmt.Sprintf("%s as %s", k, c))
				}
			}
		}
	}

	// Special categories: every claim in every app is judged.
	for _, f := range r.Findings {
		if f.Special && claim(f) {
			if slices.Contains(l.Special, f.Category) {
				s.Special.TP++
			} else {
				s.Special.FP++
				miss("special", "false", fmt.Sprintf("%s: %s", f.Category, f.Title))
			}
		}
	}

	// Person findings, per channel, where the forms are labelled.
	if l.FormsLabelled {
		for _, f := range r.Findings {
			if f.Category.Group() != knowledge.GroupPerson || !claim(f) {
				continue
			}
			ok := truthPerson[f.Category]
			for _, ch := range []string{f.Analyzer, "all"} {
				if ok {
					bucket(s.Person, ch).TP++
				} else {
					bucket(s.Person, ch).FP++
				}
			}
			if !ok {
				miss("person/"+f.Analyzer, "false", fmt.Sprintf("%s: %s", f.Category, f.Title))
			}
		}
	}

	// Device capabilities of the app's own code, per app and category.
	if l.CapabilitiesLabelled {
		truth := map[knowledge.Category]bool{}
		for _, c := range l.Capabilities {
			truth[c] = true
		}
		byChannel := map[string]map[knowledge.Category]string{}
		for _, f := range r.Findings {
			if f.Category.Group() == knowledge.GroupPerson || f.SDK != "" || !claim(f) {
				continue
			}
			for _, ch := range []string{f.Analyzer, "all"} {
				if byChannel[ch] == nil {
					byChannel[ch] = map[knowledge.Category]string{}
				}
				if _, have := byChannel[ch][f.Category]; !have {
					byChannel[ch][f.Category] = f.Title
				}
			}
		}
		for ch, cats := range byChannel {
			for c, title := range cats {
				if truth[c] {
					bucket(s.Device, ch).TP++
				} else {
					bucket(s.Device, ch).FP++
					if ch != "all" {
						miss("device/"+ch, "false", fmt.Sprintf("%s: %s", c, title))
					}
				}
			}
		}
		for c := range truth {
			if _, found := byChannel["all"][c]; !found {
				bucket(s.Device, "all").FN++
				miss("device", "missed", string(c))
			}
		}
	}
}

// Write prints the figures as a table, then every miss.
func (s *Scores) Write(w io.Writer) {
	row := func(name string, c Count) {
		fmt.Fprintf(w, "  %-28s precision %6.1f%% (%d/%d)  recall %6.1f%% (%d/%d)\n", name,
			100*c.Precision(), c.TP, c.TP+c.FP, 100*c.Recall(), c.TP, c.TP+c.FN)
	}
	fmt.Fprintf(w, "labelled set: %d apps\n", s.Apps)
	row("forms (field, category)", s.Forms)
	for _, lang := range sortedKeys(s.FormsByLang) {
		row("  forms, "+lang, *s.FormsByLang[lang])
	}
	for _, ch := range sortedKeys(s.Person) {
		row("person findings, "+ch, *s.Person[ch])
	}
	for _, ch := range sortedKeys(s.Device) {
		row("device capabilities, "+ch, *s.Device[ch])
	}
	fmt.Fprintf(w, "  %-28s %d true, %d false\n", "special-category claims", s.Special.TP, s.Special.FP)
	sort.SliceStable(s.Misses, func(i, j int) bool {
		a, b := s.Misses[i], s.Misses[j]
		if a.Measure != b.Measure {
			return a.Measure < b.Measure
		}
		return a.App < b.App
	})
	for _, m := range s.Misses {
		fmt.Fprintf(w, "  %-7s %-22s %s: %s\n", m.Kind, m.Measure, m.App, m.What)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		// "all" last, after the channels it sums.
		if (keys[i] == "all") != (keys[j] == "all") {
			return keys[j] == "all"
		}
		return strings.Compare(keys[i], keys[j]) < 0
	})
	return keys
}
