package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/aabtest"
	"appxray/internal/corpus"
	"appxray/internal/iosapp"
	"appxray/internal/schematest"
)

// The scan command takes an App Bundle, an IPA and an unzipped .app
// directory like any file; a directory that is no app bundle is still
// refused, with what to do instead; diff compares two IPAs.
func TestScanInputKinds(t *testing.T) {
	dir := t.TempDir()
	aab, err := aabtest.DemoBundle(corpus.Root())
	if err != nil {
		t.Fatal(err)
	}
	aabPath := filepath.Join(dir, "demo.bin") // recognised by content, not by name
	if err := os.WriteFile(aabPath, aab, 0o644); err != nil {
		t.Fatal(err)
	}
	files, err := iosapp.DemoFiles(false)
	if err != nil {
		t.Fatal(err)
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
	ipaPath := filepath.Join(dir, "Tracker.ipa")
	if err := os.WriteFile(ipaPath, ipa, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, "unzipped", filepath.FromSlash(strings.TrimPrefix(name, "Payload/")))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	appDir := filepath.Join(dir, "unzipped", "Tracker.app")
	for _, tc := range []struct{ path, kind, pkg string }{
		{aabPath, "aab", "org.appxray.demo.ijop"},
		{ipaPath, "ipa", iosapp.DemoBundleID},
		{appDir, "app-directory", iosapp.DemoBundleID},
	} {
		code, out, errs := runCLI("scan", "--format", "json", tc.path)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", tc.path, code, errs)
			continue
		}
		schematest.Report(t, tc.path, []byte(out))
		var doc struct {
			File struct{ Kind string }    `json:"file"`
			App  struct{ Package string } `json:"app"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.File.Kind != tc.kind || doc.App.Package != tc.pkg {
			t.Errorf("%s: kind %q, package %q (%v)", tc.path, doc.File.Kind, doc.App.Package, err)
		}
		if code, _, errs := runCLI("scan", "--fail-on", "special", tc.path); code != exitMatched {
			t.Errorf("%s: --fail-on special: exit %d (%s)", tc.path, code, errs)
		}
	}
	if code, _, errs := runCLI("scan", filepath.Join(dir, "unzipped")); code != exitError || !strings.Contains(errs, "batch mode") {
		t.Errorf("a plain directory: exit %d: %s", code, errs)
	}
	code, out, errs := runCLI("diff", "--format", "json", ipaPath, appDir)
	if code != exitOK || !strings.Contains(out, `"changes"`) {
		t.Errorf("diff of an IPA and its directory: exit %d: %s", code, errs)
	}
}
