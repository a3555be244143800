package manifest

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/axml"
	"appxray/internal/corpus"
)

// apkOf builds a stored (uncompressed) ZIP holding the given entries.
func apkOf(t testing.TB, entries ...[2][]byte) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		if e[1] == nil {
			continue
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: string(e[0]), Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		f.Write(e[1])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readSeed(f testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// corpusSeeds reads the manifest and resource table of a few corpus APKs
// with archive/zip, when the corpus is set up.
func corpusSeeds(f *testing.F, max int) [][2][]byte {
	if _, err := os.Stat(filepath.Join(corpus.Root(), ".corpus", "list.txt")); err != nil {
		return nil
	}
	var out [][2][]byte
	for _, p := range corpus.APKs(f) {
		if len(out) >= max {
			break
		}
		// Prefer the real apps over the tiny signing test files.
		if strings.Contains(p, "/signing/") {
			continue
		}
		z, err := zip.OpenReader(p)
		if err != nil {
			continue // archive/zip cannot read it: no seed, nothing to assert
		}
		var man, arsc []byte
		for _, e := range z.File {
			if e.Name != "AndroidManifest.xml" && e.Name != "resources.arsc" {
				continue
			}
			if e.UncompressedSize64 > 1<<20 {
				continue
			}
			r, err := e.Open()
			if err != nil {
				continue
			}
			b, _ := io.ReadAll(r)
			r.Close()
			if e.Name == "AndroidManifest.xml" {
				man = b
			} else {
				arsc = b
			}
		}
		z.Close()
		if man != nil {
			out = append(out, [2][]byte{man, arsc})
		}
	}
	return out
}

// FuzzManifest runs the analyzer on an APK made of a fuzzed manifest and
// resource table: it must neither panic (which the framework turns into
// an analyzer error) nor report a finding without proper evidence.
func FuzzManifest(f *testing.F) {
	f.Add(readSeed(f, "demo-AndroidManifest.xml"), readSeed(f, "demo-resources.arsc"))
	f.Add(readSeed(f, "demo-AndroidManifest.xml"), []byte(nil))
	for _, s := range corpusSeeds(f, 3) {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, manifest, arsc []byte) {
		data := apkOf(t, [2][]byte{[]byte("AndroidManifest.xml"), manifest}, [2][]byte{[]byte("resources.arsc"), arsc})
		ctx := context.Background()
		a, err := app.OpenBytes(ctx, "fuzz.apk", data, app.DefaultOptions())
		if err != nil {
			return
		}
		defer a.Close()
		res, err := analysis.Run(ctx, a, nil, Analyzers)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) > 0 {
			t.Fatalf("analyzer error: %v", res.Errors)
		}
		for _, fd := range res.Findings {
			checkFinding(t, fd)
		}
	})
}

// FuzzNetworkConfig parses a fuzzed network security config and runs the
// cleartext rule over it.
func FuzzNetworkConfig(f *testing.F) {
	f.Add(readSeed(f, "nsc-aapt.xml"))
	f.Add(readSeed(f, "nsc-aapt2.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _ := axml.Parse(data, axml.DefaultLimits())
		if doc == nil || doc.Root == nil {
			return
		}
		nc := &networkConfig{Ref: "@xml/nsc", File: "res/xml/nsc.xml", Location: "res/xml/nsc.xml"}
		parseNetworkConfig(nc, doc.Root)
		for _, target := range []string{"26", "34"} {
			for _, fd := range check(&input{Info: info(target, nil), File: "AndroidManifest.xml", NSC: nc}) {
				checkFinding(t, fd)
			}
		}
	})
}

// The seeds must exercise the network security config: a fuzz target that
// never reaches the code it is meant for proves nothing.
func TestNetworkConfigSeeds(t *testing.T) {
	for _, n := range []string{"nsc-aapt.xml", "nsc-aapt2.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := axml.Parse(b, axml.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		nc := &networkConfig{}
		parseNetworkConfig(nc, doc.Root)
		if nc.Base == nil || nc.Base.Permitted == nil || *nc.Base.Permitted ||
			len(nc.Domains) != 1 || len(nc.Domains[0].Domains) != 1 || nc.Domains[0].Domains[0] != "*.cleartext.example.org" {
			t.Errorf("%s: base %+v domains %+v", n, nc.Base, nc.Domains)
		}
	}
}

// BenchmarkAnalyzer measures the analyzer alone on the largest corpus APK
// (appium-uiautomator2-server, 18 MB), opened once.
func BenchmarkAnalyzer(b *testing.B) {
	var path string
	for _, p := range corpus.APKs(b) {
		if strings.HasSuffix(p, "appium-uiautomator2-server-v10.6.6.apk") {
			path = p
		}
	}
	if path == "" {
		b.Fatal("appium-uiautomator2-server-v10.6.6.apk is not in the corpus")
	}
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	b.ResetTimer()
	for b.Loop() {
		res, err := analysis.Run(ctx, a, nil, Analyzers)
		if err != nil || len(res.Errors) > 0 {
			b.Fatal(err, res.Errors)
		}
	}
}

// BenchmarkOpenAndAnalyze includes opening the APK (hashing it, reading the
// central directory, manifest and resource table) on each round.
func BenchmarkOpenAndAnalyze(b *testing.B) {
	var path string
	for _, p := range corpus.APKs(b) {
		if strings.HasSuffix(p, "io.appium.settings/package/apks/settings_apk-debug.apk") {
			path = p
		}
	}
	if path == "" {
		b.Fatal("settings_apk-debug.apk is not in the corpus")
	}
	ctx := context.Background()
	for b.Loop() {
		a, err := app.Open(ctx, path, app.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		res, err := analysis.Run(ctx, a, nil, Analyzers)
		a.Close()
		if err != nil || len(res.Errors) > 0 {
			b.Fatal(err, res.Errors)
		}
	}
}

// TestControlInNames runs the channel on the demo manifest with a NUL and
// an escape written into its package name (the string pool is UTF-16), so
// that every receiver name built from it holds them: no title, reason or
// evidence may carry them raw. FuzzManifest found the reason that did.
func TestControlInNames(t *testing.T) {
	manifest := readSeed(t, "demo-AndroidManifest.xml")
	at := bytes.Index(manifest, []byte("i\x00j\x00o\x00p\x00"))
	if at < 0 {
		t.Fatal("demo manifest: package name not found")
	}
	copy(manifest[at+4:], "\x00\x00\x1b\x00")
	data := apkOf(t, [2][]byte{[]byte("AndroidManifest.xml"), manifest}, [2][]byte{[]byte("resources.arsc"), readSeed(t, "demo-resources.arsc")})
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "nul.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, Analyzers)
	if err != nil {
		t.Fatal(err)
	}
	escaped := 0
	for _, fd := range res.Findings {
		checkFinding(t, fd)
		if strings.Contains(fd.Confidence.Reason, `ij\u0000\u001b.`) {
			escaped++
		}
	}
	if escaped == 0 {
		t.Errorf("no reason names a receiver with the escaped package; findings %d", len(res.Findings))
	}
}
