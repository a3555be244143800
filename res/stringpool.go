package res

import (
	"encoding/binary"
	"fmt"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// String pool flags (ResStringPool_header.flags).
const (
	FlagSorted uint32 = 1 << 0
	FlagUTF8   uint32 = 1 << 8
)

// StringPoolHeaderSize is the size of ResStringPool_header.
const StringPoolHeaderSize = 28

// SpanEnd marks the end of a string's span list (ResStringPool_span::END).
const SpanEnd = 0xFFFFFFFF

// Span is ResStringPool_span: a style applied to a range of characters
// (UTF-16 units) of a string.
type Span struct {
	Name      uint32 // string index of the style's name, e.g. "b"
	FirstChar uint32
	LastChar  uint32 // inclusive
}

// StringPool is a parsed ResStringPool. It reads the input in place: a
// string is decoded only when asked for, then remembered. It is safe for
// concurrent use.
type StringPool struct {
	Header       ChunkHeader
	Flags        uint32
	StringsStart uint32 // offset of the string data from the chunk start
	StylesStart  uint32 // offset of the style data from the chunk start

	count, styleCount int
	entries           []byte // string offsets, 4 bytes each
	styleEntries      []byte // style offsets, 4 bytes each
	pool              []byte // string data: Android's mStrings, mStringPoolSize chars long
	styles            []byte // style data; nil when styles are unusable
	maxSpans          int
	warnings          []error

	mu    sync.Mutex
	cache []string
	have  []uint64         // bit i set: cache[i] holds string i
	bad   map[uint32]error // strings that failed, so hostile input cannot make us rescan them
}

// ParseStringPool parses the string pool chunk at off in b.
//
// It rejects the pool where Android's ResStringPool::setTo would leave no
// string readable. Problems Android also rejects but that do not stop the
// strings from being read (a bad style block, a missing final terminator)
// are kept as warnings, see [StringPool.Warnings].
func ParseStringPool(b []byte, off int64, lim Limits) (*StringPool, error) {
	lim = lim.withDefaults()
	h, err := ReadChunkHeader(b, off)
	if err != nil {
		return nil, err
	}
	if h.Type != ChunkStringPool {
		return nil, &FormatError{Offset: off, Msg: fmt.Sprintf("chunk type %s is not a string pool", ChunkTypeName(h.Type))}
	}
	if h.HeaderSize < StringPoolHeaderSize {
		return nil, &FormatError{Offset: off, Msg: fmt.Sprintf("string pool header size %d is smaller than %d", h.HeaderSize, StringPoolHeaderSize)}
	}
	c := b[off : off+int64(h.Size)]
	size := int64(h.Size)
	p := &StringPool{
		Header:       h,
		Flags:        binary.LittleEndian.Uint32(c[16:]),
		StringsStart: binary.LittleEndian.Uint32(c[20:]),
		StylesStart:  binary.LittleEndian.Uint32(c[24:]),
		maxSpans:     lim.MaxSpans,
	}
	count := int64(binary.LittleEndian.Uint32(c[8:]))
	styleCount := int64(binary.LittleEndian.Uint32(c[12:]))
	if count > int64(lim.MaxStrings) {
		return nil, &FormatError{Offset: off + 8, Msg: fmt.Sprintf("string count %d exceeds limit %d", count, lim.MaxStrings)}
	}
	if styleCount > int64(lim.MaxStyles) {
		return nil, &FormatError{Offset: off + 12, Msg: fmt.Sprintf("style count %d exceeds limit %d", styleCount, lim.MaxStyles)}
	}
	hs := int64(h.HeaderSize)
	if hs+count*4 > size {
		return nil, &FormatError{Offset: off + 8, Msg: fmt.Sprintf("%d string offsets extend past the pool's %d bytes", count, size)}
	}
	p.count = int(count)
	p.entries = c[hs : hs+count*4]

	charSize := int64(2)
	if p.IsUTF8() {
		charSize = 1
	}
	stylesUsable := styleCount > 0
	if styleCount > 0 {
		// Android rejects the whole pool for any of these; we only lose the styles.
		switch ss := int64(p.StylesStart); {
		case hs+(count+styleCount)*4 > size:
			p.warn(off+12, fmt.Sprintf("%d style offsets extend past the pool's %d bytes", styleCount, size))
			stylesUsable = false
		case ss >= size-2:
			p.warn(off+24, fmt.Sprintf("styles start %d is past the pool's end %d", ss, size))
			stylesUsable = false
		case count > 0 && ss <= int64(p.StringsStart):
			p.warn(off+24, fmt.Sprintf("styles start %d is not after strings start %d", ss, p.StringsStart))
			stylesUsable = false
		case size-ss < 12 || !isSpanEnd(c[size-12:]):
			p.warn(off+size-4, "style block does not end with an END span")
			// Android rejects this; spans still terminate individually, so keep them.
		}
	}
	if count > 0 {
		ss := int64(p.StringsStart)
		if ss >= size-2 {
			return nil, &FormatError{Offset: off + 20, Msg: fmt.Sprintf("strings start %d is past the pool's end %d", ss, size)}
		}
		end := size
		if stylesUsable {
			end = int64(p.StylesStart)
		}
		n := (end - ss) / charSize
		if n == 0 {
			return nil, &FormatError{Offset: off + 20, Msg: fmt.Sprintf("%d strings but no string data", count)}
		}
		p.pool = c[ss : ss+n*charSize]
		if last := p.pool[len(p.pool)-int(charSize):]; last[0] != 0 || last[charSize-1] != 0 {
			p.warn(off+ss+int64(len(p.pool))-charSize, "last string is not 0-terminated")
		}
	}
	if stylesUsable {
		p.styleCount = int(styleCount)
		p.styleEntries = c[hs+count*4 : hs+(count+styleCount)*4]
		p.styles = c[p.StylesStart:]
	}
	return p, nil
}

func isSpanEnd(b []byte) bool {
	for _, x := range b[:12] {
		if x != 0xff {
			return false
		}
	}
	return true
}

func (p *StringPool) warn(off int64, msg string) {
	p.warnings = append(p.warnings, &FormatError{Offset: off, Msg: msg})
}

// Warnings lists problems found in the pool that did not stop it being read.
func (p *StringPool) Warnings() []error { return p.warnings }

// Len is the number of strings in the pool.
func (p *StringPool) Len() int { return p.count }

// StyleLen is the number of styled strings (the first StyleLen strings).
func (p *StringPool) StyleLen() int { return p.styleCount }

// IsUTF8 reports whether strings are stored as UTF-8 rather than UTF-16.
func (p *StringPool) IsUTF8() bool { return p.Flags&FlagUTF8 != 0 }

// IsSorted reports whether the pool claims its strings are sorted.
func (p *StringPool) IsSorted() bool { return p.Flags&FlagSorted != 0 }

// String returns string i, decoded the way Android's ResStringPool::stringAt
// decodes it: a string Android cannot read is an error here too. Invalid
// UTF-16 (lone surrogates) becomes U+FFFD.
func (p *StringPool) String(i uint32) (string, error) {
	if int64(i) >= int64(p.count) {
		return "", p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	p.mu.Lock()
	if p.have != nil && p.have[i/64]&(1<<(i%64)) != 0 {
		s := p.cache[i]
		p.mu.Unlock()
		return s, nil
	}
	if err, ok := p.bad[i]; ok {
		p.mu.Unlock()
		return "", err
	}
	p.mu.Unlock()

	s, err := p.decode(i)
	p.mu.Lock()
	if err != nil {
		if p.bad == nil {
			p.bad = map[uint32]error{}
		}
		p.bad[i] = err
		p.mu.Unlock()
		return "", err
	}
	if p.have == nil {
		p.cache = make([]string, p.count)
		p.have = make([]uint64, (p.count+63)/64)
	}
	p.cache[i] = s
	p.have[i/64] |= 1 << (i % 64)
	p.mu.Unlock()
	return s, nil
}

func (p *StringPool) decode(i uint32) (string, error) {
	if p.IsUTF8() {
		b, u16len, err := p.utf8At(i)
		if err != nil {
			return "", err
		}
		if utf8.Valid(b) { // round-trips through Android's conversion unchanged
			return string(b), nil
		}
		return string(utf16.Decode(androidUTF8ToUTF16(b, u16len))), nil
	}
	u, err := p.utf16At(i)
	if err != nil {
		return "", err
	}
	return utf16ToString(u), nil
}

// UTF16 returns string i as the UTF-16 units Android's stringAt yields,
// including any embedded NULs and unpaired surrogates. For a UTF-8 pool it
// reproduces Android's lenient UTF-8 to UTF-16 conversion.
func (p *StringPool) UTF16(i uint32) ([]uint16, error) {
	if int64(i) >= int64(p.count) {
		return nil, p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	if p.IsUTF8() {
		b, u16len, err := p.utf8At(i)
		if err != nil {
			return nil, err
		}
		return androidUTF8ToUTF16(b, u16len), nil
	}
	u, err := p.utf16At(i)
	if err != nil {
		return nil, err
	}
	out := make([]uint16, len(u)/2)
	for k := range out {
		out[k] = binary.LittleEndian.Uint16(u[2*k:])
	}
	return out, nil
}

// entry returns the offset of string i's data relative to the pool data.
func (p *StringPool) entry(i uint32) uint32 {
	return binary.LittleEndian.Uint32(p.entries[4*i:])
}

// poolOffset converts an offset in the pool data to one in the input.
func (p *StringPool) poolOffset(o int64) int64 {
	return p.Header.Offset + int64(p.StringsStart) + o
}

func (p *StringPool) errAt(off int64, i uint32, msg string) error {
	return &FormatError{Offset: off, Msg: fmt.Sprintf("string #%d: %s", i, msg)}
}

// utf16At returns the bytes of UTF-16 string i, without its terminator.
func (p *StringPool) utf16At(i uint32) ([]byte, error) {
	n := int64(len(p.pool) / 2) // mStringPoolSize, in chars
	off := int64(p.entry(i) / 2)
	if off >= n-1 {
		return nil, p.errAt(p.poolOffset(off*2), i, fmt.Sprintf("entry is at char %d, past end of pool at %d", off, n))
	}
	u16 := func(k int64) uint16 { return binary.LittleEndian.Uint16(p.pool[2*k:]) }
	pos := off
	length := int64(u16(pos))
	pos++
	if length&0x8000 != 0 {
		// off < n-1, so the second unit is in range.
		length = (length&0x7fff)<<16 | int64(u16(pos))
		pos++
	}
	if pos+length >= n {
		return nil, p.errAt(p.poolOffset(off*2), i, fmt.Sprintf("length %d extends past end of pool", length))
	}
	if u16(pos+length) != 0 {
		return nil, p.errAt(p.poolOffset((pos+length)*2), i, "not 0-terminated")
	}
	return p.pool[2*pos : 2*(pos+length)], nil
}

// utf8At returns the bytes of UTF-8 string i without its terminator, and the
// UTF-16 length Android computes for it (stringAt).
func (p *StringPool) utf8At(i uint32) ([]byte, int, error) {
	b, start, u16len, err := p.utf8Raw(i)
	if err != nil {
		return nil, 0, err
	}
	actual := androidUTF16Len(b)
	if actual < 0 || int64(actual)&0x7fff != u16len {
		return nil, 0, p.errAt(p.poolOffset(start), i, fmt.Sprintf("UTF-16 length %d does not match the %d decoded", u16len, actual))
	}
	return b, actual, nil
}

// UTF8 returns the stored bytes of string i of a UTF-8 pool, as Android's
// string8At does: without checking them against the UTF-16 length or
// UTF-8 validity. The slice aliases the input and must not be modified.
func (p *StringPool) UTF8(i uint32) ([]byte, error) {
	if int64(i) >= int64(p.count) {
		return nil, p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	if !p.IsUTF8() {
		return nil, p.errAt(p.Header.Offset+16, i, "pool is not UTF-8")
	}
	b, _, _, err := p.utf8Raw(i)
	return b, err
}

// utf8Raw locates UTF-8 string i (string8At): its bytes, the offset of its
// characters in the pool data and its stored UTF-16 length.
func (p *StringPool) utf8Raw(i uint32) ([]byte, int64, int64, error) {
	n := int64(len(p.pool))
	off := int64(p.entry(i))
	if off >= n-1 {
		return nil, off, 0, p.errAt(p.poolOffset(off), i, fmt.Sprintf("entry is at byte %d, past end of pool at %d", off, n))
	}
	pos := off
	readLen := func() (int64, bool) {
		if pos >= n {
			return 0, false
		}
		l := int64(p.pool[pos])
		pos++
		if l&0x80 != 0 {
			if pos >= n {
				return 0, false
			}
			l = (l&0x7f)<<8 | int64(p.pool[pos])
			pos++
		}
		return l, true
	}
	u16len, ok1 := readLen()
	encLen, ok2 := readLen()
	if !ok1 || !ok2 {
		return nil, off, 0, p.errAt(p.poolOffset(off), i, "length prefix extends past end of pool")
	}
	if pos+encLen >= n {
		return nil, off, 0, p.errAt(p.poolOffset(off), i, fmt.Sprintf("length %d extends past end of pool", encLen))
	}
	// aapt truncated lengths over 0x7fff to 15 bits; Android then looks for
	// the terminator at each length the true one could be (stringDecodeAt).
	end := encLen
	for k := int64(0); ; {
		if pos+end >= n {
			return nil, off, 0, p.errAt(p.poolOffset(off), i, "not 0-terminated")
		}
		if p.pool[pos+end] == 0 {
			break
		}
		k++
		end = k<<15 | encLen
	}
	return p.pool[pos : pos+end], pos, u16len, nil
}

// utf8SeqLen is libutils' utf8_codepoint_len: the sequence length implied
// by a lead byte, without checking that the byte is a valid lead.
func utf8SeqLen(c byte) int {
	switch c >> 4 {
	case 0xc, 0xd:
		return 2
	case 0xe:
		return 3
	case 0xf:
		return 4
	}
	return 1
}

// utf8Codepoint is libutils' utf8_to_utf32_codepoint: it ignores the
// continuation bytes' marker bits.
func utf8Codepoint(b []byte) uint32 {
	switch len(b) {
	case 1:
		return uint32(b[0])
	case 2:
		return uint32(b[0]&0x1f)<<6 | uint32(b[1]&0x3f)
	case 3:
		return uint32(b[0]&0x0f)<<12 | uint32(b[1]&0x3f)<<6 | uint32(b[2]&0x3f)
	default:
		return uint32(b[0]&0x07)<<18 | uint32(b[1]&0x3f)<<12 | uint32(b[2]&0x3f)<<6 | uint32(b[3]&0x3f)
	}
}

// androidUTF16Len is libutils' utf8_to_utf16_length: -1 when a sequence
// runs past the end.
func androidUTF16Len(b []byte) int {
	n := 0
	for k := 0; k < len(b); {
		l := utf8SeqLen(b[k])
		if k+l > len(b) {
			return -1
		}
		n++
		if utf8Codepoint(b[k:k+l]) > 0xffff {
			n++
		}
		k += l
	}
	return n
}

// androidUTF8ToUTF16 is libutils' utf8_to_utf16 with room for n units.
func androidUTF8ToUTF16(b []byte, n int) []uint16 {
	out := make([]uint16, 0, n)
	for k := 0; k < len(b) && len(out) < n; {
		l := min(utf8SeqLen(b[k]), len(b)-k)
		cp := utf8Codepoint(b[k : k+l])
		if cp <= 0xffff {
			out = append(out, uint16(cp))
		} else {
			cp -= 0x10000
			out = append(out, uint16((cp>>10)+0xd800))
			if len(out) >= n {
				break
			}
			out = append(out, uint16((cp&0x3ff)+0xdc00))
		}
		k += l
	}
	return out
}

func utf16ToString(b []byte) string {
	ascii := true
	for k := 0; k < len(b); k += 2 {
		if b[k+1] != 0 || b[k] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		s := make([]byte, len(b)/2)
		for k := range s {
			s[k] = b[2*k]
		}
		return string(s)
	}
	u := make([]uint16, len(b)/2)
	for k := range u {
		u[k] = binary.LittleEndian.Uint16(b[2*k:])
	}
	return string(utf16.Decode(u))
}

// Styles returns the spans of string i; a string without styles has none.
func (p *StringPool) Styles(i uint32) ([]Span, error) {
	if int64(i) >= int64(p.styleCount) {
		return nil, nil
	}
	o := int64(binary.LittleEndian.Uint32(p.styleEntries[4*i:]))
	var spans []Span
	for {
		if o < 0 || o > int64(len(p.styles))-4 {
			return spans, &FormatError{Offset: p.Header.Offset + int64(p.StylesStart) + o, Msg: fmt.Sprintf("style #%d runs past end of style data", i)}
		}
		name := binary.LittleEndian.Uint32(p.styles[o:])
		if name == SpanEnd {
			return spans, nil
		}
		if o > int64(len(p.styles))-12 {
			return spans, &FormatError{Offset: p.Header.Offset + int64(p.StylesStart) + o, Msg: fmt.Sprintf("style #%d span runs past end of style data", i)}
		}
		if len(spans) >= p.maxSpans {
			return spans, &FormatError{Offset: p.Header.Offset + int64(p.StylesStart) + o, Msg: fmt.Sprintf("style #%d has more than %d spans", i, p.maxSpans)}
		}
		spans = append(spans, Span{
			Name:      name,
			FirstChar: binary.LittleEndian.Uint32(p.styles[o+4:]),
			LastChar:  binary.LittleEndian.Uint32(p.styles[o+8:]),
		})
		o += 12
	}
}
