package manifest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/permissions"
	"appxray/knowledge"
	"appxray/scan"
)

// keys summarises findings as sorted "category/severity" strings.
func keys(fs []analysis.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Category)+"/"+string(f.Severity))
	}
	slices.Sort(out)
	return out
}

func byCat(fs []analysis.Finding, cat knowledge.Category) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range fs {
		if f.Category == cat {
			out = append(out, f)
		}
	}
	return out
}

func tru() *bool  { v := true; return &v }
func fals() *bool { v := false; return &v }

// launcher is the usual MAIN/LAUNCHER activity, present in most cases so
// that behaviour.hidden stays out of the way.
var launcher = app.Component{Kind: "activity", Name: "p.Main", Exported: true, ExportedSet: true, Enabled: true, Line: 5,
	IntentFilters: []app.IntentFilter{{Actions: []string{actionMain}, Categories: []string{categoryLauncher}}}}

func info(target string, perms []string, comps ...app.Component) *app.Info {
	in := &app.Info{Package: "p", TargetSDK: target, Permissions: perms, PermissionLines: map[string]int{}}
	for i, p := range perms {
		in.PermissionLines[p] = 10 + i
	}
	in.Components = append([]app.Component{launcher}, comps...)
	return in
}

func receiver(name string, exported bool, perm string, actions ...string) app.Component {
	c := app.Component{Kind: "receiver", Name: name, Exported: exported, ExportedSet: true, Enabled: true, Permission: perm, Line: 40}
	if len(actions) > 0 {
		c.IntentFilters = []app.IntentFilter{{Actions: actions, Line: 41}}
	}
	return c
}

func service(name string, exported bool, perm string, actions ...string) app.Component {
	c := receiver(name, exported, perm, actions...)
	c.Kind = "service"
	return c
}

func TestRules(t *testing.T) {
	tests := []struct {
		name string
		in   *input
		want []string
	}{
		{"nothing", &input{Info: info("34", nil)}, nil},
		{"permissions by level",
			&input{Info: info("34", []string{
				"android.permission.READ_SMS", "android.permission.RECEIVE_SMS", // dangerous
				"android.permission.INTERNET",               // no category
				"com.example.permission.C2D_MESSAGE",        // unknown custom
				"android.permission.RECEIVE_BOOT_COMPLETED", // normal, behaviour
				"android.permission.QUERY_ALL_PACKAGES",     // normal, device
				"android.permission.PACKAGE_USAGE_STATS",    // signature|appop
			})},
			[]string{"behaviour.boot/low", "device.installed_apps/high", "device.other_apps_data/high", "device.sms/high"}},
		{"normal device permission is medium",
			&input{Info: info("34", []string{"android.permission.QUERY_ALL_PACKAGES", "android.permission.ACCESS_WIFI_STATE"})},
			[]string{"device.installed_apps/medium", "device.network/medium"}},
		{"exported SMS receiver without permission",
			&input{Info: info("34", nil, receiver("p.Sms", true, "", "android.provider.Telephony.SMS_RECEIVED"))},
			[]string{"behaviour.exposed/high", "device.sms/high"}},
		{"SMS receiver guarded by BROADCAST_SMS",
			&input{Info: info("34", nil, receiver("p.Sms", true, "android.permission.BROADCAST_SMS", "android.provider.Telephony.SMS_DELIVER"))},
			[]string{"device.sms/high"}},
		{"disabled SMS receiver is one notch lower",
			&input{Info: info("34", nil, func() app.Component {
				c := receiver("p.Sms", false, "", "android.provider.Telephony.WAP_PUSH_RECEIVED")
				c.Enabled = false
				return c
			}())},
			[]string{"device.sms/medium"}},
		{"boot receiver not exported",
			&input{Info: info("34", nil, receiver("p.Boot", false, "", "android.intent.action.LOCKED_BOOT_COMPLETED"))},
			[]string{"behaviour.boot/medium"}},
		{"exported boot receiver without data",
			&input{Info: info("34", nil, receiver("p.Boot", true, "", "android.intent.action.QUICKBOOT_POWERON"))},
			[]string{"behaviour.boot/medium", "behaviour.exposed/medium"}},
		{"call receiver guarded",
			&input{Info: info("34", nil, receiver("p.Call", true, "android.permission.BROADCAST_SMS", "android.intent.action.NEW_OUTGOING_CALL"))},
			[]string{"behaviour.calls/medium"}},
		{"accessibility service",
			&input{Info: info("34", nil, service("p.Acc", true, "android.permission.BIND_ACCESSIBILITY_SERVICE", app.ActionAccessibilityService))},
			[]string{"behaviour.accessibility/high"}},
		{"accessibility action alone",
			&input{Info: info("34", nil, service("p.Acc", false, "", app.ActionAccessibilityService))},
			[]string{"behaviour.accessibility/high"}},
		{"device admin by meta-data",
			&input{Info: info("34", nil, func() app.Component {
				c := receiver("p.Admin", false, "")
				c.MetaData = map[string]string{metaDeviceAdmin: "@xml/admin"}
				return c
			}())},
			[]string{"behaviour.device_admin/high"}},
		{"device admin by permission and action",
			&input{Info: info("34", nil, receiver("p.Admin", true, permDeviceAdmin, actionDeviceAdmin))},
			[]string{"behaviour.device_admin/high"}},
		{"notification listener",
			&input{Info: info("34", nil, service("p.NL", true, permNotifListener, actionNotifListener))},
			[]string{"device.notifications/high"}},
		{"input method",
			&input{Info: info("34", nil, service("p.IME", true, "android.permission.BIND_INPUT_METHOD", "android.view.InputMethod"))},
			[]string{"device.other_apps_data/high"}},
		{"job service is neither a role nor exposed",
			&input{Info: info("34", nil, service("p.Job", true, "android.permission.BIND_JOB_SERVICE"))},
			nil},
		{"exported provider",
			&input{Info: info("34", nil, app.Component{Kind: "provider", Name: "p.Prov", Authorities: "p.files", Exported: true, ExportedSet: true, Enabled: true})},
			[]string{"behaviour.exposed/high"}},
		{"provider with signature permission",
			&input{Info: info("34", nil, app.Component{Kind: "provider", Name: "p.Prov", Exported: true, Enabled: true, Permission: "android.permission.READ_LOGS"})},
			nil},
		{"provider inferred exported (old target)",
			&input{Info: info("16", nil, app.Component{Kind: "provider", Name: "p.Prov", Exported: true, Enabled: true})},
			[]string{"behaviour.cleartext/low", "behaviour.exposed/high"}},
		{"service with own normal permission",
			&input{Info: func() *app.Info {
				i := info("34", nil, service("p.S", true, "p.permission.BIND"))
				i.DeclaredPermissions = []app.DeclaredPermission{{Name: "p.permission.BIND", ProtectionLevel: 0}}
				return i
			}()},
			[]string{"behaviour.exposed/medium"}},
		{"service with own signature permission",
			&input{Info: func() *app.Info {
				i := info("34", nil, service("p.S", true, "p.permission.BIND"))
				i.DeclaredPermissions = []app.DeclaredPermission{{Name: "p.permission.BIND", ProtectionLevel: 2}}
				return i
			}()},
			nil},
		{"service with a normal platform permission",
			&input{Info: info("34", nil, service("p.ForegroundService", true, "android.permission.FOREGROUND_SERVICE"))},
			[]string{"behaviour.exposed/medium"}},
		{"service with a dangerous platform permission",
			&input{Info: info("34", nil, service("p.Recorder", true, "android.permission.RECORD_AUDIO"))},
			nil},
		{"receiver whose name names data",
			&input{Info: info("34", nil, receiver("p.receivers.SmsReader", true, ""))},
			[]string{"behaviour.exposed/high"}},
		{"receiver whose action names data",
			&input{Info: info("34", nil, receiver("p.R", true, "", "p.clipboard.get"))},
			[]string{"behaviour.exposed/high"}},
		{"exported activities grouped, entry point left out",
			&input{Info: info("34", nil,
				app.Component{Kind: "activity", Name: "p.A", Exported: true, ExportedSet: true, Enabled: true},
				app.Component{Kind: "activity-alias", Name: "p.B", Exported: true, Enabled: true,
					IntentFilters: []app.IntentFilter{{Actions: []string{"android.intent.action.VIEW"}}}})},
			[]string{"behaviour.exposed/low"}},
		{"no launcher",
			&input{Info: &app.Info{Package: "p", TargetSDK: "34"}},
			[]string{"behaviour.hidden/medium"}},
		{"disabled launcher alias",
			&input{Info: &app.Info{Package: "p", TargetSDK: "34", Components: []app.Component{{Kind: "activity-alias", Name: "p.Alias", Exported: true, Enabled: false,
				IntentFilters: []app.IntentFilter{{Actions: []string{actionMain}, Categories: []string{categoryLauncher}}}}}}},
			[]string{"behaviour.hidden/medium"}},
		{"leanback launcher counts",
			&input{Info: &app.Info{Package: "p", TargetSDK: "34", Components: []app.Component{{Kind: "activity", Name: "p.TV", Exported: true, Enabled: true,
				IntentFilters: []app.IntentFilter{{Actions: []string{actionMain}, Categories: []string{categoryLeanbackLnch}}}}}}},
			nil},
		{"debuggable",
			&input{Info: func() *app.Info { i := info("34", nil); i.Debuggable = true; return i }()},
			[]string{"behaviour.exposed/medium"}},
		{"usesCleartextTraffic true",
			&input{Info: func() *app.Info { i := info("34", nil); i.UsesCleartextTraffic = tru(); return i }()},
			[]string{"behaviour.cleartext/medium"}},
		{"usesCleartextTraffic false on old target",
			&input{Info: func() *app.Info { i := info("23", nil); i.UsesCleartextTraffic = fals(); return i }()},
			nil},
		{"old target, no attribute",
			&input{Info: info("27", nil)},
			[]string{"behaviour.cleartext/low"}},
		{"no target, no min",
			&input{Info: info("", nil)},
			[]string{"behaviour.cleartext/low"}},
		{"min only, new",
			&input{Info: func() *app.Info { i := info("", nil); i.MinSDK = "28"; return i }()},
			nil},
		{"codename target",
			&input{Info: info("VanillaIceCream", nil)},
			nil},
		{"NSC base permits",
			&input{Info: info("34", nil), NSC: &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml", Base: &nscConfig{Line: 2, Permitted: tru()}}},
			[]string{"behaviour.cleartext/medium"}},
		{"NSC overrides usesCleartextTraffic",
			&input{Info: func() *app.Info { i := info("34", nil); i.UsesCleartextTraffic = tru(); return i }(),
				NSC: &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml", Base: &nscConfig{Line: 2, Permitted: fals()}}},
			nil},
		{"NSC without base on old target",
			&input{Info: info("26", nil), NSC: &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml"}},
			[]string{"behaviour.cleartext/low"}},
		{"NSC without base on new target",
			&input{Info: info("30", nil), NSC: &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml"}},
			nil},
		{"NSC domains",
			&input{Info: info("34", nil), NSC: &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml",
				Domains: []nscConfig{{Line: 3, Permitted: tru(), Domains: []string{"example.cn"}}, {Line: 6, Permitted: fals(), Domains: []string{"secure.example"}}}}},
			[]string{"behaviour.cleartext/medium"}},
		{"queries packages",
			&input{Info: func() *app.Info {
				i := info("34", nil)
				i.QueriedPackages = []string{"com.whatsapp", "org.example.unknown"}
				return i
			}()},
			[]string{"behaviour.app_watchlist/medium"}},
		{"queries intents only",
			&input{Info: func() *app.Info {
				i := info("34", nil)
				i.QueriedIntents = []app.IntentFilter{{Actions: []string{"android.intent.action.VIEW"}, Data: []string{"https://"}}}
				return i
			}()},
			[]string{"behaviour.app_watchlist/low"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.File = "AndroidManifest.xml"
			got := check(tt.in)
			if g := keys(got); !slices.Equal(g, tt.want) {
				t.Errorf("findings = %v, want %v", g, tt.want)
				for _, f := range got {
					t.Logf("  %s %s: %s", f.Category, f.Severity, f.Title)
				}
			}
			for _, f := range got {
				checkFinding(t, f)
			}
		})
	}
	t.Logf("%d rule cases compared", len(tests))
}

// checkFinding asserts what every finding must have.
func checkFinding(t *testing.T, f analysis.Finding) {
	t.Helper()
	if _, ok := f.Category.Info(); !ok {
		t.Errorf("%q: category %q not in the taxonomy", f.Title, f.Category)
	}
	if f.Title == "" || len(f.Evidence) == 0 || len(f.Evidence) > maxEvidence+1 {
		t.Errorf("%q: %d pieces of evidence", f.Title, len(f.Evidence))
	}
	if f.Confidence.Level.Rank() > 2 || f.Confidence.Reason == "" {
		t.Errorf("%q: confidence %+v", f.Title, f.Confidence)
	}
	if !f.Severity.Valid() {
		t.Errorf("%q: severity %q", f.Title, f.Severity)
	}
	printable := func(what, s string) {
		for _, r := range s {
			if unicode.IsControl(r) || unicode.In(r, unicode.Cf) {
				t.Errorf("%s %q holds control or format character %U", what, s, r)
				return
			}
		}
		if !utf8.ValidString(s) {
			t.Errorf("%s %q is not valid UTF-8", what, s)
		}
	}
	printable("title", f.Title)
	printable("reason", f.Confidence.Reason)
	for _, e := range f.Evidence {
		printable("location", e.Location)
		printable("detail", e.Detail)
		if e.Kind != scan.EvManifest && e.Kind != scan.EvResource {
			t.Errorf("%q: evidence kind %q", f.Title, e.Kind)
		}
		if e.Location == "" || e.Detail == "" {
			t.Errorf("%q: evidence %+v", f.Title, e)
		}
	}
}

func TestEvidenceDetails(t *testing.T) {
	i := info("34", []string{"android.permission.READ_SMS", "android.permission.BLUETOOTH"},
		receiver("p.EventReceiver", true, "", "android.provider.Telephony.SMS_RECEIVED"))
	i.Components[1].IntentFilters[0].Priority = 999
	i.QueriedPackages = []string{"com.whatsapp", "org.telegram.messenger", "x.y"}
	in := &input{Info: i, File: "AndroidManifest.xml", Doc: docFacts{
		AppLine: 20, QueriesLine: 15,
		Perms:      map[string]permElem{"android.permission.BLUETOOTH": {Elem: "uses-permission", Line: 11, MaxSDK: "30"}},
		QueryLines: map[string]int{"com.whatsapp": 16, "org.telegram.messenger": 17, "x.y": 18},
	}}
	fs := check(in)
	want := map[knowledge.Category][]analysis.Evidence{
		"device.sms": {
			{Kind: "manifest", Location: "AndroidManifest.xml line 10", Detail: `<uses-permission android:name="android.permission.READ_SMS">`},
			{Kind: "manifest", Location: "AndroidManifest.xml line 40", Detail: `<receiver android:name="p.EventReceiver" android:exported="true"> <intent-filter android:priority="999"><action android:name="android.provider.Telephony.SMS_RECEIVED"/></intent-filter>`},
		},
		"device.network": {
			{Kind: "manifest", Location: "AndroidManifest.xml line 11", Detail: `<uses-permission android:name="android.permission.BLUETOOTH" android:maxSdkVersion="30">`},
		},
		"behaviour.app_watchlist": {
			{Kind: "manifest", Location: "AndroidManifest.xml line 15", Detail: "<queries> packages: com.whatsapp, org.telegram.messenger, x.y"},
			{Kind: "manifest", Location: "AndroidManifest.xml line 16", Detail: `<package android:name="com.whatsapp"/>`},
			{Kind: "manifest", Location: "AndroidManifest.xml line 17", Detail: `<package android:name="org.telegram.messenger"/>`},
			{Kind: "manifest", Location: "AndroidManifest.xml line 18", Detail: `<package android:name="x.y"/>`},
		},
	}
	for cat, ev := range want {
		got := byCat(fs, cat)
		if len(got) != 1 {
			t.Fatalf("%s: %d findings", cat, len(got))
		}
		if !slices.Equal(got[0].Evidence, ev) {
			t.Errorf("%s evidence:\n got %q\nwant %q", cat, got[0].Evidence, ev)
		}
	}
	sms := byCat(fs, "device.sms")[0]
	if want := "SMS and MMS: requests READ_SMS; receives incoming SMS in .EventReceiver"; sms.Title != want {
		t.Errorf("title %q, want %q", sms.Title, want)
	}
	if sms.Confidence.Level != "high" {
		t.Errorf("device.sms confidence %q, want high (a receiver is declared)", sms.Confidence.Level)
	}
	wl := byCat(fs, "behaviour.app_watchlist")[0]
	for _, s := range []string{"WhatsApp", "Telegram", "3 apps"} {
		if !strings.Contains(wl.Title, s) {
			t.Errorf("watchlist title %q lacks %q", wl.Title, s)
		}
	}
	if strings.Contains(wl.Title, "x.y") {
		t.Errorf("watchlist title names an unknown app as well known: %q", wl.Title)
	}
	ex := byCat(fs, "behaviour.exposed")
	if len(ex) != 1 || !strings.Contains(ex[0].Title, "SMS broadcast") || ex[0].Severity != analysis.High {
		t.Errorf("exposed = %+v", ex)
	}
}

func TestSignaturePermissionHasLowConfidence(t *testing.T) {
	fs := check(&input{Info: info("34", []string{"android.permission.READ_PRIVILEGED_PHONE_STATE"}), File: "AndroidManifest.xml"})
	if len(fs) != 1 || fs[0].Category != "device.identifiers" || fs[0].Severity != analysis.High || fs[0].Confidence.Level != "low" {
		t.Fatalf("got %+v", fs)
	}
	if !strings.Contains(fs[0].Confidence.Reason, "signature") {
		t.Errorf("reason %q does not name the protection level", fs[0].Confidence.Reason)
	}
}

func TestEvidenceCap(t *testing.T) {
	var comps []app.Component
	for i := range 30 {
		comps = append(comps, receiver(fmt.Sprintf("p.Boot%d", i), false, "", "android.intent.action.BOOT_COMPLETED"))
	}
	for i := range 25 {
		comps = append(comps, app.Component{Kind: "activity", Name: fmt.Sprintf("p.A%d", i), Exported: true, ExportedSet: true, Enabled: true})
	}
	var pkgs []string
	for i := range 40 {
		pkgs = append(pkgs, fmt.Sprintf("com.example.app%d", i))
	}
	i := info("34", nil, comps...)
	i.QueriedPackages = pkgs
	fs := check(&input{Info: i, File: "AndroidManifest.xml"})
	for _, f := range fs {
		checkFinding(t, f)
	}
	boot := byCat(fs, "behaviour.boot")
	if len(boot) != 1 || len(boot[0].Evidence) != maxEvidence || !strings.Contains(boot[0].Title, "30 declarations") {
		t.Errorf("boot: %d evidence, title %q", len(boot[0].Evidence), boot[0].Title)
	}
	wl := byCat(fs, "behaviour.app_watchlist")[0]
	if !strings.Contains(wl.Evidence[0].Detail, "com.example.app39") {
		t.Errorf("the verbatim list lost its tail: %q", wl.Evidence[0].Detail)
	}
	if !strings.Contains(wl.Title, "40 apps") {
		t.Errorf("watchlist title %q", wl.Title)
	}
	ex := byCat(fs, "behaviour.exposed")
	if len(ex) != 1 || !strings.Contains(ex[0].Title, "25 activities") || len(ex[0].Evidence) != maxEvidence {
		t.Errorf("exposed: %+v", ex)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SmsReader", []string{"sms", "reader"}},
		{"GPSTracker", []string{"gps", "tracker"}},
		{"LocationInfoReceiver", []string{"location", "info", "receiver"}},
		{"io.appium.settings.sms.read", []string{"io", "appium", "settings", "sms", "read"}},
		{"get_call_log2", []string{"get", "call", "log", "2"}},
		{"WiFiConnectionSettingReceiver", []string{"wi", "fi", "connection", "setting", "receiver"}},
		{"", nil},
		{"$$", nil},
	}
	for _, tt := range tests {
		if got := tokens(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain.Name", "plain.Name"},
		{`a"b<c>&d`, "a&quot;b&lt;c&gt;&amp;d"},
		{"esc\x1b[31mred", `esc\u001b[31mred`},
		{"bidi\u202etxt", `bidi\u202etxt`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"real\uFFFDchar", "real\uFFFDchar"},
		{"中文", "中文"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := clean(strings.Repeat("a", 10000))
	if len(long) > scan.MaxQuoted+len("…")+8 || !strings.HasSuffix(long, "…") {
		t.Errorf("clean did not cut a long value: %d bytes", len(long))
	}
}

func TestWellKnownTable(t *testing.T) {
	m, err := wellKnown()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"com.whatsapp", "org.telegram.messenger", "com.viber.voip", "org.torproject.android"} {
		if _, ok := m[p]; !ok {
			t.Errorf("%s missing from wellknown.json", p)
		}
	}
	t.Logf("%d well-known apps", len(m))
}

func TestSDKKeptApart(t *testing.T) {
	in := &input{
		Info: info("34", nil,
			receiver("p.Boot", false, "", "android.intent.action.BOOT_COMPLETED"),
			receiver("com.umeng.message.BootReceiver", true, "", "android.intent.action.BOOT_COMPLETED"),
			app.Component{Kind: "activity", Name: "com.umeng.Share", Exported: true, ExportedSet: true, Enabled: true},
			app.Component{Kind: "activity", Name: "p.Share", Exported: true, ExportedSet: true, Enabled: true},
		),
		File: "AndroidManifest.xml",
		SDKOf: func(class string) string {
			if strings.HasPrefix(class, "com.umeng.") {
				return "Umeng"
			}
			return ""
		},
	}
	var got []string
	for _, f := range check(in) {
		checkFinding(t, f)
		got = append(got, string(f.Category)+"/"+f.SDK)
	}
	slices.Sort(got)
	want := []string{"behaviour.boot/", "behaviour.boot/Umeng", "behaviour.exposed/", "behaviour.exposed/Umeng", "behaviour.exposed/Umeng"}
	if !slices.Equal(got, want) {
		t.Errorf("category/SDK = %q, want %q", got, want)
	}
}

// TestHostileNames feeds names built to rewrite a terminal or hide text;
// checkFinding asserts that none of it reaches a title, reason or evidence.
func TestHostileNames(t *testing.T) {
	bad := "p.\x1b[2J\u202eEvil\xff\u200bSmsReader\n"
	i := info("\x1b]0;title\x07", []string{"android.permission.READ_SMS"},
		receiver(bad, true, "", "android.provider.Telephony.SMS_RECEIVED", bad),
		app.Component{Kind: "provider", Name: bad, Authorities: bad, Exported: true, ExportedSet: true, Enabled: true},
		app.Component{Kind: "activity", Name: bad, Exported: true, ExportedSet: true, Enabled: true})
	i.Package = "\x1b[31m"
	i.QueriedPackages = []string{bad, "com.whatsapp"}
	i.QueriedProviders = []string{bad}
	i.QueriedIntents = []app.IntentFilter{{Actions: []string{bad}, Data: []string{bad}}}
	i.UsesCleartextTraffic = nil
	nc := &networkConfig{Ref: bad, File: "res/xml/n.xml", Location: "res/xml/n.xml",
		Domains: []nscConfig{{Line: 1, Permitted: tru(), Domains: []string{bad}}}}
	fs := check(&input{Info: i, File: "AndroidManifest.xml", NSC: nc})
	if len(fs) < 6 {
		t.Fatalf("only %d findings", len(fs))
	}
	for _, f := range fs {
		checkFinding(t, f)
	}
}

func TestRenderData(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://", `<data android:scheme="https"/>`},
		{"https://parity.example.org/open", `<data android:scheme="https" android:host="parity.example.org" path="/open"/>`},
		{"http://h:8080/p/q", `<data android:scheme="http" android:host="h" android:port="8080" path="/p/q"/>`},
		{"mimeType=text/plain", `<data android:mimeType="text/plain"/>`},
		{"content:// mimeType=vnd.android.cursor.dir/contact", `<data android:scheme="content" android:mimeType="vnd.android.cursor.dir/contact"/>`},
		{"", `<data/>`},
	}
	for _, tt := range tests {
		if got := renderData(tt.in); got != tt.want {
			t.Errorf("renderData(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// conf returns the confidence of the one finding of cat, or "".
func conf(t *testing.T, fs []analysis.Finding, cat knowledge.Category) scan.Level {
	t.Helper()
	got := byCat(fs, cat)
	if len(got) > 1 {
		t.Fatalf("%d findings of %s", len(got), cat)
	}
	if len(got) == 0 {
		return ""
	}
	return got[0].Confidence.Level
}

// Issue 12: roles that alone do not show the capability.
func TestRolesThatNeedMore(t *testing.T) {
	ime := service("p.Keyboard", true, "android.permission.BIND_INPUT_METHOD", "android.view.InputMethod")
	noLauncher := func(comps ...app.Component) *app.Info {
		i := info("34", nil)
		i.Components = comps
		return i
	}
	loaded := &permissions.Result{Hidden: "the app loads code at run time (x) that is not in the package", HiddenKind: permissions.HiddenLoaded}
	packed := &permissions.Result{Hidden: "the app's code is packed (X)", HiddenKind: permissions.HiddenPacked}
	for _, c := range []struct {
		name string
		in   *input
		cat  knowledge.Category
		want scan.Level
	}{
		{"phone-state receiver watches calls only", &input{Info: info("34", nil, receiver("p.Calls", false, "", "android.intent.action.PHONE_STATE"))}, knowledge.BehaviourCalls, confLow},
		{"outgoing-call receiver can redirect calls", &input{Info: info("34", nil, receiver("p.Out", false, "", "android.intent.action.NEW_OUTGOING_CALL"))}, knowledge.BehaviourCalls, confHigh},
		{"call receiver and CALL_PHONE", &input{Info: info("34", []string{"android.permission.CALL_PHONE"}, receiver("p.Calls", false, "", "android.intent.action.PHONE_STATE"))}, knowledge.BehaviourCalls, confMedium},
		{"keyboard whose code reads no text", &input{Info: info("34", nil, ime), Usage: &permissions.Result{}}, knowledge.DeviceOtherAppsData, confLow},
		{"keyboard, usage unknown (tests)", &input{Info: info("34", nil, ime)}, knowledge.DeviceOtherAppsData, confHigh},
		{"keyboard of packed code", &input{Info: info("34", nil, ime), Usage: packed}, knowledge.DeviceOtherAppsData, confHigh},
		{"a keyboard needs no launcher", &input{Info: noLauncher(ime)}, knowledge.BehaviourHidden, confLow},
		{"a service is no reason to have none", &input{Info: noLauncher(service("p.S", false, ""))}, knowledge.BehaviourHidden, confMedium},
		{"a test package has no activity to open", &input{Info: noLauncher(), Doc: docFacts{InstrumentationLine: 9, InstrumentationTarget: "p"}}, knowledge.BehaviourHidden, confLow},
		{"instrumentation beside activities is no test package", &input{Info: noLauncher(app.Component{Kind: "activity", Name: "p.Main", Enabled: true, Line: 30}), Doc: docFacts{InstrumentationLine: 9}}, knowledge.BehaviourHidden, confMedium},
		{"permission unused by code that downloads more", &input{Info: info("34", []string{"android.permission.READ_CONTACTS"}), Usage: loaded}, knowledge.DeviceContacts, confLow},
		{"permission of packed code stands", &input{Info: info("34", []string{"android.permission.READ_CONTACTS"}), Usage: packed}, knowledge.DeviceContacts, confMedium},
		{"cleartext allowed, none in the code", &input{Info: cleartextApp(), CodeCleartext: ptr(""), Usage: &permissions.Result{}}, knowledge.BehaviourCleartext, confLow},
		{"cleartext allowed and used", &input{Info: cleartextApp(), CodeCleartext: ptr("classes.dex Lp/A;->b()V"), Usage: &permissions.Result{}}, knowledge.BehaviourCleartext, confHigh},
		{"cleartext allowed, code hidden", &input{Info: cleartextApp(), CodeCleartext: ptr(""), Usage: packed}, knowledge.BehaviourCleartext, confHigh},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := conf(t, check(c.in), c.cat); got != c.want {
				t.Errorf("%s: %q, want %q", c.cat, got, c.want)
			}
		})
	}
}

// An exported receiver whose code reads personal data and sets the
// broadcast's result hands the data to any app; one that only sets a
// result (a status) is not shown to.
func TestReceiverHandsBack(t *testing.T) {
	i := info("34", nil, receiver("p.SmsReader", true, "", "p.READ"), receiver("p.Toggle", true, "", "p.SET"))
	in := &input{Info: i, HandsBack: map[string]string{"p.SmsReader": "its code reads device.sms and sets the result of the broadcast it receives (x)"}}
	for _, f := range byCat(check(in), knowledge.BehaviourExposed) {
		want := confLow
		if strings.Contains(f.Title, "SmsReader") {
			want = confMedium
		}
		if f.Confidence.Level != want {
			t.Errorf("%s: %s, want %s", f.Title, f.Confidence.Level, want)
		}
	}
}

func cleartextApp() *app.Info {
	i := info("34", nil)
	i.UsesCleartextTraffic = tru()
	return i
}

func ptr(s string) *string { return &s }

// An exported provider whose code hands out or takes nothing is no
// exposure; one that only reads is readable, not writable.
func TestStubProviders(t *testing.T) {
	prov := app.Component{Kind: "provider", Name: "p.Prov", Exported: true, ExportedSet: true, Enabled: true, Authorities: "p.prov", Line: 50}
	stubs := func(names ...string) func(string, string) (bool, bool) {
		return func(_, m string) (bool, bool) {
			return true, slices.Contains(names, m)
		}
	}
	for _, c := range []struct {
		name  string
		stub  func(string, string) (bool, bool)
		level scan.Level
		title string
	}{
		{"real code", stubs(), confHigh, "readable and writable"},
		{"writes are stubs", stubs("insert", "update", "delete"), confHigh, "is readable by any app"},
		{"everything is a stub", stubs("insert", "update", "delete", "query", "openFile", "openAssetFile"), confLow, "readable and writable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := byCat(check(&input{Info: info("34", nil, prov), Stub: c.stub}), knowledge.BehaviourExposed)
			if len(fs) != 1 || fs[0].Confidence.Level != c.level || !strings.Contains(fs[0].Title, c.title) {
				t.Errorf("%+v, want one %s finding with %q", fs, c.level, c.title)
			}
		})
	}
}
