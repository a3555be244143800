// Package forms is appxray's forms and option-lists evidence channel: every
// data-entry widget in every layout (EditText and its kin, spinners, check
// boxes, radio groups, switches, pickers…), with its label in every locale,
// the words of its id and its input type; every string-array, spinner and
// radio group as an option list; and the input fields of HTML forms shipped
// in assets/. Labels, ids and options are matched against the knowledge
// lexicon to place each field in the taxonomy.
package forms

import (
	"fmt"
	"slices"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/knowledge"
)

// Analyzer finds form fields and option lists and reports those that fall in
// a taxonomy category. Its result is a *Result.
var Analyzer = &analysis.Analyzer{
	Name: "forms",
	Doc:  "reports the data-entry widgets of layouts, string-arrays, spinners, radio groups and HTML forms in assets, with their labels in every locale, and what they ask about a person",
	Run:  run,
}

// Work bounds, per app. Hitting one is recorded in Result.Notes.
const (
	maxFields      = 20000   // fields (widgets and HTML inputs) kept
	maxWidgetsSeen = 100000  // elements classified as widgets, kept or not
	maxDocuments   = 50000   // layout documents decoded
	maxOptionLists = 10000   // option lists kept
	maxOptionTexts = 500000  // option strings kept, over all lists and locales
	maxHTMLFiles   = 500     // HTML assets parsed
	maxHTMLSize    = 4 << 20 // bytes of one HTML asset
	maxEvidence    = 20      // evidence pieces in one finding
)

// Result is what the analyzer found, for the report.
type Result struct {
	Fields      []Field      `json:"fields"`
	OptionLists []OptionList `json:"option_lists"`
	// Notes records work bounds that were hit and inputs that could not
	// be read, so that a reader knows the lists may be incomplete.
	Notes []string `json:"notes,omitempty"`
}

// Field is one data-entry widget of a layout or one input of an HTML form.
type Field struct {
	// Layout is the file the field is in: "res/layout/person_form.xml",
	// "assets/form.html" ("split.apk!res/…" in a split set).
	Layout string `json:"layout"`
	// Widget is the element: "EditText", "com.google.android.material.textfield.TextInputEditText",
	// "input", "select"…
	Widget string `json:"widget"`
	// ID is the name of the widget's id ("sfzh", "android:text1"), or the
	// name (else id) attribute of an HTML input.
	ID       string   `json:"id,omitempty"`
	IDTokens []string `json:"id_tokens,omitempty"`
	// Line is the element's line in the source the APK was built from
	// (kept by the compiler), or in the HTML file.
	Line int `json:"line,omitempty"`
	// Labels is what names the field to its user, per locale (BCP 47 tag,
	// "" for the default): a TextView that names it with labelFor, else the
	// enclosing TextInputLayout's hint, else the nearest preceding TextView
	// in the same parent (an HTML <label>); failing those, the widget's own
	// text, hint or content description.
	Labels map[string]string `json:"labels,omitempty"`
	// LabelSource says where Labels came from: "labelFor", "TextInputLayout",
	// "sibling TextView", "label", "text", "hint" or "contentDescription".
	LabelSource string `json:"label_source,omitempty"`
	// Text, Hint and Description are the widget's own android:text,
	// android:hint (HTML placeholder) and android:contentDescription (HTML
	// aria-label or title), per locale.
	Text        map[string]string `json:"text,omitempty"`
	Hint        map[string]string `json:"hint,omitempty"`
	Description map[string]string `json:"description,omitempty"`
	// InputType is android:inputType decoded ("textPersonName",
	// "textCapCharacters|textMultiLine"), or an HTML input's type.
	InputType string `json:"input_type,omitempty"`
	// Autofill is android:autofillHints ("phone,emailAddress") or an HTML
	// input's autocomplete ("tel", "given-name").
	Autofill string `json:"autofill,omitempty"`
	// Entries names the option list of a Spinner ("@array/blood_types") or
	// HTML select.
	Entries string `json:"entries,omitempty"`
	// Group is the id of the RadioGroup a RadioButton belongs to.
	Group      string   `json:"group,omitempty"`
	Categories []string `json:"categories,omitempty"`
	// Matches are the lexicon terms behind Categories and where each was
	// found.
	Matches  []Match           `json:"matches,omitempty"`
	Evidence analysis.Evidence `json:"evidence"`
}

// OptionList is a list of choices an app offers its user: a string-array, a
// RadioGroup's buttons or an HTML select's options.
type OptionList struct {
	// Source names the list: "@array/blood_types", "res/layout/suspicious.xml
	// RadioGroup @id/suspicious_behaviour", "assets/form.html select name=mz".
	Source string `json:"source"`
	// Title is the label of the widget that offers the list, per locale.
	Title map[string]string `json:"title,omitempty"`
	// Options holds the choices per locale, verbatim.
	Options map[string][]string `json:"options"`
	// UsedBy lists the widgets that show the list (Spinner entries).
	UsedBy     []string          `json:"used_by,omitempty"`
	Categories []string          `json:"categories,omitempty"`
	Matches    []Match           `json:"matches,omitempty"`
	Evidence   analysis.Evidence `json:"evidence"`
}

// Match is one lexicon term found in a field or option list.
type Match struct {
	Category string `json:"category"`
	Term     string `json:"term"`
	Lang     string `json:"lang"` // lexicon language, "inputType" or "autofill"
	Strong   bool   `json:"strong"`
	// Source is what the term was found in: "id", "label", "text", "hint",
	// "description", "inputType", "autofillHints", "name", "title" or
	// "option".
	Source string `json:"source"`

	group string // the source's independence group
}

func run(pass *analysis.Pass) (any, error) {
	s := newScan(pass)
	for _, p := range pass.App.Parts {
		if err := pass.Context.Err(); err != nil {
			return nil, err
		}
		s.part(p)
	}
	s.finishOptionLists()
	s.report()
	return s.res, nil
}

// scan holds one run's state.
type scan struct {
	pass *analysis.Pass
	lex  *knowledge.Lexicon
	res  *Result

	widgetsSeen int
	documents   int
	optionTexts int
	htmlFiles   int
	noted       map[string]bool

	// arrays maps a part's array option list to its index in res.OptionLists,
	// so Spinners can name it and lend it their labels.
	arrays map[arrayKey]int

	// fieldVerdicts and listVerdicts hold, per field and per option list,
	// the verdicts behind its categories.
	fieldVerdicts [][]*verdict
	listVerdicts  [][]*verdict
}

type arrayKey struct {
	part *app.Part
	id   uint32
}

func newScan(pass *analysis.Pass) *scan {
	return &scan{
		pass:   pass,
		lex:    knowledge.DefaultLexicon(),
		res:    &Result{Fields: []Field{}, OptionLists: []OptionList{}},
		noted:  map[string]bool{},
		arrays: map[arrayKey]int{},
	}
}

// note records a problem or a bound once.
func (s *scan) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !s.noted[msg] {
		s.noted[msg] = true
		s.res.Notes = append(s.res.Notes, msg)
	}
}

func (s *scan) part(p *app.Part) {
	table := p.Resources()
	own := table != nil
	if !own && p != s.pass.App.Base() {
		// A split without a table of its own resolves against the base.
		table = s.pass.App.Resources()
	}
	rs := newResolver(table)
	// Arrays first, so that Spinners can point at their option lists;
	// a borrowed table's arrays were listed with the part that owns it.
	if own {
		s.arrayLists(p, rs)
	}
	s.layouts(p, rs)
	s.htmlForms(p)
}

func (s *scan) addField(f Field, vs []*verdict) bool {
	if len(s.res.Fields) >= maxFields {
		s.note("field limit of %d reached: later fields are not listed", maxFields)
		return false
	}
	s.res.Fields = append(s.res.Fields, f)
	s.fieldVerdicts = append(s.fieldVerdicts, vs)
	return true
}

func (s *scan) addOptionList(o OptionList) int {
	if len(s.res.OptionLists) >= maxOptionLists {
		s.note("option list limit of %d reached: later lists are not listed", maxOptionLists)
		return -1
	}
	n := 0
	for _, opts := range o.Options {
		n += len(opts)
	}
	if s.optionTexts+n > maxOptionTexts {
		s.note("option text limit of %d reached: later lists are not listed", maxOptionTexts)
		return -1
	}
	s.optionTexts += n
	s.res.OptionLists = append(s.res.OptionLists, o)
	return len(s.res.OptionLists) - 1
}

// sortedLocales returns a map's locales, the default first, then in order.
func sortedLocales[V any](m map[string]V) []string {
	locs := make([]string, 0, len(m))
	for l := range m {
		locs = append(locs, l)
	}
	slices.SortFunc(locs, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return locs
}
