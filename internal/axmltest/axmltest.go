// Package axmltest writes small binary XML documents (manifests, layouts)
// for tests: a UTF-8 string pool, a resource map, one namespace, and
// elements with typed attributes.
package axmltest

import (
	"encoding/binary"

	"appxray/app"
	"appxray/res"
)

type Attr struct {
	NS, Name string
	ResID    uint32 // 0 for none
	Type     uint8  // res.TypeString, res.TypeReference, res.TypeIntHex…
	Str      string // for TypeString
	Data     uint32
}

type Node struct {
	Name     string
	Attrs    []Attr
	Children []*Node
}

// El is an element with its attributes and children.
func El(name string, attrs []Attr, children ...*Node) *Node {
	return &Node{Name: name, Attrs: attrs, Children: children}
}

// Str is an android: attribute holding a string.
func Str(name string, id uint32, s string) Attr {
	return Attr{NS: app.AndroidNS, Name: name, ResID: id, Type: res.TypeString, Str: s}
}

// Ref is an android: attribute holding a resource reference.
func Ref(name string, id uint32, ref uint32) Attr {
	return Attr{NS: app.AndroidNS, Name: name, ResID: id, Type: res.TypeReference, Data: ref}
}

// Build writes the document whose root element is root.
func Build(root *Node) []byte {
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
	var walk func(n *Node, f func(*Node))
	walk = func(n *Node, f func(*Node)) {
		f(n)
		for _, c := range n.Children {
			walk(c, f)
		}
	}
	walk(root, func(n *Node) {
		for _, a := range n.Attrs {
			if a.ResID != 0 {
				if _, ok := index[a.Name]; !ok {
					intern(a.Name)
					ids = append(ids, a.ResID)
				}
			}
		}
	})
	intern("android")
	intern(app.AndroidNS)
	walk(root, func(n *Node) {
		intern(n.Name)
		for _, a := range n.Attrs {
			intern(a.Name)
			if a.NS != "" {
				intern(a.NS)
			}
			if a.Type == res.TypeString {
				intern(a.Str)
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
	var emit func(n *Node)
	emit = func(n *Node) {
		line++
		nodes = u16(nodes, res.ChunkXMLStartElement)
		nodes = u16(nodes, 16)
		nodes = u32(nodes, uint32(16+20+20*len(n.Attrs)))
		nodes = u32(nodes, line)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, 0xffffffff) // no namespace
		nodes = u32(nodes, intern(n.Name))
		nodes = u16(nodes, 20)
		nodes = u16(nodes, 20)
		nodes = u16(nodes, uint16(len(n.Attrs)))
		nodes = u16(nodes, 0)
		nodes = u16(nodes, 0)
		nodes = u16(nodes, 0)
		for _, a := range n.Attrs {
			if a.NS != "" {
				nodes = u32(nodes, intern(a.NS))
			} else {
				nodes = u32(nodes, 0xffffffff)
			}
			nodes = u32(nodes, intern(a.Name))
			data := a.Data
			raw := uint32(0xffffffff)
			if a.Type == res.TypeString {
				data = intern(a.Str)
				raw = data
			}
			nodes = u32(nodes, raw)
			nodes = u16(nodes, 8)
			nodes = append(nodes, 0, a.Type)
			nodes = u32(nodes, data)
		}
		for _, c := range n.Children {
			emit(c)
		}
		nodes = u16(nodes, res.ChunkXMLEndElement)
		nodes = u16(nodes, 16)
		nodes = u32(nodes, 24)
		nodes = u32(nodes, line)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, 0xffffffff)
		nodes = u32(nodes, intern(n.Name))
	}
	emit(root)
	ns(res.ChunkXMLEndNamespace)

	body := append(append(pool, rmap...), nodes...)
	doc := u16(nil, res.ChunkXML)
	doc = u16(doc, 8)
	doc = u32(doc, uint32(8+len(body)))
	return append(doc, body...)
}
