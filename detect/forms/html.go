package forms

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"appxray/app"
	"appxray/knowledge"
	"appxray/scan"
)

// htmlFormMarkers are what a page must contain to hold a form field.
var htmlFormMarkers = [][]byte{[]byte("<input"), []byte("<select"), []byte("<textarea")}

// skippedInputTypes are inputs that take nothing from the user.
var skippedInputTypes = map[string]bool{"hidden": true, "submit": true, "button": true, "reset": true, "image": true}

func (s *state) htmlForms(p *app.Part) {
	for _, e := range p.Zip.Entries {
		if s.pass.Context.Err() != nil {
			return
		}
		if !strings.HasPrefix(e.Name, "assets/") {
			continue
		}
		switch strings.ToLower(path.Ext(e.Name)) {
		case ".html", ".htm", ".xhtml":
		default:
			continue
		}
		if p.Zip.Lookup(e.Name) != e {
			continue // a shadowed duplicate name; Android reads the other
		}
		if s.htmlFiles >= maxHTMLFiles {
			s.note("HTML limit of %d files reached: later pages are not read", maxHTMLFiles)
			return
		}
		if e.UncompressedSize > maxHTMLSize {
			s.note("%s: %d bytes, over the %d-byte limit for HTML pages: not read", p.Location(e.Name), e.UncompressedSize, maxHTMLSize)
			continue
		}
		s.htmlFiles++
		data, err := p.Zip.ReadFile(e)
		if err != nil {
			s.note("%s: %v", p.Location(e.Name), err)
			continue
		}
		if !hasFormMarker(data) {
			continue
		}
		s.htmlPage(p.Location(e.Name), data)
	}
}

func hasFormMarker(data []byte) bool {
	lower := bytes.ToLower(data)
	for _, m := range htmlFormMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}

// htmlField is a field of a page before its labels are known.
type htmlField struct {
	f       Field
	elemID  string // the id attribute, which <label for> names
	label   string // text of a <label> wrapping the field
	before  string // text just before the field, outside any label
	legend  string // the legend of the fieldset around it
	options []string
	isList  bool
	query   bool // in a search form, or an input of type search
	// queryForm is the form the field is in (its count on the page).
	queryForm int
	// radios are the other buttons of a radio group this field stands
	// for (the group's first button); radioOf is set on those others.
	radios  []*htmlField
	radioOf *htmlField
}

// htmlPage extracts the form fields of one page. Each radio group (the
// radio inputs of one form sharing a name) is one field, at its first
// button, whose label is the question before it and whose options are
// its buttons' labels.
func (s *state) htmlPage(loc string, data []byte) {
	z := newHTMLTokenizer(data)
	var (
		fields     []*htmlField
		labelsFor  = map[string]string{}
		inLabel    bool
		labelFor   string
		labelText  strings.Builder
		wrapped    []*htmlField
		sel        *htmlField
		inOption   bool
		optionText strings.Builder
		optionVal  string
		textarea   *htmlField
		// The page's structure around a field.
		searchForm bool
		form       int // counts forms, to keep radio groups apart
		legends    []string
		inLegend   bool
		legendText strings.Builder
		before     strings.Builder // text since the last field or block
		radios     = map[string]*htmlField{}
	)
	endOption := func() {
		if sel != nil && inOption {
			t := collapse(optionText.String())
			if t == "" {
				t = optionVal
			}
			if t != "" {
				sel.options = append(sel.options, t)
			}
		}
		inOption = false
		optionText.Reset()
	}
	for {
		if s.widgetsSeen >= maxWidgetsSeen {
			break
		}
		t, ok := z.next()
		if !ok {
			break
		}
		switch t.kind {
		case tokText:
			if inLabel {
				labelText.WriteString(t.text)
				labelText.WriteByte(' ')
			} else if !inOption && !inLegend && textarea == nil && collapse(t.text) != "" {
				before.Reset() // the nearest text before a field
				before.WriteString(t.text)
			}
			if inLegend {
				legendText.WriteString(t.text)
				legendText.WriteByte(' ')
			}
			if inOption {
				optionText.WriteString(t.text)
			}
			if textarea != nil {
				if v := collapse(t.text); v != "" {
					textarea.f.Text = map[string]string{"": v}
				}
				textarea = nil
			}
		case tokStart:
			switch t.name {
			case "form":
				form++
				role, _ := t.attr("role")
				searchForm = strings.EqualFold(strings.TrimSpace(role), "search")
				before.Reset()
			case "fieldset":
				legends = append(legends, "")
			case "legend":
				inLegend = true
				legendText.Reset()
			case "label":
				inLabel, wrapped = true, nil
				labelFor, _ = t.attr("for")
				labelText.Reset()
			case "input", "textarea", "select":
				typ, _ := t.attr("type")
				typ = strings.ToLower(strings.TrimSpace(typ))
				if t.name == "input" && typ == "" {
					typ = "text"
				}
				if t.name == "input" && skippedInputTypes[typ] {
					continue
				}
				s.widgetsSeen++
				hf := newHTMLField(loc, &t, typ)
				hf.before = collapse(before.String())
				before.Reset()
				if len(legends) > 0 {
					hf.legend = legends[len(legends)-1]
				}
				hf.query = searchForm || typ == "search"
				if typ == "search" {
					searchForm = true // a search box makes its form a search
					for _, f := range fields {
						if f.queryForm == form {
							f.query = true
						}
					}
				}
				hf.queryForm = form
				if typ == "radio" && hf.f.ID != "" {
					key := strconv.Itoa(form) + "\x00" + hf.f.ID
					if first, ok := radios[key]; ok {
						hf.radioOf = first
						first.radios = append(first.radios, hf)
					} else {
						radios[key] = hf
					}
				}
				fields = append(fields, hf)
				if inLabel {
					wrapped = append(wrapped, hf)
				}
				switch t.name {
				case "select":
					endOption()
					sel = hf
					hf.isList = true
				case "textarea":
					textarea = hf
				}
			case "option":
				endOption()
				if sel != nil {
					inOption = true
					optionVal, _ = t.attr("value")
				}
			}
		case tokEnd:
			switch t.name {
			case "label":
				text := collapse(labelText.String())
				if inLabel && text != "" {
					if labelFor != "" {
						labelsFor[labelFor] = text
					}
					for _, hf := range wrapped {
						hf.label = text
					}
				}
				inLabel, wrapped = false, nil
				before.Reset()
			case "legend":
				if inLegend && len(legends) > 0 {
					legends[len(legends)-1] = collapse(legendText.String())
				}
				inLegend = false
				before.Reset()
			case "fieldset":
				if len(legends) > 0 {
					legends = legends[:len(legends)-1]
				}
			case "form":
				searchForm = false
			case "option":
				endOption()
			case "select":
				endOption()
				sel = nil
			}
		}
	}
	endOption()
	for _, hf := range fields {
		if hf.radioOf == nil {
			s.finishHTMLField(hf, labelsFor)
		}
	}
}

func newHTMLField(loc string, t *htmlToken, typ string) *htmlField {
	hf := &htmlField{f: Field{Layout: loc, Widget: t.name, Line: t.line, InputType: typ}}
	hf.elemID, _ = t.attr("id")
	name, _ := t.attr("name")
	if name == "" {
		name = hf.elemID
	}
	hf.f.ID = strings.TrimSpace(name)
	if v, ok := t.attr("placeholder"); ok {
		hf.f.Hint = clean(map[string]string{"": collapse(v)})
	}
	if v, ok := t.attr("autocomplete"); ok && !strings.EqualFold(v, "off") && !strings.EqualFold(v, "on") {
		hf.f.Autofill = strings.TrimSpace(v)
	}
	desc, _ := t.attr("aria-label")
	if desc == "" {
		desc, _ = t.attr("title")
	}
	hf.f.Description = clean(map[string]string{"": collapse(desc)})
	if typ == "checkbox" || typ == "radio" {
		if v, ok := t.attr("value"); ok {
			hf.f.Text = clean(map[string]string{"": collapse(v)})
		}
	}
	return hf
}

func (s *state) finishHTMLField(hf *htmlField, labelsFor map[string]string) {
	f := hf.f
	labelOf := func(h *htmlField) string {
		if l := labelsFor[h.elemID]; h.elemID != "" && l != "" {
			return l
		}
		return h.label
	}
	radio := f.InputType == "radio"
	switch l := labelOf(hf); {
	case radio:
		// A radio group's label is its question: the text before its
		// first button, else the fieldset's legend.
		if q := hf.before; q != "" && !prose(map[string]string{"": q}) {
			f.Labels, f.LabelSource = map[string]string{"": q}, "text before the group"
		} else if hf.legend != "" {
			f.Labels, f.LabelSource = map[string]string{"": hf.legend}, "legend"
		}
	case l != "":
		f.Labels, f.LabelSource = map[string]string{"": l}, "label"
	case hf.before != "" && !prose(map[string]string{"": hf.before}):
		f.Labels, f.LabelSource = map[string]string{"": strings.TrimSpace(hf.before)}, "text before the field"
	}
	if f.ID != "" {
		f.IDTokens = tokens(f.ID)
	}
	var options []string
	if radio {
		for _, h := range append([]*htmlField{hf}, hf.radios...) {
			opt := labelOf(h)
			if opt == "" {
				if v := h.f.Text[""]; v != "" {
					opt = v
				}
			}
			if opt != "" {
				options = append(options, opt)
			}
		}
		f.Text = nil // the first button's value is one option, not the group's name
	}
	var primary []source
	if f.ID != "" {
		primary = append(primary, identSource("id", "id", f.ID))
	}
	if f.Labels != nil {
		primary = append(primary, source{name: "label", group: "label", texts: f.Labels})
	}
	if f.Widget == "input" {
		primary = append(primary, source{name: "inputType", group: "inputType", fixed: htmlInputCategories(f.InputType), tie: true})
	}
	if f.Autofill != "" {
		primary = append(primary, source{name: "autofillHints", group: "autofillHints", fixed: autofillMatches(f.Autofill)})
	}
	secondary := []source{
		{name: "hint", group: "hint", texts: f.Hint},
		{name: "description", group: "description", texts: f.Description},
		{name: "text", group: "text", texts: f.Text},
	}
	check := f.InputType == "checkbox"
	mk := findMarkers(s.lex, append(slices.Clone(primary), secondary...))
	var vs []*verdict
	var note string
	switch {
	case check && len(mk.choice) > 0:
		note = "a choice or consent (" + quote(mk.choice[0].Term) + "), not data entry"
	case radio:
		// The question names the group; its options corroborate it.
		vs = s.decide(primary, nil, false)
		vs = s.withContext(vs, primary, "options", map[string]string{"": strings.Join(options, ", ")})
	default:
		vs = s.decide(primary, secondary, check || f.InputType == "range")
	}
	if check {
		vs = slices.DeleteFunc(vs, func(v *verdict) bool { return valueCategory(v.category) })
	}
	if hf.legend != "" && !radio {
		vs = s.withContext(vs, append(primary, secondary...), "legend", map[string]string{"": hf.legend})
	}
	vs = s.specialNeedsNaming(vs)
	info := fieldInfo{}
	switch {
	case hf.query:
		info.query, vs = vs, nil
		note = "in a search form: it queries data, it does not collect it"
	case len(mk.query) > 0:
		info.query, vs = vs, nil
		note = "a search or filter field (" + quote(mk.query[0].Term) + "): it queries data, it does not collect it"
	}
	f.Categories, f.Matches = categoriesOf(vs)
	if f.Labels == nil {
		switch {
		case f.Hint != nil:
			f.Labels, f.LabelSource = copyMap(f.Hint), "hint"
		case f.Description != nil:
			f.Labels, f.LabelSource = copyMap(f.Description), "description"
		}
	}
	ev := scan.AssetLine(f.Layout, f.Line, "")
	switch {
	case hf.isList:
		f.Entries = fmt.Sprintf("%s select name=%s", f.Layout, f.ID)
	case radio:
		f.Entries = fmt.Sprintf("%s radio name=%s", f.Layout, f.ID)
		hf.options = options
	}
	f.Evidence = ev
	f.Evidence.Detail = htmlDetail(&f)
	if radio && len(options) > 0 {
		f.Evidence.Detail += ", options " + strings.Join(quoteAll(options), ", ")
	}
	if note != "" {
		f.Evidence.Detail += "; " + note
	}
	fi := s.addField(f, vs, info)
	if fi < 0 {
		return
	}
	if (hf.isList || radio) && len(hf.options) > 0 {
		o := OptionList{
			Source:   f.Entries,
			Options:  map[string][]string{"": hf.options},
			Evidence: ev,
		}
		if f.Labels != nil {
			o.Title = copyMap(f.Labels)
		}
		if i := s.addOptionList(o); i >= 0 {
			s.listUsers[i] = append(s.listUsers[i], fi)
		}
	}
}

// withContext lets a context (a fieldset's legend, a radio group's
// options) corroborate the weak terms of a field's own sources, and lend
// it relationships ("Emergency contact"); it places no other category the
// field's own words do not name.
func (s *state) withContext(vs []*verdict, own []source, name string, ctx map[string]string) []*verdict {
	if ctx[""] == "" {
		return vs
	}
	with := classify(s.lex, append(slices.Clone(own), source{name: name, group: name, texts: ctx}), false)
	for _, v := range with {
		if slices.ContainsFunc(vs, func(w *verdict) bool { return w.category == v.category }) {
			continue
		}
		ownMatch := slices.ContainsFunc(v.matches, func(m Match) bool { return m.Source != name && !fixedMatch(m) })
		if ownMatch || v.category == knowledge.PersonRelationships && len(vs) > 0 {
			vs = append(vs, v)
		}
	}
	return vs
}

// collapse trims text and collapses runs of white space, as a browser
// renders it.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
