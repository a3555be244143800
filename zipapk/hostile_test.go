package zipapk_test

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync"
	"testing"

	"appxray/zipapk"
)

func open(t *testing.T, b []byte) *zipapk.Reader {
	t.Helper()
	z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.DefaultLimits())
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	return z
}

// find returns the anomalies of one kind.
func find(z *zipapk.Reader, kind zipapk.AnomalyKind) []zipapk.Anomaly {
	var out []zipapk.Anomaly
	for _, a := range z.Anomalies() {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

func mustOne(t *testing.T, z *zipapk.Reader, kind zipapk.AnomalyKind) zipapk.Anomaly {
	t.Helper()
	got := find(z, kind)
	if len(got) != 1 {
		t.Fatalf("want exactly one %s anomaly, got %d; all: %v", kind, len(got), z.Anomalies())
	}
	return got[0]
}

func readAll(t *testing.T, z *zipapk.Reader) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, e := range z.Entries {
		b, err := z.ReadFile(e)
		if err != nil {
			t.Fatalf("ReadFile(%q): %v", e.Name, err)
		}
		out[e.Name] = b
	}
	return out
}

var (
	textA = []byte(strings.Repeat("the quick brown fox jumps over the lazy dog\n", 40))
	textB = []byte("second entry\n")
)

func TestValidArchive(t *testing.T) {
	zb := &zipBuilder{Entries: []bEntry{
		stored("resources.arsc", textB),
		deflated("AndroidManifest.xml", textA),
		streamedEntry("classes.dex", textA, true),
		streamedEntry("assets/nosig.bin", textB, false),
		stored("assets/", nil),
		deflated("empty.txt", nil),
	}}
	b := zb.Build()
	z := open(t, b)
	if len(z.Entries) != 6 {
		t.Fatalf("got %d entries, want 6", len(z.Entries))
	}
	got := readAll(t, z)
	want := map[string][]byte{"resources.arsc": textB, "AndroidManifest.xml": textA, "classes.dex": textA,
		"assets/nosig.bin": textB, "assets/": nil, "empty.txt": nil}
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s: got %d bytes, want %d", name, len(got[name]), len(w))
		}
	}
	if a := z.Anomalies(); len(a) != 0 {
		t.Errorf("valid archive has anomalies: %v", a)
	}
	for i, e := range z.Entries {
		if e.HeaderOffset != zb.HeaderOffs[i] {
			t.Errorf("%s: header offset 0x%x, want 0x%x", e.Name, e.HeaderOffset, zb.HeaderOffs[i])
		}
		if want := zb.HeaderOffs[i] + 30 + int64(len(e.Name)); e.DataOffset != want {
			t.Errorf("%s: data offset 0x%x, want 0x%x", e.Name, e.DataOffset, want)
		}
	}
	if z.Lookup("classes.dex") != z.Entries[2] || z.Lookup("missing") != nil {
		t.Error("Lookup returned the wrong entry")
	}
	if z.CentralDirectoryOffset != zb.CentralOffs[0] || z.EndOffset != zb.EndOff {
		t.Errorf("central directory at 0x%x, end at 0x%x; want 0x%x, 0x%x", z.CentralDirectoryOffset, z.EndOffset, zb.CentralOffs[0], zb.EndOff)
	}
	if z.SigningBlock != nil {
		t.Errorf("unexpected signing block %+v", z.SigningBlock)
	}
}

// TestAnomalies builds one wrong archive per case and checks the reader names
// exactly what is wrong, where, and whether Android would refuse it.
func TestAnomalies(t *testing.T) {
	prefix := []byte("#!/bin/sh\necho polyglot\nexit 0\n")
	cases := []struct {
		name    string
		zb      *zipBuilder
		kind    zipapk.AnomalyKind
		entry   string
		rejects bool
		offset  func(zb *zipBuilder) int64
		detail  string
		check   func(t *testing.T, z *zipapk.Reader)
	}{
		{
			name: "local name differs", kind: zipapk.LocalHeaderMismatch, entry: "a.txt", rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{func() bEntry { e := stored("a.txt", textB); e.LName = ptr("b.txt"); return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] }, detail: `local "b.txt"`,
		},
		{
			name: "local method differs", kind: zipapk.LocalHeaderMismatch, entry: "a.txt", rejects: false,
			zb:     &zipBuilder{Entries: []bEntry{func() bEntry { e := deflated("a.txt", textA); e.LMethod = ptr[uint16](0); return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] }, detail: "method: central 8, local 0",
			check: func(t *testing.T, z *zipapk.Reader) {
				// Android uses the central directory's method: the data inflates.
				if b, err := z.ReadFile(z.Entries[0]); err != nil || !bytes.Equal(b, textA) {
					t.Errorf("ReadFile: %v, %d bytes", err, len(b))
				}
			},
		},
		{
			name: "local sizes differ", kind: zipapk.LocalHeaderMismatch, entry: "a.txt", rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{func() bEntry { e := stored("a.txt", textB); e.LUSize = ptr[uint32](1); return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] }, detail: "sizes:",
		},
		{
			name: "local CRC differs", kind: zipapk.LocalHeaderMismatch, entry: "a.txt", rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{func() bEntry { e := stored("a.txt", textB); e.LCRC = ptr[uint32](7); return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] }, detail: "CRC-32",
		},
		{
			name: "unknown method", kind: zipapk.UnknownMethod, entry: "x.bin", rejects: true,
			zb: &zipBuilder{Entries: []bEntry{func() bEntry {
				e := stored("x.bin", textB)
				e.Method, e.LMethod = 99, ptr[uint16](99)
				return e
			}()}},
			offset: func(zb *zipBuilder) int64 { return zb.CentralOffs[0] + 10 }, detail: "method 99",
			check: func(t *testing.T, z *zipapk.Reader) {
				if b, err := z.ReadFile(z.Entries[0]); err != nil || !bytes.Equal(b, textB) {
					t.Errorf("unknown method not read as stored: %v, %q", err, b)
				}
			},
		},
		{
			name: "fake encryption", kind: zipapk.EncryptionFlag, entry: "classes.dex",
			zb:     &zipBuilder{Entries: []bEntry{func() bEntry { e := deflated("classes.dex", textA); e.Flags |= 1; return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.CentralOffs[0] + 8 }, detail: "encryption bit",
			check: func(t *testing.T, z *zipapk.Reader) {
				if b, err := z.ReadFile(z.Entries[0]); err != nil || !bytes.Equal(b, textA) {
					t.Errorf("fake-encrypted entry not read: %v", err)
				}
			},
		},
		{
			name: "duplicate names", kind: zipapk.DuplicateName, entry: "classes.dex", rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{stored("classes.dex", textB), deflated("classes.dex", textA)}},
			offset: func(zb *zipBuilder) int64 { return zb.CentralOffs[1] }, detail: "Lookup returns entry 0",
			check: func(t *testing.T, z *zipapk.Reader) {
				e := z.Lookup("classes.dex")
				if e != z.Entries[0] {
					t.Fatalf("Lookup returned entry %d, want the first", e.Index)
				}
				if b, _ := z.ReadFile(e); !bytes.Equal(b, textB) {
					t.Errorf("Lookup entry holds %q", b)
				}
				if b, _ := z.ReadFile(z.Entries[1]); !bytes.Equal(b, textA) {
					t.Error("second duplicate not readable")
				}
			},
		},
		{
			name: "prefix bytes", kind: zipapk.PrefixBytes, rejects: true,
			zb:     &zipBuilder{Prefix: prefix, Entries: []bEntry{stored("a.txt", textB)}},
			offset: func(*zipBuilder) int64 { return 0 }, detail: fmt.Sprintf("%d bytes", len(prefix)),
			check: func(t *testing.T, z *zipapk.Reader) { readAll(t, z) },
		},
		{
			name: "hidden local entry before the first referenced one", kind: zipapk.PrefixBytes, rejects: false,
			zb: &zipBuilder{Entries: []bEntry{
				func() bEntry { e := stored("hidden.dex", textA); e.NoCentral = true; return e }(),
				stored("a.txt", textB),
			}},
			offset: func(*zipBuilder) int64 { return 0 }, detail: "unreferenced local header",
		},
		{
			name: "trailing bytes after the EOCD", kind: zipapk.TrailingBytes, rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}, Trailing: []byte("junk")},
			offset: func(zb *zipBuilder) int64 { return zb.EndOff + 20 }, detail: "comment of 0 bytes",
		},
		{
			name: "garbage between central directory and EOCD", kind: zipapk.CentralDirectoryGap,
			zb:     &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}, Gap: []byte("GARBAGE")},
			offset: func(zb *zipBuilder) int64 { return zb.EndOff - 7 }, detail: "7 bytes",
		},
		{
			name: "fake EOCD at the end of the comment (Android uses it)", kind: zipapk.MultipleEOCD,
			zb: func() *zipBuilder {
				zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}}
				real := zb.Build()
				fake := append([]byte(nil), real[zb.EndOff:]...) // same pointers, empty comment
				return &zipBuilder{Entries: zb.Entries, Comment: append([]byte("note:"), fake...)}
			}(),
			offset: func(zb *zipBuilder) int64 { return zb.EndOff + 22 + 5 }, detail: "using 0x",
			check: func(t *testing.T, z *zipapk.Reader) {
				if z.Comment != "" {
					t.Errorf("comment %q: the fake record's (empty) comment should win", z.Comment)
				}
			},
		},
		{
			name: "fake EOCD inside the comment (Android rejects)", kind: zipapk.MultipleEOCD, rejects: true,
			zb: func() *zipBuilder {
				zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}}
				real := zb.Build()
				fake := append([]byte(nil), real[zb.EndOff:]...)
				return &zipBuilder{Entries: zb.Entries, Comment: append(fake, "more comment"...)}
			}(),
			offset: func(zb *zipBuilder) int64 { return zb.EndOff }, detail: "Android uses the last one",
		},
		{
			name: "two central entries share one local header", kind: zipapk.OverlappingEntries, entry: "b.txt",
			zb: &zipBuilder{Entries: []bEntry{
				deflated("a.txt", textA),
				func() bEntry { e := deflated("a.txt", textA); e.Name, e.NoLocal, e.SameAs = "b.txt", true, 0; return e }(),
			}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] }, detail: `overlaps entry 0 "a.txt"`,
		},
		{
			name: "payload hidden between entries", kind: zipapk.UnreferencedBytes,
			zb: &zipBuilder{Entries: []bEntry{
				func() bEntry { e := stored("a.txt", textB); e.Desc = []byte("hidden payload"); return e }(),
				stored("b.txt", textB),
			}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] + 30 + 5 + int64(len(textB)) }, detail: `14 bytes between entry "a.txt" and entry "b.txt"`,
		},
		{
			name: "nested archive holding an EOCD signature is not a competing EOCD", kind: zipapk.LocalHeaderMismatch, entry: "x", rejects: true,
			zb: &zipBuilder{Entries: []bEntry{
				func() bEntry {
					e := stored("x", textB)
					e.LCRC = ptr[uint32](1) // some anomaly, so the case asserts there is no other
					return e
				}(),
				stored("inner.zip", (&zipBuilder{Entries: []bEntry{stored("i", textB)}}).Build()),
			}},
			offset: func(zb *zipBuilder) int64 { return 0 }, detail: "CRC-32",
			check: func(t *testing.T, z *zipapk.Reader) {
				if got := find(z, zipapk.MultipleEOCD); len(got) != 0 {
					t.Errorf("nested archive reported: %v", got)
				}
			},
		},
		{
			name: "central directory entry count lies", kind: zipapk.CentralDirectoryTruncated, rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{stored("a", []byte("x"))}, Count: ptr[uint16](65535)},
			offset: func(zb *zipBuilder) int64 { return zb.EndOff }, detail: "1 of 65535",
		},
		{
			name: "central directory size runs into the EOCD", kind: zipapk.CentralDirectoryOverrun, rejects: true,
			zb: func() *zipBuilder {
				zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}}
				zb.Build()
				return &zipBuilder{Entries: zb.Entries, CDSize: ptr(uint32(zb.EndOff-zb.CentralOffs[0]) + 1)}
			}(),
			offset: func(zb *zipBuilder) int64 { return zb.EndOff + 12 }, detail: "runs past",
		},
		{
			name: "data descriptor disagrees", kind: zipapk.DataDescriptorMismatch, entry: "s.bin", rejects: true,
			zb: &zipBuilder{Entries: []bEntry{func() bEntry {
				e := streamedEntry("s.bin", textA, true)
				e.Desc[4] ^= 0xff
				return e
			}()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] + 30 + 5 + int64(len(zb.Entries[0].Raw)) }, detail: "descriptor says",
		},
		{
			name: "local header offset points nowhere", kind: zipapk.BadLocalHeader, entry: "a.txt", rejects: true,
			zb:     &zipBuilder{Entries: []bEntry{stored("x.txt", textA), func() bEntry { e := stored("a.txt", textB); e.OffDelta = 3; return e }()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[1] + 3 }, detail: "bad local header signature",
			check: func(t *testing.T, z *zipapk.Reader) {
				if _, err := z.ReadFile(z.Entries[1]); err == nil {
					t.Error("ReadFile of an entry without local header succeeded")
				}
				if b, err := z.ReadFile(z.Entries[0]); err != nil || !bytes.Equal(b, textA) {
					t.Error("the good entry is not readable")
				}
			},
		},
		{
			name: "stored entry data runs into the central directory", kind: zipapk.EntryOutOfBounds, entry: "a.txt", rejects: true,
			zb: &zipBuilder{Entries: []bEntry{func() bEntry {
				e := stored("a.txt", textB)
				e.USize, e.CSize = 60, 60
				return e
			}()}},
			offset: func(zb *zipBuilder) int64 { return zb.HeaderOffs[0] + 35 }, detail: "inside the central directory",
		},
		{
			name: "empty archive", kind: zipapk.EmptyArchive, rejects: true,
			zb:     &zipBuilder{},
			offset: func(zb *zipBuilder) int64 { return zb.EndOff + 10 }, detail: "no entries",
		},
		{
			name: "ZIP64 records", kind: zipapk.Zip64,
			zb:     &zipBuilder{Entries: []bEntry{stored("a.txt", textB), deflated("b.txt", textA)}, Zip64: true},
			offset: func(zb *zipBuilder) int64 { return zb.EndOff - 20 - 56 }, detail: "ZIP64 end",
			check: func(t *testing.T, z *zipapk.Reader) {
				got := readAll(t, z)
				if !bytes.Equal(got["a.txt"], textB) || !bytes.Equal(got["b.txt"], textA) {
					t.Error("ZIP64 archive read wrongly")
				}
			},
		},
		{
			name: "signing block sizes differ", kind: zipapk.SigningBlockMalformed, rejects: true,
			zb: &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}, SigBlock: func() []byte {
				b := sigBlock(0x7109871a, []byte("v2 block"))
				b[0]++
				return b
			}()},
			offset: func(zb *zipBuilder) int64 {
				return zb.CentralOffs[0] - int64(len(sigBlock(0x7109871a, []byte("v2 block"))))
			}, detail: "sizes differ",
			check: func(t *testing.T, z *zipapk.Reader) {
				if z.SigningBlock != nil {
					t.Error("malformed signing block reported as present")
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.zb.Build()
			z := open(t, b)
			a := mustOne(t, z, c.kind)
			if a.Entry != c.entry {
				t.Errorf("entry %q, want %q", a.Entry, c.entry)
			}
			if a.AndroidRejects != c.rejects {
				t.Errorf("AndroidRejects %v, want %v (%v)", a.AndroidRejects, c.rejects, a)
			}
			if want := c.offset(c.zb); a.Offset != want {
				t.Errorf("offset 0x%x, want 0x%x (%v)", a.Offset, want, a)
			}
			if !strings.Contains(a.Detail, c.detail) {
				t.Errorf("detail %q does not mention %q", a.Detail, c.detail)
			}
			if c.check != nil {
				c.check(t, z)
			}
		})
	}
}

func TestShiftedOffsets(t *testing.T) {
	zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB), deflated("b.txt", textA)}}
	inner := zb.Build()
	stub := []byte("MZ fake executable stub")
	b := append(append([]byte(nil), stub...), inner...) // cat stub archive.zip
	z := open(t, b)
	a := mustOne(t, z, zipapk.ShiftedOffsets)
	if !a.AndroidRejects || a.Offset != int64(len(stub))+zb.CentralOffs[0] {
		t.Errorf("got %v", a)
	}
	mustOne(t, z, zipapk.PrefixBytes)
	got := readAll(t, z)
	if !bytes.Equal(got["a.txt"], textB) || !bytes.Equal(got["b.txt"], textA) {
		t.Error("shifted archive read wrongly")
	}
}

func TestCRCMismatchIsLazy(t *testing.T) {
	e := deflated("classes.dex", textA)
	e.CRC ^= 1
	e.LCRC = ptr(e.CRC)
	z := open(t, (&zipBuilder{Entries: []bEntry{e}}).Build())
	if got := find(z, zipapk.CRCMismatch); len(got) != 0 {
		t.Fatalf("CRC mismatch reported before reading: %v", got)
	}
	for range 3 { // reading again must not repeat the anomaly
		b, err := z.ReadFile(z.Entries[0])
		if err != nil || !bytes.Equal(b, textA) {
			t.Fatalf("ReadFile: %v (Android does not check CRCs; the data must come back)", err)
		}
	}
	a := mustOne(t, z, zipapk.CRCMismatch)
	if a.Entry != "classes.dex" || a.AndroidRejects {
		t.Errorf("got %v", a)
	}
}

func TestHostileNames(t *testing.T) {
	cases := []struct {
		name, why string
		rejects   bool
	}{
		{"../../data/evil.so", `".." component`, false},
		{"lib/../../evil", `".." component`, false},
		{"/system/bin/sh", "absolute path", false},
		{"C:evil.dll", "absolute path", false},
		{`assets\..\x`, "backslash", false},
		{"classes.dex\x00.txt", "NUL byte", true},
		{"bad\xff\xfename", "invalid UTF-8", true},
		{"line\rbreak", "control character U+000D", false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%q", c.name), func(t *testing.T) {
			z := open(t, (&zipBuilder{Entries: []bEntry{stored("ok.txt", textB), stored(c.name, textB)}}).Build())
			a := mustOne(t, z, zipapk.HostileName)
			if a.Entry != c.name || !strings.Contains(a.Detail, c.why) || a.AndroidRejects != c.rejects {
				t.Errorf("got %v, want %q rejects=%v", a, c.why, c.rejects)
			}
			if e := z.Lookup(c.name); e == nil {
				t.Error("hostile name not found by Lookup")
			} else if b, err := z.ReadFile(e); err != nil || !bytes.Equal(b, textB) {
				t.Errorf("hostile entry not readable: %v", err)
			}
		})
	}
	z := open(t, (&zipBuilder{Entries: []bEntry{stored("assets/dir/ok..txt", textB)}}).Build())
	if got := find(z, zipapk.HostileName); len(got) != 0 {
		t.Errorf("harmless name flagged: %v", got)
	}
}

func TestFormatErrors(t *testing.T) {
	good := (&zipBuilder{Entries: []bEntry{stored("a.txt", textB)}}).Build()
	zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}, CDOffset: ptr[uint32](1 << 30)}
	badOff := zb.Build()
	cases := []struct {
		name   string
		b      []byte
		offset int64
		msg    string
	}{
		{"empty file", nil, 0, "too small"},
		{"no EOCD", bytes.Repeat([]byte("A"), 1000), 0, "not found"},
		{"central directory offset out of range", badOff, zb.EndOff + 16, "central directory offset"},
		{"EOCD only, cut", good[len(good)-10:], 0, "too small"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := zipapk.NewReader(bytes.NewReader(c.b), int64(len(c.b)), zipapk.DefaultLimits())
			var fe *zipapk.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a FormatError", err)
			}
			if fe.Offset != c.offset || !strings.Contains(fe.Msg, c.msg) {
				t.Errorf("got %v, want offset 0x%x and %q", fe, c.offset, c.msg)
			}
			if !strings.HasPrefix(fe.Error(), "zipapk: ") || !strings.Contains(fe.Error(), fmt.Sprintf("at offset 0x%x", c.offset)) {
				t.Errorf("error text %q", fe.Error())
			}
		})
	}
}

// TestTruncated cuts a valid archive at every length: no panic, and either a
// FormatError or a Reader whose every entry reads or fails cleanly.
func TestTruncated(t *testing.T) {
	b := (&zipBuilder{Entries: []bEntry{
		stored("a.txt", textB), deflated("b.txt", textA), streamedEntry("c.txt", textA, true),
	}}).Build()
	opened := 0
	for n := 0; n < len(b); n++ {
		for _, cut := range [][]byte{b[:n], b[n:]} {
			z, err := zipapk.NewReader(bytes.NewReader(cut), int64(len(cut)), zipapk.DefaultLimits())
			if err != nil {
				var fe *zipapk.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("cut %d: non-FormatError %T %v", n, err, err)
				}
				continue
			}
			opened++
			for _, e := range z.Entries {
				z.ReadFile(e)
			}
		}
	}
	t.Logf("%d of %d truncations still opened", opened, 2*len(b))
}

// zeroBomb returns a raw deflate stream inflating to n MiB of zeros, built by
// repeating a byte-aligned flushed block rather than compressing n MiB.
func zeroBomb(mib int) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Flush()
	chunk := append([]byte(nil), buf.Bytes()...)
	out := bytes.Repeat(chunk, mib)
	return append(out, 0x01, 0x00, 0x00, 0xff, 0xff) // final empty stored block
}

func bombEntry(name string, mib int, declared uint32) bEntry {
	raw := zeroBomb(mib)
	crc := crc32.Update(0, crc32.IEEETable, nil)
	zero := make([]byte, 1<<20)
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	return bEntry{Name: name, Raw: raw, Method: 8, CRC: crc, CSize: uint32(len(raw)), USize: declared}
}

func TestZipBomb(t *testing.T) {
	cases := []struct {
		name  string
		lim   zipapk.Limits
		mib   int
		limit string
	}{
		// 1 GiB of zeros: the ratio check stops it after the first MiB.
		{"ratio", zipapk.DefaultLimits(), 1024, "MaxRatio"},
		{"entry size", zipapk.Limits{MaxEntrySize: 8 << 20, MaxRatio: 1 << 40}, 16, "MaxEntrySize"},
		{"total", zipapk.Limits{MaxTotalInflated: 6 << 20, MaxRatio: 1 << 40}, 16, "MaxTotalInflated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			zb := &zipBuilder{Entries: []bEntry{bombEntry("bomb.bin", c.mib, 1000), stored("after.txt", textB)}}
			b := zb.Build()
			z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), c.lim)
			if err != nil {
				t.Fatal(err)
			}
			_, err = z.ReadFile(z.Entries[0])
			var le *zipapk.LimitError
			if !errors.Is(err, zipapk.ErrLimit) || !errors.As(err, &le) || le.Limit != c.limit || le.Entry != "bomb.bin" {
				t.Fatalf("got %v, want a %s LimitError", err, c.limit)
			}
			a := mustOne(t, z, zipapk.LimitExceeded)
			if a.Entry != "bomb.bin" || !strings.Contains(a.Detail, c.limit) {
				t.Errorf("got %v", a)
			}
			if got, err := z.ReadFile(z.Entries[1]); c.limit != "MaxTotalInflated" && (err != nil || !bytes.Equal(got, textB)) {
				t.Errorf("entry after the bomb: %v", err)
			}
		})
	}
	// Within limits the same stream reads completely, with its true size.
	zb := &zipBuilder{Entries: []bEntry{bombEntry("zeros.bin", 4, 4<<20)}}
	b := zb.Build()
	z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.Limits{MaxRatio: 1 << 40})
	if err != nil {
		t.Fatal(err)
	}
	got, err := z.ReadFile(z.Entries[0])
	if err != nil || len(got) != 4<<20 || len(z.Anomalies()) != 0 {
		t.Fatalf("4 MiB of zeros: %v, %d bytes, %v", err, len(got), z.Anomalies())
	}
}

// TestLyingSizeNoBigAllocation declares a 4 GiB entry holding a few bytes.
func TestLyingSizeNoBigAllocation(t *testing.T) {
	e := deflated("liar", textB)
	e.USize = 0xfffffff0
	e.LUSize = ptr(e.USize)
	z := open(t, (&zipBuilder{Entries: []bEntry{e}}).Build())
	allocs := testing.AllocsPerRun(1, func() { z.ReadFile(z.Entries[0]) })
	b, err := z.ReadFile(z.Entries[0])
	if err != nil || !bytes.Equal(b, textB) {
		t.Fatalf("ReadFile: %v %q", err, b)
	}
	if cap(b) > 1<<20 {
		t.Errorf("buffer of %d bytes for %d bytes of data", cap(b), len(b))
	}
	a := mustOne(t, z, zipapk.SizeMismatch)
	if !a.AndroidRejects {
		t.Errorf("got %v", a)
	}
	t.Logf("%.0f allocations per ReadFile", allocs)
}

func TestSigningBlock(t *testing.T) {
	blk := sigBlock(0x7109871a, []byte("pretend v2 signature"))
	zb := &zipBuilder{Entries: []bEntry{stored("a.txt", textB)}, SigBlock: blk}
	z := open(t, zb.Build())
	if z.SigningBlock == nil {
		t.Fatal("signing block not found")
	}
	if want := zb.CentralOffs[0] - int64(len(blk)); z.SigningBlock.Offset != want || z.SigningBlock.Size != int64(len(blk)) {
		t.Errorf("got %+v, want offset 0x%x size %d", *z.SigningBlock, want, len(blk))
	}
	got, err := z.ReadSigningBlock()
	if err != nil || !bytes.Equal(got, blk) {
		t.Errorf("ReadSigningBlock: %v", err)
	}
	if len(z.Anomalies()) != 0 {
		t.Errorf("anomalies: %v", z.Anomalies())
	}
	z = open(t, (&zipBuilder{Entries: []bEntry{stored("a.txt", textB)}}).Build())
	if _, err := z.ReadSigningBlock(); err == nil {
		t.Error("ReadSigningBlock without a block succeeded")
	}
}

func TestAnomalyCap(t *testing.T) {
	var entries []bEntry
	for i := range 50 {
		entries = append(entries, stored(fmt.Sprintf("../%d", i), nil))
	}
	b := (&zipBuilder{Entries: entries}).Build()
	z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.Limits{MaxAnomaliesPerKind: 10})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(find(z, zipapk.HostileName)); n != 10 {
		t.Errorf("%d HostileName anomalies kept, want 10", n)
	}
	mustOne(t, z, zipapk.TooManyAnomalies)
	z, err = zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.Limits{MaxEntries: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(z.Entries) != 20 {
		t.Errorf("%d entries with MaxEntries 20", len(z.Entries))
	}
	mustOne(t, z, zipapk.LimitExceeded)
}

// TestConcurrentReads reads every entry from many goroutines at once.
func TestConcurrentReads(t *testing.T) {
	var entries []bEntry
	want := map[string][]byte{}
	for i := range 16 {
		data := bytes.Repeat([]byte(fmt.Sprintf("entry %d ", i)), 1000+i*500)
		name := fmt.Sprintf("e%d", i)
		if i%2 == 0 {
			entries = append(entries, deflated(name, data))
		} else {
			entries = append(entries, stored(name, data))
		}
		want[name] = data
	}
	entries[3].CRC ^= 1
	entries[3].LCRC = ptr(entries[3].CRC)
	z := open(t, (&zipBuilder{Entries: entries}).Build())
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range z.Entries {
				e := z.Entries[(i+g)%len(z.Entries)]
				rc, err := z.Open(e)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || !bytes.Equal(got, want[e.Name]) {
					t.Errorf("%s: %v", e.Name, err)
				}
			}
		}()
	}
	wg.Wait()
	mustOne(t, z, zipapk.CRCMismatch)
}
