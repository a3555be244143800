package ios_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"appxray/app"
	detectios "appxray/detect/ios"
	"appxray/internal/iosapp"
	"appxray/knowledge"
	"appxray/report"
	"appxray/scan"
)

func scanDemo(t *testing.T, encrypted bool) *scan.Report {
	t.Helper()
	ipa, err := iosapp.DemoIPA(encrypted)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.OpenBytes(context.Background(), "Tracker.ipa", ipa, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindIPA || a.IOS == nil {
		t.Fatalf("the demo IPA opens as %q", a.Kind)
	}
	r, err := detectios.Scan(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Errors {
		if e.Where == "analysis" {
			t.Errorf("analyzer error: %s", e.Error)
		}
	}
	return r
}

// line renders a finding for comparison: category, confidence, title,
// SDK and evidence locations.
func line(f scan.Finding) string {
	var locs []string
	for _, e := range f.Evidence {
		locs = append(locs, e.Location)
	}
	s := string(f.Category) + " [" + string(f.Confidence.Level) + "] " + f.Title
	if f.SDK != "" {
		s += " {sdk " + f.SDK + "}"
	}
	return s + " @ " + strings.Join(locs, "; ")
}

// TestDemoFindings asserts every finding of the demo app with its
// evidence, and that nothing else is reported.
func TestDemoFindings(t *testing.T) {
	r := scanDemo(t, false)
	var got []string
	for _, f := range r.Findings {
		got = append(got, line(f))
	}
	sort.Strings(got)
	const root = "Payload/Tracker.app/"
	const exe = root + "Tracker"
	const sdk = root + "Frameworks/FBSDKCoreKit.framework/FBSDKCoreKit"
	want := []string{
		"behaviour.app_watchlist [high] Checks whether 4 other apps are installed (LSApplicationQueriesSchemes: whatsapp, telegram, signal, weixin) @ " + root + "Info.plist line 60",
		"behaviour.cleartext [high] Allows cleartext HTTP to collect.example.com and its subdomains (ATS exception) @ " + root + "Info.plist line 73",
		"behaviour.cleartext [high] Switches off App Transport Security for every connection (NSAllowsArbitraryLoads) @ " + root + "Info.plist line 67",
		"device.calendar [high] Says why it wants the calendars (NSCalendarsUsageDescription): “Add meetings to your calendar.” @ " + root + "Info.plist line 38",
		"device.camera [high] Says why it wants the camera (NSCameraUsageDescription): “Scan your ID card.” @ " + root + "Info.plist line 32; " + root + "zh-Hans.lproj/InfoPlist.strings",
		"device.contacts [high] Says why it wants the contacts (NSContactsUsageDescription): “We upload your contacts to find people you know.” @ " + root + "Info.plist line 26; " + root + "de.lproj/InfoPlist.strings; " + root + "en.lproj/InfoPlist.strings; " + root + "zh-Hans.lproj/InfoPlist.strings",
		"device.contacts [medium] Reads the contacts (CNContactStore) @ " + exe + "; " + exe + "; " + exe,
		"device.identifiers [high] Says why it wants tracking across other companies' apps and websites (the advertising identifier) (NSUserTrackingUsageDescription): “Allow tracking to get personalised ads.” @ " + root + "Info.plist line 42",
		"device.identifiers [medium] Reads the advertising identifier (ASIdentifierManager) in an embedded framework {sdk Facebook Analytics (App Events)} @ " + sdk + "; " + sdk + " offset 0x" + "%SDKSEL%" + "; " + sdk,
		"device.identifiers [medium] Reads the advertising identifier (ASIdentifierManager) @ " + exe + "; " + exe + "; " + exe + " offset 0x%EXESEL%; " + exe + "; " + exe,
		"device.location [high] Declares location updates in the background (UIBackgroundModes location) @ " + root + "Info.plist line 89",
		"device.location [high] Says why it wants the location at all times (NSLocationAlwaysAndWhenInUseUsageDescription): “We record where you go, even in the background.” @ " + root + "Info.plist line 30",
		"device.location [high] Says why it wants the location while the app is in use (NSLocationWhenInUseUsageDescription): “Your location is shared with the neighbourhood committee.” @ " + root + "Info.plist line 28; " + root + "de.lproj/InfoPlist.strings",
		"device.location [medium] Reads the location (CLLocationManager) @ " + exe + "; " + exe,
		"device.media [high] Says why it wants the photo library (NSPhotoLibraryUsageDescription): “Attach photos to reports.” @ " + root + "Info.plist line 36",
		"device.microphone [high] Says why it wants the microphone (NSMicrophoneUsageDescription): “Record voice notes.” @ " + root + "Info.plist line 34",
		"device.network [high] Says why it wants Bluetooth (NSBluetoothAlwaysUsageDescription): “Find nearby devices.” @ " + root + "Info.plist line 44",
		"device.network [medium] Reads the mobile carrier (CoreTelephony) @ " + exe + "; " + exe,
		"person.biometric [high] Says why it wants Face ID (NSFaceIDUsageDescription): “Unlock with Face ID.” @ " + root + "Info.plist line 46",
		"person.national_id [high] Form field asks for national identifier: 'National ID number' @ " + root + "Base.lproj/Main.storyboardc/PersonForm.nib UITextField",
		"person.phone_number [medium] 2 form fields ask for phone number: 'Phone number' @ " + root + "Base.lproj/Main.storyboardc/UIViewController-2.nib/runtime.nib UITextField; " + root + "Login.nib UITextField",
		"person.religion [high] Form field asks for religion: 'Religion' @ " + root + "Base.lproj/Main.storyboardc/PersonForm.nib UITextField",
		"person.health [high] Says why it wants reading health data (NSHealthShareUsageDescription): “Read your step count.” @ " + root + "Info.plist line 40",
	}
	// Offsets of selectors depend on the layout; read them from the report.
	for _, f := range r.Findings {
		for _, e := range f.Evidence {
			if e.Detail == "selector advertisingIdentifier" {
				off := e.Location[strings.LastIndex(e.Location, "0x")+2:]
				key := "%EXESEL%"
				if strings.Contains(e.Location, "FBSDKCoreKit") {
					key = "%SDKSEL%"
				}
				for i := range want {
					want[i] = strings.Replace(want[i], key, off, 1)
				}
			}
		}
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings differ:\n got:\n  %s\n want:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// The purpose texts of every language are in the evidence.
	for _, f := range r.Findings {
		if f.Category != knowledge.DeviceContacts || f.Confidence.Level != scan.LevelHigh {
			continue
		}
		var details []string
		for _, e := range f.Evidence {
			details = append(details, e.Detail)
		}
		for _, want := range []string{"Wir laden deine Kontakte hoch.", "我们会上传您的通讯录。"} {
			if !strings.Contains(strings.Join(details, "|"), want) {
				t.Errorf("contacts evidence lacks %q: %q", want, details)
			}
		}
	}
}

func TestDemoDocument(t *testing.T) {
	r := scanDemo(t, false)
	if r.App.Package != iosapp.DemoBundleID || r.App.VersionName != "2.4.1" || r.App.VersionCode != 241 || r.App.Build != "241" ||
		r.App.MinimumOS != "15.0" || r.App.MinSDK != "" || r.App.Labels["de"] != "Nachbarschaftswache" {
		t.Errorf("app %+v", r.App)
	}
	if !slices.Equal(r.App.QueriedSchemes, []string{"whatsapp", "telegram", "signal", "weixin"}) || !slices.Contains(r.App.BackgroundModes, "location") || len(r.App.URLSchemes) == 0 {
		t.Errorf("schemes %q, queried %q, background modes %q", r.App.URLSchemes, r.App.QueriedSchemes, r.App.BackgroundModes)
	}
	if r.File.Kind != "ipa" || r.File.Name != "Tracker.ipa" || len(r.File.SHA256) != 64 {
		t.Errorf("file %+v", r.File)
	}
	p := r.Profile
	if p == nil || p.TeamID != iosapp.DemoTeamID || p.TeamName != iosapp.DemoTeamName || p.Type != "enterprise" || !p.AllDevices ||
		p.Expires != iosapp.DemoExpiry.Format(time.RFC3339) || p.Path != iosapp.DemoRoot+"embedded.mobileprovision" || p.Certificates != 1 {
		t.Errorf("profile %+v", p)
	}
	if len(r.Signers) != 1 || !strings.Contains(r.Signers[0].Subject, iosapp.DemoTeamID) || !slices.Contains(r.Schemes, "provisioning profile: enterprise") {
		t.Errorf("signers %+v schemes %q", r.Signers, r.Schemes)
	}
	var trackers []string
	for _, tr := range r.Trackers {
		trackers = append(trackers, tr.ID+" "+strings.Join(tr.Signatures, ",")+" "+strings.Join(tr.Hosts, ","))
	}
	wantTrackers := []string{"facebook_analytics Frameworks/FBSDKCoreKit.framework,@rpath/FBSDKCoreKit.framework/FBSDKCoreKit,FBSDKAppEvents graph.facebook.com"}
	if !slices.Equal(trackers, wantTrackers) {
		t.Errorf("trackers %q", trackers)
	}
	var eps []string
	for _, e := range r.Endpoints {
		eps = append(eps, e.URL+" "+e.Host)
		if e.Host == "api.example.org" && !e.Cleartext {
			t.Error("http URL not marked cleartext")
		}
		if e.URL == "http://collect.example.com/submit" && (len(e.FoundIn) != 1 || e.FoundIn[0].Location != iosapp.DemoRoot+"www/index.html line 1") {
			t.Errorf("the Cordova page's form target found in %+v", e.FoundIn)
		}
	}
	wantEps := []string{"http://api.example.org/report api.example.org", "http://collect.example.com/submit collect.example.com", "https://collect.example.com/api/v2/contacts collect.example.com", "https://graph.facebook.com/v17.0/%@/activities graph.facebook.com"}
	if !slices.Equal(eps, wantEps) {
		t.Errorf("endpoints %q", eps)
	}
	if len(r.Fields) != 4 {
		t.Errorf("%d fields, want 4 (two in the person form, one in each login nib)", len(r.Fields))
	}
	for _, f := range r.Fields {
		if f.Hint["身份证号"] == "" && f.Hint[""] == "身份证号" && (f.LabelSource != "preceding UILabel" || f.Labels[""] != "National ID number") {
			t.Errorf("ID field label %q from %q", f.Labels, f.LabelSource)
		}
	}
	if len(r.Watchlists) != 1 || r.Watchlists[0].Size != 4 || r.Watchlists[0].Category != knowledge.BehaviourAppWatchlist {
		t.Errorf("watchlists %+v", r.Watchlists)
	}
	if len(r.Protection.Packers) != 0 {
		t.Errorf("an unencrypted app has packers: %+v", r.Protection.Packers)
	}
	d := r.Declared
	if d == nil {
		t.Fatal("no privacy manifest comparison")
	}
	var items []string
	for _, it := range d.Items {
		items = append(items, it.ID)
	}
	if !slices.Equal(items, []string{"NSPrivacyCollectedDataTypePreciseLocation", "NSPrivacyCollectedDataTypeDeviceID"}) {
		t.Errorf("declared items %q", items)
	}
	var notDeclared []string
	for _, u := range d.NotDeclared {
		notDeclared = append(notDeclared, string(u.Category))
		if len(u.Findings) == 0 {
			t.Errorf("%s not declared without findings", u.Category)
		}
	}
	want := []string{"device.calendar", "device.camera", "device.contacts", "device.media", "device.microphone", "device.network", "person.biometric", "person.health", "person.national_id", "person.phone_number", "person.religion"}
	if !slices.Equal(notDeclared, want) {
		t.Errorf("detected, not declared: %q, want %q", notDeclared, want)
	}
	if len(d.NotSeen) != 0 {
		t.Errorf("declared, not seen: %+v", d.NotSeen)
	}
	// The IDs named by the comparison are the findings' IDs.
	ids := map[string]bool{}
	for _, f := range r.Findings {
		ids[f.ID] = true
	}
	for _, u := range d.NotDeclared {
		for _, id := range u.Findings {
			if !ids[id] {
				t.Errorf("%s names finding %s, which the report lacks", u.Category, id)
			}
		}
	}
}

func TestEncryptedDemo(t *testing.T) {
	r := scanDemo(t, true)
	if len(r.Protection.Packers) != 1 || r.Protection.Packers[0].ID != "apple_fairplay" || len(r.Protection.Packers[0].Evidence) != 2 {
		t.Fatalf("packers %+v", r.Protection.Packers)
	}
	said := 0
	for _, e := range r.Errors {
		if strings.Contains(e.Error, "FairPlay-encrypted (cryptid 1)") && strings.Contains(e.Error, "cannot be read") {
			said++
		}
	}
	if said != 2 {
		t.Errorf("%d errors say what encryption hides (app and extension), want 2: %+v", said, r.Errors)
	}
	// Imports stay readable: the class references are still reported,
	// selector evidence (inside the encrypted range) is gone.
	for _, f := range r.Findings {
		if f.Category == knowledge.DeviceIdentifiers && f.SDK == "" && f.Confidence.Level == scan.LevelMedium {
			for _, e := range f.Evidence {
				if strings.Contains(e.Detail, "selector") {
					t.Errorf("selector read from an encrypted executable: %+v", e)
				}
			}
			return
		}
	}
	t.Error("the imported ASIdentifierManager is not reported for the encrypted app")
}

// TestReports renders the demo's document in every report format and
// reads the JSON back.
func TestReports(t *testing.T) {
	r := scanDemo(t, false)
	for name, render := range map[string]func(*bytes.Buffer, *scan.Report) error{
		"text":     func(b *bytes.Buffer, r *scan.Report) error { return report.Text(b, r) },
		"json":     func(b *bytes.Buffer, r *scan.Report) error { return report.JSON(b, r) },
		"html":     func(b *bytes.Buffer, r *scan.Report) error { return report.HTML(b, r) },
		"markdown": func(b *bytes.Buffer, r *scan.Report) error { return report.Markdown(b, r) },
		"sarif":    func(b *bytes.Buffer, r *scan.Report) error { return report.SARIF(b, r) },
	} {
		var b bytes.Buffer
		if err := render(&b, r); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !strings.Contains(b.String(), "NSContactsUsageDescription") {
			t.Errorf("%s report lacks the contacts purpose text", name)
		}
	}
	var b bytes.Buffer
	if err := report.JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	back, err := report.Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != len(r.Findings) || back.App.Package != r.App.Package {
		t.Errorf("JSON read back: %d findings, package %q", len(back.Findings), back.App.Package)
	}
	d := report.Compare(back, r)
	if raw, _ := json.Marshal(d); len(raw) == 0 {
		t.Error("no diff document")
	}
}

// TestRealIPAs scans the two real sample apps: they ask for nothing, and
// their reports say so.
func TestRealIPAs(t *testing.T) {
	for _, tc := range []struct {
		file, id, team string
		signers        int
	}{
		{"bitbar-ios-sample.ipa", "com.bitbar.testdroid.BitbarIOSSample", "N9HW7DB6H4", 1},
		{"bitbar-sample-latest-iOS.ipa", "com.bitbar.BitBarSample", "N9HW7DB6H4", 8},
	} {
		p := filepath.Join("..", "..", "ios", "testdata", tc.file)
		a, err := app.Open(context.Background(), p, app.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		r, err := detectios.Scan(context.Background(), a, nil)
		a.Close()
		if err != nil {
			t.Fatal(err)
		}
		if r.App.Package != tc.id || len(r.Signers) != tc.signers || !strings.Contains(r.Signers[0].Subject, tc.team) {
			t.Errorf("%s: package %q, %d signers", tc.file, r.App.Package, len(r.Signers))
		}
		var got []string
		for _, f := range r.Findings {
			got = append(got, line(f))
		}
		// The 2026 sample embeds web pages and plays audio; neither
		// reaches a category. Nothing is claimed.
		if len(got) != 0 || len(r.Trackers) != 0 || r.Declared != nil || len(r.Protection.Packers) != 0 {
			t.Errorf("%s: findings %q trackers %+v", tc.file, got, r.Trackers)
		}
		if len(r.Errors) != 0 {
			t.Errorf("%s: errors %+v", tc.file, r.Errors)
		}
	}
}
