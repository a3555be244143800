package e2e

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect"
	"appxray/internal/aabtest"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/scan"
)

var bundleFilter = flag.String("e2e.apk", "", "only compare corpus APKs whose name contains this string")

// bundlePath matches a base module's entry in evidence and other places:
// at the start of a string or after a separator.
var bundlePath = regexp.MustCompile(`(^|[\s(\[;,!"])base/(manifest/AndroidManifest\.xml|resources\.pb|dex/|root/|res/|assets/|lib/)`)

// poolIndex is the index of a string in a resource table's value pool.
var poolIndex = regexp.MustCompile(`value string #[0-9]+`)

// apkPaths names a base module's entries as the APK built from it names
// them (base/dex/classes.dex → classes.dex, base/resources.pb →
// resources.arsc): the one difference evidence must show between a bundle
// and its APK.
func apkPaths(s string) string {
	return bundlePath.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.Index(m, "base/")
		lead, rest := m[:i], m[i+len("base/"):]
		switch rest {
		case "manifest/AndroidManifest.xml":
			return lead + "AndroidManifest.xml"
		case "resources.pb":
			return lead + "resources.arsc"
		case "dex/", "root/":
			return lead
		}
		return lead + rest
	})
}

// comparable reduces a report to what a bundle and the APK it was made
// from must share. What must differ is normalised away, each for its
// reason: the file itself (name, size, hash, kind, parts); the signature
// (the test bundles are unsigned: bundletool signs a bundle as a JAR, and
// aabtest drops the APK's META-INF signature files); the container's and
// the signature's anomalies (two different ZIP files), and the binary XML
// and table decoders' anomalies (the APK's binary files are not the
// bundle's: aapt2 re-encodes them); evidence paths, written with the
// module's prefix in the bundle; the index of a string in the resource
// table's value string pool (resources.pb has no pool: the bundle's is
// the order appxray lays the table out in, the APK's aapt's; the string
// itself is in the evidence's detail and stays); the order of the fields
// of layouts listed in the table's configuration order (aapt and aapt2
// order configurations differently); and the IDs derived from those
// places. Everything else, DEX anomalies included, must be identical.
func comparable(t *testing.T, r *scan.Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var c scan.Report
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	c.File = scan.File{}
	c.Signers, c.Schemes = nil, nil
	var anoms []scan.Anomaly
	for _, an := range c.Anomalies {
		if an.Source == app.SourceDex {
			an.Part = ""
			anoms = append(anoms, an)
		}
	}
	c.Anomalies = anoms
	var errs []scan.Error
	for _, e := range c.Errors {
		if !strings.HasSuffix(e.Where, "signatures") {
			errs = append(errs, e)
		}
	}
	c.Errors = errs
	b, err = json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	tree = mapStrings(tree, func(s string) string { return poolIndex.ReplaceAllString(apkPaths(s), "value string #") })
	b, _ = json.Marshal(tree)
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	// IDs hash the first evidence's place: derive them again from the
	// normalised findings and flows, and rename every mention.
	ids := map[string]string{}
	for i := range c.Findings {
		f := &c.Findings[i]
		id := analysis.StableID(scan.Finding{Analyzer: f.Analyzer, Category: f.Category, Title: f.Title, Evidence: f.Evidence})
		ids[f.ID], f.ID = id, id
	}
	for i := range c.Flows {
		fl := &c.Flows[i]
		old := fl.ID
		fl.ID = ""
		fb, _ := json.Marshal(fl)
		sum := sha256.Sum256(fb)
		fl.ID = "flow-" + hex.EncodeToString(sum[:5])
		ids[old] = fl.ID
	}
	b, _ = json.Marshal(&c)
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	tree = mapStrings(tree, func(s string) string {
		if id, ok := ids[s]; ok {
			return id
		}
		return s
	})
	b, _ = json.Marshal(tree)
	c = scan.Report{}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	sort.SliceStable(c.Findings, func(i, j int) bool {
		a, b := c.Findings[i], c.Findings[j]
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		if a.Category != b.Category {
			return a.Category < b.Category
		}
		return a.ID < b.ID
	})
	sort.SliceStable(c.Flows, func(i, j int) bool { return c.Flows[i].ID < c.Flows[j].ID })
	sort.SliceStable(c.Fields, func(i, j int) bool {
		a, b := c.Fields[i], c.Fields[j]
		if a.Layout != b.Layout {
			return a.Layout < b.Layout
		}
		return a.Evidence.Location < b.Evidence.Location
	})
	out, _ := json.MarshalIndent(&c, "", " ")
	return string(out)
}

// mapStrings applies fn to every string of a decoded JSON tree.
func mapStrings(v any, fn func(string) string) any {
	switch x := v.(type) {
	case string:
		return fn(x)
	case []any:
		for i := range x {
			x[i] = mapStrings(x[i], fn)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = mapStrings(e, fn)
		}
	}
	return v
}

// firstDiff names the first line where two documents differ, with some
// context.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			from := max(0, i-4)
			return fmt.Sprintf("line %d:\n  apk context:\n    %s\n  apk:    %s\n  bundle: %s", i+1, strings.Join(al[from:i], "\n    "), x, y)
		}
	}
	return ""
}

func scanBytes(t *testing.T, name string, data []byte) *scan.Report {
	t.Helper()
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, name, data, app.DefaultOptions())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer a.Close()
	r, err := detect.Scan(ctx, a, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func scanFile(t *testing.T, path string) *scan.Report {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer a.Close()
	r, err := detect.Scan(ctx, a, nil)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// TestBundlesReadLikeAPKs converts every corpus APK that aapt2 converts
// (and the demo app) to aapt2's proto form, lays it out as an App Bundle,
// scans both end to end and asserts that the two reports are the same:
// package, versions, labels in every locale, permissions, components, DEX
// files, findings with their evidence, fields, option lists, trackers,
// endpoints, watchlists, flows and the rest, with only what must differ
// normalised (see comparable).
func TestBundlesReadLikeAPKs(t *testing.T) {
	corpus.NeedTool(t, "aapt2")
	apks := []string{testapp.Demo(t)}
	if corpus.Present() || corpus.Required() {
		for _, p := range corpus.APKs(t) {
			if corpus.Name(p) != corpus.Name(apks[0]) {
				apks = append(apks, p)
			}
		}
	}
	var converted, refused, same, findings, evidence, perms, components, dexFiles, labels, fields, lists, endpoints int
	for _, apk := range apks {
		name := corpus.Name(apk)
		if *bundleFilter != "" && !strings.Contains(name, *bundleFilter) {
			continue
		}
		conv, err := aabtest.Convert(apk)
		if err != nil {
			var ce *aabtest.ConvertError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: %v", name, err)
			}
			refused++
			continue
		}
		converted++
		bundle, err := aabtest.BuildLike(apk, conv)
		if err != nil {
			t.Fatalf("%s: building the bundle: %v", name, err)
		}
		ar := scanFile(t, apk)
		br := scanBytes(t, name+".aab", bundle)
		// One module, base; each payload the APK carries opened is one
		// more part of the bundle, under the module.
		partsOK := br.File.Kind == string(app.KindAAB) && len(br.File.Parts) > 0 && br.File.Parts[0].Name == "base"
		for _, p := range br.File.Parts[min(1, len(br.File.Parts)):] {
			partsOK = partsOK && slices.ContainsFunc(ar.Embedded, func(e scan.Embedded) bool { return "base/"+e.Location == p.Name })
		}
		if !partsOK {
			t.Errorf("%s: the bundle reads as %q with parts %+v", name, br.File.Kind, br.File.Parts)
		}
		a, b := comparable(t, ar), comparable(t, br)
		if a != b {
			t.Errorf("%s: the bundle's report differs from the APK's at %s", name, firstDiff(a, b))
			if dir := os.Getenv("APPXRAY_E2E_DUMP"); dir != "" {
				base := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
				os.WriteFile(base+".apk.json", []byte(a), 0o644)
				os.WriteFile(base+".aab.json", []byte(b), 0o644)
			}
			continue
		}
		same++
		findings += len(ar.Findings)
		for _, f := range ar.Findings {
			evidence += len(f.Evidence)
		}
		perms += len(ar.Permissions)
		c := ar.Components
		components += len(c.Activities) + len(c.Services) + len(c.Receivers) + len(c.Providers)
		dexFiles += len(ar.Dex)
		labels += len(ar.App.Labels)
		fields += len(ar.Fields)
		lists += len(ar.OptionLists)
		endpoints += len(ar.Endpoints)
	}
	if *bundleFilter == "" && (corpus.Present() || corpus.Required()) && converted < 300 {
		t.Errorf("only %d corpus APKs converted (%d refused): expected the corpus's 330 or so", converted, refused)
	}
	t.Logf("aapt2 converted %d APKs (refused %d); %d bundles scanned end to end, each report identical to its APK's: %d findings with %d pieces of evidence, %d permissions, %d components, %d DEX files, %d labels, %d form fields, %d option lists, %d endpoints",
		converted, refused, same, findings, evidence, perms, components, dexFiles, labels, fields, lists, endpoints)
}

// The normalisation of comparable is itself checked: it maps a base
// module's paths, and only those.
func TestAPKPaths(t *testing.T) {
	for in, want := range map[string]string{
		"base/manifest/AndroidManifest.xml line 11":               "AndroidManifest.xml line 11",
		"base/dex/classes2.dex Lcom/x/Y;->z()V":                   "classes2.dex Lcom/x/Y;->z()V",
		"base/resources.pb @array/blood":                          "resources.arsc @array/blood",
		"base/res/layout/a.xml EditText @id/x":                    "res/layout/a.xml EditText @id/x",
		"base/root/kotlin/a.kotlin_builtins":                      "kotlin/a.kotlin_builtins",
		"base/assets/a.jpg!classes.dex Lx;":                       "assets/a.jpg!classes.dex Lx;",
		"in base/lib/x86/libfoo.so offset 0x10":                   "in lib/x86/libfoo.so offset 0x10",
		"https://example.com/base/res/x":                          "https://example.com/base/res/x",
		"Lcom/base/dex/Foo;":                                      "Lcom/base/dex/Foo;",
		"feature/dex/classes.dex Lx;":                             "feature/dex/classes.dex Lx;",
		"base/other/x":                                            "base/other/x",
		"classes.dex Lcom/example/base/res/R;":                    "classes.dex Lcom/example/base/res/R;",
		"assets/a.html line 3; base/assets/b.html line 4":         "assets/a.html line 3; assets/b.html line 4",
		"http://10.0.0.1/base/manifest/AndroidManifest.xml (url)": "http://10.0.0.1/base/manifest/AndroidManifest.xml (url)",
	} {
		if got := apkPaths(in); got != want {
			t.Errorf("apkPaths(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLinkedFeatureModule: a feature module as aapt2 links it (proto
// manifest with the dist: namespace, compiled attributes, its own table)
// beside the converted demo app: the module is the second part, with its
// split name, and its code is read under its own name.
func TestLinkedFeatureModule(t *testing.T) {
	corpus.NeedTool(t, "aapt2")
	demo := testapp.Demo(t)
	conv, err := aabtest.Convert(demo)
	if err != nil {
		t.Fatal(err)
	}
	dex, err := zipEntry(demo, "classes.dex")
	if err != nil {
		t.Fatal(err)
	}
	feature, err := aabtest.Feature(t.TempDir(), "scanner", `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    xmlns:dist="http://schemas.android.com/apk/distribution"
    package="org.appxray.demo.ijop" split="scanner" android:isFeatureSplit="true">
    <dist:module dist:title="Scanner"><dist:delivery><dist:install-time/></dist:delivery></dist:module>
    <application android:hasCode="true"/>
</manifest>
`, map[string][]byte{"classes.dex": dex, "assets/scanner/endpoints.txt": []byte(aabtest.DemoFeatureEndpoint + "\n")})
	if err != nil {
		t.Fatal(err)
	}
	data, err := aabtest.Build(conv, map[string]string{"scanner": feature})
	if err != nil {
		t.Fatal(err)
	}
	r := scanBytes(t, "linked.aab", data)
	if len(r.File.Parts) != 2 || r.File.Parts[1] != (scan.Part{Name: "scanner", Split: "scanner"}) {
		t.Errorf("parts %+v", r.File.Parts)
	}
	if len(r.Dex) != 2 || r.Dex[1].File != "scanner/dex/classes.dex" || r.Dex[1].Classes != r.Dex[0].Classes {
		t.Errorf("DEX files %+v", r.Dex)
	}
	found := false
	for _, e := range r.Endpoints {
		found = found || e.URL == aabtest.DemoFeatureEndpoint && len(e.FoundIn) > 0 && e.FoundIn[0].Location == "scanner/assets/scanner/endpoints.txt line 1"
	}
	if !found {
		t.Error("the feature module's asset is not read")
	}
	for _, e := range r.Errors {
		t.Errorf("error: %+v", e)
	}
}

// zipEntry reads one entry of a ZIP file.
func zipEntry(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(rc)
		}
	}
	return nil, fmt.Errorf("%s: no %s", path, name)
}
