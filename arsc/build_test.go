package arsc_test

// A small encoder for resource tables, the mirror of what the parser
// decodes, so that tests can build exactly the layouts they need.

import (
	"encoding/binary"
	"unicode/utf16"

	"appxray/res"
)

type buf []byte

func (b buf) u8(v uint8) buf   { return append(b, v) }
func (b buf) u16(v uint16) buf { return binary.LittleEndian.AppendUint16(b, v) }
func (b buf) u32(v uint32) buf { return binary.LittleEndian.AppendUint32(b, v) }

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// chunk assembles a chunk from its type, the header fields after the
// 8-byte ResChunk_header, and its body.
func chunk(typ uint16, header, body []byte) []byte {
	hs := 8 + len(header)
	out := buf(nil).u16(typ).u16(uint16(hs)).u32(uint32(hs + len(body)))
	out = append(out, header...)
	return append(out, body...)
}

// stringPool encodes a UTF-16 string pool.
func stringPool(strs ...string) []byte {
	var offsets, data buf
	for _, s := range strs {
		offsets = offsets.u32(uint32(len(data)))
		u := utf16.Encode([]rune(s))
		data = data.u16(uint16(len(u)))
		for _, c := range u {
			data = data.u16(c)
		}
		data = data.u16(0)
	}
	data = pad4(data)
	hdr := buf(nil).u32(uint32(len(strs))).u32(0).u32(0).u32(uint32(28 + len(offsets))).u32(0)
	return chunk(res.ChunkStringPool, hdr, append(offsets, data...))
}

func utf16Field(s string, units int) []byte {
	var b buf
	u := utf16.Encode([]rune(s))
	for i := range units {
		var c uint16
		if i < len(u) {
			c = u[i]
		}
		b = b.u16(c)
	}
	return b
}

// pkgChunk encodes a ResTable_package with its type and key pools followed
// by the given child chunks.
func pkgChunk(id uint32, name string, types, keys []string, children ...[]byte) []byte {
	tp, kp := stringPool(types...), stringPool(keys...)
	const hs = 288
	hdr := buf(nil).u32(id)
	hdr = append(hdr, utf16Field(name, 128)...)
	hdr = hdr.u32(hs).u32(uint32(len(types))).u32(uint32(hs + len(tp))).u32(uint32(len(keys))).u32(0)
	body := append(append([]byte{}, tp...), kp...)
	for _, c := range children {
		body = append(body, c...)
	}
	return chunk(res.ChunkTablePackage, hdr, body)
}

func tableChunk(values []byte, pkgs ...[]byte) []byte {
	body := append([]byte{}, values...)
	for _, p := range pkgs {
		body = append(body, p...)
	}
	return chunk(res.ChunkTable, buf(nil).u32(uint32(len(pkgs))), body)
}

func typeSpec(id uint8, flags ...uint32) []byte {
	hdr := buf(nil).u8(id).u8(0).u16(0).u32(uint32(len(flags)))
	var body buf
	for _, f := range flags {
		body = body.u32(f)
	}
	return chunk(res.ChunkTableTypeSpec, hdr, body)
}

// cfg describes a ResTable_config by the fields tests need; size is the
// declared size (64 when zero).
type cfg struct {
	size         int
	lang, region [2]byte
	script       string
	density      uint16
	sdk          uint16
	orientation  uint8
	mcc          uint16
}

func (c cfg) bytes() []byte {
	size := c.size
	if size == 0 {
		size = 64
	}
	b := make([]byte, max(size, 64))
	binary.LittleEndian.PutUint32(b, uint32(size))
	binary.LittleEndian.PutUint16(b[4:], c.mcc)
	copy(b[8:], c.lang[:])
	copy(b[10:], c.region[:])
	b[12] = c.orientation
	binary.LittleEndian.PutUint16(b[14:], c.density)
	binary.LittleEndian.PutUint16(b[24:], c.sdk)
	copy(b[36:40], c.script)
	return b[:size]
}

// ent is one entry to encode.
type ent struct {
	idx     uint16
	key     uint32
	flags   uint16
	value   res.Value
	complex bool
	parent  uint32
	bag     []bagItem
	compact bool
}

type bagItem struct {
	name  uint32
	value res.Value
}

func (e ent) bytes() []byte {
	var b buf
	switch {
	case e.compact:
		b = b.u16(uint16(e.key)).u16(e.flags | 0x0008 | uint16(e.value.Type)<<8).u32(e.value.Data)
	case e.complex:
		b = b.u16(16).u16(e.flags | 0x0001).u32(e.key).u32(e.parent).u32(uint32(len(e.bag)))
		for _, it := range e.bag {
			b = b.u32(it.name).u16(8).u8(0).u8(it.value.Type).u32(it.value.Data)
		}
	default:
		b = b.u16(8).u16(e.flags).u32(e.key).u16(8).u8(0).u8(e.value.Type).u32(e.value.Data)
	}
	return b
}

// Index layouts of a type chunk.
const (
	dense = iota
	offset16
	sparse
)

// typeChunk encodes a ResTable_type. extra adds unknown header bytes after
// the config, as a newer platform might.
func typeChunk(id uint8, c cfg, layout int, count int, extra int, entries ...ent) []byte {
	cb := c.bytes()
	var flags uint8
	switch layout {
	case offset16:
		flags = 0x02
	case sparse:
		flags = 0x01
	}
	var data buf
	offs := map[uint16]uint32{}
	for _, e := range entries {
		offs[e.idx] = uint32(len(data))
		data = append(data, e.bytes()...)
	}
	var index buf
	switch layout {
	case dense:
		for i := range count {
			if o, ok := offs[uint16(i)]; ok {
				index = index.u32(o)
			} else {
				index = index.u32(0xffffffff)
			}
		}
	case offset16:
		for i := range count {
			if o, ok := offs[uint16(i)]; ok {
				index = index.u16(uint16(o / 4))
			} else {
				index = index.u16(0xffff)
			}
		}
	case sparse:
		for _, e := range entries {
			index = index.u16(e.idx).u16(uint16(offs[e.idx] / 4))
		}
		count = len(entries)
	}
	index = pad4(index)
	hs := 8 + 12 + len(cb) + extra
	hdr := buf(nil).u8(id).u8(flags).u16(0).u32(uint32(count)).u32(uint32(hs + len(index)))
	hdr = append(hdr, cb...)
	hdr = append(hdr, make([]byte, extra)...)
	return chunk(res.ChunkTableType, hdr, append(index, data...))
}

func str(i uint32) res.Value  { return res.Value{Size: 8, Type: res.TypeString, Data: i} }
func ref(id uint32) res.Value { return res.Value{Size: 8, Type: res.TypeReference, Data: id} }
func intv(v uint32) res.Value { return res.Value{Size: 8, Type: res.TypeIntDec, Data: v} }

func lang(s string) [2]byte { return [2]byte{s[0], s[1]} }
