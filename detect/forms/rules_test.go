package forms

import (
	"slices"
	"strings"
	"testing"

	"appxray/app"
	"appxray/res"
)

// What the app's own classes are, by their superclasses: obfuscated names
// and custom classes resolved the same way, and a class named like a
// widget that is not one.
func TestResolveKind(t *testing.T) {
	s := newScan(nil)
	s.classes = &hierarchy{super: map[string]string{
		"a.a":                   "android.widget.EditText",
		"a.b":                   "a.a",
		"a.c":                   "android.widget.Spinner",
		"a.d":                   "android.widget.CompoundButton",
		"com.x.SeekBar":         "android.view.View",
		"com.x.FieldRow":        "android.widget.LinearLayout",
		"com.x.CardField":       "androidx.appcompat.widget.AppCompatEditText", // a library class outside the DEX
		"com.x.Loop":            "com.x.Loop2",
		"com.x.Loop2":           "com.x.Loop",
		"com.x.SearchView$Auto": "android.widget.AutoCompleteTextView",
	}}
	tests := map[string]kind{
		"a.a":                         kindTextEntry,
		"a.b":                         kindTextEntry,
		"a.c":                         kindSpinner,
		"a.d":                         kindCheckBox,
		"com.x.SearchView$Auto":       kindTextEntry,
		"com.x.CardField":             kindTextEntry, // told by its library superclass's name
		"EditText":                    kindTextEntry, // a framework widget written bare
		"com.other.ClearableEditText": kindTextEntry, // not in the DEX: by its name
		// Must not be fields.
		"com.x.SeekBar":  kindNone, // a View, whatever it is called
		"com.x.FieldRow": kindNone,
		"com.x.Loop":     kindNone, // a cycle ends
		"a.zz":           kindNone,
	}
	for class, want := range tests {
		if got := s.kindOf(class); got != want {
			t.Errorf("kindOf(%s) = %v, want %v", class, got, want)
		}
	}
}

func TestCopyKey(t *testing.T) {
	tests := map[string]string{
		"res/layout-v17/a.xml EditText @id/x":          "res/layout/a.xml EditText @id/x",
		"res/layout-sw600dp-land/a.xml Spinner @id/s":  "res/layout/a.xml Spinner @id/s",
		"res/layout/a.xml EditText @id/x":              "res/layout/a.xml EditText @id/x",
		"split.apk!res/layout-v21/a.xml a.b @id/x":     "split.apk!res/layout/a.xml a.b @id/x",
		"base/res/layout-v17/a.xml EditText @id/x":     "base/res/layout/a.xml EditText @id/x", // a bundle's module
		"assets/x/res/layout-v17/a.xml EditText @id/x": "assets/x/res/layout/a.xml EditText @id/x",
		"myres/layout-v17/a.xml EditText @id/x":        "",
		// No key: without an id a copy cannot be told from another widget.
		"res/layout-v17/a.xml line 12 EditText": "",
		"assets/form.html line 3":               "",
	}
	for in, want := range tests {
		if got := copyKey(in); got != want {
			t.Errorf("copyKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProse(t *testing.T) {
	tests := []struct {
		text  string
		prose bool
	}{
		{"Phone number", false},
		{"Has the person travelled abroad?", false},
		{"Enter a name for this device", false},
		{"身份证号", false},
		{"if you are under 18 quit this app and uninstall it immediately", true},
		{"Pour votre sécurité, veuillez confirmer vos informations personnelles et votre numéro de téléphone avant de continuer.", true},
		{"请如实填写以下健康信息，我们将严格保护您的隐私，仅用于医生诊断参考。", true},
	}
	for _, tt := range tests {
		if got := prose(map[string]string{"": tt.text}); got != tt.prose {
			t.Errorf("prose(%q) = %v, want %v", tt.text, got, tt.prose)
		}
	}
	licence := &OptionList{Options: map[string][]string{"": {
		"1. This licence agreement is a legal agreement between you and the publisher of this software.",
		"2. You must not use the software to commit a criminal offense or to violate any law.",
		"3. The software is provided in good faith, as is."}}}
	if !proseList(licence) {
		t.Error("a licence stored as an array is not prose")
	}
	choices := &OptionList{Options: map[string][]string{"": {"Christian", "Muslim", "Jewish", "Other"}}}
	if proseList(choices) {
		t.Error("short choices read as prose")
	}
}

// Layout rules the demo app does not cover: consent and choices on check
// boxes, a search screen, a section heading over hinted fields, a
// paragraph that is no label, an 11-digit field beside a password, a
// phone keyboard under a card-number label.
func TestLayoutRules(t *testing.T) {
	id := func(v uint32) xattr { return aRef("id", attrID, v) }
	text := func(s string) xattr { return aStr("text", attrText, s) }
	hint := func(s string) xattr { return aStr("hint", attrHint, s) }
	intAttr := func(name string, resID, v uint32) xattr {
		return xattr{NS: app.AndroidNS, Name: name, ResID: resID, Type: res.TypeIntHex, Data: v}
	}
	inputType := func(v uint32) xattr { return intAttr("inputType", attrInputType, v) }
	maxLen := func(v uint32) xattr {
		return xattr{NS: app.AndroidNS, Name: "maxLength", ResID: attrMaxLength, Type: res.TypeIntDec, Data: v}
	}
	build := func(children ...*xnode) *state {
		s := newScan(nil)
		s.layoutFile(nil, newResolver(nil), "res/a.xml", buildAXML(el("LinearLayout", nil, children...)))
		return s
	}
	type want struct {
		id   uint32
		cats []string
	}
	check := func(name string, s *state, wants []want) {
		t.Helper()
		for _, w := range wants {
			found := false
			for _, f := range s.res.Fields {
				if f.ID == "@0x"+hex8(w.id) {
					found = true
					if !slices.Equal(strs(f.Categories), w.cats) {
						t.Errorf("%s: %s: categories %v, want %v (%s)", name, f.ID, f.Categories, w.cats, f.Evidence.Detail)
					}
				}
			}
			if !found {
				t.Errorf("%s: no field %#x", name, w.id)
			}
		}
	}
	s := build(
		el("TextView", []xattr{text("Password:")}),
		el("CheckBox", []xattr{id(0x7f0b0001), text("Remember password")}),
		el("CheckBox", []xattr{id(0x7f0b0002), text("Billing address is the same as shipping address")}),
		el("CheckBox", []xattr{id(0x7f0b0003), text("I agree to the terms")}),
		el("CheckBox", []xattr{id(0x7f0b0004), text("Has travelled abroad")}),  // a yes/no fact: kept
		el("Switch", []xattr{id(0x7f0b000d), text("Unlock with fingerprint")}), // uses the phone's sensor, records nothing
		el("TextView", []xattr{text("Password + Token Digits")}),
		el("CheckBox", []xattr{id(0x7f0b0005)}), // a check box cannot take a password
		el("TextView", []xattr{text("Card number")}),
		el("EditText", []xattr{id(0x7f0b0006), inputType(0x3)}),
		el("EditText", []xattr{id(0x7f0b0007), inputType(0x3)}), // a phone keyboard alone says nothing
		el("TextView", []xattr{text("Please confirm your personal details and your phone number before you continue to the next step.")}),
		el("EditText", []xattr{id(0x7f0b0008)}), // a paragraph is no label
		el("TextView", []xattr{text("Emergency contact")}),
		el("EditText", []xattr{id(0x7f0b0009), hint("Full name")}),
		el("EditText", []xattr{id(0x7f0b000a), hint("Phone number"), inputType(0x3)}),
		el("EditText", []xattr{id(0x7f0b000b), inputType(0x2), maxLen(11)}),
		el("EditText", []xattr{id(0x7f0b000c), inputType(0x12)}),
	)
	check("form", s, []want{
		{0x7f0b0001, nil}, {0x7f0b0002, nil}, {0x7f0b0003, nil}, {0x7f0b0004, []string{"person.travel"}},
		{0x7f0b0005, nil}, {0x7f0b000d, nil},
		{0x7f0b0006, []string{"person.finance"}}, {0x7f0b0007, nil}, {0x7f0b0008, nil},
		{0x7f0b0009, []string{"person.name", "person.relationships"}}, {0x7f0b000a, []string{"person.phone_number", "person.relationships"}},
		{0x7f0b000b, []string{"person.national_id"}}, {0x7f0b000c, []string{"person.credentials"}},
	})
	for i, f := range s.res.Fields {
		if f.ID == "@0x7f0b000b" && (len(s.fieldVerdicts[i]) != 1 || !s.fieldVerdicts[i][0].low) {
			t.Errorf("the 11-digit field's national id must be a low verdict: %+v", s.fieldVerdicts[i])
		}
	}

	// A search screen: its fields query; what they name is kept apart.
	s = build(
		el("EditText", []xattr{id(0x7f0b0001), hint("Search by name")}),
		el("TextView", []xattr{text("Religion")}),
		el("Spinner", []xattr{id(0x7f0b0002)}),
		el("Button", []xattr{text("Search")}),
	)
	check("search", s, []want{{0x7f0b0001, nil}, {0x7f0b0002, nil}})
	if len(s.fieldInfo[1].query) == 0 || s.fieldInfo[1].query[0].category != "person.religion" {
		t.Errorf("the search filter's religion is not kept as what it queries: %+v", s.fieldInfo[1].query)
	}
	// Not a search screen: a button "Find address" names data.
	s = build(
		el("TextView", []xattr{text("Religion")}),
		el("Spinner", []xattr{id(0x7f0b0002)}),
		el("Button", []xattr{text("Find address")}),
	)
	check("not search", s, []want{{0x7f0b0002, []string{"person.religion"}}})
}

func hex8(v uint32) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		b[i] = digits[v&0xf]
		v >>= 4
	}
	return string(b)
}

// HTML rules: a radio group is one question, a field takes the text
// before it, a legend corroborates, a search form queries, consent takes
// nothing.
func TestHTMLRules(t *testing.T) {
	page := `<form>
<p>What is your religion?</p>
<input type="radio" name="q7" id="a" value="1"><label for="a">Christianity</label>
<input type="radio" name="q7" id="b" value="2"><label for="b">Islam</label>
<div>CPF: <input type="text" name="doc"></div>
<fieldset><legend>Endereço</legend>
<input type="text" name="n" placeholder="Número">
<input type="text" name="c" placeholder="Cartão">
</fieldset>
<label><input type="checkbox" name="keep"> Keep me signed in</label>
<label><input type="checkbox" name="s"> I am pregnant</label>
<input type="tel" name="t9" placeholder="CVV">
</form>
<form role="search"><input name="q" placeholder="Nome"><input type="radio" name="sx" value="m"> Men</form>`
	s := newScan(nil)
	s.htmlPage("assets/p.html", []byte(page))
	want := map[int][]string{
		3:  {"person.religion"},    // one field for the group, at its first button
		5:  {"person.national_id"}, // 'CPF:' before it
		7:  {"person.address"},     // 'Número' corroborated by the legend
		8:  nil,                    // the legend places nothing by itself
		10: nil,                    // consent
		11: {"person.health"},      // a yes/no fact on a check box
		12: {"person.finance"},     // the label beats type=tel
		14: nil,                    // a search form queries
	}
	got := map[int][]string{}
	for _, f := range s.res.Fields {
		got[f.Line] = strs(f.Categories)
	}
	if len(s.res.Fields) != 9 {
		for _, f := range s.res.Fields {
			t.Logf("line %d %s %s", f.Line, f.ID, f.Evidence.Detail)
		}
		t.Errorf("%d fields, want 9 (the second radio button is not a field of its own)", len(s.res.Fields))
	}
	for line, cats := range want {
		if c, ok := got[line]; !ok || !slices.Equal(c, cats) {
			t.Errorf("line %d: categories %v (present %v), want %v", line, c, ok, cats)
		}
	}
	var group *OptionList
	for i := range s.res.OptionLists {
		if strings.HasSuffix(s.res.OptionLists[i].Source, "radio name=q7") {
			group = &s.res.OptionLists[i]
		}
	}
	if group == nil || !slices.Equal(group.Options[""], []string{"Christianity", "Islam"}) || group.Title[""] != "What is your religion?" {
		t.Errorf("radio group list %+v", group)
	}
}
