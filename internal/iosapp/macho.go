// Package iosapp builds the project's own iOS test inputs: small Mach-O
// executables with the load commands, Objective-C sections, symbols and
// code signature an app review reads; NIBArchive files; CMS-signed
// provisioning profiles; and .ipa archives putting them together with
// plists, strings files and privacy manifests. Nothing it writes is meant
// to run.
package iosapp

import (
	"encoding/binary"
	"strings"
)

// Dylib is a linked library for a test Mach-O.
type Dylib struct {
	Path string
	Weak bool
}

// MachO describes a thin arm64 executable.
type MachO struct {
	Dylibs        []Dylib
	Classes       []string // __objc_classname
	Selectors     []string // __objc_methname
	CStrings      []string // __cstring
	Imports       []string // undefined external symbols (_OBJC_CLASS_$_CNContactStore…)
	Defined       []string // defined symbols (Swift names…)
	MinOS, SDK    uint32   // packed xxxx.yy.zz
	CryptID       int      // -1: no LC_ENCRYPTION_INFO_64
	Identifier    string   // code directory identifier; "" for no signature
	TeamID        string
	Entitlements  []byte // XML plist for the entitlements blob
	UUID          [16]byte
	EncryptedText bool // put the string sections inside the encrypted range
}

const (
	lcSegment64     = 0x19
	lcSymtab        = 0x2
	lcLoadDylib     = 0xc
	lcLoadWeakDylib = 0x80000018
	lcUUID          = 0x1b
	lcCodeSignature = 0x1d
	lcEncryption64  = 0x2c
	lcBuildVersion  = 0x32
	cpuArm64        = 0x0100000c
	mhExecute       = 0x2
	mhMagic64       = 0xfeedfacf
	platformIOS     = 2
	sectionCStrings = 0x2 // S_CSTRING_LITERALS
)

func cstrings(ss []string) []byte {
	var b []byte
	for _, s := range ss {
		b = append(b, s...)
		b = append(b, 0)
	}
	return b
}

func pad(b []byte, n int) []byte {
	for len(b)%n != 0 {
		b = append(b, 0)
	}
	return b
}

func name16(s string) []byte {
	b := make([]byte, 16)
	copy(b, s)
	return b
}

// Bytes lays the executable out: header, load commands, then the
// sections' data, the symbol and string tables and the signature.
func (m MachO) Bytes() []byte {
	le := binary.LittleEndian
	type section struct {
		name string
		data []byte
	}
	secs := []section{
		{"__text", []byte{0x1f, 0x20, 0x03, 0xd5, 0xc0, 0x03, 0x5f, 0xd6}}, // nop; ret
		{"__cstring", cstrings(m.CStrings)},
		{"__objc_classname", cstrings(m.Classes)},
		{"__objc_methname", cstrings(m.Selectors)},
	}
	var cmds [][]byte
	// Sizes of the commands, to know where data starts.
	segSize := 72 + 80*len(secs)
	var dylibCmds [][]byte
	for _, d := range m.Dylibs {
		n := 24 + len(d.Path) + 1
		n = (n + 7) &^ 7
		c := make([]byte, n)
		cmd := uint32(lcLoadDylib)
		if d.Weak {
			cmd = lcLoadWeakDylib
		}
		le.PutUint32(c, cmd)
		le.PutUint32(c[4:], uint32(n))
		le.PutUint32(c[8:], 24)
		le.PutUint32(c[12:], 2)
		le.PutUint32(c[16:], 0x10000)
		le.PutUint32(c[20:], 0x10000)
		copy(c[24:], d.Path)
		dylibCmds = append(dylibCmds, c)
	}
	cmdBytes := segSize + 24 + 24 + 24
	for _, c := range dylibCmds {
		cmdBytes += len(c)
	}
	if m.CryptID >= 0 {
		cmdBytes += 24
	}
	if m.Identifier != "" {
		cmdBytes += 16
	}
	dataStart := (32 + cmdBytes + 15) &^ 15
	var data []byte
	offs := make([]int, len(secs))
	for i, s := range secs {
		data = pad(data, 8)
		offs[i] = dataStart + len(data)
		data = append(data, s.data...)
	}
	textEnd := dataStart + len(data)

	// Symbols: imports undefined (n_type N_EXT, section 0), defined ones in
	// section 1.
	var strtab = []byte{' ', 0}
	var syms []byte
	addSym := func(name string, typ, sect uint8) {
		e := make([]byte, 16)
		le.PutUint32(e, uint32(len(strtab)))
		e[4], e[5] = typ, sect
		if sect != 0 {
			le.PutUint64(e[8:], 0x100000000)
		}
		syms = append(syms, e...)
		strtab = append(strtab, name...)
		strtab = append(strtab, 0)
	}
	for _, s := range m.Defined {
		addSym(s, 0x0f, 1) // N_SECT | N_EXT
	}
	for _, s := range m.Imports {
		addSym(s, 0x01, 0) // N_UNDF | N_EXT
	}
	data = pad(data, 8)
	symoff := dataStart + len(data)
	data = append(data, syms...)
	stroff := dataStart + len(data)
	data = append(data, pad(strtab, 8)...)
	var sigoff, sigsize int
	if m.Identifier != "" {
		data = pad(data, 16)
		sigoff = dataStart + len(data)
		sig := m.signature()
		sigsize = len(sig)
		data = append(data, sig...)
	}

	// __TEXT segment and its sections.
	seg := make([]byte, segSize)
	le.PutUint32(seg, lcSegment64)
	le.PutUint32(seg[4:], uint32(segSize))
	copy(seg[8:], name16("__TEXT"))
	le.PutUint64(seg[24:], 0x100000000)
	le.PutUint64(seg[32:], uint64(textEnd))
	le.PutUint64(seg[40:], 0)
	le.PutUint64(seg[48:], uint64(textEnd))
	le.PutUint32(seg[56:], 5)
	le.PutUint32(seg[60:], 5)
	le.PutUint32(seg[64:], uint32(len(secs)))
	for i, s := range secs {
		h := seg[72+80*i:]
		copy(h, name16(s.name))
		copy(h[16:], name16("__TEXT"))
		le.PutUint64(h[32:], 0x100000000+uint64(offs[i]))
		le.PutUint64(h[40:], uint64(len(s.data)))
		le.PutUint32(h[48:], uint32(offs[i]))
		if i > 0 {
			le.PutUint32(h[64:], sectionCStrings)
		}
	}
	cmds = append(cmds, seg)
	symtab := make([]byte, 24)
	le.PutUint32(symtab, lcSymtab)
	le.PutUint32(symtab[4:], 24)
	le.PutUint32(symtab[8:], uint32(symoff))
	le.PutUint32(symtab[12:], uint32(len(m.Defined)+len(m.Imports)))
	le.PutUint32(symtab[16:], uint32(stroff))
	le.PutUint32(symtab[20:], uint32(len(pad(strtab, 8))))
	cmds = append(cmds, symtab)
	bv := make([]byte, 24)
	le.PutUint32(bv, lcBuildVersion)
	le.PutUint32(bv[4:], 24)
	le.PutUint32(bv[8:], platformIOS)
	le.PutUint32(bv[12:], m.MinOS)
	le.PutUint32(bv[16:], m.SDK)
	cmds = append(cmds, bv)
	uuid := make([]byte, 24)
	le.PutUint32(uuid, lcUUID)
	le.PutUint32(uuid[4:], 24)
	copy(uuid[8:], m.UUID[:])
	cmds = append(cmds, uuid)
	cmds = append(cmds, dylibCmds...)
	if m.CryptID >= 0 {
		enc := make([]byte, 24)
		le.PutUint32(enc, lcEncryption64)
		le.PutUint32(enc[4:], 24)
		if m.EncryptedText {
			le.PutUint32(enc[8:], uint32(dataStart))
			le.PutUint32(enc[12:], uint32(textEnd-dataStart))
		} else {
			le.PutUint32(enc[8:], uint32(offs[0]))
			le.PutUint32(enc[12:], 8)
		}
		le.PutUint32(enc[16:], uint32(m.CryptID))
		cmds = append(cmds, enc)
	}
	if m.Identifier != "" {
		cs := make([]byte, 16)
		le.PutUint32(cs, lcCodeSignature)
		le.PutUint32(cs[4:], 16)
		le.PutUint32(cs[8:], uint32(sigoff))
		le.PutUint32(cs[12:], uint32(sigsize))
		cmds = append(cmds, cs)
	}
	out := make([]byte, 32)
	le.PutUint32(out, mhMagic64)
	le.PutUint32(out[4:], cpuArm64)
	le.PutUint32(out[8:], 0)
	le.PutUint32(out[12:], mhExecute)
	le.PutUint32(out[16:], uint32(len(cmds)))
	le.PutUint32(out[20:], uint32(cmdBytes))
	le.PutUint32(out[24:], 0x00200085) // NOUNDEFS | DYLDLINK | TWOLEVEL | PIE
	for _, c := range cmds {
		out = append(out, c...)
	}
	for len(out) < dataStart {
		out = append(out, 0)
	}
	return append(out, data...)
}

// signature builds a super-blob: a code directory (version 0x20400, with
// identifier and team ID, no hashes), the entitlements blob, and an empty
// CMS wrapper... unless a team is given, when the wrapper holds one byte
// so that the signature reads as not ad hoc.
func (m MachO) signature() []byte {
	be := binary.BigEndian
	ident := append([]byte(m.Identifier), 0)
	team := append([]byte(m.TeamID), 0)
	cd := make([]byte, 88)
	be.PutUint32(cd, 0xfade0c02)
	be.PutUint32(cd[8:], 0x20400)
	be.PutUint32(cd[20:], uint32(len(cd)))            // identOffset
	be.PutUint32(cd[48:], uint32(len(cd)+len(ident))) // teamOffset
	cd = append(cd, ident...)
	cd = append(cd, team...)
	be.PutUint32(cd[16:], uint32(len(cd))) // hashOffset: no hashes
	be.PutUint32(cd[4:], uint32(len(cd)))
	blobs := [][2]any{{uint32(0), cd}}
	if m.Entitlements != nil {
		e := make([]byte, 8)
		be.PutUint32(e, 0xfade7171)
		be.PutUint32(e[4:], uint32(8+len(m.Entitlements)))
		blobs = append(blobs, [2]any{uint32(5), append(e, m.Entitlements...)})
	}
	w := make([]byte, 8)
	be.PutUint32(w, 0xfade0b01)
	if m.TeamID != "" {
		w = append(w, 0x30) // a stand-in for the CMS blob: not verified by the reader
	}
	be.PutUint32(w[4:], uint32(len(w)))
	blobs = append(blobs, [2]any{uint32(0x10000), w})
	hdr := 12 + 8*len(blobs)
	sb := make([]byte, hdr)
	be.PutUint32(sb, 0xfade0cc0)
	be.PutUint32(sb[8:], uint32(len(blobs)))
	for i, b := range blobs {
		be.PutUint32(sb[12+8*i:], b[0].(uint32))
		be.PutUint32(sb[16+8*i:], uint32(len(sb)))
		sb = append(sb, b[1].([]byte)...)
	}
	be.PutUint32(sb[4:], uint32(len(sb)))
	return sb
}

// Fat wraps thin slices in a fat (universal) file, each aligned to 2^14.
func Fat(slices ...[]byte) []byte {
	be := binary.BigEndian
	const align = 1 << 14
	out := make([]byte, 8+20*len(slices))
	be.PutUint32(out, 0xcafebabe)
	be.PutUint32(out[4:], uint32(len(slices)))
	for i, s := range slices {
		for len(out)%align != 0 {
			out = append(out, 0)
		}
		h := out[8+20*i:]
		be.PutUint32(h, cpuArm64)
		be.PutUint32(h[8:], uint32(len(out)))
		be.PutUint32(h[12:], uint32(len(s)))
		be.PutUint32(h[16:], 14)
		out = append(out, s...)
	}
	return out
}

// Version packs "14.2.1" as Mach-O's xxxx.yy.zz.
func Version(s string) uint32 {
	var parts [3]uint32
	for i, p := range strings.SplitN(s, ".", 3) {
		var n uint32
		for _, c := range p {
			n = n*10 + uint32(c-'0')
		}
		parts[i] = n
	}
	return parts[0]<<16 | parts[1]<<8 | parts[2]
}
