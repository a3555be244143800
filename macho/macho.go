// Package macho reads what an app review needs from an iOS executable,
// thin or fat (universal): through the standard library's debug/macho
// the header, segments, sections and symbols, and, by its own parsers,
// what debug/macho leaves as raw load commands: FairPlay encryption
// (LC_ENCRYPTION_INFO, cryptid), every kind of linked dylib (weak,
// re-exported, lazy, upward), the platform and minimum OS
// (LC_BUILD_VERSION, LC_VERSION_MIN_*), the UUID, and the code signature
// (LC_CODE_SIGNATURE): its super-blob, the code directory's identifier and
// team ID, and the entitlements (XML and DER). It also lists Objective-C
// class and selector names (__objc_classname, __objc_methname), imported
// symbols (Objective-C classes the code uses, such as
// _OBJC_CLASS_$_CNContactStore), Swift symbols and C strings, each with its
// file offset.
//
// Nothing is executed. Sections inside the encrypted range of a
// FairPlay-encrypted slice are not read as text: Slice.Encrypted says so.
package macho

import (
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// FormatError reports malformed input and where it was found.
type FormatError struct {
	Offset int64 // in the file (not the slice)
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("macho: %s at offset 0x%x", e.Msg, e.Offset)
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
var ErrLimit = errors.New("macho: limit exceeded")

// LimitError names the limit that stopped reading.
type LimitError struct {
	Limit string
	Value int64
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func limitErr(off int64, what, limit string, value int64) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: value}}
}

// ErrNotMachO is returned for input that is neither a thin nor a fat
// Mach-O file.
var ErrNotMachO = errors.New("macho: not a Mach-O file")

// Limits bounds the work and memory spent on one file. The zero value,
// and any zero or negative field, means the default of DefaultLimits.
type Limits struct {
	MaxSlices int // architectures of a fat file
	// MaxSectionBytes bounds the bytes read from one string section.
	MaxSectionBytes int64
	MaxStrings      int   // strings kept per slice, over all string sections
	MaxSymbols      int   // symbols kept per slice
	MaxSignature    int64 // bytes of one code signature
	MaxWarnings     int
}

// DefaultLimits returns limits generous for the largest apps (a 200 MB
// executable holds a few hundred thousand strings).
func DefaultLimits() Limits {
	return Limits{
		MaxSlices:       16,
		MaxSectionBytes: 256 << 20,
		MaxStrings:      1 << 21,
		MaxSymbols:      1 << 21,
		MaxSignature:    64 << 20,
		MaxWarnings:     256,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxSlices <= 0 {
		l.MaxSlices = d.MaxSlices
	}
	if l.MaxSectionBytes <= 0 {
		l.MaxSectionBytes = d.MaxSectionBytes
	}
	if l.MaxStrings <= 0 {
		l.MaxStrings = d.MaxStrings
	}
	if l.MaxSymbols <= 0 {
		l.MaxSymbols = d.MaxSymbols
	}
	if l.MaxSignature <= 0 {
		l.MaxSignature = d.MaxSignature
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	return l
}

// File is a thin or fat Mach-O file.
type File struct {
	Fat    bool
	Slices []*Slice
}

// Slice is one architecture's executable.
type Slice struct {
	Offset, Size int64 // of the slice in the file
	CPU          macho.Cpu
	SubCPU       uint32
	Arch         string // "arm64", "armv7", "x86_64"…
	Type         macho.Type
	Flags        uint32

	UUID     string // LC_UUID, upper-case hex with dashes
	Platform string // "ios", "macos", "ios-simulator"… from LC_BUILD_VERSION or LC_VERSION_MIN_*
	MinOS    string // "14.0"
	SDK      string

	Dylibs []Dylib
	RPaths []string

	// Encryption is the LC_ENCRYPTION_INFO(_64) command, nil if absent.
	Encryption *Encryption
	// Signature is the embedded code signature, nil if absent.
	Signature *CodeSignature

	ObjCClasses   []String // __objc_classname
	ObjCSelectors []String // __objc_methname
	// Imports lists the undefined external symbols: the functions,
	// variables and Objective-C classes (_OBJC_CLASS_$_Name) the code uses
	// from its dylibs.
	Imports []string
	// SwiftSymbols lists the Swift-mangled names ($s…, _$s…, _T0…) in the
	// symbol table, defined or imported.
	SwiftSymbols []string
	Strings      []String // __cstring and the other C-string sections of __TEXT

	// Warnings lists parts that could not be read; the rest is kept.
	Warnings []error

	lim Limits
}

// Encrypted reports whether the slice is FairPlay-encrypted (cryptid ≠ 0):
// its code and the text inside the encrypted range cannot be read.
func (s *Slice) Encrypted() bool { return s.Encryption != nil && s.Encryption.ID != 0 }

// Dylib kinds, after the load command that links it.
const (
	DylibLoad     = "load"     // LC_LOAD_DYLIB
	DylibWeak     = "weak"     // LC_LOAD_WEAK_DYLIB
	DylibReexport = "reexport" // LC_REEXPORT_DYLIB
	DylibLazy     = "lazy"     // LC_LAZY_LOAD_DYLIB
	DylibUpward   = "upward"   // LC_LOAD_UPWARD_DYLIB
	DylibID       = "id"       // LC_ID_DYLIB: the library's own name
)

// Dylib is one linked library or framework.
type Dylib struct {
	Name           string // "/System/Library/Frameworks/Contacts.framework/Contacts"
	Kind           string // a Dylib* constant
	CurrentVersion string
	CompatVersion  string
	Offset         int64 // of the load command in the file
}

// Encryption is LC_ENCRYPTION_INFO or LC_ENCRYPTION_INFO_64.
type Encryption struct {
	CryptOff, CryptSize uint32 // the encrypted range, relative to the slice
	ID                  uint32 // cryptid: 0 decrypted, 1 FairPlay
	Offset              int64  // of the load command in the file
}

// String is a string found in a section, with its offset in the file.
type String struct {
	Value   string
	Offset  int64
	Section string // "__TEXT,__cstring"
}

// Load command numbers debug/macho does not name.
const (
	lcReqDyld            = 0x80000000
	lcIDDylib            = 0xd
	lcLoadWeakDylib      = 0x18 | lcReqDyld
	lcUUID               = 0x1b
	lcRpath              = 0x1c | lcReqDyld
	lcCodeSignature      = 0x1d
	lcReexportDylib      = 0x1f | lcReqDyld
	lcLazyLoadDylib      = 0x20
	lcEncryptionInfo     = 0x21
	lcLoadUpwardDylib    = 0x23 | lcReqDyld
	lcVersionMinMacOSX   = 0x24
	lcVersionMinIPhoneOS = 0x25
	lcVersionMinTVOS     = 0x2f
	lcVersionMinWatchOS  = 0x30
	lcEncryptionInfo64   = 0x2c
	lcBuildVersion       = 0x32
)

// Open reads a thin or fat Mach-O file of the given size.
func Open(r io.ReaderAt, size int64, lim Limits) (*File, error) {
	lim = lim.withDefaults()
	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		return nil, &FormatError{Offset: 0, Msg: "reading the magic", Err: err}
	}
	be := binary.BigEndian.Uint32(magic[:])
	le := binary.LittleEndian.Uint32(magic[:])
	switch {
	case be == macho.MagicFat || be == 0xcafebabf:
		return openFat(r, size, lim, be == 0xcafebabf)
	case le == macho.Magic32 || le == macho.Magic64 || be == macho.Magic32 || be == macho.Magic64:
		s, err := openSlice(r, 0, size, lim)
		if err != nil {
			return nil, err
		}
		return &File{Slices: []*Slice{s}}, nil
	}
	return nil, ErrNotMachO
}

// openFat reads the fat header (big-endian fat_header and fat_arch, or
// fat_arch_64 for magic 0xcafebabf) and each slice. A slice that cannot be
// read is skipped if another can; its error is kept in the first readable
// slice's warnings.
func openFat(r io.ReaderAt, size int64, lim Limits, is64 bool) (*File, error) {
	var hdr [8]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, &FormatError{Offset: 0, Msg: "reading the fat header", Err: err}
	}
	n := binary.BigEndian.Uint32(hdr[4:])
	if n == 0 {
		return nil, errorf(4, "fat file with no architectures")
	}
	if int64(n) > int64(lim.MaxSlices) {
		return nil, limitErr(4, fmt.Sprintf("%d architectures", n), "MaxSlices", int64(lim.MaxSlices))
	}
	archSize := int64(20)
	if is64 {
		archSize = 32
	}
	f := &File{Fat: true}
	var errs []error
	for i := range int64(n) {
		off := 8 + i*archSize
		b := make([]byte, archSize)
		if _, err := r.ReadAt(b, off); err != nil {
			return nil, &FormatError{Offset: off, Msg: "reading fat_arch", Err: err}
		}
		var sOff, sSize int64
		if is64 {
			sOff, sSize = int64(binary.BigEndian.Uint64(b[8:])), int64(binary.BigEndian.Uint64(b[16:]))
		} else {
			sOff, sSize = int64(binary.BigEndian.Uint32(b[8:])), int64(binary.BigEndian.Uint32(b[12:]))
		}
		if sOff < 0 || sSize <= 0 || sOff > size || sSize > size-sOff {
			errs = append(errs, errorf(off, "slice %d at %d+%d lies outside the %d-byte file", i, sOff, sSize, size))
			continue
		}
		s, err := openSlice(r, sOff, sSize, lim)
		if err != nil {
			errs = append(errs, fmt.Errorf("slice %d: %w", i, err))
			continue
		}
		f.Slices = append(f.Slices, s)
	}
	if len(f.Slices) == 0 {
		return nil, fmt.Errorf("macho: no readable slice in the fat file: %w", errors.Join(errs...))
	}
	f.Slices[0].Warnings = append(f.Slices[0].Warnings, errs...)
	return f, nil
}

// openSlice reads one thin Mach-O at off in r.
func openSlice(r io.ReaderAt, off, size int64, lim Limits) (s *Slice, err error) {
	sr := io.NewSectionReader(r, off, size)
	defer func() {
		// debug/macho is careful, but a hostile file must never take the
		// process down with it.
		if p := recover(); p != nil {
			s, err = nil, errorf(off, "debug/macho failed on this slice: %v", p)
		}
	}()
	mf, err := macho.NewFile(sr)
	if err != nil {
		return nil, &FormatError{Offset: off, Msg: "reading the Mach-O header", Err: err}
	}
	defer mf.Close()
	s = &Slice{Offset: off, Size: size, CPU: mf.Cpu, SubCPU: mf.SubCpu, Type: mf.Type, Flags: mf.Flags, lim: lim}
	s.Arch = archName(mf.Cpu, mf.SubCpu)
	s.readLoads(mf, sr)
	s.readSections(mf, sr)
	s.readSymbols(mf)
	return s, nil
}

func (s *Slice) warn(err error) {
	if len(s.Warnings) < s.lim.MaxWarnings {
		s.Warnings = append(s.Warnings, err)
	}
}

func archName(cpu macho.Cpu, sub uint32) string {
	sub &^= 0xff000000 // capability bits (arm64e's pointer authentication)
	switch cpu {
	case macho.CpuArm64:
		if sub == 2 {
			return "arm64e"
		}
		return "arm64"
	case macho.CpuArm:
		switch sub {
		case 9:
			return "armv7"
		case 11:
			return "armv7s"
		case 12:
			return "armv7k"
		case 6:
			return "armv6"
		}
		return "arm"
	case macho.CpuAmd64:
		return "x86_64"
	case macho.Cpu386:
		return "i386"
	case 0x0100000c | 0x02000000: // CPU_TYPE_ARM64_32
		return "arm64_32"
	}
	return fmt.Sprintf("cpu%d", uint32(cpu))
}
