package axml

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/res"
)

// renderTree prints the element tree (not the node stream Dump replays) in
// aapt's format. For a well-formed document the two must agree, which checks
// that Children, Text and Namespaces put everything back in place.
func renderTree(d *Document) string {
	var b strings.Builder
	type nsEntry struct{ prefix, uri string }
	var scope []nsEntry
	prefixOf := func(uri string) string {
		for _, ns := range scope {
			if ns.uri == uri {
				return ns.prefix
			}
		}
		return uri
	}
	var walk func(e *Element, depth int)
	walk = func(e *Element, depth int) {
		for _, ns := range e.Namespaces {
			fmt.Fprintf(&b, "%sN: %s=%s\n", strings.Repeat("  ", depth), ns.Prefix, ns.URI)
			scope = append(scope, nsEntry{ns.Prefix, ns.URI})
			depth++
		}
		ind := strings.Repeat("  ", depth)
		name := e.Name
		if e.Namespace != "" {
			name = prefixOf(e.Namespace) + ":" + name
		}
		fmt.Fprintf(&b, "%sE: %s (line=%d)\n", ind, name, e.Line)
		for _, a := range e.Attrs {
			n := a.Name
			if a.Namespace != "" {
				n = prefixOf(a.Namespace) + ":" + n
			}
			if a.ResourceID != 0 {
				n += fmt.Sprintf("(0x%08x)", a.ResourceID)
			}
			var v string
			switch a.Value.Type {
			case res.TypeNull:
				v = "(null)"
			case res.TypeReference, res.TypeAttribute:
				v = a.Value.Format()
			case res.TypeString:
				v = `"` + normalizeForOutput(a.RawValue) + `"`
			default:
				v = fmt.Sprintf("(type 0x%x)0x%x", a.Value.Type, a.Value.Data)
			}
			if a.HasRaw {
				v += ` (Raw: "` + normalizeForOutput(a.RawValue) + `")`
			}
			fmt.Fprintf(&b, "%s  A: %s=%s\n", ind, n, v)
		}
		ti := 0
		for i := 0; i <= len(e.Children); i++ {
			for ; ti < len(e.Text) && e.Text[ti].Position == i; ti++ {
				fmt.Fprintf(&b, "%s  C: \"%s\"\n", ind, normalizeForOutput(e.Text[ti].Value))
			}
			if i < len(e.Children) {
				walk(e.Children[i], depth+1)
			}
		}
		scope = scope[:len(scope)-len(e.Namespaces)]
	}
	for _, r := range d.Roots {
		walk(r, 0)
	}
	return b.String()
}

// TestTreeMatchesStream renders the tree of every corpus XML document that
// parsed without warnings and compares it with Dump.
func TestTreeMatchesStream(t *testing.T) {
	docs, elems := 0, 0
	for _, apk := range corpus.APKs(t) {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue // listed in TestParityAapt
		}
		for _, f := range xmlEntries(&zr.Reader) {
			data, err := readEntry(f)
			if err != nil {
				continue
			}
			doc, err := Parse(data, DefaultLimits())
			if err != nil || len(doc.Warnings) > 0 {
				continue
			}
			var buf bytes.Buffer
			doc.Dump(&buf)
			if got, want := renderTree(doc), buf.String(); got != want {
				_, diff := compareLines([]byte(got), []byte(want))
				t.Errorf("%s!%s: tree differs from node stream: %s", corpus.Name(apk), f.Name, diff)
			}
			docs++
			elems += strings.Count(buf.String(), "E: ")
		}
		zr.Close()
	}
	t.Logf("axml tree: %d documents, %d elements rebuilt from the tree identically", docs, elems)
}

func TestElementAPI(t *testing.T) {
	b := newBuilder()
	blank := b.attrName("", 0x01010003)
	label := b.attrName("label", 0x01010001)
	b.startNS("android", androidNS, 1)
	ns := b.s(androidNS)
	b.start("", "manifest", 2, b.strAttr("package", "com.example"))
	b.start("", "activity", 3,
		attr{ns, blank, b.s(".Main"), res.TypeString, b.s(".Main")},
		attr{ns, label, NoIndex, res.TypeReference, 0x7f010000},
		attr{NoIndex, b.s("exported"), b.s("true"), res.TypeIntBoolean, 0xffffffff})
	b.text("hello", 4)
	b.start("", "intent-filter", 5).end("", "intent-filter", 5)
	b.text("bye", 6)
	b.end("", "activity", 7).end("", "manifest", 8).endNS("android", androidNS, 8)
	doc, err := Parse(b.bytes(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Warnings) != 0 {
		t.Errorf("warnings: %v", doc.Warnings)
	}
	root := doc.Root
	if root == nil || root.Name != "manifest" || len(doc.Roots) != 1 {
		t.Fatalf("root = %+v", root)
	}
	if len(root.Namespaces) != 1 || root.Namespaces[0] != (Namespace{Prefix: "android", URI: androidNS, Line: 1, Offset: root.Namespaces[0].Offset, prefixIdx: root.Namespaces[0].prefixIdx, uriIdx: root.Namespaces[0].uriIdx}) {
		t.Errorf("namespaces = %+v", root.Namespaces)
	}
	if a, ok := root.Attr("", "package"); !ok {
		t.Error("package attribute not found")
	} else if s, ok := a.String(); !ok || s != "com.example" {
		t.Errorf("package = %q, %v", s, ok)
	}
	act := root.Children[0]
	// The blank name is found by its ID, as Android finds it.
	if a, ok := act.AttrByID(0x01010003); !ok || a.Name != "" || a.Namespace != androidNS {
		t.Errorf("AttrByID(name) = %+v, %v", a, ok)
	} else if s, _ := a.String(); s != ".Main" {
		t.Errorf("name = %q", s)
	}
	if a, ok := act.AttrByID(0x01010001); !ok || !a.Value.IsReference() || a.Value.Data != 0x7f010000 {
		t.Errorf("label = %+v", a)
	} else if _, ok := a.String(); ok {
		t.Error("a reference has no string")
	}
	if a, ok := act.Attr("", "exported"); !ok || !a.Value.Bool() || a.RawValue != "true" {
		t.Errorf("exported = %+v", a)
	}
	if _, ok := act.AttrByID(0); ok {
		t.Error("AttrByID(0) found something")
	}
	if _, ok := act.Attr(androidNS, "exported"); ok {
		t.Error("Attr matched the wrong namespace")
	}
	if len(act.Text) != 2 || act.Text[0].Value != "hello" || act.Text[0].Position != 0 || act.Text[1].Position != 1 {
		t.Errorf("text = %+v", act.Text)
	}
	if act.Line != 3 || act.Offset <= 0 || act.Children[0].Name != "intent-filter" {
		t.Errorf("activity = %+v", act)
	}
}

func TestMaxDepth(t *testing.T) {
	b := newBuilder()
	for i := range 50 {
		b.start("", fmt.Sprint("e", i), uint32(i))
	}
	for i := 49; i >= 0; i-- {
		b.end("", fmt.Sprint("e", i), uint32(i))
	}
	lim := DefaultLimits()
	lim.MaxDepth = 10
	doc, err := Parse(b.bytes(), lim)
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for e := doc.Root; e != nil; depth++ {
		if len(e.Children) == 0 {
			e = nil
		} else {
			e = e.Children[0]
		}
	}
	if depth != 10 {
		t.Errorf("depth = %d, want 10", depth)
	}
	found := false
	for _, w := range doc.Warnings {
		found = found || strings.Contains(w.Error(), "nested deeper than 10")
	}
	if !found {
		t.Errorf("warnings = %v", doc.Warnings)
	}
}

func TestAttributeBudget(t *testing.T) {
	// 65535 attributes with stride 0 fit in a few bytes: the budget keeps
	// memory proportional to the input.
	b := newBuilder()
	a := b.strAttr("a", "b")
	ext := cat(le32(NoIndex), le32(b.s("m")), le16(20), le16(0), le16(0xffff), le16(0), le16(0), le16(0), attrBytes(a))
	for range 40 {
		b.add(node(res.ChunkXMLStartElement, 1, NoIndex, ext))
	}
	data := b.bytes()
	doc, err := Parse(data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	var walk func(e *Element)
	walk = func(e *Element) {
		total += len(e.Attrs)
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(doc.Root)
	if total > len(data)/4+1024 {
		t.Errorf("%d attributes decoded from %d bytes", total, len(data))
	}
}
