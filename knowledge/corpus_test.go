package knowledge

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

var classDescRe = regexp.MustCompile(`(?m)^\s*Class descriptor\s*:\s*'(L[^']+;)'`)

// corpusClasses lists the classes dexdump finds in a corpus file.
func corpusClasses(tb testing.TB, path string) ([]string, bool) {
	res := corpus.Tool(tb, "dexdump", path)
	if res.ExitCode != 0 {
		return nil, false
	}
	// dexdump's output runs to megabytes; find the marker with a plain
	// search and leave the regexp for the short line.
	var out []string
	const marker = "Class descriptor"
	b := res.Stdout
	for {
		i := bytes.Index(b, []byte(marker))
		if i < 0 {
			break
		}
		b = b[i:]
		end := bytes.IndexByte(b, '\n')
		if end < 0 {
			end = len(b)
		}
		if m := classDescRe.FindSubmatch(b[:end]); m != nil {
			out = append(out, string(m[1]))
		}
		b = b[end:]
	}
	return out, true
}

// naiveMatch is the obvious linear-scan definition of a package-boundary
// match, used as the reference for the indexed matcher.
func naiveMatch(trs []Tracker, class string) (string, string) {
	name := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(class, "L"), ";"), "/", ".")
	bestID, bestSig := "", ""
	for _, tr := range trs {
		for _, s := range tr.CodeSignatures {
			if (name == s || strings.HasPrefix(name, s+".")) && len(s) > len(bestSig) {
				bestID, bestSig = tr.ID, s
			}
		}
	}
	return bestID, bestSig
}

// noDexFiles are corpus files in which dexdump, Android's own tool, finds
// no class; each is named with the reason.
var noDexFiles = map[string]string{
	"axml/AndroidManifest_ShortName.apk":                                    "holds only AndroidManifest.xml",
	"signing/apksig/empty-unsigned.apk":                                     "empty APK",
	"signing/apksig/v1-only-empty.apk":                                      "empty APK",
	"signing/apksig/v2-only-empty.apk":                                      "empty APK",
	"signing/apksig/v3-only-empty.apk":                                      "empty APK",
	"signing/apksig/v2-only-missing-classes.dex.apk":                        "has no classes.dex",
	"signing/apksig/v1-only-with-nul-in-entry-name.apk":                     "dexdump rejects an entry name with NUL",
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "invalid ZIP",
	"signing/apksig/v2-only-truncated-cd.apk":                               "truncated central directory",
	"tests/2992e3a94a774ddfe2b50c6e8667d925a5684d71.36.dex":                 "DEX version 036, which dexdump rejects",
	"tests/921d74ac9568121d0ea1453922a369cb66739c68.36.dex":                 "DEX version 036, which dexdump rejects",
	"tests/lineageos_nexus5_framework-res.apk":                              "resources only",
	"android-framework-res/framework-res.apk":                               "resources only",
}

// On every class of every corpus file, the indexed matcher must agree with
// the linear-scan reference; the trackers found are logged per file.
func TestTrackerMatcherOnCorpus(t *testing.T) {
	m := DefaultTrackerMatcher()
	trs := Trackers()
	files, classes, matched := 0, 0, 0
	var noDex []string
	found := map[string]map[string]bool{}
	for _, path := range corpus.Files(t) {
		cls, ok := corpusClasses(t, path)
		if !ok || len(cls) == 0 {
			// Deliberately broken APKs and resource-only APKs such as
			// framework-res.apk have no DEX for dexdump to read.
			noDex = append(noDex, corpus.Name(path))
			continue
		}
		files++
		for _, c := range cls {
			classes++
			tr, sig := m.MatchClass(c)
			wantID, wantSig := naiveMatch(trs, c)
			gotID := ""
			if tr != nil {
				gotID = tr.ID
			}
			if gotID != wantID || sig != wantSig {
				t.Errorf("%s: %s: matcher %q/%q, reference %q/%q", corpus.Name(path), c, gotID, sig, wantID, wantSig)
				continue
			}
			if tr != nil {
				matched++
				if found[tr.ID] == nil {
					found[tr.ID] = map[string]bool{}
				}
				found[tr.ID][corpus.Name(path)] = true
			}
		}
	}
	for _, name := range noDex {
		if _, ok := noDexFiles[name]; !ok {
			t.Errorf("%s: dexdump finds no classes, and the file is not in noDexFiles", name)
		}
	}
	for name := range noDexFiles {
		if !slices.Contains(noDex, name) {
			t.Errorf("%s is listed in noDexFiles but dexdump now reads classes from it", name)
		}
	}
	if files < 100 {
		t.Errorf("only %d corpus files had classes", files)
	}
	var summary []string
	for id, fs := range found {
		summary = append(summary, id+":"+itoa(len(fs)))
	}
	sort.Strings(summary)
	t.Logf("trackers found (tracker:files): %s", strings.Join(summary, " "))
	t.Logf("%d files without DEX classes, all in the named list", len(noDex))
	t.Logf("compared %d classes in %d files with the reference matcher; %d attributed to trackers", classes, files, matched)
}

func itoa(n int) string { return strconv.Itoa(n) }
