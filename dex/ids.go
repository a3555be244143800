package dex

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// uleb128 decodes an unsigned LEB128 value at off the way ART's
// DecodeUnsignedLeb128 does: at most five bytes, the fifth always the last,
// whatever its high bits (ART keeps the low 32 bits of the sum and ignores
// the rest). It returns the value and the offset after it; ok is false only
// if the value runs past the end of b.
func uleb128(b []byte, off int) (v uint32, next int, ok bool) {
	for i := 0; i < 5; i++ {
		if off >= len(b) {
			return 0, off, false
		}
		c := b[off]
		off++
		if i == 4 {
			return v | uint32(c)<<28, off, true
		}
		v |= uint32(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, off, true
		}
	}
	panic("unreachable")
}

// nonCanonical reports whether the LEB128 value that ends at next (started
// at off) has a fifth byte carrying more than the four bits a 32-bit value
// needs: bytes ART reads but drops.
func nonCanonical(b []byte, off, next int) bool { return next-off == 5 && b[next-1] > 0x0f }

// uleb reads a LEB128 value as uleb128 does, recording (once per file) a
// value with a non-canonical fifth byte.
func (f *File) uleb(off int) (uint32, int, bool) {
	v, next, ok := uleb128(f.data, off)
	if ok && nonCanonical(f.data, off, next) && f.leb.CompareAndSwap(false, true) {
		f.warn(&FormatError{Offset: int64(off), Msg: fmt.Sprintf("LEB128 value 0x%x has a fifth byte 0x%02x", v, f.data[next-1]), Err: ErrNonCanonicalLEB128})
	}
	return v, next, ok
}

// StringBytes returns the raw MUTF-8 bytes of string i, without the
// terminating NUL, as a sub-slice of the input (no copy).
func (f *File) StringBytes(i uint32) ([]byte, error) {
	b, _, err := f.stringAt(i)
	return b, err
}

// stringAt returns string i's bytes and their offset in data.
func (f *File) stringAt(i uint32) ([]byte, int, error) {
	h := &f.Header
	if i >= h.StringIDsSize {
		return nil, 0, errorf(int64(h.StringIDsOff), "string index %d out of range (%d strings)", i, h.StringIDsSize)
	}
	idOff := int64(h.StringIDsOff) + int64(i)*stringIDSize
	off := le.Uint32(f.data[idOff:])
	if uint64(off) >= uint64(len(f.data)) {
		return nil, 0, errorf(idOff, "string %d data offset 0x%x beyond end of file", i, off)
	}
	_, p, ok := f.uleb(int(off))
	if !ok {
		return nil, 0, errorf(int64(off), "string %d: bad utf16_size", i)
	}
	n := bytes.IndexByte(f.data[p:], 0)
	if n < 0 {
		return nil, 0, errorf(int64(off), "string %d has no terminating NUL", i)
	}
	return f.data[p : p+n : p+n], p, nil
}

// String returns string i decoded from MUTF-8. Malformed encoding yields the
// best-effort string (with U+FFFD for bad sequences) and a *FormatError.
func (f *File) String(i uint32) (string, error) {
	b, p, err := f.stringAt(i)
	if err != nil {
		return "", err
	}
	s, bad := DecodeMUTF8(b)
	if bad >= 0 {
		return s, errorf(int64(p+bad), "string %d: malformed MUTF-8", i)
	}
	return s, nil
}

// DecodeMUTF8 decodes Java's modified UTF-8 (NUL as C0 80, supplementary
// characters as surrogate pairs of three-byte sequences) into a Go string.
// bad is the index of the first malformed byte, or -1 if there is none;
// malformed sequences and unpaired surrogates become U+FFFD. Standard
// four-byte UTF-8 sequences, which MUTF-8 does not use, are accepted as is.
func DecodeMUTF8(b []byte) (s string, bad int) {
	// Plain UTF-8 without NULs or surrogates is the common case and is
	// already what MUTF-8 would decode to.
	if utf8.Valid(b) {
		return string(b), -1
	}
	bad = -1
	var sb strings.Builder
	sb.Grow(len(b))
	mark := func(i int) {
		if bad < 0 {
			bad = i
		}
		sb.WriteRune(utf8.RuneError)
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			sb.WriteByte(c)
			i++
		case c&0xe0 == 0xc0:
			if i+1 >= len(b) || b[i+1]&0xc0 != 0x80 {
				mark(i)
				i++
				continue
			}
			sb.WriteRune(rune(c&0x1f)<<6 | rune(b[i+1]&0x3f))
			i += 2
		case c&0xf0 == 0xe0:
			if i+2 >= len(b) || b[i+1]&0xc0 != 0x80 || b[i+2]&0xc0 != 0x80 {
				mark(i)
				i++
				continue
			}
			r := rune(c&0x0f)<<12 | rune(b[i+1]&0x3f)<<6 | rune(b[i+2]&0x3f)
			i += 3
			if utf16.IsSurrogate(r) {
				if r < 0xdc00 && i+2 < len(b) && b[i]&0xf0 == 0xe0 && b[i+1]&0xc0 == 0x80 && b[i+2]&0xc0 == 0x80 {
					r2 := rune(b[i]&0x0f)<<12 | rune(b[i+1]&0x3f)<<6 | rune(b[i+2]&0x3f)
					if r2 >= 0xdc00 && r2 <= 0xdfff {
						sb.WriteRune(utf16.DecodeRune(r, r2))
						i += 3
						continue
					}
				}
				mark(i - 3)
				continue
			}
			sb.WriteRune(r)
		default:
			mark(i)
			i++
		}
	}
	return sb.String(), bad
}

// TypeDescriptorBytes returns the raw descriptor of type i, such as
// "Lcom/a/B;", without copying.
func (f *File) TypeDescriptorBytes(i uint32) ([]byte, error) {
	h := &f.Header
	if i >= h.TypeIDsSize {
		return nil, errorf(int64(h.TypeIDsOff), "type index %d out of range (%d types)", i, h.TypeIDsSize)
	}
	return f.StringBytes(le.Uint32(f.data[int64(h.TypeIDsOff)+int64(i)*typeIDSize:]))
}

// TypeName returns the descriptor of type i, such as "Lcom/a/B;" or "[I".
func (f *File) TypeName(i uint32) (string, error) {
	h := &f.Header
	if i >= h.TypeIDsSize {
		return "", errorf(int64(h.TypeIDsOff), "type index %d out of range (%d types)", i, h.TypeIDsSize)
	}
	return f.String(le.Uint32(f.data[int64(h.TypeIDsOff)+int64(i)*typeIDSize:]))
}

// ProtoID mirrors proto_id_item.
type ProtoID struct {
	ShortyIdx     uint32
	ReturnTypeIdx uint32
	ParametersOff uint32
}

// ProtoID returns the raw proto_id_item i.
func (f *File) ProtoID(i uint32) (ProtoID, error) {
	h := &f.Header
	if i >= h.ProtoIDsSize {
		return ProtoID{}, errorf(int64(h.ProtoIDsOff), "proto index %d out of range (%d protos)", i, h.ProtoIDsSize)
	}
	p := int64(h.ProtoIDsOff) + int64(i)*protoIDSize
	return ProtoID{le.Uint32(f.data[p:]), le.Uint32(f.data[p+4:]), le.Uint32(f.data[p+8:])}, nil
}

// TypeList returns the type indices of the type_list at off (0 means empty).
func (f *File) TypeList(off uint32) ([]uint16, error) {
	if off == 0 {
		return nil, nil
	}
	if uint64(off)+4 > uint64(len(f.data)) {
		return nil, errorf(int64(off), "type_list beyond end of file")
	}
	n := uint64(le.Uint32(f.data[off:]))
	if n*2 > uint64(len(f.data))-uint64(off)-4 {
		return nil, errorf(int64(off), "type_list of %d entries runs past end of file", n)
	}
	if n > uint64(f.lim.MaxTypeList) {
		return nil, limitErr(int64(off), fmt.Sprintf("type_list of %d entries", n), "MaxTypeList", int64(f.lim.MaxTypeList))
	}
	out := make([]uint16, n)
	for i := range out {
		out[i] = le.Uint16(f.data[uint64(off)+4+2*uint64(i):])
	}
	return out, nil
}

// Proto returns the descriptor of proto i, such as "(ILjava/lang/String;)V".
func (f *File) Proto(i uint32) (string, error) {
	f.refsOnce.Do(f.initRefs)
	return resolved(f.protos, i, f.proto)
}

// initRefs makes the caches of resolved methods and protos: the analyses
// resolve the same few thousand again and again, each a few strings built.
func (f *File) initRefs() {
	f.methods = make([]atomic.Pointer[MethodRef], f.Header.MethodIDsSize)
	f.protos = make([]atomic.Pointer[string], f.Header.ProtoIDsSize)
}

// resolved returns entry i of a cache of resolved ids, resolving it on
// first use; a failure is not kept.
func resolved[T any](cache []atomic.Pointer[T], i uint32, resolve func(uint32) (T, error)) (T, error) {
	if i < uint32(len(cache)) {
		if v := cache[i].Load(); v != nil {
			return *v, nil
		}
	}
	v, err := resolve(i)
	if err == nil && i < uint32(len(cache)) {
		cache[i].Store(&v)
	}
	return v, err
}

func (f *File) proto(i uint32) (string, error) {
	p, err := f.ProtoID(i)
	if err != nil {
		return "", err
	}
	params, err := f.TypeList(p.ParametersOff)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.WriteByte('(')
	for _, t := range params {
		b, err := f.TypeDescriptorBytes(uint32(t))
		if err != nil {
			return "", err
		}
		writeMUTF8(&sb, b)
	}
	sb.WriteByte(')')
	b, err := f.TypeDescriptorBytes(p.ReturnTypeIdx)
	if err != nil {
		return "", err
	}
	writeMUTF8(&sb, b)
	return sb.String(), nil
}

func writeMUTF8(sb *strings.Builder, b []byte) {
	if utf8.Valid(b) {
		sb.Write(b)
		return
	}
	s, _ := DecodeMUTF8(b)
	sb.WriteString(s)
}

// MemberID mirrors field_id_item and method_id_item: Type is the field's
// type index or the method's proto index.
type MemberID struct {
	ClassIdx uint16
	TypeIdx  uint16
	NameIdx  uint32
}

// MethodID returns the raw method_id_item i (TypeIdx is the proto index).
func (f *File) MethodID(i uint32) (MemberID, error) {
	h := &f.Header
	if i >= h.MethodIDsSize {
		return MemberID{}, errorf(int64(h.MethodIDsOff), "method index %d out of range (%d methods)", i, h.MethodIDsSize)
	}
	p := int64(h.MethodIDsOff) + int64(i)*methodIDSize
	return MemberID{le.Uint16(f.data[p:]), le.Uint16(f.data[p+2:]), le.Uint32(f.data[p+4:])}, nil
}

// FieldID returns the raw field_id_item i.
func (f *File) FieldID(i uint32) (MemberID, error) {
	h := &f.Header
	if i >= h.FieldIDsSize {
		return MemberID{}, errorf(int64(h.FieldIDsOff), "field index %d out of range (%d fields)", i, h.FieldIDsSize)
	}
	p := int64(h.FieldIDsOff) + int64(i)*fieldIDSize
	return MemberID{le.Uint16(f.data[p:]), le.Uint16(f.data[p+2:]), le.Uint32(f.data[p+4:])}, nil
}

// MethodRef names a method: class descriptor, name and proto descriptor.
type MethodRef struct{ Class, Name, Proto string }

// String formats the reference in smali style: "Lcom/a/B;->name(I)V".
func (m MethodRef) String() string { return m.Class + "->" + m.Name + m.Proto }

// FieldRef names a field: class descriptor, name and type descriptor.
type FieldRef struct{ Class, Name, Type string }

// String formats the reference in smali style: "Lcom/a/B;->f:I".
func (r FieldRef) String() string { return r.Class + "->" + r.Name + ":" + r.Type }

// Method resolves method_ids[i].
func (f *File) Method(i uint32) (MethodRef, error) {
	f.refsOnce.Do(f.initRefs)
	return resolved(f.methods, i, f.method)
}

func (f *File) method(i uint32) (MethodRef, error) {
	id, err := f.MethodID(i)
	if err != nil {
		return MethodRef{}, err
	}
	var m MethodRef
	if m.Class, err = f.TypeName(uint32(id.ClassIdx)); err != nil {
		return MethodRef{}, err
	}
	if m.Name, err = f.String(id.NameIdx); err != nil {
		return MethodRef{}, err
	}
	if m.Proto, err = f.Proto(uint32(id.TypeIdx)); err != nil {
		return MethodRef{}, err
	}
	return m, nil
}

// Field resolves field_ids[i].
func (f *File) Field(i uint32) (FieldRef, error) {
	id, err := f.FieldID(i)
	if err != nil {
		return FieldRef{}, err
	}
	var r FieldRef
	if r.Class, err = f.TypeName(uint32(id.ClassIdx)); err != nil {
		return FieldRef{}, err
	}
	if r.Name, err = f.String(id.NameIdx); err != nil {
		return FieldRef{}, err
	}
	if r.Type, err = f.TypeName(uint32(id.TypeIdx)); err != nil {
		return FieldRef{}, err
	}
	return r, nil
}

// CallSiteOffset returns the offset of the encoded_array_item describing
// call site i.
func (f *File) CallSiteOffset(i uint32) (uint32, error) {
	if i >= f.callSiteIDsSize {
		return 0, errorf(int64(f.callSiteIDsOff), "call site index %d out of range (%d call sites)", i, f.callSiteIDsSize)
	}
	return le.Uint32(f.data[int64(f.callSiteIDsOff)+int64(i)*callSiteIDSize:]), nil
}

// NumCallSites is the number of call_site_id_items listed in the map.
func (f *File) NumCallSites() uint32 { return f.callSiteIDsSize }

// MethodHandle mirrors method_handle_item.
type MethodHandle struct {
	Type             uint16 // METHOD_HANDLE_TYPE_*
	FieldOrMethodIdx uint16
}

// MethodHandle returns method_handle_item i.
func (f *File) MethodHandle(i uint32) (MethodHandle, error) {
	if i >= f.methodHandlesSize {
		return MethodHandle{}, errorf(int64(f.methodHandlesOff), "method handle index %d out of range (%d handles)", i, f.methodHandlesSize)
	}
	p := int64(f.methodHandlesOff) + int64(i)*methodHandleSize
	return MethodHandle{le.Uint16(f.data[p:]), le.Uint16(f.data[p+4:])}, nil
}

// NumMethodHandles is the number of method_handle_items listed in the map.
func (f *File) NumMethodHandles() uint32 { return f.methodHandlesSize }
