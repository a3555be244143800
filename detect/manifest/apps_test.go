package manifest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
)

func runOn(t *testing.T, path string) []analysis.Finding {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatalf("open %s: %v", corpus.Name(path), err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, Analyzers)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("%s: analyzer errors: %v", corpus.Name(path), res.Errors)
	}
	return res.Findings
}

// expect is one finding a test requires: its category and severity, words
// its title must hold, and evidence (location → detail, "" for any detail)
// it must carry.
type expect struct {
	cat   knowledge.Category
	sev   analysis.Severity
	title []string
	ev    map[string]string
}

// assertFindings matches every expected finding to a distinct actual one
// and fails on any finding left over: nothing may be invented.
func assertFindings(t *testing.T, got []analysis.Finding, want []expect) int {
	t.Helper()
	used := make([]bool, len(got))
	facts := 0
	for _, w := range want {
		found := -1
	candidates:
		for i, f := range got {
			if used[i] || f.Category != w.cat || f.Severity != w.sev {
				continue
			}
			for _, s := range w.title {
				if !strings.Contains(f.Title, s) {
					continue candidates
				}
			}
			found = i
			break
		}
		if found < 0 {
			t.Errorf("missing finding %s/%s with title words %q", w.cat, w.sev, w.title)
			continue
		}
		used[found] = true
		f := got[found]
		checkFinding(t, f)
		for loc, detail := range w.ev {
			ok := false
			for _, e := range f.Evidence {
				if e.Location == loc && (detail == "" || e.Detail == detail) {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s %q: no evidence at %s with detail %q; have %q", f.Category, f.Title, loc, detail, f.Evidence)
			}
			facts++
		}
		facts++
	}
	for i, f := range got {
		if !used[i] {
			t.Errorf("unexpected finding %s/%s: %s %q", f.Category, f.Severity, f.Title, f.Evidence)
		}
	}
	return facts
}

const mf = "AndroidManifest.xml line "

func perm(name string) string {
	return `<uses-permission android:name="android.permission.` + name + `">`
}

// TestDemoApp checks the findings on the project's demo app against its
// manifest source, testapps/demo-ijop/AndroidManifest.xml.
func TestDemoApp(t *testing.T) {
	got := runOn(t, testapp.Demo(t))
	const evReceiver = `<receiver android:name="org.appxray.demo.ijop.EventReceiver" android:exported="true">`
	want := []expect{
		{"device.contacts", analysis.High, []string{"READ_CONTACTS"}, map[string]string{mf + "10": perm("READ_CONTACTS")}},
		{"device.sms", analysis.High, []string{"READ_SMS", "RECEIVE_SMS", ".EventReceiver"}, map[string]string{
			mf + "11": perm("READ_SMS"),
			mf + "12": perm("RECEIVE_SMS"),
			mf + "45": evReceiver + ` <intent-filter android:priority="999"><action android:name="android.provider.Telephony.SMS_RECEIVED"/></intent-filter>`,
		}},
		{"device.call_log", analysis.High, []string{"READ_CALL_LOG"}, map[string]string{mf + "13": perm("READ_CALL_LOG")}},
		{"device.identifiers", analysis.High, []string{"READ_PHONE_STATE"}, map[string]string{mf + "14": perm("READ_PHONE_STATE")}},
		{"device.phone_number", analysis.High, []string{"READ_PHONE_STATE"}, map[string]string{mf + "14": perm("READ_PHONE_STATE")}},
		{"device.location", analysis.High, []string{"ACCESS_FINE_LOCATION"}, map[string]string{mf + "15": perm("ACCESS_FINE_LOCATION")}},
		{"device.camera", analysis.High, []string{"CAMERA"}, map[string]string{mf + "16": perm("CAMERA")}},
		{"device.microphone", analysis.High, []string{"RECORD_AUDIO"}, map[string]string{mf + "17": perm("RECORD_AUDIO")}},
		{"device.installed_apps", analysis.Medium, []string{"QUERY_ALL_PACKAGES"}, map[string]string{mf + "18": perm("QUERY_ALL_PACKAGES")}},
		{"behaviour.boot", analysis.Medium, []string{"RECEIVE_BOOT_COMPLETED", ".EventReceiver"}, map[string]string{
			mf + "19": perm("RECEIVE_BOOT_COMPLETED"),
			mf + "45": evReceiver + ` <intent-filter><action android:name="android.intent.action.BOOT_COMPLETED"/></intent-filter>`,
		}},
		{"behaviour.app_watchlist", analysis.Medium, []string{"3 apps", "WhatsApp", "Telegram", "Viber"}, map[string]string{
			mf + "22": "<queries> packages: com.whatsapp, org.telegram.messenger, com.viber.voip",
			mf + "23": `<package android:name="com.whatsapp"/>`,
			mf + "24": `<package android:name="org.telegram.messenger"/>`,
			mf + "25": `<package android:name="com.viber.voip"/>`,
		}},
		{"behaviour.cleartext", analysis.Medium, []string{"usesCleartextTraffic"}, map[string]string{
			mf + "28": `<application android:usesCleartextTraffic="true">`,
		}},
		{"behaviour.exposed", analysis.High, []string{"receiver .EventReceiver", "SMS broadcast"}, map[string]string{mf + "45": ""}},
		{"behaviour.exposed", analysis.Medium, []string{"service .SyncService"}, map[string]string{
			mf + "55": `<service android:name="org.appxray.demo.ijop.SyncService" android:exported="true">`,
		}},
	}
	n := assertFindings(t, got, want)
	t.Logf("demo-ijop: %d findings, %d facts compared", len(got), n)
}

// TestAppiumSettings checks io.appium.settings, whose documentation says it
// reads SMS, location, clipboard and notifications and whose exported
// receivers hand them to any caller. The expectations come from its
// manifest as `aapt dump xmltree` prints it.
func TestAppiumSettings(t *testing.T) {
	var path string
	for _, p := range corpus.APKs(t) {
		if strings.HasSuffix(p, "io.appium.settings/package/apks/settings_apk-debug.apk") {
			path = p
		}
	}
	if path == "" {
		t.Fatal("io.appium.settings settings_apk-debug.apk is not in the corpus")
	}
	got := runOn(t, path)
	recv := func(line int, name string) map[string]string {
		return map[string]string{fmt.Sprint(mf, line): `<receiver android:name="io.appium.settings.receivers.` + name + `" android:exported="true">`}
	}
	want := []expect{
		{"device.files", analysis.High, []string{"READ_EXTERNAL_STORAGE"}, map[string]string{mf + "12": perm("READ_EXTERNAL_STORAGE")}},
		{"device.media", analysis.High, []string{"READ_EXTERNAL_STORAGE", "READ_MEDIA_IMAGES"}, map[string]string{mf + "12": "", mf + "13": perm("READ_MEDIA_IMAGES")}},
		{"device.identifiers", analysis.High, []string{"READ_PHONE_STATE"}, map[string]string{mf + "18": perm("READ_PHONE_STATE")}},
		{"device.phone_number", analysis.High, []string{"READ_PHONE_STATE"}, map[string]string{mf + "18": ""}},
		// ACCESS_WIFI_STATE is normal, the Bluetooth ones dangerous.
		{"device.network", analysis.High, []string{"ACCESS_WIFI_STATE", "BLUETOOTH_SCAN"}, map[string]string{
			mf + "21": perm("ACCESS_WIFI_STATE"),
			mf + "31": `<uses-permission android:name="android.permission.BLUETOOTH" android:maxSdkVersion="30">`,
			mf + "34": "", mf + "37": perm("BLUETOOTH_CONNECT"), mf + "38": perm("BLUETOOTH_SCAN"),
		}},
		{"device.location", analysis.High, []string{"ACCESS_FINE_LOCATION", "ACCESS_BACKGROUND_LOCATION"}, map[string]string{
			mf + "22": perm("ACCESS_FINE_LOCATION"), mf + "23": perm("ACCESS_COARSE_LOCATION"),
			mf + "24": perm("ACCESS_BACKGROUND_LOCATION"), mf + "29": perm("FOREGROUND_SERVICE_LOCATION"),
		}},
		{"device.screen", analysis.Medium, []string{"FOREGROUND_SERVICE_MEDIA_PROJECTION"}, map[string]string{mf + "30": perm("FOREGROUND_SERVICE_MEDIA_PROJECTION")}},
		{"device.sms", analysis.High, []string{"READ_SMS"}, map[string]string{mf + "39": perm("READ_SMS")}},
		{"device.microphone", analysis.High, []string{"RECORD_AUDIO"}, map[string]string{mf + "40": perm("RECORD_AUDIO")}},
		{"device.notifications", analysis.High, []string{"notification listener .NLService"}, map[string]string{
			mf + "125": `<service android:name="io.appium.settings.NLService" android:exported="true" android:permission="android.permission.BIND_NOTIFICATION_LISTENER_SERVICE"> <intent-filter><action android:name="android.service.notification.NotificationListenerService"/></intent-filter>`,
		}},
		{"device.other_apps_data", analysis.High, []string{".AppiumIME", "BIND_INPUT_METHOD"}, map[string]string{mf + "83": "", mf + "97": "", mf + "111": ""}},
		{"behaviour.exposed", analysis.Medium, []string{"debuggable"}, map[string]string{mf + "50": `<application android:debuggable="true">`}},
		{"behaviour.exposed", analysis.High, []string{"service .LocationService", "location"}, map[string]string{
			mf + "72": `<service android:name="io.appium.settings.LocationService" android:exported="true">`}},
		{"behaviour.exposed", analysis.Medium, []string{"service .ForegroundService"}, map[string]string{mf + "134": ""}},
		{"behaviour.exposed", analysis.Medium, []string{".WiFiConnectionSettingReceiver"}, recv(141, "WiFiConnectionSettingReceiver")},
		{"behaviour.exposed", analysis.Medium, []string{".AnimationSettingReceiver"}, recv(144, "AnimationSettingReceiver")},
		{"behaviour.exposed", analysis.Medium, []string{".LocaleSettingReceiver"}, recv(147, "LocaleSettingReceiver")},
		{"behaviour.exposed", analysis.Medium, []string{".LocalesReader"}, recv(150, "LocalesReader")},
		{"behaviour.exposed", analysis.High, []string{".ClipboardReceiver", "clipboard"}, recv(153, "ClipboardReceiver")},
		{"behaviour.exposed", analysis.High, []string{".LocationInfoReceiver", "location"}, recv(156, "LocationInfoReceiver")},
		{"behaviour.exposed", analysis.Medium, []string{".BluetoothConnectionSettingReceiver"}, recv(159, "BluetoothConnectionSettingReceiver")},
		{"behaviour.exposed", analysis.Medium, []string{".UnpairBluetoothDevicesReceiver"}, recv(162, "UnpairBluetoothDevicesReceiver")},
		{"behaviour.exposed", analysis.High, []string{".SmsReader", "SMS"}, recv(165, "SmsReader")},
		{"behaviour.exposed", analysis.Medium, []string{".MediaScannerReceiver"}, recv(168, "MediaScannerReceiver")},
	}
	n := assertFindings(t, got, want)
	t.Logf("io.appium.settings: %d findings, %d facts compared", len(got), n)
}

var (
	xtElem   = regexp.MustCompile(`^(\s*)E: (\S+) \(line=(\d+)\)`)
	xtAttr   = regexp.MustCompile(`^(\s*)A: (?:android:)?([A-Za-z]+)\(0x[0-9a-f]+\)=(.*)$`)
	xtPerm   = regexp.MustCompile(`^uses-permission(?:-sdk-23)?: name='([^']+)'`)
	xtString = regexp.MustCompile(`^"(.*)" \(Raw`)
)

// oracleComponent is a component as aapt prints it.
type oracleComponent struct {
	kind  string
	line  int
	attrs map[string]string
}

// aaptComponents reads the components of `aapt dump xmltree`.
func aaptComponents(out string) []oracleComponent {
	var comps []oracleComponent
	cur, depth := -1, 0
	for _, l := range strings.Split(out, "\n") {
		if m := xtElem.FindStringSubmatch(l); m != nil {
			d := len(m[1])
			if cur >= 0 && d <= depth {
				cur = -1
			}
			switch m[2] {
			case "activity", "activity-alias", "service", "receiver", "provider":
				if cur < 0 {
					var line int
					fmt.Sscan(m[3], &line)
					comps = append(comps, oracleComponent{kind: m[2], line: line, attrs: map[string]string{}})
					cur, depth = len(comps)-1, d
				}
			}
			continue
		}
		if m := xtAttr.FindStringSubmatch(l); m != nil && cur >= 0 && len(m[1]) == depth+2 {
			v := m[3]
			if s := xtString.FindStringSubmatch(v); s != nil {
				v = s[1]
			}
			comps[cur].attrs[m[2]] = v
		}
	}
	return comps
}

// aaptCannotRead lists the corpus APKs whose manifest aapt cannot dump,
// with the reason aapt gives.
var aaptCannotRead = map[string]string{
	"signing/apksig/empty-unsigned.apk":                                     "empty archive",
	"signing/apksig/v1-only-empty.apk":                                      "empty archive",
	"signing/apksig/v2-only-empty.apk":                                      "empty archive",
	"signing/apksig/v3-only-empty.apk":                                      "empty archive",
	"signing/apksig/v1-only-with-nul-in-entry-name.apk":                     "invalid entry name (NUL)",
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "invalid central directory offset",
	"signing/apksig/v2-only-truncated-cd.apk":                               "truncated central directory",
	"tests/multidex/multidex.apk":                                           "no AndroidManifest.xml (DEX files only)",
}

// TestCorpus runs the analyzer over every corpus APK and compares it with
// aapt: every permission aapt lists that the knowledge table maps to a
// category must be evidence in that category, and every receiver, service
// or provider aapt shows with android:exported true and no permission
// attribute must be reported as exposed. Files aapt cannot read either are
// listed and must also fail here or yield nothing.
func TestCorpus(t *testing.T) {
	var files, findings, permFacts, exposedFacts int
	var aaptRejects []string
	for _, path := range corpus.APKs(t) {
		name := corpus.Name(path)
		perms := corpus.Tool(t, "aapt", "dump", "permissions", path)
		tree := corpus.Tool(t, "aapt", "dump", "xmltree", path, "AndroidManifest.xml")
		a, err := app.Open(context.Background(), path, app.DefaultOptions())
		if perms.ExitCode != 0 || tree.ExitCode != 0 {
			// Android's own tool cannot read this manifest: nothing to
			// compare, but the analyzer must still run cleanly and invent
			// nothing where there is no manifest.
			aaptRejects = append(aaptRejects, name)
			if err == nil {
				res, rerr := analysis.Run(context.Background(), a, nil, Analyzers)
				a.Close()
				if rerr != nil || len(res.Errors) > 0 {
					t.Errorf("%s: %v %v", name, rerr, res.Errors)
				} else if a.Manifest() == nil && len(res.Findings) > 0 {
					t.Errorf("%s: %d findings without a manifest", name, len(res.Findings))
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: aapt reads it but app.Open fails: %v", name, err)
			continue
		}
		res, err := analysis.Run(context.Background(), a, nil, Analyzers)
		a.Close()
		if err != nil || len(res.Errors) > 0 {
			t.Errorf("%s: %v %v", name, err, res.Errors)
			continue
		}
		files++
		findings += len(res.Findings)
		evidence := map[knowledge.Category]map[string]bool{} // category → locations
		for _, f := range res.Findings {
			if f.Analyzer != Analyzer.Name {
				continue // a required analyzer's (packers'), with its own evidence
			}
			checkFinding(t, f)
			if evidence[f.Category] == nil {
				evidence[f.Category] = map[string]bool{}
			}
			for _, e := range f.Evidence {
				evidence[f.Category][e.Location] = true
				evidence[f.Category][e.Detail] = true
			}
		}
		for _, l := range strings.Split(string(perms.Stdout), "\n") {
			m := xtPerm.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			p, ok := knowledge.PermissionByName(m[1])
			if !ok {
				continue
			}
			for _, cat := range p.Categories {
				found := false
				for d := range evidence[cat] {
					if strings.Contains(d, `android:name="`+m[1]+`"`) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("%s: permission %s not evidence of %s", name, m[1], cat)
				}
				permFacts++
			}
		}
		for _, c := range aaptComponents(string(tree.Stdout)) {
			if c.kind == "activity" || c.kind == "activity-alias" {
				continue
			}
			if c.attrs["exported"] != "(type 0x12)0xffffffff" || c.attrs["enabled"] == "(type 0x12)0x0" {
				continue
			}
			if c.attrs["permission"] != "" || c.attrs["readPermission"] != "" || c.attrs["writePermission"] != "" {
				continue
			}
			if !evidence["behaviour.exposed"][fmt.Sprint(mf, c.line)] {
				t.Errorf("%s: exported %s at line %d (%s) without permission is not reported as exposed", name, c.kind, c.line, c.attrs["name"])
			}
			exposedFacts++
		}
	}
	slices.Sort(aaptRejects)
	var want []string
	for n := range aaptCannotRead {
		want = append(want, n)
	}
	slices.Sort(want)
	if !slices.Equal(aaptRejects, want) {
		t.Errorf("corpus APKs aapt cannot read:\n got %q\nwant %q", aaptRejects, want)
	}
	t.Logf("aapt cannot read %d corpus APKs (not compared, listed in aaptCannotRead)", len(aaptRejects))
	if files < 100 {
		t.Errorf("only %d corpus APKs compared", files)
	}
	t.Logf("corpus: %d APKs, %d findings, %d permission→category facts and %d exported components compared with aapt", files, findings, permFacts, exposedFacts)
}

// parityAPKs returns the parity test app in both encodings (aapt and
// aapt2): the committed builds, or fresh ones from testapps/parity.
func parityAPKs(t *testing.T) []string {
	t.Helper()
	names := []string{"parity.apk", "parity-aapt2.apk"}
	var out []string
	for _, n := range names {
		p := filepath.Join(corpus.Root(), "testdata", n)
		if _, err := os.Stat(p); err != nil {
			out = nil
			break
		}
		out = append(out, p)
	}
	if out != nil {
		return out
	}
	corpus.NeedTool(t, "apktool")
	dir := t.TempDir()
	cmd := exec.Command(filepath.Join(corpus.Root(), "scripts", "build-testapps.sh"), dir, "parity")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testapps/parity failed: %v\n%s", err, b)
	}
	for _, n := range names {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// TestParityApp checks the parity test app, the project's only APK with a
// network security config, against testapps/parity/AndroidManifest.xml and
// res/xml/network_security_config.xml.
func TestParityApp(t *testing.T) {
	for _, path := range parityAPKs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := runOn(t, path)
			const implied = "implied android.permission.READ_EXTERNAL_STORAGE (not written in the manifest; Android grants it because: requested WRITE_EXTERNAL_STORAGE)"
			want := []expect{
				{"device.files", analysis.High, []string{"READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"}, map[string]string{
					mf + "15": `<uses-permission android:name="android.permission.WRITE_EXTERNAL_STORAGE" android:maxSdkVersion="28">`,
				}},
				{"device.media", analysis.High, []string{"READ_EXTERNAL_STORAGE"}, map[string]string{mf + "15": implied}},
				{"behaviour.cleartext", analysis.Medium, []string{"*.cleartext.example.org"}, map[string]string{
					mf + "23": `<application android:networkSecurityConfig="@xml/network_security_config">`,
					"res/xml/network_security_config.xml line 4": `<domain-config cleartextTrafficPermitted="true"> *.cleartext.example.org`,
				}},
				// readPermission is the app's own signature permission, but
				// nothing guards writes.
				{"behaviour.exposed", analysis.High, []string{"content provider org.appxray.test.parity.provider", "writable"}, map[string]string{mf + "79": ""}},
				{"behaviour.exposed", analysis.Low, []string{"1 activity", ".AliasActivity"}, map[string]string{mf + "58": ""}},
			}
			n := assertFindings(t, got, want)
			for _, f := range got {
				if f.Category == "device.files" && !strings.Contains(f.Confidence.Reason, "implied") {
					t.Errorf("device.files reason does not say READ_EXTERNAL_STORAGE is implied: %q", f.Confidence.Reason)
				}
				// Android implies READ_EXTERNAL_STORAGE; the app never asks for it.
				if f.Category == "device.files" && (strings.Contains(f.Title, "requests READ_EXTERNAL_STORAGE") || !strings.Contains(f.Title, "gets READ_EXTERNAL_STORAGE without requesting it")) {
					t.Errorf("device.files title says the app requests READ_EXTERNAL_STORAGE, or does not say it gets it without a request: %q", f.Title)
				}
			}
			t.Logf("%s: %d findings, %d facts compared", filepath.Base(path), len(got), n)
		})
	}
}
