package report

import (
	"bytes"
	"strings"
	"testing"

	"appxray/knowledge"
	"appxray/scan"
)

// TestParseLocation takes apart every notation the scan constructors write.
func TestParseLocation(t *testing.T) {
	for _, tt := range []struct {
		ev   scan.Evidence
		want location
	}{
		{scan.ManifestLine("AndroidManifest.xml", 11, ""), location{File: "AndroidManifest.xml", Line: 11, Offset: -1}},
		{scan.ManifestLine("split.apk!AndroidManifest.xml", 3, ""), location{File: "split.apk!AndroidManifest.xml", Line: 3, Offset: -1}},
		{scan.ManifestLine("AndroidManifest.xml", 0, ""), location{File: "AndroidManifest.xml", Offset: -1}},
		{scan.DexMethod("classes2.dex", "Lcom/x/Y;->m(I)V", ""), location{File: "classes2.dex", Offset: -1, Symbol: "Lcom/x/Y;->m(I)V"}},
		{scan.DexString("classes.dex", 1234, ""), location{File: "classes.dex", Offset: -1, Symbol: "string #1234"}},
		{scan.LayoutWidget("res/layout/f.xml", "EditText", "sfzh", 0, ""), location{File: "res/layout/f.xml", Offset: -1, Symbol: "EditText @id/sfzh"}},
		{scan.LayoutWidget("res/layout/f.xml", "EditText", "", 24, ""), location{File: "res/layout/f.xml", Line: 24, Offset: -1, Symbol: "EditText"}},
		{scan.Resource("resources.arsc", "@array/blood_types", ""), location{File: "resources.arsc", Offset: -1, Symbol: "@array/blood_types"}},
		{scan.AssetLine("assets/watch/hashes.txt", 1, ""), location{File: "assets/watch/hashes.txt", Line: 1, Offset: -1}},
		{scan.NativeOffset("lib/arm64-v8a/libfoo.so", 0x1a2b0, ""), location{File: "lib/arm64-v8a/libfoo.so", Offset: 0x1a2b0}},
		{scan.AssetOffset("assets/a.jpg", 0, ""), location{File: "assets/a.jpg", Offset: 0}},
		{scan.NativeFile("assets/bin/su", ""), location{File: "assets/bin/su", Offset: -1}},
	} {
		if got := parseLocation(tt.ev.Location); got != tt.want {
			t.Errorf("%q: %+v, want %+v", tt.ev.Location, got, tt.want)
		}
	}
}

func TestPlainPlace(t *testing.T) {
	for loc, want := range map[string]string{
		"classes2.dex Lorg/x/Upload;->send(Ljava/lang/String;)V": "org.x.Upload.send()",
		"classes.dex Lorg/x/C;->FIELD:Ljava/lang/String;":        "org.x.C.FIELD",
		"AndroidManifest.xml line 3":                             "AndroidManifest.xml line 3",
		"classes.dex string #12":                                 "classes.dex string #12",
	} {
		if got := plainPlace(loc); got != want {
			t.Errorf("plainPlace(%q) = %q, want %q", loc, got, want)
		}
	}
}

func TestLanguages(t *testing.T) {
	for _, tt := range []struct{ locale, text, want string }{
		{"zh-rCN", "姓名", "zh-CN"},
		{"zh-CN", "姓名", "zh-CN"},
		{"b+sr+Latn", "Ime", "sr-Latn"},
		{"", "Name", ""},
		{"", "姓名 / Name", "und-Hani"},
		{"", "الاسم", "und-Arab"},
		{"", "Имя", "und-Cyrl"},
	} {
		if got := langOf(tt.locale, tt.text); got != tt.want {
			t.Errorf("langOf(%q, %q) = %q, want %q", tt.locale, tt.text, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	if got := titles([]knowledge.Category{knowledge.DeviceSMS, knowledge.DeviceContacts, knowledge.DeviceOtherAppsData}, 0); got != "SMS and MMS, contacts and other apps' data" {
		t.Errorf("titles = %q", got)
	}
	if got := titles([]knowledge.Category{knowledge.PersonName, knowledge.PersonBirth, knowledge.PersonGender}, 2); got != "name, birth and age and 1 more" {
		t.Errorf("titles capped = %q", got)
	}
	f := scan.Finding{Category: knowledge.BehaviourCleartext, Title: `Cleartext traffic: android:usesCleartextTraffic="true" allows HTTP`}
	if got := plainTitle(f); got != `android:usesCleartextTraffic="true" allows HTTP` {
		t.Errorf("plainTitle keeps a token's case: %q", got)
	}
	f = scan.Finding{Category: knowledge.DeviceSMS, Title: "SMS and MMS: requests READ_SMS"}
	if got := plainTitle(f); got != "Requests READ_SMS" {
		t.Errorf("plainTitle = %q", got)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	if got := mdText("a|b *c* <x> [l](u) #h id_card"); got != `a\|b \*c\* &lt;x&gt; \[l\](u) #h id_card` {
		t.Errorf("mdText = %q", got)
	}
	if got := mdText("#1 app"); got != `\#1 app` {
		t.Errorf("mdText = %q", got)
	}
	if got := mdCode("a`b|c"); got != "`` a`b\\|c ``" {
		t.Errorf("mdCode = %q", got)
	}
}

// TestVerdict checks the sentences' claims on small reports: each claim
// needs a finding of at least medium confidence, code evidence beats a
// permission request, and an empty report says what static analysis
// cannot see.
func TestVerdict(t *testing.T) {
	r := scan.New(scan.Tool{Name: "appxray", Version: "t"}, scan.File{Name: "x.apk"})
	if v := newView(r).Verdict; len(v) != 1 || !strings.Contains(v[0], "cannot prove an absence") {
		t.Errorf("empty: %q", v)
	}
	add := func(c knowledge.Category, l scan.Level, sdk string, ev scan.Evidence) {
		r.Findings = append(r.Findings, scan.Finding{Category: c, Special: c.Special(), Severity: c.DefaultSeverity(),
			Confidence: scan.Confidence{Level: l}, Evidence: []scan.Evidence{ev}, SDK: sdk, Analyzer: "x"})
	}
	code := scan.DexMethod("classes.dex", "La;->b()V", "")
	man := scan.ManifestLine("AndroidManifest.xml", 3, "")
	add(knowledge.DeviceSMS, scan.LevelHigh, "", code)
	add(knowledge.DeviceSMS, scan.LevelMedium, "", man)
	add(knowledge.DeviceLocation, scan.LevelMedium, "", man)
	add(knowledge.DeviceCamera, scan.LevelLow, "", man)
	add(knowledge.DeviceIdentifiers, scan.LevelMedium, "Umeng", code)
	// Unreached code is neither the app's own nor an SDK's; the app's own
	// reading of a category (SMS) outweighs it.
	add(knowledge.DeviceContacts, scan.LevelMedium, scan.UnreachedSDK("com.xbot"), code)
	add(knowledge.DeviceSMS, scan.LevelMedium, scan.UnreachedSDK("com.other"), code)
	add(knowledge.PersonHealth, scan.LevelHigh, "", scan.LayoutWidget("res/layout/a.xml", "EditText", "blood", 0, ""))
	r.Findings[len(r.Findings)-1].Analyzer = "forms"
	got := strings.Join(newView(r).Verdict, "\n")
	for _, want := range []string{
		"Records health about people in its forms: special categories",
		"Its own code reads SMS and MMS; the SDKs it carries hold code that reads device identifiers; it carries code it never refers to (com.xbot) that reads contacts.",
		"It asks for permission to reach location.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verdict lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "camera") {
		t.Errorf("a low-confidence finding made the verdict:\n%s", got)
	}
	var b bytes.Buffer
	if err := HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `<li><strong>Health</strong>`) {
		t.Error("HTML does not list the special category")
	}
}

// A list whose finding is no claim (names written like packages in a class
// that never asks which apps are installed) is not summarised as apps the
// app looks for, and is shown as what it is.
func TestUnclaimedListNotSummarised(t *testing.T) {
	r := scan.New(scan.Tool{Name: "appxray", Version: "t"}, scan.File{Name: "x.apk"})
	keys := scan.DexMethod("classes.dex", "Lorg/mozilla/javascript/Parser;->tryStatement()V", "")
	apps := scan.AssetLine("assets/apps.txt", 1, "")
	r.Watchlists = []scan.Watchlist{
		{Kind: "package names", Category: knowledge.BehaviourAppWatchlist, Size: 6, Sample: []string{"msg.no.brace.try"}, Evidence: keys},
		{Kind: "package names", Category: knowledge.BehaviourAppWatchlist, Size: 4, Sample: []string{"com.whatsapp"}, Evidence: apps},
	}
	r.Findings = []scan.Finding{
		{Category: knowledge.BehaviourAppWatchlist, Confidence: scan.Confidence{Level: scan.LevelLow}, Evidence: []scan.Evidence{keys}, Analyzer: "x"},
		{Category: knowledge.BehaviourAppWatchlist, Confidence: scan.Confidence{Level: scan.LevelMedium}, Evidence: []scan.Evidence{apps}, Analyzer: "x"},
	}
	got := strings.Join(newView(r).Verdict, "\n")
	if !strings.Contains(got, "a list of 4 apps it looks for") {
		t.Errorf("verdict counts the unclaimed list or drops the claimed one:\n%s", got)
	}
	lists := carriedLists(r)
	if len(lists) != 2 || lists[0].Kind != "names written like package names" || lists[1].Kind != "package names" {
		t.Errorf("carried lists: %+v", lists)
	}
}

// A permission Android implies because of another it also implies is not
// said to come from the app's request for that other one.
func TestImpliedReason(t *testing.T) {
	implied := map[string]string{"android.permission.WRITE_EXTERNAL_STORAGE": "targetSdkVersion < 4"}
	for _, c := range []struct{ why, want string }{
		{"requested WRITE_EXTERNAL_STORAGE", "its implied WRITE_EXTERNAL_STORAGE"},
		{"requested READ_CONTACTS", "its request for READ_CONTACTS"},
		{"targetSdkVersion < 16 and requested READ_CONTACTS", "its old target SDK (below 16) and its request for READ_CONTACTS"},
		{"targetSdkVersion < 4", "its old target SDK (below 4)"},
	} {
		if got := impliedReason(c.why, implied); got != c.want {
			t.Errorf("impliedReason(%q) = %q, want %q", c.why, got, c.want)
		}
	}
}
