package axml

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/res"
)

// TestGolden checks the committed sample documents against the output aapt
// gave for them (testdata/*.aapt.txt), so a clean clone has a parity check.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.xml")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".xml") + ".aapt.txt")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(data, DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(doc.Warnings) != 0 {
			t.Errorf("%s: warnings %v", f, doc.Warnings)
		}
		var buf bytes.Buffer
		doc.Dump(&buf)
		if _, diff := compareLines(buf.Bytes(), want); diff != "" {
			t.Errorf("%s: %s", f, diff)
		}
	}
}

func FuzzParse(f *testing.F) {
	// Committed real documents (testdata/seeds/README.md says where each
	// comes from) keep the target meaningful on a clean clone.
	files, _ := filepath.Glob("testdata/*.xml")
	seeds, _ := filepath.Glob("testdata/seeds/*.xml")
	for _, file := range append(files, seeds...) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range synthCases() {
		f.Add(c.doc)
	}
	// The framework's reading rules: a flooded element, deep nesting, an
	// attribute out of ID order, a package with a namespace.
	{
		b := newBuilder()
		a := b.strAttr("a", "b")
		b.start("", "manifest", 1)
		b.add(node(res.ChunkXMLStartElement, 2, NoIndex, cat(le32(NoIndex), le32(b.s("flood")), le16(20), le16(0), le16(0xffff), le16(0), le16(0), le16(0), attrBytes(a))))
		b.end("", "flood", 2)
		for range 100 {
			b.start("", "deep", 3)
		}
		for range 100 {
			b.end("", "deep", 3)
		}
		b.start("", "uses-permission", 4, b.strAttr("name", "p"))
		b.end("", "uses-permission", 4)
		b.end("", "manifest", 5)
		f.Add(b.bytes())
	}
	{
		b := newBuilder()
		vn, vc := b.attrName("versionName", 0x0101021c), b.attrName("versionCode", 0x0101021b)
		ns := b.s(androidNS)
		b.start("", "manifest", 1,
			attr{ns: ns, name: vn, raw: b.s("1"), typ: res.TypeString, data: b.s("1")},
			attr{ns: ns, name: vc, raw: NoIndex, typ: res.TypeIntDec, data: 7},
			attr{ns: b.s(""), name: b.s("package"), raw: b.s("x.y"), typ: res.TypeString, data: b.s("x.y")})
		b.end("", "manifest", 1)
		f.Add(b.bytes())
	}
	// A few real manifests and layouts of different builders.
	n := 0
	var apks []string
	if corpus.Present() {
		apks = corpus.APKs(f)
	}
	for _, apk := range apks {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue
		}
		for _, e := range xmlEntries(&zr.Reader) {
			if n < 30 && e.UncompressedSize64 < 16<<10 && (e.Name == "AndroidManifest.xml" || strings.HasPrefix(e.Name, "res/layout/")) {
				if b, err := readEntry(e); err == nil {
					f.Add(b)
					n++
				}
				break
			}
		}
		zr.Close()
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := DefaultLimits()
		lim.MaxDepth = 64
		doc, err := Parse(b, lim)
		if err != nil {
			if doc != nil {
				t.Fatal("document and error both returned")
			}
			return
		}
		if doc.Root == nil || len(doc.Roots) == 0 || doc.Roots[0] != doc.Root {
			t.Fatal("no root")
		}
		for _, id := range []uint32{0x01010003, 0x0101021b, 0x0101021c} {
			if a, ok := doc.Root.FrameworkAttr(id); ok {
				if b, ok := doc.Root.AttrByID(id); !ok || a.ResourceID != b.ResourceID {
					t.Fatalf("FrameworkAttr(0x%x) found what AttrByID does not", id)
				}
			}
		}
		if a, ok := doc.Root.PlainAttr(doc.Strings, "package"); ok && a.HasNamespace() {
			t.Fatal("PlainAttr returned a namespaced attribute")
		}
		var buf bytes.Buffer
		if err := doc.Dump(&buf); err != nil {
			t.Fatal(err)
		}
		// The tree stays within the input's proportions. (The dump's text
		// need not: attributes with a stride under 20 share their bytes, as
		// Android allows, so many attributes may name one long string; the
		// tree holds that string once.)
		nodes, attrs := 0, 0
		var walk func(e *Element)
		walk = func(e *Element) {
			nodes++
			attrs += len(e.Attrs)
			for _, c := range e.Children {
				walk(c)
			}
		}
		for _, r := range doc.Roots {
			walk(r)
		}
		if attrs > len(b)/4+1024 || nodes > len(b)/8+1 {
			t.Fatalf("%d elements and %d attributes from %d bytes of input", nodes, attrs, len(b))
		}
	})
}

func corpusEntry(b *testing.B, apkSuffix, entry string) []byte {
	b.Helper()
	for _, apk := range corpus.APKs(b) {
		if !strings.HasSuffix(apk, apkSuffix) {
			continue
		}
		zr, err := zip.OpenReader(apk)
		if err != nil {
			b.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if f.Name == entry {
				data, err := readEntry(f)
				if err != nil {
					b.Fatal(err)
				}
				return data
			}
		}
	}
	b.Fatalf("corpus has no %s!%s", apkSuffix, entry)
	return nil
}

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, apk, entry string }{
		{"framework-manifest", "android-framework-res/framework-res.apk", "AndroidManifest.xml"},
		{"big-layout", "android-framework-res/framework-res.apk", "res/layout/ssl_certificate.xml"},
		{"aapt2-manifest", "abcore/app-prod-debug.apk", "AndroidManifest.xml"},
	} {
		data := corpusEntry(b, bc.apk, bc.entry)
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(data, DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	data := corpusEntry(b, "android-framework-res/framework-res.apk", "AndroidManifest.xml")
	doc, _ := Parse(data, DefaultLimits())
	b.Run("framework-manifest-dump", func(b *testing.B) {
		for b.Loop() {
			doc.Dump(&bytes.Buffer{})
		}
	})
}
