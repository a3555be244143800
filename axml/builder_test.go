package axml

import (
	"encoding/binary"
	"unicode/utf16"

	"appxray/res"
)

// builder assembles binary XML documents for tests, including malformed
// ones. Strings are interned in a UTF-16 (or UTF-8) pool; the first
// len(ids) strings are the attribute names the resource map covers.
type builder struct {
	utf8    bool
	strs    []string
	rawStrs map[int][]byte // string index → record bytes replacing the encoded string
	index   map[string]uint32
	ids     []uint32
	chunks  [][]byte // chunks after the pool and resource map
	pre     [][]byte // chunks between the pool and the resource map
	docType uint16
	trailer []byte // bytes after the document
	sizeAdj int    // added to the document's size field

	docHeaderExtra  int // padding bytes added to the document header
	poolHeaderExtra int // padding bytes added to the string pool header
	poolGap         int // bytes between the offsets and the string data
}

func newBuilder() *builder {
	return &builder{index: map[string]uint32{}, docType: res.ChunkXML}
}

// attrName interns an attribute name carrying resource ID id; call these
// before any other string.
func (b *builder) attrName(name string, id uint32) uint32 {
	if len(b.strs) != len(b.ids) {
		panic("attrName after other strings")
	}
	i := uint32(len(b.strs))
	b.strs = append(b.strs, name)
	b.ids = append(b.ids, id)
	b.index[name] = i
	return i
}

// s interns a string; "" with none=true gives NoIndex.
func (b *builder) s(str string) uint32 {
	if i, ok := b.index[str]; ok {
		return i
	}
	i := uint32(len(b.strs))
	b.strs = append(b.strs, str)
	b.index[str] = i
	return i
}

// fresh adds a string without interning, e.g. to hold odd bytes.
func (b *builder) fresh(str string) uint32 {
	b.strs = append(b.strs, str)
	return uint32(len(b.strs) - 1)
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// chunk builds a chunk with the given header fields after the size.
func chunk(typ uint16, headerSize uint16, header, body []byte) []byte {
	size := 8 + len(header) + len(body)
	return cat(le16(typ), le16(headerSize), le32(uint32(size)), header, body)
}

// node builds an XML node chunk with a 16-byte header.
func node(typ uint16, line, comment uint32, ext []byte) []byte {
	return chunk(typ, 16, cat(le32(line), le32(comment)), ext)
}

func (b *builder) add(c []byte) *builder { b.chunks = append(b.chunks, c); return b }

func (b *builder) startNS(prefix, uri string, line uint32) *builder {
	return b.add(node(res.ChunkXMLStartNamespace, line, NoIndex, cat(le32(b.s(prefix)), le32(b.s(uri)))))
}

func (b *builder) endNS(prefix, uri string, line uint32) *builder {
	return b.add(node(res.ChunkXMLEndNamespace, line, NoIndex, cat(le32(b.s(prefix)), le32(b.s(uri)))))
}

// attr is an attribute for start.
type attr struct {
	ns, name uint32 // string indices (NoIndex for none)
	raw      uint32
	typ      uint8
	data     uint32
}

// strAttr is a plain string attribute without a namespace.
func (b *builder) strAttr(name, value string) attr {
	v := b.s(value)
	return attr{ns: NoIndex, name: b.s(name), raw: v, typ: res.TypeString, data: v}
}

func attrBytes(a attr) []byte {
	return cat(le32(a.ns), le32(a.name), le32(a.raw), le16(8), []byte{0, a.typ}, le32(a.data))
}

// startRaw builds a start element with an explicit attribute layout.
func (b *builder) startRaw(ns, name uint32, line uint32, attrStart, attrSize uint16, attrs []attr, pad int) *builder {
	ext := cat(le32(ns), le32(name), le16(attrStart), le16(attrSize), le16(uint16(len(attrs))), le16(0), le16(0), le16(0))
	for len(ext) < int(attrStart) {
		ext = append(ext, 0)
	}
	for _, a := range attrs {
		rec := attrBytes(a)
		for len(rec) < int(attrSize) {
			rec = append(rec, 0)
		}
		ext = append(ext, rec[:max(int(attrSize), 0)]...)
	}
	if attrSize < attributeSize && len(attrs) > 0 {
		// A short stride still reads 20 bytes for the last attribute.
		ext = append(ext, attrBytes(attrs[len(attrs)-1])[attrSize:]...)
	}
	ext = append(ext, make([]byte, pad)...)
	return b.add(node(res.ChunkXMLStartElement, line, NoIndex, ext))
}

func (b *builder) start(ns, name string, line uint32, attrs ...attr) *builder {
	nsIdx := uint32(NoIndex)
	if ns != "" {
		nsIdx = b.s(ns)
	}
	return b.startRaw(nsIdx, b.s(name), line, 20, 20, attrs, 0)
}

func (b *builder) end(ns, name string, line uint32) *builder {
	nsIdx := uint32(NoIndex)
	if ns != "" {
		nsIdx = b.s(ns)
	}
	return b.add(node(res.ChunkXMLEndElement, line, NoIndex, cat(le32(nsIdx), le32(b.s(name)))))
}

func (b *builder) text(s string, line uint32) *builder {
	return b.add(node(res.ChunkXMLCData, line, NoIndex, cat(le32(b.s(s)), le16(8), []byte{0, 0}, le32(0))))
}

// pool encodes the string pool chunk.
func (b *builder) pool() []byte {
	var data []byte
	var offs []byte
	for i, s := range b.strs {
		offs = append(offs, le32(uint32(len(data)))...)
		if rec, ok := b.rawStrs[i]; ok {
			data = append(data, rec...)
			continue
		}
		if b.utf8 {
			u := len(utf16.Encode([]rune(s)))
			for _, n := range []int{u, len(s)} {
				if n > 0x7f {
					data = append(data, byte(n>>8)|0x80, byte(n))
				} else {
					data = append(data, byte(n))
				}
			}
			data = append(data, s...)
			data = append(data, 0)
		} else {
			u := utf16.Encode([]rune(s))
			if len(u) > 0x7fff {
				data = append(data, le16(uint16(len(u)>>16)|0x8000)...)
			}
			data = append(data, le16(uint16(len(u)))...)
			for _, c := range u {
				data = append(data, le16(c)...)
			}
			data = append(data, 0, 0)
		}
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	var flags uint32
	if b.utf8 {
		flags = res.FlagUTF8
	}
	hs := 28 + b.poolHeaderExtra
	header := cat(le32(uint32(len(b.strs))), le32(0), le32(flags), le32(uint32(hs+len(offs)+b.poolGap)), le32(0), make([]byte, b.poolHeaderExtra))
	return chunk(res.ChunkStringPool, uint16(hs), header, cat(offs, make([]byte, b.poolGap), data))
}

func (b *builder) bytes() []byte {
	body := b.pool()
	for _, c := range b.pre {
		body = append(body, c...)
	}
	if len(b.ids) > 0 {
		var ids []byte
		for _, id := range b.ids {
			ids = append(ids, le32(id)...)
		}
		body = append(body, chunk(res.ChunkXMLResourceMap, 8, nil, ids)...)
	}
	for _, c := range b.chunks {
		body = append(body, c...)
	}
	doc := chunk(b.docType, uint16(8+b.docHeaderExtra), make([]byte, b.docHeaderExtra), body)
	binary.LittleEndian.PutUint32(doc[4:], uint32(len(doc)+b.sizeAdj))
	return append(doc, b.trailer...)
}

const androidNS = "http://schemas.android.com/apk/res/android"

// manifest builds a small typical manifest; extra runs before the
// manifest element ends.
func manifest(extra func(b *builder)) *builder {
	b := newBuilder()
	name := b.attrName("name", 0x01010003)
	vc := b.attrName("versionCode", 0x0101021b)
	b.startNS("android", androidNS, 1)
	ns := b.s(androidNS)
	b.start("", "manifest", 2, attr{ns: ns, name: vc, raw: NoIndex, typ: res.TypeIntDec, data: 7}, b.strAttr("package", "com.example"))
	b.start("", "uses-permission", 3, attr{ns: ns, name: name, raw: b.s("android.permission.INTERNET"), typ: res.TypeString, data: b.s("android.permission.INTERNET")})
	b.end("", "uses-permission", 3)
	if extra != nil {
		extra(b)
	}
	b.end("", "manifest", 9)
	b.endNS("android", androidNS, 9)
	return b
}
