package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/internal/analysistest"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/report"
	"appxray/scan"
)

type diffDoc struct {
	Old, New struct {
		File        string `json:"file"`
		Package     string `json:"package"`
		VersionName string `json:"version_name"`
	}
	Changes []report.Change `json:"changes"`
}

func runDiff(t *testing.T, args ...string) diffDoc {
	t.Helper()
	code, out, errs := runCLI(append([]string{"diff", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("diff %v: exit %d: %s", args, code, errs)
	}
	var d diffDoc
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("diff JSON: %v", err)
	}
	return d
}

// TestDiffSelf: a file against itself, and against the JSON report saved
// from it, has no changes.
func TestDiffSelf(t *testing.T) {
	demo := testapp.DemoPath()
	saved := filepath.Join(t.TempDir(), "demo.json")
	if code, _, errs := runCLI("scan", "--format", "json", "-o", saved, demo); code != 0 {
		t.Fatal(errs)
	}
	for _, pair := range [][2]string{{demo, demo}, {demo, saved}, {saved, demo}} {
		d := runDiff(t, pair[0], pair[1])
		if len(d.Changes) != 0 {
			t.Errorf("diff %s %s: %d changes: %+v", filepath.Base(pair[0]), filepath.Base(pair[1]), len(d.Changes), d.Changes)
		}
		if d.Old.Package != "org.appxray.demo.ijop" || d.New.VersionName != "1.0-demo" {
			t.Errorf("identities %+v %+v", d.Old, d.New)
		}
	}
	code, out, _ := runCLI("diff", demo, demo)
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("text diff of a file with itself: exit %d\n%s", code, out)
	}
}

// TestDiffChanges compares the demo app with an edited copy of its report
// that changes one thing of every kind, and keeps the four renderings as
// goldens.
func TestDiffChanges(t *testing.T) {
	old, err := Scan(context.Background(), testapp.DemoPath(), defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	report.JSON(&b, old)
	nw, _ := report.Read(&b)
	nw.File.Name, nw.File.SHA256 = "demo-ijop-2.apk", strings.Repeat("ab", 32)
	nw.App.VersionName, nw.App.VersionCode = "2.0-demo", 2
	nw.Permissions = append(slices.DeleteFunc(nw.Permissions, func(p string) bool { return p == "android.permission.CAMERA" }), "android.permission.READ_CALENDAR")
	nw.Signers[0].SHA256, nw.Signers[0].Subject, nw.Signers[0].WellKnownKey = strings.Repeat("cd", 32), "CN=Someone Else", ""
	nw.Components.Services[0].Exported = false
	nw.Trackers = nil
	nw.Endpoints = append(nw.Endpoints, scan.Endpoint{Host: "new.example.invalid", URL: "http://new.example.invalid/", Cleartext: true,
		FoundIn: []scan.Evidence{scan.DexString("classes.dex", 7, "")}, Places: 1})
	nw.Watchlists[1].Size = 25
	nw.Findings = slices.DeleteFunc(nw.Findings, func(f scan.Finding) bool { return f.Category == "device.camera" })
	nw.OptionLists[0].Options[""] = append(nw.OptionLists[0].Options[""], "Rh-")
	nw.Fields = nw.Fields[1:]
	for i, d := range nw.PermissionDetails {
		if d.Name == "android.permission.RECORD_AUDIO" {
			nw.PermissionDetails[i].Status = "used"
		}
	}
	nw.Flows = slices.DeleteFunc(nw.Flows, func(f scan.Flow) bool { return f.Sink.Kind == "sdk" })
	nw.Embedded = append(nw.Embedded, scan.Embedded{Location: "assets/a33.jpg", Kind: "apk", Size: 25393, Package: "org.example.second", Dex: []string{"assets/a33.jpg!classes.dex"}})
	nw.Protection.Packers = append(nw.Protection.Packers, scan.Packer{ID: "ijiami", Name: "Ijiami", Kind: "packer", HidesIn: "an encrypted file in the assets",
		Payloads: []string{"assets/ijiami.dat"}, Evidence: []scan.Evidence{scan.AssetFile("assets/ijiami.dat", "")}})
	nw.Anomalies = append(nw.Anomalies, scan.Anomaly{Kind: "EncryptionFlag", Source: "zip", Offset: 0x1c0, Entry: "classes.dex", Detail: "general purpose bit 0 set"})

	d := report.Compare(old, nw)
	got := map[string]bool{}
	for _, c := range d.Changes {
		got[c.Section+" "+c.Change+" "+c.Item] = true
	}
	for _, want := range []string{
		"identity changed version_name", "identity changed version_code",
		"signer changed signing certificates",
		"permissions removed android.permission.CAMERA", "permissions added android.permission.READ_CALENDAR",
		"components changed service org.appxray.demo.ijop.SyncService",
		"trackers removed Umeng Analytics (友盟统计)",
		"categories removed device.camera",
		"fields removed res/layout/person_form.xml EditText @id/xm",
		"option_lists changed @array/blood_types",
		"hosts added new.example.invalid",
		"watchlists changed package names in assets/watch/packages.txt line 1",
		"permission_use changed android.permission.RECORD_AUDIO",
		"flows removed IMEI or MEID → Umeng Analytics (友盟统计)",
		"embedded added assets/a33.jpg",
		"protection added Ijiami",
		"anomalies added Fake encryption flag (EncryptionFlag)",
	} {
		if !got[want] {
			t.Errorf("no change %q", want)
		}
	}
	if len(d.Changes) != 17 {
		t.Errorf("%d changes, want the 17 above: %+v", len(d.Changes), d.Changes)
	}
	if !d.SignerChanged() {
		t.Error("signer change not flagged")
	}
	for name, f := range report.DiffFormats {
		var out bytes.Buffer
		if err := f(&out, d); err != nil {
			t.Fatal(err)
		}
		analysistest.Golden(t, "demo-diff."+map[string]string{"text": "txt", "json": "json", "markdown": "md", "html": "html"}[name]+".golden", out.Bytes())
		if name == "html" && (bytes.Contains(out.Bytes(), []byte("<script")) || !bytes.Contains(out.Bytes(), []byte("Content-Security-Policy"))) {
			t.Error("HTML diff is not self-contained under its policy")
		}
	}
}

// TestDiffVersions compares two releases of the same real app: Android's
// framework-res from Debian (Android 10) and LineageOS's for the Nexus 5
// (Android 7.1.2), both package "android".
func TestDiffVersions(t *testing.T) {
	a := corpus.File(t, "/usr/share/android-framework-res/framework-res.apk")
	b := corpus.File(t, "/usr/share/doc/androguard/examples/tests/lineageos_nexus5_framework-res.apk")
	d := runDiff(t, a, b)
	if d.Old.Package != "android" || d.New.Package != "android" {
		t.Fatalf("packages %q, %q", d.Old.Package, d.New.Package)
	}
	find := func(sec, change, item string) *report.Change {
		for i, c := range d.Changes {
			if c.Section == sec && c.Change == change && c.Item == item {
				return &d.Changes[i]
			}
		}
		t.Errorf("no %s %s %s", sec, change, item)
		return &report.Change{}
	}
	if c := find("identity", "changed", "version_name"); c.Before != "10.0.0" || c.After != "7.1.2" {
		t.Errorf("version_name %+v", c)
	}
	if c := find("identity", "changed", "version_code"); c.Before != "29" || c.After != "25" {
		t.Errorf("version_code %+v", c)
	}
	if c := find("signer", "changed", "signing certificates"); c.Before != "none" || !strings.Contains(c.After, "CN=LineageOS") {
		t.Errorf("signer %+v", c)
	}
	find("permissions", "removed", "android.permission.ACCESS_INSTANT_APPS") // added in Android 8
	if c := find("hosts", "added", "gsm.lge.com"); c.After != "cleartext" {
		t.Errorf("gsm.lge.com %+v", c)
	}
	if c := find("option_lists", "changed", "@android:array/config_globalActionsList"); !strings.Contains(c.Before, "lockdown") || strings.Contains(c.After, "lockdown") {
		t.Errorf("global actions %+v", c)
	}
	for _, format := range []string{"text", "markdown", "html"} {
		code, out, errs := runCLI("diff", "--format", format, a, b)
		if code != 0 || !strings.Contains(out, "10.0.0") || !strings.Contains(out, "7.1.2") {
			t.Errorf("%s: exit %d %s", format, code, errs)
		}
	}
}

func TestDiffErrors(t *testing.T) {
	notReport := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(notReport, []byte(`{"tool":{"name":"other"}}`), 0o644)
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"diff", testapp.DemoPath()}, 2, "give two files"},
		{[]string{"diff", "--format", "sarif", testapp.DemoPath(), testapp.DemoPath()}, 2, "unknown format"},
		{[]string{"diff", notReport, testapp.DemoPath()}, 1, "not an appxray report"},
		{[]string{"diff", "missing.apk", testapp.DemoPath()}, 1, "no such file"},
	} {
		code, _, errs := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.msg) {
			t.Errorf("%v: exit %d, %q; want %d, %q", tt.args, code, errs, tt.code, tt.msg)
		}
	}
}
