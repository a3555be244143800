package dex

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// ErrWorkLimit is wrapped by the error Walk returns when a file makes it do
// far more work than its size justifies.
var ErrWorkLimit = errors.New("work limit exceeded (shared class data or code?)")

// RefKind says which table a Ref's Index points into.
type RefKind uint8

// Reference kinds.
const (
	RefMethod       RefKind = iota + 1 // method_ids
	RefCallSite                        // call_site_ids
	RefString                          // string_ids
	RefField                           // field_ids
	RefType                            // type_ids
	RefMethodHandle                    // method_handles
	RefProto                           // proto_ids
)

func (k RefKind) String() string {
	switch k {
	case RefMethod:
		return "method"
	case RefCallSite:
		return "call_site"
	case RefString:
		return "string"
	case RefField:
		return "field"
	case RefType:
		return "type"
	case RefMethodHandle:
		return "method_handle"
	case RefProto:
		return "proto"
	}
	return "RefKind(" + strconv.Itoa(int(k)) + ")"
}

// Ref is one reference from an instruction to a constant-pool entry.
type Ref struct {
	Index uint32  // into the table named by Kind; always in range
	PC    uint32  // code-unit offset of the instruction within its method
	Op    uint8   // opcode
	Kind  RefKind // table Index points into
}

// Method is what Walk reports for one method with code.
type Method struct {
	ClassDef    int    // index of the class definition
	Class       uint32 // type index of the defining class
	MethodIdx   uint32 // index into method_ids
	AccessFlags uint32
	CodeOffset  int64 // of the code_item
	Code        CodeItem

	Invokes      []Ref // invoke-* (method, or call site for invoke-custom)
	Strings      []Ref // const-string, const-string/jumbo
	StaticGets   []Ref // sget*
	StaticPuts   []Ref // sput*
	InstanceGets []Ref // iget*
	InstancePuts []Ref // iput*
	Types        []Ref // const-class, check-cast, instance-of, new-instance, new-array, filled-new-array
	Constants    []Ref // const-method-handle (method handle), const-method-type (proto)

	// Err is set when the bytecode could not be read to its end (an unused
	// opcode, a truncated instruction or payload); the references found
	// before the problem are still reported.
	Err error
}

func (m *Method) reset() {
	m.Invokes = m.Invokes[:0]
	m.Strings = m.Strings[:0]
	m.StaticGets = m.StaticGets[:0]
	m.StaticPuts = m.StaticPuts[:0]
	m.InstanceGets = m.InstanceGets[:0]
	m.InstancePuts = m.InstancePuts[:0]
	m.Types = m.Types[:0]
	m.Constants = m.Constants[:0]
	m.Err = nil
}

// Walk calls fn for every method that has code, in class-definition order
// and, within a class, in class_data order (direct methods, then virtual).
//
// The *Method and its slices are reused between calls: fn must copy what it
// keeps. A broken class_data_item or code_item (which ART's dex file
// verifier refuses the whole file for) is recorded in WalkWarnings and the
// walk goes on with the next class or method; a method whose bytecode is
// broken part-way (which ART's method verifier rejects the class for) is
// still reported, with Method.Err set and a warning wrapping
// ErrClassRejected. Walk stops and returns the error if fn returns one or
// ctx is cancelled.
//
// Walk may run concurrently with other methods and Walks on the same File.
//
// Methods may share a code item: each shared one is decoded once, charged
// to the work bound once, and its references reported for every method
// (ErrSharedCode notes it). Class definitions may share class data, so a
// hostile file could still make the walk quadratic in its size. Each of the
// file's Ranges therefore has a share of a work bound of eight times as
// many code units and class-data entries as the file has bytes: a range
// that spends its share is cut there, with a warning, and Walk goes on with
// the next range and returns the first such error (wrapping ErrWorkLimit)
// at the end. Walk is WalkRange over every range in turn, so a serial walk
// and a parallel one see the same methods and record the same warnings.
func (f *File) Walk(ctx context.Context, fn func(m *Method) error) error {
	var first error
	for _, r := range f.Ranges() {
		err := f.WalkRange(ctx, r, fn)
		switch {
		case err == nil:
		case errors.Is(err, ErrWorkLimit):
			if first == nil {
				first = err
			}
		default:
			return err
		}
	}
	return first
}

// Range is a run of consecutive class definitions, [Lo, Hi).
type Range struct{ Lo, Hi int }

// rangeBytes is about how much of a file one Range covers, and maxRanges
// the most ranges a file is split into: a large DEX file (often three
// quarters of an app's code) can then be walked on every core.
const (
	rangeBytes = 2 << 20
	maxRanges  = 8
)

// Ranges splits the class definitions into consecutive ranges of equal
// counts, one per rangeBytes of the file (at most maxRanges). The split
// depends on the file alone, never on the machine, so that what a walk
// finds, and where a hostile file's walk is cut, is the same everywhere.
func (f *File) Ranges() []Range {
	n, k := int(f.Header.ClassDefsSize), f.rangeCount()
	out := make([]Range, k)
	for i := range out {
		out[i] = Range{Lo: n * i / k, Hi: n * (i + 1) / k}
	}
	return out
}

// rangeCount is the number of Ranges.
func (f *File) rangeCount() int {
	return min(maxRanges, max(1, len(f.data)/rangeBytes), max(1, int(f.Header.ClassDefsSize)))
}

// WalkRange is Walk over the class definitions of r, one of Ranges. It
// returns an error wrapping ErrWorkLimit when the range spends its share of
// the work bound.
func (f *File) WalkRange(ctx context.Context, r Range, fn func(m *Method) error) error {
	h := &f.Header
	w := walker{f: f, fn: fn, budget: 8*int64(len(f.data))/int64(f.rangeCount()) + 4096, shared: f.sharedCode()}
	w.limit = w.budget
	lo, hi := max(0, r.Lo), min(r.Hi, int(h.ClassDefsSize))
	for ci := lo; ci < hi; ci++ {
		if (ci-lo)&63 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cdOff := int64(h.ClassDefsOff) + int64(ci)*classDefSize
		classIdx := le.Uint32(f.data[cdOff:])
		dataOff := le.Uint32(f.data[cdOff+24:])
		if dataOff == 0 {
			continue
		}
		var cr classDataReader
		if err := cr.init(f, dataOff); err != nil {
			w.warn(&FormatError{Offset: cdOff, Msg: "class_def " + strconv.Itoa(ci), Err: err, AndroidRejects: true})
			w.flush(ci)
			continue
		}
		err := w.class(&cr, ci, classIdx, cdOff)
		if err == nil || errors.Is(err, ErrWorkLimit) {
			// A class walked to its end (or to the range's bound, the same
			// place in every walk) has the same warnings in every walk:
			// the first to get there records them.
			w.flush(ci)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// walker is the state of one Walk.
type walker struct {
	f      *File
	fn     func(*Method) error
	m      Method
	budget int64
	limit  int64   // the range's share of the work bound
	warns  []error // the current class's warnings (see classWarnings)
	// dropped counts the current class's warnings over MaxWarnings.
	dropped int
	quiet   bool               // records no warnings (File.Refs)
	shared  []uint64           // see sharedCode
	cache   map[uint32]*Method // decoded shared code items
}

// sharedCode finds, once per file, the code items several methods point
// at, by a pass over every class_data_item within the same work bound as
// the walk. It returns a bitmap over code offsets divided by 4 (code items
// are 4-byte aligned; an unaligned hostile one at worst shares a bit, which
// only makes the walk remember its references); its memory is a
// thirty-second of the file's size.
func (f *File) sharedCode() []uint64 {
	f.shareOnce.Do(func() {
		h := &f.Header
		budget := 8*int64(len(f.data)) + 4096
		words := (len(f.data)/4 + 64) / 64
		var seen []uint64
		methods, items := 0, 0
		mark := func(code uint32) {
			if seen == nil {
				seen, f.shared = make([]uint64, words), make([]uint64, words)
			}
			k := code / 4
			w, bit := k/64, uint64(1)<<(k%64)
			switch {
			case seen[w]&bit == 0:
				seen[w] |= bit
			case f.shared[w]&bit == 0:
				f.shared[w] |= bit
				items++
				methods += 2
			default:
				methods++
			}
		}
	classes:
		for ci := 0; ci < int(h.ClassDefsSize); ci++ {
			dataOff := le.Uint32(f.data[int64(h.ClassDefsOff)+int64(ci)*classDefSize+24:])
			var r classDataReader
			if dataOff == 0 || r.init(f, dataOff) != nil {
				continue
			}
			for list := 0; list < 4; list++ {
				r.startList()
				for range r.counts[list] {
					if budget--; budget < 0 {
						break classes
					}
					if list < 2 {
						if _, _, err := r.field(); err != nil {
							continue classes
						}
						continue
					}
					_, _, code, err := r.method()
					if err != nil {
						continue classes
					}
					if code != 0 && uint64(code) < uint64(len(f.data)) {
						mark(code)
					}
				}
			}
		}
		if items > 0 {
			f.warn(&FormatError{Offset: int64(h.ClassDefsOff), Msg: fmt.Sprintf("%d code items are shared by %d methods", items, methods), Err: ErrSharedCode})
		} else {
			f.shared = nil
		}
	})
	return f.shared
}

// flush records the current class's warnings (see File.WalkWarnings).
func (w *walker) flush(ci int) {
	w.f.classWarnings(ci, w.warns, w.dropped)
	w.warns, w.dropped = w.warns[:0], 0
}

// warn records a problem of the current class; warnf formats it only if it
// will be kept.
func (w *walker) warn(err error) {
	if w.room() {
		w.warns = append(w.warns, err)
	}
}

func (w *walker) warnf(off int64, format string, args ...any) {
	if w.room() {
		w.warns = append(w.warns, errorf(off, format, args...))
	}
}

// room reports whether one more warning of the current class is kept,
// counting it as dropped when it is not.
func (w *walker) room() bool {
	switch {
	case w.quiet:
		return false
	case len(w.warns) < w.f.lim.MaxWarnings:
		return true
	}
	w.dropped++
	return false
}

// isShared reports whether the code item at off is shared.
func (w *walker) isShared(off uint32) bool {
	k := off / 4
	return w.shared != nil && int(k/64) < len(w.shared) && w.shared[k/64]&(1<<(k%64)) != 0
}

// class walks the methods of one class_data_item. It returns fn's error or
// the work-limit error; format problems are only recorded as warnings.
func (w *walker) class(r *classDataReader, ci int, classIdx uint32, cdOff int64) error {
	f, m := w.f, &w.m
	overBudget := func() error {
		err := &FormatError{Offset: cdOff, Msg: "walk stopped in class_def " + strconv.Itoa(ci), Err: &LimitError{Limit: "work", Value: w.limit, Err: ErrWorkLimit}}
		w.warn(err)
		return err
	}
	structural := func(off int64, msg string, err error) {
		w.warn(&FormatError{Offset: off, Msg: msg, Err: err, AndroidRejects: true})
	}
	for list := 0; list < 2; list++ {
		r.startList()
		for range r.counts[list] {
			if w.budget--; w.budget < 0 {
				return overBudget()
			}
			if _, _, err := r.field(); err != nil {
				structural(cdOff, "class_def "+strconv.Itoa(ci), err)
				return nil
			}
		}
	}
	for list := 2; list < 4; list++ {
		r.startList()
		for range r.counts[list] {
			if w.budget--; w.budget < 0 {
				return overBudget()
			}
			idx, acc, code, err := r.method()
			if err != nil {
				structural(cdOff, "class_def "+strconv.Itoa(ci), err)
				return nil
			}
			if code == 0 {
				continue
			}
			if c := w.cache[code]; c != nil {
				// Copying the references is the only work left.
				if w.budget -= int64(c.refs()); w.budget < 0 {
					return overBudget()
				}
				m.copyRefs(c)
			} else {
				m.reset()
				start, end, err := f.codeBounds(code, &m.Code)
				if err != nil {
					structural(int64(code), "method "+strconv.FormatUint(uint64(idx), 10), err)
					continue
				}
				if w.budget -= int64(m.Code.InsnsSize); w.budget < 0 {
					return overBudget()
				}
				m.Code.Insns = f.data[start:end:end]
				if err := w.scan(m, start); err != nil {
					m.Err = err
					w.rejectClass(ci, classIdx, idx, err)
				}
				if w.isShared(code) {
					if w.cache == nil {
						w.cache = map[uint32]*Method{}
					}
					c := &Method{}
					c.copyRefs(m)
					w.cache[code] = c
				}
			}
			m.ClassDef, m.Class, m.MethodIdx, m.AccessFlags = ci, classIdx, idx, acc
			m.CodeOffset = int64(code)
			if err := w.fn(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// rejectClass records a method whose bytecode ART's verifier hard-fails.
func (w *walker) rejectClass(ci int, classIdx, method uint32, err error) {
	f := w.f
	off := int64(0)
	var fe *FormatError
	if errors.As(err, &fe) {
		off = fe.Offset
	}
	class, _ := f.TypeName(classIdx)
	name := strconv.FormatUint(uint64(method), 10)
	if mr, e := f.Method(method); e == nil {
		name = mr.Name + mr.Proto
	}
	w.warn(&FormatError{Offset: off, Msg: fmt.Sprintf("class_def %d %s method %s: %v", ci, class, name, err), Err: ErrClassRejected})
}

// refs counts the references of m.
func (m *Method) refs() int {
	return len(m.Invokes) + len(m.Strings) + len(m.StaticGets) + len(m.StaticPuts) +
		len(m.InstanceGets) + len(m.InstancePuts) + len(m.Types) + len(m.Constants)
}

// copyRefs makes m hold the code and references of c.
func (m *Method) copyRefs(c *Method) {
	m.Code = c.Code
	m.Invokes = append(m.Invokes[:0], c.Invokes...)
	m.Strings = append(m.Strings[:0], c.Strings...)
	m.StaticGets = append(m.StaticGets[:0], c.StaticGets...)
	m.StaticPuts = append(m.StaticPuts[:0], c.StaticPuts...)
	m.InstanceGets = append(m.InstanceGets[:0], c.InstanceGets...)
	m.InstancePuts = append(m.InstancePuts[:0], c.InstancePuts...)
	m.Types = append(m.Types[:0], c.Types...)
	m.Constants = append(m.Constants[:0], c.Constants...)
	m.Err = c.Err
}

// scan decodes the instructions of m.Code.Insns, which begin at byte offset
// base of the file, appending the references it finds to m.
func (w *walker) scan(m *Method, base int) error {
	f := w.f
	insns := m.Code.Insns
	n := uint32(len(insns) / 2)
	h := &f.Header
	var pc uint32
	for pc < n {
		u := le.Uint16(insns[2*pc:])
		op := uint8(u)
		info := opInfo[op]
		size := uint32(info & 7)
		if pc+size > n {
			return errorf(int64(base)+2*int64(pc), "%s at pc 0x%x runs past end of code (%d units)", opNames[op], pc, n)
		}
		kind := info >> 3
		if kind == kindPlain {
			pc += size
			continue
		}
		var (
			idx   uint32
			limit uint32
			rk    RefKind
			dst   *[]Ref
		)
		switch kind {
		case kindNop:
			if u == 0 {
				pc++
				continue
			}
			psize, problem := payloadSize(insns, pc, n, u)
			if problem != "" {
				return errorf(int64(base)+2*int64(pc), "%s at pc 0x%x", problem, pc)
			}
			pc += psize
			continue
		case kindUnused:
			return errorf(int64(base)+2*int64(pc), "unused opcode 0x%02x at pc 0x%x", op, pc)
		case kindInvoke, kindInvokePoly:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.MethodIDsSize, RefMethod, &m.Invokes
			if kind == kindInvokePoly {
				if p := uint32(le.Uint16(insns[2*pc+6:])); p >= h.ProtoIDsSize {
					w.warnf(int64(base)+2*int64(pc), "%s at pc 0x%x: proto index %d out of range", opNames[op], pc, p)
				}
			}
		case kindInvokeCustom:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), f.callSiteIDsSize, RefCallSite, &m.Invokes
		case kindString:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.StringIDsSize, RefString, &m.Strings
		case kindStringJumbo:
			idx, limit, rk, dst = le.Uint32(insns[2*pc+2:]), h.StringIDsSize, RefString, &m.Strings
		case kindType:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.TypeIDsSize, RefType, &m.Types
		case kindSget:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.FieldIDsSize, RefField, &m.StaticGets
		case kindSput:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.FieldIDsSize, RefField, &m.StaticPuts
		case kindIget:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.FieldIDsSize, RefField, &m.InstanceGets
		case kindIput:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.FieldIDsSize, RefField, &m.InstancePuts
		case kindMethodHandle:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), f.methodHandlesSize, RefMethodHandle, &m.Constants
		case kindMethodType:
			idx, limit, rk, dst = uint32(le.Uint16(insns[2*pc+2:])), h.ProtoIDsSize, RefProto, &m.Constants
		}
		if idx < limit {
			*dst = append(*dst, Ref{Index: idx, PC: pc, Op: op, Kind: rk})
		} else {
			w.warnf(int64(base)+2*int64(pc), "%s at pc 0x%x: %s index %d out of range (%d)", opNames[op], pc, rk, idx, limit)
		}
		pc += size
	}
	return nil
}

// payloadSize returns the size in code units of the pseudo-instruction whose
// first unit u is at pc, or 1 for a plain nop with a non-zero high byte.
func payloadSize(insns []byte, pc, n uint32, u uint16) (size uint32, problem string) {
	var hdr uint32
	switch u {
	case packedSwitchPayload, fillArrayDataPayload:
		hdr = 4
	case sparseSwitchPayload:
		hdr = 2
	default:
		return 1, ""
	}
	if pc+hdr > n {
		return 0, "payload header runs past end of code"
	}
	var total uint64
	switch u {
	case packedSwitchPayload:
		total = 4 + 2*uint64(le.Uint16(insns[2*pc+2:]))
	case sparseSwitchPayload:
		total = 2 + 4*uint64(le.Uint16(insns[2*pc+2:]))
	case fillArrayDataPayload:
		width := uint64(le.Uint16(insns[2*pc+2:]))
		count := uint64(le.Uint32(insns[2*pc+4:]))
		total = 4 + (width*count+1)/2
	}
	if uint64(pc)+total > uint64(n) {
		return 0, "payload runs past end of code"
	}
	return uint32(total), ""
}

// Refs returns the references of the code item at off, as a walk reports
// them for a method with that code (Method.Err set when the bytecode is
// broken part-way); the problems a walk would record are left to the walk.
func (f *File) Refs(off uint32) (*Method, error) {
	m := &Method{CodeOffset: int64(off)}
	start, end, err := f.codeBounds(off, &m.Code)
	if err != nil {
		return nil, err
	}
	m.Code.Insns = f.data[start:end:end]
	w := walker{f: f, quiet: true}
	m.Err = w.scan(m, start)
	return m, nil
}
