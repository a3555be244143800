package forms

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/knowledge"
)

func TestDecodeInputType(t *testing.T) {
	tests := []struct {
		v    uint32
		want string
		cat  string
	}{
		{0x0, "none", ""},
		{0x1, "text", ""},
		{0x2, "number", ""},
		{0x3, "phone", "person.phone_number"}, // weak: see TestClassifyRules
		{0x4, "datetime", ""},
		{0x14, "date", ""},
		{0x24, "time", ""},
		{0x21, "textEmailAddress", "person.email"},
		{0xd1, "textWebEmailAddress", "person.email"},
		{0x61, "textPersonName", "person.name"},
		{0x71, "textPostalAddress", "person.address"},
		{0x81, "textPassword", "person.credentials"},
		{0x91, "textVisiblePassword", "person.credentials"},
		{0xe1, "textWebPassword", "person.credentials"},
		{0x12, "numberPassword", "person.credentials"},
		{0x1001, "textCapCharacters", ""},
		{0x20001, "textMultiLine", ""},
		{0x2061, "textPersonName|textCapWords", "person.name"},
		{0x24001, "textCapSentences|textMultiLine", ""},
		{0x2002, "numberDecimal", ""},
		{0x3002, "numberSigned|numberDecimal", ""},
		{0x80021, "textEmailAddress|textNoSuggestions", "person.email"},
		{0xf1, "0xf1", ""},                                    // unknown text variation
		{0x1000003, "phone|0x1000000", "person.phone_number"}, // bit above the flags
		{0x1003, "phone|0x1000", "person.phone_number"},       // a text flag on the phone class
	}
	for _, tt := range tests {
		if got := decodeInputType(tt.v); got != tt.want {
			t.Errorf("decodeInputType(%#x) = %q, want %q", tt.v, got, tt.want)
		}
		ms := inputTypeCategories(tt.v)
		var got string
		if len(ms) > 0 {
			got = string(ms[0].Category)
		}
		if got != tt.cat {
			t.Errorf("inputTypeCategories(%#x) = %q, want %q", tt.v, got, tt.cat)
		}
		// The names parse back to the value, as in a layout compiled
		// without typed attributes.
		if !strings.Contains(tt.want, "0x") {
			if v, ok := inputTypeByName(tt.want); !ok || v != tt.v {
				t.Errorf("inputTypeByName(%q) = %#x, %v; want %#x", tt.want, v, ok, tt.v)
			}
		}
	}
	if _, ok := inputTypeByName("textBogus"); ok {
		t.Error("inputTypeByName accepted an unknown name")
	}
}

func TestClassifyWidget(t *testing.T) {
	tests := map[string]kind{
		"EditText": kindTextEntry,
		"com.google.android.material.textfield.TextInputEditText": kindTextEntry,
		"androidx.appcompat.widget.AppCompatAutoCompleteTextView": kindTextEntry,
		"MultiAutoCompleteTextView":                               kindTextEntry,
		"com.example.ClearableEditText":                           kindTextEntry,
		"com.google.android.material.textfield.TextInputLayout":   kindTextInputLayout,
		"Spinner": kindSpinner,
		"androidx.appcompat.widget.AppCompatSpinner": kindSpinner,
		"CheckBox": kindCheckBox,
		"com.google.android.material.checkbox.MaterialCheckBox": kindCheckBox,
		"RadioButton":                            kindRadioButton,
		"RadioGroup":                             kindRadioGroup,
		"Switch":                                 kindSwitch,
		"androidx.appcompat.widget.SwitchCompat": kindSwitch,
		"com.google.android.material.switchmaterial.SwitchMaterial": kindSwitch,
		"ToggleButton": kindToggle,
		"DatePicker":   kindPicker,
		"TimePicker":   kindPicker,
		"NumberPicker": kindPicker,
		"RatingBar":    kindSlider,
		"androidx.appcompat.widget.AppCompatSeekBar": kindSlider,
		"TextView": kindLabel,
		"com.google.android.material.textview.MaterialTextView": kindLabel,
		"CheckedTextView":                 kindNone,
		"Button":                          kindNone,
		"LinearLayout":                    kindNone,
		"TextSwitcher":                    kindNone,
		"com.example.Outer$InnerEditText": kindTextEntry,
	}
	for class, want := range tests {
		if got := classifyClass(class); got != want {
			t.Errorf("classifyClass(%q) = %d, want %d", class, got, want)
		}
	}
	// The prefilter lets every widget class through.
	for _, sk := range suffixKinds {
		if !mayHoldWidget([]byte("xx" + sk.suffix + "yy")) {
			t.Errorf("prefilter drops %s", sk.suffix)
		}
	}
	if mayHoldWidget([]byte("LinearLayout TextView ImageView Button")) {
		t.Error("prefilter passes a layout without widgets")
	}
}

func TestLangFits(t *testing.T) {
	tests := []struct {
		lex, loc string
		want     bool
	}{
		{"en", "", true},
		{"zh", "", true},
		{"en", "en-GB", true},
		{"en", "sv", false}, // "Visa alltid" is Swedish for "Always show"
		{"en", "fr", false},
		{"zh", "zh-CN", true},
		{"zh", "zh-TW", true},
		{"zh", "ja", true},
		{"zh", "ko", false},
		{"fa", "ar", false},
		{"ar", "ar-EG", true},
		{"inputType", "de", true},
	}
	for _, tt := range tests {
		if got := langFits(tt.lex, tt.loc); got != tt.want {
			t.Errorf("langFits(%q, %q) = %v, want %v", tt.lex, tt.loc, got, tt.want)
		}
	}
}

func TestClassifyRules(t *testing.T) {
	lex := knowledge.DefaultLexicon()
	text := func(name, group, s string) source {
		return source{name: name, group: group, texts: map[string]string{"": s}}
	}
	cats := func(vs []*verdict) []string {
		c, _ := categoriesOf(vs)
		return strs(c)
	}
	tests := []struct {
		name       string
		srcs       []source
		strongOnly bool
		want       []string
	}{
		{"strong label alone", []source{text("label", "label", "ID card number")}, false, []string{"person.national_id"}},
		{"weak label alone", []source{text("label", "label", "Name")}, false, nil},
		{"weak label and weak id", []source{text("label", "label", "Name"), identSource("id", "id", "xm")}, false, []string{"person.name"}},
		{"weak terms, strong only", []source{text("label", "label", "Name"), identSource("id", "id", "xm")}, true, nil},
		{"one weak term twice in one group", []source{text("label", "label", "Phone phone")}, false, nil},
		{"same weak term in two options", []source{text("option", "option0", "Work"), text("option", "option1", "Work fax")}, false, nil},
		// An id that restates its label is not independent evidence.
		{"same weak term as id and label", []source{identSource("id", "id", "phone"), text("label", "label", "Phone")}, false, nil},
		{"same weak term as id and label, two languages", []source{identSource("id", "id", "txt_name"), text("label", "label", "Name:")}, false, nil},
		{"input type", []source{{name: "inputType", group: "inputType", fixed: inputTypeCategories(0x81), tie: true}}, true, []string{"person.credentials"}},
		// The label beats the input type, which only breaks ties.
		{"card number on a phone keyboard", []source{text("label", "label", "Card number"), {name: "inputType", group: "inputType", fixed: inputTypeCategories(0x3), tie: true}}, false, []string{"person.finance"}},
		{"postcode on a phone keyboard", []source{text("label", "label", "Code postal"), {name: "inputType", group: "inputType", fixed: inputTypeCategories(0x3), tie: true}}, false, []string{"person.address"}},
		{"CVV on a password keyboard", []source{text("label", "label", "Güvenlik Kodu (CVV)"), {name: "inputType", group: "inputType", fixed: inputTypeCategories(0x12), tie: true}}, false, []string{"person.finance"}},
		{"phone keyboard alone", []source{{name: "inputType", group: "inputType", fixed: inputTypeCategories(0x3), tie: true}}, false, nil},
		{"phone keyboard and a weak phone word", []source{text("label", "label", "Telefon"), {name: "inputType", group: "inputType", fixed: inputTypeCategories(0x3), tie: true}}, false, []string{"person.phone_number"}},
		{"person-name keyboard alone", []source{{name: "inputType", group: "inputType", fixed: inputTypeCategories(0x61), tie: true}}, false, nil},
		{"false friend in another locale", []source{{name: "text", group: "text", texts: map[string]string{"": "Always show", "sv": "Visa alltid"}}}, false, nil},
		{"Chinese label in zh-CN", []source{{name: "label", group: "label", texts: map[string]string{"": "Ethnicity", "zh-CN": "民族"}}}, false, []string{"person.ethnicity"}},
	}
	for _, tt := range tests {
		if got := cats(classify(lex, tt.srcs, tt.strongOnly)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHTMLTokenizer(t *testing.T) {
	src := "<!DOCTYPE html>\n<!-- <input name=commented> -->\n<p class=x>a &amp; b &#x4e2d;&#25991; &bogus; &</p>\n" +
		"<script>var s = '<input name=\"inscript\">';</script>\n" +
		"<INPUT Type=TEXT name='unq\"uoted' placeholder=\"a > b\" disabled/>\n" +
		"<textarea name=t><input name=intext></textarea>\n<p>5 < 6</p>"
	var got []string
	z := newHTMLTokenizer([]byte(src))
	for {
		tok, ok := z.next()
		if !ok {
			break
		}
		switch tok.kind {
		case tokStart:
			s := "<" + tok.name
			for _, a := range tok.attrs {
				s += " " + a.name + "=" + a.value
			}
			got = append(got, s+"@"+strconv.Itoa(tok.line))
		case tokEnd:
			got = append(got, "</"+tok.name)
		case tokText:
			if strings.TrimSpace(tok.text) != "" {
				got = append(got, "T:"+strings.TrimSpace(tok.text))
			}
		}
	}
	want := []string{
		"<p class=x@3", "T:a & b 中文 &bogus; &", "</p",
		"<script@4", "</script",
		"<input type=TEXT name=unq\"uoted placeholder=a > b disabled=@5",
		"<textarea name=t@6", "T:<input name=intext>", "</textarea",
		"<p@7", "T:5", "T:<", "T:6", "</p",
	}
	if !slices.Equal(got, want) {
		t.Errorf("tokens:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHTMLPage(t *testing.T) {
	page := `<html><body><form>
<label for="sfzh">身份证号</label>
<input id="sfzh" name="idCardNo" maxlength=18>
<label>Email <input type="email" name="contact"></label>
<input type="hidden" name="token" value="x">
<input type="submit" value="Go">
<select name="mz" id="mz"><option value="1">汉族<option value="2">维吾尔族</option><option value="3"></select>
<textarea name="notes" placeholder="Anything else"></textarea>
<input name="pw" type="password">
<input type="checkbox" name="agree" value="phone">
<input name="f1" autocomplete="section-a shipping postal-code">
</form></body></html>`
	s := newScan(nil)
	s.htmlPage("assets/p.html", []byte(page))
	type want struct {
		widget, id, label, inputType string
		line                         int
		cats                         []string
	}
	wants := []want{
		{"input", "idCardNo", "身份证号", "text", 3, []string{"person.national_id"}},
		{"input", "contact", "Email", "email", 4, []string{"person.email"}},
		{"select", "mz", "", "", 7, nil}, // "mz" alone is a weak term; its options place the list

		{"textarea", "notes", "Anything else", "", 8, nil},
		{"input", "pw", "", "password", 9, []string{"person.credentials"}},
		{"input", "agree", "", "checkbox", 10, nil}, // a weak term on a check box places nothing
		{"input", "f1", "", "text", 11, []string{"person.address"}},
	}
	if len(s.res.Fields) != len(wants) {
		var ids []string
		for _, f := range s.res.Fields {
			ids = append(ids, f.ID)
		}
		t.Fatalf("fields %v, want %d", ids, len(wants))
	}
	for i, w := range wants {
		f := s.res.Fields[i]
		if f.Widget != w.widget || f.ID != w.id || f.Labels[""] != w.label || f.InputType != w.inputType || f.Line != w.line || !slices.Equal(strs(f.Categories), w.cats) {
			t.Errorf("field %d: %s %s label %q type %q line %d cats %v; want %+v", i, f.Widget, f.ID, f.Labels[""], f.InputType, f.Line, f.Categories, w)
		}
	}
	if len(s.res.OptionLists) != 1 {
		t.Fatalf("option lists: %d, want 1", len(s.res.OptionLists))
	}
	o := s.res.OptionLists[0]
	s.finishOptionLists()
	o = s.res.OptionLists[0]
	if o.Source != "assets/p.html select name=mz" || !slices.Equal(o.Options[""], []string{"汉族", "维吾尔族", "3"}) ||
		!slices.Equal(strs(o.Categories), []string{"person.ethnicity"}) || o.Evidence.Location != "assets/p.html line 7" {
		t.Errorf("option list %+v", o)
	}
}

func TestLimitsAreNoted(t *testing.T) {
	s := newScan(nil)
	s.res.Fields = make([]Field, maxFields)
	s.fieldVerdicts = make([][]*verdict, maxFields)
	if s.addField(Field{}, nil, fieldInfo{}) >= 0 {
		t.Error("addField accepted a field over the limit")
	}
	if s.addField(Field{}, nil, fieldInfo{}) >= 0 {
		t.Error("addField accepted a second field over the limit")
	}
	if len(s.res.Notes) != 1 || !strings.Contains(s.res.Notes[0], "field limit") {
		t.Errorf("notes %v, want one field-limit note", s.res.Notes)
	}
	s.optionTexts = maxOptionTexts - 1
	if i := s.addOptionList(OptionList{Options: map[string][]string{"": {"a", "b"}}}); i != -1 {
		t.Errorf("addOptionList over the text limit returned %d", i)
	}
	if len(s.res.Notes) != 2 || !strings.Contains(s.res.Notes[1], "option text limit") {
		t.Errorf("notes %v, want an option-text note", s.res.Notes)
	}
}

func TestAutofill(t *testing.T) {
	tests := map[string]string{
		"emailAddress": "person.email", "email": "person.email",
		"personGivenName": "person.name", "name": "person.name", "family-name": "person.name",
		"password": "person.credentials", "new-password": "person.credentials", "smsOTPCode3": "person.credentials",
		"phone": "person.phone_number", "phoneNational": "person.phone_number", "tel-national": "person.phone_number",
		"postalAddress": "person.address", "addressLocality": "person.address", "street-address": "person.address",
		"creditCardNumber": "person.finance", "cc-number": "person.finance",
		"birthDateFull": "person.birth", "bday-year": "person.birth",
		"gender": "person.gender", "sex": "person.gender",
		"organization": "person.work_education",
		"flightNumber": "", "off": "", "": "",
	}
	for hint, want := range tests {
		if got := autofillCategory(hint); string(got) != want {
			t.Errorf("autofillCategory(%q) = %q, want %q", hint, got, want)
		}
	}
	ms := autofillMatches("phone, emailAddress unknown")
	if len(ms) != 2 || ms[0].Category != "person.phone_number" || ms[1].Category != "person.email" || !ms[0].Strong {
		t.Errorf("autofillMatches = %+v", ms)
	}
}

// strs turns typed IDs into strings for comparison with test tables.
func strs[T ~string](xs []T) []string {
	var out []string
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}

func resultOf(res *analysis.Result) *Result {
	r, _ := analysis.Get[*Result](res, Analyzer)
	return r
}

// Labels lose the spaces and invisible format characters at their ends,
// not those inside.
func TestCleanLabels(t *testing.T) {
	got := clean(map[string]string{"": "输入你的姓名\u200b\u200b ", "zh": " \ufeffE-mail\u200b", "hi": "क्\u200dष", "blank": "\u200b \u200b"})
	want := map[string]string{"": "输入你的姓名", "zh": "E-mail", "hi": "क्\u200dष"}
	if len(got) != len(want) {
		t.Fatalf("clean = %q, want %q", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("clean[%q] = %q, want %q", k, got[k], v)
		}
	}
}
