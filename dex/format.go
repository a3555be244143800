// Package dex reads Dalvik executable (.dex) files, versions 035 to 041, as
// described in AOSP's "Dalvik executable format" and "Dalvik bytecode"
// documents.
//
// Parse is cheap: it validates the header, the map list and the bounds of the
// fixed-size id sections and decodes nothing else. Strings, types, protos,
// fields and methods are resolved lazily by index and nothing is cached (the
// *Bytes and *ID accessors do not allocate); the Find methods look entries up
// by name. Walk visits the bytecode of every method and reports the
// constant-pool references each one makes. Version 041 containers, which
// hold several dex sections, are read with ParseAll.
//
// The package works directly on the byte slice given to Parse and never
// modifies it; the caller must not modify it either while the File is in use.
package dex

import (
	"errors"
	"fmt"
)

// FormatError reports malformed input at a byte offset within the data given
// to Parse. Warnings are FormatErrors too.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
	// AndroidRejects is set on a warning when ART refuses the whole DEX file
	// for this problem (its dex file verifier or loader); a class ART would
	// reject wraps ErrClassRejected instead. A warning with neither
	// describes something ART tolerates.
	AndroidRejects bool
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("dex: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *FormatError) Unwrap() error { return e.Err }

func errorf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// rejectf is errorf for a problem ART refuses the DEX file for.
func rejectf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), AndroidRejects: true}
}

// ErrLimit is matched (errors.Is) by every error and warning caused by a
// Limits value (or by the work bound of Walk and ClassDefs), so callers can
// tell a limit from corruption.
var ErrLimit = errors.New("dex: limit exceeded")

// LimitError names the limit that stopped decoding. It is the Err of a
// FormatError, which says what was being read and where. Err is
// ErrWorkLimit for the work bound.
type LimitError struct {
	Limit string // the Limits field, or "work"
	Value int64  // its value
	Err   error
}

func (e *LimitError) Error() string {
	s := fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Unwrap returns ErrWorkLimit for the work bound.
func (e *LimitError) Unwrap() error { return e.Err }

func limitErr(off int64, what, limit string, value int64) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: value}}
}

// Limits bounds the work and memory spent on one file. It is plain data:
// the zero value, and any zero or negative field, means the default of
// DefaultLimits.
type Limits struct {
	// MaxFileSize is the largest input accepted, in bytes.
	MaxFileSize int64
	// MaxWarnings caps File.Warnings; further problems are only counted.
	MaxWarnings int
	// MaxSections caps the number of dex sections read from a version 041
	// container by ParseAll.
	MaxSections int
	// MaxTypeList caps the length of a type_list (parameters, interfaces).
	// Type lists may be shared, so an unbounded one would make resolving
	// every proto or class quadratic in the file size.
	MaxTypeList int
}

// DefaultLimits returns the limits used for zero fields of a Limits value.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize: 1 << 30,
		MaxWarnings: 200,
		MaxSections: 256,
		MaxTypeList: 1024,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	if l.MaxSections <= 0 {
		l.MaxSections = d.MaxSections
	}
	if l.MaxTypeList <= 0 {
		l.MaxTypeList = d.MaxTypeList
	}
	return l
}

// NoIndex is the value used in place of an index to mean "none"
// (NO_INDEX in the specification).
const NoIndex = 0xffffffff

// Header mirrors header_item. For version 041 containers, ContainerSize and
// HeaderOffset are also set; FileSize is then the size of this dex section.
type Header struct {
	Magic     [8]byte
	Version   int // 35 … 41, from the magic
	Checksum  uint32
	Signature [20]byte

	FileSize, HeaderSize, EndianTag, LinkSize, LinkOff, MapOff uint32
	StringIDsSize, StringIDsOff, TypeIDsSize, TypeIDsOff       uint32
	ProtoIDsSize, ProtoIDsOff, FieldIDsSize, FieldIDsOff       uint32
	MethodIDsSize, MethodIDsOff, ClassDefsSize, ClassDefsOff   uint32
	DataSize, DataOff                                          uint32
	ContainerSize, HeaderOffset                                uint32 // version 041 only
}

// Header and item sizes from the specification.
const (
	headerSize     = 0x70
	headerSizeV41  = 0x78
	endianConstant = 0x12345678
	reverseEndian  = 0x78563412

	stringIDSize     = 4
	typeIDSize       = 4
	protoIDSize      = 12
	fieldIDSize      = 8
	methodIDSize     = 8
	classDefSize     = 32
	callSiteIDSize   = 4
	methodHandleSize = 8
	mapItemSize      = 12
	codeItemHeader   = 16
)

// MapItemType is the type code of a map_item.
type MapItemType uint16

// Map item type codes.
const (
	TypeHeaderItem               MapItemType = 0x0000
	TypeStringIDItem             MapItemType = 0x0001
	TypeTypeIDItem               MapItemType = 0x0002
	TypeProtoIDItem              MapItemType = 0x0003
	TypeFieldIDItem              MapItemType = 0x0004
	TypeMethodIDItem             MapItemType = 0x0005
	TypeClassDefItem             MapItemType = 0x0006
	TypeCallSiteIDItem           MapItemType = 0x0007
	TypeMethodHandleItem         MapItemType = 0x0008
	TypeMapList                  MapItemType = 0x1000
	TypeTypeList                 MapItemType = 0x1001
	TypeAnnotationSetRefList     MapItemType = 0x1002
	TypeAnnotationSetItem        MapItemType = 0x1003
	TypeClassDataItem            MapItemType = 0x2000
	TypeCodeItem                 MapItemType = 0x2001
	TypeStringDataItem           MapItemType = 0x2002
	TypeDebugInfoItem            MapItemType = 0x2003
	TypeAnnotationItem           MapItemType = 0x2004
	TypeEncodedArrayItem         MapItemType = 0x2005
	TypeAnnotationsDirectoryItem MapItemType = 0x2006
	TypeHiddenapiClassDataItem   MapItemType = 0xF000
)

// MapItem mirrors map_item.
type MapItem struct {
	Type   MapItemType
	Unused uint16
	Size   uint32
	Offset uint32
}

// Access flags (access_flags in class_def_item and encoded_field/method).
const (
	AccPublic               = 0x1
	AccPrivate              = 0x2
	AccProtected            = 0x4
	AccStatic               = 0x8
	AccFinal                = 0x10
	AccSynchronized         = 0x20
	AccVolatile             = 0x40
	AccBridge               = 0x40
	AccTransient            = 0x80
	AccVarargs              = 0x80
	AccNative               = 0x100
	AccInterface            = 0x200
	AccAbstract             = 0x400
	AccStrict               = 0x800
	AccSynthetic            = 0x1000
	AccAnnotation           = 0x2000
	AccEnum                 = 0x4000
	AccConstructor          = 0x10000
	AccDeclaredSynchronized = 0x20000
)
