package knowledge

import (
	"slices"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"idCardNo", []string{"id", "card", "no"}},
		{"car_color2", []string{"car", "color", "2"}},
		{"sfzh", []string{"sfzh"}},
		{"IDNumber", []string{"id", "number"}},
		{"et_IDCard", []string{"et", "id", "card"}},
		{"HTTPServerURL", []string{"http", "server", "url"}},
		{"blood-type", []string{"blood", "type"}},
		{"com.example.R.id.user_name", []string{"com", "example", "r", "id", "user", "name"}},
		{"edit2Text", []string{"edit", "2", "text"}},
		{"Name", []string{"name"}},
		{"ALLCAPS", []string{"allcaps"}},
		{"tv身份证号", []string{"tv", "身份证号"}},
		{"__x__", []string{"x"}},
		{"", nil},
		{"---", nil},
	}
	for _, tt := range tests {
		if got := Tokenize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type lexCase struct {
	text string
	cats []string // categories expected among the matches (all must appear)
	lang string   // language of at least one match, if set
}

func matchedCats(ms []LexMatch) []string {
	var out []string
	for _, m := range ms {
		for _, c := range m.Categories {
			if !slices.Contains(out, string(c)) {
				out = append(out, string(c))
			}
		}
	}
	return out
}

func checkLex(t *testing.T, fn string, match func(string) []LexMatch, tests []lexCase) {
	t.Helper()
	for _, tt := range tests {
		ms := match(tt.text)
		got := matchedCats(ms)
		for _, c := range tt.cats {
			if !slices.Contains(got, c) {
				t.Errorf("%s(%q) = %v, lacks %s", fn, tt.text, ms, c)
			}
		}
		if tt.lang != "" && !slices.ContainsFunc(ms, func(m LexMatch) bool { return m.Lang == tt.lang }) {
			t.Errorf("%s(%q) = %v, no %s match", fn, tt.text, ms, tt.lang)
		}
	}
}

// Real phrases from form labels, one or more per language.
func TestMatchTextPositive(t *testing.T) {
	l := DefaultLexicon()
	checkLex(t, "MatchText", l.MatchText, []lexCase{
		// Chinese, simplified and traditional.
		{"请输入身份证号码", []string{"person.national_id"}, "zh"},
		{"請輸入身份證號碼", []string{"person.national_id"}, "zh"},
		{"民族", []string{"person.ethnicity"}, "zh"},
		{"血型", []string{"person.physical"}, "zh"},
		{"宗教信仰", []string{"person.religion"}, "zh"},
		{"身高(cm)", []string{"person.physical"}, "zh"},
		{"车牌号码", []string{"person.vehicle"}, "zh"},
		{"车辆颜色：", []string{"person.vehicle"}, "zh"},
		{"是否去过26个敏感国家", []string{"person.travel"}, "zh"},
		{"亲属关系", []string{"person.relationships"}, "zh"},
		{"政治面貌", []string{"person.political"}, "zh"},
		{"是否使用翻墙软件", []string{"behaviour.app_watchlist"}, "zh"},
		{"户籍地址", []string{"person.address"}, "zh"},
		// English.
		{"Blood type", []string{"person.physical"}, "en"},
		{"Date of birth:", []string{"person.birth"}, "en"},
		{"ID card number", []string{"person.national_id"}, "en"},
		{"Has the person travelled abroad?", []string{"person.travel"}, "en"},
		{"Names of relatives", []string{"person.relationships"}, "en"},
		{"Religious practice (prayer, fasting)", []string{"person.religion"}, "en"},
		{"Licence plate", []string{"person.vehicle"}, "en"},
		{"Uses WhatsApp or a VPN", []string{"behaviour.app_watchlist"}, "en"},
		{"Sexual orientation", []string{"person.sexuality"}, "en"},
		{"Criminal record", []string{"person.criminal"}, "en"},
		// Russian.
		{"Номер паспорта", []string{"person.national_id"}, "ru"},
		{"Серия и номер паспорта", []string{"person.national_id"}, "ru"},
		{"Дата рождения", []string{"person.birth"}, "ru"},
		{"Вероисповедание", []string{"person.religion"}, "ru"},
		{"Национальность", []string{"person.ethnicity"}, "ru"},
		{"Группа крови", []string{"person.physical"}, "ru"},
		{"Судимость", []string{"person.criminal"}, "ru"},
		// Arabic, with and without the article and diacritics.
		{"فصيلة الدم", []string{"person.physical"}, "ar"},
		{"بطاقة الهوية", []string{"person.national_id"}, "ar"},
		{"رقم بطاقة الهويّة", []string{"person.national_id"}, "ar"},
		{"تَارِيخُ المِيلَادِ", []string{"person.birth"}, "ar"},
		{"الديانة", []string{"person.religion"}, "ar"},
		{"رقم جواز السفر", []string{"person.national_id"}, "ar"},
		// Persian, including Arabic-form ya and kaf and a zero-width non-joiner.
		{"دین", []string{"person.religion"}, "fa"},
		{"کارت ملی", []string{"person.national_id"}, "fa"},
		{"كارت ملي", []string{"person.national_id"}, "fa"},
		{"نام\u200cخانوادگی", []string{"person.name"}, "fa"},
		{"گروه خونی", []string{"person.physical"}, "fa"},
		{"قومیت", []string{"person.ethnicity"}, "fa"},
		// Uyghur, Arabic script and Latin script.
		{"دىنىي ئېتىقادى", []string{"person.religion"}, "ug"},
		{"كىملىك نومۇرى", []string{"person.national_id"}, "ug"},
		{"مىللىتى", []string{"person.ethnicity"}, "ug"},
		{"قان تىپى", []string{"person.physical"}, "ug"},
		{"ماشىنا نومۇرى", []string{"person.vehicle"}, "ug"},
		{"Kimlik nomuri", []string{"person.national_id"}, "ug"},
	})
}

func TestMatchIdentifierPositive(t *testing.T) {
	l := DefaultLexicon()
	checkLex(t, "MatchIdentifier", l.MatchIdentifier, []lexCase{
		{"idCardNo", []string{"person.national_id"}, "en"},
		{"id_card_no", []string{"person.national_id"}, "en"},
		{"et_idcard", []string{"person.national_id"}, ""},
		{"car_color2", []string{"person.vehicle"}, "en"},
		{"carColor", []string{"person.vehicle"}, "en"},
		{"bloodType", []string{"person.physical"}, "en"},
		{"birthDate", []string{"person.birth"}, "en"},
		{"tv_birthdate", []string{"person.birth"}, "en"},
		{"sfzh", []string{"person.national_id"}, "pinyin"},
		{"et_sfzh", []string{"person.national_id"}, "pinyin"},
		{"xm", []string{"person.name"}, "pinyin"},
		{"xb", []string{"person.gender"}, "pinyin"},
		{"mz", []string{"person.ethnicity"}, "pinyin"},
		{"csrq", []string{"person.birth"}, "pinyin"},
		{"jtzz", []string{"person.address"}, "pinyin"},
		{"hjdz", []string{"person.address"}, "pinyin"},
		{"cph", []string{"person.vehicle"}, "pinyin"},
		{"lxdh", []string{"person.phone_number"}, "pinyin"},
		{"sjhm", []string{"person.phone_number"}, "pinyin"},
		{"zzmm", []string{"person.political"}, "pinyin"},
		{"zjxy", []string{"person.religion"}, "pinyin"},
		{"whcd", []string{"person.work_education"}, "pinyin"},
		{"gzdw", []string{"person.work_education"}, "pinyin"},
		{"hyzk", []string{"person.relationships"}, "pinyin"},
		{"IDNumber", []string{"person.national_id"}, "en"},
		{"religionSpinner", []string{"person.religion"}, "en"},
		{"rg_ethnicity", []string{"person.ethnicity"}, "en"},
		{"relativesList", []string{"person.relationships"}, "en"},
		{"userName", []string{"person.credentials"}, "en"},
		{"input_姓名", []string{"person.name"}, "zh"},
	})
}

// Words that must not produce a finding on their own.
func TestLexiconNegatives(t *testing.T) {
	l := DefaultLexicon()
	texts := []string{
		"No", "no", "Cancel", "OK", "Submit", "Settings", "Loading…", "Next page", "Message", "Usage",
		"Image height", "Font weight", "Line height", "File name", "Package name", "App name", "Host name",
		"IP address", "MAC address", "Third party licences", "Race condition",
		"identity provider", "Identity token",
		"Pass the salt", "Sexy design", "Seven", "Suspend", "Hue", "Dinner", "passage",
		"Scroll position", "Password field",
		"文件名", "应用名称", "服务器地址", "IP地址",
		"имя файла", "Кнопка", "Сохранить",
		"اسم الملف", "إلغاء",
		"نام فایل", "ذخیره",
	}
	for _, s := range texts {
		if ms := l.MatchText(s); len(ms) > 0 {
			t.Errorf("MatchText(%q) = %v, want nothing", s, ms)
		}
	}
	idents := []string{
		"fileName", "packageName", "hostName", "appName", "className", "deviceName", "displayName",
		"layout_height", "maxHeight", "fontWeight", "ipAddress", "macAddress",
		"button_ok", "tv_title", "btn_submit", "recycler_view", "no", "id", "number", "text", "noResults",
		"usage", "passageway", "xmlParser", "amzn", // pinyin must be whole tokens
		"sfzhx", "xmx",
	}
	for _, s := range idents {
		if ms := l.MatchIdentifier(s); len(ms) > 0 {
			t.Errorf("MatchIdentifier(%q) = %v, want nothing", s, ms)
		}
	}
	// Pinyin abbreviations are for identifiers; in label text "xm" is not a name.
	if ms := l.MatchText("xm sfzh"); len(ms) > 0 {
		t.Errorf("MatchText matched pinyin: %v", ms)
	}
}

// Longer terms hide the shorter ones they contain, and weak terms say so.
func TestLexiconLongestAndStrength(t *testing.T) {
	l := DefaultLexicon()
	ms := l.MatchText("User name")
	if len(ms) != 1 || ms[0].Term != "user name" || !slices.Equal(ms[0].Categories, []Category{PersonCredentials}) {
		t.Errorf("MatchText(User name) = %v", ms)
	}
	// "Name" is a word of English and German: one weak person.name each.
	ms = l.MatchText("Name")
	if len(ms) == 0 || slices.ContainsFunc(ms, func(m LexMatch) bool { return m.Strong || !slices.Equal(m.Categories, []Category{PersonName}) }) {
		t.Errorf("MatchText(Name) = %v: want weak person.name only", ms)
	}
	ms = l.MatchText("Full name")
	if len(ms) != 1 || !ms[0].Strong {
		t.Errorf("MatchText(Full name) = %v: want one strong match", ms)
	}
	ms = l.MatchIdentifier("xb")
	if len(ms) != 1 || ms[0].Strong {
		t.Errorf("MatchIdentifier(xb) = %v: two-letter pinyin must be weak", ms)
	}
	// Plural forms of English terms.
	if got := matchedCats(l.MatchText("Tattoos and scars")); !slices.Contains(got, "person.physical") {
		t.Errorf("plural not matched: %v", got)
	}
	// Each term once (per language that has it).
	one := len(l.MatchText("religion"))
	if ms := l.MatchText("religion, religion, religion"); len(ms) != one {
		t.Errorf("repeated term reported %d times, once alone %d", len(ms), one)
	}
}

func TestLexiconData(t *testing.T) {
	l := DefaultLexicon().ready() // the built lexicon, whose entries the test reads
	langs := l.Languages()
	for _, want := range []string{"en", "zh", "pinyin", "ru", "ar", "fa", "ug"} {
		if !slices.Contains(langs, want) {
			t.Errorf("language %s missing", want)
		}
	}
	perLang := map[string]int{}
	for _, e := range l.entries {
		if e.stop {
			continue
		}
		perLang[e.lang]++
		for _, c := range e.categories {
			if !c.Known() {
				t.Errorf("%s %q: unknown category %s", e.lang, e.term, c)
			}
		}
		if e.lang == "pinyin" && len(e.term) <= 2 && e.strong {
			t.Errorf("pinyin %q: two-letter abbreviations must be weak", e.term)
		}
		if strings.TrimSpace(e.term) != e.term {
			t.Errorf("%s %q: surrounding space", e.lang, e.term)
		}
	}
	total := 0
	for lang, n := range perLang {
		total += n
		if n < 30 {
			t.Errorf("only %d %s terms", n, lang)
		}
	}
	if total < 500 {
		t.Errorf("only %d terms", total)
	}
	t.Logf("%d terms: %v", total, perLang)
}

func TestMatchTextLocale(t *testing.T) {
	l := DefaultLexicon()
	tests := []struct {
		text, locale string
		want         []string // languages of the matches
	}{
		{"Để tăng thời lượng pin", "vi", nil},
		{"Dette kan medføre gebyrer på din mobilkonto", "nb", nil}, // "din" is Uyghur
		{"Skriv inn passord eller PIN code", "nb", []string{"en"}},
		{"دین", "fa", []string{"fa"}},
		{"دین", "b+fa", []string{"fa"}},
		{"دین", "", []string{"ar", "fa", "ug"}}, // ی and ى fold together
		{"身份证 ID card", "zh-rCN", []string{"zh", "en"}},
		{"Номер паспорта", "ru-rRU", []string{"ru"}},
		{"Номер паспорта", "en", nil},
		{"دىنىي ئېتىقادى", "ug", []string{"ug"}},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range l.MatchTextLocale(tt.text, tt.locale) {
			if !slices.Contains(got, m.Lang) {
				got = append(got, m.Lang)
			}
		}
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("MatchTextLocale(%q, %q) languages %v, want %v", tt.text, tt.locale, got, want)
		}
	}
}

// Labels of registration, payment and log-in forms in the languages added
// for issue 12, each with the category it must give.
func TestMatchTextLanguages(t *testing.T) {
	l := DefaultLexicon()
	checkLex(t, "MatchText", l.MatchText, []lexCase{
		{"Numéro de carte bancaire", []string{"person.finance"}, "fr"},
		{"Cryptogramme visuel", []string{"person.finance"}, "fr"},
		{"Code postal", []string{"person.address"}, "fr"},
		{"Date de naissance", []string{"person.birth"}, "fr"},
		{"Correo electrónico", []string{"person.email"}, "es"},
		{"DNI / NIE", []string{"person.national_id"}, "es"},
		{"Contraseña", []string{"person.credentials"}, "es"},
		{"CPF", []string{"person.national_id"}, "pt"},
		{"CEP", []string{"person.address"}, "pt"},
		{"Renda mensal", []string{"person.finance"}, "pt"},
		{"Straße und Hausnummer", []string{"person.address"}, "de"},
		{"Postleitzahl", []string{"person.address"}, "de"},
		{"Steuer-Identifikationsnummer", []string{"person.national_id"}, "de"},
		{"T.C. Kimlik No", []string{"person.national_id"}, "tr"},
		{"Şifre", []string{"person.credentials"}, "tr"},
		{"Son Kullanma Tarihi", []string{"person.finance"}, "tr"},
		{"Nomor HP", []string{"person.phone_number"}, "id"},
		{"Agama", []string{"person.religion"}, "id"},
		{"Nama Ibu Kandung", []string{"person.relationships"}, "id"},
		{"Số điện thoại", []string{"person.phone_number"}, "vi"},
		{"Số CMND/CCCD", []string{"person.national_id"}, "vi"},
		{"주민등록번호", []string{"person.national_id"}, "ko"},
		{"휴대폰 번호를 입력하세요", []string{"person.phone_number"}, "ko"},
		{"郵便番号", []string{"person.address"}, "ja"},
		{"セキュリティコード", []string{"person.finance"}, "ja"},
		{"生年月日", []string{"person.birth"}, "ja"},
		{"आधार नंबर", []string{"person.national_id"}, "hi"},
		{"पिन कोड", []string{"person.address"}, "hi"},
		{"昵称", []string{"person.name"}, "zh"},
		{"本机号码", []string{"person.phone_number"}, "zh"},
		{"充值卡序列号", []string{"person.finance"}, "zh"},
		{"设备序列号", []string{"device.identifiers"}, "zh"},
		{"Срок действия карты", []string{"person.finance"}, "ru"},
		{"CVC", []string{"person.finance"}, "en"},
		{"ZIP code", []string{"person.address"}, "en"},
	})
}

// What must not match: words of one language that mean something else in
// another, things' names and states, and terms hidden inside other words.
func TestMatchTextMustNot(t *testing.T) {
	l := DefaultLexicon()
	tests := []struct {
		text string
		not  string // a category that must not be matched, or "strong:" + category
	}{
		{"Nombre de personnes", "person.name"}, // French "number of"
		{"Toggle state", "person.address"},
		{"zip", "strong:person.address"}, // an archive format as often as a postcode
		{"Din", "strong:person.religion"},
		{"SIM card number", "person.national_id"},
		{"Type the required PIN:", "person.credentials"},
		{"파일 이름", "person.name"},
		{"표시 이름", "person.name"},
		{"Connection Name", "person.name"},
		{"Folder name", "person.name"},
		{"充值卡序列号", "device.identifiers"},
		{"软件序列号", "device.identifiers"},
		{"软件重新启动", "person.physical"},
		{"軟體重新啟動後自動登入", "person.physical"},
		{"身体重量", "person.physical"},
		{"礼拜天营业", "person.religion"}, // Sunday
		{"再起動", "person.physical"},
		{"والدین", "person.religion"}, // Persian "parents", not و + the + religion
		{"デバイスの名前", "person.name"},
	}
	for _, tt := range tests {
		ms := l.MatchText(tt.text)
		cat, strongOnly := strings.CutPrefix(tt.not, "strong:")
		for _, m := range ms {
			if slices.Contains(m.Categories, Category(cat)) && (!strongOnly || m.Strong) {
				t.Errorf("MatchText(%q) = %v: must not give %s", tt.text, ms, tt.not)
			}
		}
	}
}

// Chinese and Japanese terms match on word boundaries: the segmentation
// takes the fewest words, so a term that straddles two words is no match,
// and one that is a word of the text is.
func TestSegmentation(t *testing.T) {
	l := DefaultLexicon()
	checkLex(t, "MatchText", l.MatchText, []lexCase{
		{"体重（公斤）", []string{"person.physical"}, ""},
		{"體重", []string{"person.physical"}, ""},
		{"请输入您的体重", []string{"person.physical"}, ""},
		{"做礼拜", []string{"person.religion"}, ""},
		{"就诊人姓名", []string{"person.name"}, ""},
		{"药物过敏史", []string{"person.health"}, ""},
		{"お名前", []string{"person.name"}, ""},
		{"パスワード", []string{"person.credentials"}, ""},
		{"IMEI号", []string{"device.identifiers"}, ""}, // a term that starts with Latin letters
	})
	// A stop phrase that starts with Latin letters still hides its span.
	if ms := l.MatchText("IP地址"); len(matchedCats(ms)) > 0 {
		t.Errorf("MatchText(IP地址) = %v", ms)
	}
}

func TestMarkers(t *testing.T) {
	l := DefaultLexicon()
	tests := []struct {
		text   string
		marker Marker
	}{
		{"Remember me", MarkerChoice},
		{"Remember password", MarkerChoice},
		{"I agree to the terms", MarkerChoice},
		{"Billing address is the same as shipping address", MarkerChoice},
		{"Mémoriser mon identifiant", MarkerChoice},
		{"Lembrar senha", MarkerChoice},
		{"记住密码", MarkerChoice},
		{"자동 로그인", MarkerChoice},
		{"Search by name", MarkerQuery},
		{"Buscar por nombre", MarkerQuery},
		{"搜索", MarkerQuery},
		{"検索", MarkerQuery},
	}
	for _, tt := range tests {
		ms := l.MatchText(tt.text)
		if !slices.ContainsFunc(ms, func(m LexMatch) bool { return m.Marker == tt.marker && len(m.Categories) == 0 }) {
			t.Errorf("MatchText(%q) = %v, no %s marker", tt.text, ms, tt.marker)
		}
	}
	// Not markers: data that happens to share a word.
	for _, text := range []string{"Has travelled abroad", "Uses WhatsApp or a VPN", "Phone number", "目前是否怀孕"} {
		if ms := l.MatchText(text); slices.ContainsFunc(ms, func(m LexMatch) bool { return m.Marker != "" }) {
			t.Errorf("MatchText(%q) = %v: no marker wanted", text, ms)
		}
	}
}

// Identifiers drop accents; Vietnamese keeps them, or its words become
// English ones.
func TestAccentFolding(t *testing.T) {
	l := DefaultLexicon()
	checkLex(t, "MatchIdentifier", l.MatchIdentifier, []lexCase{
		{"telefono", []string{"person.phone_number"}, "es"},
		{"strasse", []string{"person.address"}, "de"},
		{"et_sifre", []string{"person.credentials"}, "tr"},
		{"hoten", []string{"person.name"}, "vi"},
	})
	if ms := l.MatchIdentifier("ten"); len(matchedCats(ms)) > 0 {
		t.Errorf("MatchIdentifier(ten) = %v: Vietnamese tên must not fold", ms)
	}
}

func TestLexiconFileErrors(t *testing.T) {
	base := func() lexiconFile {
		return lexiconFile{Lang: "xx", Groups: []lexGroupJ{{Categories: []Category{PersonName}, Strong: []string{"nom"}}}}
	}
	bad := []struct {
		name string
		edit func(*lexiconFile)
	}{
		{"a word that is also a term", func(f *lexiconFile) {
			f.Lang = "zh"
			f.Groups[0].Strong = []string{"姓名"}
			f.Words = []string{"姓名"}
		}},
		{"a segmentation word in Latin letters", func(f *lexiconFile) { f.Words = []string{"soft"} }},
		{"a choice that is also a term", func(f *lexiconFile) { f.Choice = []string{"nom"} }},
		{"an empty query word", func(f *lexiconFile) { f.Query = []string{"  "} }},
	}
	for _, tt := range bad {
		f := base()
		tt.edit(&f)
		if _, err := buildLexicon([]lexiconFile{f}); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	if _, err := buildLexicon([]lexiconFile{base()}); err != nil {
		t.Errorf("good file refused: %v", err)
	}
}
