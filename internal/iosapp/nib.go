package iosapp

import (
	"encoding/binary"
)

// NibObject is one object of a test nib: its class and its values, in
// order. A value is a string (stored as a reference to a new NSString
// object holding NS.bytes), an int, a bool, or a Ref to another object.
type NibObject struct {
	Class  string
	Values []NibValue
}

// NibValue is a key and one of: string, int, bool, Ref.
type NibValue struct {
	Key   string
	Value any
}

// Ref refers to another NibObject by index.
type Ref int

func nibVarint(b []byte, v int) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c|0x80)
		}
		b = append(b, c)
	}
}

// Nib lays the objects out as a NIBArchive (version 9), as ibtool does:
// NSString objects for the strings are appended after the given objects.
func Nib(objs []NibObject) []byte {
	var keys []string
	keyIdx := map[string]int{}
	key := func(k string) int {
		if i, ok := keyIdx[k]; ok {
			return i
		}
		keyIdx[k] = len(keys)
		keys = append(keys, k)
		return len(keys) - 1
	}
	var classes []string
	classIdx := map[string]int{}
	class := func(c string) int {
		if i, ok := classIdx[c]; ok {
			return i
		}
		classIdx[c] = len(classes)
		classes = append(classes, c)
		return len(classes) - 1
	}
	type obj struct{ class, start, count int }
	all := append([]NibObject(nil), objs...)
	var objects []obj
	var values []byte
	nValues := 0
	for i := 0; i < len(all); i++ {
		o := all[i]
		ob := obj{class: class(o.Class), start: nValues}
		for _, v := range o.Values {
			values = nibVarint(values, key(v.Key))
			switch x := v.Value.(type) {
			case string:
				if o.Class == "NSString" && v.Key == "NS.bytes" {
					values = append(values, 8)
					values = nibVarint(values, len(x))
					values = append(values, x...)
					break
				}
				all = append(all, NibObject{Class: "NSString", Values: []NibValue{{"NS.bytes", x}}})
				values = append(values, 10)
				values = binary.LittleEndian.AppendUint32(values, uint32(len(all)-1))
			case int:
				values = append(values, 2)
				values = binary.LittleEndian.AppendUint32(values, uint32(int32(x)))
			case bool:
				if x {
					values = append(values, 4)
				} else {
					values = append(values, 5)
				}
			case Ref:
				values = append(values, 10)
				values = binary.LittleEndian.AppendUint32(values, uint32(x))
			default:
				values = append(values, 9)
			}
			nValues++
			ob.count++
		}
		objects = append(objects, ob)
	}
	var ob, kb, cb []byte
	for _, o := range objects {
		ob = nibVarint(ob, o.class)
		ob = nibVarint(ob, o.start)
		ob = nibVarint(ob, o.count)
	}
	for _, k := range keys {
		kb = nibVarint(kb, len(k))
		kb = append(kb, k...)
	}
	for _, c := range classes {
		cb = nibVarint(cb, len(c)+1)
		cb = nibVarint(cb, 0)
		cb = append(cb, c...)
		cb = append(cb, 0)
	}
	out := []byte("NIBArchive")
	le := binary.LittleEndian
	out = le.AppendUint32(out, 1)
	out = le.AppendUint32(out, 9)
	at := uint32(50)
	for _, part := range []struct {
		n int
		b []byte
	}{{len(objects), ob}, {len(keys), kb}, {nValues, values}, {len(classes), cb}} {
		out = le.AppendUint32(out, uint32(part.n))
		out = le.AppendUint32(out, at)
		at += uint32(len(part.b))
	}
	out = append(out, ob...)
	out = append(out, kb...)
	out = append(out, values...)
	return append(out, cb...)
}

// V is a NibValue.
func V(key string, value any) NibValue { return NibValue{Key: key, Value: value} }
