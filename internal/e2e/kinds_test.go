package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/app"
	"appxray/detect"
	"appxray/internal/aabtest"
	"appxray/internal/corpus"
	"appxray/internal/iosapp"
	"appxray/internal/schematest"
	"appxray/internal/testapp"
	"appxray/report"
	"appxray/scan"
)

// allFormats renders a report in every format, checks the JSON and SARIF
// against their schemas, reads the JSON back and checks that it renders
// the same text, and that each format names want somewhere.
func allFormats(t *testing.T, name string, r *scan.Report, want string) {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range report.FormatNames() {
		var b bytes.Buffer
		if err := report.Formats[f](&b, r); err != nil {
			t.Errorf("%s: %s: %v", name, f, err)
			continue
		}
		out[f] = b.Bytes()
		if !bytes.Contains(b.Bytes(), []byte(want)) {
			t.Errorf("%s: the %s report does not name %q", name, f, want)
		}
	}
	if len(out) != 5 {
		t.Fatalf("%s: %d formats rendered, want text, json, html, markdown and sarif", name, len(out))
	}
	schematest.Report(t, name, out["json"])
	schematest.SARIF(t, name, out["sarif"])
	back, err := report.Read(bytes.NewReader(out["json"]))
	if err != nil {
		t.Fatalf("%s: reading the JSON back: %v", name, err)
	}
	var text bytes.Buffer
	if err := report.Text(&text, back); err != nil || !bytes.Equal(text.Bytes(), out["text"]) {
		t.Errorf("%s: the saved JSON renders another text (%v)", name, err)
	}
}

// diffAll compares two reports in every diff format and returns the
// changes.
func diffAll(t *testing.T, name string, old, new *scan.Report) []report.Change {
	t.Helper()
	d := report.Compare(old, new)
	for f, render := range report.DiffFormats {
		var b bytes.Buffer
		if err := render(&b, d); err != nil || b.Len() == 0 {
			t.Errorf("%s: diff %s: %v", name, f, err)
		}
	}
	return d.Changes
}

func sections(cs []report.Change) []string {
	var out []string
	for _, c := range cs {
		if !slices.Contains(out, c.Section) {
			out = append(out, c.Section)
		}
	}
	return out
}

// TestBundleModules: a bundle with a feature module, scanned end to end:
// the modules are its parts, base first; evidence names each module's own
// entries; what the feature module carries is found there; every report
// format and the diff work on it.
func TestBundleModules(t *testing.T) {
	data, err := aabtest.DemoBundle(corpus.Root())
	if err != nil {
		t.Fatal(err)
	}
	br := scanBytes(t, "demo.aab", data)
	ar := scanFile(t, testapp.Demo(t))
	if br.File.Kind != "aab" || !slices.Equal(br.File.Parts, []scan.Part{{Name: "base"}, {Name: aabtest.DemoFeature, Split: aabtest.DemoFeature}}) {
		t.Errorf("file %+v", br.File)
	}
	if br.App.Package != ar.App.Package || br.App.VersionCode != ar.App.VersionCode || br.App.Label != ar.App.Label || len(br.App.Labels) != len(ar.App.Labels) ||
		!slices.Equal(br.Permissions, ar.Permissions) {
		t.Errorf("bundle app %+v, permissions %q; APK app %+v, permissions %q", br.App, br.Permissions, ar.App, ar.Permissions)
	}
	var dexs []string
	for _, d := range br.Dex {
		dexs = append(dexs, d.File)
	}
	if want := []string{"base/dex/classes.dex", aabtest.DemoFeature + "/dex/classes.dex"}; !slices.Equal(dexs, want) {
		t.Errorf("DEX files %q, want %q", dexs, want)
	}
	found := false
	for _, e := range br.Endpoints {
		if e.URL == aabtest.DemoFeatureEndpoint {
			found = len(e.FoundIn) == 1 && e.FoundIn[0].Location == aabtest.DemoFeature+"/assets/scanner/endpoints.txt line 1"
			if !found {
				t.Errorf("the feature's endpoint found in %+v", e.FoundIn)
			}
		}
	}
	if !found {
		t.Errorf("the feature module's endpoint %s is not reported", aabtest.DemoFeatureEndpoint)
	}
	// The same code in both modules: a code finding names both places;
	// a manifest finding names the base manifest at the APK's line.
	apkFindings := map[string]scan.Finding{}
	for _, f := range ar.Findings {
		apkFindings[f.Analyzer+" "+f.Title] = f
	}
	both, manifest := 0, 0
	for _, f := range br.Findings {
		var inBase, inFeature bool
		for _, e := range f.Evidence {
			inBase = inBase || strings.HasPrefix(e.Location, "base/dex/classes.dex ")
			inFeature = inFeature || strings.HasPrefix(e.Location, aabtest.DemoFeature+"/dex/classes.dex ")
			if strings.HasPrefix(e.Location, "AndroidManifest.xml") || strings.HasPrefix(e.Location, "classes.dex") {
				t.Errorf("%s: evidence %q names no module", f.Title, e.Location)
			}
		}
		if inBase && inFeature {
			both++
		}
		if a, ok := apkFindings[f.Analyzer+" "+f.Title]; ok && f.Evidence[0].Kind == scan.EvManifest && len(a.Evidence) > 0 {
			if "base/manifest/"+a.Evidence[0].Location != f.Evidence[0].Location {
				t.Errorf("%s: bundle evidence %q, APK evidence %q", f.Title, f.Evidence[0].Location, a.Evidence[0].Location)
			}
			manifest++
		}
	}
	if both == 0 || manifest == 0 {
		t.Errorf("%d code findings name both modules, %d manifest findings the base manifest", both, manifest)
	}
	allFormats(t, "demo.aab", br, "base/manifest/AndroidManifest.xml")
	if cs := diffAll(t, "demo.aab", br, br); len(cs) != 0 {
		t.Errorf("a bundle compared with itself: %+v", cs)
	}
	// From the APK to its bundle: the same app with the same permissions
	// and components; what changes is the signer (the test bundle is not
	// signed) and what the feature module adds.
	for _, c := range diffAll(t, "apk to aab", ar, br) {
		if c.Section == "identity" || c.Section == "permissions" || c.Section == "components" {
			t.Errorf("APK to bundle: %+v", c)
		}
	}
}

// demoIPA writes the demo IPA, and the same app unzipped as a .app
// directory, and returns their paths.
func demoIPA(t *testing.T, encrypted bool) (ipaPath, appDir string) {
	t.Helper()
	files, err := iosapp.DemoFiles(encrypted)
	if err != nil {
		t.Fatal(err)
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ipaPath = filepath.Join(dir, "Tracker.ipa")
	if err := os.WriteFile(ipaPath, ipa, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, "unzipped", filepath.FromSlash(strings.TrimPrefix(name, "Payload/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return ipaPath, filepath.Join(dir, "unzipped", "Tracker.app")
}

// findingLines renders findings with their evidence, without IDs.
func findingLines(r *scan.Report, trim string) []string {
	var out []string
	for _, f := range r.Findings {
		var locs []string
		for _, e := range f.Evidence {
			locs = append(locs, strings.TrimPrefix(e.Location, trim)+" "+e.Detail)
		}
		out = append(out, string(f.Category)+" "+f.Title+" @ "+strings.Join(locs, "; "))
	}
	slices.Sort(out)
	return out
}

// TestIOSEndToEnd: an .ipa and the same app as an unzipped .app
// directory go through app.Open and detect.Scan like any input, read
// alike, and render in every format; the diff tells the encrypted build
// from the plain one.
func TestIOSEndToEnd(t *testing.T) {
	ipa, dir := demoIPA(t, false)
	r := scanFile(t, ipa)
	if r.Tool.Version != detect.Version || r.File.Kind != string(app.KindIPA) || r.File.Name != "Tracker.ipa" || r.App.Package != iosapp.DemoBundleID {
		t.Fatalf("file %+v, tool %+v, app %q", r.File, r.Tool, r.App.Package)
	}
	for _, e := range r.Errors {
		if e.Where == "analysis" {
			t.Errorf("analyzer error: %s", e.Error)
		}
	}
	if len(r.Findings) < 20 || r.Profile == nil || r.Profile.TeamID != iosapp.DemoTeamID {
		t.Errorf("%d findings, profile %+v", len(r.Findings), r.Profile)
	}
	d := scanFile(t, dir)
	if d.File.Kind != string(app.KindAppDir) || d.File.Name != "Tracker.app" || d.File.SHA256 != "" || d.App.Package != r.App.Package || d.App.Label != r.App.Label || d.App.MinimumOS != r.App.MinimumOS {
		t.Errorf("directory: file %+v, app %q", d.File, d.App.Package)
	}
	if a, b := findingLines(r, "Payload/"), findingLines(d, ""); !slices.Equal(a, b) {
		t.Errorf("the .app directory reads unlike the IPA:\n ipa: %q\n dir: %q", a, b)
	}
	allFormats(t, "Tracker.ipa", r, "NSContactsUsageDescription")
	allFormats(t, "Tracker.app", d, "NSContactsUsageDescription")
	if cs := diffAll(t, "ipa to itself", r, r); len(cs) != 0 {
		t.Errorf("an IPA compared with itself: %+v", cs)
	}
	if cs := diffAll(t, "ipa to directory", r, d); slices.Contains(sections(cs), "identity") {
		t.Errorf("the directory's identity differs from the IPA's: %+v", cs)
	}
	// The encrypted build hides the strings of its executable: the host
	// only they name is gone (the demo signs each build with a new key,
	// so the signer changes too).
	encIPA, _ := demoIPA(t, true)
	e := scanFile(t, encIPA)
	gone := false
	for _, c := range diffAll(t, "plain to encrypted", r, e) {
		gone = gone || c.Section == "hosts" && c.Change == "removed" && c.Item == "api.example.org"
	}
	if !gone {
		t.Error("the diff from the plain build to the encrypted one does not say api.example.org is gone")
	}
}

// TestRealIPAs: the two real IPAs, through app.Open and detect.Scan: their
// identity, minimum iOS, signers and provisioning profile, and no finding
// (they ask for nothing, embed no SDK and declare no privacy manifest).
func TestRealIPAs(t *testing.T) {
	for _, tc := range []struct {
		file, id, version, build, minOS, label string
		profile                                scan.Profile
		signers                                int
		subject                                string
	}{
		{"bitbar-ios-sample.ipa", "com.bitbar.testdroid.BitbarIOSSample", "1.0", "1.0", "6.0", "BitbarIOSSample",
			scan.Profile{Path: "Payload/BitbarIOSSample.app/embedded.mobileprovision", Name: "XC Ad Hoc: *", AppID: "N9HW7DB6H4.*", TeamID: "N9HW7DB6H4",
				TeamName: "Bitbar Technologies Oy", Type: "ad-hoc", Created: "2015-12-08T07:56:54Z", Expires: "2016-12-07T07:46:52Z", Devices: 129, Certificates: 1},
			1, "CN=iPhone Distribution: Bitbar Technologies Oy (N9HW7DB6H4)"},
		{"bitbar-sample-latest-iOS.ipa", "com.bitbar.BitBarSample", "1.0", "1", "14", "BitBarSample",
			scan.Profile{Path: "Payload/BitBarSample.app/embedded.mobileprovision", Name: "iOS Team Provisioning Profile: *", AppID: "N9HW7DB6H4.*", TeamID: "N9HW7DB6H4",
				TeamName: "Bitbar Technologies Oy", Type: "development", Created: "2025-12-26T05:10:44Z", Expires: "2026-12-26T05:10:44Z", Devices: 146, Certificates: 8},
			8, "CN=iPhone Developer: Krzysztof Choma (6K7AL4N5GJ)"},
	} {
		r := scanFile(t, filepath.Join(corpus.Root(), "ios", "testdata", tc.file))
		a := r.App
		if a.Package != tc.id || a.VersionName != tc.version || a.Build != tc.build || a.MinimumOS != tc.minOS || a.Label != tc.label || r.File.Kind != "ipa" {
			t.Errorf("%s: app %+v, kind %q", tc.file, a, r.File.Kind)
		}
		if r.Profile == nil || *r.Profile != tc.profile {
			t.Errorf("%s: profile %+v, want %+v", tc.file, r.Profile, tc.profile)
		}
		if len(r.Signers) != tc.signers || !strings.HasPrefix(r.Signers[0].Subject, tc.subject) || r.Signers[0].KeyAlgorithm != "RSA" || r.Signers[0].KeySize != 2048 {
			t.Errorf("%s: %d signers, first %+v", tc.file, len(r.Signers), r.Signers[0])
		}
		for _, s := range r.Signers {
			if !strings.Contains(s.Subject, "OU="+tc.profile.TeamID) || !strings.HasPrefix(s.Issuer, "CN=Apple Worldwide Developer Relations") {
				t.Errorf("%s: signer %s issued by %s", tc.file, s.Subject, s.Issuer)
			}
		}
		if len(r.Findings) != 0 || len(r.Trackers) != 0 || len(r.Endpoints) != 0 || r.Declared != nil || len(r.Errors) != 0 || len(r.Anomalies) != 0 {
			t.Errorf("%s: findings %+v, trackers %+v, endpoints %+v, errors %+v, anomalies %+v", tc.file, r.Findings, r.Trackers, r.Endpoints, r.Errors, r.Anomalies)
		}
		allFormats(t, tc.file, r, tc.id)
	}
	old := scanFile(t, filepath.Join(corpus.Root(), "ios", "testdata", "bitbar-ios-sample.ipa"))
	new := scanFile(t, filepath.Join(corpus.Root(), "ios", "testdata", "bitbar-sample-latest-iOS.ipa"))
	if s := sections(diffAll(t, "bitbar old to new", old, new)); !slices.Contains(s, "identity") {
		t.Errorf("two different apps compared: sections %q", s)
	}
}
