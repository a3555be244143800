package pbres_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"testing"

	"appxray/aab"
	"appxray/app"
	"appxray/arsc"
	"appxray/axml"
	"appxray/internal/aabtest"
	"appxray/internal/corpus"
	"appxray/pbres"
	"appxray/res"
)

var apkFilter = flag.String("pbres.apk", "", "only compare corpus APKs whose name contains this string")

// readZip returns every file entry of a ZIP by name.
func readZip(path string) (map[string][]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		if _, dup := out[f.Name]; dup || strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = b
	}
	return out, nil
}

// isBinaryXML tells a binary XML file by its first chunk header.
func isBinaryXML(b []byte) bool {
	return len(b) >= 8 && b[0] == 0x03 && b[1] == 0x00 && b[2] == 0x08 && b[3] == 0x00
}

func dumpXML(t *testing.T, d *axml.Document) string {
	t.Helper()
	var b bytes.Buffer
	if err := d.Dump(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// dumpTable prints every entry of every configuration of a table, one line
// each, sorted. What the proto form cannot carry is normalised away, and
// said here: array items are printed by position (aapt keyed them
// 0x02000000+i, aapt2 0x01000001+i), plural items by quantity in key
// order (aapt sorted them, aapt2 writes them in arity order), and an
// attribute's enum or flag values as integers (aapt typed flags
// TYPE_INT_HEX; the proto has no type for them and aapt2 writes decimal),
// an attribute's ATTR_L10N item (0x01000003, localization suggested:
// Resources.proto's Attribute has no field for it, so aapt2 drops it too),
// and an id resource as an ID without the weak flag (aapt2 reads an id
// that aapt gave an empty string value as an Id, and every Id is weak).
func dumpTable(tab *arsc.Table) (string, int, int) {
	var lines []string
	entries, stringsN := 0, 0
	val := func(v res.Value) string {
		switch v.Type {
		case res.TypeString:
			stringsN++
			s, err := tab.ValueStrings.String(v.Data)
			if err != nil {
				return "ERR " + err.Error()
			}
			spans, _ := tab.ValueStrings.Styles(v.Data)
			var sp []string
			for _, x := range spans {
				n, _ := tab.ValueStrings.String(x.Name)
				sp = append(sp, fmt.Sprintf("%s[%d,%d]", n, x.FirstChar, x.LastChar))
			}
			return fmt.Sprintf("%q%v", s, sp)
		}
		return fmt.Sprintf("t%02x/%08x", v.Type, v.Data)
	}
	for _, p := range tab.Packages {
		lines = append(lines, fmt.Sprintf("package %02x %q", p.ID, p.Name))
		for _, ty := range p.Types {
			if ty == nil {
				continue
			}
			for _, tc := range ty.Configs {
				for e, err := range tc.All() {
					if err != nil {
						lines = append(lines, "ERR "+err.Error())
						continue
					}
					entries++
					flags := e.Flags & (arsc.FlagComplex | arsc.FlagPublic | arsc.FlagWeak)
					if ty.Name == "id" && !e.Complex {
						// aapt2 reads an id that aapt gave an empty string
						// back as a weak Id: the weak flag says nothing here.
						flags &= arsc.FlagPublic
					}
					l := fmt.Sprintf("%s %08x %s [%s] f%x ", ty.Name, e.ID, e.Name, tc.Config.String(), flags)
					if !e.Complex {
						v := e.Value
						if ty.Name == "id" {
							if v.Type == res.TypeString {
								if s, _ := tab.ValueStrings.String(v.Data); s == "" {
									v = res.Value{Type: res.TypeIntBoolean}
								}
							}
						}
						lines = append(lines, l+val(v))
						continue
					}
					l += fmt.Sprintf("parent=%08x", e.Parent)
					bag := e.Bag
					if ty.Name == "plurals" {
						bag = append([]arsc.BagItem(nil), bag...)
						sort.SliceStable(bag, func(i, j int) bool { return bag[i].Name < bag[j].Name })
					}
					for i, b := range bag {
						if strings.Contains(ty.Name, "attr") && b.Name == 0x01000003 {
							continue
						}
						name := fmt.Sprintf("%08x", b.Name)
						if ty.Name == "array" {
							name = fmt.Sprintf("#%d", i)
						}
						v := b.Value
						if strings.Contains(ty.Name, "attr") && v.Type == res.TypeIntHex {
							v.Type = res.TypeIntDec
						}
						l += fmt.Sprintf(" %s=%s", name, val(v))
					}
					lines = append(lines, l)
				}
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n"), entries, stringsN
}

// firstDiff names the first line where two dumps differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  apk:    %s\n  bundle: %s", i+1, x, y)
		}
	}
	return ""
}

// TestCorpusBundles converts every corpus APK to aapt2's proto form, lays
// it out as an App Bundle, and asserts that the bundle's manifest, XML
// files and resource table read exactly like the APK's: the same axml
// dump line for line, the same app.Info (package, versions, SDK levels,
// labels in every locale, permissions, components), and the same entries
// and values in every configuration.
func TestCorpusBundles(t *testing.T) {
	corpus.NeedTool(t, "aapt2")
	apks := corpus.APKs(t)
	var converted, refused, docs, xmlLines, tables, entries, values int
	refusals := map[string]int{}
	for _, apk := range apks {
		name := corpus.Name(apk)
		if *apkFilter != "" && !strings.Contains(name, *apkFilter) {
			continue
		}
		conv, err := aabtest.Convert(apk)
		if err != nil {
			var ce *aabtest.ConvertError
			if !errors.As(err, &ce) {
				t.Fatalf("%s: %v", name, err)
			}
			refused++
			refusals[refusalReason(ce.Output)]++
			continue
		}
		converted++
		bundle, err := aabtest.Build(conv, nil)
		if err != nil {
			t.Fatalf("%s: building the bundle: %v", name, err)
		}
		orig, err := readZip(apk)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mod, err := unzipBytes(bundle)
		if err != nil {
			t.Fatalf("%s: reading the bundle: %v", name, err)
		}
		d, l, tb, en, vals := compareBundle(t, name, orig, mod)
		docs += d
		xmlLines += l
		tables += tb
		entries += en
		values += vals
	}
	if *apkFilter == "" && converted < 300 {
		t.Errorf("only %d corpus APKs converted (%d refused): expected the corpus's 330 or so", converted, refused)
	}
	t.Logf("aapt2 converted %d APKs and refused %d (%v); bundles read like their APKs: %d XML documents (%d dump lines), %d tables (%d entries, %d string values)",
		converted, refused, refusals, docs, xmlLines, tables, entries, values)
}

// refusalReason shortens aapt2's message to its kind, for the summary.
func refusalReason(out string) string {
	switch {
	case strings.Contains(out, "failed to open"), strings.Contains(out, "Invalid file"):
		return "not an APK aapt2 can open"
	case strings.Contains(out, "resources.arsc"), strings.Contains(out, "resource table"):
		return "resource table refused"
	case strings.Contains(out, "AndroidManifest"):
		return "manifest refused"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	if _, zip, ok := strings.Cut(line, "Zip: "); ok {
		return "zip: " + zip
	}
	if _, msg, ok := strings.Cut(line, "error: "); ok {
		return msg
	}
	return line
}

func unzipBytes(b []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		out[f.Name] = data
	}
	return out, nil
}

func compareBundle(t *testing.T, name string, orig, mod map[string][]byte) (docs, lines, tables, entries, values int) {
	t.Helper()
	var names []string
	for n := range mod {
		names = append(names, n)
	}
	layout, err := aab.ReadLayout(names, aab.Limits{})
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	// Every file of the APK is in the base module, where APKPath finds it
	// again (the signature files excepted: a bundle is not signed so).
	back := map[string]bool{}
	for _, f := range layout.Base().Files {
		if p, ok := layout.Base().APKPath(f); ok {
			back[p] = true
		}
	}
	for entry := range orig {
		if strings.HasPrefix(entry, "META-INF/") || entry == "resources.arsc" || strings.HasSuffix(entry, "/") {
			continue
		}
		if !back[entry] {
			t.Errorf("%s: %s is not in the bundle's base module", name, entry)
		}
	}
	// The resource table.
	var origTab, pbTab *arsc.Table
	if raw, ok := orig["resources.arsc"]; ok {
		var err error
		origTab, err = arsc.Parse(raw, arsc.Limits{})
		if err != nil {
			origTab = nil
		}
		pb, ok := mod["base/resources.pb"]
		switch {
		case !ok:
			t.Errorf("%s: bundle lacks base/resources.pb", name)
		case origTab != nil:
			pbTab, err = pbres.ParseARSC(pb, pbres.Limits{}, arsc.Limits{})
			if err != nil {
				t.Errorf("%s: base/resources.pb: %v", name, err)
				break
			}
			a, n, v := dumpTable(origTab)
			b, _, _ := dumpTable(pbTab)
			if a != b {
				t.Errorf("%s: resources.pb reads unlike resources.arsc at %s", name, firstDiff(a, b))
			}
			tables++
			entries += n
			values += v
		}
	}
	// Every binary XML file, the manifest first.
	for entry, raw := range orig {
		if !isBinaryXML(raw) || !(entry == "AndroidManifest.xml" || strings.HasPrefix(entry, "res/")) {
			continue
		}
		where := "base/" + entry
		if entry == "AndroidManifest.xml" {
			where = "base/manifest/AndroidManifest.xml"
		}
		pb, ok := mod[where]
		if !ok {
			t.Errorf("%s: bundle lacks %s", name, where)
			continue
		}
		od, err := axml.Parse(raw, axml.Limits{})
		if err != nil || od.Root == nil {
			continue // the APK's own file is unreadable; aapt2 would not have converted it either
		}
		if isBinaryXML(pb) {
			continue // aapt2 left the file as it was (not a resource it compiles)
		}
		nd, err := pbres.ParseDocument(pb, pbres.Limits{}, axml.Limits{})
		if err != nil {
			t.Errorf("%s: %s: %v", name, where, err)
			continue
		}
		a, b := dumpXML(t, od), dumpXML(t, nd)
		if a != b {
			t.Errorf("%s: %s reads unlike the APK's %s at %s", name, where, entry, firstDiff(a, b))
			continue
		}
		docs++
		lines += strings.Count(a, "\n")
		if entry == "AndroidManifest.xml" {
			oi, ni := app.ReadInfo(od, origTab), app.ReadInfo(nd, pbTab)
			if !reflect.DeepEqual(oi, ni) {
				t.Errorf("%s: the bundle's app.Info differs from the APK's:\n  apk:    %+v\n  bundle: %+v", name, oi, ni)
			}
		}
	}
	return
}
