// Package pbwire reads the protocol buffers wire format
// (https://protobuf.dev/programming-guides/encoding/) and knows nothing of
// any schema: it splits bytes into tags and values, and the caller says
// what the field numbers mean.
//
// Each Consume function reads one item at the start of b and returns it
// with the number of bytes it took; on malformed input it returns n = 0
// and one of the Err values below, which says what is wrong. The functions
// accept what Go's protobuf runtime (google.golang.org/protobuf) accepts
// and refuse what it refuses, so that a message reads the same through
// either.
package pbwire

import (
	"encoding/binary"
	"errors"
	"math"
)

// Number is a field number.
//
// The encoding guide allows 1 to 2^29-1 (MaxValidNumber); a tag holding
// a larger number that still fits in an int32 is read all the same, as Go's
// protobuf runtime reads it (MessageSet extensions use such numbers), and
// a decoder passes it over as an unknown field.
type Number int32

// Field numbers the encoding guide allows.
const (
	MinValidNumber Number = 1
	MaxValidNumber Number = 1<<29 - 1
)

// Type is a wire type: the low three bits of a tag, which say how the
// value after the tag is laid out.
type Type uint8

// The wire types. 6 and 7 are not defined: a field of either cannot be
// read, or passed over.
const (
	VarintType     Type = 0 // VARINT: int32, int64, uint32, uint64, sint32, sint64, bool, enum
	Fixed64Type    Type = 1 // I64: fixed64, sfixed64, double
	BytesType      Type = 2 // LEN: string, bytes, embedded messages, packed repeated fields
	StartGroupType Type = 3 // SGROUP: start of a group (proto2, deprecated)
	EndGroupType   Type = 4 // EGROUP: end of a group
	Fixed32Type    Type = 5 // I32: fixed32, sfixed32, float
)

// MaxGroupDepth is how deeply groups may nest inside the group that
// ConsumeGroup or ConsumeFieldValue reads: as deep as Go's protobuf runtime
// allows (its DefaultRecursionLimit). Nothing else nests on the wire: a
// length-delimited value is read as bytes, and the caller decides whether
// to read them as a message.
const MaxGroupDepth = 10000

// The errors of malformed input.
var (
	// ErrTruncated: the input ends inside a tag or a value, or a length
	// runs past its end.
	ErrTruncated = errors.New("pbwire: truncated input")
	// ErrOverlongVarint: a varint does not end within 10 bytes, or its
	// 10th byte holds bits beyond the 64th.
	ErrOverlongVarint = errors.New("pbwire: varint longer than 10 bytes or wider than 64 bits")
	// ErrFieldNumberZero: a tag holds field number 0.
	ErrFieldNumberZero = errors.New("pbwire: field number 0")
	// ErrFieldNumberRange: a tag's field number does not fit in an int32.
	ErrFieldNumberRange = errors.New("pbwire: field number out of range")
	// ErrWireType: a field has wire type 6 or 7, which are not defined.
	ErrWireType = errors.New("pbwire: undefined wire type")
	// ErrEndGroup: an end-group tag outside any group, or whose field
	// number is not that of the group it would close.
	ErrEndGroup = errors.New("pbwire: end-group tag does not match a start-group tag")
	// ErrGroupDepth: groups nest deeper than MaxGroupDepth.
	ErrGroupDepth = errors.New("pbwire: groups nested too deeply")
)

// maxVarintLen is the most bytes a 64-bit varint takes.
const maxVarintLen = 10

// ConsumeVarint reads a base-128 varint: seven bits a byte, least
// significant group first, the high bit set on every byte but the last.
// A varint may be written longer than it needs (0x80 0x00 is 0) as long
// as it ends within 10 bytes.
func ConsumeVarint(b []byte) (v uint64, n int, err error) {
	for i := 0; i < maxVarintLen-1; i++ {
		if i == len(b) {
			return 0, 0, ErrTruncated
		}
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1, nil
		}
	}
	// Nine bytes hold 63 bits: the 10th may add only the 64th, and must
	// be the last.
	if len(b) < maxVarintLen {
		return 0, 0, ErrTruncated
	}
	if c := b[maxVarintLen-1]; c <= 1 {
		return v | uint64(c)<<63, maxVarintLen, nil
	}
	return 0, 0, ErrOverlongVarint
}

// ConsumeTag reads a tag: a varint holding the field number shifted left
// by three and the wire type in the low three bits. The wire type is not
// checked here: ConsumeFieldValue refuses 6 and 7.
func ConsumeTag(b []byte) (num Number, typ Type, n int, err error) {
	v, n, err := ConsumeVarint(b)
	if err != nil {
		return 0, 0, 0, err
	}
	switch x := v >> 3; {
	case x == 0:
		return 0, 0, 0, ErrFieldNumberZero
	case x > math.MaxInt32:
		return 0, 0, 0, ErrFieldNumberRange
	}
	return Number(v >> 3), Type(v & 7), n, nil
}

// ConsumeFixed32 reads a little-endian 32-bit value (wire type I32).
func ConsumeFixed32(b []byte) (v uint32, n int, err error) {
	if len(b) < 4 {
		return 0, 0, ErrTruncated
	}
	return binary.LittleEndian.Uint32(b), 4, nil
}

// ConsumeFixed64 reads a little-endian 64-bit value (wire type I64).
func ConsumeFixed64(b []byte) (v uint64, n int, err error) {
	if len(b) < 8 {
		return 0, 0, ErrTruncated
	}
	return binary.LittleEndian.Uint64(b), 8, nil
}

// ConsumeBytes reads a length-delimited value (wire type LEN): a varint
// length, then that many bytes, which v holds (a slice of b, with no room
// to append). The length's own encoding takes n - len(v) bytes.
func ConsumeBytes(b []byte) (v []byte, n int, err error) {
	size, k, err := ConsumeVarint(b)
	if err != nil {
		return nil, 0, err
	}
	if size > uint64(len(b)-k) {
		return nil, 0, ErrTruncated
	}
	end := k + int(size)
	return b[k:end:end], end, nil
}

// ConsumeGroup reads the value of group field num, whose start-group tag
// has been read: fields up to the end-group tag of num, which n includes
// and v, the group's fields, does not.
func ConsumeGroup(num Number, b []byte) (v []byte, n int, err error) {
	body, n, err := consumeGroup(num, b)
	if err != nil {
		return nil, 0, err
	}
	return b[:body:body], n, nil
}

// consumeGroup reads a group as ConsumeGroup does and returns the length of
// its fields, without the end-group tag, and its whole length, with it.
// It keeps the open groups on a stack of its own rather than recursing.
func consumeGroup(num Number, b []byte) (body, n int, err error) {
	open := []Number{num}
	pos := 0
	for {
		tnum, typ, k, err := ConsumeTag(b[pos:])
		if err != nil {
			return 0, 0, err
		}
		tagAt := pos
		pos += k
		switch typ {
		case StartGroupType:
			if len(open) > MaxGroupDepth {
				return 0, 0, ErrGroupDepth
			}
			open = append(open, tnum)
		case EndGroupType:
			if tnum != open[len(open)-1] {
				return 0, 0, ErrEndGroup
			}
			open = open[:len(open)-1]
			if len(open) == 0 {
				return tagAt, pos, nil
			}
		default:
			k, err := consumeScalar(typ, b[pos:])
			if err != nil {
				return 0, 0, err
			}
			pos += k
		}
	}
}

// consumeScalar reads a value that holds no fields, of wire type VARINT,
// I64, LEN or I32, and returns its length. It refuses the others: an
// end-group tag that closes no group, wire types 6 and 7, and a group,
// which is consumeGroup's.
func consumeScalar(typ Type, b []byte) (n int, err error) {
	switch typ {
	case VarintType:
		_, n, err = ConsumeVarint(b)
	case Fixed64Type:
		_, n, err = ConsumeFixed64(b)
	case BytesType:
		_, n, err = ConsumeBytes(b)
	case Fixed32Type:
		_, n, err = ConsumeFixed32(b)
	case EndGroupType:
		err = ErrEndGroup
	default:
		err = ErrWireType
	}
	return n, err
}

// ConsumeFieldValue reads the value of field num of wire type typ, whose
// tag has been read, and returns its length: what a decoder calls to pass
// over a field it does not know. An end-group tag here has no group to
// close (ErrEndGroup).
func ConsumeFieldValue(num Number, typ Type, b []byte) (n int, err error) {
	if typ == StartGroupType {
		_, n, err = consumeGroup(num, b)
		return n, err
	}
	return consumeScalar(typ, b)
}
