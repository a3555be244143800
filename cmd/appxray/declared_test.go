package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/internal/schematest"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/scan"
)

func declaredOf(t *testing.T, path string) *scan.Declared {
	t.Helper()
	code, out, errs := runCLI("scan", "--format", "json", "--declared", path, testapp.DemoPath())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	schematest.Report(t, "demo with --declared", []byte(out))
	var doc struct {
		Declared *scan.Declared `json:"declared"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Declared == nil {
		t.Fatalf("no declared section: %v", err)
	}
	return doc.Declared
}

func undeclared(d *scan.Declared) []knowledge.Category {
	var out []knowledge.Category
	for _, u := range d.NotDeclared {
		out = append(out, u.Category)
	}
	return out
}

// TestDeclaredPlayCSV: the demo app against a Data safety form that
// declares name, phone, precise location, contacts, device IDs and health.
func TestDeclaredPlayCSV(t *testing.T) {
	d := declaredOf(t, filepath.Join("testdata", "datasafety-demo.csv"))
	if d.Format != "play-data-safety-csv" || d.Source != "datasafety-demo.csv" {
		t.Errorf("source %q format %q", d.Source, d.Format)
	}
	var ids []string
	for _, it := range d.Items {
		ids = append(ids, it.ID)
	}
	want := []string{"PSL_NAME", "PSL_PHONE", "PSL_PRECISE_LOCATION", "PSL_CONTACTS", "PSL_HEALTH", "PSL_DEVICE_ID", "PSL_CRASH_LOGS", "PSL_SOMETHING_NEW"}
	if !slices.Equal(ids, want) {
		t.Errorf("declared %v, want %v (an empty value is not a declaration)", ids, want)
	}
	if it := d.Items[len(d.Items)-1]; it.Label != "Something new / Added later" || len(it.Categories) != 0 {
		t.Errorf("unknown type kept as %+v", it)
	}
	got := undeclared(d)
	for _, c := range []knowledge.Category{knowledge.PersonReligion, knowledge.PersonEthnicity, knowledge.PersonNationalID, knowledge.DeviceSMS, knowledge.DeviceCallLog, knowledge.DeviceInstalledApps, knowledge.BehaviourAppWatchlist} {
		if !slices.Contains(got, c) {
			t.Errorf("%s detected but not reported undeclared (undeclared: %v)", c, got)
		}
	}
	for _, c := range []knowledge.Category{knowledge.PersonName, knowledge.PersonPhoneNumber, knowledge.DevicePhoneNumber, knowledge.DeviceContacts, knowledge.DeviceLocation, knowledge.DeviceIdentifiers, knowledge.BehaviourBoot} {
		if slices.Contains(got, c) {
			t.Errorf("%s reported undeclared (declared, only weakly seen, or no data type)", c)
		}
	}
	for _, u := range d.NotDeclared {
		if u.Category == knowledge.PersonReligion && !slices.Equal(u.DataTypes, []string{"Personal info / Political or religious beliefs"}) {
			t.Errorf("religion would be declared as %v", u.DataTypes)
		}
	}
	if len(d.NotSeen) != 1 || d.NotSeen[0].ID != "PSL_HEALTH" {
		t.Errorf("declared but not seen: %+v", d.NotSeen)
	}
	for _, format := range []string{"text", "markdown", "html"} {
		code, out, errs := runCLI("scan", "--format", format, "--declared", filepath.Join("testdata", "datasafety-demo.csv"), testapp.DemoPath())
		if code != 0 || !strings.Contains(out, "Declared and detected") || !strings.Contains(out, "Health and fitness / Health info") || !strings.Contains(out, "cannot prove") {
			t.Errorf("%s: exit %d %s: no declared section", format, code, errs)
		}
	}
}

func TestDeclaredJSON(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "declared.json")
	os.WriteFile(p, []byte(`{"package": "org.appxray.demo.ijop", "collects": ["person.religion", "PSL_SMS_CALL_LOG", "Personal info / Race and ethnicity", "device.browser"]}`), 0o644)
	d := declaredOf(t, p)
	got := undeclared(d)
	for _, c := range []knowledge.Category{knowledge.PersonReligion, knowledge.PersonEthnicity, knowledge.DeviceSMS, knowledge.DeviceCallLog} {
		if slices.Contains(got, c) {
			t.Errorf("%s is declared", c)
		}
	}
	if !slices.Contains(got, knowledge.DeviceContacts) {
		t.Error("contacts not reported undeclared")
	}
	if len(d.NotSeen) != 1 || d.NotSeen[0].ID != "device.browser" {
		t.Errorf("not seen %+v", d.NotSeen)
	}
	for body, msg := range map[string]string{
		`{"collects": ["person.soul"]}`: `"person.soul" is neither`,
		`{"collect": []}`:               `unknown field`,
		`{}`:                            `no "collects" list`,
		"Question,Response\nPSL_X,Y\n":  `not a Play Console Data safety CSV`,
	} {
		os.WriteFile(p, []byte(body), 0o644)
		code, _, errs := runCLI("scan", "--declared", p, testapp.DemoPath())
		if code != 2 || !strings.Contains(errs, msg) {
			t.Errorf("%s: exit %d %q, want 2 and %q", body, code, errs, msg)
		}
	}
}
