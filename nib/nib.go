// Package nib decodes compiled Interface Builder files in the NIBArchive
// format that UIKit reads since iOS 6: the .nib files of an app bundle and
// those inside compiled storyboards (.storyboardc). An archive is four
// tables: objects (a class and a run of values), keys, values (a key, a
// type and data) and class names. The layout, as ibtool writes it:
//
//	"NIBArchive", uint32 1, uint32 9 or 10, then four (count, offset)
//	pairs of little-endian uint32 for objects, keys, values, classes.
//
// Integers inside the tables are varints of 7-bit groups, least
// significant first, whose last byte has the high bit set.
//
// Objects reference each other by index; Strings resolves NSString objects
// (their NS.bytes) so that a UITextField's placeholder or a UILabel's text
// can be read without following the graph by hand.
package nib

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// FormatError reports malformed input and where it was found.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("nib: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func errorf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// ErrLimit is matched (errors.Is) by every error caused by a Limits value.
var ErrLimit = errors.New("nib: limit exceeded")

// LimitError names the limit that stopped decoding.
type LimitError struct {
	Limit string
	Value int64
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// ErrNotNIBArchive is returned for input without the NIBArchive magic
// (such as a pre-iOS 6 nib, a keyed archive binary plist).
var ErrNotNIBArchive = errors.New("nib: not a NIBArchive")

// Limits bounds one archive. The zero value, and any zero or negative
// field, means the default of DefaultLimits.
type Limits struct {
	MaxObjects int
	MaxValues  int
	MaxKeys    int
	MaxClasses int
}

// DefaultLimits returns limits far above real storyboards (a large one
// holds some tens of thousands of values).
func DefaultLimits() Limits {
	return Limits{MaxObjects: 1 << 20, MaxValues: 1 << 22, MaxKeys: 1 << 20, MaxClasses: 1 << 16}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxObjects <= 0 {
		l.MaxObjects = d.MaxObjects
	}
	if l.MaxValues <= 0 {
		l.MaxValues = d.MaxValues
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	if l.MaxClasses <= 0 {
		l.MaxClasses = d.MaxClasses
	}
	return l
}

// Value types.
const (
	TypeInt8   = 0
	TypeInt16  = 1
	TypeInt32  = 2
	TypeInt64  = 3
	TypeTrue   = 4
	TypeFalse  = 5
	TypeFloat  = 6
	TypeDouble = 7
	TypeData   = 8
	TypeNil    = 9
	TypeObject = 10
)

// Archive is a decoded NIBArchive.
type Archive struct {
	Version uint32 // the second header word: 9 or 10
	Objects []Object
	Keys    []string
	Values  []Value
	Classes []Class

	// strText is, for each object, the index in Values of the data value
	// String reads for a reference to it (-1: none), computed once by
	// Parse so that a run of references to one NSString costs a lookup
	// each, not a scan of its values.
	strText []int32
}

// Object is one archived object: its class and its values.
type Object struct {
	Class       int // index into Classes
	ValuesStart int // index into Values
	ValueCount  int
	Offset      int64
}

// Value is one key/value pair of an object.
type Value struct {
	Key    int // index into Keys
	Type   uint8
	Int    int64   // the integer types, and 1/0 for true/false
	Float  float64 // float and double
	Data   []byte
	Object int // TypeObject: index into Objects
	Offset int64

	// Set by Parse on TypeData values: the data as text, decoded once
	// so that every use of a shared value returns the same string.
	decoded bool
	text    string
	textOK  bool
}

// Class is a class name with its extra integers.
type Class struct {
	Name   string
	Extras []int32
}

// Parse decodes a NIBArchive. Every index is checked: an object's class
// and values, a value's key and object reference.
func Parse(data []byte, lim Limits) (*Archive, error) {
	lim = lim.withDefaults()
	if len(data) < 10 || string(data[:10]) != "NIBArchive" {
		return nil, ErrNotNIBArchive
	}
	if len(data) < 50 {
		return nil, errorf(10, "header of %d bytes, want 50", len(data))
	}
	le := binary.LittleEndian
	a := &Archive{Version: le.Uint32(data[14:])}
	hdr := func(i int) (uint32, uint32) { return le.Uint32(data[18+8*i:]), le.Uint32(data[22+8*i:]) }
	nObj, oObj := hdr(0)
	nKey, oKey := hdr(1)
	nVal, oVal := hdr(2)
	nCls, oCls := hdr(3)
	for _, c := range []struct {
		n, max int64
		name   string
		at     int64
	}{{int64(nObj), int64(lim.MaxObjects), "MaxObjects", 18}, {int64(nKey), int64(lim.MaxKeys), "MaxKeys", 26}, {int64(nVal), int64(lim.MaxValues), "MaxValues", 34}, {int64(nCls), int64(lim.MaxClasses), "MaxClasses", 42}} {
		if c.n > c.max {
			return nil, &FormatError{Offset: c.at, Msg: fmt.Sprintf("count %d", c.n), Err: &LimitError{Limit: c.name, Value: c.max}}
		}
		// Every entry takes at least one byte.
		if c.n > int64(len(data)) {
			return nil, errorf(c.at, "count %d exceeds the %d-byte file", c.n, len(data))
		}
	}
	r := &reader{data: data}

	r.pos = int64(oObj)
	a.Objects = make([]Object, 0, nObj)
	for range nObj {
		o := Object{Offset: r.pos}
		var err error
		if o.Class, err = r.index(); err == nil {
			if o.ValuesStart, err = r.index(); err == nil {
				o.ValueCount, err = r.index()
			}
		}
		if err != nil {
			return nil, fmt.Errorf("nib: object %d: %w", len(a.Objects), err)
		}
		a.Objects = append(a.Objects, o)
	}

	r.pos = int64(oKey)
	a.Keys = make([]string, 0, nKey)
	for range nKey {
		n, err := r.index()
		if err != nil {
			return nil, fmt.Errorf("nib: key %d: %w", len(a.Keys), err)
		}
		b, err := r.bytes(n)
		if err != nil {
			return nil, fmt.Errorf("nib: key %d: %w", len(a.Keys), err)
		}
		a.Keys = append(a.Keys, string(b))
	}

	r.pos = int64(oVal)
	a.Values = make([]Value, 0, nVal)
	for range nVal {
		v, err := r.value()
		if err != nil {
			return nil, fmt.Errorf("nib: value %d: %w", len(a.Values), err)
		}
		a.Values = append(a.Values, v)
	}

	r.pos = int64(oCls)
	a.Classes = make([]Class, 0, nCls)
	for range nCls {
		c, err := r.class()
		if err != nil {
			return nil, fmt.Errorf("nib: class %d: %w", len(a.Classes), err)
		}
		a.Classes = append(a.Classes, c)
	}
	if err := a.check(lim); err != nil {
		return a, err
	}
	a.resolveStrings()
	return a, nil
}

// resolveStrings records, for each string-class object, the value String
// reads for a reference to it: the first NS.bytes, or failing that the
// first NS.string, that is UTF-8 data. The cost is the sum of those
// objects' runs, which check bounds.
func (a *Archive) resolveStrings() {
	a.strText = make([]int32, len(a.Objects))
	for i := range a.Objects {
		a.strText[i] = -1
		if !stringClasses[a.ClassName(i)] {
			continue
		}
		o := a.Objects[i]
		for _, k := range []string{"NS.bytes", "NS.string"} {
			j := a.index(i, k)
			if j < 0 {
				continue
			}
			if v := a.Values[o.ValuesStart+j]; v.Type == TypeData && v.textOK {
				a.strText[i] = int32(o.ValuesStart + j)
				break
			}
		}
	}
}

func (a *Archive) check(lim Limits) error {
	// ibtool gives each object its own run of values; runs that overlap
	// make every value count once per object whose run holds it, and
	// every walk over the objects' values (Texts, Get on each object)
	// costs their sum, which MaxValues bounds as it bounds the table.
	var runs int64
	for i, o := range a.Objects {
		if o.Class >= len(a.Classes) {
			return errorf(o.Offset, "object %d has class %d of %d", i, o.Class, len(a.Classes))
		}
		if o.ValuesStart > len(a.Values) || o.ValueCount > len(a.Values)-o.ValuesStart {
			return errorf(o.Offset, "object %d has values %d+%d of %d", i, o.ValuesStart, o.ValueCount, len(a.Values))
		}
		if runs += int64(o.ValueCount); runs > int64(lim.MaxValues) {
			return &FormatError{Offset: o.Offset, Msg: fmt.Sprintf("objects' value runs add up to over %d values (overlapping runs?)", lim.MaxValues), Err: &LimitError{Limit: "MaxValues", Value: int64(lim.MaxValues)}}
		}
	}
	for i, v := range a.Values {
		if v.Key >= len(a.Keys) {
			return errorf(v.Offset, "value %d has key %d of %d", i, v.Key, len(a.Keys))
		}
		if v.Type == TypeObject && v.Object >= len(a.Objects) {
			return errorf(v.Offset, "value %d refers to object %d of %d", i, v.Object, len(a.Objects))
		}
	}
	return nil
}

type reader struct {
	data []byte
	pos  int64
}

// varint reads one of the archive's varints: 7-bit groups, low first,
// the high bit marking the last byte.
func (r *reader) varint() (uint64, error) {
	start := r.pos
	var v uint64
	for shift := uint(0); ; shift += 7 {
		if r.pos >= int64(len(r.data)) {
			return 0, errorf(start, "varint past the end")
		}
		if shift > 63 {
			return 0, errorf(start, "varint longer than 64 bits")
		}
		c := r.data[r.pos]
		r.pos++
		v |= uint64(c&0x7f) << shift
		if c&0x80 != 0 {
			return v, nil
		}
	}
}

// index reads a varint used as a count or index, which must fit the file.
func (r *reader) index() (int, error) {
	start := r.pos
	v, err := r.varint()
	if err != nil {
		return 0, err
	}
	if v > uint64(len(r.data)) && v > 1<<24 {
		return 0, errorf(start, "index %d too large", v)
	}
	return int(v), nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if r.pos < 0 || r.pos > int64(len(r.data)) || int64(n) > int64(len(r.data))-r.pos {
		return nil, errorf(r.pos, "%d bytes past the end", n)
	}
	b := r.data[r.pos : r.pos+int64(n)]
	r.pos += int64(n)
	return b, nil
}

func (r *reader) value() (Value, error) {
	v := Value{Offset: r.pos}
	var err error
	if v.Key, err = r.index(); err != nil {
		return v, err
	}
	t, err := r.bytes(1)
	if err != nil {
		return v, err
	}
	v.Type = t[0]
	le := binary.LittleEndian
	fixed := map[uint8]int{TypeInt8: 1, TypeInt16: 2, TypeInt32: 4, TypeInt64: 8, TypeFloat: 4, TypeDouble: 8, TypeObject: 4}
	switch v.Type {
	case TypeTrue:
		v.Int = 1
	case TypeFalse, TypeNil:
	case TypeData:
		n, err := r.index()
		if err != nil {
			return v, err
		}
		if v.Data, err = r.bytes(n); err != nil {
			return v, err
		}
		v.decoded, v.textOK = true, utf8.Valid(v.Data)
		if v.textOK {
			v.text = string(v.Data)
		}
	default:
		size, ok := fixed[v.Type]
		if !ok {
			return v, errorf(v.Offset, "unknown value type %d", v.Type)
		}
		b, err := r.bytes(size)
		if err != nil {
			return v, err
		}
		switch v.Type {
		case TypeInt8:
			v.Int = int64(int8(b[0]))
		case TypeInt16:
			v.Int = int64(int16(le.Uint16(b)))
		case TypeInt32:
			v.Int = int64(int32(le.Uint32(b)))
		case TypeInt64:
			v.Int = int64(le.Uint64(b))
		case TypeFloat:
			v.Float = float64(math.Float32frombits(le.Uint32(b)))
		case TypeDouble:
			v.Float = math.Float64frombits(le.Uint64(b))
		case TypeObject:
			o := le.Uint32(b)
			if o > 1<<30 {
				return v, errorf(v.Offset, "object reference %d", o)
			}
			v.Object = int(o)
		}
	}
	return v, nil
}

func (r *reader) class() (Class, error) {
	var c Class
	n, err := r.index()
	if err != nil {
		return c, err
	}
	extras, err := r.index()
	if err != nil {
		return c, err
	}
	b, err := r.bytes(4 * extras)
	if err != nil {
		return c, err
	}
	for i := range extras {
		c.Extras = append(c.Extras, int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	name, err := r.bytes(n)
	if err != nil {
		return c, err
	}
	if len(name) > 0 && name[len(name)-1] == 0 {
		name = name[:len(name)-1]
	}
	c.Name = string(name)
	return c, nil
}

// ClassName returns the class of object i.
func (a *Archive) ClassName(i int) string {
	if i < 0 || i >= len(a.Objects) {
		return ""
	}
	return a.Classes[a.Objects[i].Class].Name
}

// ValuesOf returns the values of object i.
func (a *Archive) ValuesOf(i int) []Value {
	if i < 0 || i >= len(a.Objects) {
		return nil
	}
	o := a.Objects[i]
	return a.Values[o.ValuesStart : o.ValuesStart+o.ValueCount]
}

// Get returns the value of object i under key, if it has one.
func (a *Archive) Get(i int, key string) (Value, bool) {
	if j := a.index(i, key); j >= 0 {
		return a.Values[a.Objects[i].ValuesStart+j], true
	}
	return Value{}, false
}

// index returns the position of key's first value in object i's run, or -1.
func (a *Archive) index(i int, key string) int {
	for j, v := range a.ValuesOf(i) {
		if a.Keys[v.Key] == key {
			return j
		}
	}
	return -1
}

// textOf returns a data value as UTF-8 text, decoded once by Parse when the
// value came from it.
func (v *Value) textOf() (string, bool) {
	if v.decoded {
		return v.text, v.textOK
	}
	if utf8.Valid(v.Data) {
		return string(v.Data), true
	}
	return "", false
}

// stringClasses are the classes whose NS.bytes (or NS.string) hold text.
var stringClasses = map[string]bool{
	"NSString": true, "NSMutableString": true, "NSLocalizableString": true, "__NSCFString": true,
}

// String returns the text a value stands for: the UTF-8 of a data value,
// or the text of a referenced NSString object.
func (a *Archive) String(v Value) (string, bool) {
	switch v.Type {
	case TypeData:
		return v.textOf()
	case TypeObject:
		if !stringClasses[a.ClassName(v.Object)] {
			return "", false
		}
		if len(a.strText) == len(a.Objects) {
			if j := a.strText[v.Object]; j >= 0 {
				return a.Values[j].textOf()
			}
			return "", false
		}
		// An Archive that Parse did not build.
		for _, k := range []string{"NS.bytes", "NS.string"} {
			if b, ok := a.Get(v.Object, k); ok && b.Type == TypeData {
				if s, ok := b.textOf(); ok {
					return s, true
				}
			}
		}
	}
	return "", false
}

// Text is a string an object holds under a key.
type Text struct {
	Object int
	Class  string // the object's class, "UITextField"
	Key    string // "UIPlaceholder", "UIText"…
	Value  string
	Offset int64 // of the value record
}

// Texts lists every string an object holds under a key, directly or
// through an NSString object, except the strings' own NS.bytes, in object
// order.
func (a *Archive) Texts() []Text {
	var out []Text
	for i := range a.Objects {
		cls := a.ClassName(i)
		if stringClasses[cls] {
			continue
		}
		for _, v := range a.ValuesOf(i) {
			if v.Type != TypeObject {
				continue
			}
			if s, ok := a.String(v); ok {
				out = append(out, Text{Object: i, Class: cls, Key: a.Keys[v.Key], Value: s, Offset: v.Offset})
			}
		}
	}
	return out
}
