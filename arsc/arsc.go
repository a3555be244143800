// Package arsc decodes Android's compiled resource table (resources.arsc),
// as specified by AOSP's frameworks/base/libs/androidfw ResourceTypes.h and
// read by LoadedArsc.cpp: the global value string pool, packages, type
// specs, per-configuration type chunks and their entries (simple values
// and bags).
//
// Parse indexes the chunk structure once; entries are decoded on demand
// from the input, so parsing a large table is cheap and lookups of single
// resources stay fast. The table keeps a reference to the input slice.
package arsc

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"appxray/res"
)

// FormatError reports malformed input and where it was found. Warnings are
// FormatErrors too.
type FormatError struct {
	Offset int64 // byte offset in the table
	Msg    string
	Err    error // underlying cause, if any
	// AndroidRejects is set on a warning when Android's loader (LoadedArsc)
	// refuses the whole table for this problem, and with it the APK's
	// resources; a warning without it describes something Android tolerates
	// (or reports only when the entry is looked up).
	AndroidRejects bool
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("arsc: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func errorf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func wrapf(off int64, err error, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
}

// rejectf is errorf for a problem LoadedArsc refuses the table for.
func rejectf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), AndroidRejects: true}
}

// ErrLimit is matched (errors.Is) by every error and warning caused by a
// Limits value, so callers can tell a limit from corruption.
var ErrLimit = errors.New("arsc: limit exceeded")

// LimitError names the limit that stopped decoding. It is the Err of a
// FormatError, which says what was being read and where.
type LimitError struct {
	Limit string // the Limits field
	Value int64  // its value
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func limitErr(off int64, what, limit string, value int) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: int64(value)}}
}

// Limits bounds the work and memory spent on one table. It is plain data:
// the zero value, and any zero or negative field, means the default of
// DefaultLimits.
type Limits struct {
	MaxPackages       int // packages accepted in one table
	MaxTypeChunks     int // type and type-spec chunks accepted in one table
	MaxWarnings       int // warnings recorded; later ones are counted in a final warning
	MaxReferenceDepth int // references followed when resolving a value
	// MaxLookupWork bounds the configurations one lookup call may examine
	// (summed over the references and bag items it resolves).
	MaxLookupWork int
	StringPool    res.Limits // limits for each string pool
}

// DefaultLimits returns limits generous enough for the largest real tables
// (framework-res.apk holds a few thousand type chunks).
func DefaultLimits() Limits {
	return Limits{
		MaxPackages:       64,
		MaxTypeChunks:     1 << 18,
		MaxWarnings:       256,
		MaxReferenceDepth: 32,
		MaxLookupWork:     1 << 22,
		StringPool:        res.DefaultLimits(),
	}
}

// withDefaults replaces zero (unset) fields by their defaults.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxPackages <= 0 {
		l.MaxPackages = d.MaxPackages
	}
	if l.MaxTypeChunks <= 0 {
		l.MaxTypeChunks = d.MaxTypeChunks
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	if l.MaxReferenceDepth <= 0 {
		l.MaxReferenceDepth = d.MaxReferenceDepth
	}
	if l.MaxLookupWork <= 0 {
		l.MaxLookupWork = d.MaxLookupWork
	}
	return l
}

// Entry flags (ResTable_entry.flags).
const (
	FlagComplex          = 0x0001 // the entry is a bag of name/value pairs
	FlagPublic           = 0x0002 // declared public
	FlagWeak             = 0x0004 // may be overridden by a strong definition
	FlagCompact          = 0x0008 // key, type and data packed into 8 bytes
	FlagUsesFeatureFlags = 0x0010
)

// Type chunk flags (ResTable_type.flags).
const (
	TypeFlagSparse   = 0x01 // entry index is (index, offset/4) pairs
	TypeFlagOffset16 = 0x02 // entry offsets are 16-bit, divided by 4
)

// Type spec flags (ResTable_typeSpec entries).
const (
	SpecPublic    = 0x40000000
	SpecStagedAPI = 0x20000000
)

// NoEntry marks an absent entry in a dense 32-bit entry index.
const NoEntry = 0xffffffff

// Sizes of fixed structures.
const (
	tableHeaderSize      = 12  // ResTable_header
	packageHeaderMinSize = 284 // ResTable_package without typeIdOffset
	packageHeaderSize    = 288 // ResTable_package
	typeSpecHeaderSize   = 16  // ResTable_typeSpec
	typeHeaderMinSize    = 24  // ResTable_type up to and including config.size
	typeFixedSize        = 20  // ResTable_type before its config
	entryHeaderSize      = 8   // ResTable_entry
	mapEntryHeaderSize   = 16  // ResTable_map_entry
	mapSize              = 12  // ResTable_map
	valueSize            = 8   // Res_value
	libHeaderSize        = 12  // ResTable_lib_header
	libEntrySize         = 260 // ResTable_lib_entry
	stagedAliasHdrSize   = 12  // ResTable_staged_alias_header
	stagedAliasEntrySize = 8   // ResTable_staged_alias_entry
)

// Table is a decoded resource table.
type Table struct {
	// ValueStrings is the global pool holding string values. (It is not
	// called Strings because Table.Strings is the per-locale lookup.)
	ValueStrings *res.StringPool
	Packages     []*Package
	// Warnings lists problems that did not stop parsing: skipped or
	// malformed chunks, entries pointing outside their chunk. Each wraps a
	// *FormatError (of this package or res); AndroidRejects tells the
	// problems for which Android refuses the table.
	Warnings []error

	data    []byte
	lim     Limits
	byID    [256][]*Package
	dropped int // warnings beyond MaxWarnings
	nChunks int
	// nPackages counts package chunks, read or not, as LoadTable does.
	nPackages int
}

// Package is one ResTable_package.
type Package struct {
	ID   uint32
	Name string
	// Offset is the package chunk's offset in the table.
	Offset int64

	TypeStrings *res.StringPool
	KeyStrings  *res.StringPool
	// TypeIDOffset is added to a type string index to obtain its type ID
	// minus one (used by shared libraries split across packages).
	TypeIDOffset uint32
	// Types holds the package's types in order of ID.
	Types []*Type
	// Libraries is the dynamic reference table: the shared libraries the
	// package was built against and the package IDs assigned to them.
	Libraries []Library
	// Aliases maps staged resource IDs to their finalized IDs.
	Aliases []StagedAlias

	table  *Table
	byType [256]*Type
}

// Library is one ResTable_lib_entry.
type Library struct {
	ID   uint32
	Name string
}

// StagedAlias is one ResTable_staged_alias_entry.
type StagedAlias struct {
	StagedID    uint32
	FinalizedID uint32
}

// Type gathers a type's spec and its per-configuration chunks.
type Type struct {
	ID   uint8
	Name string
	// EntryCount is the number of resource IDs the type spec declares.
	EntryCount uint32
	// SpecFlags holds, per entry, the configuration axes its value varies
	// over and the SpecPublic bit; nil when the spec chunk is missing.
	SpecFlags []uint32
	// SpecOffset is the offset of the type spec chunk, or -1 if none.
	SpecOffset int64
	Configs    []*TypeChunk

	pkg   *Package
	slots uint64 // index slots present over all configs, for sizing
	names nameIndex

	lookups atomic.Int64 // lookups served, to decide when to build inv
	invOnce sync.Once
	inv     *invIndex
}

// TypeChunk is one ResTable_type: a configuration and the entries defined
// for it. Its entries are decoded on demand with Entry or All.
type TypeChunk struct {
	// Offset is the chunk's offset in the table.
	Offset int64
	Config Config
	Flags  uint8
	// EntryCount is the number of slots in the dense index, or the
	// number of pairs in a sparse index.
	EntryCount uint32

	typ          *Type
	localeName   string // Config.Locale()
	locale       locale // Config's locale, split for matching
	generic      bool   // Config constrains only locale and version
	chunk        []byte // the whole chunk
	index        []byte // entry index (offsets or sparse pairs)
	entriesStart uint32
}

// Entry is one decoded ResTable_entry.
type Entry struct {
	ID   uint32
	Name string
	// Key is the entry's index in its package's key string pool.
	Key   uint32
	Flags uint16
	// Offset is the entry's offset in the table, for evidence.
	Offset int64
	// Value is the entry's value when it is not Complex.
	Value res.Value
	// Complex entries (bags: styles, arrays, plurals…) carry a parent and
	// name/value items instead.
	Complex bool
	Parent  uint32
	Bag     []BagItem
}

// BagItem is one ResTable_map of a complex entry.
type BagItem struct {
	Name  uint32 // usually an attribute resource ID
	Value res.Value
}

// ConfigEntry is a resource's entry in one configuration.
type ConfigEntry struct {
	Config Config
	Entry  *Entry
}
