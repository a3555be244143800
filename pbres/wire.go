package pbres

import (
	"math"
	"strconv"

	"appxray/pbres/pbwire"
)

// field is one decoded field of a message: its number and wire type, and
// either its varint or fixed value (num) or its bytes (b).
type field struct {
	num pbwire.Number
	typ pbwire.Type
	v   uint64
	b   []byte
	off int64 // offset of the field's tag in the whole input
	// boff is the offset of b in the whole input.
	boff int64
}

// message iterates over the fields of one encoded message, which starts at
// offset base in the whole input.
type message struct {
	b    []byte
	base int64
	pos  int
	err  error
}

func newMessage(b []byte, base int64) *message { return &message{b: b, base: base} }

// next decodes the next field; it returns false at the end or on an error,
// which err then holds.
func (m *message) next(f *field) bool {
	if m.err != nil || m.pos >= len(m.b) {
		return false
	}
	rest := m.b[m.pos:]
	off := m.base + int64(m.pos)
	num, typ, n, err := pbwire.ConsumeTag(rest)
	if err != nil {
		m.err = &FormatError{Offset: off, Msg: "bad field tag", Err: err}
		return false
	}
	*f = field{num: num, typ: typ, off: off}
	body := rest[n:]
	var k int
	switch typ {
	case pbwire.VarintType:
		f.v, k, err = pbwire.ConsumeVarint(body)
	case pbwire.Fixed32Type:
		var v uint32
		v, k, err = pbwire.ConsumeFixed32(body)
		f.v = uint64(v)
	case pbwire.Fixed64Type:
		f.v, k, err = pbwire.ConsumeFixed64(body)
	case pbwire.BytesType:
		f.b, k, err = pbwire.ConsumeBytes(body)
		f.boff = off + int64(n+k-len(f.b))
	case pbwire.StartGroupType:
		// Groups are not used by aapt2's messages; skip them whole.
		_, k, err = pbwire.ConsumeGroup(num, body)
	default:
		// An end-group tag with no group open, or wire type 6 or 7.
		k, err = pbwire.ConsumeFieldValue(num, typ, body)
	}
	if err != nil {
		m.err = &FormatError{Offset: off, Msg: "bad value of field " + strconv.Itoa(int(num)), Err: err}
		return false
	}
	m.pos += n + k
	return true
}

// sub returns the field's bytes as an embedded message, or an error if the
// field is not length-delimited.
func (f *field) sub() (*message, error) {
	if f.typ != pbwire.BytesType {
		return nil, errorf(f.off, "field %d has wire type %d, not an embedded message", f.num, f.typ)
	}
	return newMessage(f.b, f.boff), nil
}

func (f *field) str() (string, error) {
	if f.typ != pbwire.BytesType {
		return "", errorf(f.off, "field %d has wire type %d, not a string", f.num, f.typ)
	}
	return string(f.b), nil
}

func (f *field) u32() (uint32, error) {
	if f.typ != pbwire.VarintType {
		return 0, errorf(f.off, "field %d has wire type %d, not a varint", f.num, f.typ)
	}
	return uint32(f.v), nil
}

func (f *field) boolean() (bool, error) {
	v, err := f.u32()
	return v != 0, err
}

func (f *field) float32() (float32, error) {
	if f.typ != pbwire.Fixed32Type {
		return 0, errorf(f.off, "field %d has wire type %d, not a 32-bit float", f.num, f.typ)
	}
	return math.Float32frombits(uint32(f.v)), nil
}

// bits32 reads a uint32 field that may have been written as a
// float (the deprecated dimension and fraction fields) or as a varint.
func (f *field) bits32() (uint32, error) {
	switch f.typ {
	case pbwire.Fixed32Type:
		return uint32(f.v), nil
	case pbwire.VarintType:
		return uint32(f.v), nil
	}
	return 0, errorf(f.off, "field %d has wire type %d, not a 32-bit value", f.num, f.typ)
}

func (f *field) bytes() ([]byte, error) {
	if f.typ != pbwire.BytesType {
		return nil, errorf(f.off, "field %d is not length-delimited", f.num)
	}
	return f.b, nil
}

// eachField calls fn on the fields of m in order and stops at the first
// error, fn's or the wire's. Every message decoder in the package is one
// call of it: fn switches on f.num and, as protobuf requires, passes over
// the numbers it does not know.
func eachField(m *message, fn func(*field) error) error {
	var f field
	for m.next(&f) {
		if err := fn(&f); err != nil {
			return err
		}
	}
	return m.err
}

// oneField reads field num of m with get, the last occurrence winning as
// for any singular field: the decoder of the messages that wrap a single
// value (PackageId, String, Boolean, Array.Element…).
func oneField[T any](m *message, num pbwire.Number, get func(*field) (T, error)) (T, error) {
	var v T
	err := eachField(m, func(f *field) (err error) {
		if f.num == num {
			v, err = get(f)
		}
		return err
	})
	return v, err
}

// embedded decodes f as an embedded message with parse.
func embedded[T any](f *field, parse func(*message) (T, error)) (T, error) {
	m, err := f.sub()
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(m)
}

// appendEmbedded decodes f as an embedded message with parse and appends
// the result to *list: one element of a repeated message field.
func appendEmbedded[T any](list *[]T, f *field, parse func(*message) (T, error)) error {
	v, err := embedded(f, parse)
	if err == nil {
		*list = append(*list, v)
	}
	return err
}
