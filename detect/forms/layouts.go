package forms

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"appxray/app"
	"appxray/axml"
	"appxray/knowledge"
	"appxray/res"
	"appxray/scan"
)

// maxWalkDepth bounds the element nesting walked; the XML decoder has its
// own, usually lower, bound.
const maxWalkDepth = 1024

// prefilterUTF16 is prefilter in UTF-16LE, the encoding of most layout
// string pools.
var prefilterUTF16 = func() [][]byte {
	out := make([][]byte, len(prefilter))
	for i, s := range prefilter {
		for _, u := range utf16.Encode([]rune(s)) {
			out[i] = append(out[i], byte(u), byte(u>>8))
		}
	}
	return out
}()

// mayHoldWidget reports whether a binary XML file's bytes name any widget
// class, so that the many drawables, menus and layouts without one are not
// decoded at all.
func mayHoldWidget(data []byte) bool {
	for i, s := range prefilter {
		if bytes.Contains(data, prefilterUTF16[i]) || bytes.Contains(data, []byte(s)) {
			return true
		}
	}
	return false
}

// layoutPaths lists the part's layout files: every file value of the
// resource table's layout type (in every configuration; obfuscators rename
// them freely, "res/a1.xml"), then any other res/**.xml entry, since views
// can hide in any type.
func layoutPaths(p *app.Part, rs *resolver, ids map[string]resRef) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if !seen[name] && p.Zip.Lookup(name) != nil {
			seen[name] = true
			out = append(out, name)
		}
	}
	if t := rs.table; t != nil && t.ValueStrings != nil {
		for _, pkg := range t.Packages {
			for _, ty := range pkg.Types {
				if ty.Name != "layout" {
					continue
				}
				for _, tc := range ty.Configs {
					for e, err := range tc.All() {
						if err != nil || e == nil || e.Complex || e.Value.Type != res.TypeString {
							continue
						}
						if s, err := t.ValueStrings.String(e.Value.Data); err == nil && strings.HasSuffix(strings.ToLower(s), ".xml") {
							add(s)
							if ids != nil {
								ids[p.Location(s)] = resRef{id: e.ID, name: e.Name}
							}
						}
					}
				}
			}
		}
	}
	for _, e := range p.Zip.Entries {
		if strings.HasPrefix(e.Name, "res/") && strings.HasSuffix(strings.ToLower(e.Name), ".xml") {
			add(e.Name)
		}
	}
	return out
}

func (s *state) layouts(p *app.Part, rs *resolver) {
	needles := s.widgetClassNeedles()
	for _, name := range layoutPaths(p, rs, s.layoutIDs) {
		if s.pass.Context.Err() != nil || s.widgetsSeen >= maxWidgetsSeen {
			return
		}
		if s.documents >= maxDocuments {
			s.note("layout limit of %d documents reached: later layouts are not read", maxDocuments)
			return
		}
		data, err := p.ReadEntry(name)
		if err != nil {
			s.note("%s: %v", p.Location(name), err)
			continue
		}
		// Only binary XML: a raw text file under res/ is not inflated by Android.
		if len(data) < 8 || data[0] != 0x03 || data[1] != 0x00 {
			continue
		}
		s.refs.scanResources(data) // <include layout=…>, a preference's entries
		if !mayHoldWidget(data) && !needles.match(data) {
			continue
		}
		s.documents++
		s.layoutFile(p, rs, p.Location(name), data)
	}
	if s.widgetsSeen >= maxWidgetsSeen {
		s.note("widget limit of %d reached: later layouts are not read", maxWidgetsSeen)
	}
}

// layoutFile reads the widgets of one binary XML document.
func (s *state) layoutFile(p *app.Part, rs *resolver, loc string, data []byte) {
	doc, err := axml.Parse(data, axml.DefaultLimits())
	if err != nil {
		s.note("%s: %v", loc, err)
	}
	if doc == nil {
		return
	}
	d := &docWalk{state: s, part: p, rs: rs, loc: loc, labelFor: map[uint32]map[string]string{}, layout: s.layoutIDs[loc]}
	for _, root := range doc.Roots {
		d.collectLabelFor(root, 0)
	}
	for _, root := range doc.Roots {
		d.survey(root, 0)
	}
	for _, root := range doc.Roots {
		d.children([]*axml.Element{root}, walkCtx{}, 0, nil)
	}
}

// docWalk walks one layout document.
type docWalk struct {
	*state
	part *app.Part
	rs   *resolver
	loc  string
	// labelFor maps a widget's id to the text of the view naming it with
	// android:labelFor.
	labelFor map[uint32]map[string]string
	layout   resRef
	// searchForm is set when the layout is a search or filter screen (a
	// SearchView, or a button that only says "Search"); hasPassword when
	// it holds a password field.
	searchForm, hasPassword bool
}

// walkCtx is what a widget inherits from its ancestors and the siblings
// before it.
type walkCtx struct {
	til     *tilState         // the nearest enclosing TextInputLayout
	group   *groupState       // the nearest enclosing RadioGroup
	heading map[string]string // the section heading over it
}

type tilState struct {
	hint map[string]string
	used bool
}

type groupState struct {
	id       string
	labels   map[string]string
	verdicts []*verdict
	buttons  []map[string]string // each RadioButton's text per locale
}

// className is the class an element inflates: its name, or the class
// attribute of a <view> element.
func className(e *axml.Element) string {
	if e.Name == "view" {
		if a, ok := e.Attr("", "class"); ok {
			if s, ok := a.String(); ok && s != "" {
				return s
			}
		}
	}
	return e.Name
}

func (d *docWalk) collectLabelFor(e *axml.Element, depth int) {
	if depth > maxWalkDepth {
		return
	}
	if a, ok := attr(e, attrLabelFor, "labelFor"); ok && a.Value.IsReference() {
		if t := d.rs.texts(textAttr(e)); t != nil {
			d.labelFor[a.Value.Data] = t
		}
	}
	for _, c := range e.Children {
		d.collectLabelFor(c, depth+1)
	}
}

func textAttr(e *axml.Element) *axml.Attribute {
	a, _ := attr(e, attrText, "text")
	return a
}

// children walks siblings in order, carrying the nearest preceding text
// view that could label the next widget. A label names the first widget
// after it that has no text of its own (an EditText, a Spinner…), and the
// check boxes and switches before that one (a row label "Travel abroad"
// over "Has travelled abroad" and a "Countries visited" box). It also
// reaches into a container that follows it ("Name" above a FrameLayout
// holding the EditText and a clear button). A paragraph (instructions, a
// notice) is no label and ends the one before it. A text view followed by
// several fields that each carry their own hint is a section heading
// ("Delivery address" over "First name", "Street"…), not their label: it
// only tells whose data they are ("Emergency contact"). children reports
// whether the inherited label was used up.
func (d *docWalk) children(els []*axml.Element, ctx walkCtx, depth int, label map[string]string) bool {
	if depth > maxWalkDepth {
		return false
	}
	inherited, consumed := label != nil, false
	use := func() {
		if label != nil && inherited {
			consumed = true
		}
		label, inherited = nil, false
	}
	for i, e := range els {
		if d.widgetsSeen >= maxWidgetsSeen {
			break
		}
		class := className(e)
		k := d.kindOf(class)
		switch k {
		case kindNone:
			if d.children(e.Children, ctx, depth+1, label) {
				use()
			}
		case kindLabel:
			t := d.rs.texts(textAttr(e))
			switch {
			case t == nil:
			case prose(t):
				label, inherited = nil, false
			default:
				label, inherited = t, false
				ctx.heading = nil // a new label ends the section's run of hinted fields
			}
		case kindTextInputLayout:
			d.widgetsSeen++
			hint := d.rs.texts(hintAttr(e, true))
			til := &tilState{hint: hint}
			inner := ctx
			inner.til = til
			d.children(e.Children, inner, depth+1, label)
			if !til.used {
				d.field(e, class, k, label, ctx)
			}
			use()
		case kindRadioGroup:
			d.widgetsSeen++
			fi := d.field(e, class, k, label, ctx)
			use()
			g := &groupState{}
			if fi >= 0 {
				g.id = d.res.Fields[fi].ID
				g.labels = d.res.Fields[fi].Labels
				g.verdicts = d.fieldVerdicts[fi]
			}
			inner := ctx
			inner.group = g
			d.children(e.Children, inner, depth+1, nil)
			if fi >= 0 && len(g.buttons) > 0 {
				d.radioList(fi, g)
			}
		default:
			d.widgetsSeen++
			if label != nil && k == kindTextEntry && d.hinted(e) && i+1 < len(els) && d.hintedEntry(els[i+1]) {
				ctx.heading = label
				use()
			} else if k != kindTextEntry || !d.hinted(e) {
				ctx.heading = nil // a heading covers the hinted fields under it only
			}
			d.field(e, class, k, label, ctx)
			if !k.compound() {
				use()
			}
			d.children(e.Children, ctx, depth+1, nil)
		}
	}
	return consumed
}

// hinted reports whether an element has a hint of its own.
func (d *docWalk) hinted(e *axml.Element) bool {
	return d.rs.texts(hintAttr(e, false)) != nil
}

// hintedEntry reports whether an element is a text entry (or a text input
// layout) with a hint of its own.
func (d *docWalk) hintedEntry(e *axml.Element) bool {
	switch d.kindOf(className(e)) {
	case kindTextEntry:
		return d.hinted(e)
	case kindTextInputLayout:
		return d.rs.texts(hintAttr(e, true)) != nil
	}
	return false
}

// Bounds of a label: longer text is a paragraph of instructions or a
// notice, not the name of a field.
const (
	maxLabelRunes    = 60
	maxLabelWords    = 8
	maxLabelCJKRunes = 24
)

// prose reports whether a text is a paragraph rather than a label, judged
// on its default text (else any).
func prose(t map[string]string) bool {
	v, ok := t[""]
	if !ok {
		v = values(t)[0]
	}
	runes, cjk := 0, 0
	for _, r := range v {
		runes++
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			cjk++
		}
	}
	if cjk > maxLabelCJKRunes || runes > maxLabelRunes {
		return true
	}
	return len(strings.Fields(v)) > maxLabelWords
}

// survey notes what the whole layout says about its fields: whether it is
// a search screen and whether it holds a password field.
func (d *docWalk) survey(e *axml.Element, depth int) {
	if depth > maxWalkDepth {
		return
	}
	class := className(e)
	switch simpleName(class) {
	case "SearchView":
		d.searchForm = true
	case "Button", "ImageButton", "MaterialButton", "AppCompatButton", "AppCompatImageButton":
		var t map[string]string
		if a := textAttr(e); a != nil {
			t = d.rs.texts(a)
		}
		if t == nil {
			if a, ok := attr(e, attrContentDescription, "contentDescription"); ok {
				t = d.rs.texts(a)
			}
		}
		if t != nil && d.onlyQuery(t) {
			d.searchForm = true
		}
	}
	if d.kindOf(class) == kindTextEntry {
		if a, ok := attr(e, attrInputType, "inputType"); ok {
			if v, ok := d.intValue(a); ok {
				if ms := inputTypeCategories(v); len(ms) > 0 && ms[0].Category == knowledge.PersonCredentials {
					d.hasPassword = true
				}
			}
		}
		if a, ok := attr(e, attrPassword, "password"); ok && a.Value.Type == res.TypeIntBoolean && a.Value.Data != 0 {
			d.hasPassword = true
		}
	}
	for _, c := range e.Children {
		d.survey(c, depth+1)
	}
}

// onlyQuery reports whether a button's text is a query word and nothing
// more that names data ("Search", "Buscar", "搜索"; not "Find address").
func (d *docWalk) onlyQuery(t map[string]string) bool {
	for _, v := range values(t) {
		if len(strings.Fields(v)) > 3 {
			continue
		}
		ms := d.lex.MatchText(v)
		q, other := false, false
		for _, m := range ms {
			if m.Marker == knowledge.MarkerQuery {
				q = true
			} else if len(m.Categories) > 0 {
				other = true
			}
		}
		if q && !other {
			return true
		}
	}
	return false
}

// hintAttr finds android:hint, or for a TextInputLayout also app:hint.
func hintAttr(e *axml.Element, library bool) *axml.Attribute {
	if a, ok := attr(e, attrHint, "hint"); ok {
		return a
	}
	if library {
		if a, ok := anyAttr(e, "hint"); ok {
			return a
		}
	}
	return nil
}

// field records a widget and returns its index in the result, or -1.
func (d *docWalk) field(e *axml.Element, class string, k kind, sibling map[string]string, ctx walkCtx) int {
	f := Field{Layout: d.loc, Widget: class, Line: int(e.Line)}
	id, idRes := d.rs.idName(e)
	f.ID = id
	if id != "" {
		f.IDTokens = tokens(id)
	}
	f.Text = d.rs.texts(textAttr(e))
	f.Hint = d.rs.texts(hintAttr(e, k == kindTextInputLayout))
	if a, ok := attr(e, attrContentDescription, "contentDescription"); ok {
		f.Description = d.rs.texts(a)
	}
	switch {
	case idRes != 0 && d.labelFor[idRes] != nil:
		f.Labels, f.LabelSource = copyMap(d.labelFor[idRes]), "labelFor"
	case k == kindTextEntry && ctx.til != nil && !ctx.til.used && ctx.til.hint != nil:
		f.Labels, f.LabelSource = copyMap(ctx.til.hint), "TextInputLayout"
	case sibling != nil:
		f.Labels, f.LabelSource = copyMap(sibling), "sibling TextView"
	}
	if k == kindTextEntry && ctx.til != nil {
		ctx.til.used = true
	}
	var itype uint32
	hasType := false
	if a, ok := attr(e, attrInputType, "inputType"); ok {
		itype, hasType = d.intValue(a)
		if hasType {
			f.InputType = decodeInputType(itype)
		}
	}
	list := -1
	if a, ok := attr(e, attrEntries, "entries"); ok && a.Value.IsReference() {
		f.Entries = d.rs.refName(a.Value.Data)
		if i, ok := d.arrays[arrayKey{d.part, a.Value.Data}]; ok {
			d.linkSpinner(i, class, f.ID, f.Line, f.Labels)
			list = i
		}
	}
	if k == kindRadioButton && ctx.group != nil {
		f.Group = ctx.group.id
		opt := f.Text
		if opt == nil {
			// A button without text (an icon): name it by its id, marked
			// as such, so the list keeps one entry per button.
			opt = map[string]string{"": refOrUntitled(f.ID)}
		}
		ctx.group.buttons = append(ctx.group.buttons, opt)
	}

	idGroup := "id"
	textGroup := "text"
	if k.compound() {
		textGroup = "id"
	}
	var primary []source
	if f.ID != "" {
		primary = append(primary, identSource("id", idGroup, strings.TrimPrefix(f.ID, "android:")))
	}
	// A check box or switch with text of its own is named by it: the row
	// label over it is context, not its name ("Password:" over "Remember
	// password").
	ownText := k.compound() && f.Text != nil
	if f.Labels != nil && !ownText {
		primary = append(primary, source{name: "label", group: "label", texts: f.Labels})
	}
	if f.Text != nil && k != kindTextEntry {
		// An EditText's text is a prefilled value, not a name.
		primary = append(primary, source{name: "text", group: textGroup, texts: f.Text})
	}
	if hasType {
		primary = append(primary, source{name: "inputType", group: "inputType", fixed: inputTypeCategories(itype), tie: true})
	}
	if a, ok := attr(e, attrPassword, "password"); ok && a.Value.Type == res.TypeIntBoolean && a.Value.Data != 0 {
		primary = append(primary, source{name: "inputType", group: "inputType", tie: true,
			fixed: []Match{{Category: knowledge.PersonCredentials, Term: "android:password", Lang: "inputType", Strong: true, Source: "inputType"}}})
	}
	if a, ok := attr(e, attrAutofillHints, "autofillHints"); ok {
		if hints := values(d.rs.texts(a)); len(hints) > 0 {
			f.Autofill = hints[0]
			primary = append(primary, source{name: "autofillHints", group: "autofillHints", fixed: autofillMatches(f.Autofill)})
		}
	}
	secondary := []source{
		{name: "hint", group: "hint", texts: f.Hint},
		{name: "description", group: "description", texts: f.Description},
	}
	info := fieldInfo{layout: d.layout}
	mk := findMarkers(d.lex, append(slices.Clone(primary), secondary...))
	var vs []*verdict
	var note string
	switch {
	case k.compound() && len(mk.choice) > 0 && (ownText || f.Labels == nil):
		// "Remember password", "I agree", "Billing address is the same
		// as shipping": a choice the user makes, not data.
		note = "a choice or consent (" + quote(mk.choice[0].Term) + "), not data entry"
	case k == kindRadioButton && ctx.group != nil:
		vs = d.decideOption(primary, secondary, ctx.group)
	default:
		vs = d.decide(primary, secondary, k.compound() || k == kindSlider)
	}
	if k.compound() && k != kindRadioButton {
		vs = slices.DeleteFunc(vs, func(v *verdict) bool { return valueCategory(v.category) })
	}
	if ctx.heading != nil {
		vs = d.headingContext(vs, ctx.heading)
	}
	if len(vs) == 0 && k == kindTextEntry && d.hasPassword && !typeIsPassword(itype, hasType) {
		vs = d.shapeOfNationalID(e, itype, hasType)
	}
	vs = d.specialNeedsNaming(vs)
	// A search or filter field asks what to look for, not about the user.
	if q := d.queryReason(mk, e, k); q != "" {
		info.query, vs = vs, nil
		note = q
	}
	f.Categories, f.Matches = categoriesOf(vs)

	if f.Labels == nil {
		switch {
		case f.Text != nil && k != kindTextEntry:
			f.Labels, f.LabelSource = copyMap(f.Text), "text"
		case f.Hint != nil:
			f.Labels, f.LabelSource = copyMap(f.Hint), "hint"
		case f.Description != nil:
			f.Labels, f.LabelSource = copyMap(f.Description), "contentDescription"
		}
	}
	detail := fieldDetail(&f)
	if note != "" {
		detail = strings.TrimPrefix(detail+"; "+note, "; ")
	}
	f.Evidence = scan.LayoutWidget(d.loc, class, f.ID, f.Line, detail)
	fi := d.addField(f, vs, info)
	if fi >= 0 && list >= 0 {
		d.listUsers[list] = append(d.listUsers[list], fi)
	}
	return fi
}

// valueCategory reports whether a category is a value a person types or
// picks (a name, a number, an address), which a check box or switch cannot
// take: "Password + Token Digits" on a check box chooses a way to log in.
func valueCategory(c knowledge.Category) bool {
	switch c {
	case knowledge.PersonName, knowledge.PersonNationalID, knowledge.PersonPhoneNumber, knowledge.PersonEmail,
		knowledge.PersonCredentials, knowledge.PersonAddress, knowledge.PersonBirth, knowledge.PersonFinance:
		return true
	}
	return false
}

// typeIsPassword reports whether an input type is a password's.
func typeIsPassword(itype uint32, hasType bool) bool {
	ms := inputTypeCategories(itype)
	return hasType && len(ms) > 0 && ms[0].Category == knowledge.PersonCredentials
}

// queryReason says why a field is a query, or "" if it is not: a query
// word in what names it ("Search by name", "filter_age"), a search action
// on its keyboard, or a search screen around it.
func (d *docWalk) queryReason(mk markers, e *axml.Element, k kind) string {
	if len(mk.query) > 0 {
		return "a search or filter field (" + quote(mk.query[0].Term) + "): it queries data, it does not collect it"
	}
	if a, ok := attr(e, attrImeOptions, "imeOptions"); ok {
		if v, ok := d.intValue(a); ok && v&0xff == imeActionSearch {
			return "a search field (imeOptions actionSearch): it queries data, it does not collect it"
		}
	}
	if d.searchForm && k != kindTextInputLayout {
		return "in a search or filter screen: it queries data, it does not collect it"
	}
	return ""
}

// imeActionSearch is EditorInfo.IME_ACTION_SEARCH.
const imeActionSearch = 3

// headingContext adds what a section heading says about whose data the
// fields under it are: only relationships ("Emergency contact", "Spouse")
// carry over; the heading's other words name the section, not the field.
func (d *docWalk) headingContext(vs []*verdict, heading map[string]string) []*verdict {
	for _, v := range classify(d.lex, []source{{name: "heading", group: "heading", texts: heading}}, true) {
		if v.category == knowledge.PersonRelationships && !slices.ContainsFunc(vs, func(w *verdict) bool { return w.category == v.category }) && len(vs) > 0 {
			vs = append(vs, v)
		}
	}
	return vs
}

// maxLengthNationalID is the length of a Turkish TCKN, and of other
// national numbers a bank log-in asks beside its password.
const maxLengthNationalID = 11

// shapeOfNationalID places a field nothing names by its shape: eleven
// digits on a numeric keyboard beside a password field is how bank log-ins
// ask for a national identity number (the TCKN). The verdict is weak
// evidence and never a claim on its own.
func (d *docWalk) shapeOfNationalID(e *axml.Element, itype uint32, hasType bool) []*verdict {
	class := itype & typeMaskClass
	if !hasType || class != typeClassNumber && class != typeClassPhone {
		return nil
	}
	a, ok := attr(e, attrMaxLength, "maxLength")
	if !ok {
		return nil
	}
	if n, ok := d.intValue(a); !ok || n != maxLengthNationalID {
		return nil
	}
	m := Match{Category: knowledge.PersonNationalID, Term: "11 digits beside a password", Lang: "shape", Source: "inputType"}
	return []*verdict{{category: m.Category, groups: []string{"shape"}, matches: []Match{m}, matchGroups: []string{"shape"}, translated: []bool{false}, low: true}}
}

// specialNeedsNaming drops a special category that no strong term names:
// a special category is claimed only where the field's own words say it.
func (s *state) specialNeedsNaming(vs []*verdict) []*verdict {
	return slices.DeleteFunc(vs, func(v *verdict) bool { return v.category.Special() && !v.strong })
}

// decideOption classifies a radio button: by its own text and id, with
// the group's question corroborating weak terms of the same category
// ("Hombre" under "Sexo"). The question alone does not place a button.
func (d *docWalk) decideOption(primary, secondary []source, g *groupState) []*verdict {
	own := d.decide(primary, secondary, true)
	if g.labels == nil {
		return own
	}
	with := classify(d.lex, append(slices.Clone(primary), source{name: "group", group: "group", texts: g.labels}), false)
	for _, v := range with {
		if slices.ContainsFunc(own, func(w *verdict) bool { return w.category == v.category }) {
			continue
		}
		ownMatch := slices.ContainsFunc(v.matches, func(m Match) bool { return m.Source != "group" })
		inGroup := slices.ContainsFunc(g.verdicts, func(w *verdict) bool { return w.category == v.category })
		if ownMatch && inGroup && !v.category.Special() {
			own = append(own, v)
		}
	}
	return own
}

// decide classifies on what names a field (id, label, own text, input
// type) and falls back on its hint and description only when those say
// nothing: a hint often explains a field with other words ("Full name as
// on the ID card") that are not what it asks for.
//
// Check boxes, switches and sliders take no text, so short or ambiguous
// terms ("phone" in "In-call phone volume") do not place them: only strong
// terms do.
//
// Where the label (or a check box's own text) names a category with a
// strong term, what only the id says is dropped: the label is what the
// user reads ("पिन कोड" is a postcode whatever "pincode" suggests).
func (s *state) decide(primary, secondary []source, strongOnly bool) []*verdict {
	vs := classify(s.lex, primary, strongOnly)
	if len(vs) == 0 {
		vs = classify(s.lex, append(primary, secondary...), strongOnly)
	}
	return labelBeatsID(vs)
}

func labelBeatsID(vs []*verdict) []*verdict {
	if !slices.ContainsFunc(vs, func(v *verdict) bool { return v.strongFrom("label", "text") }) {
		return vs
	}
	return slices.DeleteFunc(vs, func(v *verdict) bool {
		return !slices.ContainsFunc(v.matches, func(m Match) bool { return m.Source != "id" && !fixedMatch(m) })
	})
}

// intValue reads an integer attribute, following a reference, or parses
// flag names.
func (d *docWalk) intValue(a *axml.Attribute) (uint32, bool) {
	v := a.Value
	if v.IsReference() && d.rs.table != nil {
		rv, ok := d.rs.table.ResolveValue(v.Data, "")
		if !ok {
			return 0, false
		}
		v = rv
	}
	switch v.Type {
	case res.TypeIntDec, res.TypeIntHex:
		return v.Data, true
	}
	if s, ok := a.String(); ok {
		if n, err := strconv.ParseUint(strings.TrimSpace(s), 0, 32); err == nil {
			return uint32(n), true
		}
		return inputTypeByName(s)
	}
	return 0, false
}

// refOrUntitled names a widget without text by its id.
func refOrUntitled(id string) string {
	switch {
	case id == "":
		return "(no text)"
	case strings.HasPrefix(id, "@"):
		return id
	case strings.HasPrefix(id, "android:"):
		return "@android:id/" + strings.TrimPrefix(id, "android:")
	}
	return "@id/" + id
}

// untitled reports whether an option is refOrUntitled's stand-in rather
// than text, which the lexicon must not read.
func untitled(opt string) bool {
	return opt == "(no text)" || strings.HasPrefix(opt, "@id/") || strings.HasPrefix(opt, "@android:id/") || strings.HasPrefix(opt, "@0x")
}

// tokens tokenises an identifier, without a framework id's "android:".
func tokens(id string) []string {
	return knowledge.Tokenize(strings.TrimPrefix(id, "android:"))
}
