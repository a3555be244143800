package axml

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

var apkFilter = flag.String("axml.apk", "", "only compare APKs whose corpus name contains this string (for local iteration)")

// xmlEntries lists the entries of an APK that may be binary XML.
func xmlEntries(zr *zip.Reader) []*zip.File {
	var out []*zip.File
	for _, f := range zr.File {
		if f.Name == "AndroidManifest.xml" || strings.HasPrefix(f.Name, "res/") && strings.HasSuffix(f.Name, ".xml") {
			out = append(out, f)
		}
	}
	return out
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}

// knownZipBroken are corpus APKs that archive/zip cannot open, with the
// reason. They are deliberately broken test files from apksig's corpus;
// aapt cannot open them either.
var knownZipBroken = map[string]string{
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "central directory offset is wrong (aapt: bad offsets)",
	"signing/apksig/v2-only-truncated-cd.apk":                               "central directory is truncated (aapt: bad offsets)",
}

// knownAaptRejects are XML entries aapt refuses to dump, with the reason.
// Where the reason is in the XML itself, Parse must fail or warn too.
var knownAaptRejects = map[string]string{
	"signing/apksig/v1-only-with-nul-in-entry-name.apk!AndroidManifest.xml": containerReject + "aapt's zip reader refuses the whole APK because another entry's name holds a NUL",
}

// containerReject marks rejections that come from the APK, not the XML.
const containerReject = "container: "

// TestParityAapt compares Dump with `aapt dump xmltree` for every XML entry
// of every corpus APK.
func TestParityAapt(t *testing.T) {
	apks := corpus.APKs(t)
	var files, docs, lines int
	zipFail := map[string]string{}
	aaptFail := map[string]string{}
	mismatches, warned := 0, 0
	for _, apk := range apks {
		name := corpus.Name(apk)
		if *apkFilter != "" && !strings.Contains(name, *apkFilter) {
			continue
		}
		zr, err := zip.OpenReader(apk)
		if err != nil {
			zipFail[name] = err.Error()
			continue
		}
		files++
		seen := map[string]bool{}
		for _, f := range xmlEntries(&zr.Reader) {
			key := name + "!" + f.Name
			if seen[f.Name] {
				t.Errorf("%s: duplicate entry, aapt reads only one of them", key)
				continue
			}
			seen[f.Name] = true
			data, err := readEntry(f)
			if err != nil {
				t.Errorf("%s: reading entry: %v", key, err)
				continue
			}
			oracle := corpus.Tool(t, "aapt", "dump", "xmltree", apk, f.Name)
			doc, perr := Parse(data, DefaultLimits())
			if oracle.ExitCode != 0 {
				reason := firstLine(oracle.Stderr)
				aaptFail[key] = reason
				if perr == nil && len(doc.Warnings) == 0 && !strings.HasPrefix(knownAaptRejects[key], containerReject) {
					t.Errorf("%s: aapt rejects it (%s) but Parse accepts it without warnings", key, reason)
				}
				continue
			}
			if perr != nil {
				t.Errorf("%s: aapt dumps it but Parse fails: %v", key, perr)
				continue
			}
			docs++
			if len(doc.Warnings) > 0 {
				warned++
				t.Logf("%s: %d warnings, first: %v", key, len(doc.Warnings), doc.Warnings[0])
			}
			var buf bytes.Buffer
			if err := doc.Dump(&buf); err != nil {
				t.Fatal(err)
			}
			n, diff := compareLines(buf.Bytes(), oracle.Stdout)
			lines += n
			if diff != "" {
				mismatches++
				if mismatches <= 20 {
					t.Errorf("%s: dump differs from aapt:\n%s", key, diff)
				}
			}
		}
		zr.Close()
	}
	if *apkFilter == "" {
		checkKnown(t, "archive/zip cannot open", zipFail, knownZipBroken)
		checkKnown(t, "aapt rejects", aaptFail, knownAaptRejects)
	}
	if mismatches > 0 {
		t.Errorf("%d documents differ from aapt", mismatches)
	}
	t.Logf("axml parity: %d files, %d XML documents, %d lines identical (%d APKs unreadable by archive/zip, %d entries rejected by aapt, %d documents with warnings)",
		files, docs, lines, len(zipFail), len(aaptFail), warned)
}

// checkKnown asserts that the failures seen are exactly the known ones.
func checkKnown(t *testing.T, what string, got, known map[string]string) {
	t.Helper()
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := known[k]; !ok {
			t.Errorf("%s %s (%s), which is not in the known list", what, k, got[k])
		} else {
			t.Logf("known: %s %s: %s", what, k, known[k])
		}
	}
	for k := range known {
		if _, ok := got[k]; !ok {
			t.Errorf("known list says %s %s, but it did not fail", what, k)
		}
	}
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// compareLines counts identical lines and describes the first difference.
func compareLines(got, want []byte) (int, string) {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	n := 0
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return n, fmt.Sprintf("line %d:\n  got:  %q\n  want: %q", i+1, g[i], w[i])
		}
		n++
	}
	if len(g) != len(w) {
		return n, fmt.Sprintf("got %d lines, want %d", len(g), len(w))
	}
	return n - 1, "" // both end with an empty string after the final newline
}
