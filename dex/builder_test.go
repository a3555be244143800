package dex

import (
	"encoding/binary"
	"hash/adler32"
)

// testDex describes a small dex file for tests. Its pools are fixed (see
// buildDex); the classes and their code vary.
type testDex struct {
	version string // "035" if empty
	base    int    // offset of this dex within its container (version 041)
	classes []testClass
	// container is the container_size for version 041 (0: file size).
	container int
}

type testClass struct {
	classIdx  uint32
	classData []byte // raw class_data_item, used instead of methods if set
	direct    []testMethod
	virtual   []testMethod
}

type testMethod struct {
	methodIdx uint32
	access    uint32
	code      []uint16 // nil: no code_item
	codeOff   uint32   // used instead of a real code_item if non-zero
}

// Fixed pools of every test dex.
var (
	testStrings = []string{
		"<init>",             // 0
		"Lcom/a/B;",          // 1
		"Ljava/lang/Object;", // 2
		"V",                  // 3
		"foo",                // 4
		"hello\xc0\x80w\xc3\xb6rld\xed\xa0\xbd\xed\xb8\x80", // 5: MUTF-8 "hello\x00wörld😀"
		"I",         // 6
		"f",         // 7
		"VI",        // 8
		"Lcom/a/C;", // 9
		"bar",       // 10
	}
	testTypes  = []uint32{1, 2, 3, 6, 9} // 0 B, 1 Object, 2 V, 3 I, 4 C
	testProtos = []struct {
		shorty, ret uint32
		params      []uint16
	}{{3, 2, nil}, {8, 2, []uint16{3}}}
	testFields  = [][3]uint32{{0, 3, 7}}                                   // class, type, name: B.f:I
	testMethods = [][3]uint32{{1, 0, 0}, {0, 1, 4}, {0, 0, 0}, {4, 0, 10}} // class, proto, name
)

const (
	mObjectInit = 0 // Ljava/lang/Object;-><init>()V
	mFoo        = 1 // Lcom/a/B;->foo(I)V
	mInit       = 2 // Lcom/a/B;-><init>()V
	mBar        = 3 // Lcom/a/C;->bar()V
)

type dexWriter struct {
	b    []byte
	base int
}

func (w *dexWriter) pos() uint32 { return uint32(w.base + len(w.b)) }
func (w *dexWriter) align4() {
	for len(w.b)%4 != 0 {
		w.b = append(w.b, 0)
	}
}
func (w *dexWriter) u16(v uint16)  { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *dexWriter) u32(v uint32)  { w.b = binary.LittleEndian.AppendUint32(w.b, v) }
func (w *dexWriter) uleb(v uint32) { w.b = binary.AppendUvarint(w.b, uint64(v)) }
func (w *dexWriter) put32(at uint32, v uint32) {
	binary.LittleEndian.PutUint32(w.b[int(at)-w.base:], v)
}

// buildDex lays out a dex file: header, id tables, then string data, type
// lists, code items, class data and the map.
func buildDex(d testDex) []byte {
	version := d.version
	if version == "" {
		version = "035"
	}
	hsize := uint32(headerSize)
	if version >= "041" {
		hsize = headerSizeV41
	}
	w := &dexWriter{base: d.base}
	w.b = make([]byte, hsize)
	copy(w.b, "dex\n"+version+"\x00")
	le.PutUint32(w.b[0x24:], hsize)
	le.PutUint32(w.b[0x28:], endianConstant)
	table := func(field int, n int, size int) uint32 {
		off := w.pos()
		le.PutUint32(w.b[field:], uint32(n))
		le.PutUint32(w.b[field+4:], off)
		w.b = append(w.b, make([]byte, n*size)...)
		return off
	}
	strIDs := table(0x38, len(testStrings), 4)
	typeIDs := table(0x40, len(testTypes), 4)
	protoIDs := table(0x48, len(testProtos), 12)
	fieldIDs := table(0x50, len(testFields), 8)
	methodIDs := table(0x58, len(testMethods), 8)
	classDefs := table(0x60, len(d.classes), 32)
	dataOff := w.pos()
	for i, s := range testStrings {
		w.put32(strIDs+4*uint32(i), w.pos())
		w.uleb(uint32(len(s))) // utf16_size; not checked by the parser
		w.b = append(w.b, s...)
		w.b = append(w.b, 0)
	}
	for i, t := range testTypes {
		w.put32(typeIDs+4*uint32(i), t)
	}
	for i, p := range testProtos {
		at := protoIDs + 12*uint32(i)
		w.put32(at, p.shorty)
		w.put32(at+4, p.ret)
		if len(p.params) > 0 {
			w.align4()
			w.put32(at+8, w.pos())
			w.u32(uint32(len(p.params)))
			for _, t := range p.params {
				w.u16(t)
			}
		}
	}
	for i, f := range testFields {
		at := int(fieldIDs) - w.base + 8*i
		le.PutUint16(w.b[at:], uint16(f[0]))
		le.PutUint16(w.b[at+2:], uint16(f[1]))
		le.PutUint32(w.b[at+4:], f[2])
	}
	for i, m := range testMethods {
		at := int(methodIDs) - w.base + 8*i
		le.PutUint16(w.b[at:], uint16(m[0]))
		le.PutUint16(w.b[at+2:], uint16(m[1]))
		le.PutUint32(w.b[at+4:], m[2])
	}
	// Code items first, so class data can refer to them.
	codeOffs := map[*testMethod]uint32{}
	for ci := range d.classes {
		for _, list := range [][]testMethod{d.classes[ci].direct, d.classes[ci].virtual} {
			for mi := range list {
				m := &list[mi]
				if m.code == nil {
					continue
				}
				w.align4()
				codeOffs[m] = w.pos()
				w.u16(2) // registers
				w.u16(1) // ins
				w.u16(1) // outs
				w.u16(0) // tries
				w.u32(0) // debug info
				w.u32(uint32(len(m.code)))
				for _, u := range m.code {
					w.u16(u)
				}
			}
		}
	}
	for ci := range d.classes {
		c := &d.classes[ci]
		at := classDefs + 32*uint32(ci)
		w.put32(at, c.classIdx)
		w.put32(at+4, AccPublic)
		w.put32(at+8, 1) // superclass Object
		w.put32(at+16, NoIndex)
		w.put32(at+24, w.pos())
		if c.classData != nil {
			w.b = append(w.b, c.classData...)
			continue
		}
		w.uleb(0)
		w.uleb(0)
		w.uleb(uint32(len(c.direct)))
		w.uleb(uint32(len(c.virtual)))
		for _, list := range [][]testMethod{c.direct, c.virtual} {
			prev := uint32(0)
			for mi := range list {
				m := &list[mi]
				w.uleb(m.methodIdx - prev)
				prev = m.methodIdx
				w.uleb(m.access)
				switch {
				case m.codeOff != 0:
					w.uleb(m.codeOff)
				case m.code != nil:
					w.uleb(codeOffs[m])
				default:
					w.uleb(0)
				}
			}
		}
	}
	w.align4()
	mapOff := w.pos()
	items := [][3]uint32{
		{uint32(TypeHeaderItem), 1, uint32(d.base)},
		{uint32(TypeStringIDItem), uint32(len(testStrings)), strIDs},
		{uint32(TypeTypeIDItem), uint32(len(testTypes)), typeIDs},
		{uint32(TypeProtoIDItem), uint32(len(testProtos)), protoIDs},
		{uint32(TypeFieldIDItem), uint32(len(testFields)), fieldIDs},
		{uint32(TypeMethodIDItem), uint32(len(testMethods)), methodIDs},
		{uint32(TypeClassDefItem), uint32(len(d.classes)), classDefs},
		{uint32(TypeMapList), 1, mapOff},
	}
	w.u32(uint32(len(items)))
	for _, it := range items {
		w.u16(uint16(it[0]))
		w.u16(0)
		w.u32(it[1])
		w.u32(it[2])
	}
	le.PutUint32(w.b[0x20:], uint32(len(w.b)))
	le.PutUint32(w.b[0x34:], mapOff)
	le.PutUint32(w.b[0x68:], w.pos()-dataOff)
	le.PutUint32(w.b[0x6c:], dataOff)
	if hsize == headerSizeV41 {
		container := d.container
		if container == 0 {
			container = len(w.b)
		}
		le.PutUint32(w.b[0x70:], uint32(container))
		le.PutUint32(w.b[0x74:], uint32(d.base))
	}
	resum(w.b)
	return w.b
}

// resum sets the Adler-32 checksum of a dex file (or of one section of a
// container, given alone) after changing its bytes.
func resum(b []byte) []byte {
	le.PutUint32(b[8:], adler32.Checksum(b[12:le.Uint32(b[0x20:])]))
	return b
}

// simpleDex is a valid file with class B: <init> calling Object.<init> and
// foo running code.
func simpleDex(code []uint16) []byte {
	return buildDex(testDex{classes: []testClass{{
		classIdx: 0,
		direct:   []testMethod{{methodIdx: mInit, access: AccPublic | AccConstructor, code: []uint16{0x1070, mObjectInit, 0x0000, 0x000e}}},
		virtual:  []testMethod{{methodIdx: mFoo, access: AccPublic, code: code}},
	}}})
}
