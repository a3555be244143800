package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/aabtest"
	"appxray/internal/analysistest"
	"appxray/internal/corpus"
	"appxray/internal/iosapp"
	"appxray/internal/schematest"
	"appxray/report"
	"appxray/scan"
)

// writeDemoIPA writes the demo iOS app as an IPA into dir and returns its
// path, and the path of the same app unzipped as a .app directory.
func writeDemoIPA(t testing.TB, dir string, encrypted bool) (ipaPath, appDir string) {
	t.Helper()
	files, err := iosapp.DemoFiles(encrypted)
	if err != nil {
		t.Fatal(err)
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
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

// steadyDemo replaces what differs from one build of the demo IPA to the
// next (each is signed with a new key) with fixed values, so that its
// reports can be goldens.
func steadyDemo(r *scan.Report) {
	if r.File.SHA256 != "" {
		r.File.SHA256 = strings.Repeat("5a", 32)
	}
	r.File.Size = 10000
	for i := range r.Signers {
		r.Signers[i].SHA256 = strings.Repeat("c3", 32)
		r.Signers[i].SHA1 = strings.Repeat("D4", 20)
		r.Signers[i].Serial = "1234"
	}
}

func scanDemoIPA(t *testing.T, encrypted bool) (ipa, dir *scan.Report) {
	t.Helper()
	ipaPath, appDir := writeDemoIPA(t, t.TempDir(), encrypted)
	ipa, err := Scan(context.Background(), ipaPath, defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	dir, err = Scan(context.Background(), appDir, defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	steadyDemo(ipa)
	steadyDemo(dir)
	return ipa, dir
}

func contains(t *testing.T, what string, out []byte, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !bytes.Contains(out, []byte(w)) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func lacks(t *testing.T, what string, out []byte, bads ...string) {
	t.Helper()
	for _, b := range bads {
		if bytes.Contains(out, []byte(b)) {
			t.Errorf("%s has %q", what, b)
		}
	}
}

// TestIOSReports: every format of the demo iOS app's report, as goldens,
// and what each says that an Android report does not: the bundle ID,
// version and build, the iOS it needs, the provisioning profile in the
// identity block and in full in the technical details, the Info.plist's
// usage descriptions, URL schemes, the apps it checks for and its
// background modes, Mach-O code and FairPlay, and nothing of a manifest or
// of DEX code.
func TestIOSReports(t *testing.T) {
	r, _ := scanDemoIPA(t, false)
	out := checkFormats(t, "ios-demo", r)
	for f, b := range out {
		analysistest.Golden(t, "ios-demo."+goldenExt[f]+".golden", b)
	}
	contains(t, "text", out["text"],
		"org.appxray.demo.tracker, version 2.4.1 (build 241), for iOS 15.0 or later\n",
		"  requires  iOS 15.0 or later\n",
		"  signed    by the certificate its provisioning profile allows:\n",
		"  profile   Enterprise (in-house) distribution profile: the app installs on any\n",
		"team appxray Demo Team (ABCDE12345)",
		"expires 2027-03-01",
		"  plist     11 usage descriptions; opens URL schemes tracker, fb1234567890;",
		"checks for 4 other apps by URL scheme; background modes location,",
		"  code      Mach-O executables, no DEX code",
		"  fairplay  no executable found encrypted\n",
		"  Apps it checks for, by URL scheme (LSApplicationQueriesSchemes):\n    whatsapp, telegram, signal, weixin\n",
		"What the app's privacy manifests (Payload/Tracker.app/PrivacyInfo.xcprivacy,",
		"no privacy-manifest data type",
		"Its Info.plist says why it would ask for access to",
		"appxray does not trace data paths in iOS executables",
	)
	lacks(t, "text", out["text"], "manifest  0 permissions", "0 DEX files", "version code", "Data safety", "It asks for permission")
	contains(t, "HTML", out["html"],
		"What this iOS app collects about people",
		"<dt>Bundle ID</dt><dd><code>org.appxray.demo.tracker</code></dd>",
		"<dt>Version</dt><dd>2.4.1 (build 241)</dd>",
		"<dt>Requires</dt><dd>iOS 15.0 or later</dd>",
		"iOS app (IPA)",
		"<dt>Provisioning profile</dt><dd>Enterprise (in-house) distribution profile",
		"<h3>Info.plist</h3>",
		"<h4>Usage descriptions (11)</h4>",
		`<th scope="row"><code>NSContactsUsageDescription</code></th><td>the contacts</td><td>We upload your contacts to find people you know.</td>`,
		`<span lang="de" dir="auto">Wir laden deine Kontakte hoch.</span>`,
		"<h3>Provisioning profile</h3>",
		"<dt>Devices</dt><dd>any device (it lists none)</dd>",
		"<dt>URL schemes it opens</dt><dd><code>tracker</code>, <code>fb1234567890</code></dd>",
		"<dt>Background modes</dt><dd><code>location</code>, <code>fetch</code>, <code>remote-notification</code></dd>",
		"<h3>Apps it checks for</h3>",
		"<li><code>whatsapp</code></li>",
		"<strong>FairPlay encryption:</strong> no executable found encrypted.",
	)
	lacks(t, "HTML", out["html"], "<h3>Manifest</h3>", "<h4>Permissions", "No DEX code", "Android app", "version code", "Lists it carries")
	contains(t, "Markdown", out["markdown"],
		"| Bundle ID | `org.appxray.demo.tracker` |",
		"| Version | 2.4.1 (build 241) |",
		"| Requires | iOS 15.0 or later |",
		"| Provisioning profile | Enterprise (in-house) distribution profile",
		"- Minimum iOS: 15.0",
		"- URL schemes of the apps it checks for: `whatsapp`, `telegram`, `signal`, `weixin`",
		"- Provisioning profile: Kind: Enterprise",
		"### Usage descriptions (11)",
		"| `NSFaceIDUsageDescription` | Face ID | Unlock with Face ID. |",
		"### Apps it checks for",
	)
	lacks(t, "Markdown", out["markdown"], "SDK levels", "Activities:", "DEX file", "version code")
	var sarif struct {
		Runs []struct {
			Artifacts []struct {
				MimeType string `json:"mimeType"`
			} `json:"artifacts"`
			Properties map[string]any `json:"properties"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out["sarif"], &sarif); err != nil {
		t.Fatal(err)
	}
	run := sarif.Runs[0]
	if run.Artifacts[0].MimeType != "application/octet-stream" || run.Properties["minimum_os"] != "15.0" || run.Properties["build"] != "241" || run.Properties["profile"] == nil {
		t.Errorf("SARIF artifact %+v, properties %v", run.Artifacts, run.Properties)
	}
}

// TestIOSEncryptedReport: the FairPlay-encrypted build says plainly, in
// every human format, which executables it encrypts and what appxray
// therefore cannot see.
func TestIOSEncryptedReport(t *testing.T) {
	r, _ := scanDemoIPA(t, true)
	out := checkFormats(t, "ios-demo-encrypted", r)
	analysistest.Golden(t, "ios-demo-encrypted.txt.golden", out["text"])
	const hides = "Objective-C class and selector names and strings cannot be read"
	contains(t, "text", out["text"], "  fairplay  encrypts Payload/Tracker.app/Tracker (arm64) and", hides,
		"Its executables are encrypted by Apple FairPlay DRM")
	lacks(t, "text", out["text"], "the code channel sees only the loader")
	contains(t, "HTML", out["html"], "<strong>FairPlay encryption:</strong> <strong>encrypts Payload/Tracker.app/Tracker (arm64) and Payload/Tracker.app/PlugIns/Share.appex/Share (arm64)</strong>", hides)
	lacks(t, "HTML", out["html"], "the code channel sees only the loader")
	contains(t, "Markdown", out["markdown"], "- FairPlay: encrypts Payload/Tracker.app/Tracker (arm64)", hides)
	lacks(t, "Markdown", out["markdown"], "the code channel sees only the loader")
}

// TestAppDirectoryReport: an unzipped .app has no SHA-256 of its own; the
// reports say so rather than print an empty hash, and SARIF names the
// directory as one, without a MIME type, length or hash.
func TestAppDirectoryReport(t *testing.T) {
	_, r := scanDemoIPA(t, false)
	out := checkFormats(t, "ios-demo-directory", r)
	contains(t, "text", out["text"], "Tracker.app, 10000 bytes, app-directory, no sha256 (a directory has none of its own)\n")
	contains(t, "HTML", out["html"], "iOS app, unzipped (.app directory)", "<dt>SHA-256</dt><dd>none: a directory has no hash of its own</dd>")
	contains(t, "Markdown", out["markdown"], "| SHA-256 | none: a directory has no hash of its own |")
	var sarif struct {
		Runs []struct {
			Artifacts []map[string]any `json:"artifacts"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out["sarif"], &sarif); err != nil {
		t.Fatal(err)
	}
	a := sarif.Runs[0].Artifacts[0]
	if loc, _ := a["location"].(map[string]any); loc["uri"] != "Tracker.app/" || a["mimeType"] != nil || a["hashes"] != nil || a["length"] != -1.0 {
		t.Errorf("SARIF artifact of a directory: %v", a)
	}
}

// TestBundleReport: an App Bundle's reports name its modules and the kind
// of file, as a reader knows it; SARIF labels it a ZIP, not an APK.
func TestBundleReport(t *testing.T) {
	b, err := aabtest.DemoBundle(corpus.Root())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.aab")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), path, defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	out := checkFormats(t, "demo-bundle", r)
	analysistest.Golden(t, "demo-bundle.txt.golden", out["text"])
	contains(t, "text", out["text"], "  modules   base, scanner\n", "  manifest  11 permissions;")
	contains(t, "HTML", out["html"], "What this Android app collects", "Android App Bundle", "<dt>Modules</dt><dd>base, scanner</dd>")
	contains(t, "Markdown", out["markdown"], "| Modules | base, scanner |", "Android App Bundle")
	contains(t, "SARIF", out["sarif"], `"mimeType": "application/zip"`, "the bundle's entry names")
	lacks(t, "SARIF", out["sarif"], "application/vnd.android.package-archive")
}

// TestSARIFMIMEByKind: each kind of input has its own media type.
func TestSARIFMIMEByKind(t *testing.T) {
	for kind, want := range map[string]string{
		"apk": "application/vnd.android.package-archive", "split-set": "application/zip", "aab": "application/zip",
		"jar": "application/java-archive", "dex": "application/octet-stream", "ipa": "application/octet-stream", "app-directory": "",
	} {
		r := scan.New(scan.Tool{Name: "appxray", Version: "test"}, scan.File{Name: "x", Kind: kind, SHA256: strings.Repeat("0", 64)})
		var b bytes.Buffer
		if err := report.SARIF(&b, r); err != nil {
			t.Fatal(err)
		}
		schematest.SARIF(t, kind, b.Bytes())
		var doc struct {
			Runs []struct {
				Artifacts []struct {
					MimeType string `json:"mimeType"`
				} `json:"artifacts"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if got := doc.Runs[0].Artifacts[0].MimeType; got != want {
			t.Errorf("%s: mimeType %q, want %q", kind, got, want)
		}
	}
}

// TestIOSDeclaredBeside: --declared on an iOS app keeps the comparison
// with its privacy manifests and adds the one with the file given, each
// named by its source, in every format.
func TestIOSDeclaredBeside(t *testing.T) {
	dir := t.TempDir()
	ipaPath, _ := writeDemoIPA(t, dir, false)
	decl := filepath.Join(dir, "ours.json")
	if err := os.WriteFile(decl, []byte(`{"collects": ["device.contacts", "device.location", "person.religion"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("scan", "--format", "json", "--declared", decl, ipaPath)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	schematest.Report(t, "ios with --declared", []byte(out))
	r, err := report.Read(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.Declared == nil || r.Declared.Format != "apple-privacy-manifest" || len(r.AlsoDeclared) != 1 {
		t.Fatalf("declared %+v, also %+v", r.Declared, r.AlsoDeclared)
	}
	if d := r.AlsoDeclared[0]; d.Format != "appxray-json" || d.Source != "ours.json" || len(d.Items) != 3 {
		t.Errorf("the file given: %+v", d)
	}
	for _, f := range []string{"text", "markdown", "html"} {
		var b bytes.Buffer
		if err := report.Formats[f](&b, r); err != nil {
			t.Fatal(err)
		}
		contains(t, f, b.Bytes(), "privacy manifests (Payload/Tracker.app/PrivacyInfo.xcprivacy", "the declaration given (ours.json, in appxray")
	}
	var html bytes.Buffer
	report.HTML(&html, r)
	contains(t, "HTML", html.Bytes(), `<h2 id="declared-h">Declared and detected: privacy manifests</h2>`, `<h2 id="declared-2-h">Declared and detected: ours.json</h2>`,
		`<a href="#declared">`, `<a href="#declared-2">`)
	// An Android app has no declaration of its own: the file given is the
	// one, as before.
	code, out, errs = runCLI("scan", "--format", "json", "--declared", decl, filepath.Join(corpus.Root(), "testdata", "demo-ijop.apk"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if r, err := report.Read(strings.NewReader(out)); err != nil || r.Declared == nil || r.Declared.Source != "ours.json" || r.AlsoDeclared != nil {
		t.Errorf("Android with --declared: %v, %+v", err, r)
	}
}
