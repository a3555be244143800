package app_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"appxray/app"
	"appxray/arsc"
	"appxray/internal/aabtest"
	"appxray/internal/corpus"
	"appxray/zipapk"
)

func pbFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus.Root(), "pbres", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pbNode encodes a proto XmlNode element (aabtest.Element).
var pbNode = aabtest.Element

// bundle zips a bundle's entries in the given order.
func bundle(entries ...any) []byte {
	var b bytes.Buffer
	z := zipWriter(&b)
	for i := 0; i < len(entries); i += 2 {
		z.add(entries[i].(string), entries[i+1].([]byte))
	}
	z.close()
	return b.Bytes()
}

// demoBundle is the demo app as a bundle built from the committed proto
// fixtures (pbres/testdata) and the APK's DEX file and assets, with a
// feature module "aaa" (which sorts before "base" by name, and still comes
// after it).
func demoBundle(t *testing.T) []byte {
	t.Helper()
	apk := demo(t)
	feature := pbNode("manifest", 1, [][2]string{{"package", "org.appxray.demo.ijop"}, {"split", "aaa"}})
	return bundle(
		"BundleConfig.pb", aabtest.BundleConfig(),
		"aaa/manifest/AndroidManifest.xml", feature,
		"aaa/dex/classes.dex", entry(t, apk, "classes.dex"),
		"aaa/assets/hosts.txt", []byte("http://aaa.example.org/upload\n"),
		"base/manifest/AndroidManifest.xml", pbFixture(t, "demo-manifest.xml.pb"),
		"base/resources.pb", pbFixture(t, "demo-resources.pb"),
		"base/dex/classes.dex", entry(t, apk, "classes.dex"),
		"base/assets/watch/packages.txt", entry(t, apk, "assets/watch/packages.txt"),
		"base/assets.pb", []byte{},
		"base/root/kotlin/x.kotlin_builtins", []byte("kotlin"),
		"base/res/raw/notes.xml", []byte("<?xml version=\"1.0\"?><notes/>"),
		"base/res/layout/compiled.xml", pbNode("LinearLayout", 7, nil, pbNode("EditText", 8, nil)),
		"BUNDLE-METADATA/com.android.tools.build.obfuscation/proguard.map", []byte("a -> b"),
	)
}

// TestBundle: a bundle is told by its content, whatever its name; each
// module is a part, the base first; its files read under the APK's names
// in the binary forms, its evidence names the bundle's own entries, and
// the manifest reads exactly like the APK's.
func TestBundle(t *testing.T) {
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "upload.bin", demoBundle(t), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindAAB || len(a.Parts) != 2 || a.Parts[0].Name != "base" || a.Parts[1].Name != "aaa" {
		t.Fatalf("kind %q, parts %d", a.Kind, len(a.Parts))
	}
	base, feat := a.Parts[0], a.Parts[1]
	if base.Module() == nil || base.Module().Name != "base" || feat.Module().Name != "aaa" {
		t.Errorf("modules %+v %+v", base.Module(), feat.Module())
	}
	if c := a.BundleConfig(); c == nil || c.BundletoolVersion != "1.15.6" {
		t.Errorf("bundle config %+v", c)
	}
	for entry, want := range map[string]string{
		"AndroidManifest.xml":       "base/manifest/AndroidManifest.xml",
		"classes.dex":               "base/dex/classes.dex",
		"resources.arsc":            "base/resources.pb",
		"assets/watch/packages.txt": "base/assets/watch/packages.txt",
		"kotlin/x.kotlin_builtins":  "base/root/kotlin/x.kotlin_builtins",
		"res/layout/compiled.xml":   "base/res/layout/compiled.xml",
	} {
		if got := base.Location(entry); got != want {
			t.Errorf("Location(%q) = %q, want %q", entry, got, want)
		}
		if base.Zip.Lookup(entry) == nil {
			t.Errorf("%s is not in the base module's view", entry)
		}
	}
	for _, outside := range []string{"BundleConfig.pb", "base/dex/classes.dex", "assets.pb", "hosts.txt", "assets/hosts.txt"} {
		if base.Zip.Lookup(outside) != nil {
			t.Errorf("the base module's view holds %s", outside)
		}
	}
	if feat.Location("assets/hosts.txt") != "aaa/assets/hosts.txt" {
		t.Errorf("feature asset at %q", feat.Location("assets/hosts.txt"))
	}

	// The manifest reads as the APK's does.
	want, err := app.OpenBytes(ctx, "demo.apk", demo(t), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got, exp := a.Info(), want.Info(); !reflect.DeepEqual(got, exp) {
		t.Errorf("bundle Info\n %+v\nAPK Info\n %+v", got, exp)
	}
	if app.SplitName(feat.Manifest()) != "aaa" {
		t.Errorf("feature split %q", app.SplitName(feat.Manifest()))
	}
	// ReadEntry gives the binary forms; the raw XML stays text.
	man, err := base.ReadEntry("AndroidManifest.xml")
	if err != nil || len(man) < 8 || man[0] != 0x03 || man[2] != 0x08 {
		t.Errorf("manifest as read: % x, %v", man[:min(len(man), 8)], err)
	}
	tab, err := base.ReadEntry("resources.arsc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := arsc.Parse(tab, arsc.Limits{}); err != nil {
		t.Errorf("resources.arsc as read: %v", err)
	}
	if base.Resources() == nil || base.Resources().Packages[0].Name != want.Resources().Packages[0].Name {
		t.Error("the bundle's table is not the APK's")
	}
	if raw, err := base.ReadEntry("res/raw/notes.xml"); err != nil || !bytes.HasPrefix(raw, []byte("<?xml")) {
		t.Errorf("res/raw/notes.xml read as %q, %v", raw, err)
	}
	doc, err := base.XML("res/layout/compiled.xml")
	if err != nil || doc.Root == nil || doc.Root.Name != "LinearLayout" || len(doc.Root.Children) != 1 || doc.Root.Children[0].Line != 8 {
		t.Fatalf("compiled layout: %+v, %v", doc, err)
	}
	// DecodeXML takes the proto bytes as stored too.
	raw, err := base.Zip.ReadFile(base.Zip.Lookup("res/layout/compiled.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if d, err := base.DecodeXML("res/layout/compiled.xml", raw); err != nil || d.Root.Name != "LinearLayout" {
		t.Errorf("DecodeXML of proto XML: %v", err)
	}

	// DEX files in load order, base first, named by their bundle entries.
	var locs []string
	for _, d := range a.Dex(ctx) {
		locs = append(locs, d.Location)
	}
	if strings.Join(locs, " ") != "base/dex/classes.dex aaa/dex/classes.dex" {
		t.Errorf("DEX files %q", locs)
	}
	// The bundle is signed as one JAR (here: not at all); only the base
	// module reports it.
	if base.Signatures() == nil || len(base.Signatures().Signers) != 0 || feat.Signatures() != nil {
		t.Errorf("signatures: base %+v, feature %+v", base.Signatures(), feat.Signatures())
	}
	if errs := a.Errors(); len(errs) != 0 {
		t.Errorf("errors %v", errs)
	}
}

// A file of root/ that would take the name of a file the module holds in
// its own directory is not read as it, and the bundle says so.
func TestBundleRootCollision(t *testing.T) {
	apk := demo(t)
	b := bundle(
		"BundleConfig.pb", aabtest.BundleConfig(),
		"base/root/classes.dex", []byte("dex\n035\x00 not the code"),
		"base/manifest/AndroidManifest.xml", pbFixture(t, "demo-manifest.xml.pb"),
		"base/dex/classes.dex", entry(t, apk, "classes.dex"),
	)
	a, err := app.OpenBytes(context.Background(), "c.aab", b, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	dexs := a.Dex(context.Background())
	if len(dexs) != 1 || dexs[0].Location != "base/dex/classes.dex" || dexs[0].File.Header.ClassDefsSize == 0 {
		t.Fatalf("DEX files %+v", dexs)
	}
	errs := a.Errors()
	if len(errs) != 1 || errs[0].Where != "base/root/classes.dex" || !strings.Contains(errs[0].Err.Error(), "base/dex/classes.dex") {
		t.Errorf("errors %v", errs)
	}
}

// Decoder offsets: an anomaly found in bytes appxray converted has no
// position in the file (-1); one the proto decoder finds keeps its offset
// in the bundle's entry. Both name the bundle's entry.
func TestBundleAnomalyOffsets(t *testing.T) {
	empty := protowire.AppendTag(nil, 3, protowire.BytesType) // a node with a source position only
	empty = protowire.AppendBytes(empty, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 2))
	man := pbNode("application", 1, [][2]string{{"package", "org.example.odd"}}, empty)
	a, err := app.OpenBytes(context.Background(), "odd.aab", bundle(
		"BundleConfig.pb", aabtest.BundleConfig(),
		"base/manifest/AndroidManifest.xml", man,
	), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	an := a.Anomalies()
	const where = "base/manifest/AndroidManifest.xml"
	root := findAnomaly(an, app.ManifestRootNotManifest, where)
	if len(root) != 1 || root[0].Offset != -1 || root[0].Part != "base" || !root[0].AndroidRejects {
		t.Errorf("root element anomaly %+v (all: %+v)", root, an)
	}
	node := findAnomaly(an, app.XMLMalformed, where)
	off := int64(bytes.Index(man, empty))
	if len(node) != 1 || node[0].Offset != off || node[0].Source != app.SourceXML {
		t.Errorf("proto decoder anomaly %+v, want offset %d", node, off)
	}
}

// Not every ZIP with a base/ directory is a bundle: without BundleConfig.pb
// it is refused as before.
func TestNotABundle(t *testing.T) {
	_, err := app.OpenBytes(context.Background(), "x.zip", bundle(
		"base/manifest/AndroidManifest.xml", pbFixture(t, "demo-manifest.xml.pb"),
	), app.DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "App Bundle") {
		t.Errorf("opened: %v", err)
	}
	var fe *zipapk.FormatError
	if errors.As(err, &fe) {
		t.Errorf("a well-formed ZIP refused as malformed: %v", err)
	}
}
