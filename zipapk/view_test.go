package zipapk_test

import (
	"bytes"
	"strings"
	"testing"

	"appxray/zipapk"
)

// A view renames and filters entries, reads them through the archive it
// views, and leaves the anomalies found while reading with that archive,
// under the entries' own names.
func TestView(t *testing.T) {
	bad := deflated("base/dex/classes.dex", textA)
	bad.CRC ^= 1
	bad.LCRC = ptr(bad.CRC)
	z := open(t, (&zipBuilder{Entries: []bEntry{
		stored("BundleConfig.pb", []byte("cfg")),
		deflated("base/manifest/AndroidManifest.xml", textB),
		bad,
		stored("base/assets/a.txt", textA),
		stored("feature/assets/a.txt", textB),
		stored("base/assets/a.txt", textB), // a duplicate: Lookup keeps the first
	}}).Build())
	before := len(z.Anomalies())
	v := z.View(func(name string) (string, bool) {
		rest, ok := strings.CutPrefix(name, "base/")
		switch {
		case !ok:
			return "", false
		case rest == "manifest/AndroidManifest.xml":
			return "AndroidManifest.xml", true
		case strings.HasPrefix(rest, "dex/"):
			return rest[len("dex/"):], true
		}
		return rest, true
	})
	var names []string
	for _, e := range v.Entries {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, " "); got != "AndroidManifest.xml classes.dex assets/a.txt assets/a.txt" {
		t.Fatalf("view entries %q", got)
	}
	if v.Lookup("BundleConfig.pb") != nil || v.Lookup("base/assets/a.txt") != nil {
		t.Error("the view finds entries by their names outside it")
	}
	for name, want := range map[string][]byte{"AndroidManifest.xml": textB, "assets/a.txt": textA, "classes.dex": textA} {
		e := v.Lookup(name)
		if e == nil {
			t.Fatalf("%s not in the view", name)
		}
		got, err := v.ReadFile(e)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes, %v", name, len(got), err)
		}
		head, err := v.ReadHead(e, 8)
		if err != nil || !bytes.Equal(head, want[:8]) {
			t.Errorf("%s: head %q, %v", name, head, err)
		}
	}
	if an := v.Anomalies(); len(an) != 0 {
		t.Errorf("the view has anomalies of its own: %v", an)
	}
	after := z.Anomalies()
	if len(after) != before+1 || after[len(after)-1].Kind != zipapk.CRCMismatch || after[len(after)-1].Entry != "base/dex/classes.dex" {
		t.Errorf("the CRC mismatch read through the view is not the archive's, under its own name: %v", after[before:])
	}
	if v.SigningBlock != nil || v.Size() != z.Size() {
		t.Errorf("view: signing block %v, size %d of %d", v.SigningBlock, v.Size(), z.Size())
	}
	// A view of a view reads through the archive.
	vv := v.View(func(name string) (string, bool) { return "x/" + name, name == "classes.dex" })
	if len(vv.Entries) != 1 {
		t.Fatalf("view of a view: %d entries", len(vv.Entries))
	}
	if got, err := vv.ReadFile(vv.Entries[0]); err != nil || !bytes.Equal(got, textA) {
		t.Errorf("view of a view: %v", err)
	}
}
