package zipapk_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

// expectedAnomalies lists the corpus files that are deliberately malformed
// (androguard's copy of apksig's test files) with the anomaly kinds each must
// produce. Every other corpus file must produce none.
var expectedAnomalies = map[string][]zipapk.AnomalyKind{
	// CERT.RSA: central directory says deflate, local header says stored.
	"mismatched-compression-method.apk": {zipapk.LocalHeaderMismatch},
	// CERT.RSA has method 21: read as stored, so its size and CRC disagree.
	"weird-compression-method.apk":            {zipapk.UnknownMethod, zipapk.SizeMismatch, zipapk.CRCMismatch},
	"v1-only-with-cr-in-entry-name.apk":       {zipapk.HostileName},
	"v1-only-with-lf-in-entry-name.apk":       {zipapk.HostileName},
	"v1-only-with-nul-in-entry-name.apk":      {zipapk.HostileName},
	"v2-only-garbage-between-cd-and-eocd.apk": {zipapk.CentralDirectoryGap},
	// The EOCD's central directory size is one byte too large: the last
	// record cannot be parsed, so its data belongs to no entry.
	"v2-only-truncated-cd.apk":                               {zipapk.CentralDirectoryOverrun, zipapk.CentralDirectoryTruncated, zipapk.UnreferencedBytes},
	"v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": {zipapk.CentralDirectoryOverrun},
	// A signing block that is malformed, or whose magic is wrong, is not
	// recognised: its bytes belong to no entry.
	"v2-only-apk-sig-block-size-mismatch.apk":                            {zipapk.SigningBlockMalformed, zipapk.UnreferencedBytes},
	"v3-only-with-rsa-pkcs1-sha512-4096-apk-sig-block-size-mismatch.apk": {zipapk.SigningBlockMalformed, zipapk.UnreferencedBytes},
	"v2-only-wrong-apk-sig-block-magic.apk":                              {zipapk.UnreferencedBytes},
	"v3-only-with-ecdsa-sha512-p384-wrong-apk-sig-block-magic.apk":       {zipapk.UnreferencedBytes},
	// Zero padding, then a block whose magic reads "APK Sig Block 43".
	"v1v2v3-with-rsa-2048-lineage-3-signers-no-sig-block.apk": {zipapk.UnreferencedBytes},
	// The local header names "sesources.arsc".
	"v3-only-with-rsa-pkcs1-sha512-8192-digest-mismatch.apk": {zipapk.LocalHeaderMismatch},
	"empty-unsigned.apk": {zipapk.EmptyArchive},
	"v2-only-empty.apk":  {zipapk.EmptyArchive},
	"v3-only-empty.apk":  {zipapk.EmptyArchive},
}

// aaptRejects lists corpus files aapt refuses to list, with the reason. aapt's
// own ZipFile reader (frameworks/base/tools/aapt) insists that the EOCD
// directly follows the central directory.
var aaptRejects = map[string]string{
	"v2-only-garbage-between-cd-and-eocd.apk": "7 bytes between central directory and EOCD",
	"v2-only-truncated-cd.apk":                "central directory size overlaps the EOCD",
}

// archiveZipRejects lists corpus files Go's archive/zip cannot open.
var archiveZipRejects = map[string]string{
	"v2-only-truncated-cd.apk":                               "central directory size overlaps the EOCD",
	"v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "central directory size overlaps the EOCD",
}

// aaptLine matches one entry line of `aapt list -v`.
var aaptLine = regexp.MustCompile(`^\s*(\d+)\s+(\S+)\s+(\d+)\s+-?\d+%\s+(\d+)\s+\S+\s+\S+\s+([0-9a-f]+)  (.*)$`)

type aaptEntry struct {
	name         string
	method       string
	usize, csize uint64
	offset       int64
	crc          uint32
}

func parseAapt(t *testing.T, out []byte) []aaptEntry {
	var list []aaptEntry
	for _, line := range strings.Split(string(out), "\n") {
		m := aaptLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		u, _ := strconv.ParseUint(m[1], 10, 64)
		c, _ := strconv.ParseUint(m[3], 10, 64)
		off, _ := strconv.ParseInt(m[4], 10, 64)
		// aapt sign-extends CRCs with the top bit set to 64 bits.
		crc, err := strconv.ParseUint(m[5], 16, 64)
		if err != nil {
			t.Fatalf("aapt CRC %q: %v", m[5], err)
		}
		list = append(list, aaptEntry{m[6], m[2], u, c, off, uint32(crc)})
	}
	return list
}

func methodName(m uint16) string {
	switch m {
	case zipapk.Store:
		return "Stored"
	case zipapk.Deflate:
		return "Deflate"
	}
	return "Unknown"
}

// TestCorpus opens every corpus APK and compares each entry with aapt (the
// Android oracle) and archive/zip, then reads every entry.
func TestCorpus(t *testing.T) {
	var files, aaptFacts, zipFacts, entries, readBytes, anomalous int
	for _, path := range corpus.APKs(t) {
		base := filepath.Base(path)
		name := corpus.Name(path)
		files++
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		z, err := zipapk.NewReader(f, st.Size(), zipapk.DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			f.Close()
			continue
		}
		entries += len(z.Entries)

		// aapt: names, sizes, methods, offsets and CRCs from its own reader.
		res := corpus.Tool(t, "aapt", "list", "-v", path)
		if why, ok := aaptRejects[base]; ok {
			if res.ExitCode == 0 {
				t.Errorf("%s: aapt now accepts it (listed as rejected: %s)", name, why)
			}
		} else if res.ExitCode != 0 {
			t.Errorf("%s: aapt failed: %s", name, res.Stderr)
		} else {
			rows := parseAapt(t, res.Stdout)
			if len(rows) != len(z.Entries) {
				t.Errorf("%s: aapt lists %d entries, zipapk %d", name, len(rows), len(z.Entries))
			}
			for i, row := range rows {
				if i >= len(z.Entries) {
					break
				}
				// aapt lists in central directory order and prints names as C
				// strings, one per line: a name is cut at a NUL or newline.
				e := z.Entries[i]
				ename, _, _ := strings.Cut(e.Name, "\x00")
				ename, _, _ = strings.Cut(ename, "\n")
				got := aaptEntry{ename, methodName(e.Method), e.UncompressedSize, e.CompressedSize, e.HeaderOffset, e.CRC32}
				if got != row {
					t.Errorf("%s: entry %d: zipapk %+v, aapt %+v", name, i, got, row)
				}
				aaptFacts += 6
			}
		}

		// archive/zip: the same plus the data offset it derives from the
		// local header.
		zr, err := zip.NewReader(f, st.Size())
		if why, ok := archiveZipRejects[base]; ok {
			if err == nil {
				t.Errorf("%s: archive/zip now opens it (listed as rejected: %s)", name, why)
			}
		} else if err != nil {
			t.Errorf("%s: archive/zip: %v", name, err)
		} else if len(zr.File) != len(z.Entries) {
			t.Errorf("%s: archive/zip has %d entries, zipapk %d", name, len(zr.File), len(z.Entries))
		} else {
			for i, zf := range zr.File {
				e := z.Entries[i]
				doff, derr := zf.DataOffset()
				if zf.Name != e.Name || zf.Method != e.Method || zf.CRC32 != e.CRC32 ||
					zf.CompressedSize64 != e.CompressedSize || zf.UncompressedSize64 != e.UncompressedSize ||
					derr != nil || doff != e.DataOffset || zf.Flags != e.Flags {
					t.Errorf("%s: entry %d differs from archive/zip: %q/%q method %d/%d data 0x%x/0x%x (%v)",
						name, i, e.Name, zf.Name, e.Method, zf.Method, e.DataOffset, doff, derr)
				}
				zipFacts += 7
			}
		}

		// Read everything; where archive/zip can too, the bytes must agree.
		for i, e := range z.Entries {
			b, err := z.ReadFile(e)
			if err != nil {
				t.Errorf("%s: ReadFile(%q): %v", name, e.Name, err)
				continue
			}
			readBytes += len(b)
			if zr != nil && len(zr.File) == len(z.Entries) && zr.File[i].Method == e.Method && e.Method == zipapk.Deflate {
				rc, err := zr.File[i].Open()
				if err == nil {
					want, err := io.ReadAll(rc)
					rc.Close()
					if err == nil && !bytes.Equal(want, b) {
						t.Errorf("%s: %q: content differs from archive/zip", name, e.Name)
					}
				}
			}
		}

		var kinds []zipapk.AnomalyKind
		for _, a := range z.Anomalies() {
			if !slices.Contains(kinds, a.Kind) {
				kinds = append(kinds, a.Kind)
			}
		}
		slices.Sort(kinds)
		want := slices.Clone(expectedAnomalies[base])
		slices.Sort(want)
		if !slices.Equal(kinds, want) {
			t.Errorf("%s: anomaly kinds %v, want %v; all: %v", name, kinds, want, z.Anomalies())
		}
		if len(kinds) > 0 {
			anomalous++
		}
		f.Close()
	}
	t.Logf("corpus: %d APKs, %d entries, %d MiB inflated; compared %d facts with aapt, %d with archive/zip; %d files with expected anomalies",
		files, entries, readBytes>>20, aaptFacts, zipFacts, anomalous)
	if files == 0 {
		t.Fatal("no corpus files compared")
	}
}

// TestCorpusAnomalyDetails pins what the named malformed files say, beyond
// their anomaly kinds.
func TestCorpusAnomalyDetails(t *testing.T) {
	byBase := map[string]string{}
	for _, p := range corpus.APKs(t) {
		byBase[filepath.Base(p)] = p
	}
	cases := []struct {
		file    string
		kind    zipapk.AnomalyKind
		entry   string
		rejects bool
		detail  string
	}{
		{"mismatched-compression-method.apk", zipapk.LocalHeaderMismatch, "META-INF/CERT.RSA", false, "method: central 8, local 0"},
		{"weird-compression-method.apk", zipapk.UnknownMethod, "META-INF/CERT.RSA", true, "method 21"},
		{"v1-only-with-nul-in-entry-name.apk", zipapk.HostileName, "test.txt\x00", true, "NUL"},
		{"v1-only-with-cr-in-entry-name.apk", zipapk.HostileName, "test.txt\r", false, "U+000D"},
		{"v2-only-garbage-between-cd-and-eocd.apk", zipapk.CentralDirectoryGap, "", false, "7 bytes"},
		{"v2-only-truncated-cd.apk", zipapk.CentralDirectoryTruncated, "", true, "2 of 3"},
		{"v2-only-apk-sig-block-size-mismatch.apk", zipapk.SigningBlockMalformed, "", true, "header 961, footer 960"},
		{"v3-only-with-rsa-pkcs1-sha512-8192-digest-mismatch.apk", zipapk.LocalHeaderMismatch, "resources.arsc", true, `local "sesources.arsc"`},
	}
	for _, c := range cases {
		path, ok := byBase[c.file]
		if !ok {
			t.Errorf("%s missing from the corpus", c.file)
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		for _, e := range z.Entries {
			z.ReadFile(e)
		}
		a := find(z, c.kind)
		if len(a) != 1 || a[0].Entry != c.entry || a[0].AndroidRejects != c.rejects || !strings.Contains(a[0].Detail, c.detail) {
			t.Errorf("%s: got %v, want one %s on %q rejects=%v mentioning %q", c.file, a, c.kind, c.entry, c.rejects, c.detail)
		}
	}
	// Both max-sized-comment files carry a 65535-byte comment and nothing odd.
	for _, base := range []string{"v1-only-max-sized-eocd-comment.apk", "v2-only-max-sized-eocd-comment.apk"} {
		b, err := os.ReadFile(byBase[base])
		if err != nil {
			t.Fatal(err)
		}
		z, err := zipapk.NewReader(bytes.NewReader(b), int64(len(b)), zipapk.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if len(z.Comment) != 65535 || len(z.Anomalies()) != 0 || len(z.Entries) == 0 {
			t.Errorf("%s: comment %d bytes, %d entries, anomalies %v", base, len(z.Comment), len(z.Entries), z.Anomalies())
		}
		if strings.HasPrefix(base, "v2") && z.SigningBlock == nil {
			t.Errorf("%s: no signing block found", base)
		}
	}
}
