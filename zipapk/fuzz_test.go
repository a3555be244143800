package zipapk_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

// fuzzLimits keep one fuzz input to a few MiB of work.
var fuzzLimits = zipapk.Limits{MaxEntries: 4096, MaxEntrySize: 8 << 20, MaxTotalInflated: 32 << 20}

func addSeeds(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.apk")
	// The project's demo app is committed too.
	seeds = append(seeds, filepath.Join(corpus.Root(), "testdata", "demo-ijop.apk"))
	// Real files from the corpus when it is set up; the committed seeds keep
	// the target working on a clean clone.
	if corpus.Present() {
		for _, p := range corpus.APKs(f) {
			if st, err := os.Stat(p); err == nil && st.Size() < 64<<10 {
				seeds = append(seeds, p)
			}
		}
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, zb := range []*zipBuilder{
		{Entries: []bEntry{stored("a", textB), deflated("b", textA), streamedEntry("c", textA, true)}},
		{Entries: []bEntry{stored("a", textB), deflated("b", textA)}, Zip64: true},
		{Prefix: []byte("#!/bin/sh\n"), Entries: []bEntry{deflated("classes.dex", textA)}, SigBlock: sigBlock(1, []byte("x"))},
		// ZIP64 as libziparchive reads it: a count of 0xFFFF alone is not
		// ZIP64; saturated fields without a locator are refused.
		{Entries: []bEntry{stored("a", textB)}, Count: ptr(uint16(0xffff)), Gap: zip64Decoy()},
		{Entries: []bEntry{stored("a", textA)}, CDSize: ptr(uint32(0xffffffff))},
	} {
		f.Add(zb.Build())
	}
}

// FuzzReader opens arbitrary bytes and reads every entry. Beyond not
// panicking: errors are typed, limits hold, and a file with no anomaly at all
// must read exactly as archive/zip reads it.
func FuzzReader(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), fuzzLimits)
		if err != nil {
			var fe *zipapk.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("NewReader: untyped error %T %v", err, err)
			}
			return
		}
		contents := make([][]byte, len(z.Entries))
		for i, e := range z.Entries {
			data, err := z.ReadFile(e)
			if int64(len(data)) > fuzzLimits.MaxEntrySize {
				t.Fatalf("%q: %d bytes beyond MaxEntrySize", e.Name, len(data))
			}
			contents[i] = data
			// Sniffing reads what ReadFile reads: all of it when kept, its
			// head when not.
			for _, keep := range []bool{true, false} {
				got, whole, serr := z.ReadFileSniff(e, 64, func([]byte) bool { return keep })
				switch {
				case (serr == nil) != (err == nil) && (keep || serr != nil):
					// Unkept, the entry may be broken past its head.
					t.Fatalf("%q keep=%v: ReadFileSniff error %v, ReadFile error %v", e.Name, keep, serr, err)
				case err == nil && (whole || keep) && !bytes.Equal(got, data):
					t.Fatalf("%q keep=%v: ReadFileSniff read %d bytes (whole %v), ReadFile %d", e.Name, keep, len(got), whole, len(data))
				case err == nil && !bytes.HasPrefix(data, got):
					t.Fatalf("%q: the head ReadFileSniff read is not ReadFile's", e.Name)
				}
			}
			if z.Lookup(e.Name) == nil {
				t.Fatalf("Lookup(%q) = nil", e.Name)
			}
			_ = err
		}
		z.ReadSigningBlock()
		anomalies := z.Anomalies()
		for _, a := range anomalies {
			if a.Offset < 0 || a.Offset > int64(len(b)) {
				t.Fatalf("anomaly offset outside the file: %v", a)
			}
		}
		if len(anomalies) != 0 {
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("no anomalies, but archive/zip fails: %v", err)
		}
		if len(zr.File) != len(z.Entries) {
			t.Fatalf("no anomalies, but archive/zip sees %d entries, zipapk %d", len(zr.File), len(z.Entries))
		}
		for i, zf := range zr.File {
			e := z.Entries[i]
			if zf.Name != e.Name || zf.CRC32 != e.CRC32 || zf.UncompressedSize64 != e.UncompressedSize {
				t.Fatalf("entry %d: archive/zip %q crc %08x size %d; zipapk %q crc %08x size %d",
					i, zf.Name, zf.CRC32, zf.UncompressedSize64, e.Name, e.CRC32, e.UncompressedSize)
			}
			rc, err := zf.Open()
			if err != nil {
				continue
			}
			want, err := io.ReadAll(io.LimitReader(rc, fuzzLimits.MaxEntrySize))
			rc.Close()
			if err == nil && !bytes.Equal(want, contents[i]) {
				t.Fatalf("entry %q: content differs from archive/zip", e.Name)
			}
		}
	})
}

// zip64Decoy is a ZIP64 end record and locator claiming one entry, to sit
// (as a zipBuilder Gap) right before an end record whose count is 0xFFFF.
// The locator points at offset 0, where the record is not: a reader that
// honours the count then fails, libziparchive never looks.
func zip64Decoy() []byte {
	rec := le32(nil, 0x06064b50)
	rec = le64(rec, 44)
	rec = le16(rec, 45)
	rec = le16(rec, 45)
	rec = le32(rec, 0)
	rec = le32(rec, 0)
	rec = le64(rec, 1)
	rec = le64(rec, 1)
	rec = le64(rec, 0)
	rec = le64(rec, 0)
	rec = le32(rec, 0x07064b50)
	rec = le32(rec, 0)
	rec = le64(rec, 0)
	return le32(rec, 1)
}
