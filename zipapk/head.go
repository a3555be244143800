package zipapk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ReadHead returns the first n bytes of an entry's uncompressed data (fewer
// if it is shorter), decoding only as much of a deflated stream as they
// need. Telling a file by its first bytes must not cost inflating it: a
// general inflater fills a 32 KiB window before its first read returns,
// which over thousands of entries costs more than the rest of a scan.
// Calls are serialised; a HeadReader reads heads beside others.
func (z *Reader) ReadHead(e *Entry, n int) ([]byte, error) {
	z.windowMu.Lock()
	defer z.windowMu.Unlock()
	return z.head.readHead(z, e, n)
}

// HeadReader reads entry heads (see Reader.ReadHead) through a window of
// its own, so that several can read heads of one Reader at once. It is not
// safe for concurrent use itself.
type HeadReader struct {
	z *Reader
	w window
}

// NewHeadReader returns a HeadReader of z.
func (z *Reader) NewHeadReader() *HeadReader { return &HeadReader{z: z} }

// ReadHead is Reader.ReadHead.
func (h *HeadReader) ReadHead(e *Entry, n int) ([]byte, error) { return h.w.readHead(h.z, e, n) }

func (w *window) readHead(z *Reader, e *Entry, n int) ([]byte, error) {
	if e == nil {
		return nil, errors.New("zipapk: ReadHead of nil entry")
	}
	z, e = z.source(e)
	if e.err != nil {
		return nil, e.err
	}
	if n <= 0 {
		return nil, nil
	}
	if uint64(n) > e.UncompressedSize {
		n = int(e.UncompressedSize)
	}
	clen := e.dataLen()
	if e.DataOffset < 0 || e.DataOffset > z.size || clen > uint64(z.size-e.DataOffset) {
		return nil, &FormatError{Offset: e.HeaderOffset, Msg: fmt.Sprintf("entry %q: data runs past end of file", e.Name)}
	}
	if e.Method != Deflate {
		if uint64(n) > clen {
			n = int(clen)
		}
		buf, err := w.read(z, e.DataOffset, n)
		if err != nil {
			return nil, fmt.Errorf("zipapk: reading %q: %w", e.Name, err)
		}
		return bytes.Clone(buf), nil
	}
	// The compressed bytes a head of n bytes can need are bounded: a
	// dynamic block's header is at most some 300 bytes, and each output
	// byte costs at most 15+5+15+13 bits.
	src, err := w.read(z, e.DataOffset, int(min(clen, uint64(512+n*8))))
	if err != nil {
		return nil, fmt.Errorf("zipapk: reading %q: %w", e.Name, err)
	}
	out, err := inflateHead(src, n)
	if err != nil {
		return out, &FormatError{Offset: e.DataOffset, Msg: fmt.Sprintf("entry %q: deflate data", e.Name), Err: err}
	}
	return out, nil
}

// headWindow is how much of the file one read for ReadHead brings in.
const headWindow = 128 << 10

// window is the last stretch of a file read: the heads (and local
// headers) of small entries lie side by side, and one read serves many.
type window struct {
	buf []byte
	off int64
}

// read returns n bytes of z's file at off, served from the window when it
// holds them. The slice is valid until the next call.
func (w *window) read(z *Reader, off int64, n int) ([]byte, error) {
	if off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
		return w.buf[off-w.off : off-w.off+int64(n)], nil
	}
	size := int64(max(n, headWindow))
	if off+size > z.size {
		size = z.size - off
	}
	if cap(w.buf) < int(size) {
		w.buf = make([]byte, size)
	}
	w.buf = w.buf[:size]
	m, err := z.r.ReadAt(w.buf, off)
	if err != nil && !errors.Is(err, io.EOF) {
		w.buf = w.buf[:0]
		return nil, err
	}
	w.buf, w.off = w.buf[:m], off
	if m < n {
		return w.buf, nil
	}
	return w.buf[:n], nil
}

// errShortInput means the stream ended before the head was complete.
var errShortInput = errors.New("deflate stream ends early")

// bitReader reads a deflate stream LSB first.
type bitReader struct {
	src  []byte
	pos  int
	bits uint64
	n    uint
}

func (b *bitReader) need(k uint) error {
	for b.n < k {
		if b.pos >= len(b.src) {
			return errShortInput
		}
		b.bits |= uint64(b.src[b.pos]) << b.n
		b.pos++
		b.n += 8
	}
	return nil
}

func (b *bitReader) get(k uint) (uint32, error) {
	if err := b.need(k); err != nil {
		return 0, err
	}
	v := uint32(b.bits & (1<<k - 1))
	b.bits >>= k
	b.n -= k
	return v, nil
}

// huffman is a canonical Huffman code, decoded bit by bit (heads are
// short), or with one look-up in fast for the code-length code of a block
// header, whose some 300 symbols are most of what a head decodes.
type huffman struct {
	count  [16]uint16 // codes of each length
	symbol []uint16   // symbols ordered by code
	// fast, when not nil, has 1<<fastBits entries: fast[b] is
	// symbol<<4 | length for the code that the next fastBits bits b of the
	// stream (read LSB first) start with, when it is at most fastBits
	// long; 0 otherwise.
	fast []uint16
}

// clFastBits is the longest code of the code-length code.
const clFastBits = 7

// fastBits is the width of the look-up table.
const fastBits = clFastBits

// newHuffman builds the code of the given lengths, with its look-up table
// when fast is set.
func newHuffman(lengths []uint8, fast bool) (*huffman, error) {
	h := &huffman{symbol: make([]uint16, len(lengths))}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	left := 1
	for l := 1; l < 16; l++ {
		left <<= 1
		left -= int(h.count[l])
		if left < 0 {
			return nil, errors.New("over-subscribed Huffman code")
		}
	}
	var offs [16]uint16
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	for s, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(s)
			offs[l]++
		}
	}
	if !fast {
		return h, nil
	}
	h.fast = make([]uint16, 1<<fastBits)
	// Canonical codes: those of one length are consecutive, in symbol
	// order, after the codes of every shorter length.
	var next [16]uint16
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + h.count[l-1]) << 1
		next[l] = code
	}
	for s, l := range lengths {
		if l == 0 || l > fastBits {
			continue
		}
		c := next[l]
		next[l]++
		// The stream holds a code's bits most significant first, read
		// into an LSB-first buffer: the index is the code reversed.
		rev := uint16(0)
		for i := uint8(0); i < l; i++ {
			rev = rev<<1 | (c>>i)&1
		}
		for j := int(rev); j < len(h.fast); j += 1 << l {
			h.fast[j] = uint16(s)<<4 | uint16(l)
		}
	}
	return h, nil
}

func (h *huffman) decode(b *bitReader) (int, error) {
	// Take the bits a code can need at once when the stream has them;
	// near its end fall back to what is left.
	if b.need(15) != nil && b.n == 0 {
		return 0, errShortInput
	}
	if h.fast != nil {
		if e := h.fast[b.bits&(1<<fastBits-1)]; e != 0 {
			if l := uint(e & 15); l <= b.n {
				b.bits >>= l
				b.n -= l
				return int(e >> 4), nil
			}
		}
	}
	bits, avail := b.bits, b.n
	code, first, index := 0, 0, 0
	for l := uint(1); l < 16; l++ {
		if l > avail {
			return 0, errShortInput
		}
		code |= int(bits & 1)
		bits >>= 1
		count := int(h.count[l])
		if code-count < first {
			b.bits, b.n = bits, avail-l
			return int(h.symbol[index+(code-first)]), nil
		}
		index += count
		first += count
		first <<= 1
		code <<= 1
	}
	return 0, errors.New("invalid Huffman code")
}

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	clOrder     = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// inflateHead decodes the first n bytes of a raw deflate stream (RFC 1951).
func inflateHead(src []byte, n int) ([]byte, error) {
	b := &bitReader{src: src}
	out := make([]byte, 0, n)
	for len(out) < n {
		final, err := b.get(1)
		if err != nil {
			return out, err
		}
		typ, err := b.get(2)
		if err != nil {
			return out, err
		}
		switch typ {
		case 0:
			// To a byte boundary: the partial byte's bits are dropped,
			// whole bytes read ahead are given back.
			b.pos -= int(b.n / 8)
			b.bits, b.n = 0, 0
			if b.pos+4 > len(src) {
				return out, errShortInput
			}
			ln := int(src[b.pos]) | int(src[b.pos+1])<<8
			nln := int(src[b.pos+2]) | int(src[b.pos+3])<<8
			if ln != ^nln&0xffff {
				return out, errors.New("stored block length check fails")
			}
			b.pos += 4
			take := min(ln, n-len(out))
			if b.pos+take > len(src) {
				return out, errShortInput
			}
			out = append(out, src[b.pos:b.pos+take]...)
			b.pos += ln
		case 1, 2:
			lit, dist, err := blockCodes(b, typ)
			if err != nil {
				return out, err
			}
			for len(out) < n {
				sym, err := lit.decode(b)
				if err != nil {
					return out, err
				}
				if sym < 256 {
					out = append(out, byte(sym))
					continue
				}
				if sym == 256 {
					break
				}
				sym -= 257
				if sym >= 29 {
					return out, errors.New("invalid length symbol")
				}
				extra, err := b.get(uint(lengthExtra[sym]))
				if err != nil {
					return out, err
				}
				length := int(lengthBase[sym]) + int(extra)
				ds, err := dist.decode(b)
				if err != nil {
					return out, err
				}
				if ds >= 30 {
					return out, errors.New("invalid distance symbol")
				}
				dextra, err := b.get(uint(distExtra[ds]))
				if err != nil {
					return out, err
				}
				d := int(distBase[ds]) + int(dextra)
				if d > len(out) {
					return out, errors.New("distance reaches before the stream")
				}
				for i := 0; i < length && len(out) < n; i++ {
					out = append(out, out[len(out)-d])
				}
			}
		default:
			return out, errors.New("reserved block type")
		}
		if final == 1 {
			break
		}
	}
	return out, nil
}

// fixedCodes are the codes of a fixed-Huffman block (RFC 1951 3.2.6),
// built once: decoding only reads them.
var fixedCodes = sync.OnceValue(func() struct{ lit, dist *huffman } {
	l := fixedLitLengths()
	var d [30]uint8
	for i := range d {
		d[i] = 5
	}
	lit, _ := newHuffman(l[:], false)
	dist, _ := newHuffman(d[:], false)
	return struct{ lit, dist *huffman }{lit, dist}
})

// fixedLitLengths are the code lengths of the fixed literal/length code
// (RFC 1951 3.2.6), symbols 286 and 287 included.
func fixedLitLengths() [288]uint8 {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	return l
}

// blockCodes reads a block's literal/length and distance codes: the fixed
// ones, or a dynamic block's.
func blockCodes(b *bitReader, typ uint32) (*huffman, *huffman, error) {
	if typ == 1 {
		f := fixedCodes()
		return f.lit, f.dist, nil
	}
	hlit, err := b.get(5)
	if err != nil {
		return nil, nil, err
	}
	hdist, err := b.get(5)
	if err != nil {
		return nil, nil, err
	}
	hclen, err := b.get(4)
	if err != nil {
		return nil, nil, err
	}
	nlit, ndist := int(hlit)+257, int(hdist)+1
	if nlit > 286 || ndist > 30 {
		return nil, nil, errors.New("too many codes")
	}
	var cl [19]uint8
	for i := 0; i < int(hclen)+4; i++ {
		v, err := b.get(3)
		if err != nil {
			return nil, nil, err
		}
		cl[clOrder[i]] = uint8(v)
	}
	clh, err := newHuffman(cl[:], true)
	if err != nil {
		return nil, nil, err
	}
	lengths := make([]uint8, nlit+ndist)
	for i := 0; i < len(lengths); {
		sym, err := clh.decode(b)
		if err != nil {
			return nil, nil, err
		}
		var rep, val uint8
		switch {
		case sym < 16:
			lengths[i] = uint8(sym)
			i++
			continue
		case sym == 16:
			if i == 0 {
				return nil, nil, errors.New("repeat with no previous length")
			}
			r, err := b.get(2)
			if err != nil {
				return nil, nil, err
			}
			rep, val = uint8(3+r), lengths[i-1]
		case sym == 17:
			r, err := b.get(3)
			if err != nil {
				return nil, nil, err
			}
			rep = uint8(3 + r)
		default:
			r, err := b.get(7)
			if err != nil {
				return nil, nil, err
			}
			rep = uint8(11 + r)
		}
		if i+int(rep) > len(lengths) {
			return nil, nil, errors.New("code lengths run past their count")
		}
		for ; rep > 0; rep-- {
			lengths[i] = val
			i++
		}
	}
	lit, err := newHuffman(lengths[:nlit], false)
	if err != nil {
		return nil, nil, err
	}
	dist, err := newHuffman(lengths[nlit:], false)
	if err != nil {
		return nil, nil, err
	}
	return lit, dist, nil
}
