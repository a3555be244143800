// Package res decodes the encodings shared by Android's compiled binary XML
// and its resource table (resources.arsc): chunk headers, string pools and
// typed values (Res_value), as specified by AOSP's
// frameworks/base/libs/androidfw/include/androidfw/ResourceTypes.h.
//
// All multi-byte values are little-endian. Parsers validate every offset
// against the input before reading it and never panic on hostile input.
package res

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Chunk types (ResChunk_header.type).
const (
	ChunkNull       uint16 = 0x0000
	ChunkStringPool uint16 = 0x0001
	ChunkTable      uint16 = 0x0002
	ChunkXML        uint16 = 0x0003

	// Binary XML node chunks.
	ChunkXMLStartNamespace uint16 = 0x0100
	ChunkXMLEndNamespace   uint16 = 0x0101
	ChunkXMLStartElement   uint16 = 0x0102
	ChunkXMLEndElement     uint16 = 0x0103
	ChunkXMLCData          uint16 = 0x0104
	ChunkXMLLastNode       uint16 = 0x017f // last type in the node range
	ChunkXMLResourceMap    uint16 = 0x0180

	// Resource table chunks.
	ChunkTablePackage           uint16 = 0x0200
	ChunkTableType              uint16 = 0x0201
	ChunkTableTypeSpec          uint16 = 0x0202
	ChunkTableLibrary           uint16 = 0x0203
	ChunkTableOverlayable       uint16 = 0x0204
	ChunkTableOverlayablePolicy uint16 = 0x0205
	ChunkTableStagedAlias       uint16 = 0x0206
)

// ChunkHeaderSize is the size of ResChunk_header.
const ChunkHeaderSize = 8

// ChunkHeader is ResChunk_header, plus the offset in the input where it was read.
type ChunkHeader struct {
	Type       uint16
	HeaderSize uint16 // size of the header including this struct; data follows
	Size       uint32 // size of the whole chunk including the header
	Offset     int64  // offset of the chunk in the input
}

// End is the offset just past the chunk.
func (h ChunkHeader) End() int64 { return h.Offset + int64(h.Size) }

// DataOffset is the offset of the chunk's data, just past its header.
func (h ChunkHeader) DataOffset() int64 { return h.Offset + int64(h.HeaderSize) }

// Aligned reports whether both sizes are multiples of 4, which Android's
// validate_chunk requires.
func (h ChunkHeader) Aligned() bool { return (uint32(h.HeaderSize)|h.Size)&3 == 0 }

// ChunkTypeName names a chunk type for messages.
func ChunkTypeName(t uint16) string {
	switch t {
	case ChunkNull:
		return "NULL"
	case ChunkStringPool:
		return "STRING_POOL"
	case ChunkTable:
		return "TABLE"
	case ChunkXML:
		return "XML"
	case ChunkXMLStartNamespace:
		return "XML_START_NAMESPACE"
	case ChunkXMLEndNamespace:
		return "XML_END_NAMESPACE"
	case ChunkXMLStartElement:
		return "XML_START_ELEMENT"
	case ChunkXMLEndElement:
		return "XML_END_ELEMENT"
	case ChunkXMLCData:
		return "XML_CDATA"
	case ChunkXMLResourceMap:
		return "XML_RESOURCE_MAP"
	case ChunkTablePackage:
		return "TABLE_PACKAGE"
	case ChunkTableType:
		return "TABLE_TYPE"
	case ChunkTableTypeSpec:
		return "TABLE_TYPE_SPEC"
	case ChunkTableLibrary:
		return "TABLE_LIBRARY"
	case ChunkTableOverlayable:
		return "TABLE_OVERLAYABLE"
	case ChunkTableOverlayablePolicy:
		return "TABLE_OVERLAYABLE_POLICY"
	case ChunkTableStagedAlias:
		return "TABLE_STAGED_ALIAS"
	}
	return fmt.Sprintf("0x%04x", t)
}

// ReadChunkHeader reads the chunk header at off and checks that it is
// self-consistent (8 <= HeaderSize <= Size) and that the chunk lies within b.
// It does not check alignment; see [ChunkHeader.Aligned].
func ReadChunkHeader(b []byte, off int64) (ChunkHeader, error) {
	if off < 0 || off > int64(len(b)) || int64(len(b))-off < ChunkHeaderSize {
		return ChunkHeader{}, &FormatError{Offset: off, Msg: "truncated chunk header"}
	}
	p := b[off:]
	h := ChunkHeader{
		Type:       binary.LittleEndian.Uint16(p),
		HeaderSize: binary.LittleEndian.Uint16(p[2:]),
		Size:       binary.LittleEndian.Uint32(p[4:]),
		Offset:     off,
	}
	switch {
	case h.HeaderSize < ChunkHeaderSize:
		return h, &FormatError{Offset: off, Msg: fmt.Sprintf("chunk %s header size %d is smaller than %d", ChunkTypeName(h.Type), h.HeaderSize, ChunkHeaderSize)}
	case uint32(h.HeaderSize) > h.Size:
		return h, &FormatError{Offset: off, Msg: fmt.Sprintf("chunk %s size %d is smaller than its header size %d", ChunkTypeName(h.Type), h.Size, h.HeaderSize)}
	case int64(h.Size) > int64(len(b))-off:
		return h, &FormatError{Offset: off, Msg: fmt.Sprintf("chunk %s size %d extends past end of data (%d bytes left)", ChunkTypeName(h.Type), h.Size, int64(len(b))-off)}
	}
	return h, nil
}

// FormatError reports malformed input and where it was found. Warnings
// (problems that did not stop decoding) are FormatErrors too.
type FormatError struct {
	Offset int64 // byte offset in the input
	Msg    string
	Err    error // underlying cause, if any
	// AndroidRejects is set on a warning when Android's own reader
	// (ResStringPool) refuses the pool or string for this problem; a warning
	// without it describes something Android tolerates.
	AndroidRejects bool
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("res: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrLimit is matched (errors.Is) by every error and warning caused by a
// Limits value, so callers can tell a limit from corruption.
var ErrLimit = errors.New("res: limit exceeded")

// LimitError names the limit that stopped decoding. It is the Err of a
// FormatError, which says what was being read and where.
type LimitError struct {
	Limit string // the Limits field
	Value int64  // its value
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// limitErr reports that limit (of the given value) stopped reading what at off.
func limitErr(off int64, what, limit string, value int64) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: value}}
}

// Limits bounds the work and memory spent on one input. It is plain data:
// the zero value, and any zero or negative field, means the default of
// DefaultLimits.
type Limits struct {
	MaxStrings int // most strings accepted in one pool
	MaxStyles  int // most style entries accepted in one pool
	MaxSpans   int // most spans decoded for one styled string
	// MaxWarnings caps the warnings one pool records while its strings are
	// decoded; a final warning counts the rest.
	MaxWarnings int
}

// DefaultLimits returns limits generous enough for the largest real apps
// (framework-res has ~30k strings in one pool, big apps 100k+).
func DefaultLimits() Limits {
	return Limits{
		MaxStrings:  1 << 22,
		MaxStyles:   1 << 22,
		MaxSpans:    1 << 16,
		MaxWarnings: 64,
	}
}

// withDefaults replaces zero (unset) fields by their defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxStrings <= 0 {
		l.MaxStrings = d.MaxStrings
	}
	if l.MaxStyles <= 0 {
		l.MaxStyles = d.MaxStyles
	}
	if l.MaxSpans <= 0 {
		l.MaxSpans = d.MaxSpans
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	return l
}
