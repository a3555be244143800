package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/internal/analysistest"
	"appxray/internal/corpus"
	"appxray/internal/schematest"
	"appxray/internal/testapp"
	"appxray/report"
	"appxray/scan"
)

var goldenExt = map[string]string{"text": "txt", "json": "json", "html": "html", "markdown": "md", "sarif": "sarif"}

func render(t testing.TB, format string, r *scan.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Formats[format](&b, r); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

// checkFormats renders r in every format, validates the JSON and SARIF
// against their schemas, and checks that the JSON read back renders
// exactly as the fresh report does. It returns the renderings.
func checkFormats(t testing.TB, name string, r *scan.Report) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range report.FormatNames() {
		out[f] = render(t, f, r)
	}
	schematest.Report(t, name, out["json"])
	schematest.SARIF(t, name, out["sarif"])
	back, err := report.Read(bytes.NewReader(out["json"]))
	if err != nil {
		t.Fatalf("%s: reading the JSON back: %v", name, err)
	}
	for _, f := range report.FormatNames() {
		if again := render(t, f, back); !bytes.Equal(again, out[f]) {
			t.Errorf("%s: %s of the saved JSON differs from the fresh scan's:\n%s", name, f, analysistest.Diff(string(out[f]), string(again)))
		}
	}
	if !bytes.Contains(out["html"], []byte(`http-equiv="Content-Security-Policy"`)) {
		t.Errorf("%s: HTML has no Content-Security-Policy", name)
	}
	for _, bad := range []string{"<script", "<img", "<link", "<iframe", "src=", "http://", "https://"} {
		if bad == "http://" || bad == "https://" {
			continue // a host the app names is text, never a link: checked below
		}
		if bytes.Contains(out["html"], []byte(bad)) {
			t.Errorf("%s: HTML contains %q", name, bad)
		}
	}
	if bytes.Contains(out["html"], []byte("href=\"http")) {
		t.Errorf("%s: HTML links out", name)
	}
	return out
}

// TestDemoReports: every format of the demo app's report, as goldens.
func TestDemoReports(t *testing.T) {
	rep, err := Scan(context.Background(), testapp.DemoPath(), defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	out := checkFormats(t, "demo", rep)
	for f, b := range out {
		analysistest.Golden(t, "demo."+goldenExt[f]+".golden", b)
	}
	html := string(out["html"])
	for _, want := range []string{
		`<html lang="en">`,
		`<h2 id="verdict-h">In short</h2>`,
		`<h2 id="special-h">Special categories</h2>`,
		`<strong>Religion</strong>`,
		`<span lang="zh-CN" dir="auto">宗教信仰</span>`,
		`<th scope="col">Label</th>`,
		`<svg class="chart"`,
		`<h2 id="technical-h">Technical details</h2>`,
		`<details class="finding">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	md := string(out["markdown"])
	for _, want := range []string{"# IJOP demo (inert)", "## Special categories", "| Label | Other languages | Asks for | Field |", "`classes.dex Lorg/appxray/demo/ijop/DeviceCollector;->smsInbox(Landroid/content/Context;)Landroid/database/Cursor;`"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					Physical struct {
						Artifact struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
					Logical []struct {
						FQN  string `json:"fullyQualifiedName"`
						Kind string `json:"kind"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out["sarif"], &sarif); err != nil {
		t.Fatal(err)
	}
	run := sarif.Runs[0]
	if len(run.Results) != len(rep.Findings) {
		t.Errorf("%d SARIF results for %d findings", len(run.Results), len(rep.Findings))
	}
	rules := map[string]map[string]any{}
	for _, r := range run.Tool.Driver.Rules {
		rules[r.ID] = r.Properties
	}
	if p := rules["person.religion/forms"]; p == nil || p["special"] != true || p["masvs"] == nil {
		t.Errorf("rule person.religion/forms = %v", p)
	}
	var sawManifestLine, sawMethod bool
	for _, res := range run.Results {
		if _, ok := rules[res.RuleID]; !ok {
			t.Errorf("result names unknown rule %s", res.RuleID)
		}
		for _, l := range res.Locations {
			if l.Physical.Artifact.URI == "AndroidManifest.xml" && l.Physical.Region != nil && l.Physical.Region.StartLine > 0 {
				sawManifestLine = true
			}
			for _, ll := range l.Logical {
				if ll.Kind == "function" && strings.HasPrefix(ll.FQN, "Lorg/appxray/demo/ijop/") && l.Physical.Artifact.URI == "classes.dex" {
					sawMethod = true
				}
			}
		}
		if res.RuleID == "device.sms/manifest" && res.Level != "error" {
			t.Errorf("device.sms/manifest level %s, want error (high severity)", res.Level)
		}
	}
	if !sawManifestLine || !sawMethod {
		t.Errorf("SARIF locations: manifest line %v, DEX method %v", sawManifestLine, sawMethod)
	}
}

// TestCorpusFormats renders every corpus app in every format.
func TestCorpusFormats(t *testing.T) {
	files := corpus.Files(t)
	for _, f := range files {
		rep, err := Scan(context.Background(), f, defaultConfig(t))
		if err != nil {
			// Files Android itself refuses (the corpus keeps some on
			// purpose) are the scan tests' business.
			continue
		}
		checkFormats(t, corpus.Name(f), rep)
	}
	t.Logf("rendered %d corpus files in %d formats", len(files), len(report.Formats))
}

// TestOutputFlag: -o writes the report to a file, whole, for every format.
func TestOutputFlag(t *testing.T) {
	dir := t.TempDir()
	for _, f := range report.FormatNames() {
		path := filepath.Join(dir, "report."+goldenExt[f])
		code, out, errs := runCLI("scan", "--format", f, "-o", path, testapp.DemoPath())
		if code != 0 || out != "" {
			t.Fatalf("%s: exit %d, stdout %d bytes, stderr %s", f, code, len(out), errs)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", "demo."+goldenExt[f]+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s: -o wrote something else than the golden", f)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(report.Formats) {
		t.Errorf("%d files in the output directory, want %d (no temporary files left)", len(entries), len(report.Formats))
	}
	if code, _, errs := runCLI("scan", "-o", filepath.Join(dir, "missing", "x.txt"), testapp.DemoPath()); code != 1 || !strings.Contains(errs, "writing report") {
		t.Errorf("-o into a missing directory: exit %d, %s", code, errs)
	}
}

func defaultConfig(t testing.TB) *analysis.Config {
	t.Helper()
	cfg, err := config(scanOptions{}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// BenchmarkRender times each format on the report of the corpus's largest
// app with code, the one BenchmarkScan scans: the HTML and SARIF renderers
// together must add no more than 10% to that scan.
func BenchmarkRender(b *testing.B) {
	path := corpus.File(b, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	rep, err := Scan(context.Background(), path, defaultConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range report.FormatNames() {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				if err := report.Formats[f](io.Discard, rep); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
