package app_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"strings"
	"sync"
	"testing"

	"appxray/app"
	"appxray/axml"
	"appxray/dex"
	"appxray/zipapk"
)

// dexPatch rewrites the demo app's real classes.dex.
type dexPatch struct {
	t *testing.T
	b []byte
	f *dex.File
}

func demoDex(t *testing.T) *dexPatch {
	t.Helper()
	b := bytes.Clone(entry(t, demo(t), "classes.dex"))
	f, err := dex.Parse(b, dex.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 0 {
		t.Fatalf("setup: the demo's DEX has warnings: %v", f.Warnings)
	}
	return &dexPatch{t: t, b: b, f: f}
}

// classDataOff is the offset of class_def i's class_data_off field.
func (d *dexPatch) classDataOff(i int) int {
	return int(d.f.Header.ClassDefsOff) + 32*i + 24
}

// resum sets file_size, the SHA-1 signature and the Adler-32 checksum, so
// that only the trick departs from the format.
func (d *dexPatch) resum() []byte {
	binary.LittleEndian.PutUint32(d.b[0x20:], uint32(len(d.b)))
	s := sha1.Sum(d.b[32:])
	copy(d.b[12:32], s[:])
	binary.LittleEndian.PutUint32(d.b[8:], adler32.Checksum(d.b[12:]))
	return d.b
}

// uleb reads an unsigned LEB128 at off.
func uleb(b []byte, off int) (uint32, int) {
	var v uint32
	for i := 0; ; i++ {
		c := b[off]
		off++
		v |= uint32(c&0x7f) << (7 * i)
		if c < 0x80 || i == 4 {
			return v, off
		}
	}
}

// firstCode returns the walk's first method with code.
func (d *dexPatch) firstCode() (codeOff int64, insns int64) {
	var code, start int64 = -1, -1
	d.f.Walk(context.Background(), func(m *dex.Method) error {
		if code < 0 && m.CodeOffset > 0 {
			code, start = m.CodeOffset, m.CodeOffset+16
		}
		return nil
	})
	if code < 0 {
		d.t.Fatal("no method with code")
	}
	return code, start
}

// TestDexWarningKinds: each DEX trick, built into the demo app's real
// classes.dex, is an app anomaly of its own kind (warningAnomaly), from
// the dex source, naming the part and entry and the offset the decoder
// names. Each is what ART does:
//   - DexLEB128NonCanonical: DecodeUnsignedLeb128 takes the fifth byte's
//     low four bits and drops the rest; the class is read, not dropped.
//   - DexSharedCode: dexlayout (and packers) point several methods at one
//     code_item; ART runs the same code for each.
//   - DexClassRejected: an unused opcode is a hard failure of
//     MethodVerifier (VerifyError when the class loads), while the rest of
//     the file runs.
//   - DexHeaderRejected: DexFileVerifier::CheckHeader refuses a checksum
//     that is not the Adler-32 of the file; the file is never loaded.
func TestDexWarningKinds(t *testing.T) {
	for _, tc := range []struct {
		kind    zipapk.AnomalyKind
		rejects bool
		detail  string
		// patch rewrites the file and returns the offset the anomaly
		// must name.
		patch func(d *dexPatch) int64
	}{
		{app.DexLEB128NonCanonical, false, "fifth byte 0x70", func(d *dexPatch) int64 {
			// class_def 0's class_data_item, copied to the end of the file
			// with static_fields_size written in five bytes.
			at := d.classDataOff(0)
			old := int(binary.LittleEndian.Uint32(d.b[at:]))
			p := old
			var counts [4]uint32
			for i := range counts {
				counts[i], p = uleb(d.b, p)
			}
			for range counts[0] + counts[1] {
				_, p = uleb(d.b, p)
				_, p = uleb(d.b, p)
			}
			for range counts[2] + counts[3] {
				_, p = uleb(d.b, p)
				_, p = uleb(d.b, p)
				_, p = uleb(d.b, p)
			}
			_, first := uleb(d.b, old)
			moved := len(d.b)
			v := counts[0]
			d.b = append(d.b, byte(v)|0x80, byte(v>>7)|0x80, byte(v>>14)|0x80, byte(v>>21)|0x80, byte(v>>28)|0x70)
			d.b = append(d.b, d.b[first:p]...)
			binary.LittleEndian.PutUint32(d.b[at:], uint32(moved))
			return int64(moved)
		}},
		{app.DexSharedCode, false, "shared by", func(d *dexPatch) int64 {
			// class_def 1 points at class_def 0's class data, so that each
			// code item of class 0 serves two methods.
			copy(d.b[d.classDataOff(1):], d.b[d.classDataOff(0):d.classDataOff(0)+4])
			return int64(d.f.Header.ClassDefsOff)
		}},
		{app.DexClassRejected, false, "unused opcode 0x3e", func(d *dexPatch) int64 {
			_, insns := d.firstCode()
			d.b[insns] = 0x3e
			return insns
		}},
		{app.DexHeaderRejected, true, "checksum", func(d *dexPatch) int64 {
			d.resum()
			d.b[8] ^= 0xff
			return 8
		}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			d := demoDex(t)
			pristine := 0
			d.f.Walk(context.Background(), func(*dex.Method) error { pristine++; return nil })
			off := tc.patch(d)
			if tc.kind != app.DexHeaderRejected {
				d.resum()
			}
			data := rezip(t, demo(t), map[string][]byte{"classes.dex": d.b})
			for _, in := range []struct {
				name, part string
				data       []byte
			}{
				{"apk", "", data},
				{"split set", "base.apk", demoSet(t, data, rezip(t, demo(t), map[string][]byte{}))},
			} {
				a, err := app.OpenBytes(context.Background(), in.name, in.data, app.DefaultOptions())
				if err != nil {
					t.Fatal(err)
				}
				files := a.Dex(context.Background())
				if len(files) == 0 {
					t.Fatalf("%s: no DEX: %v", in.name, a.Errors())
				}
				// The analyzers walk a file several times, at once: what a
				// walk finds is still recorded once.
				counts := make([]int, 3)
				var wg sync.WaitGroup
				for i := range counts {
					wg.Go(func() {
						if err := files[0].File.Walk(context.Background(), func(*dex.Method) error { counts[i]++; return nil }); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				methods := counts[0]
				if methods == 0 || (tc.kind != app.DexSharedCode && methods != pristine) {
					// Only sharing adds methods (class 1 takes class 0's).
					t.Errorf("%s: %d methods walked, the pristine file has %d", in.name, methods, pristine)
				}
				got := findAnomaly(a.Anomalies(), tc.kind, "classes.dex")
				if len(got) != 1 {
					t.Errorf("%s: %s anomalies %v; all: %v", in.name, tc.kind, got, a.Anomalies())
					continue
				}
				g := got[0]
				if g.Part != in.part || g.Source != app.SourceDex || g.Offset != off || g.AndroidRejects != tc.rejects || !strings.Contains(g.Detail, tc.detail) {
					t.Errorf("%s: %s = part %q source %q offset 0x%x rejects %v %q; want part %q source dex offset 0x%x rejects %v, detail with %q",
						in.name, tc.kind, g.Part, g.Source, g.Offset, g.AndroidRejects, g.Detail, in.part, off, tc.rejects, tc.detail)
				}
			}
		})
	}
}

// TestStringReaderMismatch: the demo's res/layout/suspicious.xml has a
// UTF-8 pool; give "TextView" a wrong UTF-16 length. StringBlock
// (android_content_res_StringBlock.cpp nativeGetString: string8At, then
// NewStringUTF) reads it by its UTF-8 byte length, so the layout still
// holds TextViews for Android; ResStringPool::stringAt (aapt) refuses it.
// The anomaly names the string's bytes (after its two length bytes).
func TestStringReaderMismatch(t *testing.T) {
	const layout = "res/layout/suspicious.xml"
	b := bytes.Clone(entry(t, demo(t), layout))
	doc, err := axml.Parse(b, axml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Strings
	if !p.IsUTF8() {
		t.Fatal("setup: the layout's pool is not UTF-8 any more")
	}
	idx := uint32(0)
	for ; idx < uint32(p.Len()); idx++ {
		if s, _ := p.String(idx); s == "TextView" {
			break
		}
	}
	rec := p.Header.Offset + int64(p.StringsStart) + int64(binary.LittleEndian.Uint32(b[p.Header.DataOffset()+4*int64(idx):]))
	if b[rec] != 8 || b[rec+1] != 8 {
		t.Fatalf("setup: string #%d record %x", idx, b[rec:rec+2])
	}
	b[rec] = 7 // the UTF-16 length
	a, err := app.OpenBytes(context.Background(), "x.apk", rezip(t, demo(t), map[string][]byte{layout: b}), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	x, err := a.Base().XML(layout)
	if err != nil {
		t.Fatal(err)
	}
	views := 0
	var walk func(e *axml.Element)
	walk = func(e *axml.Element) {
		if e.Name == "TextView" {
			views++
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(x.Root)
	if views == 0 {
		t.Error("no TextView read: not what PackageManager reads")
	}
	got := findAnomaly(a.Anomalies(), app.StringReaderMismatch, layout)
	if len(got) != 1 {
		t.Fatalf("reader-mismatch anomalies %v", got)
	}
	g := got[0]
	want := fmt.Sprintf("string #%d: PackageManager reads \"TextView\"; the native reader (aapt) cannot", idx)
	if g.Source != app.SourceXML || g.Part != "" || g.Offset != rec+2 || !strings.Contains(g.Detail, want) {
		t.Errorf("anomaly = %+v; want source xml at the string's bytes 0x%x, detail with %q", g, rec+2, want)
	}
}
