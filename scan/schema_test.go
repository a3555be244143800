package scan_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"appxray/internal/schematest"
	"appxray/scan"
)

// TestSchemaInStep checks scan.schema.json against the Go types: every
// struct is a definition with exactly the JSON fields the type has, and a
// field is required exactly when the encoder always writes it (no
// omitempty). A field added to a type without the schema fails here.
func TestSchemaInStep(t *testing.T) {
	b, err := os.ReadFile("scan.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema string `json:"$schema"`
		Defs   map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
			Additional *bool                      `json:"additionalProperties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q, want draft 2020-12", doc.Schema)
	}
	seen := map[string]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt.Name()] {
			return
		}
		seen[rt.Name()] = true
		def, ok := doc.Defs[rt.Name()]
		if !ok {
			t.Errorf("scan.%s has no definition in scan.schema.json", rt.Name())
			return
		}
		if def.Additional == nil || *def.Additional {
			t.Errorf("%s: additionalProperties must be false, so that the schema notices fields it lacks", rt.Name())
		}
		var fields, required []string
		for i := range rt.NumField() {
			f := rt.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			fields = append(fields, name)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
			walk(f.Type)
		}
		var props []string
		for p := range def.Properties {
			props = append(props, p)
		}
		sort.Strings(fields)
		sort.Strings(props)
		if !slices.Equal(fields, props) {
			t.Errorf("%s: Go fields %v, schema properties %v: describe every field in scan/scan.schema.json", rt.Name(), fields, props)
		}
		req := slices.Clone(def.Required)
		sort.Strings(req)
		sort.Strings(required)
		if !slices.Equal(req, required) {
			t.Errorf("%s: fields without omitempty %v, schema requires %v", rt.Name(), required, req)
		}
	}
	walk(reflect.TypeOf(scan.Report{}))
	for name := range doc.Defs {
		if !seen[name] && name != "Category" && name != "Severity" {
			t.Errorf("schema definition %s is no type of the document", name)
		}
	}
}

// TestSchemaValidates: an empty report is valid; documents that break the
// contract are not.
func TestSchemaValidates(t *testing.T) {
	r := scan.New(scan.Tool{Name: "appxray", Version: "test"}, scan.File{Name: "x.apk", Kind: "apk"})
	r.Findings = append(r.Findings, scan.Finding{ID: "f1", Category: "device.sms", Title: "t", Severity: "high",
		Confidence: scan.Sure("r"), Evidence: []scan.Evidence{scan.ManifestLine("AndroidManifest.xml", 3, "")}, Analyzer: "manifest"})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Report(t, "empty report", b)
	s := schematest.ScanSchema(t)
	for name, edit := range map[string]func(m map[string]any){
		"unknown field":    func(m map[string]any) { m["surprise"] = 1 },
		"missing findings": func(m map[string]any) { delete(m, "findings") },
		"bad severity": func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["severity"] = "critical"
		},
		"bad category": func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["category"] = "Religion"
		},
		"bad evidence kind": func(m map[string]any) {
			m["findings"].([]any)[0].(map[string]any)["evidence"].([]any)[0].(map[string]any)["kind"] = "rumour"
		},
	} {
		var m map[string]any
		json.Unmarshal(b, &m)
		edit(m)
		bad, _ := json.Marshal(m)
		if err := schematest.Validate(s, bad); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
