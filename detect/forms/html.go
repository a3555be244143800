package forms

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"appxray/app"
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
	options []string
	isList  bool
}

// htmlPage extracts the form fields of one page.
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
		s.finishHTMLField(hf, labelsFor)
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
	if l := labelsFor[hf.elemID]; hf.elemID != "" && l != "" {
		f.Labels, f.LabelSource = map[string]string{"": l}, "label"
	} else if hf.label != "" {
		f.Labels, f.LabelSource = map[string]string{"": hf.label}, "label"
	}
	if f.ID != "" {
		f.IDTokens = tokens(f.ID)
	}
	var primary []source
	if f.ID != "" {
		primary = append(primary, identSource("id", "id", f.ID))
	}
	if f.Labels != nil {
		primary = append(primary, source{name: "label", group: "label", texts: f.Labels})
	}
	if f.Widget == "input" {
		primary = append(primary, source{name: "inputType", group: "inputType", fixed: htmlInputCategories(f.InputType)})
	}
	if f.Autofill != "" {
		primary = append(primary, source{name: "autofillHints", group: "autofillHints", fixed: autofillMatches(f.Autofill)})
	}
	secondary := []source{
		{name: "hint", group: "hint", texts: f.Hint},
		{name: "description", group: "description", texts: f.Description},
		{name: "text", group: "text", texts: f.Text},
	}
	vs := s.decide(primary, secondary, f.InputType == "checkbox" || f.InputType == "radio" || f.InputType == "range")
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
	if hf.isList {
		f.Entries = fmt.Sprintf("%s select name=%s", f.Layout, f.ID)
	}
	f.Evidence = ev
	f.Evidence.Detail = htmlDetail(&f)
	if s.addField(f, vs, fieldInfo{}) < 0 {
		return
	}
	if hf.isList && len(hf.options) > 0 {
		o := OptionList{
			Source:   f.Entries,
			Options:  map[string][]string{"": hf.options},
			Evidence: ev,
		}
		if f.Labels != nil {
			o.Title = copyMap(f.Labels)
		}
		s.addOptionList(o)
	}
}

// collapse trims text and collapses runs of white space, as a browser
// renders it.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
