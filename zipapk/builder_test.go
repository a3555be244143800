package zipapk_test

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// bEntry describes one entry for the byte-level builder. Central directory
// values come from the top fields; the L* fields, when set, make the local
// header disagree.
type bEntry struct {
	Name      string
	Raw       []byte // bytes written as the entry's data (already compressed for deflate)
	Method    uint16
	Flags     uint16
	CRC       uint32
	CSize     uint32
	USize     uint32
	Extra     []byte // central and local extra field
	LName     *string
	LMethod   *uint16
	LFlags    *uint16
	LCRC      *uint32
	LCSize    *uint32
	LUSize    *uint32
	NoLocal   bool   // write no local header or data: needs SameAs
	NoCentral bool   // write only the local header and data (a hidden entry)
	SameAs    int    // with NoLocal: reuse the local header of this entry index
	Desc      []byte // bytes written after the data (a data descriptor)
	OffDelta  int64  // added to the header offset in the central directory
}

func ptr[T any](v T) *T { return &v }

// stored makes a stored entry.
func stored(name string, data []byte) bEntry {
	return bEntry{Name: name, Raw: data, Method: 0, CRC: crc32.ChecksumIEEE(data), CSize: uint32(len(data)), USize: uint32(len(data))}
}

// deflated makes a deflated entry, compressed with the standard library so
// the reader's decoder is checked against an independent encoder.
func deflated(name string, data []byte) bEntry {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(data)
	w.Close()
	return bEntry{Name: name, Raw: buf.Bytes(), Method: 8, CRC: crc32.ChecksumIEEE(data), CSize: uint32(buf.Len()), USize: uint32(len(data))}
}

// streamedEntry makes a deflated entry written in streaming mode: flag bit 3,
// zero CRC and sizes in the local header, a data descriptor after the data.
func streamedEntry(name string, data []byte, withSig bool) bEntry {
	e := deflated(name, data)
	e.Flags |= 8
	e.LCRC, e.LCSize, e.LUSize = ptr[uint32](0), ptr[uint32](0), ptr[uint32](0)
	var d []byte
	if withSig {
		d = binary.LittleEndian.AppendUint32(d, 0x08074b50)
	}
	d = binary.LittleEndian.AppendUint32(d, e.CRC)
	d = binary.LittleEndian.AppendUint32(d, e.CSize)
	d = binary.LittleEndian.AppendUint32(d, e.USize)
	e.Desc = d
	return e
}

// zipBuilder lays out a whole archive; every field can be made wrong.
type zipBuilder struct {
	Prefix      []byte // before the first local header; offsets stay absolute
	Entries     []bEntry
	SigBlock    []byte // written between the last entry and the central directory
	Gap         []byte // between the central directory and the EOCD
	Comment     []byte
	CommentLen  *uint16 // overrides the EOCD comment length
	Count       *uint16 // overrides both EOCD entry counts
	CDOffset    *uint32
	CDSize      *uint32
	Trailing    []byte // after the comment
	Zip64       bool   // write ZIP64 EOCD and locator, saturate EOCD fields
	HeaderOffs  []int64
	CentralOffs []int64
	EndOff      int64
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func or[T any](p *T, v T) T {
	if p != nil {
		return *p
	}
	return v
}

func (zb *zipBuilder) Build() []byte {
	out := append([]byte(nil), zb.Prefix...)
	zb.HeaderOffs = make([]int64, len(zb.Entries))
	zb.CentralOffs = make([]int64, len(zb.Entries))
	for i, e := range zb.Entries {
		if e.NoLocal {
			zb.HeaderOffs[i] = zb.HeaderOffs[e.SameAs]
			continue
		}
		zb.HeaderOffs[i] = int64(len(out))
		name := or(e.LName, e.Name)
		out = le32(out, 0x04034b50)
		out = le16(out, 20)
		out = le16(out, or(e.LFlags, e.Flags))
		out = le16(out, or(e.LMethod, e.Method))
		out = le16(out, 0)    // time
		out = le16(out, 0x21) // date: 1980-01-01
		out = le32(out, or(e.LCRC, e.CRC))
		out = le32(out, or(e.LCSize, e.CSize))
		out = le32(out, or(e.LUSize, e.USize))
		out = le16(out, uint16(len(name)))
		out = le16(out, uint16(len(e.Extra)))
		out = append(out, name...)
		out = append(out, e.Extra...)
		out = append(out, e.Raw...)
		out = append(out, e.Desc...)
	}
	out = append(out, zb.SigBlock...)
	cdStart := len(out)
	n := uint16(0)
	for i, e := range zb.Entries {
		zb.CentralOffs[i] = int64(len(out))
		if e.NoCentral {
			continue
		}
		n++
		out = le32(out, 0x02014b50)
		out = le16(out, 0x0314) // made by Unix, 2.0
		out = le16(out, 20)
		out = le16(out, e.Flags)
		out = le16(out, e.Method)
		out = le16(out, 0)
		out = le16(out, 0x21)
		out = le32(out, e.CRC)
		out = le32(out, e.CSize)
		out = le32(out, e.USize)
		out = le16(out, uint16(len(e.Name)))
		out = le16(out, uint16(len(e.Extra)))
		out = le16(out, 0) // comment
		out = le16(out, 0) // disk
		out = le16(out, 0) // internal attrs
		out = le32(out, 0o100644<<16)
		out = le32(out, uint32(zb.HeaderOffs[i]+e.OffDelta))
		out = append(out, e.Name...)
		out = append(out, e.Extra...)
	}
	cdSize := len(out) - cdStart
	out = append(out, zb.Gap...)
	if zb.Zip64 {
		rec := len(out)
		out = le32(out, 0x06064b50)
		out = le64(out, 44)
		out = le16(out, 45)
		out = le16(out, 45)
		out = le32(out, 0)
		out = le32(out, 0)
		out = le64(out, uint64(n))
		out = le64(out, uint64(n))
		out = le64(out, uint64(or(zb.CDSize, uint32(cdSize))))
		out = le64(out, uint64(or(zb.CDOffset, uint32(cdStart))))
		out = le32(out, 0x07064b50)
		out = le32(out, 0)
		out = le64(out, uint64(rec))
		out = le32(out, 1)
	}
	zb.EndOff = int64(len(out))
	out = le32(out, 0x06054b50)
	out = le16(out, 0)
	out = le16(out, 0)
	if zb.Zip64 {
		out = le16(out, 0xffff)
		out = le16(out, 0xffff)
		out = le32(out, 0xffffffff)
		out = le32(out, 0xffffffff)
	} else {
		out = le16(out, or(zb.Count, n))
		out = le16(out, or(zb.Count, n))
		out = le32(out, or(zb.CDSize, uint32(cdSize)))
		out = le32(out, or(zb.CDOffset, uint32(cdStart)))
	}
	out = le16(out, or(zb.CommentLen, uint16(len(zb.Comment))))
	out = append(out, zb.Comment...)
	out = append(out, zb.Trailing...)
	return out
}

// sigBlock builds an APK Signing Block holding one ID-value pair.
func sigBlock(id uint32, value []byte) []byte {
	pairs := le64(nil, uint64(4+len(value)))
	pairs = le32(pairs, id)
	pairs = append(pairs, value...)
	size := uint64(len(pairs) + 8 + 16)
	b := le64(nil, size)
	b = append(b, pairs...)
	b = le64(b, size)
	return append(b, "APK Sig Block 42"...)
}
