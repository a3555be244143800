package pbres

import (
	"encoding/binary"
	"fmt"

	"appxray/axml"
	"appxray/res"
)

const (
	noIndex       = 0xffffffff
	attrIDAndroid = 0x010100d0 // android:id, for ResXMLTree_attrExt.idIndex
)

// Binary lays the document out as Android binary XML (ResXMLTree), the way
// aapt2's XmlFlattener does: a string pool whose first strings are the
// attribute names that carry resource IDs, the resource map, then the
// namespace, element and text nodes, with each node's source line.
// Attribute values are the compiled items; an attribute without one is a
// string. Attribute order is kept.
func (d *XMLDocument) Binary() []byte {
	f := &xmlFlattener{pool: newPool()}
	// Pass 1: attribute names with resource IDs, one pool string per
	// (name, ID) pair, so that the resource map lines up.
	type key struct {
		name string
		id   uint32
	}
	idNames := map[key]uint32{}
	walkElements(d.Root, func(e *XMLElement) {
		for _, a := range e.Attributes {
			if a.ResourceID == 0 {
				continue
			}
			k := key{a.Name, a.ResourceID}
			if _, ok := idNames[k]; !ok {
				idNames[k] = f.pool.addNew(a.Name)
				f.resMap = append(f.resMap, a.ResourceID)
			}
		}
	})
	f.attrName = func(a *XMLAttribute) uint32 {
		if a.ResourceID != 0 {
			return idNames[key{a.Name, a.ResourceID}]
		}
		return f.plain(a.Name)
	}
	f.node(d.Root)

	pool := f.pool.bytes()
	var resMap []byte
	if len(f.resMap) > 0 {
		resMap = appendChunkHeader(nil, res.ChunkXMLResourceMap, 8, uint32(8+4*len(f.resMap)))
		for _, id := range f.resMap {
			resMap = binary.LittleEndian.AppendUint32(resMap, id)
		}
	}
	size := 8 + len(pool) + len(resMap) + len(f.body)
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkXML, 8, uint32(size))
	out = append(out, pool...)
	out = append(out, resMap...)
	return append(out, f.body...)
}

// Document returns the document as appxray/axml reads it: Binary, parsed
// with the given limits.
func (d *XMLDocument) Document(lim axml.Limits) (*axml.Document, error) {
	doc, err := axml.Parse(d.Binary(), lim)
	if err != nil {
		return nil, fmt.Errorf("pbres: reading the flattened XML: %w", err)
	}
	return doc, nil
}

// ParseDocument decodes a proto XML file straight into the axml model.
func ParseDocument(data []byte, lim Limits, xlim axml.Limits) (*axml.Document, error) {
	d, err := ParseXML(data, lim)
	if err != nil {
		return nil, err
	}
	return d.Document(xlim)
}

// walkElements calls fn on every element, depth first, without recursion
// limits beyond those ParseXML enforced.
func walkElements(n *XMLNode, fn func(*XMLElement)) {
	if n == nil || n.Element == nil {
		return
	}
	fn(n.Element)
	for _, c := range n.Element.Children {
		walkElements(c, fn)
	}
}

type xmlFlattener struct {
	pool     *poolBuilder
	plainIdx map[string]uint32
	resMap   []uint32
	attrName func(*XMLAttribute) uint32
	body     []byte
}

// plain interns a string that is not an attribute name with an ID. Those
// strings never share an index with the resource-mapped names, whose
// index alone gives an attribute its ID.
func (f *xmlFlattener) plain(s string) uint32 {
	if f.plainIdx == nil {
		f.plainIdx = map[string]uint32{}
	}
	if i, ok := f.plainIdx[s]; ok {
		return i
	}
	i := f.pool.addNew(s)
	f.plainIdx[s] = i
	return i
}

func (f *xmlFlattener) opt(s string) uint32 {
	if s == "" {
		return noIndex
	}
	return f.plain(s)
}

func (f *xmlFlattener) nodeHeader(typ uint16, size uint32, line uint32) {
	f.body = appendChunkHeader(f.body, typ, 16, size)
	f.body = binary.LittleEndian.AppendUint32(f.body, line)
	f.body = binary.LittleEndian.AppendUint32(f.body, noIndex) // comment
}

func (f *xmlFlattener) u32(v uint32) { f.body = binary.LittleEndian.AppendUint32(f.body, v) }

func (f *xmlFlattener) node(n *XMLNode) {
	if n.Element == nil {
		f.nodeHeader(res.ChunkXMLCData, 16+12, n.Source.LineNumber)
		f.u32(f.plain(n.Text))
		f.body = appendValue(f.body, res.Value{Type: res.TypeNull})
		return
	}
	e := n.Element
	for _, ns := range e.NamespaceDeclarations {
		f.nodeHeader(res.ChunkXMLStartNamespace, 16+8, ns.Source.LineNumber)
		f.u32(f.plain(ns.Prefix)) // an empty prefix is xmlns="…", still a string
		f.u32(f.plain(ns.URI))
	}
	line := n.Source.LineNumber
	f.nodeHeader(res.ChunkXMLStartElement, uint32(16+20+20*len(e.Attributes)), line)
	f.u32(f.opt(e.NamespaceURI))
	f.u32(f.plain(e.Name))
	var idIdx, classIdx, styleIdx uint16
	for i, a := range e.Attributes {
		switch {
		case a.ResourceID == attrIDAndroid:
			idIdx = uint16(i + 1)
		case a.NamespaceURI == "" && a.Name == "class":
			classIdx = uint16(i + 1)
		case a.NamespaceURI == "" && a.Name == "style":
			styleIdx = uint16(i + 1)
		}
	}
	f.body = binary.LittleEndian.AppendUint16(f.body, 20) // attributeStart
	f.body = binary.LittleEndian.AppendUint16(f.body, 20) // attributeSize
	f.body = binary.LittleEndian.AppendUint16(f.body, uint16(len(e.Attributes)))
	f.body = binary.LittleEndian.AppendUint16(f.body, idIdx)
	f.body = binary.LittleEndian.AppendUint16(f.body, classIdx)
	f.body = binary.LittleEndian.AppendUint16(f.body, styleIdx)
	for i := range e.Attributes {
		a := &e.Attributes[i]
		f.u32(f.opt(a.NamespaceURI))
		f.u32(f.attrName(a))
		raw := uint32(noIndex)
		var v res.Value
		if a.CompiledItem != nil && a.CompiledItem.Kind != ItemNone {
			if a.Value != "" {
				raw = f.plain(a.Value)
			}
			v = a.CompiledItem.resValue(func(s string, _ []Span) uint32 { return f.plain(s) })
		} else {
			raw = f.plain(a.Value)
			v = res.Value{Type: res.TypeString, Data: raw}
		}
		f.u32(raw)
		f.body = appendValue(f.body, v)
	}
	for _, c := range e.Children {
		f.node(c)
	}
	f.nodeHeader(res.ChunkXMLEndElement, 16+8, line)
	f.u32(f.opt(e.NamespaceURI))
	f.u32(f.plain(e.Name))
	for i := len(e.NamespaceDeclarations) - 1; i >= 0; i-- {
		ns := e.NamespaceDeclarations[i]
		f.nodeHeader(res.ChunkXMLEndNamespace, 16+8, ns.Source.LineNumber)
		f.u32(f.plain(ns.Prefix))
		f.u32(f.plain(ns.URI))
	}
}
