package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/report"
)

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestScanJSON checks the JSON document's contract fields on the demo app.
func TestScanJSON(t *testing.T) {
	code, out, errs := runCLI("scan", "--format", "json", testapp.DemoPath())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		App struct {
			Package     string            `json:"package"`
			VersionName string            `json:"version_name"`
			VersionCode int64             `json:"version_code"`
			MinSDK      string            `json:"min_sdk"`
			TargetSDK   string            `json:"target_sdk"`
			Label       string            `json:"label"`
			Labels      map[string]string `json:"labels"`
		} `json:"app"`
		Permissions []string `json:"permissions"`
		Components  struct {
			Receivers []struct {
				Name          string `json:"name"`
				Exported      bool   `json:"exported"`
				IntentFilters []struct {
					Actions []string `json:"actions"`
				} `json:"intent_filters"`
			} `json:"receivers"`
			Activities []json.RawMessage `json:"activities"`
		} `json:"components"`
		Signers []struct {
			SHA256  string   `json:"sha256"`
			Subject string   `json:"subject"`
			Schemes []string `json:"schemes"`
		} `json:"signers"`
		Dex []struct {
			File    string `json:"file"`
			Classes int    `json:"classes"`
		} `json:"dex"`
		Findings []struct {
			ID       string `json:"id"`
			Category string `json:"category"`
			Special  bool   `json:"special"`
			Evidence []struct {
				Kind, Location string
			} `json:"evidence"`
		} `json:"findings"`
		Endpoints  []json.RawMessage `json:"endpoints"`
		Watchlists []json.RawMessage `json:"watchlists"`
		Trackers   []json.RawMessage `json:"trackers"`
		Anomalies  []json.RawMessage `json:"anomalies"`
		Errors     []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not one JSON document: %v", err)
	}
	a := doc.App
	if a.Package != "org.appxray.demo.ijop" || a.VersionName != "1.0-demo" || a.VersionCode != 1 || a.MinSDK != "21" || a.TargetSDK != "29" {
		t.Errorf("app = %+v", a)
	}
	if a.Label != "IJOP demo (inert)" || a.Labels["zh-CN"] != "一体化联合作战平台（演示）" || a.Labels["zh-TW"] != "一體化聯合作戰平台（演示）" {
		t.Errorf("labels = %q / %v", a.Label, a.Labels)
	}
	if len(doc.Permissions) != 11 || !slices.IsSorted(doc.Permissions) || !slices.Contains(doc.Permissions, "android.permission.READ_SMS") {
		t.Errorf("permissions = %v", doc.Permissions)
	}
	if len(doc.Components.Receivers) != 1 || doc.Components.Receivers[0].Name != "org.appxray.demo.ijop.EventReceiver" || !doc.Components.Receivers[0].Exported {
		t.Errorf("receivers = %+v", doc.Components.Receivers)
	}
	if len(doc.Components.Activities) != 2 {
		t.Errorf("activities = %d", len(doc.Components.Activities))
	}
	if len(doc.Signers) != 1 || doc.Signers[0].SHA256 != "0b5056f4237e5d3b67168446ad1373de068a9a7956140f4e9f4bd78d7fa644ae" ||
		!slices.Equal(doc.Signers[0].Schemes, []string{"v1", "v2", "v3"}) {
		t.Errorf("signers = %+v", doc.Signers)
	}
	if len(doc.Dex) != 1 || doc.Dex[0].File != "classes.dex" || doc.Dex[0].Classes != 8 {
		t.Errorf("dex = %+v", doc.Dex)
	}
	if len(doc.Findings) == 0 || len(doc.Endpoints) != 2 || len(doc.Watchlists) != 3 || len(doc.Trackers) != 1 {
		t.Errorf("findings %d, endpoints %d, watchlists %d, trackers %d", len(doc.Findings), len(doc.Endpoints), len(doc.Watchlists), len(doc.Trackers))
	}
	ids := map[string]bool{}
	for _, f := range doc.Findings {
		if ids[f.ID] {
			t.Errorf("duplicate finding id %s", f.ID)
		}
		ids[f.ID] = true
		if len(f.Evidence) == 0 {
			t.Errorf("finding %s has no evidence", f.ID)
		}
	}
	if len(doc.Errors) != 0 || len(doc.Anomalies) != 0 {
		t.Errorf("errors %s, anomalies %s", doc.Errors, doc.Anomalies)
	}
}

func TestScanText(t *testing.T) {
	code, out, errs := runCLI("scan", testapp.DemoPath())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"IJOP demo (inert)\norg.appxray.demo.ijop, version 1.0-demo (version code 1)\n\nIn short\n  Records religion, ethnicity and criminal record about people in its forms",
		"Special categories\n  Special categories (GDPR Articles 9 and 10)",
		"What it takes from the device",
		"In third-party SDK code:",
		"Reads the IMEI or MEID — Umeng Analytics",
		"Religion — special category (person.religion)",
		"Requests READ_PHONE_STATE (serious, moderate evidence) (the same permission as under Device identifiers)",
		"Whom it talks to",
		"collect.ijop-demo.invalid [cleartext]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text summary lacks %q", want)
		}
	}
}

func TestScanErrors(t *testing.T) {
	dir := t.TempDir()
	notAPK := filepath.Join(dir, "notes.txt")
	os.WriteFile(notAPK, []byte("just text, not an app"), 0o644)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"scan", dir}, 1, "batch mode"},
		{[]string{"scan", notAPK}, 1, "not an APK"},
		{[]string{"scan", filepath.Join(dir, "missing.apk")}, 1, "no such file"},
		{[]string{"scan", "--format", "xml", testapp.DemoPath()}, 2, "unknown format"},
		{[]string{"scan"}, 2, "exactly one file"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"scan", "--trackers", notAPK, testapp.DemoPath()}, 2, "notes.txt"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}

// TestScanTrackersFlag: flags may follow the file name, and an ETIP table
// replaces the built-in one.
func TestScanTrackersFlag(t *testing.T) {
	etip := filepath.Join(t.TempDir(), "etip.json")
	os.WriteFile(etip, []byte(`{"trackers":{"7":{"name":"Only This","code_signature":"com.umeng.analytics","network_signature":"","website":"","categories":[]}}}`), 0o644)
	code, out, errs := runCLI("scan", testapp.DemoPath(), "--format", "json", "--trackers", etip, "--trackers-mode", "replace")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Trackers []struct{ Name string } `json:"trackers"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Trackers) != 1 || doc.Trackers[0].Name != "Only This" {
		t.Errorf("trackers = %+v", doc.Trackers)
	}
}

// BenchmarkScan is the whole scan (every decoder and detector) of the
// corpus's largest app, the one the speed target is set on.
func BenchmarkScan(b *testing.B) {
	path := corpus.File(b, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	cfg, _ := config(scanOptions{}, io.Discard)
	for b.Loop() {
		rep, err := Scan(context.Background(), path, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if err := report.JSON(io.Discard, rep); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSettingsDocumentedBehaviour checks, with every detector on, what
// io.appium.settings' own documentation says: it reads SMS, location, the
// clipboard and notifications in its own code, and its exported receivers
// hand them to any caller.
func TestSettingsDocumentedBehaviour(t *testing.T) {
	path := corpus.File(t, ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk")
	cfg, _ := config(scanOptions{}, io.Discard)
	rep, err := Scan(context.Background(), path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	appCode := map[knowledge.Category]bool{}
	exposed := ""
	for _, f := range rep.Findings {
		for _, e := range f.Evidence {
			if e.Kind == "code" && f.SDK == "" && strings.Contains(e.Location, "Lio/appium/settings/") {
				appCode[f.Category] = true
			}
		}
		if f.Category == "behaviour.exposed" {
			exposed += f.Title + "\n"
		}
	}
	for _, c := range []knowledge.Category{"device.sms", "device.location", "device.clipboard", "device.notifications"} {
		if !appCode[c] {
			t.Errorf("no finding for %s in the app's own code", c)
		}
	}
	for _, r := range []string{"receiver .receivers.SmsReader", "receiver .receivers.ClipboardReceiver", "receiver .receivers.LocationInfoReceiver"} {
		if !strings.Contains(exposed, r+" can be called by any app") {
			t.Errorf("%s not reported as exposed; exposed:\n%s", r, exposed)
		}
	}
}

// TestScanWorkers checks that --workers changes how a scan runs, not what
// it finds: the demo's and a real multidex app's JSON reports are the same
// in sequence (--workers 1) as split over the CPUs.
func TestScanWorkers(t *testing.T) {
	for _, path := range []string{testapp.DemoPath(), corpus.File(t, ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk")} {
		_, want, _ := runCLI("scan", "--format", "json", path)
		for _, w := range []string{"1", "2"} {
			code, got, errs := runCLI("scan", "--format", "json", "--workers", w, path)
			if code != 0 {
				t.Fatalf("--workers %s: exit %d: %s", w, code, errs)
			}
			if got != want {
				t.Errorf("%s: the report with --workers %s differs", filepath.Base(path), w)
			}
		}
	}
}
