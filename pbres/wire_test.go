package pbres

import (
	"errors"
	"testing"

	"appxray/pbres/pbwire"
)

// TestMessageFields reads fields with message.next: what each holds, where
// its bytes start, and the error, with its offset and cause, that stops
// the walk.
func TestMessageFields(t *testing.T) {
	const base = 0x100
	type got struct {
		num  pbwire.Number
		typ  pbwire.Type
		v    uint64
		b    string
		off  int64
		boff int64
	}
	tests := []struct {
		name   string
		in     []byte
		fields []got
		msg    string // the FormatError's Msg, "" for none
		off    int64
		cause  error
	}{
		{"varint, fixed32, fixed64", []byte{0x08, 0x96, 0x01, 0x15, 1, 0, 0, 0, 0x19, 2, 0, 0, 0, 0, 0, 0, 0}, []got{
			{1, pbwire.VarintType, 150, "", base, 0},
			{2, pbwire.Fixed32Type, 1, "", base + 3, 0},
			{3, pbwire.Fixed64Type, 2, "", base + 8, 0},
		}, "", 0, nil},
		{"bytes", []byte{0x0a, 0x02, 'h', 'i', 0x12, 0x00}, []got{
			{1, pbwire.BytesType, 0, "hi", base, base + 2},
			{2, pbwire.BytesType, 0, "", base + 4, base + 6},
		}, "", 0, nil},
		// A length written longer than it needs: the bytes start after
		// all of it.
		{"padded length", []byte{0x0a, 0x82, 0x00, 'h', 'i'}, []got{
			{1, pbwire.BytesType, 0, "hi", base, base + 3},
		}, "", 0, nil},
		{"group passed over", []byte{0x0b, 0x08, 0x01, 0x0c, 0x10, 0x05}, []got{
			{1, pbwire.StartGroupType, 0, "", base, 0},
			{2, pbwire.VarintType, 5, "", base + 4, 0},
		}, "", 0, nil},
		{"field number 0", []byte{0x08, 0x01, 0x00}, []got{{1, pbwire.VarintType, 1, "", base, 0}}, "bad field tag", base + 2, pbwire.ErrFieldNumberZero},
		{"truncated tag", []byte{0x80}, nil, "bad field tag", base, pbwire.ErrTruncated},
		{"truncated varint", []byte{0x08, 0x80}, nil, "bad value of field 1", base, pbwire.ErrTruncated},
		{"overlong varint", []byte{0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, nil, "bad value of field 2", base, pbwire.ErrOverlongVarint},
		{"truncated bytes", []byte{0x0a, 0x05, 'h'}, nil, "bad value of field 1", base, pbwire.ErrTruncated},
		{"unclosed group", []byte{0x0b, 0x08, 0x01}, nil, "bad value of field 1", base, pbwire.ErrTruncated},
		{"group closed by another number", []byte{0x0b, 0x14}, nil, "bad value of field 1", base, pbwire.ErrEndGroup},
		{"end group with none open", []byte{0x0c}, nil, "bad value of field 1", base, pbwire.ErrEndGroup},
		{"wire type 6", []byte{0x0e, 0x00}, nil, "bad value of field 1", base, pbwire.ErrWireType},
		{"wire type 7", []byte{0x0f, 0x00}, nil, "bad value of field 1", base, pbwire.ErrWireType},
	}
	for _, tc := range tests {
		m := newMessage(tc.in, base)
		var fields []got
		var f field
		for m.next(&f) {
			fields = append(fields, got{f.num, f.typ, f.v, string(f.b), f.off, f.boff})
		}
		if len(fields) != len(tc.fields) {
			t.Errorf("%s: fields %+v, want %+v", tc.name, fields, tc.fields)
		} else {
			for i := range fields {
				if fields[i] != tc.fields[i] {
					t.Errorf("%s: field %d is %+v, want %+v", tc.name, i, fields[i], tc.fields[i])
				}
			}
		}
		if tc.msg == "" {
			if m.err != nil {
				t.Errorf("%s: error %v", tc.name, m.err)
			}
			continue
		}
		var fe *FormatError
		if !errors.As(m.err, &fe) || fe.Msg != tc.msg || fe.Offset != tc.off || fe.Err != tc.cause {
			t.Errorf("%s: error %v, want %q at offset %#x: %v", tc.name, m.err, tc.msg, tc.off, tc.cause)
		}
	}
}
