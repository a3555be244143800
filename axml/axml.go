// Package axml decodes Android's compiled binary XML (AndroidManifest.xml,
// res/layout/*.xml, res/xml/*.xml inside an APK) into an element tree.
//
// The decoder follows AOSP's ResXMLTree and ResXMLParser
// (frameworks/base/libs/androidfw/ResourceTypes.cpp): it accepts what
// Android accepts, including the tricks anti-analysis tools play (odd header
// sizes, unknown chunks, attribute strides other than 20, unbalanced tags),
// and records anything suspicious in Document.Warnings rather than failing.
package axml

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"appxray/res"
)

// Sizes of the structures in ResourceTypes.h.
const (
	nodeHeaderSize   = 16 // ResXMLTree_node: chunk header, lineNumber, comment
	namespaceExtSize = 8  // ResXMLTree_namespaceExt
	attrExtSize      = 20 // ResXMLTree_attrExt
	endElementSize   = 8  // ResXMLTree_endElementExt
	cdataExtSize     = 12 // ResXMLTree_cdataExt
	attributeSize    = 20 // ResXMLTree_attribute
)

// NoIndex is the string index meaning "no string" (ResStringPool_ref -1).
const NoIndex = 0xFFFFFFFF

// FormatError reports malformed input and where it was found. Warnings
// are FormatErrors too.
type FormatError struct {
	Offset int64 // byte offset in the document
	Msg    string
	Err    error // underlying cause, if any
	// AndroidRejects is set on a warning when Android's reader (ResXMLTree,
	// or XmlBlock.Parser as PackageManager drives it) refuses the document,
	// or throws on reaching this point, for this problem; a warning without
	// it describes something Android tolerates.
	AndroidRejects bool
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("axml: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrLimit is matched (errors.Is) by every error and warning caused by a
// Limits value, so callers can tell a limit from corruption.
var ErrLimit = errors.New("axml: limit exceeded")

// LimitError names the limit that stopped decoding. It is the Err of a
// FormatError, which says what was being read and where. Err, when set, is
// the underlying limit error of another package (a string pool's).
type LimitError struct {
	Limit string // the Limits field
	Value int64  // its value
	Err   error
}

func (e *LimitError) Error() string {
	s := fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Unwrap returns the underlying limit error, if any.
func (e *LimitError) Unwrap() error { return e.Err }

func limitErr(off int64, what, limit string, value int64) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: value}}
}

// Limits bounds the work and memory spent on one document. It is plain
// data: the zero value, and any zero or negative field, means the default
// of DefaultLimits.
type Limits struct {
	// MaxDepth is the deepest element nesting kept in the tree. Android
	// has no such limit; elements deeper than this are skipped (with a
	// warning) and the document goes on after them, so that a deep
	// subtree cannot hide what follows it.
	MaxDepth int
	MaxNodes int // most XML nodes (chunks) decoded
	// MaxAttributes bounds the attributes decoded in the whole document,
	// which is also held to a quarter of its size plus 1024. Attributes
	// stored at the normal 20-byte stride come first; those whose records
	// overlap (a stride under 20 lets a tiny node claim 65535 of them, the
	// trick that flooded one element to starve the rest) share what is
	// left. Within each kind the budget is shared max-min fairly, so an
	// element asking for less than an equal share keeps all its
	// attributes, and one flooded element cannot take another's.
	MaxAttributes int
	// MaxWarnings caps Document.Warnings; a final warning counts the rest.
	MaxWarnings int
	Strings     res.Limits
}

// DefaultLimits returns limits that no real APK's XML comes near.
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:      4096,
		MaxNodes:      1 << 22,
		MaxAttributes: 1 << 20,
		MaxWarnings:   256,
		Strings:       res.DefaultLimits(),
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxAttributes <= 0 {
		l.MaxAttributes = d.MaxAttributes
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	return l
}

// Document is a decoded binary XML file.
type Document struct {
	// Root is the first top-level element. Android reads only this one;
	// further top-level elements, if any, are in Roots.
	Root  *Element
	Roots []*Element

	Strings     *res.StringPool
	ResourceIDs []uint32 // the resource map: attribute name index → resource ID

	// Warnings lists non-fatal problems, each a *FormatError with the
	// offset where it was found, including the string pool's (see
	// res.StringPool.Warnings). FormatError.AndroidRejects tells the
	// problems Android refuses from those it tolerates.
	Warnings []error

	data   []byte
	events []event // the node stream in document order, for Dump
}

// Namespace is a namespace declaration (xmlns:prefix="uri").
type Namespace struct {
	Prefix, URI string
	Line        uint32
	Offset      int64 // of the start-namespace chunk

	prefixIdx, uriIdx uint32
}

// Element is an XML element.
type Element struct {
	Namespace, Name string // namespace URI ("" if none) and local name
	Attrs           []Attribute
	Children        []*Element
	// Text holds the character data inside the element. Each piece records
	// how many child elements precede it, so content can be put back in
	// document order.
	Text []Text
	// Namespaces declared just before this element starts, i.e. on it.
	Namespaces []Namespace
	Comment    string // comment kept by the compiler, usually absent
	Line       uint32
	Offset     int64 // of the start-element chunk

	nsIdx, nameIdx, commentIdx uint32
}

// Text is character data (a CDATA node).
type Text struct {
	Value    string
	Typed    res.Value // the typed form, usually TypeNull
	Line     uint32
	Offset   int64 // of the CDATA chunk
	Position int   // number of the parent's Children that precede it

	idx uint32
}

// Attribute is one attribute of an element.
type Attribute struct {
	Namespace, Name string // namespace URI and local name as stored
	// ResourceID identifies the attribute for Android, which looks up
	// android: attributes by ID, not by name (obfuscators rename or blank
	// names). It is 0 when the attribute has none.
	ResourceID uint32
	RawValue   string // the original string, if any (HasRaw)
	HasRaw     bool
	Value      res.Value // typed value; references stay unresolved
	Offset     int64     // of the attribute record

	nsIdx, nameIdx, rawIdx uint32
	str                    string // string of a TypeString value
	hasStr                 bool
}

// String returns the attribute's string value: for a typed string the pool
// string Android reads, otherwise the raw string if there is one.
func (a *Attribute) String() (string, bool) {
	if a.hasStr {
		return a.str, true
	}
	if a.HasRaw {
		return a.RawValue, true
	}
	return "", false
}

// TypedString returns the string of a TypeString value, as
// PackageManager reads it through TypedArray; ok is false for other types
// and for a string that cannot be read. Unlike String it never falls back
// to the raw value, which the framework's attribute lookup ignores.
func (a *Attribute) TypedString() (string, bool) { return a.str, a.hasStr }

// RawIndex is the pool index of the raw value, NoIndex when there is none.
func (a *Attribute) RawIndex() uint32 { return a.rawIdx }

// Attr finds the attribute with namespace URI ns and local name name.
func (e *Element) Attr(ns, name string) (*Attribute, bool) {
	for i := range e.Attrs {
		if a := &e.Attrs[i]; a.Name == name && a.Namespace == ns {
			return a, true
		}
	}
	return nil, false
}

// HasNamespace reports whether the attribute names a namespace at all. An
// attribute whose namespace is the empty string has one (Namespace is ""
// for both).
func (a *Attribute) HasNamespace() bool { return a.nsIdx != NoIndex }

// PlainAttr finds the attribute PackageManager's
// XmlPullParser.getAttributeValue(null, name) finds (ResXMLParser::
// indexOfAttribute): the first whose namespace is absent (not merely
// empty) and whose stored name is exactly name, compared as stored (a name
// with a NUL in it does not match).
func (e *Element) PlainAttr(pool *res.StringPool, name string) (*Attribute, bool) {
	for i := range e.Attrs {
		a := &e.Attrs[i]
		if a.HasNamespace() || a.nameIdx == NoIndex {
			continue
		}
		if storedName(pool, a.nameIdx) == name {
			return a, true
		}
	}
	return nil, false
}

// storedName is a pool string as indexOfAttribute compares it: the UTF-8
// bytes string8At gives, or the UTF-16 string stringAt gives, in full.
func storedName(pool *res.StringPool, idx uint32) string {
	if pool == nil {
		return ""
	}
	if pool.IsUTF8() {
		b, _ := pool.UTF8(idx)
		return string(b)
	}
	s, _ := pool.String(idx)
	return s
}

// FrameworkAttr finds the attribute with resource ID id the way
// PackageManager finds it (AttributeResolution's RetrieveAttributes, behind
// Resources.obtainAttributes): it merges the element's attributes, assumed
// sorted by resource ID, with the sorted IDs it asks for, so it finds id
// only if the first attribute whose ID is not below id has exactly id. An
// attribute out of ID order is invisible to Android; AttrByID still finds
// it (as aapt does).
func (e *Element) FrameworkAttr(id uint32) (*Attribute, bool) {
	if id == 0 {
		return nil, false
	}
	for i := range e.Attrs {
		if a := &e.Attrs[i]; a.ResourceID >= id {
			return a, a.ResourceID == id
		}
	}
	return nil, false
}

// AttrByID finds the first attribute with resource ID id wherever it is,
// as aapt does; see FrameworkAttr for what PackageManager finds.
func (e *Element) AttrByID(id uint32) (*Attribute, bool) {
	if id == 0 {
		return nil, false
	}
	for i := range e.Attrs {
		if a := &e.Attrs[i]; a.ResourceID == id {
			return a, true
		}
	}
	return nil, false
}

// eventKind is a node type in the document's node stream.
type eventKind uint8

const (
	evStartNS eventKind = iota
	evEndNS
	evStart
	evEnd
	evText
)

type event struct {
	kind eventKind
	ns   *Namespace // evStartNS, evEndNS
	elem *Element   // evStart
	text *Text      // evText
}

// Parse decodes a binary XML document. It fails only when Android could
// not read the document at all (no string pool, no element); other
// problems are recorded in Document.Warnings.
func Parse(data []byte, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	p := &parser{lim: lim, doc: &Document{data: data}}
	if err := p.parse(); err != nil {
		if len(data) >= 2 && binary.LittleEndian.Uint16(data) != res.ChunkXML {
			t := res.ChunkTypeName(binary.LittleEndian.Uint16(data))
			return nil, &FormatError{Offset: 0, Msg: "chunk type " + t + " is not XML", Err: ErrNoDocument}
		}
		return nil, err
	}
	// The pool's warnings last: decoding the tree finds some of them.
	for _, w := range p.doc.Strings.Warnings() {
		p.add(w)
	}
	if p.dropped > 0 {
		p.doc.Warnings = append(p.doc.Warnings, limitErr(0, fmt.Sprintf("%d more warnings not recorded", p.dropped), "MaxWarnings", int64(p.lim.MaxWarnings)))
	}
	return p.doc, nil
}

type parser struct {
	lim     Limits
	doc     *Document
	end     int64 // end of the document: the XML chunk's size, clamped to the data
	nodes   int
	dropped int // warnings beyond MaxWarnings
	// share and overlapShare are the most attributes one element may
	// decode, for records at the normal stride and overlapping ones (see
	// Limits.MaxAttributes); -1 when no element needs cutting.
	share, overlapShare int
}

// add records a warning, up to MaxWarnings.
func (p *parser) add(err error) {
	if len(p.doc.Warnings) >= p.lim.MaxWarnings {
		p.dropped++
		return
	}
	p.doc.Warnings = append(p.doc.Warnings, err)
}

// warn records something Android tolerates.
func (p *parser) warn(off int64, format string, args ...any) {
	p.add(&FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)})
}

// reject records something Android refuses the document for.
func (p *parser) reject(off int64, format string, args ...any) {
	p.add(&FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), AndroidRejects: true})
}

// limit records that a limit cut the decoding short.
func (p *parser) limit(off int64, what, limit string, value int) {
	p.add(limitErr(off, what, limit, int64(value)))
}

func (p *parser) u16(off int64) uint16 {
	return binary.LittleEndian.Uint16(p.doc.data[off:])
}

func (p *parser) u32(off int64) uint32 {
	return binary.LittleEndian.Uint32(p.doc.data[off:])
}

// chunkAt reads a chunk header at off, checked the way Android's
// validate_chunk checks it against the document end. A misaligned chunk is
// an error when strict, else only a warning: its sizes are still usable.
func (p *parser) chunkAt(off int64, minHeader uint16, what string, strict bool) (res.ChunkHeader, error) {
	if off > p.end-res.ChunkHeaderSize {
		return res.ChunkHeader{}, &FormatError{Offset: off, Msg: what + " chunk header truncated"}
	}
	h, err := res.ReadChunkHeader(p.doc.data[:p.end], off)
	if err != nil {
		return h, &FormatError{Offset: off, Msg: "bad " + what + " chunk", Err: err}
	}
	if h.HeaderSize < minHeader {
		return h, &FormatError{Offset: off, Msg: fmt.Sprintf("%s chunk header size %d is smaller than %d", what, h.HeaderSize, minHeader)}
	}
	if !h.Aligned() {
		if strict {
			return h, &FormatError{Offset: off, Msg: fmt.Sprintf("%s chunk sizes %d/%d are not multiples of 4", what, h.HeaderSize, h.Size)}
		}
		p.reject(off, "%s chunk sizes %d/%d are not multiples of 4 (Android rejects the document)", what, h.HeaderSize, h.Size)
	}
	return h, nil
}

func (p *parser) parse() error {
	d := p.doc
	data := d.data
	if len(data) < res.ChunkHeaderSize {
		return &FormatError{Offset: 0, Msg: "too short for an XML chunk header"}
	}
	typ := binary.LittleEndian.Uint16(data)
	hsize := int64(binary.LittleEndian.Uint16(data[2:]))
	size := int64(binary.LittleEndian.Uint32(data[4:]))
	if typ != res.ChunkXML {
		// Android does not check the type.
		p.warn(0, "document chunk type %s is not XML", res.ChunkTypeName(typ))
	}
	p.end = size
	if size > int64(len(data)) {
		p.reject(4, "document size %d is larger than the %d bytes present (Android rejects this)", size, len(data))
		p.end = int64(len(data))
	} else if size < int64(len(data)) {
		p.warn(4, "%d bytes after the document's end are ignored", int64(len(data))-size)
	}
	if hsize < res.ChunkHeaderSize || hsize > p.end {
		return &FormatError{Offset: 2, Msg: fmt.Sprintf("document header size %d is invalid", hsize)}
	}

	// Like ResXMLTree::setTo: read chunks up to the first XML node, keeping
	// the (last) string pool and resource map met on the way. Android's loop
	// stops before a chunk that ends exactly at the document's end.
	var poolErr error
	off, last := hsize, hsize
	var first int64 = -1
	for off < p.end-res.ChunkHeaderSize && off < p.end-int64(p.u32(off+4)) {
		h, err := p.chunkAt(off, res.ChunkHeaderSize, "XML", false)
		if err != nil {
			return err
		}
		switch {
		case h.Type == res.ChunkStringPool:
			pool, err := res.ParseStringPool(data[:p.end], off, p.lim.Strings)
			d.Strings, poolErr = pool, err
		case h.Type == res.ChunkXMLResourceMap:
			n := (int64(h.Size) - int64(h.HeaderSize)) / 4
			ids := make([]uint32, n)
			for i := range ids {
				ids[i] = p.u32(h.DataOffset() + 4*int64(i))
			}
			d.ResourceIDs = ids
		case h.Type >= res.ChunkXMLStartNamespace && h.Type <= res.ChunkXMLLastNode:
			first = last
		default:
			p.warn(off, "unknown chunk type %s skipped", res.ChunkTypeName(h.Type))
		}
		if first >= 0 {
			break
		}
		last = off
		off = h.End()
	}
	if poolErr != nil {
		if errors.Is(poolErr, res.ErrLimit) {
			return &FormatError{Offset: off, Msg: "string pool", Err: &LimitError{Limit: "Strings", Err: poolErr}}
		}
		return &FormatError{Offset: off, Msg: "bad string pool", Err: poolErr}
	}
	if d.Strings == nil {
		return &FormatError{Offset: hsize, Msg: "no string pool before the first XML node"}
	}
	if first < 0 {
		return &FormatError{Offset: hsize, Msg: "no XML node found"}
	}
	// Android starts its node walk after the chunk preceding the first
	// node (first), so the node itself is the first one visited.
	return p.walk(first)
}

// walk follows ResXMLParser::nextNode from the chunk at cur, building the tree.
func (p *parser) walk(cur int64) error {
	d := p.doc
	var stack []*Element
	var pendingNS []Namespace
	curSize := int64(p.u32(cur + 4))
	rootSeen := false
	p.share, p.overlapShare = p.attributeShares(cur, curSize)
	skipped := 0 // depth inside a subtree deeper than MaxDepth
	for {
		next := cur + curSize
		if next >= p.end {
			break
		}
		h, err := p.chunkAt(next, nodeHeaderSize, "XML node", true)
		if err != nil {
			if !rootSeen {
				return err
			}
			p.reject(next, "document ends early (XmlBlock.Parser throws here): %v", err)
			break
		}
		cur, curSize = next, int64(h.Size)
		ext := h.DataOffset()
		extLen := int64(h.Size) - int64(h.HeaderSize)
		var minExt int64
		switch h.Type {
		case res.ChunkXMLStartNamespace, res.ChunkXMLEndNamespace:
			minExt = namespaceExtSize
		case res.ChunkXMLStartElement:
			minExt = attrExtSize
		case res.ChunkXMLEndElement:
			minExt = endElementSize
		case res.ChunkXMLCData:
			minExt = cdataExtSize
		default:
			p.warn(cur, "unknown XML node type %s skipped", res.ChunkTypeName(h.Type))
			continue
		}
		if extLen < minExt {
			err := &FormatError{Offset: cur, Msg: fmt.Sprintf("%s node has %d bytes of data, needs %d", res.ChunkTypeName(h.Type), extLen, minExt)}
			if !rootSeen {
				return err
			}
			p.reject(cur, "document ends early (XmlBlock.Parser throws here): %v", err)
			break
		}
		if h.Type == res.ChunkXMLStartElement {
			if err := p.checkAttrs(h); err != nil {
				if !rootSeen {
					return err
				}
				p.reject(cur, "document ends early (XmlBlock.Parser throws here): %v", err)
				break
			}
		}
		rootSeen = true
		p.nodes++
		if p.nodes > p.lim.MaxNodes {
			p.limit(cur, "XML nodes: rest of document ignored", "MaxNodes", p.lim.MaxNodes)
			break
		}
		line := p.u32(cur + 8)
		comment := p.u32(cur + 12)
		switch h.Type {
		case res.ChunkXMLStartNamespace, res.ChunkXMLEndNamespace:
			ns := &Namespace{Line: line, Offset: cur, prefixIdx: p.u32(ext), uriIdx: p.u32(ext + 4)}
			ns.Prefix = p.str(ns.prefixIdx, ext)
			ns.URI = p.str(ns.uriIdx, ext+4)
			if h.Type == res.ChunkXMLStartNamespace {
				pendingNS = append(pendingNS, *ns)
				d.events = append(d.events, event{kind: evStartNS, ns: ns})
			} else {
				d.events = append(d.events, event{kind: evEndNS, ns: ns})
			}
		case res.ChunkXMLStartElement:
			if skipped > 0 || len(stack) >= p.lim.MaxDepth {
				if skipped == 0 {
					p.limit(cur, fmt.Sprintf("elements nested deeper than %d skipped; the document goes on after them", p.lim.MaxDepth), "MaxDepth", p.lim.MaxDepth)
				}
				skipped++
				continue
			}
			e := p.element(h, line, comment)
			e.Namespaces, pendingNS = pendingNS, nil
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, e)
			} else {
				if d.Root == nil {
					d.Root = e
				} else {
					p.warn(cur, "extra top-level element <%s> (Android reads only the first)", e.Name)
				}
				d.Roots = append(d.Roots, e)
			}
			stack = append(stack, e)
			d.events = append(d.events, event{kind: evStart, elem: e})
		case res.ChunkXMLEndElement:
			if skipped > 0 {
				skipped--
				continue
			}
			nsIdx, nameIdx := p.u32(ext), p.u32(ext+4)
			if len(stack) == 0 {
				p.warn(cur, "end tag without a start tag")
			} else {
				top := stack[len(stack)-1]
				if top.nameIdx != nameIdx || top.nsIdx != nsIdx {
					p.warn(cur, "end tag does not match start tag <%s> (Android ignores this)", top.Name)
				}
				stack = stack[:len(stack)-1]
			}
			d.events = append(d.events, event{kind: evEnd})
		case res.ChunkXMLCData:
			if skipped > 0 {
				continue
			}
			t := &Text{Line: line, Offset: cur, idx: p.u32(ext)}
			t.Value = p.str(t.idx, ext)
			t.Typed, _ = res.ReadValue(p.doc.data, ext+4)
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				t.Position = len(parent.Children)
				parent.Text = append(parent.Text, *t)
			}
			d.events = append(d.events, event{kind: evText, text: t})
		}
	}
	return p.finish(stack)
}

func (p *parser) finish(stack []*Element) error {
	if len(stack) > 0 {
		p.warn(p.end, "%d elements not closed, starting with <%s>", len(stack), stack[0].Name)
	}
	if p.doc.Root == nil {
		return &FormatError{Offset: 0, Msg: "document has no element"}
	}
	return nil
}

// checkAttrs is the extra check ResXMLTree::validateNode makes on a start
// element: the attribute array must fit in the node.
func (p *parser) checkAttrs(h res.ChunkHeader) error {
	ext := h.DataOffset()
	extLen := int64(h.Size) - int64(h.HeaderSize)
	start := int64(p.u16(ext + 8))
	stride := int64(p.u16(ext + 10))
	count := int64(p.u16(ext + 12))
	if start+stride*count > extLen {
		return &FormatError{Offset: ext + 8, Msg: fmt.Sprintf("attributes use %d bytes, only %d present", start+stride*count, extLen)}
	}
	return nil
}

// overlapping reports whether an element's attribute records share bytes.
func overlapping(stride int64, count int) bool { return stride < attributeSize && count > 1 }

// attributeShares walks the node chain from the first node (at cur, of
// size curSize) as walk will, and shares the attribute budget: first
// between the elements whose records have the normal stride, then what is
// left between those whose records overlap.
func (p *parser) attributeShares(cur, curSize int64) (normal, overlap int) {
	budget := min(p.lim.MaxAttributes, len(p.doc.data)/4+1024)
	var plain, over []int
	for nodes := 0; nodes < p.lim.MaxNodes; nodes++ {
		next := cur + curSize
		if next >= p.end || next > p.end-nodeHeaderSize {
			break
		}
		hs, size := int64(p.u16(next+2)), int64(p.u32(next+4))
		if hs < nodeHeaderSize || size < hs || size > p.end-next || (hs|size)&3 != 0 {
			break
		}
		if p.u16(next) == res.ChunkXMLStartElement && size-hs >= attrExtSize {
			ext := next + hs
			stride, count := int64(p.u16(ext+10)), int(p.u16(ext+12))
			switch {
			case overlapping(stride, count):
				over = append(over, count)
			case count > 0:
				plain = append(plain, count)
			}
		}
		cur, curSize = next, size
	}
	normal, used := fairShare(plain, budget)
	overlap, _ = fairShare(over, budget-used)
	return normal, overlap
}

// fairShare shares budget max-min fairly between demands: it returns the
// most one demand may have (-1 when all can have what they ask) and what
// the demands then use.
func fairShare(demands []int, budget int) (share, used int) {
	total := 0
	for _, d := range demands {
		total += d
	}
	if total <= budget {
		return -1, total
	}
	slices.Sort(demands)
	left := max(budget, 0)
	for i, d := range demands {
		share := left / (len(demands) - i)
		if d > share {
			return share, budget
		}
		left -= d
	}
	return -1, total
}

// str decodes string idx, referenced at off, as PackageManager reads it
// (res.StringPool.FrameworkString); NoIndex is "".
func (p *parser) str(idx uint32, off int64) string {
	if idx == NoIndex {
		return ""
	}
	s, err := p.doc.Strings.FrameworkString(idx)
	if err != nil {
		// StringBlock throws when PackageManager reads such a string.
		p.add(&FormatError{Offset: off, Msg: "unreadable string", Err: err, AndroidRejects: true})
		return ""
	}
	return s
}

func (p *parser) element(h res.ChunkHeader, line, comment uint32) *Element {
	ext := h.DataOffset()
	e := &Element{
		Line:       line,
		Offset:     h.Offset,
		nsIdx:      p.u32(ext),
		nameIdx:    p.u32(ext + 4),
		commentIdx: comment,
	}
	e.Namespace = p.str(e.nsIdx, ext)
	e.Name = p.str(e.nameIdx, ext+4)
	if comment != NoIndex {
		e.Comment = p.str(comment, h.Offset+12)
	}
	start := int64(p.u16(ext + 8))
	stride := int64(p.u16(ext + 10))
	count := int(p.u16(ext + 12))
	if stride != attributeSize && count > 0 {
		p.warn(ext+10, "attribute size %d is not %d", stride, attributeSize)
	}
	// An element gets its fair share of the attribute budget
	// (attributeShares), and no more.
	share := p.share
	if overlapping(stride, count) {
		share = p.overlapShare
	}
	if share >= 0 && count > share {
		p.limit(ext+12, fmt.Sprintf("element <%s>: %d attributes (%d-byte records) cut to its share of %d", e.Name, count, stride, share), "MaxAttributes", p.lim.MaxAttributes)
		count = share
	}
	if count > 0 {
		e.Attrs = make([]Attribute, 0, count)
	}
	for i := range count {
		off := ext + start + stride*int64(i)
		// checkAttrs fits start+stride*count in the node, but a record is
		// read whole even when the stride is shorter, as Android does.
		if off+attributeSize > int64(len(p.doc.data)) {
			p.warn(off, "attribute %d runs past the end of the data", i)
			break
		}
		a := Attribute{
			Offset:  off,
			nsIdx:   p.u32(off),
			nameIdx: p.u32(off + 4),
			rawIdx:  p.u32(off + 8),
		}
		a.Value, _ = res.ReadValue(p.doc.data, off+12)
		a.Namespace = p.str(a.nsIdx, off)
		a.Name = p.str(a.nameIdx, off+4)
		if a.rawIdx != NoIndex {
			if s, err := p.doc.Strings.FrameworkString(a.rawIdx); err == nil {
				a.RawValue, a.HasRaw = s, true
			} else {
				p.add(&FormatError{Offset: off + 8, Msg: "unreadable raw value", Err: err, AndroidRejects: true})
			}
		}
		if a.Value.Type == res.TypeString {
			if s, err := p.doc.Strings.FrameworkString(a.Value.Data); err == nil {
				a.str, a.hasStr = s, true
			} else {
				p.add(&FormatError{Offset: off + 16, Msg: "unreadable string value", Err: err, AndroidRejects: true})
			}
		}
		if int64(a.nameIdx) < int64(len(p.doc.ResourceIDs)) {
			a.ResourceID = p.doc.ResourceIDs[a.nameIdx]
		}
		e.Attrs = append(e.Attrs, a)
	}
	return e
}

// ErrNoDocument is wrapped by the error for input that is not binary XML at
// all, such as a text XML file.
var ErrNoDocument = errors.New("not a binary XML document")
