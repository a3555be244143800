package dex

import "math"

// Value types of encoded_value (the low five bits of its first byte).
const (
	ValueByte         = 0x00
	ValueShort        = 0x02
	ValueChar         = 0x03
	ValueInt          = 0x04
	ValueLong         = 0x06
	ValueFloat        = 0x10
	ValueDouble       = 0x11
	ValueMethodType   = 0x15
	ValueMethodHandle = 0x16
	ValueString       = 0x17
	ValueType         = 0x18
	ValueField        = 0x19
	ValueMethod       = 0x1a
	ValueEnum         = 0x1b
	ValueArray        = 0x1c
	ValueAnnotation   = 0x1d
	ValueNull         = 0x1e
	ValueBoolean      = 0x1f
)

// Method handle types (method_handle_item.method_handle_type).
const (
	MethodHandleStaticPut         = 0x00
	MethodHandleStaticGet         = 0x01
	MethodHandleInstancePut       = 0x02
	MethodHandleInstanceGet       = 0x03
	MethodHandleInvokeStatic      = 0x04
	MethodHandleInvokeInstance    = 0x05
	MethodHandleInvokeConstructor = 0x06
	MethodHandleInvokeDirect      = 0x07
	MethodHandleInvokeInterface   = 0x08
)

// IsField reports whether the handle refers to a field (else a method).
func (h MethodHandle) IsField() bool { return h.Type <= MethodHandleInstanceGet }

// EncodedValue is one scalar encoded_value: Raw holds the value's bytes
// zero-extended (for index types, the index; for ValueBoolean, 0 or 1).
type EncodedValue struct {
	Type uint8
	Raw  uint64
	Size uint8 // bytes the value was stored in (0 for null and boolean)
}

// Int is the value of an integral encoded_value (byte, short, int, long
// sign-extended from the bytes stored; char zero-extended).
func (v EncodedValue) Int() int64 {
	if v.Type == ValueChar || v.Size == 0 || v.Size >= 8 {
		return int64(v.Raw)
	}
	shift := 64 - 8*uint(v.Size)
	return int64(v.Raw<<shift) >> shift
}

// Float is the value of a float or double encoded_value, whose stored bytes
// are the high-order bytes of the IEEE 754 value (zero-extended to the right).
func (v EncodedValue) Float() float64 {
	if v.Size == 0 {
		return 0
	}
	if v.Type == ValueFloat {
		return float64(math.Float32frombits(uint32(v.Raw << (32 - 8*uint(v.Size)))))
	}
	return math.Float64frombits(v.Raw << (64 - 8*uint(v.Size)))
}

// CallSite is a decoded call_site_item: the bootstrap method handle, the
// method name and type, and any further constant arguments.
type CallSite struct {
	BootstrapIdx uint32 // index of Bootstrap in method_handles
	Bootstrap    MethodHandle
	Name         string
	Proto        string // descriptor, "(I)Ljava/lang/Runnable;"
	Args         []EncodedValue
}

// CallSite decodes call site i (the target of invoke-custom). Arrays and
// annotations among the extra arguments are reported as errors.
func (f *File) CallSite(i uint32) (CallSite, error) {
	var cs CallSite
	off, err := f.CallSiteOffset(i)
	if err != nil {
		return cs, err
	}
	n, p, ok := f.uleb(int(min(uint64(off), uint64(len(f.data)))))
	if !ok {
		return cs, errorf(int64(off), "call site %d: bad encoded_array size", i)
	}
	// Every encoded_value takes at least one byte.
	if uint64(n) > uint64(len(f.data)-p) {
		return cs, errorf(int64(off), "call site %d: %d values exceed the bytes that remain", i, n)
	}
	if n < 3 {
		return cs, errorf(int64(off), "call site %d has %d values, want at least 3", i, n)
	}
	vals := make([]EncodedValue, 0, n)
	for k := uint32(0); k < n; k++ {
		v, next, err := f.encodedValue(p)
		if err != nil {
			return cs, err
		}
		vals = append(vals, v)
		p = next
	}
	if vals[0].Type != ValueMethodHandle || vals[1].Type != ValueString || vals[2].Type != ValueMethodType {
		return cs, errorf(int64(off), "call site %d: values are not (method handle, string, method type)", i)
	}
	cs.BootstrapIdx = uint32(vals[0].Raw)
	if cs.Bootstrap, err = f.MethodHandle(cs.BootstrapIdx); err != nil {
		return cs, err
	}
	if cs.Name, err = f.String(uint32(vals[1].Raw)); err != nil {
		return cs, err
	}
	if cs.Proto, err = f.Proto(uint32(vals[2].Raw)); err != nil {
		return cs, err
	}
	cs.Args = vals[3:]
	return cs, nil
}

// encodedValue decodes the scalar encoded_value at p.
func (f *File) encodedValue(p int) (EncodedValue, int, error) {
	if p >= len(f.data) {
		return EncodedValue{}, p, errorf(int64(p), "encoded_value beyond end of file")
	}
	b := f.data[p]
	v := EncodedValue{Type: b & 0x1f}
	arg := int(b >> 5)
	p++
	switch v.Type {
	case ValueNull:
		return v, p, nil
	case ValueBoolean:
		v.Raw = uint64(arg & 1)
		return v, p, nil
	case ValueArray, ValueAnnotation:
		return v, p, errorf(int64(p-1), "nested encoded_value type 0x%02x not supported here", v.Type)
	case ValueByte, ValueShort, ValueChar, ValueInt, ValueLong, ValueFloat, ValueDouble,
		ValueMethodType, ValueMethodHandle, ValueString, ValueType, ValueField, ValueMethod, ValueEnum:
	default:
		return v, p, errorf(int64(p-1), "unknown encoded_value type 0x%02x", v.Type)
	}
	size := arg + 1
	if p+size > len(f.data) {
		return v, p, errorf(int64(p-1), "encoded_value runs past end of file")
	}
	for k := size - 1; k >= 0; k-- {
		v.Raw = v.Raw<<8 | uint64(f.data[p+k])
	}
	v.Size = uint8(size)
	return v, p + size, nil
}
