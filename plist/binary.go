package plist

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
	"unicode/utf16"
)

// binaryEpoch is CFAbsoluteTime's zero: 2001-01-01 00:00:00 UTC.
var binaryEpoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

const trailerSize = 32

type bplist struct {
	data     []byte
	offsets  []byte // the offset table
	offSize  int    // bytes per offset
	refSize  int    // bytes per object reference
	nObjects uint64
	b        *budget
	visiting map[uint64]bool
}

// parseBinary reads a CFBinaryPList: header "bplist00", objects, the
// offset table and the 32-byte trailer.
func parseBinary(data []byte, b *budget) (*Value, error) {
	if len(data) < 8+trailerSize {
		return nil, errorf(0, "binary plist of %d bytes is shorter than its header and trailer", len(data))
	}
	if string(data[6:8]) != "00" && string(data[6:8]) != "01" {
		return nil, errorf(6, "binary plist version %q", data[6:8])
	}
	tr := data[len(data)-trailerSize:]
	trOff := int64(len(data) - trailerSize)
	p := &bplist{
		data:     data,
		offSize:  int(tr[6]),
		refSize:  int(tr[7]),
		nObjects: binary.BigEndian.Uint64(tr[8:]),
		b:        b,
		visiting: map[uint64]bool{},
	}
	top := binary.BigEndian.Uint64(tr[16:])
	tableOff := binary.BigEndian.Uint64(tr[24:])
	if p.offSize < 1 || p.offSize > 8 || p.refSize < 1 || p.refSize > 8 {
		return nil, errorf(trOff+6, "offset size %d or reference size %d out of 1..8", p.offSize, p.refSize)
	}
	if p.nObjects == 0 || top >= p.nObjects {
		return nil, errorf(trOff+8, "top object %d of %d objects", top, p.nObjects)
	}
	if tableOff < 8 || tableOff > uint64(trOff) || (uint64(trOff)-tableOff)/uint64(p.offSize) < p.nObjects {
		return nil, errorf(trOff+24, "offset table at %d cannot hold %d offsets of %d bytes", tableOff, p.nObjects, p.offSize)
	}
	p.offsets = data[tableOff : tableOff+p.nObjects*uint64(p.offSize)]
	return p.object(top, 0)
}

func beUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

func (p *bplist) objectOffset(ref uint64) (int64, error) {
	if ref >= p.nObjects {
		return 0, errorf(-1, "object reference %d of %d objects", ref, p.nObjects)
	}
	o := beUint(p.offsets[ref*uint64(p.offSize) : (ref+1)*uint64(p.offSize)])
	if o < 8 || o >= uint64(len(p.data)-trailerSize) {
		return 0, errorf(-1, "object %d at offset %d outside the object area", ref, o)
	}
	return int64(o), nil
}

// count reads the length of a string, data, array or dict: the marker's low
// nibble, or an integer object after it when the nibble is 0xF. It returns
// the length and the offset just past it.
func (p *bplist) count(off int64, marker byte) (uint64, int64, error) {
	n := uint64(marker & 0x0f)
	off++
	if n != 0x0f {
		return n, off, nil
	}
	if off >= int64(len(p.data)) {
		return 0, 0, errorf(off, "length integer past the end")
	}
	m := p.data[off]
	if m>>4 != 0x1 {
		return 0, 0, errorf(off, "length is not an integer (marker 0x%02x)", m)
	}
	size := int64(1) << (m & 0x0f)
	if size > 8 || off+1+size > int64(len(p.data)) {
		return 0, 0, errorf(off, "length integer of %d bytes", size)
	}
	return beUint(p.data[off+1 : off+1+size]), off + 1 + size, nil
}

// span returns n items of size bytes at off, checked against the input.
func (p *bplist) span(off int64, n uint64, size int) ([]byte, error) {
	if n > uint64(len(p.data)) || off > int64(len(p.data)) || n*uint64(size) > uint64(int64(len(p.data))-off) {
		return nil, errorf(off, "%d items of %d bytes extend past the end", n, size)
	}
	return p.data[off : off+int64(n)*int64(size)], nil
}

func (p *bplist) object(ref uint64, depth int) (*Value, error) {
	if depth > p.b.lim.MaxDepth {
		return nil, limitErr(-1, fmt.Sprintf("nesting %d", depth), "MaxDepth", p.b.lim.MaxDepth)
	}
	off, err := p.objectOffset(ref)
	if err != nil {
		return nil, err
	}
	if err := p.b.value(off); err != nil {
		return nil, err
	}
	m := p.data[off]
	v := &Value{Offset: off}
	switch m >> 4 {
	case 0x0:
		switch m {
		case 0x08, 0x09:
			v.Kind, v.Bool = Boolean, m == 0x09
		default:
			return nil, errorf(off, "null or fill object 0x%02x where a value belongs", m)
		}
	case 0x1:
		size := 1 << (m & 0x0f)
		b, err := p.span(off+1, uint64(size), 1)
		if err != nil {
			return nil, err
		}
		v.Kind = Integer
		switch {
		case size <= 4:
			v.Int = int64(beUint(b)) // 1, 2 and 4-byte integers are unsigned
		case size == 8:
			v.Int = int64(beUint(b)) // 8-byte integers are signed
		case size == 16:
			// 128-bit: CoreFoundation writes unsigned 64-bit values so,
			// high half zero.
			hi, lo := beUint(b[:8]), beUint(b[8:])
			if hi != 0 && hi != math.MaxUint64 {
				return nil, errorf(off, "integer beyond 64 bits")
			}
			v.Int = int64(lo)
			v.Unsigned = hi == 0 && int64(lo) < 0
		default:
			return nil, errorf(off, "integer of %d bytes", size)
		}
	case 0x2:
		size := 1 << (m & 0x0f)
		b, err := p.span(off+1, uint64(size), 1)
		if err != nil {
			return nil, err
		}
		v.Kind = Real
		switch size {
		case 4:
			v.Real = float64(math.Float32frombits(uint32(beUint(b))))
		case 8:
			v.Real = math.Float64frombits(beUint(b))
		default:
			return nil, errorf(off, "real of %d bytes", size)
		}
	case 0x3:
		if m != 0x33 {
			return nil, errorf(off, "date marker 0x%02x", m)
		}
		b, err := p.span(off+1, 8, 1)
		if err != nil {
			return nil, err
		}
		v.Kind = Date
		v.Date = dateFromSeconds(math.Float64frombits(beUint(b)))
	case 0x4, 0x5, 0x6:
		n, start, err := p.count(off, m)
		if err != nil {
			return nil, err
		}
		size := 1
		if m>>4 == 0x6 {
			size = 2
		}
		b, err := p.span(start, n, size)
		if err != nil {
			return nil, err
		}
		if err := p.b.data(off, int64(len(b))); err != nil {
			return nil, err
		}
		switch m >> 4 {
		case 0x4:
			v.Kind, v.Data = Data, append([]byte(nil), b...)
		case 0x5:
			v.Kind, v.Str = String, latin1(b)
		default:
			u := make([]uint16, n)
			for i := range u {
				u[i] = binary.BigEndian.Uint16(b[2*i:])
			}
			v.Kind, v.Str = String, string(utf16.Decode(u))
		}
	case 0x8:
		b, err := p.span(off+1, uint64(m&0x0f)+1, 1)
		if err != nil {
			return nil, err
		}
		v.Kind, v.Int = UID, int64(beUint(b))
	case 0xA, 0xC, 0xD:
		n, start, err := p.count(off, m)
		if err != nil {
			return nil, err
		}
		refs := n
		if m>>4 == 0xD {
			refs = 2 * n
			if n > uint64(len(p.data)) {
				return nil, errorf(off, "dict of %d entries", n)
			}
		}
		b, err := p.span(start, refs, p.refSize)
		if err != nil {
			return nil, err
		}
		if p.visiting[ref] {
			return nil, errorf(off, "object %d contains itself", ref)
		}
		p.visiting[ref] = true
		defer delete(p.visiting, ref)
		refAt := func(i uint64) uint64 { return beUint(b[i*uint64(p.refSize) : (i+1)*uint64(p.refSize)]) }
		if m>>4 != 0xD {
			v.Kind = Array // a set reads as an array
			for i := range n {
				e, err := p.object(refAt(i), depth+1)
				if err != nil {
					return nil, err
				}
				v.Array = append(v.Array, e)
			}
			break
		}
		v.Kind = Dict
		for i := range n {
			k, err := p.object(refAt(i), depth+1)
			if err != nil {
				return nil, err
			}
			if k.Kind != String {
				return nil, errorf(k.Offset, "dict key is a %s, not a string", k.Kind)
			}
			e, err := p.object(refAt(n+i), depth+1)
			if err != nil {
				return nil, err
			}
			v.Dict = append(v.Dict, Entry{Key: k.Str, Value: e})
		}
	default:
		return nil, errorf(off, "unknown object marker 0x%02x", m)
	}
	return v, nil
}

// latin1 decodes an "ASCII" binary plist string; CoreFoundation writes
// only 7-bit text so, but reads the bytes as Latin-1.
func latin1(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// dateFromSeconds converts CFAbsoluteTime, guarding against values
// time.Duration cannot hold.
func dateFromSeconds(s float64) time.Time {
	if math.IsNaN(s) || math.IsInf(s, 0) || math.Abs(s) > 1e11 {
		return time.Time{}
	}
	sec, frac := math.Modf(s)
	return binaryEpoch.Add(time.Duration(sec) * time.Second).Add(time.Duration(frac * 1e9)).UTC()
}
