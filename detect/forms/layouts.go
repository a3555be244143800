package forms

import (
	"bytes"
	"strconv"
	"strings"
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
func layoutPaths(p *app.Part, rs *resolver) []string {
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
	for _, name := range layoutPaths(p, rs) {
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
		if len(data) < 8 || data[0] != 0x03 || data[1] != 0x00 || !mayHoldWidget(data) {
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
	d := &docWalk{state: s, part: p, rs: rs, loc: loc, labelFor: map[uint32]map[string]string{}}
	for _, root := range doc.Roots {
		d.collectLabelFor(root, 0)
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
}

// walkCtx is what a widget inherits from its ancestors.
type walkCtx struct {
	til   *tilState   // the nearest enclosing TextInputLayout
	group *groupState // the nearest enclosing RadioGroup
}

type tilState struct {
	hint map[string]string
	used bool
}

type groupState struct {
	id      string
	buttons []map[string]string // each RadioButton's text per locale
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
// holding the EditText and a clear button). children reports whether the
// inherited label was used up.
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
	for _, e := range els {
		if d.widgetsSeen >= maxWidgetsSeen {
			break
		}
		class := className(e)
		k := classifyClass(class)
		switch k {
		case kindNone:
			if d.children(e.Children, ctx, depth+1, label) {
				use()
			}
		case kindLabel:
			if t := d.rs.texts(textAttr(e)); t != nil {
				label, inherited = t, false
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
			}
			inner := ctx
			inner.group = g
			d.children(e.Children, inner, depth+1, nil)
			if fi >= 0 && len(g.buttons) > 0 {
				d.radioList(fi, g)
			}
		default:
			d.widgetsSeen++
			d.field(e, class, k, label, ctx)
			if !k.compound() {
				use()
			}
			d.children(e.Children, ctx, depth+1, nil)
		}
	}
	return consumed
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
	if a, ok := attr(e, attrEntries, "entries"); ok && a.Value.IsReference() {
		f.Entries = d.rs.refName(a.Value.Data)
		if i, ok := d.arrays[arrayKey{d.part, a.Value.Data}]; ok {
			d.linkSpinner(i, class, f.ID, f.Line, f.Labels)
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
	if f.Labels != nil {
		primary = append(primary, source{name: "label", group: "label", texts: f.Labels})
	}
	if f.Text != nil && k != kindTextEntry {
		// An EditText's text is a prefilled value, not a name.
		primary = append(primary, source{name: "text", group: textGroup, texts: f.Text})
	}
	if hasType {
		primary = append(primary, source{name: "inputType", group: "inputType", fixed: inputTypeCategories(itype)})
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
	vs := d.decide(primary, secondary, k.compound() || k == kindSlider)
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
	f.Evidence = scan.LayoutWidget(d.loc, class, f.ID, f.Line, fieldDetail(&f))
	if !d.addField(f, vs) {
		return -1
	}
	return len(d.res.Fields) - 1
}

// decide classifies on what names a field (id, label, own text, input
// type) and falls back on its hint and description only when those say
// nothing: a hint often explains a field with other words ("Full name as
// on the ID card") that are not what it asks for.
//
// Check boxes, switches and sliders take no text, so short or ambiguous
// terms ("phone" in "In-call phone volume") do not place them: only strong
// terms do.
func (s *state) decide(primary, secondary []source, strongOnly bool) []*verdict {
	if vs := classify(s.lex, primary, strongOnly); len(vs) > 0 {
		return vs
	}
	return classify(s.lex, append(primary, secondary...), strongOnly)
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
