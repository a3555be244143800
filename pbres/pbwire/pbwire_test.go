package pbwire_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"appxray/pbres/pbwire"
)

// uv encodes varints (binary.AppendUvarint writes the same base-128 form).
func uv(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

// cat joins byte strings.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func rep(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func tag(num uint64, typ pbwire.Type) uint64 { return num<<3 | uint64(typ) }

func TestConsumeVarint(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		v    uint64
		n    int
		err  error
	}{
		{"zero", []byte{0x00}, 0, 1, nil},
		{"one", []byte{0x01}, 1, 1, nil},
		{"one byte max", []byte{0x7f}, 127, 1, nil},
		{"two bytes", []byte{0x80, 0x01}, 128, 2, nil},
		{"150 (the guide's example)", []byte{0x96, 0x01}, 150, 2, nil},
		{"stops at its end", []byte{0x01, 0xff, 0xff}, 1, 1, nil},
		{"padded zero", []byte{0x80, 0x00}, 0, 2, nil},
		{"padded to 10 bytes", cat(rep(0x80, 9), []byte{0x00}), 0, 10, nil},
		{"bit 63", cat(rep(0x80, 9), []byte{0x01}), 1 << 63, 10, nil},
		{"max uint64", cat(rep(0xff, 9), []byte{0x01}), math.MaxUint64, 10, nil},
		{"empty", nil, 0, 0, pbwire.ErrTruncated},
		{"continues past the end", []byte{0x80}, 0, 0, pbwire.ErrTruncated},
		{"nine bytes continuing", rep(0xff, 9), 0, 0, pbwire.ErrTruncated},
		{"65th bit", cat(rep(0xff, 9), []byte{0x02}), 0, 0, pbwire.ErrOverlongVarint},
		{"11 bytes", cat(rep(0x80, 10), []byte{0x00}), 0, 0, pbwire.ErrOverlongVarint},
		{"10 bytes continuing, nothing after", rep(0x80, 10), 0, 0, pbwire.ErrOverlongVarint},
	}
	for _, tc := range tests {
		v, n, err := pbwire.ConsumeVarint(tc.in)
		if v != tc.v || n != tc.n || err != tc.err {
			t.Errorf("%s: ConsumeVarint(% x) = %d, %d, %v; want %d, %d, %v", tc.name, tc.in, v, n, err, tc.v, tc.n, tc.err)
		}
	}
}

func TestConsumeTag(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		num  pbwire.Number
		typ  pbwire.Type
		n    int
		err  error
	}{
		{"field 1 varint", []byte{0x08}, 1, pbwire.VarintType, 1, nil},
		{"field 2 bytes", []byte{0x12, 0x00}, 2, pbwire.BytesType, 1, nil},
		{"field 1 fixed32", []byte{0x0d}, 1, pbwire.Fixed32Type, 1, nil},
		{"field 16, two bytes", uv(tag(16, pbwire.VarintType)), 16, pbwire.VarintType, 2, nil},
		{"largest valid number", uv(tag(uint64(pbwire.MaxValidNumber), pbwire.Fixed64Type)), pbwire.MaxValidNumber, pbwire.Fixed64Type, 5, nil},
		{"beyond the guide, within int32", uv(tag(math.MaxInt32, pbwire.BytesType)), math.MaxInt32, pbwire.BytesType, 5, nil},
		{"wire type 6 is the value's problem", []byte{0x0e}, 1, 6, 1, nil},
		{"padded tag", []byte{0x88, 0x80, 0x00}, 1, pbwire.VarintType, 3, nil},
		{"number 0", []byte{0x00}, 0, 0, 0, pbwire.ErrFieldNumberZero},
		{"number 0, type 7", []byte{0x07}, 0, 0, 0, pbwire.ErrFieldNumberZero},
		{"padded number 0", []byte{0x82, 0x00}, 0, 0, 0, pbwire.ErrFieldNumberZero},
		{"number beyond int32", uv(tag(math.MaxInt32+1, pbwire.VarintType)), 0, 0, 0, pbwire.ErrFieldNumberRange},
		{"number of 61 bits", uv(math.MaxUint64), 0, 0, 0, pbwire.ErrFieldNumberRange},
		{"empty", nil, 0, 0, 0, pbwire.ErrTruncated},
		{"truncated", []byte{0x88}, 0, 0, 0, pbwire.ErrTruncated},
		{"overlong", cat(rep(0x88, 10), []byte{0x00}), 0, 0, 0, pbwire.ErrOverlongVarint},
	}
	for _, tc := range tests {
		num, typ, n, err := pbwire.ConsumeTag(tc.in)
		if num != tc.num || typ != tc.typ || n != tc.n || err != tc.err {
			t.Errorf("%s: ConsumeTag(% x) = %d, %d, %d, %v; want %d, %d, %d, %v", tc.name, tc.in, num, typ, n, err, tc.num, tc.typ, tc.n, tc.err)
		}
	}
}

func TestConsumeFixed(t *testing.T) {
	in := []byte{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09}
	tests := []struct {
		name  string
		fixed func([]byte) (uint64, int, error)
		in    []byte
		v     uint64
		n     int
		err   error
	}{
		{"fixed32", fixed32, in, 0x04030201, 4, nil},
		{"fixed32, exactly", fixed32, in[:4], 0x04030201, 4, nil},
		{"fixed32, 3 bytes", fixed32, in[:3], 0, 0, pbwire.ErrTruncated},
		{"fixed32, empty", fixed32, nil, 0, 0, pbwire.ErrTruncated},
		{"fixed64", pbwire.ConsumeFixed64, in, 0x0807060504030201, 8, nil},
		{"fixed64, 7 bytes", pbwire.ConsumeFixed64, in[:7], 0, 0, pbwire.ErrTruncated},
		{"fixed64, empty", pbwire.ConsumeFixed64, nil, 0, 0, pbwire.ErrTruncated},
	}
	for _, tc := range tests {
		v, n, err := tc.fixed(tc.in)
		if v != tc.v || n != tc.n || err != tc.err {
			t.Errorf("%s: % x read as %#x, %d, %v; want %#x, %d, %v", tc.name, tc.in, v, n, err, tc.v, tc.n, tc.err)
		}
	}
}

func fixed32(b []byte) (uint64, int, error) {
	v, n, err := pbwire.ConsumeFixed32(b)
	return uint64(v), n, err
}

func TestConsumeBytes(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		v    string
		n    int
		err  error
	}{
		{"empty value", []byte{0x00, 0x41}, "", 1, nil},
		{"three bytes", []byte{0x03, 'a', 'b', 'c', 'd'}, "abc", 4, nil},
		{"exactly", []byte{0x02, 'a', 'b'}, "ab", 3, nil},
		{"padded length", []byte{0x83, 0x00, 'a', 'b', 'c'}, "abc", 5, nil},
		{"long", cat(uv(200), rep('x', 200)), string(rep('x', 200)), 202, nil},
		{"short by one", []byte{0x03, 'a', 'b'}, "", 0, pbwire.ErrTruncated},
		{"no length", nil, "", 0, pbwire.ErrTruncated},
		{"truncated length", []byte{0x80}, "", 0, pbwire.ErrTruncated},
		{"length beyond int", uv(math.MaxUint64), "", 0, pbwire.ErrTruncated},
		{"length beyond int64", uv(1 << 63), "", 0, pbwire.ErrTruncated},
		{"overlong length", cat(rep(0x80, 10), []byte{0x00}), "", 0, pbwire.ErrOverlongVarint},
	}
	for _, tc := range tests {
		v, n, err := pbwire.ConsumeBytes(tc.in)
		if string(v) != tc.v || n != tc.n || err != tc.err {
			t.Errorf("%s: ConsumeBytes(% x) = %q, %d, %v; want %q, %d, %v", tc.name, tc.in, v, n, err, tc.v, tc.n, tc.err)
		}
		if cap(v) != len(v) {
			t.Errorf("%s: value has room to append into the input (cap %d, len %d)", tc.name, cap(v), len(v))
		}
	}
}

// nested returns depth groups of field 2 opened and closed, then the end
// of group 1.
func nested(depth int) []byte {
	return cat(rep(0x13, depth), rep(0x14, depth), []byte{0x0c})
}

// groupTests read the value of group field 1 (start tag 0x0b, end tag 0x0c).
var groupTests = []struct {
	name string
	in   []byte
	v    []byte // the fields, without the end tag
	n    int
	err  error
}{
	{"empty group", []byte{0x0c, 0x08}, []byte{}, 1, nil},
	{"one varint", []byte{0x08, 0x96, 0x01, 0x0c}, []byte{0x08, 0x96, 0x01}, 4, nil},
	{"every wire type", cat([]byte{0x08, 0x01, 0x11}, rep(0, 8), []byte{0x1a, 0x01, 'a', 0x2d}, rep(0, 4), []byte{0x0c}), cat([]byte{0x08, 0x01, 0x11}, rep(0, 8), []byte{0x1a, 0x01, 'a', 0x2d}, rep(0, 4)), 20, nil},
	{"nested group", []byte{0x13, 0x08, 0x01, 0x14, 0x0c}, []byte{0x13, 0x08, 0x01, 0x14}, 5, nil},
	{"same number nested", []byte{0x0b, 0x0c, 0x0c}, []byte{0x0b, 0x0c}, 3, nil},
	{"padded end tag", []byte{0x08, 0x01, 0x8c, 0x80, 0x00, 0x08}, []byte{0x08, 0x01}, 5, nil},
	{"as deep as allowed", nested(pbwire.MaxGroupDepth), nested(pbwire.MaxGroupDepth)[:2*pbwire.MaxGroupDepth], 2*pbwire.MaxGroupDepth + 1, nil},
	{"too deep", nested(pbwire.MaxGroupDepth + 1), nil, 0, pbwire.ErrGroupDepth},
	{"no end", []byte{0x08, 0x01}, nil, 0, pbwire.ErrTruncated},
	{"empty", nil, nil, 0, pbwire.ErrTruncated},
	{"inner group not closed", []byte{0x13, 0x0c}, nil, 0, pbwire.ErrEndGroup},
	{"closed by another number", []byte{0x14}, nil, 0, pbwire.ErrEndGroup},
	{"inner value truncated", []byte{0x1a, 0x05, 'a', 0x0c}, nil, 0, pbwire.ErrTruncated},
	{"wire type 7 inside", []byte{0x0f, 0x0c}, nil, 0, pbwire.ErrWireType},
	{"field number 0 inside", []byte{0x00, 0x0c}, nil, 0, pbwire.ErrFieldNumberZero},
	{"overlong varint inside", cat([]byte{0x08}, rep(0xff, 10), []byte{0x0c}), nil, 0, pbwire.ErrOverlongVarint},
}

func TestConsumeGroup(t *testing.T) {
	for _, tc := range groupTests {
		v, n, err := pbwire.ConsumeGroup(1, tc.in)
		if !bytes.Equal(v, tc.v) || (v == nil) != (tc.v == nil) || n != tc.n || err != tc.err {
			t.Errorf("%s: ConsumeGroup(1, % .40x) = % .40x, %d, %v; want % .40x, %d, %v", tc.name, tc.in, v, n, err, tc.v, tc.n, tc.err)
		}
		if cap(v) != len(v) {
			t.Errorf("%s: value has room to append into the input (cap %d, len %d)", tc.name, cap(v), len(v))
		}
	}
}

func TestConsumeFieldValue(t *testing.T) {
	tests := []struct {
		name string
		typ  pbwire.Type
		in   []byte
		n    int
		err  error
	}{
		{"varint", pbwire.VarintType, []byte{0x96, 0x01, 0x00}, 2, nil},
		{"varint truncated", pbwire.VarintType, []byte{0x96}, 0, pbwire.ErrTruncated},
		{"fixed64", pbwire.Fixed64Type, rep(0xff, 9), 8, nil},
		{"fixed64 truncated", pbwire.Fixed64Type, rep(0xff, 7), 0, pbwire.ErrTruncated},
		{"bytes", pbwire.BytesType, []byte{0x02, 0x00, 0x00, 0x00}, 3, nil},
		{"bytes truncated", pbwire.BytesType, []byte{0x02, 0x00}, 0, pbwire.ErrTruncated},
		{"group", pbwire.StartGroupType, []byte{0x08, 0x01, 0x0c, 0x08}, 3, nil},
		{"group of another number", pbwire.StartGroupType, []byte{0x14}, 0, pbwire.ErrEndGroup},
		{"end group with none open", pbwire.EndGroupType, []byte{0x08, 0x01}, 0, pbwire.ErrEndGroup},
		{"fixed32", pbwire.Fixed32Type, rep(0xff, 5), 4, nil},
		{"fixed32 truncated", pbwire.Fixed32Type, rep(0xff, 3), 0, pbwire.ErrTruncated},
		{"wire type 6", 6, rep(0, 16), 0, pbwire.ErrWireType},
		{"wire type 7", 7, rep(0, 16), 0, pbwire.ErrWireType},
	}
	for _, tc := range tests {
		n, err := pbwire.ConsumeFieldValue(1, tc.typ, tc.in)
		if n != tc.n || err != tc.err {
			t.Errorf("%s: ConsumeFieldValue(1, %d, % x) = %d, %v; want %d, %v", tc.name, tc.typ, tc.in, n, err, tc.n, tc.err)
		}
	}
	for _, tc := range groupTests {
		n, err := pbwire.ConsumeFieldValue(1, pbwire.StartGroupType, tc.in)
		if n != tc.n || err != tc.err {
			t.Errorf("group %s: ConsumeFieldValue = %d, %v; want %d, %v", tc.name, n, err, tc.n, tc.err)
		}
	}
}

// TestErrors checks that every error says what is wrong and is told
// apart from the others.
func TestErrors(t *testing.T) {
	all := []error{pbwire.ErrTruncated, pbwire.ErrOverlongVarint, pbwire.ErrFieldNumberZero, pbwire.ErrFieldNumberRange, pbwire.ErrWireType, pbwire.ErrEndGroup, pbwire.ErrGroupDepth}
	seen := map[string]bool{}
	for i, err := range all {
		if seen[err.Error()] {
			t.Errorf("two errors read %q", err)
		}
		seen[err.Error()] = true
		for j, other := range all {
			if i != j && errors.Is(err, other) {
				t.Errorf("%v matches %v", err, other)
			}
		}
	}
}
