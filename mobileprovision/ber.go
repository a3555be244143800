package mobileprovision

import "fmt"

const (
	classUniversal = 0
	classContext   = 2
	tagOID         = 6
	tagSequence    = 0x30 // universal, constructed, 16
)

// node is one BER element: its identifier, its content (primitive) or
// children (constructed), and its whole encoding.
type node struct {
	class       int
	constructed bool
	tagNum      int
	tag         byte // the identifier octet, for low tag numbers
	value       []byte
	children    []*node
	raw         []byte
	off         int64
}

type ber struct {
	data     []byte
	maxDepth int
}

// read decodes the element at off. Lengths may be definite or indefinite
// (ending with two zero octets); every length is checked against the
// bytes that remain.
func (r *ber) read(off int64, depth int) (*node, error) {
	if depth > r.maxDepth {
		return nil, &FormatError{Offset: off, Msg: fmt.Sprintf("BER nesting %d", depth), Err: &LimitError{Limit: "MaxDepth", Value: int64(r.maxDepth)}}
	}
	d := r.data
	if off+2 > int64(len(d)) {
		return nil, errorf(off, "BER element past the end")
	}
	start := off
	id := d[off]
	n := &node{class: int(id >> 6), constructed: id&0x20 != 0, tagNum: int(id & 0x1f), tag: id, off: off}
	off++
	if n.tagNum == 0x1f {
		n.tagNum = 0
		for {
			if off >= int64(len(d)) {
				return nil, errorf(start, "BER tag past the end")
			}
			c := d[off]
			off++
			if n.tagNum > 1<<20 {
				return nil, errorf(start, "BER tag number too large")
			}
			n.tagNum = n.tagNum<<7 | int(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if off >= int64(len(d)) {
		return nil, errorf(start, "BER length past the end")
	}
	l := d[off]
	off++
	indefinite := false
	var length int64
	switch {
	case l < 0x80:
		length = int64(l)
	case l == 0x80:
		indefinite = true
		if !n.constructed {
			return nil, errorf(start, "indefinite length on a primitive element")
		}
	default:
		k := int(l & 0x7f)
		if k > 8 || off+int64(k) > int64(len(d)) {
			return nil, errorf(start, "BER length of %d octets", k)
		}
		for i := range k {
			length = length<<8 | int64(d[off+int64(i)])
			if length < 0 || length > int64(len(d)) {
				return nil, errorf(start, "BER length beyond the input")
			}
		}
		off += int64(k)
	}
	if !indefinite {
		if length > int64(len(d))-off {
			return nil, errorf(start, "BER element of %d bytes extends past the end", length)
		}
		end := off + length
		if !n.constructed {
			n.value = d[off:end]
		} else {
			for off < end {
				c, err := r.readWithin(off, end, depth)
				if err != nil {
					return nil, err
				}
				n.children = append(n.children, c)
				off = c.off + int64(len(c.raw))
			}
		}
		n.raw = d[start:end]
		return n, nil
	}
	for {
		if off+2 > int64(len(d)) {
			return nil, errorf(start, "indefinite-length element without its end")
		}
		if d[off] == 0 && d[off+1] == 0 {
			off += 2
			break
		}
		c, err := r.read(off, depth+1)
		if err != nil {
			return nil, err
		}
		n.children = append(n.children, c)
		off = c.off + int64(len(c.raw))
	}
	n.raw = d[start:off]
	return n, nil
}

// readWithin reads a child that must end by end.
func (r *ber) readWithin(off, end int64, depth int) (*node, error) {
	c, err := r.read(off, depth+1)
	if err != nil {
		return nil, err
	}
	if c.off+int64(len(c.raw)) > end {
		return nil, errorf(off, "element extends past its parent")
	}
	return c, nil
}
