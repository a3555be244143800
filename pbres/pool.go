package pbres

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"appxray/res"
)

// poolBuilder lays out a ResStringPool. Styled strings must come first
// (a style's index is its string's), so they are added before the rest.
type poolBuilder struct {
	strs   []string
	styles [][]Span // styles[i] belongs to strs[i]
	index  map[string]uint32
}

func newPool() *poolBuilder { return &poolBuilder{index: map[string]uint32{}} }

// add interns s without styles.
func (p *poolBuilder) add(s string) uint32 {
	if i, ok := p.index[s]; ok {
		return i
	}
	i := uint32(len(p.strs))
	p.strs = append(p.strs, s)
	p.index[s] = i
	return i
}

// addNew appends s as a new string even if it is already present.
func (p *poolBuilder) addNew(s string) uint32 {
	i := uint32(len(p.strs))
	p.strs = append(p.strs, s)
	return i
}

// addStyled appends a styled string; spans' tags are interned later by
// bytes. It must be called before any unstyled string is added.
func (p *poolBuilder) addStyled(s string, spans []Span) uint32 {
	i := uint32(len(p.strs))
	p.strs = append(p.strs, s)
	p.styles = append(p.styles, spans)
	return i
}

// encodable reports whether every string fits the UTF-8 pool's 15-bit
// lengths.
func (p *poolBuilder) utf8Fits() bool {
	for _, s := range p.strs {
		if len(s) > 0x7fff || utf16Len(s) > 0x7fff {
			return false
		}
	}
	return true
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 && r <= utf8.MaxRune {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// bytes returns the pool chunk. Span tag names are interned first, so the
// span records can point at them.
func (p *poolBuilder) bytes() []byte {
	tagIdx := make([][]uint32, len(p.styles))
	for i, spans := range p.styles {
		for _, sp := range spans {
			tagIdx[i] = append(tagIdx[i], p.add(sp.Tag))
		}
	}
	u8 := p.utf8Fits()
	var data []byte
	offsets := make([]uint32, len(p.strs))
	for i, s := range p.strs {
		offsets[i] = uint32(len(data))
		if u8 {
			data = appendLen8(data, utf16Len(s))
			data = appendLen8(data, len(s))
			data = append(data, s...)
			data = append(data, 0)
		} else {
			u := utf16.Encode([]rune(s))
			data = appendLen16(data, len(u))
			for _, c := range u {
				data = binary.LittleEndian.AppendUint16(data, c)
			}
			data = append(data, 0, 0)
		}
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	var styles []byte
	styleOffsets := make([]uint32, len(p.styles))
	if len(p.styles) > 0 {
		for i, spans := range p.styles {
			styleOffsets[i] = uint32(len(styles))
			for j, sp := range spans {
				styles = binary.LittleEndian.AppendUint32(styles, tagIdx[i][j])
				styles = binary.LittleEndian.AppendUint32(styles, sp.FirstChar)
				styles = binary.LittleEndian.AppendUint32(styles, sp.LastChar)
			}
			styles = binary.LittleEndian.AppendUint32(styles, res.SpanEnd)
		}
		// The block ends with an END span, as ResStringPool requires.
		styles = binary.LittleEndian.AppendUint32(styles, res.SpanEnd)
		styles = binary.LittleEndian.AppendUint32(styles, res.SpanEnd)
		styles = binary.LittleEndian.AppendUint32(styles, res.SpanEnd)
	}
	hdr := uint32(res.StringPoolHeaderSize)
	stringsStart := hdr + 4*uint32(len(p.strs)+len(p.styles))
	if len(p.strs) == 0 {
		stringsStart = 0
	}
	stylesStart := uint32(0)
	if len(styles) > 0 {
		stylesStart = hdr + 4*uint32(len(p.strs)+len(p.styles)) + uint32(len(data))
	}
	size := hdr + 4*uint32(len(p.strs)+len(p.styles)) + uint32(len(data)) + uint32(len(styles))
	var flags uint32
	if u8 {
		flags = res.FlagUTF8
	}
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkStringPool, uint16(hdr), size)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(p.strs)))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(p.styles)))
	out = binary.LittleEndian.AppendUint32(out, flags)
	out = binary.LittleEndian.AppendUint32(out, stringsStart)
	out = binary.LittleEndian.AppendUint32(out, stylesStart)
	for _, o := range offsets {
		out = binary.LittleEndian.AppendUint32(out, o)
	}
	for _, o := range styleOffsets {
		out = binary.LittleEndian.AppendUint32(out, o)
	}
	out = append(out, data...)
	return append(out, styles...)
}

// appendLen8 writes a UTF-8 pool length: one byte, or two with the high
// bit of the first set.
func appendLen8(b []byte, n int) []byte {
	if n > 0x7f {
		return append(b, byte(n>>8)|0x80, byte(n))
	}
	return append(b, byte(n))
}

// appendLen16 writes a UTF-16 pool length: one unit, or two with the high
// bit of the first set.
func appendLen16(b []byte, n int) []byte {
	if n > 0x7fff {
		b = binary.LittleEndian.AppendUint16(b, uint16(n>>16)|0x8000)
	}
	return binary.LittleEndian.AppendUint16(b, uint16(n))
}

func appendChunkHeader(b []byte, typ, headerSize uint16, size uint32) []byte {
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = binary.LittleEndian.AppendUint16(b, headerSize)
	return binary.LittleEndian.AppendUint32(b, size)
}

func appendValue(b []byte, v res.Value) []byte {
	b = binary.LittleEndian.AppendUint16(b, res.ValueSize)
	b = append(b, 0, v.Type)
	return binary.LittleEndian.AppendUint32(b, v.Data)
}
