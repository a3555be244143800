package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/testapp"
)

// TestFailOn: a match exits 3 after writing the report; no match exits 0;
// a bad list is a usage error before any scan.
func TestFailOn(t *testing.T) {
	demo := testapp.DemoPath()
	for _, tt := range []struct {
		spec string
		code int
		msg  string
	}{
		{"special", 3, "--fail-on special matched: special: 6 findings"},
		{"device.sms,tracker", 3, "device.sms: 3 findings; tracker: Umeng Analytics"},
		{"cleartext", 3, "cleartext:"},
		{"device.calendar", 0, ""},
		{"nonsense", 2, `"nonsense" is no category`},
	} {
		code, out, errs := runCLI("scan", "--fail-on", tt.spec, demo)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("--fail-on %s: exit %d, stderr %q; want %d, %q", tt.spec, code, errs, tt.code, tt.msg)
		}
		if tt.code != 2 && !strings.Contains(out, "In short") {
			t.Errorf("--fail-on %s: no report written", tt.spec)
		}
	}
}

// TestBatchCLI: scan --out over a directory, with --fail-on; the exit code
// says a file matched.
func TestBatchCLI(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	demo, _ := os.ReadFile(testapp.DemoPath())
	os.WriteFile(filepath.Join(in, "a.apk"), demo, 0o644)
	code, _, errs := runCLI("scan", "--out", out, "--jobs", "1", "--fail-on", "device.sms", in)
	if code != 3 || !strings.Contains(errs, "1 files: 1 scanned") || !strings.Contains(errs, "matched in 1 files") {
		t.Errorf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(out, "index.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var row struct {
		Package string   `json:"package"`
		FailOn  []string `json:"fail_on"`
	}
	if err := json.Unmarshal(b, &row); err != nil || row.Package != "org.appxray.demo.ijop" || len(row.FailOn) != 1 {
		t.Errorf("index %s: %v", b, err)
	}
	code, _, errs = runCLI("scan", "--out", out, in)
	if code != 0 || !strings.Contains(errs, "1 skipped") {
		t.Errorf("rerun: exit %d: %s", code, errs)
	}
	os.WriteFile(filepath.Join(in, "bad.apk"), demo[:100], 0o644)
	if code, _, errs = runCLI("scan", "--out", out, in); code != 1 || !strings.Contains(errs, "1 could not be read") {
		t.Errorf("with a bad file: exit %d: %s", code, errs)
	}
	if code, _, errs = runCLI("scan", "--out", out, "--format", "html", in); code != 2 {
		t.Errorf("--format with --out: exit %d: %s", code, errs)
	}
}
