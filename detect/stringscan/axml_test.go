package stringscan

// A copy of detect/forms' minimal binary XML writer (test-only), to build
// manifests for the tests.

import (
	"encoding/binary"

	"appxray/app"
	"appxray/res"
)

// A minimal binary XML writer for tests: UTF-8 string pool, resource map,
// one namespace, elements with typed attributes.

type xattr struct {
	ns, name string
	resID    uint32 // 0 for none
	typ      uint8  // res.TypeString, res.TypeReference, res.TypeIntHex…
	str      string // for TypeString
	data     uint32
}

type xnode struct {
	name     string
	attrs    []xattr
	children []*xnode
}

func el(name string, attrs []xattr, children ...*xnode) *xnode {
	return &xnode{name: name, attrs: attrs, children: children}
}

func aStr(name string, id uint32, s string) xattr {
	return xattr{ns: app.AndroidNS, name: name, resID: id, typ: res.TypeString, str: s}
}

func buildAXML(root *xnode) []byte {
	var strs []string
	var ids []uint32
	index := map[string]int{}
	intern := func(s string) uint32 {
		if i, ok := index[s]; ok {
			return uint32(i)
		}
		index[s] = len(strs)
		strs = append(strs, s)
		return uint32(len(strs) - 1)
	}
	// Attribute names with resource IDs come first, matching the map.
	var walk func(n *xnode, f func(*xnode))
	walk = func(n *xnode, f func(*xnode)) {
		f(n)
		for _, c := range n.children {
			walk(c, f)
		}
	}
	walk(root, func(n *xnode) {
		for _, a := range n.attrs {
			if a.resID != 0 {
				if _, ok := index[a.name]; !ok {
					intern(a.name)
					ids = append(ids, a.resID)
				}
			}
		}
	})
	intern("android")
	intern(app.AndroidNS)
	walk(root, func(n *xnode) {
		intern(n.name)
		for _, a := range n.attrs {
			intern(a.name)
			if a.ns != "" {
				intern(a.ns)
			}
			if a.typ == res.TypeString {
				intern(a.str)
			}
		}
	})

	le := binary.LittleEndian
	u16 := func(b []byte, v uint16) []byte { return le.AppendUint16(b, v) }
	u32 := func(b []byte, v uint32) []byte { return le.AppendUint32(b, v) }

	// String pool.
	var data []byte
	var offs []uint32
	for _, s := range strs {
		offs = append(offs, uint32(len(data)))
		n16 := len([]rune(s))
		if n16 > 127 || len(s) > 127 {
			panic("test string too long")
		}
		data = append(data, byte(n16), byte(len(s)))
		data = append(data, s...)
		data = append(data, 0)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	hdr := 28
	pool := u16(nil, res.ChunkStringPool)
	pool = u16(pool, uint16(hdr))
	pool = u32(pool, uint32(hdr+4*len(strs)+len(data)))
	pool = u32(pool, uint32(len(strs)))
	pool = u32(pool, 0)
	pool = u32(pool, 1<<8) // UTF-8
	pool = u32(pool, uint32(hdr+4*len(strs)))
	pool = u32(pool, 0)
	for _, o := range offs {
		pool = u32(pool, o)
	}
	pool = append(pool, data...)

	rmap := u16(nil, res.ChunkXMLResourceMap)
	rmap = u16(rmap, 8)
	rmap = u32(rmap, uint32(8+4*len(ids)))
	for _, id := range ids {
		rmap = u32(rmap, id)
	}

	var nodes []byte
	line := uint32(1)
	ns := func(typ uint16) {
		nodes = u16(nodes, typ)
		nodes = u16(nodes, 16)
		nodes = u32(nodes, 24)
		nodes = u32(nodes, line)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, intern("android"))
		nodes = u32(nodes, intern(app.AndroidNS))
	}
	ns(res.ChunkXMLStartNamespace)
	var emit func(n *xnode)
	emit = func(n *xnode) {
		line++
		nodes = u16(nodes, res.ChunkXMLStartElement)
		nodes = u16(nodes, 16)
		nodes = u32(nodes, uint32(16+20+20*len(n.attrs)))
		nodes = u32(nodes, line)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, 0xffffffff) // no namespace
		nodes = u32(nodes, intern(n.name))
		nodes = u16(nodes, 20)
		nodes = u16(nodes, 20)
		nodes = u16(nodes, uint16(len(n.attrs)))
		nodes = u16(nodes, 0)
		nodes = u16(nodes, 0)
		nodes = u16(nodes, 0)
		for _, a := range n.attrs {
			if a.ns != "" {
				nodes = u32(nodes, intern(a.ns))
			} else {
				nodes = u32(nodes, 0xffffffff)
			}
			nodes = u32(nodes, intern(a.name))
			data := a.data
			raw := uint32(0xffffffff)
			if a.typ == res.TypeString {
				data = intern(a.str)
				raw = data
			}
			nodes = u32(nodes, raw)
			nodes = u16(nodes, 8)
			nodes = append(nodes, 0, a.typ)
			nodes = u32(nodes, data)
		}
		for _, c := range n.children {
			emit(c)
		}
		nodes = u16(nodes, res.ChunkXMLEndElement)
		nodes = u16(nodes, 16)
		nodes = u32(nodes, 24)
		nodes = u32(nodes, line)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, intern(n.name))
	}
	emit(root)
	ns(res.ChunkXMLEndNamespace)

	body := append(append(pool, rmap...), nodes...)
	doc := u16(nil, res.ChunkXML)
	doc = u16(doc, 8)
	doc = u32(doc, uint32(8+len(body)))
	return append(doc, body...)
}
