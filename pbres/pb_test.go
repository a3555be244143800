package pbres

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"appxray/arsc"
	"appxray/axml"
	"appxray/res"
)

// msg builds a protobuf message for tests, field by field.
type msg []byte

func (m msg) str(n protowire.Number, s string) msg {
	m = protowire.AppendTag(m, n, protowire.BytesType)
	return protowire.AppendString(m, s)
}

func (m msg) sub(n protowire.Number, sub msg) msg {
	m = protowire.AppendTag(m, n, protowire.BytesType)
	return protowire.AppendBytes(m, sub)
}

func (m msg) varint(n protowire.Number, v uint64) msg {
	m = protowire.AppendTag(m, n, protowire.VarintType)
	return protowire.AppendVarint(m, v)
}

func (m msg) fixed32(n protowire.Number, v uint32) msg {
	m = protowire.AppendTag(m, n, protowire.Fixed32Type)
	return protowire.AppendFixed32(m, v)
}

func elem(name string, children ...msg) msg {
	e := msg(nil).str(3, name)
	for _, c := range children {
		e = e.sub(5, c)
	}
	return e
}

func xmlAttr(ns, name, value string, id uint32, item msg) msg {
	a := msg(nil).str(1, ns).str(2, name).str(3, value).varint(5, uint64(id))
	if item != nil {
		a = a.sub(6, item)
	}
	return a
}

const androidNS = "http://schemas.android.com/apk/res/android"

func TestXMLToAxml(t *testing.T) {
	line := func(n uint32) msg { return msg(nil).varint(1, uint64(n)) }
	prim := func(field protowire.Number, v uint64) msg {
		return msg(nil).sub(7, msg(nil).varint(field, v))
	}
	manifest := msg(nil).
		sub(1, msg(nil).
			sub(1, msg(nil).str(1, "android").str(2, androidNS).sub(3, line(1))).
			str(3, "manifest").
			sub(4, xmlAttr("", "package", "org.example.app", 0, nil)).
			sub(4, xmlAttr(androidNS, "versionCode", "", 0x0101021b, prim(6, 42))).
			sub(4, xmlAttr(androidNS, "label", "", 0x01010001, msg(nil).sub(1, msg(nil).varint(2, 0x7f010000)))).
			sub(4, xmlAttr(androidNS, "theme", "", 0x01010000, msg(nil).sub(1, msg(nil).varint(1, 1).varint(2, 0x01010054)))).
			sub(4, xmlAttr(androidNS, "debuggable", "", 0x0101000f, prim(8, 1))).
			sub(4, xmlAttr(androidNS, "alpha", "", 0x0101031f, msg(nil).sub(7, msg(nil).fixed32(3, math.Float32bits(0.5))))).
			sub(4, xmlAttr(androidNS, "name", "Main", 0x01010003, msg(nil).sub(2, msg(nil).str(1, "Main")))).
			// The same name with and without an ID: two pool strings.
			sub(4, xmlAttr("", "name", "plain", 0, nil)).
			sub(5, msg(nil).sub(1, elem("uses-permission")).sub(3, line(7))).
			sub(5, msg(nil).str(2, "some text").sub(3, line(8)))).
		sub(3, line(2))

	d, err := ParseXML(manifest, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := d.Document(axml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Warnings) != 0 {
		t.Errorf("warnings: %v", doc.Warnings)
	}
	root := doc.Root
	if root.Name != "manifest" || root.Line != 2 || len(root.Namespaces) != 1 || root.Namespaces[0].Prefix != "android" {
		t.Fatalf("root = %s line %d namespaces %+v", root.Name, root.Line, root.Namespaces)
	}
	tests := []struct {
		id       uint32
		ns, name string
		typ      uint8
		data     uint32
		str      string
		hasStr   bool
	}{
		{0x0101021b, androidNS, "versionCode", res.TypeIntDec, 42, "", false},
		{0x01010001, androidNS, "label", res.TypeReference, 0x7f010000, "", false},
		{0x01010000, androidNS, "theme", res.TypeAttribute, 0x01010054, "", false},
		{0x0101000f, androidNS, "debuggable", res.TypeIntBoolean, 0xffffffff, "", false},
		{0x0101031f, androidNS, "alpha", res.TypeFloat, math.Float32bits(0.5), "", false},
		{0x01010003, androidNS, "name", res.TypeString, 0, "Main", true},
	}
	for _, tc := range tests {
		a, ok := root.AttrByID(tc.id)
		if !ok {
			t.Errorf("attribute 0x%08x missing", tc.id)
			continue
		}
		if a.Namespace != tc.ns || a.Name != tc.name || a.Value.Type != tc.typ {
			t.Errorf("0x%08x = %s:%s type 0x%02x, want %s:%s type 0x%02x", tc.id, a.Namespace, a.Name, a.Value.Type, tc.ns, tc.name, tc.typ)
		}
		if tc.typ != res.TypeString && a.Value.Data != tc.data {
			t.Errorf("0x%08x data = 0x%x, want 0x%x", tc.id, a.Value.Data, tc.data)
		}
		if s, ok := a.String(); ok != tc.hasStr || s != tc.str {
			t.Errorf("0x%08x String() = %q %v, want %q %v", tc.id, s, ok, tc.str, tc.hasStr)
		}
	}
	pkg, ok := root.Attr("", "package")
	if s, _ := pkg.String(); !ok || s != "org.example.app" || pkg.ResourceID != 0 {
		t.Errorf("package = %+v", pkg)
	}
	plain, ok := root.Attr("", "name")
	if s, _ := plain.String(); !ok || s != "plain" || plain.ResourceID != 0 {
		t.Errorf("plain name attribute = %+v, want no resource ID", plain)
	}
	if len(root.Children) != 1 || root.Children[0].Name != "uses-permission" || root.Children[0].Line != 7 {
		t.Errorf("children = %+v", root.Children)
	}
	if len(root.Text) != 1 || root.Text[0].Value != "some text" || root.Text[0].Position != 1 {
		t.Errorf("text = %+v", root.Text)
	}
}

func TestXMLErrors(t *testing.T) {
	deep := msg(nil)
	for range 40 {
		deep = msg(nil).sub(1, msg(nil).str(3, "e").sub(5, deep))
	}
	tests := []struct {
		name  string
		data  []byte
		lim   Limits
		limit bool
		want  string
	}{
		{"empty", nil, Limits{}, false, "not an element"},
		{"text root", msg(nil).str(2, "hi"), Limits{}, false, "not an element"},
		{"truncated", msg(nil).sub(1, elem("a"))[:4], Limits{}, false, "bad value"},
		{"bad tag", []byte{0x00}, Limits{}, false, "bad field tag"},
		{"name not a string", msg(nil).sub(1, msg(nil).varint(3, 1)), Limits{}, false, "not a string"},
		{"too deep", deep, Limits{MaxDepth: 10}, true, "MaxDepth"},
		{"too many nodes", deep, Limits{MaxNodes: 5}, true, "MaxNodes"},
		{"too many attributes", msg(nil).sub(1, msg(nil).str(3, "a").sub(4, xmlAttr("", "x", "1", 0, nil)).sub(4, xmlAttr("", "y", "2", 0, nil))), Limits{MaxAttributes: 1}, true, "MaxAttributes"},
	}
	for _, tc := range tests {
		_, err := ParseXML(tc.data, tc.lim)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want a FormatError containing %q", tc.name, err, tc.want)
		}
		if errors.Is(err, ErrLimit) != tc.limit {
			t.Errorf("%s: errors.Is(ErrLimit) = %v, want %v", tc.name, !tc.limit, tc.limit)
		}
	}
	if _, err := ParseXML(deep, Limits{}); err != nil {
		t.Errorf("40 levels within the default limits: %v", err)
	}
}

// table builds a ResourceTable with one package.
func table(types ...msg) msg {
	p := msg(nil).sub(1, msg(nil).varint(1, 0x7f)).str(2, "org.example")
	for _, ty := range types {
		p = p.sub(3, ty)
	}
	return msg(nil).sub(2, p)
}

func resType(id uint32, name string, entries ...msg) msg {
	t := msg(nil).sub(1, msg(nil).varint(1, uint64(id))).str(2, name)
	for _, e := range entries {
		t = t.sub(3, e)
	}
	return t
}

func entry(id uint32, name string, public bool, values ...msg) msg {
	e := msg(nil).sub(1, msg(nil).varint(1, uint64(id))).str(2, name)
	if public {
		e = e.sub(3, msg(nil).varint(1, VisibilityPublic))
	}
	for _, v := range values {
		e = e.sub(6, v)
	}
	return e
}

func configValue(config msg, value msg) msg {
	return msg(nil).sub(1, config).sub(2, value)
}

func itemValue(item msg) msg { return msg(nil).sub(4, item) }

func strItem(s string) msg { return msg(nil).sub(2, msg(nil).str(1, s)) }

func TestTableToArsc(t *testing.T) {
	locale := func(l string) msg { return msg(nil).str(3, l) }
	plural := msg(nil)
	for _, p := range []struct {
		arity uint64
		text  string
	}{{1, "%d apple"}, {5, "%d apples"}, {0, "no apples"}} {
		plural = plural.sub(1, msg(nil).varint(3, p.arity).sub(4, strItem(p.text)))
	}
	styled := msg(nil).sub(4, msg(nil).str(1, "bold move").sub(2, msg(nil).str(1, "b").varint(2, 0).varint(3, 3)))
	data := table(
		resType(1, "string",
			entry(0, "app_name", true,
				configValue(nil, itemValue(strItem("Example"))),
				configValue(locale("fr"), itemValue(strItem("Exemple"))),
				configValue(locale("zh-TW"), itemValue(strItem("範例"))),
				configValue(locale("sr-Latn"), itemValue(strItem("Primer"))),
				configValue(locale("fil"), itemValue(strItem("Halimbawa"))),
			),
			entry(1, "styled", false, configValue(nil, itemValue(styled))),
			// A far entry ID makes the index sparse.
			entry(900, "far", false, configValue(nil, itemValue(strItem("far away")))),
		),
		resType(2, "plurals", entry(0, "apples", false, configValue(nil, msg(nil).sub(5, msg(nil).sub(5, plural))))),
		resType(3, "array", entry(0, "colors", false, configValue(nil, msg(nil).sub(5, msg(nil).sub(4,
			msg(nil).sub(1, msg(nil).sub(3, strItem("red"))).sub(1, msg(nil).sub(3, msg(nil).sub(1, msg(nil).varint(2, 0x7f010000)))),
		))))),
		resType(4, "bool", entry(0, "night", false,
			configValue(msg(nil).varint(17, 1).varint(24, 8), itemValue(msg(nil).sub(7, msg(nil).varint(8, 1)))))),
	)
	pt, err := ParseTable(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := pt.Table(arsc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Warnings) != 0 {
		t.Errorf("warnings: %v", tab.Warnings)
	}
	wantLabels := map[string]string{"": "Example", "fr": "Exemple", "zh-rTW": "範例", "b+sr+Latn": "Primer", "fil": "Halimbawa"}
	got := tab.Strings(0x7f010000)
	for loc, s := range wantLabels {
		if got[loc] != s {
			t.Errorf("app_name[%q] = %q, want %q (all: %v)", loc, got[loc], s, got)
		}
	}
	if len(got) != len(wantLabels) {
		t.Errorf("app_name has %d locales, want %d: %v", len(got), len(wantLabels), got)
	}
	if n, ok := tab.ResourceName(0x7f010384); !ok || !strings.HasSuffix(n, "string/far") {
		t.Errorf("far entry = %q %v", n, ok)
	}
	if s, err := tab.ResolveString(0x7f010384, ""); err != nil || s != "far away" {
		t.Errorf("far = %q, %v", s, err)
	}
	ty := tab.Packages[0].Type(1)
	if ty.Configs[0].Flags&arsc.TypeFlagSparse == 0 {
		t.Errorf("a type with 3 of 901 entries should be sparse")
	}
	if ty.SpecFlags[0]&arsc.SpecPublic == 0 || ty.SpecFlags[1]&arsc.SpecPublic != 0 {
		t.Errorf("spec flags %x %x: want only app_name public", ty.SpecFlags[0], ty.SpecFlags[1])
	}
	e, _ := ty.Configs[0].Entry(1)
	if e == nil || e.Value.Type != res.TypeString {
		t.Fatalf("styled entry = %+v", e)
	}
	if spans, err := tab.ValueStrings.Styles(e.Value.Data); err != nil || len(spans) != 1 || spans[0].LastChar != 3 {
		t.Errorf("styled spans = %+v, %v", spans, err)
	} else if tag, _ := tab.ValueStrings.String(spans[0].Name); tag != "b" {
		t.Errorf("span tag = %q", tag)
	}
	pl, err := tab.Plurals(0x7f020000, "")
	if err != nil || pl["one"] != "%d apple" || pl["other"] != "%d apples" || pl["zero"] != "no apples" {
		t.Errorf("plurals = %v, %v", pl, err)
	}
	arr, err := tab.StringArray(0x7f030000, "")
	if err != nil || len(arr) != 2 || arr[0] != "red" || arr[1] != "Example" {
		t.Errorf("array = %q, %v", arr, err)
	}
	night := tab.Entries(0x7f040000)
	if len(night) != 1 || night[0].Config.String() != "night-v8" || night[0].Entry.Value.Data != 0xffffffff {
		t.Errorf("night bool = %+v", night)
	}
}

func TestConfigurationBinary(t *testing.T) {
	tests := []struct {
		c    Configuration
		want string
	}{
		{Configuration{}, ""},
		{Configuration{Locale: "en-US"}, "en-rUS"},
		{Configuration{Locale: "b+sr+Latn"}, ""}, // not BCP-47: aapt2 writes "sr-Latn"
		{Configuration{Locale: "sr-Latn"}, "b+sr+Latn"},
		{Configuration{Locale: "es-419"}, "es-r419"},
		{Configuration{Locale: "ast"}, "ast"},
		{Configuration{MCC: 310, MNC: 4, Density: 480, SDKVersion: 21}, "mcc310-mnc4-xxhdpi-v21"},
		{Configuration{LayoutDirection: 2, SmallestScreenWidthDp: 600, Orientation: 2}, "ldrtl-sw600dp-land"},
		{Configuration{ScreenLayoutSize: 3, ScreenLayoutLong: 1, ScreenRound: 1}, "large-long-round"},
		{Configuration{UIModeType: 3, UIModeNight: 2, Touchscreen: 3, KeysHidden: 2, Keyboard: 2, NavHidden: 2, Navigation: 2}, "car-notnight-finger-keyshidden-qwerty-navhidden-dpad"},
		{Configuration{WideColorGamut: 1, HDR: 1}, "widecg-highdr"},
	}
	for _, tc := range tests {
		b := tc.c.Binary()
		// Through a one-entry table, to read the configuration as arsc does.
		pt := &ResourceTable{Packages: []*Package{{ID: 0x7f, HasID: true, Name: "p", Types: []*Type{{ID: 1, HasID: true, Name: "bool", Entries: []*Entry{{
			HasID: true, Name: "b", ConfigValues: []ConfigValue{{Config: tc.c, Value: Value{Item: &Item{Kind: ItemPrim, Prim: Primitive{Type: res.TypeIntBoolean}}}}},
		}}}}}}}
		tab, err := pt.Table(arsc.Limits{})
		if err != nil {
			t.Fatalf("%+v: %v", tc.c, err)
		}
		if got := tab.Packages[0].Type(1).Configs[0].Config.String(); got != tc.want {
			t.Errorf("%+v: config %q, want %q (bytes % x)", tc.c, got, tc.want, b[:36])
		}
	}
}

func TestTableErrors(t *testing.T) {
	many := msg(nil)
	for i := range 10 {
		many = many.sub(3, entry(uint32(i), "e", false, configValue(nil, itemValue(strItem("x")))))
	}
	tests := []struct {
		name  string
		data  []byte
		lim   Limits
		limit bool
	}{
		{"truncated", table(resType(1, "string", entry(0, "a", false)))[:10], Limits{}, false},
		{"entry ID not a message", table(resType(1, "string", msg(nil).varint(1, 3))), Limits{}, false},
		{"too many entries", table(msg(nil).sub(1, msg(nil).varint(1, 1)).str(2, "string").sub(3, entry(0, "a", false)).sub(3, entry(1, "b", false))), Limits{MaxEntries: 1}, true},
		{"too many values", table(append(resType(1, "string"), many...)), Limits{MaxValues: 3}, true},
	}
	for _, tc := range tests {
		_, err := ParseTable(tc.data, tc.lim)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a FormatError", tc.name, err)
		}
		if errors.Is(err, ErrLimit) != tc.limit {
			t.Errorf("%s: errors.Is(ErrLimit) = %v, want %v (%v)", tc.name, !tc.limit, tc.limit, err)
		}
	}
	// Entries without IDs and duplicates are left out with a warning.
	pt, err := ParseTable(table(resType(1, "string",
		msg(nil).str(2, "noid").sub(6, configValue(nil, itemValue(strItem("x")))),
		entry(0, "a", false, configValue(nil, itemValue(strItem("a")))),
		entry(0, "dup", false, configValue(nil, itemValue(strItem("b")))),
	)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := pt.Table(arsc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Warnings) != 2 {
		t.Errorf("warnings = %v, want 2 (no ID, duplicate)", tab.Warnings)
	}
	if s, err := tab.ResolveString(0x7f010000, ""); err != nil || s != "a" {
		t.Errorf("first definition = %q, %v", s, err)
	}
}

// TestSeeds reads the committed real files: they must decode without
// error or warning, and their flattened forms must parse cleanly.
func TestSeeds(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.pb")
	if len(files) < 7 {
		t.Fatalf("only %d seeds in testdata", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".xml.pb") {
			doc, err := ParseDocument(data, Limits{}, axml.Limits{})
			if err != nil {
				t.Errorf("%s: %v", f, err)
			} else if len(doc.Warnings) != 0 {
				t.Errorf("%s: %v", f, doc.Warnings)
			}
			continue
		}
		tab, err := ParseARSC(data, Limits{}, arsc.Limits{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if len(tab.Warnings) != 0 {
			t.Errorf("%s: %v", f, tab.Warnings)
		}
	}
	data, _ := os.ReadFile("testdata/demo-manifest.xml.pb")
	doc, err := ParseDocument(data, Limits{}, axml.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := doc.Root.Attr("", "package"); !ok {
		t.Error("demo manifest has no package")
	} else if s, _ := p.String(); s != "org.appxray.demo.ijop" {
		t.Errorf("demo package = %q", s)
	}
}
