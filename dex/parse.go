package dex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"slices"
	"sync"
	"sync/atomic"
)

// File is a parsed dex file (or, for a version 041 container, one dex section
// of it). Its methods are safe for concurrent use.
type File struct {
	Header Header
	Map    []MapItem

	// Warnings lists problems that did not stop parsing, each usually a
	// *FormatError. What the walks find is in WalkWarnings.
	Warnings []error

	data []byte // the whole input; every offset is relative to its start
	lim  Limits

	callSiteIDsSize, callSiteIDsOff     uint32
	methodHandlesSize, methodHandlesOff uint32

	mu      sync.Mutex // guards Warnings, dropped and the walk's warnings once Parse has returned
	dropped int
	// walked marks the class definitions whose warnings are recorded in
	// walkWarns, which is kept to its first MaxWarnings in class order.
	walked      map[int]bool
	walkWarns   []classWarning
	walkDropped int
	leb         atomic.Bool // a non-canonical LEB128 value was reported

	shareOnce sync.Once
	shared    []uint64 // bitmap of code items several methods share (walk.go)

	refsOnce sync.Once // methods and protos resolved so far (ids.go)
	methods  []atomic.Pointer[MethodRef]
	protos   []atomic.Pointer[string]
}

var le = binary.LittleEndian

// ErrContainer is wrapped by the warning Parse records when a version 041
// container holds more than one dex section; ParseAll reads them all.
var ErrContainer = errors.New("container holds further dex sections")

// Sentinels wrapped by warnings that say what ART does with the file.
var (
	// ErrHeaderRejected: ART's loader or dex file verifier refuses the
	// header (version, checksum, sizes): the file is never loaded.
	ErrHeaderRejected = errors.New("ART rejects this DEX header")
	// ErrClassRejected: ART's method verifier hard-fails a method of the
	// class (an unused opcode, a truncated instruction or payload), so the
	// class throws VerifyError when loaded; the rest of the file runs.
	ErrClassRejected = errors.New("ART's verifier rejects the class")
	// ErrNonCanonicalLEB128: a LEB128 number whose fifth byte carries
	// more than 4 bits, which ART ignores (DecodeUnsignedLeb128); read as
	// ART reads it.
	ErrNonCanonicalLEB128 = errors.New("non-canonical LEB128 (read as ART reads it)")
	// ErrSharedCode: several methods share one code item; Walk decodes it
	// once and charges its work once.
	ErrSharedCode = errors.New("code items shared by several methods (each walked once)")
)

// headerReject records a header problem ART refuses the file for.
func (f *File) headerReject(off int64, format string, args ...any) {
	f.warn(&FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: ErrHeaderRejected, AndroidRejects: true})
}

// Parse reads the dex file in data. It decodes only the header and the map
// list and checks that every id section lies within data; everything else is
// decoded on demand. For a version 041 container Parse reads the first dex
// section and records a warning wrapping ErrContainer if there are more.
func Parse(data []byte, lim Limits) (*File, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxFileSize {
		return nil, limitErr(0, fmt.Sprintf("file of %d bytes", len(data)), "MaxFileSize", lim.MaxFileSize)
	}
	f, err := parseAt(data, 0, lim)
	if err != nil {
		return nil, err
	}
	if f.Header.Version >= 41 {
		if next := uint64(f.Header.FileSize); next < uint64(len(data)) && next < uint64(f.Header.ContainerSize) {
			f.warn(&FormatError{Offset: int64(next), Msg: "version 041 container", Err: ErrContainer})
		}
	}
	return f, nil
}

// ParseAll reads every dex section of data: one for versions up to 040, and
// for a version 041 container each section in turn. Offsets inside every
// section are relative to the start of data (the container).
func ParseAll(data []byte, lim Limits) ([]*File, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxFileSize {
		return nil, limitErr(0, fmt.Sprintf("file of %d bytes", len(data)), "MaxFileSize", lim.MaxFileSize)
	}
	first, err := parseAt(data, 0, lim)
	if err != nil {
		return nil, err
	}
	files := []*File{first}
	if first.Header.Version < 41 {
		return files, nil
	}
	end := min(uint64(first.Header.ContainerSize), uint64(len(data)))
	off := uint64(first.Header.FileSize)
	for off < end {
		if len(files) >= lim.MaxSections {
			return files, limitErr(int64(off), "dex sections", "MaxSections", int64(lim.MaxSections))
		}
		f, err := parseAt(data, int64(off), lim)
		if err != nil {
			return files, fmt.Errorf("dex section %d: %w", len(files), err)
		}
		if f.Header.FileSize == 0 {
			return files, errorf(int64(off), "dex section with file_size 0")
		}
		files = append(files, f)
		off += uint64(f.Header.FileSize)
	}
	return files, nil
}

// parseAt reads a header at off in data and validates what it points to.
func parseAt(data []byte, off int64, lim Limits) (*File, error) {
	f := &File{data: data, lim: lim}
	if int64(len(data))-off < headerSize {
		return nil, errorf(off, "file too short for a header (%d bytes)", int64(len(data))-off)
	}
	b := data[off:]
	h := &f.Header
	copy(h.Magic[:], b[:8])
	if string(b[:4]) != "dex\n" || b[7] != 0 || !isDigit(b[4]) || !isDigit(b[5]) || !isDigit(b[6]) {
		return nil, errorf(off, "bad magic %q", b[:8])
	}
	h.Version = int(b[4]-'0')*100 + int(b[5]-'0')*10 + int(b[6]-'0')
	if h.Version < 35 || h.Version > 41 {
		return nil, errorf(off+4, "unsupported dex version %03d", h.Version)
	}
	if h.Version == 36 {
		f.headerReject(off+4, "dex version 036 was never released; Android rejects it")
	}
	h.Checksum = le.Uint32(b[8:])
	copy(h.Signature[:], b[12:32])
	fields := []*uint32{
		&h.FileSize, &h.HeaderSize, &h.EndianTag, &h.LinkSize, &h.LinkOff, &h.MapOff,
		&h.StringIDsSize, &h.StringIDsOff, &h.TypeIDsSize, &h.TypeIDsOff,
		&h.ProtoIDsSize, &h.ProtoIDsOff, &h.FieldIDsSize, &h.FieldIDsOff,
		&h.MethodIDsSize, &h.MethodIDsOff, &h.ClassDefsSize, &h.ClassDefsOff,
		&h.DataSize, &h.DataOff,
	}
	for i, p := range fields {
		*p = le.Uint32(b[32+4*i:])
	}
	switch h.EndianTag {
	case endianConstant:
	case reverseEndian:
		return nil, errorf(off+0x28, "big-endian dex files are not supported")
	default:
		return nil, errorf(off+0x28, "bad endian tag 0x%08x", h.EndianTag)
	}
	minHeader := uint32(headerSize)
	if h.Version >= 41 {
		minHeader = headerSizeV41
	}
	if h.HeaderSize < minHeader {
		return nil, errorf(off+0x24, "header_size 0x%x smaller than 0x%x", h.HeaderSize, minHeader)
	}
	if int64(h.HeaderSize) > int64(len(b)) {
		return nil, errorf(off+0x24, "header_size 0x%x beyond end of file", h.HeaderSize)
	}
	if h.HeaderSize != minHeader {
		// DexFileVerifier::CheckHeader: "Bad header size".
		f.headerReject(off+0x24, "header_size 0x%x is not 0x%x", h.HeaderSize, minHeader)
	}
	if h.Version >= 41 {
		h.ContainerSize = le.Uint32(b[0x70:])
		h.HeaderOffset = le.Uint32(b[0x74:])
		if int64(h.HeaderOffset) != off {
			f.headerReject(off+0x74, "header_offset 0x%x differs from the header's position", h.HeaderOffset)
		}
		if int64(h.ContainerSize) != int64(len(data)) {
			f.headerReject(off+0x70, "container_size %d differs from data size %d", h.ContainerSize, len(data))
		}
		if uint64(off)+uint64(h.FileSize) > uint64(len(data)) {
			f.headerReject(off+0x20, "file_size %d runs past end of data (%d bytes)", h.FileSize, len(data))
		}
	} else if int64(h.FileSize) != int64(len(data)) {
		// DexFileVerifier::CheckHeader: "Bad file size".
		f.headerReject(off+0x20, "file_size %d differs from data size %d", h.FileSize, len(data))
	}
	if h.TypeIDsSize > 65535 {
		return nil, errorf(off+0x40, "type_ids_size %d exceeds 65535", h.TypeIDsSize)
	}
	if h.ProtoIDsSize > 65535 {
		return nil, errorf(off+0x48, "proto_ids_size %d exceeds 65535", h.ProtoIDsSize)
	}
	sections := []struct {
		name       string
		field      int64
		size, offs uint32
		item       uint64
	}{
		{"string_ids", 0x38, h.StringIDsSize, h.StringIDsOff, stringIDSize},
		{"type_ids", 0x40, h.TypeIDsSize, h.TypeIDsOff, typeIDSize},
		{"proto_ids", 0x48, h.ProtoIDsSize, h.ProtoIDsOff, protoIDSize},
		{"field_ids", 0x50, h.FieldIDsSize, h.FieldIDsOff, fieldIDSize},
		{"method_ids", 0x58, h.MethodIDsSize, h.MethodIDsOff, methodIDSize},
		{"class_defs", 0x60, h.ClassDefsSize, h.ClassDefsOff, classDefSize},
	}
	for _, s := range sections {
		if err := f.checkTable(s.name, off+s.field, s.size, s.offs, s.item); err != nil {
			return nil, err
		}
	}
	// DexFileVerifier::CheckHeader checks the Adler-32 checksum; the
	// loaders that install and run an app ask it to.
	if sum := f.ComputeChecksum(); sum != h.Checksum && uint64(off)+uint64(h.FileSize) <= uint64(len(data)) {
		f.headerReject(off+8, "checksum 0x%08x, computed 0x%08x", h.Checksum, sum)
	}
	if h.LinkSize != 0 {
		f.warn(errorf(off+0x2c, "link section of %d bytes (statically linked files are not supported)", h.LinkSize))
	}
	f.parseMap(off)
	return f, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// checkTable verifies that size items of itemSize bytes at offs lie within data.
func (f *File) checkTable(name string, field int64, size, offs uint32, itemSize uint64) error {
	if size == 0 {
		return nil
	}
	if uint64(offs)+uint64(size)*itemSize > uint64(len(f.data)) {
		return errorf(field, "%s (%d items at 0x%x) runs past end of file (%d bytes)", name, size, offs, len(f.data))
	}
	if offs%4 != 0 {
		f.warn(rejectf(field, "%s at 0x%x is not 4-byte aligned", name, offs))
	}
	return nil
}

// parseMap reads map_list. A broken map only produces warnings: everything
// essential is reachable from the header, except call sites and method
// handles.
func (f *File) parseMap(hdr int64) {
	h := &f.Header
	mo := uint64(h.MapOff)
	if mo == 0 {
		f.warn(rejectf(hdr+0x34, "no map_list"))
		return
	}
	if mo+4 > uint64(len(f.data)) {
		f.warn(rejectf(hdr+0x34, "map_off 0x%x beyond end of file", mo))
		return
	}
	n := uint64(le.Uint32(f.data[mo:]))
	if n*mapItemSize > uint64(len(f.data))-mo-4 {
		f.warn(rejectf(int64(mo), "map_list of %d items runs past end of file", n))
		return
	}
	f.Map = make([]MapItem, n)
	for i := range f.Map {
		p := mo + 4 + uint64(i)*mapItemSize
		it := &f.Map[i]
		it.Type = MapItemType(le.Uint16(f.data[p:]))
		it.Unused = le.Uint16(f.data[p+2:])
		it.Size = le.Uint32(f.data[p+4:])
		it.Offset = le.Uint32(f.data[p+8:])
		switch it.Type {
		case TypeCallSiteIDItem:
			if f.checkTable("call_site_ids", int64(p), it.Size, it.Offset, callSiteIDSize) != nil {
				f.warn(rejectf(int64(p), "call_site_ids (%d items at 0x%x) runs past end of file", it.Size, it.Offset))
				continue
			}
			f.callSiteIDsSize, f.callSiteIDsOff = it.Size, it.Offset
		case TypeMethodHandleItem:
			if f.checkTable("method_handles", int64(p), it.Size, it.Offset, methodHandleSize) != nil {
				f.warn(rejectf(int64(p), "method_handles (%d items at 0x%x) runs past end of file", it.Size, it.Offset))
				continue
			}
			f.methodHandlesSize, f.methodHandlesOff = it.Size, it.Offset
		case TypeStringIDItem:
			f.checkMapAgrees(p, it, h.StringIDsSize, h.StringIDsOff, "string_ids")
		case TypeTypeIDItem:
			f.checkMapAgrees(p, it, h.TypeIDsSize, h.TypeIDsOff, "type_ids")
		case TypeProtoIDItem:
			f.checkMapAgrees(p, it, h.ProtoIDsSize, h.ProtoIDsOff, "proto_ids")
		case TypeFieldIDItem:
			f.checkMapAgrees(p, it, h.FieldIDsSize, h.FieldIDsOff, "field_ids")
		case TypeMethodIDItem:
			f.checkMapAgrees(p, it, h.MethodIDsSize, h.MethodIDsOff, "method_ids")
		case TypeClassDefItem:
			f.checkMapAgrees(p, it, h.ClassDefsSize, h.ClassDefsOff, "class_defs")
		}
	}
}

func (f *File) checkMapAgrees(p uint64, it *MapItem, size, off uint32, name string) {
	if it.Size != size || (size != 0 && it.Offset != off) {
		f.warn(rejectf(int64(p), "map entry for %s (%d at 0x%x) disagrees with header (%d at 0x%x)",
			name, it.Size, it.Offset, size, off))
	}
}

// warn records a problem, up to Limits.MaxWarnings.
func (f *File) warn(err error) {
	f.mu.Lock()
	if len(f.Warnings) < f.lim.MaxWarnings {
		f.Warnings = append(f.Warnings, err)
	} else {
		f.dropped++
	}
	f.mu.Unlock()
}

// classWarning is a warning a walk found in one class definition.
type classWarning struct {
	class int
	err   error
}

// classWarnings records the warnings of class definition ci, found by a
// walk that went through the class, unless another walk did first: every
// walk finds the same ones (see WalkRange), so they are kept once, and in
// class order whichever walk, or range of a parallel walk, gets there first.
func (f *File) classWarnings(ci int, ws []error, dropped int) {
	if len(ws) == 0 && dropped == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.walked[ci] {
		return
	}
	if f.walked == nil {
		f.walked = map[int]bool{}
	}
	f.walked[ci] = true
	for _, w := range ws {
		f.walkWarns = append(f.walkWarns, classWarning{ci, w})
	}
	f.walkDropped += dropped
	if keep := f.lim.MaxWarnings; len(f.walkWarns) > 2*keep {
		// What lies past the first max in class order is never kept.
		f.sortWalkWarnings()
		f.walkDropped += len(f.walkWarns) - keep
		f.walkWarns = f.walkWarns[:keep]
	}
}

func (f *File) sortWalkWarnings() {
	slices.SortStableFunc(f.walkWarns, func(a, b classWarning) int { return a.class - b.class })
}

// WalkWarnings returns the problems the walks found (see Walk), each
// class's once, in class-definition order and at most Limits.MaxWarnings of
// them. Read it after the walks return.
func (f *File) WalkWarnings() []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sortWalkWarnings()
	n := min(len(f.walkWarns), f.lim.MaxWarnings)
	out := make([]error, n)
	for i := range out {
		out[i] = f.walkWarns[i].err
	}
	return out
}

// AllWarnings is Warnings followed by WalkWarnings.
func (f *File) AllWarnings() []error {
	f.mu.Lock()
	ws := slices.Clone(f.Warnings)
	f.mu.Unlock()
	return append(ws, f.WalkWarnings()...)
}

// DroppedWarnings is the number of problems not kept in Warnings and
// WalkWarnings because of Limits.MaxWarnings.
func (f *File) DroppedWarnings() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped + f.walkDropped + max(0, len(f.walkWarns)-f.lim.MaxWarnings)
}

// Data returns the bytes given to Parse.
func (f *File) Data() []byte { return f.data }

// ComputeChecksum returns the Adler-32 checksum of this dex file's bytes after
// the checksum field, to compare with Header.Checksum.
func (f *File) ComputeChecksum() uint32 {
	start := int64(f.Header.HeaderOffset) + 12
	end := min(int64(f.Header.HeaderOffset)+int64(f.Header.FileSize), int64(len(f.data)))
	if f.Header.Version < 41 {
		start, end = 12, min(int64(f.Header.FileSize), int64(len(f.data)))
	}
	if start > end {
		return 0
	}
	return adler32.Checksum(f.data[start:end])
}
