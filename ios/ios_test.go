package ios_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"appxray/internal/iosapp"
	"appxray/ios"
	"appxray/mobileprovision"
)

func demo(t *testing.T, encrypted bool) *ios.App {
	t.Helper()
	ipa, err := iosapp.DemoIPA(encrypted)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func usage(b *ios.Bundle) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, u := range b.UsageDescriptions {
		out[u.Key] = u.Texts
	}
	return out
}

func TestDemoIdentity(t *testing.T) {
	a := demo(t, false)
	// Only the pre-iOS 6 keyed-archive nib is unreadable, and said so.
	if len(a.Errors) != 1 || !errors.Is(a.Errors[0], errNotNib) || !strings.Contains(a.Errors[0].Error(), "Legacy.nib") {
		t.Errorf("errors: %v", a.Errors)
	}
	b := a.Bundle
	if a.Root != iosapp.DemoRoot || b.Kind != ios.KindApp || b.ID != iosapp.DemoBundleID || b.Version != "2.4.1" || b.Build != "241" || b.MinimumOS != "15.0" {
		t.Errorf("identity: root %q %+v", a.Root, b)
	}
	wantNames := map[string]string{"": "Neighbourhood Watch", "en": "Neighbourhood Watch", "de": "Nachbarschaftswache", "zh-Hans": "邻里守望"}
	if !reflect.DeepEqual(b.DisplayNames, wantNames) {
		t.Errorf("display names %v", b.DisplayNames)
	}
	if !slices.Equal(b.Localizations, []string{"Base", "de", "en", "zh-Hans"}) {
		t.Errorf("localizations %q", b.Localizations)
	}
}

func TestDemoUsageDescriptions(t *testing.T) {
	u := usage(demo(t, false).Bundle)
	want := map[string]map[string]string{
		"NSContactsUsageDescription": {
			"":        "We upload your contacts to find people you know.",
			"en":      "We upload your contacts to find people you know.",
			"de":      "Wir laden deine Kontakte hoch.",
			"zh-Hans": "我们会上传您的通讯录。",
		},
		"NSLocationWhenInUseUsageDescription": {
			"":   "Your location is shared with the neighbourhood committee.",
			"de": "Dein Standort wird mit dem Komitee geteilt.",
		},
		"NSCameraUsageDescription":       {"": "Scan your ID card.", "zh-Hans": "扫描您的身份证。"},
		"NSUserTrackingUsageDescription": {"": "Allow tracking to get personalised ads."},
	}
	for k, texts := range want {
		if !reflect.DeepEqual(u[k], texts) {
			t.Errorf("%s = %v, want %v", k, u[k], texts)
		}
	}
	var keys []string
	for k := range u {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	wantKeys := []string{"NSBluetoothAlwaysUsageDescription", "NSCalendarsUsageDescription", "NSCameraUsageDescription", "NSContactsUsageDescription", "NSFaceIDUsageDescription", "NSHealthShareUsageDescription", "NSLocationAlwaysAndWhenInUseUsageDescription", "NSLocationWhenInUseUsageDescription", "NSMicrophoneUsageDescription", "NSPhotoLibraryUsageDescription", "NSUserTrackingUsageDescription"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("usage keys %q", keys)
	}
	for _, d := range demo(t, false).Bundle.UsageDescriptions {
		if d.Offset <= 0 {
			t.Errorf("%s has no offset in Info.plist", d.Key)
		}
	}
}

func TestDemoBehaviourKeys(t *testing.T) {
	b := demo(t, false).Bundle
	if !slices.Equal(b.URLSchemes, []string{"tracker", "fb1234567890"}) {
		t.Errorf("URL schemes %q", b.URLSchemes)
	}
	if !slices.Equal(b.QueriesSchemes, []string{"whatsapp", "telegram", "signal", "weixin"}) {
		t.Errorf("queried schemes %q", b.QueriesSchemes)
	}
	if !slices.Equal(b.BackgroundModes, []string{"location", "fetch", "remote-notification"}) {
		t.Errorf("background modes %q", b.BackgroundModes)
	}
	ats := b.ATS
	if ats == nil || !ats.AllowsArbitraryLoads || ats.AllowsArbitraryLoadsInWebContent || len(ats.Exceptions) != 2 {
		t.Fatalf("ATS %+v", ats)
	}
	c, o := ats.Exceptions[0], ats.Exceptions[1]
	if c.Domain != "collect.example.com" || !c.AllowsInsecureHTTPLoads || !c.IncludesSubdomains || c.RequiresForwardSecrecy != nil {
		t.Errorf("exception %+v", c)
	}
	if o.Domain != "api.example.org" || o.AllowsInsecureHTTPLoads || o.MinimumTLSVersion != "TLSv1.0" || o.RequiresForwardSecrecy == nil || *o.RequiresForwardSecrecy {
		t.Errorf("exception %+v", o)
	}
}

func TestDemoExecutables(t *testing.T) {
	a := demo(t, false)
	b := a.Bundle
	if b.Executable == nil || b.ExecutablePath != iosapp.DemoRoot+"Tracker" || b.Encrypted() {
		t.Fatalf("executable %s %v encrypted %v", b.ExecutablePath, b.Executable, b.Encrypted())
	}
	s := b.Executable.Slices[0]
	if !slices.Contains(s.ObjCClassRefs(), "CNContactStore") || !slices.Contains(s.ObjCClassRefs(), "ASIdentifierManager") {
		t.Errorf("class refs %q", s.ObjCClassRefs())
	}
	var dylibs []string
	for _, d := range s.Dylibs {
		dylibs = append(dylibs, path(d.Name))
	}
	for _, want := range []string{"Contacts", "CoreLocation", "AdSupport", "AppTrackingTransparency", "CoreTelephony", "FBSDKCoreKit"} {
		if !slices.Contains(dylibs, want) {
			t.Errorf("dylibs %q lack %s", dylibs, want)
		}
	}
	if hk, _ := b.Entitlements.Get("com.apple.developer.healthkit").Boolean(); !hk {
		t.Errorf("entitlements %+v", b.Entitlements)
	}
	if len(a.Frameworks) != 1 || a.Frameworks[0].ID != "com.facebook.sdk.FBSDKCoreKit" || a.Frameworks[0].Dir != iosapp.DemoFramework || a.Frameworks[0].Executable == nil {
		t.Errorf("frameworks %+v", a.Frameworks)
	}
	if len(a.PlugIns) != 1 || a.PlugIns[0].ID != iosapp.DemoBundleID+".share" || a.PlugIns[0].Kind != ios.KindExtension || a.PlugIns[0].Executable == nil {
		t.Errorf("plug-ins %+v", a.PlugIns)
	}
	if !slices.Equal(a.Libraries, []string{"libswift_Concurrency.dylib"}) {
		t.Errorf("libraries %q", a.Libraries)
	}
}

func path(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

func TestDemoEncrypted(t *testing.T) {
	a := demo(t, true)
	if !a.Bundle.Encrypted() || !a.PlugIns[0].Encrypted() || a.Frameworks[0].Encrypted() {
		t.Errorf("encrypted: app %v, extension %v, framework %v", a.Bundle.Encrypted(), a.PlugIns[0].Encrypted(), a.Frameworks[0].Encrypted())
	}
	s := a.Bundle.Executable.Slices[0]
	if len(s.Strings) != 0 {
		t.Errorf("strings read from an encrypted executable: %v", s.Strings)
	}
	found := false
	for _, err := range a.Errors {
		if strings.Contains(err.Error(), "FairPlay-encrypted range") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error says what encryption hid: %v", a.Errors)
	}
}

func TestDemoPrivacyManifests(t *testing.T) {
	a := demo(t, false)
	if len(a.PrivacyManifests) != 2 {
		t.Fatalf("%d privacy manifests", len(a.PrivacyManifests))
	}
	app, sdk := a.PrivacyManifests[0], a.PrivacyManifests[1]
	if app.Bundle != iosapp.DemoRoot || app.Tracking || len(app.CollectedData) != 1 || app.CollectedData[0].Type != "NSPrivacyCollectedDataTypePreciseLocation" || !app.CollectedData[0].Linked {
		t.Errorf("app manifest %+v", app)
	}
	if len(app.AccessedAPIs) != 1 || app.AccessedAPIs[0].Type != "NSPrivacyAccessedAPICategoryUserDefaults" || !slices.Equal(app.AccessedAPIs[0].Reasons, []string{"CA92.1"}) {
		t.Errorf("app APIs %+v", app.AccessedAPIs)
	}
	if sdk.Bundle != iosapp.DemoFramework || !sdk.Tracking || !slices.Equal(sdk.TrackingDomains, []string{"graph.facebook.com"}) || !sdk.CollectedData[0].Tracking || sdk.CollectedData[0].Purposes[0] != "NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising" {
		t.Errorf("SDK manifest %+v", sdk)
	}
}

func TestDemoProfileAndNibs(t *testing.T) {
	a := demo(t, false)
	p := a.Profile
	if p == nil || a.ProfilePath != iosapp.DemoRoot+"embedded.mobileprovision" {
		t.Fatalf("profile %v at %q", p, a.ProfilePath)
	}
	if p.Type != mobileprovision.TypeEnterprise || p.TeamName != iosapp.DemoTeamName || p.TeamIDs[0] != iosapp.DemoTeamID || !p.ExpirationDate.Equal(iosapp.DemoExpiry) {
		t.Errorf("profile %s %q %q %v", p.Type, p.TeamName, p.TeamIDs, p.ExpirationDate)
	}
	var texts []string
	for _, n := range a.Nibs {
		for _, x := range n.Archive.Texts() {
			texts = append(texts, strings.TrimPrefix(n.Path, iosapp.DemoRoot)+" "+x.Class+"."+x.Key+"="+x.Value)
		}
	}
	want := []string{
		"Base.lproj/Main.storyboardc/PersonForm.nib UIProxyObject.UIProxiedObjectIdentifier=IBFilesOwner",
		"Base.lproj/Main.storyboardc/PersonForm.nib UILabel.UIText=National ID number",
		"Base.lproj/Main.storyboardc/PersonForm.nib UITextField.UIPlaceholder=身份证号",
		"Base.lproj/Main.storyboardc/PersonForm.nib UITextField.UIAccessibilityLabel=National ID number",
		"Base.lproj/Main.storyboardc/PersonForm.nib UILabel.UIText=Religion",
		"Base.lproj/Main.storyboardc/PersonForm.nib UITextField.UIPlaceholder=Religion",
		"Base.lproj/Main.storyboardc/UIViewController-2.nib/runtime.nib UITextField.UIPlaceholder=Phone number",
		"Base.lproj/Main.storyboardc/UIViewController-2.nib/runtime.nib UIButton.UIText=Log in",
		"Login.nib UITextField.UIPlaceholder=Phone number",
		"Login.nib UIButton.UIText=Log in",
	}
	if !slices.Equal(texts, want) {
		t.Errorf("nib texts:\n%s", strings.Join(texts, "\n"))
	}
	// The web assets are there for the string and form channels.
	data, err := a.ReadFile(iosapp.DemoRoot + "www/index.html")
	if err != nil || !bytes.Contains(data, []byte("sfzh")) {
		t.Errorf("www/index.html: %v", err)
	}
}

// TestDirectory opens the same app unzipped, as a user would give an
// .app directory on the command line.
func TestDirectory(t *testing.T) {
	files, err := iosapp.DemoFiles(false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "Payload/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A symbolic link out of the bundle is never followed.
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "Tracker.app", "passwd")); err != nil {
		t.Fatal(err)
	}
	a, err := ios.Open(filepath.Join(dir, "Tracker.app"), ios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	z := demo(t, false)
	if a.Root != "Tracker.app/" || a.Bundle.ID != z.Bundle.ID || !reflect.DeepEqual(usage(a.Bundle), usage(z.Bundle)) || len(a.Nibs) != len(z.Nibs) || len(a.PrivacyManifests) != 2 || a.Profile == nil {
		t.Errorf("directory reads unlike the IPA: %+v", a.Bundle)
	}
	if _, err := a.ReadFile("Tracker.app/passwd"); err == nil {
		t.Error("read through a symbolic link")
	}
	if len(a.Files()) != len(files) {
		t.Errorf("%d files listed, want %d", len(a.Files()), len(files))
	}
}

func TestNotAnApp(t *testing.T) {
	ipa, err := iosapp.IPA(map[string][]byte{"Payload/readme.txt": []byte("hi"), "classes.dex": []byte("dex\n035")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{}); !errors.Is(err, ios.ErrNoApp) {
		t.Errorf("err = %v, want ErrNoApp", err)
	}
	// An unreadable Info.plist and executable are errors of the app, not
	// of the open.
	ipa, _ = iosapp.IPA(map[string][]byte{"Payload/X.app/Info.plist": []byte("<plist><dict><key>CFBundleExecutable</key><string>X</string>"), "Payload/X.app/X": []byte("not mach-o")})
	a, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Errors) != 1 || a.Bundle.Info != nil {
		t.Errorf("errors %v", a.Errors)
	}
}

// TestRealIPAs reads the two real apps (Apache-2.0, testdata/LICENSE-bitbar-test-samples).
func TestRealIPAs(t *testing.T) {
	tests := []struct {
		file, id, name, version, build, minOS string
		arches                                []string
		profileType, profileName              string
		expires                               time.Time
		devices                               int
		localizations                         []string
		libraries                             []string
	}{
		{"bitbar-ios-sample.ipa", "com.bitbar.testdroid.BitbarIOSSample", "BitbarIOSSample", "1.0", "1.0", "6.0",
			[]string{"armv7", "arm64"}, mobileprovision.TypeAdHoc, "XC Ad Hoc: *", time.Date(2016, 12, 7, 7, 46, 52, 0, time.UTC), 129, []string{"en"}, nil},
		{"bitbar-sample-latest-iOS.ipa", "com.bitbar.BitBarSample", "BitBarSample", "1.0", "1", "14",
			[]string{"arm64"}, mobileprovision.TypeDevelopment, "iOS Team Provisioning Profile: *", time.Date(2026, 12, 26, 5, 10, 44, 0, time.UTC), 146, nil, []string{"libswift_Concurrency.dylib"}},
	}
	for _, tc := range tests {
		a, err := ios.Open(filepath.Join("testdata", tc.file), ios.Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		defer a.Close()
		if len(a.Errors) != 0 {
			t.Errorf("%s: errors %v", tc.file, a.Errors)
		}
		b := a.Bundle
		if b.ID != tc.id || b.DisplayName != tc.name || b.Version != tc.version || b.Build != tc.build || b.MinimumOS != tc.minOS {
			t.Errorf("%s: identity %q %q %q %q %q", tc.file, b.ID, b.DisplayName, b.Version, b.Build, b.MinimumOS)
		}
		var arches []string
		for _, s := range b.Executable.Slices {
			arches = append(arches, s.Arch)
		}
		if !slices.Equal(arches, tc.arches) || b.Encrypted() {
			t.Errorf("%s: arches %q encrypted %v", tc.file, arches, b.Encrypted())
		}
		p := a.Profile
		if p == nil || p.Type != tc.profileType || p.Name != tc.profileName || !p.ExpirationDate.Equal(tc.expires) || len(p.Devices) != tc.devices || p.TeamIDs[0] != "N9HW7DB6H4" || p.TeamName != "Bitbar Technologies Oy" {
			t.Errorf("%s: profile %+v", tc.file, p)
		}
		if b.Entitlements.Get("application-identifier").Text() != "N9HW7DB6H4."+tc.id {
			t.Errorf("%s: entitlements %+v", tc.file, b.Entitlements)
		}
		if !slices.Equal(b.Localizations, tc.localizations) || !slices.Equal(a.Libraries, tc.libraries) {
			t.Errorf("%s: localizations %q libraries %q", tc.file, b.Localizations, a.Libraries)
		}
		if len(b.UsageDescriptions) != 0 || b.ATS != nil || len(b.QueriesSchemes) != 0 || len(a.PrivacyManifests) != 0 || len(a.Nibs) != 0 || len(a.Frameworks) != 0 {
			t.Errorf("%s: the sample declares none of these: usage %v ATS %v queries %v manifests %d nibs %d frameworks %d", tc.file, b.UsageDescriptions, b.ATS, b.QueriesSchemes, len(a.PrivacyManifests), len(a.Nibs), len(a.Frameworks))
		}
	}
}

var errNotNib = nibNotArchive

func TestNibVersions(t *testing.T) {
	n := iosapp.Nib([]iosapp.NibObject{{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "Email")}}})
	ipa, err := iosapp.IPA(map[string][]byte{
		"Payload/N.app/Info.plist":                                  []byte(`<plist><dict><key>CFBundleIdentifier</key><string>n</string></dict></plist>`),
		"Payload/N.app/Main.storyboardc/VC-1.nib/objects-13.0+.nib": n,
		"Payload/N.app/Main.storyboardc/VC-1.nib/runtime.nib":       n,
		"Payload/N.app/Main.storyboardc/VC-2.nib/objects-11.0+.nib": n,
		"Payload/N.app/Main.storyboardc/VC-2.nib/objects-13.0+.nib": n,
		"Payload/N.app/Plain.nib":                                   n,
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, nb := range a.Nibs {
		got = append(got, strings.TrimPrefix(nb.Path, "Payload/N.app/"))
	}
	want := []string{"Main.storyboardc/VC-1.nib/runtime.nib", "Main.storyboardc/VC-2.nib/objects-11.0+.nib", "Plain.nib"}
	if !slices.Equal(got, want) {
		t.Errorf("nibs read %q, want one per interface %q", got, want)
	}
}

// An IPA with 60000 .lproj directories lists each language once, sorted,
// in linear time (the list was searched for every file: 22 s).
func TestManyLocalizations(t *testing.T) {
	files := map[string][]byte{"Payload/A.app/Info.plist": []byte(`<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleIdentifier</key><string>x</string></dict></plist>`)}
	const n = 60000
	for i := range n {
		name := "Payload/A.app/l" + strconv.Itoa(i) + ".lproj/"
		files[name+"a.strings"], files[name+"b.strings"] = nil, nil
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	a, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("OpenIPA took %v", d)
	}
	if l := a.Bundle.Localizations; len(l) != n || !sort.StringsAreSorted(l) || l[0] != "l0" {
		t.Errorf("%d localizations", len(l))
	}
}
