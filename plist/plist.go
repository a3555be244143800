// Package plist decodes Apple property lists in their three encodings:
// XML (Apple's PropertyList-1.0 DTD), binary ("bplist00", as
// CoreFoundation's CFBinaryPList writes it) and the old OpenStep text form
// that .strings files use (`"key" = "value";`, UTF-8 or UTF-16).
//
// Parse returns a tree of Values with the offset each was read at. Binary
// property lists may share objects; every use is expanded and counted
// against Limits.MaxValues, and a reference cycle is an error.
package plist

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Format is a property list encoding.
type Format uint8

// The encodings Parse recognises.
const (
	FormatXML Format = iota + 1
	FormatBinary
	FormatText // OpenStep text, including .strings files
)

func (f Format) String() string {
	switch f {
	case FormatXML:
		return "xml"
	case FormatBinary:
		return "binary"
	case FormatText:
		return "text"
	}
	return "unknown"
}

// Kind is the type of a Value.
type Kind uint8

// Value kinds.
const (
	String Kind = iota + 1
	Integer
	Real
	Boolean
	Date
	Data
	Array
	Dict
	UID // a keyed archiver's object reference (binary plists only)
)

var kindNames = [...]string{String: "string", Integer: "integer", Real: "real", Boolean: "boolean", Date: "date", Data: "data", Array: "array", Dict: "dict", UID: "uid"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one property list value.
type Value struct {
	Kind Kind
	Str  string // String
	// Int holds an Integer (and a UID); Unsigned is set when the value
	// is above the int64 range and Int holds its bits.
	Int      int64
	Unsigned bool
	Real     float64
	Bool     bool
	Date     time.Time
	Data     []byte
	Array    []*Value
	Dict     []Entry // in file order; keys may repeat in hostile files
	Offset   int64   // where the value was read in the input
}

// Entry is one key and value of a Dict.
type Entry struct {
	Key   string
	Value *Value
}

// Get returns the value of key in a dict (the last, if it repeats), or nil.
func (v *Value) Get(key string) *Value {
	if v == nil || v.Kind != Dict {
		return nil
	}
	for i := len(v.Dict) - 1; i >= 0; i-- {
		if v.Dict[i].Key == key {
			return v.Dict[i].Value
		}
	}
	return nil
}

// Path follows keys through nested dicts.
func (v *Value) Path(keys ...string) *Value {
	for _, k := range keys {
		v = v.Get(k)
	}
	return v
}

// String returns a string value.
func (v *Value) String() (string, bool) {
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}

// Text returns a string value, or "".
func (v *Value) Text() string {
	s, _ := v.String()
	return s
}

// Boolean returns a boolean value. Like CFPreferences, it also takes the
// strings "YES"/"true" and the integers 1/0.
func (v *Value) Boolean() (bool, bool) {
	if v == nil {
		return false, false
	}
	switch v.Kind {
	case Boolean:
		return v.Bool, true
	case Integer:
		return v.Int != 0, true
	case String:
		switch v.Str {
		case "YES", "yes", "true", "TRUE", "1":
			return true, true
		case "NO", "no", "false", "FALSE", "0":
			return false, true
		}
	}
	return false, false
}

// Items returns the elements of an array, nil for anything else (and for
// a nil Value).
func (v *Value) Items() []*Value {
	if v == nil || v.Kind != Array {
		return nil
	}
	return v.Array
}

// Strings returns the string elements of an array (or a lone string as a
// one-element list); other elements are skipped.
func (v *Value) Strings() []string {
	if v == nil {
		return nil
	}
	if v.Kind == String {
		return []string{v.Str}
	}
	var out []string
	for _, e := range v.Array {
		if s, ok := e.String(); ok {
			out = append(out, s)
		}
	}
	return out
}

// FormatError reports malformed input and where it was found.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("plist: %s at offset 0x%x", e.Msg, e.Offset)
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
var ErrLimit = errors.New("plist: limit exceeded")

// LimitError names the limit that stopped decoding.
type LimitError struct {
	Limit string
	Value int64
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func limitErr(off int64, what, limit string, value int) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: int64(value)}}
}

// Limits bounds the work spent on one property list. The zero value, and
// any zero or negative field, means the default of DefaultLimits.
type Limits struct {
	MaxDepth  int // deepest nesting of arrays and dicts
	MaxValues int // values decoded, counting each use of a shared binary object
	// MaxDataBytes bounds the bytes of data and string values decoded in
	// all (binary plists can repeat one large object many times).
	MaxDataBytes int64
}

// DefaultLimits returns limits no real Info.plist, entitlements or
// provisioning profile comes near.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 128, MaxValues: 1 << 20, MaxDataBytes: 256 << 20}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxValues <= 0 {
		l.MaxValues = d.MaxValues
	}
	if l.MaxDataBytes <= 0 {
		l.MaxDataBytes = d.MaxDataBytes
	}
	return l
}

// budget counts values and bytes against the limits.
type budget struct {
	lim    Limits
	values int
	bytes  int64
}

func (b *budget) value(off int64) error {
	b.values++
	if b.values > b.lim.MaxValues {
		return limitErr(off, fmt.Sprintf("value %d", b.values), "MaxValues", b.lim.MaxValues)
	}
	return nil
}

func (b *budget) data(off int64, n int64) error {
	b.bytes += n
	if b.bytes > b.lim.MaxDataBytes {
		return &FormatError{Offset: off, Msg: fmt.Sprintf("%d bytes of data", b.bytes), Err: &LimitError{Limit: "MaxDataBytes", Value: b.lim.MaxDataBytes}}
	}
	return nil
}

// Detect tells the encoding of data from its first bytes.
func Detect(data []byte) Format {
	if bytes.HasPrefix(data, []byte("bplist")) {
		return FormatBinary
	}
	t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if bytes.HasPrefix(t, []byte("<?xml")) || bytes.HasPrefix(t, []byte("<plist")) || bytes.HasPrefix(t, []byte("<!DOCTYPE")) {
		return FormatXML
	}
	return FormatText
}

// Parse decodes a property list in any of the three encodings.
func Parse(data []byte, lim Limits) (*Value, Format, error) {
	b := &budget{lim: lim.withDefaults()}
	f := Detect(data)
	var v *Value
	var err error
	switch f {
	case FormatBinary:
		v, err = parseBinary(data, b)
	case FormatXML:
		v, err = parseXML(data, b)
	default:
		v, err = parseText(data, b)
	}
	if err != nil {
		return nil, f, err
	}
	return v, f, nil
}
