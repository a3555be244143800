package zipapk

import (
	"encoding/binary"
	"io"
)

// This file is a second deflate decoder (RFC 1951), for the one case that
// dominates a scan: a whole entry of known size inflated into one buffer
// (ReadFileTo), most of all the DEX files. It reads 64 bits at a time, and
// decodes a symbol with one table lookup in most cases, where the
// streaming decoder (klauspost/compress/flate, behind Open) reads a byte
// at a time through an io.ByteReader; on DEX files it is about one and a
// half times as fast (370 against 240 MB/s, BenchmarkInflate).
//
// It is a fast path only: it either produces exactly the entry's declared
// size from a stream the streaming decoder accepts (complete Huffman
// codes, no distance before the start, a final block ending on the last
// compressed byte, no limit reached), or gives up, and the entry is read
// again through Open. So whatever is odd about an entry (a corrupt
// stream, a size that lies, trailing bytes, a bomb) is found and reported
// by the one decoder, in the one way, whichever path a read takes.

// Table entries: bits 0-3 are how many bits the entry consumes, 4-7 its
// kind, 8-15 its extra bits (a length or distance) or a subtable's index
// bits, 16-31 its value (a literal, a base, a subtable's offset).
const (
	kindLiteral = iota
	kindLength  // or, in the distance table, a distance
	kindEnd
	kindSub
	kindBad // a symbol no stream may use, or a code no symbol has
)

const (
	litBits  = 11 // index bits of the literal/length table's first level
	distBits = 8  // and of the distance table's
	clBits   = 7  // code length codes are at most 7 bits: one level
	maxCode  = 15
)

// The base and extra-bit tables are head.go's.

func entry(n, kind, extra, value uint32) uint32 { return n | kind<<4 | extra<<8 | value<<16 }

// inflateWindow is how much compressed data the decoder reads at a time.
const inflateWindow = 64 << 10

// fastInflater is one run of the fast decoder.
type fastInflater struct {
	src      io.ReaderAt
	next     int64 // offset in src of the next byte to read into win
	end      int64 // end of the compressed data in src
	win      []byte
	base     int64 // how many compressed bytes came before win[0]
	pos      int   // next byte of win to load into bits
	bits     uint64
	nb       uint // valid bits in bits; those above are zero or the next input bits
	pad      int  // zero bytes loaded past the end of the input
	out      []byte
	o        int
	maxRatio int64

	lit  []uint32 // first level, then subtables
	dist []uint32
	cl   [1 << clBits]uint32
}

// fastInflate inflates the deflate stream of n bytes at off in src into
// out, which must be exactly as long as the stream inflates to. It reports
// false, having written any of out, when it gives up (see above). The
// ratio of inflated to compressed bytes is kept below maxRatio at every
// step, as the streaming reader keeps it once past ratioGraceBytes.
func fastInflate(src io.ReaderAt, off, n int64, out []byte, maxRatio int64) bool {
	if maxRatio < 16 {
		return false // the margin kept below needs a ratio well above a literal's 8
	}
	d := &fastInflater{src: src, next: off, end: off + n, out: out, maxRatio: maxRatio,
		win: make([]byte, 0, min(inflateWindow, n+8))}
	for {
		if !d.need(3) {
			return false
		}
		final := d.bits&1 == 1
		typ := d.bits >> 1 & 3
		d.drop(3)
		var ok bool
		switch typ {
		case 0:
			ok = d.stored()
		case 1:
			ok = d.fixed() && d.block()
		case 2:
			ok = d.dynamic() && d.block()
		}
		if !ok {
			return false
		}
		if final {
			break
		}
	}
	// All of out, from all of the input and no more: the bits of the last
	// byte past the stream's end are padding.
	return d.o == len(d.out) && d.used() == n
}

// fill moves the next compressed bytes into win, keeping the unread ones.
func (d *fastInflater) fill() {
	rest := copy(d.win[:cap(d.win)], d.win[d.pos:])
	d.base += int64(d.pos)
	d.pos = 0
	m := min(int64(cap(d.win)-rest), d.end-d.next)
	k, _ := d.src.ReadAt(d.win[rest:rest+int(m)], d.next)
	d.next += int64(k)
	d.win = d.win[:rest+k]
	if k < int(m) {
		d.end = d.next // a short read ends the input here
	}
}

// refill loads bits until at least 56 are valid, past the end of the
// input as zero bytes (counted in pad).
func (d *fastInflater) refill() {
	if d.pos+8 > len(d.win) && d.next < d.end {
		d.fill()
	}
	if d.pos+8 <= len(d.win) {
		d.bits |= binary.LittleEndian.Uint64(d.win[d.pos:]) << d.nb
		k := (63 - d.nb) >> 3
		d.pos += int(k)
		d.nb += k * 8
		return
	}
	for d.nb <= 56 {
		if d.pos < len(d.win) {
			d.bits |= uint64(d.win[d.pos]) << d.nb
			d.pos++
		} else {
			d.pad++
		}
		d.nb += 8
	}
}

// used is how many compressed bytes the bits taken so far came from,
// padding past the end of the input included.
func (d *fastInflater) used() int64 {
	return d.base + int64(d.pos) + int64(d.pad) - int64(d.nb/8)
}

// maxPad bounds the padding loaded: a stream that reads this far past its
// end has run off it.
const maxPad = 16

// need makes n <= 56 bits valid; it fails once it is reading padding
// well past the end.
func (d *fastInflater) need(n uint) bool {
	if d.nb < n {
		d.refill()
	}
	return d.pad <= maxPad
}

func (d *fastInflater) drop(n uint) {
	d.bits >>= n
	d.nb -= n
}

// stored copies a stored block.
func (d *fastInflater) stored() bool {
	d.drop(d.nb % 8)
	if !d.need(32) {
		return false
	}
	n := int(d.bits & 0xffff)
	if uint16(d.bits>>16) != ^uint16(n) || d.o+n > len(d.out) {
		return false
	}
	d.drop(32)
	// Whole bytes still in bits first, then the window.
	for ; n > 0 && d.nb >= 8; n-- {
		d.out[d.o] = byte(d.bits)
		d.o++
		d.drop(8)
	}
	if n == 0 {
		return true
	}
	// Any bits left above nb are the bytes at pos, which are copied from
	// the window now: they must not be loaded a second time.
	d.bits = 0
	for n > 0 {
		if d.pos == len(d.win) {
			if d.next >= d.end {
				return false
			}
			d.fill()
		}
		k := copy(d.out[d.o:d.o+n], d.win[d.pos:])
		d.o += k
		d.pos += k
		n -= k
	}
	return true
}

// fixed sets the tables of RFC 1951's fixed codes.
func (d *fastInflater) fixed() bool {
	lit := fixedLitLengths()
	var dist [32]uint8 // 30 and 31 have codes, but no stream may use them
	for i := range dist {
		dist[i] = 5
	}
	return d.tables(lit[:], dist[:])
}

// dynamic reads a dynamic block's code lengths and sets its tables.
func (d *fastInflater) dynamic() bool {
	if !d.need(14) {
		return false
	}
	nlit := int(d.bits&31) + 257
	ndist := int(d.bits>>5&31) + 1
	ncl := int(d.bits>>10&15) + 4
	d.drop(14)
	if nlit > 286 || ndist > 30 {
		return false
	}
	var clLen [19]uint8
	for i := range ncl {
		if !d.need(3) {
			return false
		}
		clLen[clOrder[i]] = uint8(d.bits & 7)
		d.drop(3)
	}
	cl := d.cl[:0]
	if !build(&cl, clLen[:], clBits, func(sym int) (uint32, uint32, uint32) { return kindLiteral, 0, uint32(sym) }) {
		return false
	}
	var lengths [286 + 30]uint8
	for i := 0; i < nlit+ndist; {
		if !d.need(maxCode) {
			return false
		}
		e := d.cl[d.bits&(1<<clBits-1)]
		if e>>4&15 == kindBad {
			return false
		}
		d.drop(uint(e & 15))
		sym := e >> 16
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		if !d.need(7) {
			return false
		}
		var rep int
		var v uint8
		switch sym {
		case 16:
			if i == 0 {
				return false
			}
			rep, v = 3+int(d.bits&3), lengths[i-1]
			d.drop(2)
		case 17:
			rep = 3 + int(d.bits&7)
			d.drop(3)
		default:
			rep = 11 + int(d.bits&127)
			d.drop(7)
		}
		if i+rep > nlit+ndist {
			return false
		}
		for ; rep > 0; rep-- {
			lengths[i] = v
			i++
		}
	}
	return d.tables(lengths[:nlit], lengths[nlit:nlit+ndist])
}

// tables builds the literal/length and distance tables from code lengths.
func (d *fastInflater) tables(lit, dist []uint8) bool {
	if d.lit == nil {
		// Room for every subtable: at most one per code longer than the
		// first level, of at most 1<<(15-bits) entries.
		d.lit = make([]uint32, 0, 1<<litBits+288<<(maxCode-litBits))
		d.dist = make([]uint32, 0, 1<<distBits+30<<(maxCode-distBits))
	}
	return build(&d.lit, lit, litBits, func(sym int) (uint32, uint32, uint32) {
		switch {
		case sym < 256:
			return kindLiteral, 0, uint32(sym)
		case sym == 256:
			return kindEnd, 0, 0
		case sym <= 285:
			return kindLength, uint32(lengthExtra[sym-257]), uint32(lengthBase[sym-257])
		}
		return kindBad, 0, 0
	}) && build(&d.dist, dist, distBits, func(sym int) (uint32, uint32, uint32) {
		if sym < 30 {
			return kindLength, uint32(distExtra[sym]), uint32(distBase[sym])
		}
		return kindBad, 0, 0
	})
}

// build makes *t the two-level table of the canonical Huffman code of
// lengths: a first level of 1<<bits entries, then the subtables of the
// longer codes (*t has room for them all). Like the streaming decoder, it
// takes only a complete code, one code of length 1, or no code at all; a
// code no symbol has decodes as kindBad.
func build(t *[]uint32, lengths []uint8, bits uint, sym func(int) (kind, extra, value uint32)) bool {
	var count [maxCode + 1]int
	maxLen := 0
	for _, l := range lengths {
		count[l]++
		maxLen = max(maxLen, int(l))
	}
	count[0] = 0
	left := 1
	for l := 1; l <= maxCode; l++ {
		left = left<<1 - count[l]
		if left < 0 {
			return false
		}
	}
	if left > 0 && maxLen > 0 && !(maxLen == 1 && count[1] == 1) {
		return false
	}
	subBits := uint32(max(maxLen-int(bits), 0))
	if cap(*t) < 1<<bits || subBits > 0 && cap(*t) < 1<<bits+len(lengths)<<subBits {
		return false
	}
	bad := entry(0, kindBad, 0, 0)
	*t = (*t)[:1<<bits]
	for i := range *t {
		(*t)[i] = bad
	}
	var next [maxCode + 1]int
	code := 0
	for l := 1; l <= maxCode; l++ {
		next[l] = code
		code = (code + count[l]) << 1
	}
	mask := uint32(1)<<bits - 1
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		r := reverse(uint32(next[l]), uint32(l))
		next[l]++
		kind, extra, value := sym(s)
		if uint(l) <= bits {
			e := entry(uint32(l), kind, extra, value)
			for i := r; i <= mask; i += 1 << l {
				(*t)[i] = e
			}
			continue
		}
		// A long code: its first bits pick a subtable of 1<<subBits entries.
		p := (*t)[r&mask]
		if p>>4&15 != kindSub {
			p = entry(uint32(bits), kindSub, subBits, uint32(len(*t)))
			(*t)[r&mask] = p
			for range 1 << subBits {
				*t = append(*t, bad)
			}
		}
		sub := (*t)[p>>16 : p>>16+1<<subBits]
		rest := uint32(l) - uint32(bits)
		e := entry(rest, kind, extra, value)
		for i := r >> bits; i < 1<<subBits; i += 1 << rest {
			sub[i] = e
		}
	}
	return true
}

// reverse reverses the low n bits of c: Huffman codes are packed from
// their first bit, the bit buffer is read from its lowest.
func reverse(c, n uint32) uint32 {
	var r uint32
	for range n {
		r = r<<1 | c&1
		c >>= 1
	}
	return r
}

// block decodes one Huffman-coded block with the current tables. The
// bit buffer and positions are kept in locals, and put back in d before
// anything that reads them there (refill, return).
func (d *fastInflater) block() bool {
	lit, dist, out := d.lit, d.dist, d.out
	lit1, dist1 := (*[1 << litBits]uint32)(lit), (*[1 << distBits]uint32)(dist) // first levels: no bounds checks
	bits, nb, o := d.bits, d.nb, d.o
	// Checked at every match, with room for the literals between two of
	// them, so that the streaming reader's check, at any point, would not
	// have failed either (see fastInflate).
	ratio := d.maxRatio + 1
	for {
		if nb < 48 {
			if d.pos+8 <= len(d.win) {
				bits |= binary.LittleEndian.Uint64(d.win[d.pos:]) << nb
				k := (63 - nb) >> 3
				d.pos += int(k)
				nb += k * 8
			} else {
				d.bits, d.nb = bits, nb
				d.refill()
				if d.pad > maxPad {
					return false
				}
				bits, nb = d.bits, d.nb
			}
		}
		e := lit1[bits&(1<<litBits-1)]
		if e>>4&15 == kindSub {
			bits >>= litBits
			nb -= litBits
			e = lit[e>>16+uint32(bits)&(1<<(e>>8&255)-1)]
		}
		bits >>= e & 15
		nb -= uint(e & 15)
		switch e >> 4 & 15 {
		case kindLiteral:
			if o >= len(out) {
				return false
			}
			out[o] = byte(e >> 16)
			o++
			continue
		case kindEnd:
			d.bits, d.nb, d.o = bits, nb, o
			return true
		case kindBad:
			return false
		}
		extra := e >> 8 & 255
		length := int(e>>16) + int(bits&(1<<extra-1))
		bits >>= extra
		nb -= uint(extra)
		de := dist1[bits&(1<<distBits-1)]
		if de>>4&15 == kindSub {
			bits >>= distBits
			nb -= distBits
			de = dist[de>>16+uint32(bits)&(1<<(de>>8&255)-1)]
		}
		bits >>= de & 15
		nb -= uint(de & 15)
		if de>>4&15 != kindLength {
			return false
		}
		extra = de >> 8 & 255
		distance := int(de>>16) + int(bits&(1<<extra-1))
		bits >>= extra
		nb -= uint(extra)
		if distance > o || length > len(out)-o {
			return false
		}
		switch {
		case distance >= 8 && length <= 32 && len(out)-o >= 40:
			// Eight bytes at a time, each already written: the few past
			// the match are written over by what follows.
			for i := 0; i < length; i += 8 {
				binary.LittleEndian.PutUint64(out[o+i:], binary.LittleEndian.Uint64(out[o-distance+i:]))
			}
		case distance >= length:
			copy(out[o:o+length], out[o-distance:])
		default:
			for i := range length {
				out[o+i] = out[o-distance+i]
			}
		}
		o += length
		if int64(o)+64 >= ratio*(d.base+int64(d.pos)+int64(d.pad)-int64(nb/8)) {
			return false
		}
	}
}
