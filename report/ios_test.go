package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"appxray/knowledge"
	"appxray/scan"
)

// iosReport is a scan document of an iOS app written by hand: usage
// descriptions in Info.plist and a localisation, one only localised, one
// in an embedded framework; queried schemes with the watchlist the iOS
// analyzer makes of them; a provisioning profile; FairPlay on two
// executables.
func iosReport() *scan.Report {
	r := scan.New(scan.Tool{Name: "appxray", Version: "test"}, scan.File{Name: "Spy.ipa", Size: 5000, SHA256: strings.Repeat("ef", 32), Kind: "ipa"})
	r.App = scan.App{Package: "org.example.spy", VersionName: "1.2", VersionCode: 7, Build: "7", MinimumOS: "16.0", Label: "Spy", Labels: map[string]string{"": "Spy"},
		URLSchemes: []string{"spy"}, QueriedSchemes: []string{"whatsapp", "signal"}, BackgroundModes: []string{"location"}}
	r.Profile = &scan.Profile{Path: "Payload/Spy.app/embedded.mobileprovision", Name: "Spy Dev", AppID: "TEAM123456.org.example.spy", TeamID: "TEAM123456",
		TeamName: "Example Ltd", Type: "development", Created: "2026-01-02T03:04:05Z", Expires: "2027-01-02T03:04:05Z", Devices: 3, Certificates: 1}
	r.Signers = []scan.Signer{{SHA256: strings.Repeat("01", 32), Subject: "CN=Apple Development: Someone (ABC)", Schemes: []string{"provisioning profile"}}}
	plist := func(line int, detail string) scan.Evidence {
		return scan.PlistKey("Payload/Spy.app/Info.plist", line, -1, detail)
	}
	r.Findings = []scan.Finding{
		{ID: "c-1", Category: knowledge.DeviceContacts, Title: "Says why it wants the contacts (NSContactsUsageDescription): “Find friends.”", Severity: knowledge.SeverityHigh,
			Confidence: scan.Sure("Info.plist gives the purpose text"), Analyzer: "ios-usage",
			Evidence: []scan.Evidence{plist(10, "NSContactsUsageDescription: Find friends."), scan.ManifestLine("Payload/Spy.app/de.lproj/InfoPlist.strings", 0, "NSContactsUsageDescription (de): Freunde finden.")}},
		{ID: "m-1", Category: knowledge.DeviceMicrophone, Title: "Says why it wants the microphone (NSMicrophoneUsageDescription): “Notes.”", Severity: knowledge.SeverityHigh,
			Confidence: scan.Likely("only a localisation gives the purpose text"), Analyzer: "ios-usage",
			Evidence: []scan.Evidence{scan.ManifestLine("Payload/Spy.app/fr.lproj/InfoPlist.strings", 0, "NSMicrophoneUsageDescription (fr): Notes.")}},
		{ID: "l-1", Category: knowledge.DeviceLocation, Title: "Declares location updates in the background (UIBackgroundModes location)", Severity: knowledge.SeverityHigh,
			Confidence: scan.Sure("declared"), Analyzer: "ios-usage", Evidence: []scan.Evidence{plist(20, "UIBackgroundModes: location")}},
		{ID: "f-1", Category: knowledge.DeviceCamera, Title: "An embedded framework says why it wants the camera (NSCameraUsageDescription): “Scan.”", Severity: knowledge.SeverityHigh,
			Confidence: scan.Sure("declared"), Analyzer: "ios-usage", SDK: "AdKit",
			Evidence: []scan.Evidence{scan.PlistKey("Payload/Spy.app/Frameworks/AdKit.framework/Info.plist", 5, -1, "NSCameraUsageDescription: Scan.")}},
		{ID: "w-1", Category: knowledge.BehaviourAppWatchlist, Title: "Checks whether 2 other apps are installed", Severity: knowledge.SeverityHigh,
			Confidence: scan.Sure("listed"), Analyzer: "ios-watchlist", Evidence: []scan.Evidence{plist(30, "LSApplicationQueriesSchemes: whatsapp, signal")}},
	}
	r.Watchlists = []scan.Watchlist{
		{Kind: "URL schemes", Category: knowledge.BehaviourAppWatchlist, Size: 2, Sample: []string{"whatsapp", "signal"}, Evidence: plist(30, "LSApplicationQueriesSchemes: whatsapp, signal")},
		{Kind: "package names", Category: knowledge.BehaviourAppWatchlist, Size: 3, Sample: []string{"a.b", "c.d"}, Evidence: scan.AssetLine("Payload/Spy.app/apps.txt", 1, "")},
	}
	r.Protection.Packers = []scan.Packer{{ID: fairPlayID, Name: "Apple FairPlay DRM", Kind: "protector", HidesIn: "the encrypted range",
		Evidence: []scan.Evidence{
			scan.NativeOffset("Payload/Spy.app/Spy", 0x4b0, "LC_ENCRYPTION_INFO cryptid 1, bytes 0x4e0 to 0x639 of the arm64 slice encrypted"),
			scan.NativeOffset("Payload/Spy.app/PlugIns/Share.appex/Share", 0x248, "LC_ENCRYPTION_INFO cryptid 1, bytes 0x270 to 0x278 of the arm64 slice encrypted"),
		}}}
	r.Declared = &scan.Declared{Source: "Payload/Spy.app/PrivacyInfo.xcprivacy", Format: "apple-privacy-manifest", Items: []scan.DeclaredItem{},
		NotDeclared: []scan.Undeclared{{Category: knowledge.DeviceMicrophone, Findings: []string{"m-1"}, DataTypes: []string{}}}, NotSeen: []scan.DeclaredItem{}}
	return r
}

func TestUsageDescriptions(t *testing.T) {
	us := usageDescriptions(iosReport())
	if len(us) != 3 {
		t.Fatalf("%d usage descriptions, want 3 (UIBackgroundModes is none): %+v", len(us), us)
	}
	c := us[0]
	if c.Key != "NSContactsUsageDescription" || c.Category != knowledge.DeviceContacts || c.What != "the contacts" || c.Embedded ||
		c.Texts[""] != "Find friends." || c.Texts["de"] != "Freunde finden." || c.Where != "Payload/Spy.app/Info.plist line 10" {
		t.Errorf("contacts: %+v", c)
	}
	if m := us[1]; m.Key != "NSMicrophoneUsageDescription" || m.Texts["fr"] != "Notes." || len(m.Texts) != 1 {
		t.Errorf("microphone, only localised: %+v", m)
	}
	if f := us[2]; f.Key != "NSCameraUsageDescription" || !f.Embedded || !strings.Contains(f.Where, "AdKit.framework") {
		t.Errorf("camera, in a framework: %+v", f)
	}
}

func TestIOSFacts(t *testing.T) {
	r := iosReport()
	if got := fairPlay(r); !slices.Equal(got, []encryptedExe{{"Payload/Spy.app/Spy", "arm64"}, {"Payload/Spy.app/PlugIns/Share.appex/Share", "arm64"}}) {
		t.Errorf("fairPlay: %+v", got)
	}
	if got := iosBundles(r); !slices.Equal(got, []string{"Frameworks/AdKit.framework", "PlugIns/Share.appex"}) {
		t.Errorf("iosBundles: %q", got)
	}
	// The queried schemes' own watchlist is shown as the apps it checks
	// for, not again as a list it carries; the other list stays.
	if got := carriedLists(r); len(got) != 1 || got[0].Kind != "package names" {
		t.Errorf("carriedLists: %+v", got)
	}
	if got := profileKind(r.Profile); got != "development profile: the app installs only on the 3 devices it lists" {
		t.Errorf("profileKind: %q", got)
	}
	if got := versionWords(r); got != "1.2 (build 7)" {
		t.Errorf("versionWords: %q", got)
	}
	android := hostile()
	if got := versionWords(android); got != "3.1 (version code 31)" || requiresWords(android) != "" || isIOS(android) {
		t.Errorf("Android: version %q, requires %q", got, requiresWords(android))
	}
	if s := packerSentence(r.Protection.Packers); !strings.Contains(s, "Its executables are encrypted by Apple FairPlay DRM (Payload/Spy.app/Spy (arm64) and") || strings.Contains(s, "loader") {
		t.Errorf("packerSentence: %q", s)
	}
}

// TestIOSRenders: the human formats of an iOS report hold its facts and
// none of Android's.
func TestIOSRenders(t *testing.T) {
	r := iosReport()
	out := map[string]string{}
	for _, f := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		if err := Formats[f](&b, r); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	for _, want := range []string{
		"org.example.spy, version 1.2 (build 7), for iOS 16.0 or later\n",
		"  profile   Development profile: the app installs only on the 3 devices it\n",
		"  plist     3 usage descriptions; opens URL schemes spy; checks for 2 other apps",
		"  bundles   embedded frameworks and extensions with findings in them:\n            Frameworks/AdKit.framework, PlugIns/Share.appex\n",
		"  fairplay  encrypts Payload/Spy.app/Spy (arm64) and\n",
		"  Apps it checks for, by URL scheme (LSApplicationQueriesSchemes):\n    whatsapp, signal\n  Lists it carries:\n    - 3 package names",
		"no privacy-manifest data type",
	} {
		if !strings.Contains(out["text"], want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if strings.Contains(out["text"], "2 URL schemes") || strings.Contains(out["text"], "manifest  ") {
		t.Error("text repeats the queried schemes as a list, or speaks of a manifest")
	}
	for _, want := range []string{
		"<dt>Provisioning profile</dt><dd>Development profile: the app installs only on the 3 devices it lists; team Example Ltd (TEAM123456); expires 2027-01-02</dd>",
		`<th scope="row"><code>NSMicrophoneUsageDescription</code></th><td>the microphone</td><td><span class="empty">only in a localisation</span></td><td><ul class="others"><li><span class="loc">fr</span><span lang="fr" dir="auto">Notes.</span></li></ul></td>`,
		`<code>NSCameraUsageDescription</code><br><span class="meta">in <code>Payload/Spy.app/Frameworks/AdKit.framework/Info.plist line 5</code></span>`,
		"<dt>Created</dt><dd>2026-01-02</dd>",
		"<dt>Devices</dt><dd>3 devices listed</dd>",
		"no privacy-manifest data type covers it",
	} {
		if !strings.Contains(out["html"], want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, want := range []string{
		"| `NSMicrophoneUsageDescription` | the microphone | *(only in a localisation)* | fr: Notes. |",
		"- Background modes: `location`",
		"- FairPlay: encrypts Payload/Spy.app/Spy (arm64) and Payload/Spy.app/PlugIns/Share.appex/Share (arm64)",
		"| Microphone | 1 | no privacy-manifest data type covers it |",
	} {
		if !strings.Contains(out["markdown"], want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
}

// TestPositionlessAnomaly: an anomaly in bytes converted from a bundle's
// proto form has no position in the file (offset -1): the reports name
// the entry and no offset; an offset of 0 is a position.
func TestPositionlessAnomaly(t *testing.T) {
	r := hostile()
	r.File.Kind = "aab"
	r.Anomalies = []scan.Anomaly{
		{Part: "base", Kind: "duplicate-attribute", Source: "xml", Offset: -1, Entry: "base/manifest/AndroidManifest.xml", Detail: "converted"},
		{Kind: "zip-extra", Source: "zip", Offset: 0, Entry: "base/dex/classes.dex", Detail: "at the start"},
	}
	for _, f := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		if err := Formats[f](&b, r); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if strings.Contains(s, "-0x1") || strings.Contains(s, "0xffffffff") {
			t.Errorf("%s prints the offset -1", f)
		}
		if !strings.Contains(s, "base!base/manifest/AndroidManifest.xml") || !strings.Contains(s, "base/dex/classes.dex at 0x0") {
			t.Errorf("%s does not name the places as they are", f)
		}
	}
	if got := anomalyWhere(r.Anomalies[0]); got != "base!base/manifest/AndroidManifest.xml" {
		t.Errorf("anomalyWhere = %q", got)
	}
}

// TestDiffIOS: the diff compares what an iOS app has: build and minimum
// iOS, the provisioning profile, URL schemes, queried schemes, background
// modes, and which executables FairPlay encrypts; a new team is said
// loudly, new certificates of the same team plainly.
func TestDiffIOS(t *testing.T) {
	old, new := iosReport(), iosReport()
	new.App.Build, new.App.VersionCode, new.App.MinimumOS = "8", 8, "17.0"
	new.App.URLSchemes = []string{"spy", "spy2"}
	new.App.QueriedSchemes = []string{"whatsapp", "telegram"}
	new.App.BackgroundModes = nil
	new.Profile = &scan.Profile{Path: old.Profile.Path, TeamID: "TEAM123456", TeamName: "Example Ltd", Type: "ad-hoc", Expires: "2028-01-02T03:04:05Z", Devices: 9, Certificates: 1}
	new.Protection.Packers = []scan.Packer{{ID: fairPlayID, Name: "Apple FairPlay DRM", Kind: "protector",
		Evidence: old.Protection.Packers[0].Evidence[:1]}}
	new.Signers = []scan.Signer{{SHA256: strings.Repeat("02", 32), Subject: "CN=Apple Development: Someone (ABC)"}}
	d := Compare(old, new)
	got := map[string]Change{}
	for _, c := range d.Changes {
		got[c.Section+" "+c.Item] = c
	}
	for key, want := range map[string]Change{
		"identity build":                {Change: Changed, Before: "7", After: "8"},
		"identity minimum_os":           {Change: Changed, Before: "16.0", After: "17.0"},
		"profile type":                  {Change: Changed, Before: "development", After: "ad-hoc"},
		"profile devices":               {Change: Changed, Before: "3", After: "9"},
		"profile name":                  {Change: Removed, Before: "Spy Dev"},
		"url_schemes spy2":              {Change: Added},
		"queried_schemes signal":        {Change: Removed},
		"queried_schemes telegram":      {Change: Added},
		"background_modes location":     {Change: Removed},
		"protection Apple FairPlay DRM": {Change: Changed},
	} {
		c, ok := got[key]
		if !ok || c.Change != want.Change || want.Before != "" && c.Before != want.Before || want.After != "" && c.After != want.After {
			t.Errorf("%s: %+v, want %+v", key, c, want)
		}
	}
	if _, ok := got["identity version_code"]; ok {
		t.Error("an iOS app's version code is told beside its build")
	}
	if c := got["protection Apple FairPlay DRM"]; !strings.Contains(c.Before, "PlugIns/Share.appex/Share") || strings.Contains(c.After, "Share.appex") {
		t.Errorf("FairPlay change does not say which executable it no longer encrypts: %+v", c)
	}
	if w, loud := d.SignerWarning(); loud || w != iosCertificateNote {
		t.Errorf("new certificates of the same team: %q loud %v", w, loud)
	}
	var text bytes.Buffer
	DiffText(&text, d)
	if strings.Contains(text.String(), "Android refuses") || !strings.Contains(text.String(), "Apps it checks for (URL schemes)\n  - signal\n  + telegram\n") {
		t.Errorf("iOS diff text:\n%s", text.String())
	}
	new.Profile.TeamID, new.Profile.TeamName = "OTHER99999", "Someone Else"
	d = Compare(old, new)
	if w, loud := d.SignerWarning(); !loud || w != iosTeamWarning {
		t.Errorf("another team: %q loud %v", w, loud)
	}
	if c := Compare(old, old); len(c.Changes) != 0 {
		t.Errorf("an iOS report compared with itself: %+v", c.Changes)
	}
	// Android keeps its warning.
	a, b := hostile(), hostile()
	b.Signers = []scan.Signer{{SHA256: strings.Repeat("09", 32)}}
	if w, loud := Compare(a, b).SignerWarning(); !loud || w != signerWarning {
		t.Errorf("Android signer change: %q loud %v", w, loud)
	}
}
