package dex

import (
	"strconv"
)

// Format is a Dalvik instruction format, named as in the bytecode
// specification ("Instruction formats"): the first digit is the size in
// code units, the second the number of registers, the letter the kind of
// extra data.
type Format uint8

// Instruction formats.
const (
	Fmt10x  Format = iota + 1 // op
	Fmt12x                    // op vA, vB
	Fmt11n                    // op vA, #+B
	Fmt11x                    // op vAA
	Fmt10t                    // op +AA
	Fmt20t                    // op +AAAA
	Fmt22x                    // op vAA, vBBBB
	Fmt21t                    // op vAA, +BBBB
	Fmt21s                    // op vAA, #+BBBB
	Fmt21h                    // op vAA, #+BBBB0000[00000000]
	Fmt21c                    // op vAA, kind@BBBB
	Fmt23x                    // op vAA, vBB, vCC
	Fmt22b                    // op vAA, vBB, #+CC
	Fmt22t                    // op vA, vB, +CCCC
	Fmt22s                    // op vA, vB, #+CCCC
	Fmt22c                    // op vA, vB, kind@CCCC
	Fmt30t                    // op +AAAAAAAA
	Fmt32x                    // op vAAAA, vBBBB
	Fmt31i                    // op vAA, #+BBBBBBBB
	Fmt31t                    // op vAA, +BBBBBBBB (payload)
	Fmt31c                    // op vAA, string@BBBBBBBB
	Fmt35c                    // op {vC, vD, vE, vF, vG}, kind@BBBB
	Fmt3rc                    // op {vCCCC .. vNNNN}, kind@BBBB
	Fmt45cc                   // op {vC, vD, vE, vF, vG}, meth@BBBB, proto@HHHH
	Fmt4rcc                   // op {vCCCC .. vNNNN}, meth@BBBB, proto@HHHH
	Fmt51l                    // op vAA, #+BBBBBBBBBBBBBBBB
	// FmtPayload is a packed-switch, sparse-switch or fill-array-data
	// payload (a pseudo-instruction with opcode nop).
	FmtPayload
)

var formatNames = [...]string{
	Fmt10x: "10x", Fmt12x: "12x", Fmt11n: "11n", Fmt11x: "11x", Fmt10t: "10t", Fmt20t: "20t",
	Fmt22x: "22x", Fmt21t: "21t", Fmt21s: "21s", Fmt21h: "21h", Fmt21c: "21c", Fmt23x: "23x",
	Fmt22b: "22b", Fmt22t: "22t", Fmt22s: "22s", Fmt22c: "22c", Fmt30t: "30t", Fmt32x: "32x",
	Fmt31i: "31i", Fmt31t: "31t", Fmt31c: "31c", Fmt35c: "35c", Fmt3rc: "3rc", Fmt45cc: "45cc",
	Fmt4rcc: "4rcc", Fmt51l: "51l", FmtPayload: "payload",
}

func (f Format) String() string {
	if int(f) < len(formatNames) && formatNames[f] != "" {
		return formatNames[f]
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Size is the format's size in code units (payloads excepted).
func (f Format) Size() int {
	switch f {
	case Fmt10x, Fmt12x, Fmt11n, Fmt11x, Fmt10t:
		return 1
	case Fmt20t, Fmt22x, Fmt21t, Fmt21s, Fmt21h, Fmt21c, Fmt23x, Fmt22b, Fmt22t, Fmt22s, Fmt22c:
		return 2
	case Fmt30t, Fmt32x, Fmt31i, Fmt31t, Fmt31c, Fmt35c, Fmt3rc:
		return 3
	case Fmt45cc, Fmt4rcc:
		return 4
	case Fmt51l:
		return 5
	}
	return 0
}

// OpFormat returns the format of an opcode (Fmt10x for unused opcodes,
// which the verifier rejects).
func OpFormat(op uint8) Format { return opFormats[op] }

var opFormats = func() [256]Format {
	var t [256]Format
	set := func(from, to int, f Format) {
		for i := from; i <= to; i++ {
			t[i] = f
		}
	}
	set(0x00, 0xff, Fmt10x)
	set(0x01, 0x01, Fmt12x)
	set(0x02, 0x02, Fmt22x)
	set(0x03, 0x03, Fmt32x)
	set(0x04, 0x04, Fmt12x)
	set(0x05, 0x05, Fmt22x)
	set(0x06, 0x06, Fmt32x)
	set(0x07, 0x07, Fmt12x)
	set(0x08, 0x08, Fmt22x)
	set(0x09, 0x09, Fmt32x)
	set(0x0a, 0x0d, Fmt11x)
	set(0x0f, 0x11, Fmt11x)
	set(0x12, 0x12, Fmt11n)
	set(0x13, 0x13, Fmt21s)
	set(0x14, 0x14, Fmt31i)
	set(0x15, 0x15, Fmt21h)
	set(0x16, 0x16, Fmt21s)
	set(0x17, 0x17, Fmt31i)
	set(0x18, 0x18, Fmt51l)
	set(0x19, 0x19, Fmt21h)
	set(0x1a, 0x1a, Fmt21c)
	set(0x1b, 0x1b, Fmt31c)
	set(0x1c, 0x1c, Fmt21c)
	set(0x1d, 0x1e, Fmt11x)
	set(0x1f, 0x1f, Fmt21c)
	set(0x20, 0x20, Fmt22c)
	set(0x21, 0x21, Fmt12x)
	set(0x22, 0x22, Fmt21c)
	set(0x23, 0x23, Fmt22c)
	set(0x24, 0x24, Fmt35c)
	set(0x25, 0x25, Fmt3rc)
	set(0x26, 0x26, Fmt31t)
	set(0x27, 0x27, Fmt11x)
	set(0x28, 0x28, Fmt10t)
	set(0x29, 0x29, Fmt20t)
	set(0x2a, 0x2a, Fmt30t)
	set(0x2b, 0x2c, Fmt31t)
	set(0x2d, 0x31, Fmt23x)
	set(0x32, 0x37, Fmt22t)
	set(0x38, 0x3d, Fmt21t)
	set(0x44, 0x51, Fmt23x)
	set(0x52, 0x5f, Fmt22c)
	set(0x60, 0x6d, Fmt21c)
	set(0x6e, 0x72, Fmt35c)
	set(0x74, 0x78, Fmt3rc)
	set(0x7b, 0x8f, Fmt12x)
	set(0x90, 0xaf, Fmt23x)
	set(0xb0, 0xcf, Fmt12x)
	set(0xd0, 0xd7, Fmt22s)
	set(0xd8, 0xe2, Fmt22b)
	set(0xfa, 0xfa, Fmt45cc)
	set(0xfb, 0xfb, Fmt4rcc)
	set(0xfc, 0xfc, Fmt35c)
	set(0xfd, 0xfd, Fmt3rc)
	set(0xfe, 0xff, Fmt21c)
	return t
}()

// Insn is one decoded instruction with its operands. Register operands are
// named as in the format table: A, B and C (vA, vB, vC); an invoke or
// filled-new-array lists its argument registers in Args (35c, 45cc) or as
// a range from First (3rc, 4rcc), and NArgs counts them in both cases.
type Insn struct {
	PC     uint32 // code-unit offset within the method
	Op     uint8
	Format Format
	Size   uint32 // in code units, payload included

	A, B, C uint32 // registers (or, in 11n/21s/22b/22s…, B or C is the literal's raw bits)

	NArgs uint8
	Args  [5]uint16 // 35c, 45cc
	First uint32    // 3rc, 4rcc: vCCCC

	// Literal is the value of a const or /lit instruction, sign-extended
	// (const/high16 and const-wide/high16 shifted into place).
	Literal int64
	// Index is the constant-pool index of 21c, 22c, 31c, 35c, 3rc, 45cc
	// and 4rcc instructions (the table depends on the opcode: see RefKind
	// of Walk); Proto is the proto index of 45cc and 4rcc.
	Index, Proto uint32
	// Branch is the signed offset in code units of a goto, if-*, switch
	// or fill-array-data from PC.
	Branch int32
	// Payload is, for FmtPayload, the payload's identifier: 0x0100
	// packed-switch, 0x0200 sparse-switch, 0x0300 fill-array-data.
	Payload uint16
}

// Arg returns the i-th argument register of an invoke or filled-new-array.
func (in *Insn) Arg(i int) uint32 {
	if in.Format == Fmt3rc || in.Format == Fmt4rcc {
		return in.First + uint32(i)
	}
	return uint32(in.Args[i])
}

// Name is the opcode's mnemonic as dexdump prints it.
func (in *Insn) Name() string { return opNames[in.Op] }

// Decode decodes the instruction at code-unit offset pc of insns (the
// little-endian code units of a code_item). A plain nop is Fmt10x; a nop
// whose high byte names a payload decodes as FmtPayload with its whole
// size. It fails when the instruction or payload runs past the end of
// insns, or the opcode is unused.
func Decode(insns []byte, pc uint32) (Insn, error) {
	n := uint32(len(insns) / 2)
	if pc >= n {
		return Insn{}, errorf(int64(2*pc), "pc 0x%x is past the end of code (%d units)", pc, n)
	}
	u := func(i uint32) uint32 { return uint32(le.Uint16(insns[2*(pc+i):])) }
	w0 := u(0)
	op := uint8(w0)
	in := Insn{PC: pc, Op: op, Format: opFormats[op]}
	if op == 0 && w0 != 0 {
		size, problem := payloadSize(insns, pc, n, uint16(w0))
		if problem != "" {
			return in, errorf(int64(2*pc), "%s at pc 0x%x", problem, pc)
		}
		if w0 == packedSwitchPayload || w0 == sparseSwitchPayload || w0 == fillArrayDataPayload {
			in.Format, in.Payload = FmtPayload, uint16(w0)
		}
		in.Size = size
		return in, nil
	}
	if opInfo[op]>>3 == kindUnused {
		return in, errorf(int64(2*pc), "unused opcode 0x%02x at pc 0x%x", op, pc)
	}
	in.Size = uint32(in.Format.Size())
	if pc+in.Size > n {
		return in, errorf(int64(2*pc), "%s at pc 0x%x runs past end of code (%d units)", opNames[op], pc, n)
	}
	aa := w0 >> 8
	a4, b4 := (w0>>8)&0xf, w0>>12
	switch in.Format {
	case Fmt10x:
	case Fmt12x:
		in.A, in.B = a4, b4
	case Fmt11n:
		in.A, in.B = a4, b4
		in.Literal = int64(int8(b4<<4) >> 4)
	case Fmt11x:
		in.A = aa
	case Fmt10t:
		in.Branch = int32(int8(aa))
	case Fmt20t:
		in.Branch = int32(int16(u(1)))
	case Fmt22x:
		in.A, in.B = aa, u(1)
	case Fmt21t:
		in.A, in.Branch = aa, int32(int16(u(1)))
	case Fmt21s:
		in.A, in.B = aa, u(1)
		in.Literal = int64(int16(u(1)))
	case Fmt21h:
		in.A, in.B = aa, u(1)
		if op == 0x15 { // const/high16
			in.Literal = int64(int32(u(1) << 16))
		} else { // const-wide/high16
			in.Literal = int64(uint64(u(1)) << 48)
		}
	case Fmt21c:
		in.A, in.Index = aa, u(1)
	case Fmt23x:
		in.A, in.B, in.C = aa, u(1)&0xff, u(1)>>8
	case Fmt22b:
		in.A, in.B, in.C = aa, u(1)&0xff, u(1)>>8
		in.Literal = int64(int8(u(1) >> 8))
	case Fmt22t:
		in.A, in.B, in.Branch = a4, b4, int32(int16(u(1)))
	case Fmt22s:
		in.A, in.B, in.C = a4, b4, u(1)
		in.Literal = int64(int16(u(1)))
	case Fmt22c:
		in.A, in.B, in.Index = a4, b4, u(1)
	case Fmt30t:
		in.Branch = int32(u(1) | u(2)<<16)
	case Fmt32x:
		in.A, in.B = u(1), u(2)
	case Fmt31i:
		in.A = aa
		in.Literal = int64(int32(u(1) | u(2)<<16))
	case Fmt31t:
		in.A, in.Branch = aa, int32(u(1)|u(2)<<16)
	case Fmt31c:
		in.A, in.Index = aa, u(1)|u(2)<<16
	case Fmt35c, Fmt45cc:
		in.NArgs = uint8(b4)
		in.Index = u(1)
		regs := u(2)
		in.Args = [5]uint16{uint16(regs & 0xf), uint16(regs >> 4 & 0xf), uint16(regs >> 8 & 0xf), uint16(regs >> 12), uint16(a4)}
		if in.NArgs > 5 {
			return in, errorf(int64(2*pc), "%s at pc 0x%x has %d argument registers (at most 5)", opNames[op], pc, in.NArgs)
		}
		if in.Format == Fmt45cc {
			in.Proto = u(3)
		}
	case Fmt3rc, Fmt4rcc:
		in.NArgs = uint8(aa)
		in.Index, in.First = u(1), u(2)
		if in.Format == Fmt4rcc {
			in.Proto = u(3)
		}
	case Fmt51l:
		in.A = aa
		in.Literal = int64(uint64(u(1)) | uint64(u(2))<<16 | uint64(u(3))<<32 | uint64(u(4))<<48)
	}
	return in, nil
}

// SwitchTargets returns the branch offsets (relative to the switch
// instruction at pc) of the packed-switch or sparse-switch payload that
// the switch at pc names, in payload order. It returns nil when the
// payload is out of range or is not a switch payload.
func SwitchTargets(insns []byte, sw Insn) []int32 {
	n := int64(len(insns) / 2)
	p := int64(sw.PC) + int64(sw.Branch)
	if p < 0 || p+2 > n {
		return nil
	}
	ident := le.Uint16(insns[2*p:])
	count := int64(le.Uint16(insns[2*p+2:]))
	var first, stride int64
	switch {
	case ident == packedSwitchPayload && sw.Op == 0x2b:
		first, stride = p+4, 2
	case ident == sparseSwitchPayload && sw.Op == 0x2c:
		first, stride = p+2+2*count, 2
	default:
		return nil
	}
	if first+stride*count > n {
		return nil
	}
	out := make([]int32, count)
	for i := range out {
		o := 2 * (first + stride*int64(i))
		out[i] = int32(le.Uint32(insns[o:]))
	}
	return out
}

// Branches reports whether an instruction can continue at the next
// instruction (falls through) and the relative offsets it may jump to
// (switch targets need SwitchTargets).
func (in *Insn) Branches() (fallsThrough bool, target bool) {
	switch {
	case in.Op == 0x0e || (in.Op >= 0x0f && in.Op <= 0x11) || in.Op == 0x27: // return*, throw
		return false, false
	case in.Op >= 0x28 && in.Op <= 0x2a: // goto
		return false, true
	case in.Op >= 0x32 && in.Op <= 0x3d: // if-*
		return true, true
	}
	return true, false
}

// Try is one try_item with its handlers.
type Try struct {
	Start, End uint32 // code-unit range [Start, End)
	// Handlers are the handler addresses (code units), typed ones first,
	// then the catch-all if any.
	Handlers []uint32
	// Types are the type_ids indices of the typed handlers, in order.
	Types []uint32
	// CatchAll tells whether the last handler is a catch-all.
	CatchAll bool
}

// Tries decodes the try_items and the handlers of a code item read with
// Code or given by Walk. It returns what it read before a problem with
// the error.
func (f *File) Tries(c *CodeItem) ([]Try, error) {
	if c.TriesSize == 0 {
		return nil, nil
	}
	t := uint64(c.Offset) + codeItemHeader + 2*uint64(c.InsnsSize)
	if c.InsnsSize%2 == 1 {
		t += 2
	}
	list := t + 8*uint64(c.TriesSize)
	if list > uint64(len(f.data)) {
		return nil, errorf(c.Offset, "code_item tries (%d) run past end of file", c.TriesSize)
	}
	out := make([]Try, 0, c.TriesSize)
	for i := uint64(0); i < uint64(c.TriesSize); i++ {
		b := f.data[t+8*i:]
		start := le.Uint32(b)
		count := uint32(le.Uint16(b[4:]))
		hoff := uint64(le.Uint16(b[6:]))
		tr := Try{Start: start, End: start + count}
		if uint64(tr.End) < uint64(start) {
			return out, errorf(int64(t+8*i), "try_item %d range overflows", i)
		}
		p := int(list + hoff)
		if p >= len(f.data) {
			return out, errorf(int64(t+8*i), "try_item %d handler offset 0x%x past end of file", i, hoff)
		}
		size, next, ok := sleb128(f.data, p)
		if !ok {
			return out, errorf(int64(p), "try_item %d: bad handler size", i)
		}
		p = next
		typed := size
		if typed < 0 {
			typed = -typed
		}
		if int64(typed)*2 > int64(len(f.data)-p) {
			return out, errorf(int64(p), "try_item %d: %d handlers exceed the bytes that remain", i, typed)
		}
		for range typed {
			ty, n1, ok1 := uleb128(f.data, p)
			addr, n2, ok2 := uleb128(f.data, n1)
			if !ok1 || !ok2 {
				return out, errorf(int64(p), "try_item %d: bad handler", i)
			}
			p = n2
			tr.Types = append(tr.Types, ty)
			tr.Handlers = append(tr.Handlers, addr)
		}
		if size <= 0 {
			addr, _, ok := uleb128(f.data, p)
			if !ok {
				return out, errorf(int64(p), "try_item %d: bad catch-all handler", i)
			}
			tr.Handlers = append(tr.Handlers, addr)
			tr.CatchAll = true
		}
		out = append(out, tr)
	}
	return out, nil
}

// sleb128 decodes a signed LEB128 of at most five bytes.
func sleb128(b []byte, off int) (v int32, next int, ok bool) {
	var r uint32
	var shift uint
	for i := 0; i < 5; i++ {
		if off+i >= len(b) {
			return 0, off, false
		}
		c := b[off+i]
		r |= uint32(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 32 && c&0x40 != 0 {
				r |= ^uint32(0) << shift
			}
			return int32(r), off + i + 1, true
		}
	}
	return 0, off, false
}
