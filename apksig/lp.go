package apksig

import (
	"encoding/binary"
	"fmt"
)

// reader walks little-endian, length-prefixed structures of the signing
// block. base is the offset of buf within the outermost buffer, so that
// errors point at the right byte.
type reader struct {
	buf  []byte
	pos  int
	base int64
}

func newReader(b []byte, base int64) *reader { return &reader{buf: b, base: base} }

func (r *reader) off() int64     { return r.base + int64(r.pos) }
func (r *reader) remaining() int { return len(r.buf) - r.pos }

func (r *reader) u32(what string) (uint32, error) {
	if r.remaining() < 4 {
		return 0, formatErr(r.off(), nil, "truncated %s: need 4 bytes, have %d", what, r.remaining())
	}
	v := binary.LittleEndian.Uint32(r.buf[r.pos:])
	r.pos += 4
	return v, nil
}

func (r *reader) u64(what string) (uint64, error) {
	if r.remaining() < 8 {
		return 0, formatErr(r.off(), nil, "truncated %s: need 8 bytes, have %d", what, r.remaining())
	}
	v := binary.LittleEndian.Uint64(r.buf[r.pos:])
	r.pos += 8
	return v, nil
}

// lp reads a uint32 length followed by that many bytes and returns a reader
// over them.
func (r *reader) lp(what string) (*reader, error) {
	start := r.off()
	n, err := r.u32(what + " length")
	if err != nil {
		return nil, err
	}
	if uint64(n) > uint64(r.remaining()) {
		return nil, formatErr(start, nil, "%s length %d exceeds the %d bytes remaining", what, n, r.remaining())
	}
	sub := &reader{buf: r.buf[r.pos : r.pos+int(n)], base: r.off()}
	r.pos += int(n)
	return sub, nil
}

// bytes reads a length-prefixed byte string.
func (r *reader) bytes(what string) ([]byte, error) {
	s, err := r.lp(what)
	if err != nil {
		return nil, err
	}
	return s.buf, nil
}

// sequence reads a length-prefixed sequence of length-prefixed items, at
// most max of them (each item costs at least its 4-byte prefix, so the count
// is bounded by the bytes present too).
func (r *reader) sequence(what string, max int) ([]*reader, error) {
	seq, err := r.lp(what)
	if err != nil {
		return nil, err
	}
	var items []*reader
	for seq.remaining() > 0 {
		if len(items) >= max {
			return items, limitErr(seq.off(), fmt.Sprintf("more than %d %s items", max, what), "Max"+limitName(what), int64(max))
		}
		it, err := seq.lp(what + " item")
		if err != nil {
			return items, err
		}
		items = append(items, it)
	}
	return items, nil
}

// limitName names the Limits field that bounds a sequence.
func limitName(what string) string {
	switch what {
	case "signers":
		return "Signers"
	case "certificates":
		return "Certificates"
	}
	return "Digests"
}
