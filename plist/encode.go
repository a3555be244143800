package plist

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// EncodeXML writes v as an XML property list, as Xcode writes Info.plist.
func EncodeXML(v *Value) []byte {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	sb.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	sb.WriteString(`<plist version="1.0">` + "\n")
	writeXML(&sb, v, 0)
	sb.WriteString("</plist>\n")
	return []byte(sb.String())
}

func escape(s string) string {
	var sb strings.Builder
	_ = xml.EscapeText(&sb, []byte(s))
	return sb.String()
}

func writeXML(sb *strings.Builder, v *Value, depth int) {
	ind := strings.Repeat("\t", depth)
	switch v.Kind {
	case String:
		sb.WriteString(ind + "<string>" + escape(v.Str) + "</string>\n")
	case Integer, UID:
		if v.Unsigned {
			sb.WriteString(ind + "<integer>" + strconv.FormatUint(uint64(v.Int), 10) + "</integer>\n")
		} else {
			sb.WriteString(ind + "<integer>" + strconv.FormatInt(v.Int, 10) + "</integer>\n")
		}
	case Real:
		sb.WriteString(ind + "<real>" + strconv.FormatFloat(v.Real, 'g', -1, 64) + "</real>\n")
	case Boolean:
		if v.Bool {
			sb.WriteString(ind + "<true/>\n")
		} else {
			sb.WriteString(ind + "<false/>\n")
		}
	case Date:
		sb.WriteString(ind + "<date>" + v.Date.UTC().Format(time.RFC3339) + "</date>\n")
	case Data:
		sb.WriteString(ind + "<data>" + base64.StdEncoding.EncodeToString(v.Data) + "</data>\n")
	case Array:
		sb.WriteString(ind + "<array>\n")
		for _, e := range v.Array {
			writeXML(sb, e, depth+1)
		}
		sb.WriteString(ind + "</array>\n")
	case Dict:
		sb.WriteString(ind + "<dict>\n")
		for _, e := range v.Dict {
			sb.WriteString(ind + "\t<key>" + escape(e.Key) + "</key>\n")
			writeXML(sb, e.Value, depth+1)
		}
		sb.WriteString(ind + "</dict>\n")
	}
}

// EncodeBinary writes v as a bplist00 with 8-byte offsets and 4-byte
// references, one object per value (nothing shared).
func EncodeBinary(v *Value) []byte {
	w := &bwriter{out: []byte("bplist00")}
	// Objects are numbered in the order they are met; a container takes
	// its number before its members.
	var objs [][]byte
	var add func(v *Value) uint32
	add = func(v *Value) uint32 {
		idx := uint32(len(objs))
		objs = append(objs, nil)
		var b []byte
		switch v.Kind {
		case Boolean:
			if v.Bool {
				b = []byte{0x09}
			} else {
				b = []byte{0x08}
			}
		case Integer:
			if v.Unsigned {
				// Above int64: a 128-bit integer with a zero high half.
				b = append([]byte{0x14, 0, 0, 0, 0, 0, 0, 0, 0}, binary.BigEndian.AppendUint64(nil, uint64(v.Int))...)
			} else {
				b = append([]byte{0x13}, binary.BigEndian.AppendUint64(nil, uint64(v.Int))...)
			}
		case UID:
			b = append([]byte{0x87}, binary.BigEndian.AppendUint64(nil, uint64(v.Int))...)
		case Real:
			b = append([]byte{0x23}, binary.BigEndian.AppendUint64(nil, math.Float64bits(v.Real))...)
		case Date:
			s := float64(v.Date.Sub(binaryEpoch)) / float64(time.Second)
			b = append([]byte{0x33}, binary.BigEndian.AppendUint64(nil, math.Float64bits(s))...)
		case Data:
			b = append(countMarker(0x4, len(v.Data)), v.Data...)
		case String:
			ascii := true
			for i := 0; i < len(v.Str); i++ {
				if v.Str[i] >= 0x80 {
					ascii = false
				}
			}
			if ascii {
				b = append(countMarker(0x5, len(v.Str)), v.Str...)
			} else {
				u := utf16.Encode([]rune(v.Str))
				b = countMarker(0x6, len(u))
				for _, c := range u {
					b = binary.BigEndian.AppendUint16(b, c)
				}
			}
		case Array:
			var refs []uint32
			for _, e := range v.Array {
				refs = append(refs, add(e))
			}
			b = countMarker(0xA, len(refs))
			for _, r := range refs {
				b = binary.BigEndian.AppendUint32(b, r)
			}
		case Dict:
			var keys, vals []uint32
			for _, e := range v.Dict {
				keys = append(keys, add(&Value{Kind: String, Str: e.Key}))
				vals = append(vals, add(e.Value))
			}
			b = countMarker(0xD, len(keys))
			for _, r := range append(keys, vals...) {
				b = binary.BigEndian.AppendUint32(b, r)
			}
		}
		objs[idx] = b
		return idx
	}
	add(v)
	offsets := make([]uint64, len(objs))
	for i, b := range objs {
		offsets[i] = uint64(len(w.out))
		w.out = append(w.out, b...)
	}
	table := uint64(len(w.out))
	for _, o := range offsets {
		w.out = binary.BigEndian.AppendUint64(w.out, o)
	}
	w.out = append(w.out, 0, 0, 0, 0, 0, 0, 8, 4)
	w.out = binary.BigEndian.AppendUint64(w.out, uint64(len(objs)))
	w.out = binary.BigEndian.AppendUint64(w.out, 0)
	w.out = binary.BigEndian.AppendUint64(w.out, table)
	return w.out
}

type bwriter struct{ out []byte }

func countMarker(kind byte, n int) []byte {
	if n < 15 {
		return []byte{kind<<4 | byte(n)}
	}
	return append([]byte{kind<<4 | 0xf, 0x13}, binary.BigEndian.AppendUint64(nil, uint64(n))...)
}

// Constructors for building values.

// Str is a string value.
func Str(s string) *Value { return &Value{Kind: String, Str: s} }

// Int is an integer value.
func Int(n int64) *Value { return &Value{Kind: Integer, Int: n} }

// Bool is a boolean value.
func Bool(b bool) *Value { return &Value{Kind: Boolean, Bool: b} }

// Bytes is a data value.
func Bytes(b []byte) *Value { return &Value{Kind: Data, Data: b} }

// Time is a date value.
func Time(t time.Time) *Value { return &Value{Kind: Date, Date: t} }

// Arr is an array value.
func Arr(vs ...*Value) *Value { return &Value{Kind: Array, Array: vs} }

// StrArr is an array of strings.
func StrArr(ss ...string) *Value {
	v := &Value{Kind: Array}
	for _, s := range ss {
		v.Array = append(v.Array, Str(s))
	}
	return v
}

// D is a dict built from alternating keys and values.
func D(kv ...any) *Value {
	v := &Value{Kind: Dict}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Dict = append(v.Dict, Entry{Key: kv[i].(string), Value: kv[i+1].(*Value)})
	}
	return v
}
