package res

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrUnterminated is wrapped by the warning a pool records for a string that
// lacks its NUL terminator (a trick of old malware). Android up to 4.4
// (ResStringPool::stringAt and string8At without the terminator check) read
// such a string by its length, and so does this package; later versions
// reject it ("Bad string block: string #%d is not null-terminated"), so a
// manifest built this way installs only on those old releases.
var ErrUnterminated = errors.New("string is not NUL-terminated (read by its length, as Android up to 4.4 did; Android 5 and later cannot read it)")

// ErrReaderMismatch is wrapped by the warning a pool records when
// PackageManager's reader (android.content.res.StringBlock, which takes a
// UTF-8 string by its byte length up to the first NUL) and the native reader
// (ResStringPool::stringAt, which aapt prints) read a string differently.
var ErrReaderMismatch = errors.New("the Java (PackageManager) and native (aapt) string readers disagree")

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
	lim               Limits
	warnings          []error // found by ParseStringPool

	mu      sync.Mutex
	native  strCache           // String: ResStringPool::stringAt
	java    strCache           // FrameworkString: StringBlock, for UTF-8 pools
	lazy    []error            // found while decoding strings
	dropped int                // lazy warnings beyond Limits.MaxWarnings
	warned  map[warnKey]bool   // the strings and kinds of lazy
	over    map[error][]uint64 // the same past MaxWarnings, as bitsets
	// byOff keeps what decoding the string data at an offset found, for
	// the indexes that share it: a pool may point every one of its
	// entries at one long string, and decoding it anew for each would
	// cost (and keep) entries × length.
	byOff map[uint32]*offMemo
}

// offMemo is what the string at one offset of the pool data decodes to.
// Warnings and errors still name each index: only the work over the
// string's characters is shared.
type offMemo struct {
	haveU16              bool
	actual               int // androidUTF16Len, when haveU16
	native, java         string
	haveNative, haveJava bool
}

// memo returns the record for string i's offset, creating it.
func (p *StringPool) memo(i uint32) *offMemo {
	off := p.entry(i)
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.byOff[off]
	if m == nil {
		if p.byOff == nil {
			p.byOff = map[uint32]*offMemo{}
		}
		m = &offMemo{}
		p.byOff[off] = m
	}
	return m
}

// strCache memoises decoded strings. Failures are not kept: a pool of
// millions of entries pointing at one bad string would hold an error per
// entry, and finding the failure again is cheap (the work over the
// string's characters is kept per offset, in offMemo).
type strCache struct {
	vals []string
	have []uint64 // bit i set: vals[i] holds string i
}

func (c *strCache) get(i uint32) (string, error, bool) {
	if c.have != nil && c.have[i/64]&(1<<(i%64)) != 0 {
		return c.vals[i], nil, true
	}
	return "", nil, false
}

func (c *strCache) put(n int, i uint32, s string, err error) {
	if err != nil {
		return
	}
	if c.have == nil {
		c.vals = make([]string, n)
		c.have = make([]uint64, (n+63)/64)
	}
	c.vals[i] = s
	c.have[i/64] |= 1 << (i % 64)
}

type warnKey struct {
	what error
	i    uint32
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
		lim:          lim,
	}
	count := int64(binary.LittleEndian.Uint32(c[8:]))
	styleCount := int64(binary.LittleEndian.Uint32(c[12:]))
	if count > int64(lim.MaxStrings) {
		return nil, limitErr(off+8, fmt.Sprintf("string count %d", count), "MaxStrings", int64(lim.MaxStrings))
	}
	if styleCount > int64(lim.MaxStyles) {
		return nil, limitErr(off+12, fmt.Sprintf("style count %d", styleCount), "MaxStyles", int64(lim.MaxStyles))
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
			// Every release since 1.0 rejects the pool for this.
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

// warn records a problem found by ParseStringPool. Each of them makes
// Android's ResStringPool::setTo reject the whole pool.
func (p *StringPool) warn(off int64, msg string) {
	p.warnings = append(p.warnings, &FormatError{Offset: off, Msg: msg, AndroidRejects: true})
}

// lazyWarn records a problem found while decoding string i, once per kind
// and string, up to Limits.MaxWarnings. The warning is built only when it
// is recorded: past the cap, a hostile pool's thousands of bad strings
// cost a count each, not a formatted message.
func (p *StringPool) lazyWarn(kind error, i uint32, mk func() *FormatError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := warnKey{kind, i}
	if p.warned[k] {
		return
	}
	if len(p.lazy) >= p.lim.MaxWarnings {
		// Past the cap, a bit per string and kind: a key per string
		// would cost a map entry for each of millions of entries.
		if p.over == nil {
			p.over = map[error][]uint64{}
		}
		bs := p.over[kind]
		if bs == nil {
			bs = make([]uint64, (p.count+63)/64)
			p.over[kind] = bs
		}
		if int(i/64) < len(bs) && bs[i/64]&(1<<(i%64)) == 0 {
			bs[i/64] |= 1 << (i % 64)
			p.dropped++
		}
		return
	}
	if p.warned == nil {
		p.warned = map[warnKey]bool{}
	}
	p.warned[k] = true
	p.lazy = append(p.lazy, mk())
}

// DecodeWarnings lists only the problems found so far while decoding
// strings (those Warnings lists after ParseStringPool's own).
func (p *StringPool) DecodeWarnings() []error {
	all := p.Warnings()
	return all[len(p.warnings):]
}

// Warnings lists problems found in the pool that did not stop it being
// read: those ParseStringPool found, then those found so far while decoding
// strings (unterminated strings, readers that disagree). Each is a
// *FormatError; AndroidRejects says whether Android refuses what it
// describes.
func (p *StringPool) Warnings() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append(append([]error(nil), p.warnings...), p.lazy...)
	if p.dropped > 0 {
		out = append(out, limitErr(p.Header.Offset, fmt.Sprintf("%d more string warnings not recorded", p.dropped), "MaxWarnings", int64(p.lim.MaxWarnings)))
	}
	return out
}

// Len is the number of strings in the pool.
func (p *StringPool) Len() int { return p.count }

// StyleLen is the number of styled strings (the first StyleLen strings).
func (p *StringPool) StyleLen() int { return p.styleCount }

// IsUTF8 reports whether strings are stored as UTF-8 rather than UTF-16.
func (p *StringPool) IsUTF8() bool { return p.Flags&FlagUTF8 != 0 }

// IsSorted reports whether the pool claims its strings are sorted.
func (p *StringPool) IsSorted() bool { return p.Flags&FlagSorted != 0 }

// String returns string i, decoded the way Android's native reader
// (ResStringPool::stringAt, what aapt prints) decodes it: a string it cannot
// read is an error here too, except that a string without its terminator is
// read by its length, as Android up to 4.4 did, with a warning wrapping
// ErrUnterminated. Invalid UTF-16 (lone surrogates) becomes U+FFFD.
//
// PackageManager and the app itself read strings through the Java
// StringBlock instead; see FrameworkString.
func (p *StringPool) String(i uint32) (string, error) {
	if int64(i) >= int64(p.count) {
		return "", p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	p.mu.Lock()
	s, err, ok := p.native.get(i)
	p.mu.Unlock()
	if ok {
		return s, err
	}
	s, err = p.decode(i)
	p.mu.Lock()
	p.native.put(p.count, i, s, err)
	p.mu.Unlock()
	return s, err
}

// ContainsAny reports whether String(i) contains any of the ASCII bytes
// in chars, and fails as String does, recording the same warnings. It
// looks at the stored bytes, so that a scan for a few characters need not
// build every string: only UTF-8 that is not valid (whose lenient decoding
// may yield any character) is decoded first.
func (p *StringPool) ContainsAny(i uint32, chars string) (bool, error) {
	if int64(i) >= int64(p.count) {
		return false, p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	p.mu.Lock()
	s, err, ok := p.native.get(i)
	p.mu.Unlock()
	if ok {
		return err == nil && strings.ContainsAny(s, chars), err
	}
	if !p.IsUTF8() {
		b, err := p.utf16At(i)
		if err != nil {
			return false, err
		}
		for k := 0; k+1 < len(b); k += 2 {
			if b[k+1] == 0 && b[k] < utf8.RuneSelf && strings.IndexByte(chars, b[k]) >= 0 {
				return true, nil
			}
		}
		return false, nil
	}
	b, _, err := p.utf8Checked(i, false)
	if err != nil {
		return false, err
	}
	if !utf8.Valid(b) {
		s, err := p.String(i)
		return err == nil && strings.ContainsAny(s, chars), err
	}
	return bytes.ContainsAny(b, chars), nil
}

// FrameworkString returns string i as PackageManager and the app read it:
// through android.content.res.StringBlock, whose native half takes a UTF-8
// string with ResStringPool::string8At (by its UTF-8 byte length, ignoring
// the stored UTF-16 length) and hands it to JNI's NewStringUTF, which ends it
// at the first NUL. A UTF-16 string is read by its length, as by String.
//
// Where this differs from String (a wrong UTF-16 length, which String
// refuses; an embedded NUL, which String keeps), the pool records a warning
// wrapping ErrReaderMismatch naming the string and both readings.
func (p *StringPool) FrameworkString(i uint32) (string, error) {
	if !p.IsUTF8() {
		return p.String(i)
	}
	if int64(i) >= int64(p.count) {
		return "", p.errAt(p.Header.Offset+8, i, fmt.Sprintf("index out of range (%d strings)", p.count))
	}
	p.mu.Lock()
	s, err, ok := p.java.get(i)
	p.mu.Unlock()
	if ok {
		return s, err
	}
	b, start, _, err := p.utf8Raw(i)
	if err == nil {
		m := p.memo(i)
		p.mu.Lock()
		s, ok = m.java, m.haveJava
		p.mu.Unlock()
		if !ok {
			if k := bytes.IndexByte(b, 0); k >= 0 {
				b = b[:k]
			}
			s = decodeLenient(b)
			p.mu.Lock()
			m.java, m.haveJava = s, true
			p.mu.Unlock()
		}
	}
	p.mu.Lock()
	p.java.put(p.count, i, s, err)
	p.mu.Unlock()
	if native, nerr := p.String(i); (nerr == nil) != (err == nil) || native != s {
		p.lazyWarn(ErrReaderMismatch, i, func() *FormatError {
			var msg string
			switch {
			case err != nil:
				msg = fmt.Sprintf("string #%d: PackageManager cannot read it (%v); the native reader reads %q", i, err, clip(native))
			case nerr != nil:
				msg = fmt.Sprintf("string #%d: PackageManager reads %q; the native reader (aapt) cannot: %v", i, clip(s), nerr)
			default:
				msg = fmt.Sprintf("string #%d: PackageManager reads %q; the native reader (aapt) reads %q", i, clip(s), clip(native))
			}
			return &FormatError{Offset: p.poolOffset(start), Msg: msg, Err: ErrReaderMismatch}
		})
	}
	return s, err
}

func (p *StringPool) decode(i uint32) (string, error) {
	var b []byte
	var u16len int
	var err error
	if p.IsUTF8() {
		b, u16len, err = p.utf8At(i)
	} else {
		b, err = p.utf16At(i)
	}
	if err != nil {
		return "", err
	}
	m := p.memo(i)
	p.mu.Lock()
	s, ok := m.native, m.haveNative
	p.mu.Unlock()
	if ok {
		return s, nil
	}
	switch {
	case !p.IsUTF8():
		s = utf16ToString(b)
	case utf8.Valid(b): // round-trips through Android's conversion unchanged
		s = string(b)
	default:
		s = string(utf16.Decode(androidUTF8ToUTF16(b, u16len)))
	}
	p.mu.Lock()
	m.native, m.haveNative = s, true
	p.mu.Unlock()
	return s, nil
}

// clip shortens a string quoted in a warning.
func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// decodeLenient converts UTF-8 the way NewStringUTF and libutils do: valid
// UTF-8 as it is, anything else through the lenient UTF-16 conversion
// (CESU-8 surrogate pairs joined, continuation bits not checked).
func decodeLenient(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(utf16.Decode(androidUTF8ToUTF16(b, 2*len(b))))
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
		p.unterminated(i, p.poolOffset((pos+length)*2))
	}
	return p.pool[2*pos : 2*(pos+length)], nil
}

// utf8At returns the bytes of UTF-8 string i without its terminator, and the
// UTF-16 length Android computes for it (stringAt).
func (p *StringPool) utf8At(i uint32) ([]byte, int, error) { return p.utf8Checked(i, true) }

// utf8Checked is utf8At; keep says whether the UTF-16 length it computes
// is kept for the string's next reading. A scan that reads every string
// once keeps nothing: a record per string costs more than the length.
func (p *StringPool) utf8Checked(i uint32, keep bool) ([]byte, int, error) {
	b, start, u16len, err := p.utf8Raw(i)
	if err != nil {
		return nil, 0, err
	}
	var actual int
	if keep {
		m := p.memo(i)
		p.mu.Lock()
		a, ok := m.actual, m.haveU16
		p.mu.Unlock()
		if !ok {
			a = androidUTF16Len(b)
			p.mu.Lock()
			m.actual, m.haveU16 = a, true
			p.mu.Unlock()
		}
		actual = a
	} else {
		actual = androidUTF16Len(b)
	}
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
			// No terminator at any candidate length: read by the stored
			// length, as Android up to 4.4 did.
			end = encLen
			p.unterminated(i, p.poolOffset(pos+encLen))
			break
		}
		if p.pool[pos+end] == 0 {
			break
		}
		k++
		end = k<<15 | encLen
	}
	return p.pool[pos : pos+end], pos, u16len, nil
}

// unterminated records that string i has no terminator where its length
// ends (at off in the input).
func (p *StringPool) unterminated(i uint32, off int64) {
	p.lazyWarn(ErrUnterminated, i, func() *FormatError {
		return &FormatError{Offset: off, Msg: fmt.Sprintf("string #%d", i), Err: ErrUnterminated, AndroidRejects: true}
	})
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
		if b[k] < utf8.RuneSelf { // one byte, one unit
			n++
			k++
			continue
		}
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
		if len(spans) >= p.lim.MaxSpans {
			return spans, limitErr(p.Header.Offset+int64(p.StylesStart)+o, fmt.Sprintf("style #%d spans", i), "MaxSpans", int64(p.lim.MaxSpans))
		}
		spans = append(spans, Span{
			Name:      name,
			FirstChar: binary.LittleEndian.Uint32(p.styles[o+4:]),
			LastChar:  binary.LittleEndian.Uint32(p.styles[o+8:]),
		})
		o += 12
	}
}
