package zipapk_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"appxray/zipapk"
)

// TestZip64OnlyWhereLibziparchiveUsesIt: libziparchive
// (zip_archive.cc FindCentralDirectoryInfo) reads the ZIP64 end record only
// when the 32-bit end record's central directory size or offset is
// 0xFFFFFFFF; an entry count of 0xFFFF alone means 65535 entries. Here a
// decoy ZIP64 record (claiming one entry) sits before an end record that
// counts 0xFFFF entries with real size and offset: Android reads all
// 65535, Go's archive/zip (which honours the count) reads one.
func TestZip64OnlyWhereLibziparchiveUsesIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 65535-entry archive")
	}
	zb := &zipBuilder{}
	for i := range 0xffff {
		zb.Entries = append(zb.Entries, stored(fmt.Sprintf("%x", i), nil))
	}
	plain := zb.Build()
	cdStart := zb.CentralOffs[0]
	cdSize := zb.EndOff - cdStart
	// ZIP64 end record and locator claiming a single entry, right before
	// the end record.
	rec := le32(nil, 0x06064b50)
	rec = le64(rec, 44)
	rec = le16(rec, 45)
	rec = le16(rec, 45)
	rec = le32(rec, 0)
	rec = le32(rec, 0)
	rec = le64(rec, 1)
	rec = le64(rec, 1)
	rec = le64(rec, uint64(cdSize))
	rec = le64(rec, uint64(cdStart))
	recOff := zb.EndOff
	rec = le32(rec, 0x07064b50)
	rec = le32(rec, 0)
	rec = le64(rec, uint64(recOff))
	rec = le32(rec, 1)
	data := append(append(bytes.Clone(plain[:zb.EndOff]), rec...), plain[zb.EndOff:]...)

	z := open(t, data)
	if len(z.Entries) != 0xffff {
		t.Errorf("%d entries, want the 65535 libziparchive reads", len(z.Entries))
	}
	z64 := find(z, zipapk.Zip64)
	if len(z64) != 1 || z64[0].AndroidRejects || !strings.Contains(z64[0].Detail, "the ZIP64 end record says 1") {
		t.Errorf("Zip64 anomalies = %v", z64)
	}
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil && len(zr.File) == 0xffff {
		t.Errorf("archive/zip also reads 65535 entries: the decoy no longer tells readers apart")
	}

	// Saturated size and offset without a locator: libziparchive gives up.
	zb = &zipBuilder{Entries: []bEntry{stored("a", textA)}, CDSize: ptr(uint32(0xffffffff))}
	if z, err := zipapk.NewReader(bytes.NewReader(zb.Build()), int64(len(zb.Build())), zipapk.Limits{}); err == nil {
		if an := find(z, zipapk.Zip64); len(an) != 1 || !an[0].AndroidRejects {
			t.Errorf("saturated size without locator: %v", an)
		}
	}
}
