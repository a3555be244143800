package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/apksig"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/zipapk"
)

// entry reads one entry of a ZIP held in memory.
func entry(t *testing.T, apk []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(apk), int64(len(apk)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			var b bytes.Buffer
			if _, err := b.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	t.Fatalf("no entry %s", name)
	return nil
}

// findAnomaly returns the anomalies of one kind and entry.
func findAnomaly(as []app.Anomaly, kind zipapk.AnomalyKind, entry string) []app.Anomaly {
	var out []app.Anomaly
	for _, a := range as {
		if a.Kind == kind && a.Entry == entry {
			out = append(out, a)
		}
	}
	return out
}

// TestDecoderWarningsReachAnomalies: a warning of every decoder (the
// manifest's and a layout's binary XML, the resource table, a DEX file, the
// signatures) is an anomaly of the app naming its part, entry, source and
// offset, and says whether Android refuses what it describes.
func TestDecoderWarningsReachAnomalies(t *testing.T) {
	base := demo(t)
	arsc := entry(t, base, "resources.arsc")
	data := rezip(t, base, map[string][]byte{
		// ResXMLTree::setTo accepts bytes after the document.
		"AndroidManifest.xml":        append(entry(t, base, "AndroidManifest.xml"), 0, 0, 0, 0, 0, 0, 0, 0),
		"res/layout/person_form.xml": append(entry(t, base, "res/layout/person_form.xml"), 0, 0, 0, 0),
		// LoadedArsc refuses a table chunk longer than the data.
		"resources.arsc": arsc[:len(arsc)-64],
		// DexFileVerifier::CheckHeader refuses a file_size that is not the file's.
		"classes.dex": append(entry(t, base, "classes.dex"), make([]byte, 16)...),
	})
	split := rezip(t, data, map[string][]byte{})
	set := demoSet(t, data, split)
	for _, tc := range []struct {
		name, part string
		data       []byte
	}{
		{"apk", "", data},
		{"split set", "base.apk", set},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := app.OpenBytes(context.Background(), tc.name, tc.data, app.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Dex(context.Background())) == 0 {
				t.Fatal("no DEX")
			}
			if _, err := a.Base().XML("res/layout/person_form.xml"); err != nil {
				t.Fatal(err)
			}
			all := a.Anomalies()
			for _, want := range []struct {
				kind    zipapk.AnomalyKind
				entry   string
				source  string
				offset  int64
				rejects bool
				detail  string
			}{
				{app.XMLMalformed, "AndroidManifest.xml", app.SourceXML, 4, false, "8 bytes after the document"},
				{app.XMLMalformed, "res/layout/person_form.xml", app.SourceXML, 4, false, "4 bytes after the document"},
				{app.ResourceTableMalformed, "resources.arsc", app.SourceResources, 4, true, "truncated resources.arsc"},
				{app.DexHeaderRejected, "classes.dex", app.SourceDex, 0x20, true, "file_size"},
				{app.SignatureProblem, "META-INF/APPXRAY.SF", app.SourceSignature, 0, true, "v1 signer 1"},
			} {
				got := findAnomaly(all, want.kind, want.entry)
				if len(got) == 0 {
					t.Errorf("no %s anomaly for %s; anomalies: %v", want.kind, want.entry, all)
					continue
				}
				g := got[0]
				if g.Part != tc.part || g.Source != want.source || g.Offset != want.offset || g.AndroidRejects != want.rejects || !strings.Contains(g.Detail, want.detail) {
					t.Errorf("%s %s = part %q source %q offset 0x%x rejects %v %q; want part %q source %q offset 0x%x rejects %v, detail with %q",
						want.kind, want.entry, g.Part, g.Source, g.Offset, g.AndroidRejects, g.Detail, tc.part, want.source, want.offset, want.rejects, want.detail)
				}
			}
		})
	}
}

// demoSet builds a split set of a base APK and a split (whose manifest
// says split="config.x").
func demoSet(t *testing.T, base, split []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct {
		name string
		data []byte
	}{{"base.apk", base}, {"split_config.x.apk", stripEntry(t, split, "AndroidManifest.xml")}} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}

// zw is a small ZIP writer for split sets.
type zw struct{ w *zip.Writer }

func zipWriter(b *bytes.Buffer) *zw { return &zw{w: zip.NewWriter(b)} }

func (z *zw) add(name string, data []byte) {
	w, err := z.w.Create(name)
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		panic(err)
	}
}

func (z *zw) close() { z.w.Close() }

// TestEachDex: EachDex visits the DEX files one at a time, in Dex's order,
// and the anomalies of each (here a file_size ART refuses) are recorded
// once it has been visited.
func TestEachDex(t *testing.T) {
	base := demo(t)
	data := rezip(t, base, map[string][]byte{
		"classes.dex":  append(entry(t, base, "classes.dex"), make([]byte, 16)...),
		"classes2.dex": entry(t, base, "classes.dex"),
	})
	a, err := app.OpenBytes(context.Background(), "x.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for range 2 { // the second pass records nothing twice
		seen = nil
		err = a.EachDex(context.Background(), func(d *app.DexFile) error {
			seen = append(seen, d.Location)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(seen, ",") != "classes.dex,classes2.dex" {
		t.Errorf("visited %v", seen)
	}
	if got := findAnomaly(a.Anomalies(), app.DexHeaderRejected, "classes.dex"); len(got) != 1 {
		t.Errorf("DexHeaderRejected anomalies %v", got)
	}
	if got := a.Dex(context.Background()); len(got) != 2 {
		t.Errorf("Dex after EachDex: %d files", len(got))
	}
}

// TestMalformedV2BesideValidV1: ApkSignatureVerifier tries the newest
// scheme present and does not fall back: an APK Signature Scheme v2 block
// that is present but malformed makes Android 7.0 to 8.1 refuse the APK
// (9 and later verify its v3 signature), whatever its valid v1 signature
// says. The APK is apksig's own golden v1+v2+v3 test file.
func TestMalformedV2BesideValidV1(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(corpus.Root(), "zipapk", "testdata", "golden-aligned-v1v2v3-out.apk"))
	if err != nil {
		t.Fatal(err)
	}
	z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	block, _ := z.ReadSigningBlock()
	pairs, err := apksig.ParseSigningBlock(block)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		if p.ID == apksig.BlockIDV2 {
			// The signers sequence claims more bytes than the pair holds.
			binary.LittleEndian.PutUint32(b[z.SigningBlock.Offset+p.Offset+12:], 0x7fffffff)
		}
	}
	a, err := app.OpenBytes(context.Background(), "v1v2v3.apk", b, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	sigs := a.Base().Signatures()
	if !sigs.Verified(apksig.SchemeV1) || !sigs.Verified(apksig.SchemeV3) {
		t.Fatalf("setup: v1 %v, v3 %v", sigs.Verified(apksig.SchemeV1), sigs.Verified(apksig.SchemeV3))
	}
	var got []app.Anomaly
	for _, an := range kinds(a.Anomalies(), app.SignatureProblem) {
		if strings.Contains(an.Detail, "Scheme v2") {
			got = append(got, an)
		}
	}
	if len(got) != 1 || !got[0].AndroidRejects || !strings.Contains(got[0].Detail, "Android 7.0 to 8.1 refuse") {
		t.Errorf("v2 anomalies = %v", got)
	}
}
