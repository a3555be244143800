package forms

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/scan"
)

// runFile runs the analyzer on one file and fails on any error.
func runFile(t testing.TB, path string) (*Result, []analysis.Finding) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatalf("open %s: %v", corpus.Name(path), err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("%s: analyzer errors: %v", corpus.Name(path), res.Errors)
	}
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok || r == nil {
		t.Fatalf("%s: no forms result", corpus.Name(path))
	}
	return r, res.Findings
}

// l builds a label map: default, zh-CN, zh-TW.
func l(en, cn, tw string) map[string]string {
	m := map[string]string{"": en}
	if cn != "" {
		m["zh-CN"] = cn
	}
	if tw != "" {
		m["zh-TW"] = tw
	}
	return m
}

type wantField struct {
	layout, widget, id string
	labels             map[string]string
	labelSource        string
	text, hint         map[string]string
	inputType, entries string
	group              string
	cats               []string
}

const (
	form = "res/layout/person_form.xml"
	sus  = "res/layout/suspicious.xml"
	page = "assets/form.html"
)

// demoFields is testapps/README.md's table, plus the suspicious-behaviour
// radio buttons and the HTML form, in document order.
var demoFields = []wantField{
	{form, "EditText", "xm", l("Name", "姓名", "姓名"), "sibling TextView", nil,
		l("Full name as on the ID card", "请输入身份证上的姓名", "請輸入身分證上的姓名"), "textPersonName", "", "", []string{"person.name"}},
	{form, "EditText", "sfzh", l("ID card number", "身份证号", "身分證號"), "sibling TextView", nil,
		l("18-digit citizen ID number", "18位公民身份号码", "18位公民身分號碼"), "text", "", "", []string{"person.national_id"}},
	{form, "EditText", "height_cm", l("Height (cm)", "身高（厘米）", "身高（公分）"), "sibling TextView", nil,
		l("e.g. 175", "例如 175", "例如 175"), "number", "", "", []string{"person.physical"}},
	{form, "Spinner", "bloodType", l("Blood type", "血型", "血型"), "sibling TextView", nil, nil, "", "@array/blood_types", "", []string{"person.physical"}},
	{form, "EditText", "car_color", l("Car colour", "车辆颜色", "車輛顏色"), "sibling TextView", nil,
		l("e.g. white", "例如 白色", "例如 白色"), "text", "", "", []string{"person.vehicle"}},
	{form, "EditText", "cph", l("Licence plate", "车牌号", "車牌號"), "sibling TextView", nil,
		l("e.g. XA12345", "例如 新A12345", "例如 新A12345"), "textCapCharacters", "", "", []string{"person.vehicle"}},
	{form, "RadioGroup", "zjxy", l("Religion", "宗教信仰", "宗教信仰"), "sibling TextView", nil, nil, "", "", "", []string{"person.religion"}},
	{form, "RadioButton", "religion_buddhism", l("Buddhism", "佛教", "佛教"), "text", l("Buddhism", "佛教", "佛教"), nil, "", "", "zjxy", []string{"person.religion"}},
	{form, "RadioButton", "religion_christianity", l("Christianity", "基督教", "基督教"), "text", l("Christianity", "基督教", "基督教"), nil, "", "", "zjxy", []string{"person.religion"}},
	{form, "RadioButton", "religion_islam", l("Islam", "伊斯兰教", "伊斯蘭教"), "text", l("Islam", "伊斯兰教", "伊斯蘭教"), nil, "", "", "zjxy", []string{"person.religion"}},
	{form, "RadioButton", "religion_other", l("Other", "其他", "其他"), "text", l("Other", "其他", "其他"), nil, "", "", "zjxy", []string{"person.religion"}},
	{form, "RadioButton", "religion_none", l("None", "无", "無"), "text", l("None", "无", "無"), nil, "", "", "zjxy", []string{"person.religion"}},
	{form, "Spinner", "mz", l("Ethnicity", "民族", "民族"), "sibling TextView", nil, nil, "", "@array/ethnicities", "", []string{"person.ethnicity"}},
	{form, "EditText", "relativesInfo", l("Relatives", "亲属", "親屬"), "sibling TextView", nil,
		l("Name, relationship and ID card number of each relative", "每位亲属的姓名、关系和身份证号", "每位親屬的姓名、關係和身分證號"), "textMultiLine", "", "", []string{"person.relationships"}},
	{form, "CheckBox", "hasTravelledAbroad", l("Travel abroad", "出境情况", "出境情況"), "sibling TextView",
		l("Has travelled abroad", "曾经出境", "曾經出境"), nil, "", "", "", []string{"person.travel"}},
	{form, "EditText", "countriesVisited", l("Travel abroad", "出境情况", "出境情況"), "sibling TextView", nil,
		l("Countries visited", "去过的国家", "去過的國家"), "text", "", "", []string{"person.travel"}},
	{form, "EditText", "lxdh", l("Phone number", "联系电话", "聯絡電話"), "sibling TextView", nil,
		l("Mobile phone number", "手机号码", "手機號碼"), "phone", "", "", []string{"person.phone_number"}},

	{sus, "RadioGroup", "suspicious_behaviour", l("Suspicious behaviour", "可疑行为", "可疑行為"), "sibling TextView", nil, nil, "", "", "", []string{"person.criminal"}},
	{sus, "RadioButton", "sus_left_area", l("Left the registered area without permission", "未经批准离开户籍地", "未經批准離開戶籍地"), "text",
		l("Left the registered area without permission", "未经批准离开户籍地", "未經批准離開戶籍地"), nil, "", "", "suspicious_behaviour", []string{"person.address"}},
	{sus, "RadioButton", "sus_abroad_too_long", l("Stayed abroad too long", "出境时间过长", "出境時間過長"), "text",
		l("Stayed abroad too long", "出境时间过长", "出境時間過長"), nil, "", "", "suspicious_behaviour", []string{"person.travel"}},
	{sus, "RadioButton", "sus_electricity", l("Unusual electricity use", "用电量异常", "用電量異常"), "text",
		l("Unusual electricity use", "用电量异常", "用電量異常"), nil, "", "", "suspicious_behaviour", nil},
	{sus, "RadioButton", "sus_phone_off_grid", l("Phone has gone off-grid", "手机离网", "手機離網"), "text",
		l("Phone has gone off-grid", "手机离网", "手機離網"), nil, "", "", "suspicious_behaviour", nil},
	{sus, "RadioButton", "sus_avoids_neighbours", l("Avoids neighbours and does not use the front door", "不与邻居来往，不走正门", "不與鄰居來往，不走正門"), "text",
		l("Avoids neighbours and does not use the front door", "不与邻居来往，不走正门", "不與鄰居來往，不走正門"), nil, "", "", "suspicious_behaviour", nil},
	{sus, "RadioButton", "sus_network_tools", l("Uses a VPN, WhatsApp or Telegram", "使用VPN、WhatsApp或Telegram", "使用VPN、WhatsApp或Telegram"), "text",
		l("Uses a VPN, WhatsApp or Telegram", "使用VPN、WhatsApp或Telegram", "使用VPN、WhatsApp或Telegram"), nil, "", "", "suspicious_behaviour", []string{"behaviour.app_watchlist"}},
	{sus, "RadioButton", "sus_mosque_donation", l("Donates to a mosque", "向清真寺捐款", "向清真寺捐款"), "text",
		l("Donates to a mosque", "向清真寺捐款", "向清真寺捐款"), nil, "", "", "suspicious_behaviour", []string{"person.religion"}},
	{sus, "RadioButton", "sus_preaching", l("Preaches the Quran without authorisation", "未经批准讲经", "未經批准講經"), "text",
		l("Preaches the Quran without authorisation", "未经批准讲经", "未經批准講經"), nil, "", "", "suspicious_behaviour", []string{"person.religion"}},

	{page, "input", "xm", l("姓名 / Name", "", ""), "label", nil, l("请输入姓名 / Full name", "", ""), "text", "", "", []string{"person.name"}},
	{page, "input", "sfzh", l("身份证号 / ID card number", "", ""), "label", nil, l("18位公民身份号码 / 18-digit ID number", "", ""), "text", "", "", []string{"person.national_id"}},
	{page, "input", "phone", l("联系电话 / Phone number", "", ""), "label", nil, l("手机号码 / Mobile phone number", "", ""), "tel", "", "", []string{"person.phone_number"}},
}

func TestDemoFields(t *testing.T) {
	r, _ := runFile(t, testapp.Demo(t))
	if len(r.Notes) > 0 {
		t.Errorf("notes on the demo app: %v", r.Notes)
	}
	if len(r.Fields) != len(demoFields) {
		var got []string
		for _, f := range r.Fields {
			got = append(got, f.Layout+" "+f.Widget+" "+f.ID)
		}
		t.Fatalf("got %d fields, want %d:\n%s", len(r.Fields), len(demoFields), strings.Join(got, "\n"))
	}
	compared := 0
	for i, w := range demoFields {
		f := r.Fields[i]
		name := w.layout + " " + w.widget + " " + w.id
		check := func(what string, ok bool, got, want any) {
			t.Helper()
			compared++
			if !ok {
				t.Errorf("%s: %s = %v, want %v", name, what, got, want)
			}
		}
		check("layout", f.Layout == w.layout, f.Layout, w.layout)
		check("widget", f.Widget == w.widget, f.Widget, w.widget)
		check("id", f.ID == w.id, f.ID, w.id)
		check("labels", maps.Equal(f.Labels, w.labels), f.Labels, w.labels)
		check("label source", f.LabelSource == w.labelSource, f.LabelSource, w.labelSource)
		check("text", maps.Equal(f.Text, w.text), f.Text, w.text)
		check("hint", maps.Equal(f.Hint, w.hint), f.Hint, w.hint)
		check("input type", f.InputType == w.inputType, f.InputType, w.inputType)
		check("group", f.Group == w.group, f.Group, w.group)
		check("categories", slices.Equal(strs(f.Categories), w.cats), f.Categories, w.cats)
		if w.entries != "" || w.widget == "Spinner" {
			check("entries", f.Entries == w.entries, f.Entries, w.entries)
		}
		// Every category is backed by at least one match naming it.
		for _, c := range f.Categories {
			found := slices.ContainsFunc(f.Matches, func(m Match) bool { return m.Category == c })
			check("match for "+string(c), found, f.Matches, c)
		}
		wantLoc := w.layout + " " + w.widget + " @id/" + w.id
		if w.layout == page {
			wantLoc = "" // checked below
		}
		if wantLoc != "" {
			check("evidence location", f.Evidence.Location == wantLoc, f.Evidence.Location, wantLoc)
			check("evidence kind", f.Evidence.Kind == scan.EvLayout, f.Evidence.Kind, scan.EvLayout)
		} else {
			check("evidence kind", f.Evidence.Kind == scan.EvAsset, f.Evidence.Kind, scan.EvAsset)
		}
		if w.id == "relativesInfo" {
			check("IDTokens", slices.Equal(f.IDTokens, []string{"relatives", "info"}), f.IDTokens, "[relatives info]")
		}
	}
	// Lines and evidence of the HTML inputs (assets/form.html).
	for i, line := range []int{12, 16, 20} {
		f := r.Fields[len(r.Fields)-3+i]
		compared++
		if f.Line != line || f.Evidence.Location != page+" line "+strconv.Itoa(line) {
			t.Errorf("HTML field %s: line %d, location %q; want line %d", f.ID, f.Line, f.Evidence.Location, line)
		}
	}
	sfzh := r.Fields[len(r.Fields)-2]
	if want := "input name=sfzh type=text, placeholder '18位公民身份号码 / 18-digit ID number', label '身份证号 / ID card number'"; sfzh.Evidence.Detail != want {
		t.Errorf("HTML sfzh detail = %q, want %q", sfzh.Evidence.Detail, want)
	}
	// What is not a field: containers, the title and the submit button.
	for _, f := range r.Fields {
		switch f.ID {
		case "submit", "form", "form_title", "suspicious_title":
			t.Errorf("%s %s reported as a field", f.Widget, f.ID)
		}
		if strings.HasPrefix(f.ID, "row_") {
			t.Errorf("container %s reported as a field", f.ID)
		}
	}
	t.Logf("demo: %d fields, %d facts compared", len(r.Fields), compared)
}

type wantList struct {
	source  string
	title   map[string]string
	options map[string][]string
	usedBy  []string
	cats    []string
}

func TestDemoOptionLists(t *testing.T) {
	r, _ := runFile(t, testapp.Demo(t))
	religions := []string{"Buddhism", "Christianity", "Islam", "Other", "None"}
	religionsCN := []string{"佛教", "基督教", "伊斯兰教", "其他", "无"}
	religionsTW := []string{"佛教", "基督教", "伊斯蘭教", "其他", "無"}
	want := []wantList{
		{"@array/blood_types", l("Blood type", "血型", "血型"),
			map[string][]string{"": {"A", "B", "AB", "O"}, "zh-CN": {"A型", "B型", "AB型", "O型"}, "zh-TW": {"A型", "B型", "AB型", "O型"}},
			[]string{form + " Spinner @id/bloodType"}, []string{"person.physical"}},
		{"@array/ethnicities", l("Ethnicity", "民族", "民族"),
			map[string][]string{"": {"Uyghur", "Han", "Kazakh", "Hui", "Kyrgyz", "Other"},
				"zh-CN": {"维吾尔族", "汉族", "哈萨克族", "回族", "柯尔克孜族", "其他"},
				"zh-TW": {"維吾爾族", "漢族", "哈薩克族", "回族", "柯爾克孜族", "其他"}},
			[]string{form + " Spinner @id/mz"}, []string{"person.ethnicity"}},
		{"@array/religions", nil,
			map[string][]string{"": religions, "zh-CN": religionsCN, "zh-TW": religionsTW},
			nil, []string{"person.religion"}},
		{form + " RadioGroup @id/zjxy", l("Religion", "宗教信仰", "宗教信仰"),
			map[string][]string{"": religions, "zh-CN": religionsCN, "zh-TW": religionsTW},
			nil, []string{"person.religion"}},
		{sus + " RadioGroup @id/suspicious_behaviour", l("Suspicious behaviour", "可疑行为", "可疑行為"),
			map[string][]string{
				"": {"Left the registered area without permission", "Stayed abroad too long", "Unusual electricity use",
					"Phone has gone off-grid", "Avoids neighbours and does not use the front door",
					"Uses a VPN, WhatsApp or Telegram", "Donates to a mosque", "Preaches the Quran without authorisation"},
				"zh-CN": {"未经批准离开户籍地", "出境时间过长", "用电量异常", "手机离网", "不与邻居来往，不走正门",
					"使用VPN、WhatsApp或Telegram", "向清真寺捐款", "未经批准讲经"},
				"zh-TW": {"未經批准離開戶籍地", "出境時間過長", "用電量異常", "手機離網", "不與鄰居來往，不走正門",
					"使用VPN、WhatsApp或Telegram", "向清真寺捐款", "未經批准講經"},
			},
			nil, []string{"person.criminal", "person.address", "person.travel", "behaviour.app_watchlist", "person.religion"}},
	}
	if len(r.OptionLists) != len(want) {
		var got []string
		for _, o := range r.OptionLists {
			got = append(got, o.Source)
		}
		t.Fatalf("got %d option lists %v, want %d", len(r.OptionLists), got, len(want))
	}
	compared := 0
	for i, w := range want {
		o := r.OptionLists[i]
		compared++
		if o.Source != w.source {
			t.Errorf("list %d: source %q, want %q", i, o.Source, w.source)
			continue
		}
		if !maps.Equal(o.Title, w.title) {
			t.Errorf("%s: title %v, want %v", w.source, o.Title, w.title)
		}
		if !maps.EqualFunc(o.Options, w.options, slices.Equal) {
			t.Errorf("%s: options %v, want %v", w.source, o.Options, w.options)
		}
		if !slices.Equal(o.UsedBy, w.usedBy) {
			t.Errorf("%s: used by %v, want %v", w.source, o.UsedBy, w.usedBy)
		}
		if !slices.Equal(strs(o.Categories), w.cats) {
			t.Errorf("%s: categories %v, want %v", w.source, o.Categories, w.cats)
		}
		kind := scan.EvResource
		loc := "resources.arsc " + w.source
		if !strings.HasPrefix(w.source, "@") {
			kind, loc = scan.EvLayout, w.source
		}
		if o.Evidence.Kind != kind || o.Evidence.Location != loc {
			t.Errorf("%s: evidence %+v, want %s at %s", w.source, o.Evidence, kind, loc)
		}
		compared += len(o.Options)
	}
	t.Logf("demo: %d option lists, %d facts compared", len(r.OptionLists), compared)
}

func TestDemoFindings(t *testing.T) {
	_, findings := runFile(t, testapp.Demo(t))
	type key struct {
		category knowledge.Category
		lists    bool // an option-list finding, else a field finding
	}
	// category → the evidence locations it must list, exactly.
	want := map[key][]string{
		{"person.name", false}:             {form + " EditText @id/xm", page + " line 12"},
		{"person.national_id", false}:      {form + " EditText @id/sfzh", page + " line 16"},
		{"person.physical", false}:         {form + " EditText @id/height_cm", form + " Spinner @id/bloodType"},
		{"person.vehicle", false}:          {form + " EditText @id/car_color", form + " EditText @id/cph"},
		{"person.religion", false}:         {form + " RadioGroup @id/zjxy", form + " RadioButton @id/religion_buddhism", form + " RadioButton @id/religion_christianity", form + " RadioButton @id/religion_islam", form + " RadioButton @id/religion_other", form + " RadioButton @id/religion_none", sus + " RadioButton @id/sus_mosque_donation", sus + " RadioButton @id/sus_preaching"},
		{"person.ethnicity", false}:        {form + " Spinner @id/mz"},
		{"person.relationships", false}:    {form + " EditText @id/relativesInfo"},
		{"person.travel", false}:           {form + " CheckBox @id/hasTravelledAbroad", form + " EditText @id/countriesVisited", sus + " RadioButton @id/sus_abroad_too_long"},
		{"person.phone_number", false}:     {form + " EditText @id/lxdh", page + " line 20"},
		{"person.criminal", false}:         {sus + " RadioGroup @id/suspicious_behaviour"},
		{"person.address", false}:          {sus + " RadioButton @id/sus_left_area"},
		{"behaviour.app_watchlist", false}: {sus + " RadioButton @id/sus_network_tools"},

		{"person.physical", true}:         {"resources.arsc @array/blood_types"},
		{"person.ethnicity", true}:        {"resources.arsc @array/ethnicities"},
		{"person.religion", true}:         {"resources.arsc @array/religions", form + " RadioGroup @id/zjxy", sus + " RadioGroup @id/suspicious_behaviour"},
		{"person.criminal", true}:         {sus + " RadioGroup @id/suspicious_behaviour"},
		{"person.address", true}:          {sus + " RadioGroup @id/suspicious_behaviour"},
		{"person.travel", true}:           {sus + " RadioGroup @id/suspicious_behaviour"},
		{"behaviour.app_watchlist", true}: {sus + " RadioGroup @id/suspicious_behaviour"},
	}
	got := map[key]analysis.Finding{}
	for _, f := range findings {
		k := key{f.Category, strings.Contains(f.Title, "option list")}
		if _, dup := got[k]; dup {
			t.Errorf("two findings for %v", k)
		}
		got[k] = f
		if f.Analyzer != "forms" || f.ID == "" || f.Title == "" {
			t.Errorf("finding %v lacks analyzer, ID or title: %+v", k, f)
		}
		if f.Confidence.Level == "" || f.Confidence.Reason == "" {
			t.Errorf("finding %v has no confidence: %+v", k, f.Confidence)
		}
		special := f.Category == "person.religion" || f.Category == "person.ethnicity" || f.Category == "person.criminal"
		if f.Special != special || (f.Severity == analysis.High) != special {
			t.Errorf("finding %v: special %v severity %s", k, f.Special, f.Severity)
		}
		for _, ev := range f.Evidence {
			if !strings.Contains(ev.Detail, "matched ") {
				t.Errorf("finding %v: evidence %s does not say what matched: %q", k, ev.Location, ev.Detail)
			}
		}
	}
	compared := 0
	for k, locs := range want {
		f, ok := got[k]
		if !ok {
			t.Errorf("missing finding %v", k)
			continue
		}
		var have []string
		for _, ev := range f.Evidence {
			have = append(have, ev.Location)
		}
		if !slices.Equal(have, locs) {
			t.Errorf("finding %v (%s): evidence\n%s\nwant\n%s", k, f.Title, strings.Join(have, "\n"), strings.Join(locs, "\n"))
		}
		compared += len(locs)
	}
	for k, f := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected finding %v: %s", k, f.Title)
		}
	}
	// Spot-check the wording a reader sees.
	if f := got[key{"person.national_id", false}]; len(f.Evidence) > 0 {
		wantDetail := "label 'ID card number' / zh-CN '身份证号' / zh-TW '身分證號', hint '18-digit citizen ID number' / zh-CN '18位公民身份号码' / zh-TW '18位公民身分號碼', inputType text; matched 'sfzh' (pinyin, id), 'id card number' (en, label), '身份证号' (zh, label)"
		if f.Evidence[0].Detail != wantDetail {
			t.Errorf("sfzh evidence detail:\n%s\nwant\n%s", f.Evidence[0].Detail, wantDetail)
		}
		if f.Title != "2 form fields ask for national identifier: 'ID card number', '身份证号 / ID card number'" {
			t.Errorf("national_id title %q", f.Title)
		}
	}
	t.Logf("demo: %d findings, %d evidence locations compared", len(findings), compared)
}
