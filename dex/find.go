package dex

import (
	"bytes"
	"sort"
	"unicode/utf16"
	"unicode/utf8"
)

// The format requires string_ids sorted by UTF-16 code units, type_ids by
// string index, and field_ids and method_ids by (class, name, type or
// proto); the Find methods binary-search these tables. In a file that breaks
// the ordering they may miss entries that exist; they never return a wrong
// index.

// CompareMUTF8 compares two MUTF-8 strings in the order of their UTF-16 code
// units, the order of string_ids. Plain byte order differs only for NUL,
// which MUTF-8 encodes as C0 80.
func CompareMUTF8(a, b []byte) int {
	k := 0
	for k < len(a) && k < len(b) && a[k] == b[k] {
		k++
	}
	if k == len(a) || k == len(b) {
		return len(a) - len(b) // one is a prefix of the other
	}
	// Back up to the start of the character holding the difference.
	for k > 0 && a[k]&0xc0 == 0x80 {
		k--
	}
	for i, j := k, k; ; {
		if i >= len(a) || j >= len(b) {
			return (len(a) - i) - (len(b) - j)
		}
		var ua, ub rune
		ua, i = utf16Unit(a, i)
		ub, j = utf16Unit(b, j)
		if ua != ub {
			return int(ua) - int(ub)
		}
	}
}

// utf16Unit decodes the MUTF-8 sequence at i, which in well-formed input
// encodes exactly one UTF-16 code unit; malformed bytes stand for themselves.
func utf16Unit(b []byte, i int) (rune, int) {
	c := b[i]
	switch {
	case c&0xe0 == 0xc0 && i+1 < len(b) && b[i+1]&0xc0 == 0x80:
		return rune(c&0x1f)<<6 | rune(b[i+1]&0x3f), i + 2
	case c&0xf0 == 0xe0 && i+2 < len(b) && b[i+1]&0xc0 == 0x80 && b[i+2]&0xc0 == 0x80:
		return rune(c&0x0f)<<12 | rune(b[i+1]&0x3f)<<6 | rune(b[i+2]&0x3f), i + 3
	}
	return rune(c), i + 1
}

// EncodeMUTF8 encodes s as Java's modified UTF-8: NUL as C0 80 and
// supplementary characters as surrogate pairs.
func EncodeMUTF8(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == 0:
			out = append(out, 0xc0, 0x80)
		case r >= 0x10000:
			hi, lo := utf16.EncodeRune(r)
			out = appendThreeByte(out, hi)
			out = appendThreeByte(out, lo)
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

func appendThreeByte(b []byte, r rune) []byte {
	return append(b, 0xe0|byte(r>>12), 0x80|byte(r>>6)&0x3f, 0x80|byte(r)&0x3f)
}

// FindString returns the index of the string equal to s.
func (f *File) FindString(s string) (uint32, bool) {
	return f.findStringBytes(EncodeMUTF8(s))
}

func (f *File) findStringBytes(want []byte) (uint32, bool) {
	n := int(f.Header.StringIDsSize)
	broken := false
	i := sort.Search(n, func(i int) bool {
		b, err := f.StringBytes(uint32(i))
		if err != nil {
			broken = true
			return true
		}
		return CompareMUTF8(b, want) >= 0
	})
	if broken || i >= n {
		return 0, false
	}
	b, err := f.StringBytes(uint32(i))
	if err != nil || !bytes.Equal(b, want) {
		return 0, false
	}
	return uint32(i), true
}

// FindType returns the index of the type with the given descriptor, such as
// "Landroid/telephony/TelephonyManager;".
func (f *File) FindType(descriptor string) (uint32, bool) {
	s, ok := f.FindString(descriptor)
	if !ok {
		return 0, false
	}
	return f.findTypeByString(s)
}

func (f *File) findTypeByString(s uint32) (uint32, bool) {
	h := &f.Header
	n := int(h.TypeIDsSize)
	at := func(i int) uint32 { return le.Uint32(f.data[int64(h.TypeIDsOff)+int64(i)*typeIDSize:]) }
	i := sort.Search(n, func(i int) bool { return at(i) >= s })
	if i < n && at(i) == s {
		return uint32(i), true
	}
	return 0, false
}

// FindMethods returns the indices of the methods of the given class with the
// given name (all overloads), or nil.
func (f *File) FindMethods(class, name string) []uint32 {
	return f.findMembers(class, name, f.Header.MethodIDsSize, f.Header.MethodIDsOff)
}

// FindFields returns the indices of the fields of the given class with the
// given name (normally at most one), or nil.
func (f *File) FindFields(class, name string) []uint32 {
	return f.findMembers(class, name, f.Header.FieldIDsSize, f.Header.FieldIDsOff)
}

// findMembers searches field_ids or method_ids (both 8-byte items led by
// class_idx u16, then the type or proto u16, then name_idx u32, but sorted
// by class, name, then type or proto).
func (f *File) findMembers(class, name string, size, off uint32) []uint32 {
	ci, ok := f.FindType(class)
	if !ok {
		return nil
	}
	ni, ok := f.FindString(name)
	if !ok {
		return nil
	}
	key := func(i int) uint64 {
		p := int64(off) + int64(i)*8
		return uint64(le.Uint16(f.data[p:]))<<32 | uint64(le.Uint32(f.data[p+4:]))
	}
	want := uint64(ci)<<32 | uint64(ni)
	n := int(size)
	i := sort.Search(n, func(i int) bool { return key(i) >= want })
	var out []uint32
	for ; i < n && key(i) == want; i++ {
		out = append(out, uint32(i))
	}
	return out
}
