package forms

import (
	"slices"
	"testing"

	"appxray/app"
	"appxray/internal/axmltest"
	"appxray/res"
)

// The tests' binary XML writer (internal/axmltest), by its local names.
type (
	xattr = axmltest.Attr
	xnode = axmltest.Node
)

var (
	el        = axmltest.El
	aStr      = axmltest.Str
	aRef      = axmltest.Ref
	buildAXML = axmltest.Build
)

// TestLayoutLabels covers what the demo app does not: labelFor, a
// TextInputLayout's hint through a wrapper, a label reaching into the
// container after it, a label used up by the field it names, <view
// class=…>, a TextInputLayout without a text entry, framework-less ids.
func TestLayoutLabels(t *testing.T) {
	const (
		idEmail = 0x7f0b0001 + iota
		idPassport
		idAddress
		idWeight
		idBirth
	)
	id := func(v uint32) xattr { return aRef("id", attrID, v) }
	text := func(s string) xattr { return aStr("text", attrText, s) }
	hint := func(s string) xattr { return aStr("hint", attrHint, s) }
	appHint := func(s string) xattr {
		return xattr{NS: "http://schemas.android.com/apk/res-auto", Name: "hint", Type: res.TypeString, Str: s}
	}
	inputType := func(v uint32) xattr {
		return xattr{NS: app.AndroidNS, Name: "inputType", ResID: attrInputType, Type: res.TypeIntHex, Data: v}
	}
	root := el("LinearLayout", nil,
		el("TextView", []xattr{aRef("labelFor", attrLabelFor, idPassport), text("Passport number")}),
		el("com.google.android.material.textfield.TextInputLayout", []xattr{appHint("Email address")},
			el("FrameLayout", nil,
				el("com.google.android.material.textfield.TextInputEditText", []xattr{id(idEmail), inputType(0x21)}))),
		el("EditText", []xattr{id(idPassport), hint("e.g. E1234567")}),
		el("TextView", []xattr{text("Home address")}),
		el("FrameLayout", nil,
			el("EditText", []xattr{id(idAddress)}),
			el("ImageButton", nil)),
		el("EditText", []xattr{id(idWeight), hint("Body weight")}),
		el("view", []xattr{{Name: "class", Type: res.TypeString, Str: "com.example.BirthDatePicker"}, id(idBirth)}),
		el("com.google.android.material.textfield.TextInputLayout", []xattr{appHint("Religion")},
			el("com.example.ChipBox", nil)),
		el("EditText", []xattr{aStr("autofillHints", attrAutofillHints, "birthDateFull")}),
		el("Button", []xattr{text("Submit")}),
	)
	data := buildAXML(root)
	s := newScan(nil)
	s.layoutFile(nil, newResolver(nil), "res/a1.xml", data)
	if len(s.res.Notes) > 0 {
		t.Fatalf("notes: %v", s.res.Notes)
	}
	type want struct {
		widget, id, label, source, inputType string
		cats                                 []string
	}
	wants := []want{
		{"com.google.android.material.textfield.TextInputEditText", "@0x7f0b0001", "Email address", "TextInputLayout", "textEmailAddress", []string{"person.email"}},
		{"EditText", "@0x7f0b0002", "Passport number", "labelFor", "", []string{"person.national_id"}},
		{"EditText", "@0x7f0b0003", "Home address", "sibling TextView", "", []string{"person.address"}},
		{"EditText", "@0x7f0b0004", "Body weight", "hint", "", []string{"person.physical"}},
		{"com.example.BirthDatePicker", "@0x7f0b0005", "", "", "", nil},
		{"com.google.android.material.textfield.TextInputLayout", "", "Religion", "hint", "", []string{"person.religion"}},
		{"EditText", "", "", "", "", []string{"person.birth"}},
	}
	if len(s.res.Fields) != len(wants) {
		for _, f := range s.res.Fields {
			t.Logf("%s %s %v", f.Widget, f.ID, f.Labels)
		}
		t.Fatalf("%d fields, want %d", len(s.res.Fields), len(wants))
	}
	for i, w := range wants {
		f := s.res.Fields[i]
		if f.Widget != w.widget || f.ID != w.id || f.Labels[""] != w.label || f.LabelSource != w.source || f.InputType != w.inputType || !slices.Equal(strs(f.Categories), w.cats) {
			t.Errorf("field %d: %s %s label %q (%s) type %q cats %v\nwant %+v", i, f.Widget, f.ID, f.Labels[""], f.LabelSource, f.InputType, f.Categories, w)
		}
	}
	if loc := s.res.Fields[0].Evidence.Location; loc != "res/a1.xml com.google.android.material.textfield.TextInputEditText @0x7f0b0001" {
		t.Errorf("location %q", loc)
	}
}
