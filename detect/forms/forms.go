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
	"appxray/scan"
)

// Analyzer finds form fields and option lists and reports those that fall in
// a taxonomy category. Its result is a *Result.
var Analyzer = &analysis.Analyzer{
	Name:       "forms",
	Doc:        "reports the data-entry widgets of layouts, string-arrays, spinners, radio groups and HTML forms in assets, with their labels in every locale, and what they ask about a person",
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
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

// Field, OptionList and Match are the scan document's types.
type (
	Field      = scan.Field
	OptionList = scan.OptionList
	Match      = scan.Match
)

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

// state holds one run's state.
type state struct {
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
	// fieldInfo holds, per field, what decides its confidence at the end.
	fieldInfo []fieldInfo
	// listQuery marks the option lists shown only by query fields.
	listUsers map[int][]int // option list → the fields that show it

	classes *hierarchy
	kinds   map[string]kind
	refs    refs
	// layoutIDs maps a layout file's location to its resource id and name.
	layoutIDs map[string]resRef
	arrayIDs  map[string]uint32 // "@array/x" → its id
}

// resRef names a resource by id and entry name.
type resRef struct {
	id   uint32
	name string
}

// fieldInfo is what the end of the run needs to know about a field.
type fieldInfo struct {
	layout resRef // the layout the field is in (zero for HTML)
	// query holds the verdicts of a search or filter field: what it
	// queries, which is not what it collects.
	query []*verdict
}

type arrayKey struct {
	part *app.Part
	id   uint32
}

func newScan(pass *analysis.Pass) *state {
	return &state{
		pass:      pass,
		lex:       knowledge.DefaultLexicon(),
		res:       &Result{Fields: []Field{}, OptionLists: []OptionList{}},
		noted:     map[string]bool{},
		arrays:    map[arrayKey]int{},
		listUsers: map[int][]int{},
		kinds:     map[string]kind{},
		refs:      refs{fromRes: map[uint32]bool{}, fromCode: map[uint32]bool{}},
		layoutIDs: map[string]resRef{},
		arrayIDs:  map[string]uint32{},
	}
}

// note records a problem or a bound once.
func (s *state) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !s.noted[msg] {
		s.noted[msg] = true
		s.res.Notes = append(s.res.Notes, msg)
	}
}

func (s *state) part(p *app.Part) {
	table := p.Resources()
	own := table != nil
	if !own && p != s.pass.App.Base() {
		// A split without a table of its own resolves against the base.
		table = s.pass.App.Resources()
	}
	rs := newResolver(table)
	s.refs.noteTypes(table)
	// Arrays first, so that Spinners can point at their option lists;
	// a borrowed table's arrays were listed with the part that owns it.
	if own {
		s.arrayLists(p, rs)
		if data, err := p.ReadEntry("resources.arsc"); err == nil {
			s.refs.scanResources(data) // styles and arrays naming layouts and arrays
		}
	}
	s.layouts(p, rs)
	s.htmlForms(p)
}

// addField records a field and reports its index, or -1 at the limit.
// Copies of a layout in qualifier folders (res/layout-v17/a.xml beside
// res/layout/a.xml) are all listed, and reported as one field (see groups).
func (s *state) addField(f Field, vs []*verdict, info fieldInfo) int {
	if len(s.res.Fields) >= maxFields {
		s.note("field limit of %d reached: later fields are not listed", maxFields)
		return -1
	}
	s.res.Fields = append(s.res.Fields, f)
	s.fieldVerdicts = append(s.fieldVerdicts, vs)
	s.fieldInfo = append(s.fieldInfo, info)
	return len(s.res.Fields) - 1
}

// copyKey is the location of a layout widget with its layout's qualifiers
// dropped ("res/layout-v17/a.xml EditText @id/x" → "res/layout/a.xml
// EditText @id/x", and so under a split's or a bundle module's prefix:
// "split.apk!res/…", "base/res/…"); "" for a widget without an id, whose
// copies cannot be told apart from other widgets, and for HTML.
func copyKey(loc string) string {
	if !strings.Contains(loc, " @") {
		return ""
	}
	at := -1
	for i := 0; i+4 <= len(loc) && loc[i] != ' '; i++ {
		if strings.HasPrefix(loc[i:], "res/") && (i == 0 || loc[i-1] == '!' || loc[i-1] == '/') {
			at = i
			break
		}
	}
	if at < 0 {
		return ""
	}
	prefix, rest := loc[:at+len("res/")], loc[at+len("res/"):]
	inner, file, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	if t, _, ok := strings.Cut(inner, "-"); ok {
		inner = t
	}
	return prefix + inner + "/" + file
}

func (s *state) addOptionList(o OptionList) int {
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
