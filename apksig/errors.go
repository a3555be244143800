package apksig

import (
	"errors"
	"fmt"
)

// FormatError reports malformed signature data and where it was found. Offset
// is relative to the start of the buffer handed to the parse function (the
// signing block, a scheme block or a PKCS #7 file) unless stated otherwise.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("apksig: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(off int64, err error, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: err}
}

// ErrLimit is matched (errors.Is) by every error and problem caused by a
// Limits value, so callers can tell a limit from corruption.
var ErrLimit = errors.New("apksig: limit exceeded")

// LimitError names the limit that stopped reading. It is the Err of a
// FormatError (or of a wrapping error) that says what was read and where.
type LimitError struct {
	Limit string // the Limits field
	Value int64  // its value
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func limitErr(off int64, what, limit string, value int64) *FormatError {
	return &FormatError{Offset: off, Msg: what, Err: &LimitError{Limit: limit, Value: value}}
}

// Limits bounds the work and memory spent on one APK's signatures. It is
// plain data: the zero value, and any zero or negative field, means the
// default of DefaultLimits (VerifyContent and VerifyV1Entries are off when
// false; DefaultLimits turns VerifyContent on).
type Limits struct {
	MaxPairs        int   // ID-value pairs in the APK Signing Block
	MaxSigners      int   // signers per scheme
	MaxCertificates int   // certificates per signer (chain or PKCS #7 set)
	MaxLineage      int   // nodes in a v3 proof-of-rotation lineage
	MaxDigests      int   // digests, signatures and attributes per signer
	MaxV1Files      int   // META-INF signature files considered
	MaxBlockSize    int64 // bytes of APK Signing Block read
	MaxFileSize     int64 // bytes of one META-INF file read
	// VerifyContent enables the v2/v3 whole-file content digest check
	// (about 50 ms of CPU for an 18 MB APK) and, for APKs with only a v1
	// signature, the check of every entry against MANIFEST.MF.
	VerifyContent bool
	// VerifyV1Entries checks every entry against MANIFEST.MF even when v2 or
	// v3 protects the APK, as apksigner does for APKs that also run on
	// Android < 7.0. It inflates every entry: several times slower.
	VerifyV1Entries bool
}

// DefaultLimits returns limits generous enough for every real APK seen
// while staying cheap on hostile input.
func DefaultLimits() Limits {
	return Limits{
		MaxPairs:        1024,
		MaxSigners:      16,
		MaxCertificates: 64,
		MaxLineage:      64,
		MaxDigests:      16,
		MaxV1Files:      64,
		MaxBlockSize:    64 << 20,
		MaxFileSize:     64 << 20,
		VerifyContent:   true,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxPairs <= 0 {
		l.MaxPairs = d.MaxPairs
	}
	if l.MaxSigners <= 0 {
		l.MaxSigners = d.MaxSigners
	}
	if l.MaxCertificates <= 0 {
		l.MaxCertificates = d.MaxCertificates
	}
	if l.MaxLineage <= 0 {
		l.MaxLineage = d.MaxLineage
	}
	if l.MaxDigests <= 0 {
		l.MaxDigests = d.MaxDigests
	}
	if l.MaxV1Files <= 0 {
		l.MaxV1Files = d.MaxV1Files
	}
	if l.MaxBlockSize <= 0 {
		l.MaxBlockSize = d.MaxBlockSize
	}
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	return l
}
