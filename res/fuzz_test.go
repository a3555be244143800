package res

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"appxray/internal/corpus"
)

// readZipEntry reads one entry of a corpus APK.
func readZipEntry(tb testing.TB, apk, name string) []byte {
	tb.Helper()
	zr, err := zip.OpenReader(apk)
	if err != nil {
		tb.Fatalf("%s: %v", apk, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				tb.Fatal(err)
			}
			return b
		}
	}
	tb.Fatalf("%s: no entry %s", apk, name)
	return nil
}

// corpusAPK finds a corpus APK by the end of its name.
func corpusAPK(tb testing.TB, suffix string) string {
	tb.Helper()
	for _, apk := range corpus.APKs(tb) {
		if strings.HasSuffix(apk, suffix) {
			return apk
		}
	}
	tb.Fatalf("corpus has no %s", suffix)
	return ""
}

func FuzzStringPool(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.pool")
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(testPool{utf8: true, recs: [][]byte{str8("bold"), str8("b")}, styles: [][]Span{{{Name: 1, LastChar: 3}}}}.build())
	f.Add(testPool{recs: [][]byte{str16([]uint16{'a', 0xd800}), str16(nil)}}.build())
	// Strings without terminators, and strings PackageManager's and the
	// native reader read differently.
	f.Add(testPool{utf8: true, recs: [][]byte{{3, 3, 'a', 'b', 'c'}, {2, 2, 'd', 'e', 0}}}.build())
	f.Add(testPool{recs: [][]byte{{3, 0, 'a', 0, 'b', 0, 'c', 0}, {1, 0, 'd', 0, 0, 0}}}.build())
	f.Add(testPool{utf8: true, recs: [][]byte{enc8("perm", 9), enc8("a\x00b", 3)}}.build())
	// Real pools: manifests (UTF-16, aapt) and small tables (UTF-8).
	n := 0
	var apks []string
	if corpus.Present() {
		apks = corpus.APKs(f)
	}
	for _, apk := range apks {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue // broken containers are covered by the zip tests
		}
		for _, e := range zr.File {
			if (e.Name == "AndroidManifest.xml" || e.Name == "resources.arsc") && e.UncompressedSize64 < 64<<10 && n < 40 {
				rc, err := e.Open()
				if err != nil {
					continue
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				if len(b) >= 12 {
					f.Add(b[binary.LittleEndian.Uint16(b[2:]):])
					n++
				}
			}
		}
		zr.Close()
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		lim := Limits{MaxStrings: 1 << 16, MaxSpans: 64}
		p, err := ParseStringPool(b, 0, lim)
		if err != nil {
			return
		}
		// ContainsAny on a pool nothing has decoded yet agrees with String
		// on another, and records the same warnings.
		byString, _ := ParseStringPool(b, 0, lim)
		byBytes, _ := ParseStringPool(b, 0, lim)
		for i := range min(p.Len(), 4096) {
			s, serr := byString.String(uint32(i))
			has, err := byBytes.ContainsAny(uint32(i), ".:/")
			if (err == nil) != (serr == nil) || (err == nil && has != strings.ContainsAny(s, ".:/")) {
				t.Fatalf("string #%d %q (%v): ContainsAny = %v, %v", i, s, serr, has, err)
			}
		}
		if a, b := fmt.Sprint(byBytes.Warnings()), fmt.Sprint(byString.Warnings()); a != b {
			t.Fatalf("warnings after ContainsAny\n%s\nafter String\n%s", a, b)
		}
		for i := range min(p.Len(), 4096) {
			s, err1 := p.String(uint32(i))
			u, err2 := p.UTF16(uint32(i))
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("string #%d: String err %v, UTF16 err %v", i, err1, err2)
			}
			if err1 == nil && string(utf16.Decode(u)) != s {
				t.Fatalf("string #%d: String %q, UTF16 %q", i, s, string(utf16.Decode(u)))
			}
			if s2, err := p.String(uint32(i)); err1 == nil && (err != nil || s2 != s) {
				t.Fatalf("string #%d: memoised %q != %q", i, s2, s)
			}
			p.UTF8(uint32(i))
			p.Styles(uint32(i))
			if b, err := p.UTF8(uint32(i)); err == nil {
				// StringBlock's reading ends at the first NUL byte.
				if fw, err := p.FrameworkString(uint32(i)); err != nil || len(fw) > 3*len(b)+3 {
					t.Fatalf("string #%d: FrameworkString %q, %v from %d bytes", i, fw, err, len(b))
				}
			}
		}
	})
}

func BenchmarkStringPool(b *testing.B) {
	table := readZipEntry(b, corpusAPK(b, "android-framework-res/framework-res.apk"), "resources.arsc")
	b.SetBytes(int64(len(table)))
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := tablePool(table); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse+decode-all", func(b *testing.B) {
		for b.Loop() {
			p, err := tablePool(table)
			if err != nil {
				b.Fatal(err)
			}
			for i := range p.Len() {
				if _, err := p.String(uint32(i)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	p, _ := tablePool(table)
	b.Run("memoised", func(b *testing.B) {
		for b.Loop() {
			for i := range 1000 {
				p.String(uint32(i))
			}
		}
	})
}
