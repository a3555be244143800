package axml

import (
	"errors"
	"strings"
	"testing"

	"appxray/res"
)

// TestFloodedElementKeepsOthers: one element claiming 65535 attributes with
// overlapping records cannot take the attribute budget from the rest of the
// document (issue: a flooded element hid every later permission). The
// flood is cut to its fair share; a normal element after it and a small
// overlapping one keep all their attributes.
func TestFloodedElementKeepsOthers(t *testing.T) {
	b := newBuilder()
	a := b.strAttr("a", "b")
	flood := cat(le32(NoIndex), le32(b.s("flood")), le16(20), le16(0), le16(0xffff), le16(0), le16(0), le16(0), attrBytes(a))
	b.start("", "manifest", 1)
	for range 3 {
		b.add(node(res.ChunkXMLStartElement, 2, NoIndex, flood))
		b.end("", "flood", 2)
	}
	b.start("", "uses-permission", 3, b.strAttr("name", "android.permission.CAMERA"), b.strAttr("x", "y"))
	b.end("", "uses-permission", 3)
	// Three attributes 4 bytes apart: overlapping, but a small demand.
	b.startRaw(NoIndex, b.s("small"), 4, 20, 4, []attr{a, a, a}, 0)
	b.end("", "small", 4)
	b.end("", "manifest", 5)
	data := b.bytes()
	doc, err := Parse(data, Limits{MaxAttributes: 600})
	if err != nil {
		t.Fatal(err)
	}
	kids := doc.Root.Children
	if len(kids) != 5 {
		t.Fatalf("%d children", len(kids))
	}
	for i := range 3 {
		if n := len(kids[i].Attrs); n != 198 {
			t.Errorf("flood %d kept %d attributes, want its share 198 of 600 (5 go to the small elements)", i, n)
		}
	}
	if n := len(kids[3].Attrs); n != 2 {
		t.Errorf("<uses-permission> after the floods has %d attributes, want 2", n)
	}
	if n := len(kids[4].Attrs); n != 3 {
		t.Errorf("<small> has %d attributes, want 3", n)
	}
	limits := 0
	for _, w := range doc.Warnings {
		if errors.Is(w, ErrLimit) && strings.Contains(w.Error(), "<flood>") {
			limits++
		}
	}
	if limits != 3 {
		t.Errorf("%d limit warnings for the floods, want 3: %v", limits, doc.Warnings)
	}
}

// TestDeepNestingGoesOn: Android's ResXMLParser has no depth limit; a
// subtree nested deeper than MaxDepth is skipped and what follows it is
// still read (it used to end the document).
func TestDeepNestingGoesOn(t *testing.T) {
	b := newBuilder()
	b.start("", "manifest", 1)
	for range 6000 {
		b.start("", "deep", 2)
	}
	for range 6000 {
		b.end("", "deep", 3)
	}
	b.start("", "uses-permission", 4, b.strAttr("name", "android.permission.READ_SMS"))
	b.end("", "uses-permission", 4)
	b.end("", "manifest", 5)
	doc, err := Parse(b.bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	kids := doc.Root.Children
	if len(kids) != 2 || kids[1].Name != "uses-permission" {
		t.Fatalf("children after the deep subtree: %d", len(kids))
	}
	depth := 0
	for e := kids[0]; len(e.Children) > 0; e = e.Children[0] {
		depth++
	}
	if depth != DefaultLimits().MaxDepth-2 {
		t.Errorf("kept %d levels of <deep>", depth)
	}
}

// TestFrameworkAttr: PackageManager finds framework attributes through
// AttributeResolution's RetrieveAttributes, a merge of the element's
// attributes (assumed sorted by resource ID) with the sorted IDs of the
// styleable it asks for. An attribute placed after one with a higher ID is
// never found; AttrByID (aapt's lookup) still finds it.
func TestFrameworkAttr(t *testing.T) {
	b := newBuilder()
	vn := b.attrName("versionName", 0x0101021c)
	vc := b.attrName("versionCode", 0x0101021b)
	ns := b.s(androidNS)
	b.start("", "manifest", 1,
		attr{ns: ns, name: vn, raw: b.s("1.0"), typ: res.TypeString, data: b.s("1.0")},
		attr{ns: ns, name: vc, raw: NoIndex, typ: res.TypeIntDec, data: 7},
		b.strAttr("package", "com.example"))
	b.end("", "manifest", 1)
	doc, err := Parse(b.bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.Root.FrameworkAttr(0x0101021b); ok {
		t.Errorf("versionCode after versionName found; Android's merge skips it")
	}
	if a, ok := doc.Root.FrameworkAttr(0x0101021c); !ok || a.Name != "versionName" {
		t.Errorf("versionName not found")
	}
	if _, ok := doc.Root.AttrByID(0x0101021b); !ok {
		t.Errorf("AttrByID misses versionCode")
	}
	if _, ok := doc.Root.FrameworkAttr(0x01010003); ok {
		t.Errorf("absent attribute found")
	}
}

// TestPlainAttr: XmlPullParser.getAttributeValue(null, "package") matches
// only an attribute without a namespace (ResXMLParser::indexOfAttribute
// wants curNs == NULL); one whose namespace is the empty string is another.
func TestPlainAttr(t *testing.T) {
	b := newBuilder()
	empty := b.s("")
	decoy := attr{ns: empty, name: b.s("package"), raw: b.s("com.decoy"), typ: res.TypeString, data: b.s("com.decoy")}
	b.start("", "manifest", 1, decoy, b.strAttr("package", "com.real"))
	b.end("", "manifest", 1)
	doc, err := Parse(b.bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := doc.Root.Attr("", "package"); !ok || a.RawValue != "com.decoy" {
		t.Fatalf("setup: Attr finds %+v", a)
	}
	a, ok := doc.Root.PlainAttr(doc.Strings, "package")
	if !ok || a.RawValue != "com.real" || a.HasNamespace() {
		t.Errorf("PlainAttr = %+v, %v; want com.real", a, ok)
	}
	if !doc.Root.Attrs[0].HasNamespace() {
		t.Errorf("empty-string namespace reported as none")
	}
}

// TestTreeReadsFrameworkStrings: the tree holds strings as PackageManager
// reads them (StringBlock: UTF-8 byte length, first NUL ends the string),
// and the pool's disagreement with the native reader is a warning.
func TestTreeReadsFrameworkStrings(t *testing.T) {
	b := newBuilder()
	b.utf8 = true
	b.rawStrs = map[int][]byte{}
	b.start("", "manifest", 1)
	b.start("", "uses-permission", 2, b.strAttr("name", "placeholder"))
	// UTF-16 length 3 is wrong: stringAt (aapt) refuses it, string8At reads it.
	b.rawStrs[int(b.s("placeholder"))] = append([]byte{3, 26}, "android.permission.CAMERA\x00"...)
	b.end("", "uses-permission", 2)
	b.end("", "manifest", 3)
	doc, err := Parse(b.bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	a := doc.Root.Children[0].Attrs[0]
	if s, _ := a.String(); s != "android.permission.CAMERA" {
		t.Errorf("value = %q", s)
	}
	found := false
	for _, w := range doc.Warnings {
		found = found || errors.Is(w, res.ErrReaderMismatch)
	}
	if !found {
		t.Errorf("no reader-mismatch warning: %v", doc.Warnings)
	}
}
