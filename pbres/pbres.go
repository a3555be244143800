// Package pbres decodes the protocol-buffer forms in which aapt2 stores an
// app's compiled XML (XmlNode: AndroidManifest.xml and res/**/*.xml inside
// an Android App Bundle) and its resource table (ResourceTable:
// resources.pb), as AOSP's frameworks/base/tools/aapt2/Resources.proto and
// Configuration.proto specify them.
//
// ParseXML and ParseTable return types that mirror the messages. Because
// the rest of appxray reads Android's binary forms through appxray/axml
// and appxray/arsc, XMLNode.Binary and ResourceTable.Binary lay the decoded
// messages out as binary XML and as a resources.arsc table, the way aapt2's
// own "convert --output-format binary" does; Document and Table go one step
// further and return the axml and arsc models, so that a bundle's manifest
// and resources read exactly like an APK's.
//
// Every length and count is checked against the bytes that remain before
// anything is allocated, and the work done is linear in the input; Limits
// bounds it further.
package pbres

import (
	"errors"
	"fmt"
)

// FormatError reports malformed input and where it was found. Warnings
// are FormatErrors too.
type FormatError struct {
	Offset int64 // byte offset in the input message
	Msg    string
	Err    error // underlying cause, if any
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("pbres: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func errorf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// ErrLimit is matched (errors.Is) by every error caused by a Limits value,
// so callers can tell a limit from corruption.
var ErrLimit = errors.New("pbres: limit exceeded")

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

// Limits bounds the work and memory spent on one message. It is plain
// data: the zero value, and any zero or negative field, means the default
// of DefaultLimits.
type Limits struct {
	MaxDepth      int // deepest XML element nesting
	MaxNodes      int // most XML nodes (elements and text) in one document
	MaxAttributes int // most XML attributes in one document
	MaxEntries    int // most resource entries in one table
	// MaxValues bounds the values of a table: configuration values plus
	// the items of arrays, plurals, styles and attributes.
	MaxValues int
	// MaxIDSpace bounds the sum, over the types of every package, of the
	// highest entry ID plus one: the size of the type specs and dense
	// indexes a flattened table needs (4 bytes each).
	MaxIDSpace  int
	MaxWarnings int // warnings recorded; later ones are counted in a final one
}

// DefaultLimits returns limits that no real app's XML or table comes near
// (framework-res holds about 30,000 entries).
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:      512,
		MaxNodes:      1 << 22,
		MaxAttributes: 1 << 22,
		MaxEntries:    1 << 20,
		MaxValues:     1 << 23,
		MaxIDSpace:    1 << 22,
		MaxWarnings:   256,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxAttributes <= 0 {
		l.MaxAttributes = d.MaxAttributes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxValues <= 0 {
		l.MaxValues = d.MaxValues
	}
	if l.MaxIDSpace <= 0 {
		l.MaxIDSpace = d.MaxIDSpace
	}
	if l.MaxWarnings <= 0 {
		l.MaxWarnings = d.MaxWarnings
	}
	return l
}

// warnings collects non-fatal problems up to a limit.
type warnings struct {
	list    []error
	max     int
	dropped int
}

func (w *warnings) add(err error) {
	if len(w.list) < w.max {
		w.list = append(w.list, err)
		return
	}
	w.dropped++
}

func (w *warnings) done() []error {
	if w.dropped > 0 {
		w.list = append(w.list, &FormatError{Offset: -1, Msg: fmt.Sprintf("%d more warnings", w.dropped)})
	}
	return w.list
}
