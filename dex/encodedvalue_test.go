package dex

import "testing"

func TestEncodedValueNumbers(t *testing.T) {
	ints := []struct {
		v    EncodedValue
		want int64
	}{
		{EncodedValue{Type: ValueInt, Raw: 0x07, Size: 1}, 7},
		{EncodedValue{Type: ValueInt, Raw: 0xff, Size: 1}, -1},
		{EncodedValue{Type: ValueShort, Raw: 0x8000, Size: 2}, -32768},
		{EncodedValue{Type: ValueChar, Raw: 0xffff, Size: 2}, 0xffff},
		{EncodedValue{Type: ValueLong, Raw: 0xfffffffffffffffe, Size: 8}, -2},
		{EncodedValue{Type: ValueLong, Raw: 0x80, Size: 2}, 0x80},
	}
	for _, tt := range ints {
		if got := tt.v.Int(); got != tt.want {
			t.Errorf("%+v.Int() = %d, want %d", tt.v, got, tt.want)
		}
	}
	// 2.5 is 0x4004000000000000: d8 stores only the high byte pair.
	if got := (EncodedValue{Type: ValueDouble, Raw: 0x4004, Size: 2}).Float(); got != 2.5 {
		t.Errorf("double = %v, want 2.5", got)
	}
	if got := (EncodedValue{Type: ValueFloat, Raw: 0x3fc0, Size: 2}).Float(); got != 1.5 {
		t.Errorf("float = %v, want 1.5", got)
	}
}
