package res

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

// tablePool returns the global string pool of a resources.arsc.
func tablePool(data []byte) (*StringPool, error) {
	h, err := ReadChunkHeader(data, 0)
	if err != nil {
		return nil, err
	}
	if h.Type != ChunkTable {
		return nil, fmt.Errorf("not a resource table (type %s)", ChunkTypeName(h.Type))
	}
	return ParseStringPool(data[:h.Size], int64(h.HeaderSize), DefaultLimits())
}

// dumpStrings renders a pool as `aapt dump strings` (printStringPool) does.
func dumpStrings(p *StringPool) string {
	var b strings.Builder
	unique := map[int64]bool{}
	nulls := false
	for i := range p.Len() {
		var start int64
		var err error
		if p.IsUTF8() {
			_, start, _, err = p.utf8Raw(uint32(i))
		} else {
			_, err = p.utf16At(uint32(i))
			start = int64(p.entry(uint32(i)) / 2)
		}
		if err != nil {
			nulls = true
		} else {
			unique[start] = true
		}
	}
	n := len(unique)
	if nulls {
		n++
	}
	enc, sorted := "UTF-16", "non-sorted"
	if p.IsUTF8() {
		enc = "UTF-8"
	}
	if p.IsSorted() {
		sorted = "sorted"
	}
	fmt.Fprintf(&b, "String pool of %d unique %s %s strings, %d entries and %d styles using %d bytes:\n",
		n, enc, sorted, p.Len(), p.StyleLen(), p.Header.Size)
	for i := range p.Len() {
		// string8ObjectAt: the raw UTF-8 bytes, else the UTF-16 string,
		// printed with %s so cut at the first NUL.
		var s []byte
		if raw, err := p.UTF8(uint32(i)); err == nil {
			s = raw
		} else if str, err := p.String(uint32(i)); err == nil {
			s = []byte(str)
		}
		if k := bytes.IndexByte(s, 0); k >= 0 {
			s = s[:k]
		}
		fmt.Fprintf(&b, "String #%d: %s\n", i, s)
	}
	return b.String()
}

// TestParityAaptStrings compares every corpus APK's resource table string
// pool with `aapt dump strings`.
func TestParityAaptStrings(t *testing.T) {
	var apks, pools, strs, noTable int
	unreadable := map[string]string{}
	for _, apk := range corpus.APKs(t) {
		name := corpus.Name(apk)
		zr, err := zip.OpenReader(apk)
		if err != nil {
			unreadable[name] = err.Error()
			continue
		}
		apks++
		var data []byte
		found := false
		for _, f := range zr.File {
			if f.Name != "resources.arsc" {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
			data, err = io.ReadAll(io.LimitReader(rc, 256<<20))
			rc.Close()
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			found = true
			break
		}
		zr.Close()
		oracle := corpus.Tool(t, "aapt", "dump", "strings", apk)
		if !found {
			noTable++
			if got := string(oracle.Stdout); got != "String pool is uninitialized.\n" {
				t.Errorf("%s: no resources.arsc, but aapt printed %q", name, firstLine(got))
			}
			continue
		}
		if why, ok := knownAaptNoTable[name]; ok {
			if got := string(oracle.Stdout); got != "String pool is uninitialized.\n" {
				t.Errorf("%s: known list says aapt cannot read its table (%s), but it printed %q", name, why, firstLine(got))
			} else {
				t.Logf("known: aapt cannot read the table of %s: %s", name, why)
			}
			continue
		}
		p, err := tablePool(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		pools++
		strs += p.Len()
		for i := range p.Len() {
			// Real pools hold valid UTF-8 (or CESU-8 surrogate pairs, as
			// aapt2 writes them): stringAt and string8At agree.
			str, err := p.String(uint32(i))
			if err != nil {
				t.Errorf("%s: string #%d: %v", name, i, err)
				break
			}
			if raw, err := p.UTF8(uint32(i)); err == nil && corpus.JoinSurrogates(string(raw)) != str {
				t.Errorf("%s: string #%d: String %q != UTF8 %q", name, i, str, raw)
				break
			}
		}
		if got, want := dumpStrings(p), string(oracle.Stdout); got != want {
			t.Errorf("%s: string pool differs from aapt dump strings:\n%s", name, firstDiff(got, want))
		}
	}
	for name, why := range unreadable {
		if reason, ok := knownZipBroken[name]; ok {
			t.Logf("known: archive/zip cannot open %s: %s", name, reason)
		} else {
			t.Errorf("archive/zip cannot open %s: %s (not in the known list)", name, why)
		}
	}
	t.Logf("res strings parity: %d APKs, %d string pools, %d strings identical to aapt; %d APKs without resources.arsc", apks, pools, strs, noTable)
}

// knownZipBroken are deliberately broken apksig test APKs that archive/zip
// cannot open; aapt cannot open them either.
var knownZipBroken = map[string]string{
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "central directory offset is wrong",
	"signing/apksig/v2-only-truncated-cd.apk":                               "central directory is truncated",
}

// knownAaptNoTable are APKs whose resources.arsc aapt's zip reader cannot
// open; the table itself is fine.
var knownAaptNoTable = map[string]string{
	"signing/apksig/v1-only-with-nul-in-entry-name.apk":                     "the zip reader refuses the APK: an entry name holds a NUL",
	"signing/apksig/v3-only-with-rsa-pkcs1-sha512-8192-digest-mismatch.apk": "local header name does not match the central directory",
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n  got:  %q\n  want: %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
