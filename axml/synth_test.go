package axml

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/res"
)

// synthCase is a crafted document, often one using a trick seen in
// anti-analysis manifests.
type synthCase struct {
	name string
	doc  []byte
	// warn, if set, is a substring one of Parse's warnings (or its error)
	// must contain.
	warn string
	// aaptFails says aapt refuses the document; Parse must then fail or warn.
	aaptFails bool
}

func synthCases() []synthCase {
	var cs []synthCase
	add := func(name string, b *builder, warn string, aaptFails bool) {
		cs = append(cs, synthCase{name, b.bytes(), warn, aaptFails})
	}
	add("typical manifest", manifest(nil), "", false)
	add("text with escapes", manifest(func(b *builder) {
		b.start("", "meta", 4).text("say \"hi\"\\ \n then", 4).end("", "meta", 4)
	}), "", false)
	add("comment", manifest(func(b *builder) {
		b.add(node(res.ChunkXMLStartElement, 4, b.s("a kept comment"),
			cat(le32(NoIndex), le32(b.s("application")), le16(20), le16(20), le16(0), le16(0), le16(0), le16(0))))
		b.end("", "application", 4)
	}), "", false)
	add("attribute stride 24", manifest(func(b *builder) {
		b.startRaw(NoIndex, b.s("activity"), 4, 20, 24, []attr{b.strAttr("a", "1"), b.strAttr("b", "2")}, 0)
		b.end("", "activity", 4)
	}), "attribute size 24", false)
	add("attribute start after a gap", manifest(func(b *builder) {
		b.startRaw(NoIndex, b.s("activity"), 4, 28, 20, []attr{b.strAttr("a", "1"), b.strAttr("b", "2")}, 0)
		b.end("", "activity", 4)
	}), "", false)
	add("attribute stride 12 overlaps", manifest(func(b *builder) {
		b.startRaw(NoIndex, b.s("activity"), 4, 20, 12, []attr{b.strAttr("a", "1"), b.strAttr("b", "2"), b.strAttr("c", "3")}, 0)
		b.end("", "activity", 4)
	}), "attribute size 12", false)
	add("attribute stride 0", manifest(func(b *builder) {
		b.startRaw(NoIndex, b.s("activity"), 4, 20, 0, []attr{b.strAttr("a", "1"), b.strAttr("a", "1"), b.strAttr("a", "1")}, 0)
		b.end("", "activity", 4)
	}), "attribute size 0", false)
	add("node header size 24", manifest(func(b *builder) {
		ext := cat(le32(NoIndex), le32(b.s("service")), le16(20), le16(20), le16(1), le16(0), le16(0), le16(0), attrBytes(b.strAttr("x", "y")))
		b.add(chunk(res.ChunkXMLStartElement, 24, cat(le32(4), le32(NoIndex), le32(0), le32(0)), ext))
		b.end("", "service", 4)
	}), "", false)
	add("unknown node type in stream", manifest(func(b *builder) {
		b.add(node(0x0105, 4, NoIndex, cat(le32(1), le32(2))))
		b.start("", "after", 5).end("", "after", 5)
	}), "unknown XML node type", false)
	add("unknown chunk before the first node", func() *builder {
		b := manifest(nil)
		b.pre = append(b.pre, chunk(0x0999, 8, nil, cat(le32(1), le32(2))))
		return b
	}(), "unknown chunk type", false)
	add("namespace end mismatch", func() *builder {
		b := newBuilder()
		b.startNS("android", androidNS, 1).start("", "manifest", 2).end("", "manifest", 3).endNS("droid", "http://other", 3)
		return b
	}(), "", false)
	add("missing end tags", func() *builder {
		b := newBuilder()
		b.startNS("android", androidNS, 1).start("", "manifest", 2).start("", "application", 3).start("", "activity", 4)
		b.text("tail", 5)
		return b
	}(), "not closed", false)
	add("extra end tag", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2).end("", "manifest", 3).end("", "manifest", 3).end("", "manifest", 3).start("", "late", 4).end("", "late", 4)
		return b
	}(), "end tag without a start tag", false)
	add("end tag name mismatch", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2).start("", "a", 3).end("", "b", 3).end("", "manifest", 3)
		return b
	}(), "does not match", false)
	add("two root elements", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2).end("", "manifest", 3).start("", "manifest", 4, b.strAttr("package", "evil")).end("", "manifest", 5)
		return b
	}(), "extra top-level element", false)
	add("element in a namespace", manifest(func(b *builder) {
		b.start(androidNS, "thing", 4).end(androidNS, "thing", 4)
		b.start("http://unbound", "other", 5).end("http://unbound", "other", 5)
	}), "", false)
	add("odd UTF-16 strings", manifest(func(b *builder) {
		nul := b.fresh("before\x00after")
		lone := b.fresh("x")
		if b.rawStrs == nil {
			b.rawStrs = map[int][]byte{}
		}
		b.rawStrs[int(lone)] = cat(le16(3), le16('a'), le16(0xd800), le16('b'), le16(0))
		b.start("", "meta", 4, attr{ns: NoIndex, name: b.s("v"), raw: nul, typ: res.TypeString, data: nul},
			attr{ns: NoIndex, name: b.s("w"), raw: lone, typ: res.TypeString, data: lone},
			attr{ns: NoIndex, name: b.s("emoji"), raw: b.s("😀 日本"), typ: res.TypeString, data: b.s("😀 日本")})
		b.end("", "meta", 4)
	}), "", false)
	add("lenient UTF-8 pool", func() *builder {
		b := manifest(nil)
		b.utf8 = true
		b.rawStrs = map[int][]byte{}
		i := b.fresh("x")
		b.rawStrs[int(i)] = []byte{1, 2, 0xc3, 0x28, 0} // bad continuation byte, accepted by Android
		j := b.fresh("y")
		b.rawStrs[int(j)] = []byte{2, 6, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0} // CESU-8 surrogate pair
		k := b.fresh("z")
		b.rawStrs[int(k)] = []byte{5, 3, 'a', 'b', 'c', 0} // wrong UTF-16 length: Android reads NULL
		b.chunks = b.chunks[:len(b.chunks)-2]
		b.start("", "meta", 5, attr{ns: NoIndex, name: b.s("a"), raw: i, typ: res.TypeString, data: i},
			attr{ns: NoIndex, name: b.s("b"), raw: j, typ: res.TypeString, data: j},
			attr{ns: NoIndex, name: b.s("c"), raw: k, typ: res.TypeIntDec, data: 3})
		b.end("", "meta", 5).end("", "manifest", 9).endNS("android", androidNS, 9)
		return b
	}(), "UTF-16 length", false)
	add("typed values", manifest(func(b *builder) {
		n := func(s string) uint32 { return b.s(s) }
		b.start("", "values", 4,
			attr{NoIndex, n("null"), NoIndex, res.TypeNull, 0},
			attr{NoIndex, n("empty"), NoIndex, res.TypeNull, 1},
			attr{NoIndex, n("ref"), NoIndex, res.TypeReference, 0x7f040001},
			attr{NoIndex, n("ref0"), NoIndex, res.TypeReference, 0},
			attr{NoIndex, n("attr"), NoIndex, res.TypeAttribute, 0x01010036},
			attr{NoIndex, n("dynref"), NoIndex, res.TypeDynamicReference, 0x00020001},
			attr{NoIndex, n("dynattr"), NoIndex, res.TypeDynamicAttribute, 0x00020002},
			attr{NoIndex, n("float"), NoIndex, res.TypeFloat, math.Float32bits(1.5)},
			attr{NoIndex, n("dim"), NoIndex, res.TypeDimension, 12<<8 | 1},
			attr{NoIndex, n("hex"), n("0x10"), res.TypeIntHex, 0x10},
			attr{NoIndex, n("bool"), n("true"), res.TypeIntBoolean, 0xffffffff},
			attr{NoIndex, n("color"), n("#ff00ff00"), res.TypeIntColorARGB8, 0xff00ff00},
			attr{NoIndex, n("weird"), NoIndex, 0x42, 0xdead},
			attr{NoIndex, n("rawbad"), 99999, res.TypeIntDec, 1},
		)
		b.end("", "values", 4)
	}), "unreadable raw value", false)
	add("blank attribute names with IDs", func() *builder {
		b := newBuilder()
		blank := b.attrName("", 0x01010003)
		other := b.attrName("label", 0x01010001)
		b.startNS("android", androidNS, 1)
		ns := b.s(androidNS)
		b.start("", "manifest", 2).start("", "activity", 3,
			attr{ns, blank, b.s(".Main"), res.TypeString, b.s(".Main")},
			attr{NoIndex, other, NoIndex, res.TypeReference, 0x7f010000})
		b.end("", "activity", 3).end("", "manifest", 4).endNS("android", androidNS, 4)
		return b
	}(), "", false)
	add("huge line numbers", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 0x80000001).text("t", 0xffffffff).end("", "manifest", 2)
		return b
	}(), "", false)
	add("trailing bytes after the document", func() *builder {
		b := manifest(nil)
		b.trailer = []byte("PK\x03\x04 hidden payload")
		return b
	}(), "after the document", false)
	add("document type not XML", func() *builder {
		b := manifest(nil)
		b.docType = 0x0002
		return b
	}(), "not XML", false)
	add("bad start element later in the stream", manifest(func(b *builder) {
		b.add(node(res.ChunkXMLStartElement, 4, NoIndex,
			cat(le32(NoIndex), le32(b.s("bad")), le16(20), le16(20), le16(50), le16(0), le16(0), le16(0))))
	}), "ends early", false)
	add("end node too short later in the stream", manifest(func(b *builder) {
		b.add(node(res.ChunkXMLEndElement, 4, NoIndex, le32(0)))
	}), "ends early", false)
	add("top-level text", func() *builder {
		b := newBuilder()
		b.text("before", 1).start("", "manifest", 2).end("", "manifest", 2).text("after", 3)
		return b
	}(), "", false)
	add("single node ending the document", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2)
		return b
	}(), "no XML node", true)
	add("misaligned chunk", manifest(func(b *builder) {
		b.add(cat(node(0x0105, 4, NoIndex, nil), []byte{0, 0})[:16])
		c := b.chunks[len(b.chunks)-1]
		c = append(c, 0, 0)
		c[4] = 18
		b.chunks[len(b.chunks)-1] = c
	}), "not multiples of 4", false)
	add("misaligned root", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2).end("", "manifest", 2)
		c := b.chunks[0]
		binary.LittleEndian.PutUint32(c[4:], uint32(len(c)+2))
		b.chunks[0] = append(c, 0, 0)
		b.trailer = nil
		return b
	}(), "not multiples of 4", true)
	add("namespace end without start", func() *builder {
		b := newBuilder()
		b.start("", "manifest", 2).end("", "manifest", 2).endNS("a", "b", 3).start("", "late", 4).end("", "late", 4)
		return b
	}(), "", false)
	add("namespace ends inside element", func() *builder {
		b := newBuilder()
		b.startNS("a", "urn:a", 1).start("urn:a", "manifest", 2).endNS("a", "urn:a", 3).start("urn:a", "inner", 4).end("urn:a", "inner", 4).end("urn:a", "manifest", 5)
		return b
	}(), "", false)
	add("document size past the data", func() *builder {
		b := manifest(nil)
		b.sizeAdj = 64
		return b
	}(), "larger than the", true)
	add("larger document header", func() *builder {
		b := manifest(nil)
		b.docHeaderExtra = 8
		return b
	}(), "", false)
	add("larger string pool header and a gap before the strings", func() *builder {
		b := manifest(nil)
		b.poolHeaderExtra = 12
		b.poolGap = 20
		return b
	}(), "", false)
	add("UTF-8 pool with a larger header", func() *builder {
		b := manifest(nil)
		b.utf8 = true
		b.poolHeaderExtra = 4
		return b
	}(), "", false)
	return cs
}

// synthAPK stores doc as the manifest and res/xml/doc.xml of an APK named
// by its content, so aapt's cached output stays valid across runs.
func synthAPK(t *testing.T, doc []byte) string {
	t.Helper()
	sum := sha256.Sum256(doc)
	dir := filepath.Join(os.TempDir(), "appxray-axml-synth")
	path := filepath.Join(dir, hex.EncodeToString(sum[:12])+".apk")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"AndroidManifest.xml", "res/xml/doc.xml"} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(doc)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSynthParityAapt checks crafted documents against aapt: where aapt
// dumps them, Dump must match it; where it refuses, Parse must fail or warn.
func TestSynthParityAapt(t *testing.T) {
	cases := synthCases()
	compared, lines := 0, 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apk := synthAPK(t, c.doc)
			oracle := corpus.Tool(t, "aapt", "dump", "xmltree", apk, "res/xml/doc.xml")
			doc, err := Parse(c.doc, DefaultLimits())
			if c.warn != "" {
				found := err != nil && strings.Contains(err.Error(), c.warn)
				if doc != nil {
					for _, w := range doc.Warnings {
						found = found || strings.Contains(w.Error(), c.warn)
					}
				}
				if !found {
					var ws []error
					if doc != nil {
						ws = doc.Warnings
					}
					t.Errorf("no warning or error containing %q; err=%v warnings=%v", c.warn, err, ws)
				}
			}
			if (oracle.ExitCode != 0) != c.aaptFails {
				t.Fatalf("aapt exit code %d, case says aaptFails=%v; stderr: %s", oracle.ExitCode, c.aaptFails, oracle.Stderr)
			}
			if c.aaptFails {
				if err == nil && len(doc.Warnings) == 0 {
					t.Errorf("aapt refuses it, Parse accepts it silently")
				}
				return
			}
			if err != nil {
				t.Fatalf("aapt dumps it, Parse fails: %v", err)
			}
			var buf bytes.Buffer
			doc.Dump(&buf)
			n, diff := compareLines(buf.Bytes(), oracle.Stdout)
			if diff != "" {
				t.Errorf("dump differs from aapt: %s\ngot:\n%s\nwant:\n%s", diff, buf.Bytes(), oracle.Stdout)
			}
			compared++
			lines += n
		})
	}
	t.Logf("axml synthetic parity: %d crafted documents, %d compared with aapt, %d lines identical", len(cases), compared, lines)
}

func TestParseErrors(t *testing.T) {
	noPool := manifest(nil).bytes()
	// Cut the pool out: keep the document header, skip the pool chunk.
	poolSize := int(noPool[8+4]) | int(noPool[8+5])<<8
	noPool = append(append([]byte{}, noPool[:8]...), noPool[8+poolSize:]...)
	noPool[4], noPool[5], noPool[6], noPool[7] = byte(len(noPool)), byte(len(noPool)>>8), 0, 0
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "too short"},
		{"text XML", []byte("<?xml version=\"1.0\"?><manifest/>"), "not XML"},
		{"header only", []byte{3, 0, 8, 0, 8, 0, 0, 0}, "no string pool"},
		{"bad header size", []byte{3, 0, 4, 0, 8, 0, 0, 0}, "header size"},
		{"no string pool", noPool, "no string pool"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.data, DefaultLimits())
		var fe *FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want FormatError containing %q", tt.name, err, tt.msg)
		}
	}
	if _, err := Parse([]byte("<?xml version=\"1.0\"?><manifest/>"), DefaultLimits()); !errors.Is(err, ErrNoDocument) {
		t.Errorf("text XML: err = %v, want ErrNoDocument", err)
	}
}
