package zipapk

import (
	"errors"
	"fmt"
)

// AnomalyKind names one way a file departs from what a well-formed APK looks
// like, or from what Android's own ZIP reader (libziparchive) accepts.
type AnomalyKind string

// Anomaly kinds. The comment on each says what Android does with such a file;
// Anomaly.AndroidRejects records it for the concrete case.
const (
	// PrefixBytes: bytes before the first local file header (a "polyglot",
	// e.g. a script or image glued in front). Android 8+ refuses a file that
	// does not start with a local file header.
	PrefixBytes AnomalyKind = "PrefixBytes"
	// ShiftedOffsets: the central directory is not at the offset the EOCD
	// names but where it would be if every offset were relative to a later
	// base (what `cat stub archive.zip` produces). Tools such as unzip adjust;
	// Android does not and rejects the file.
	ShiftedOffsets AnomalyKind = "ShiftedOffsets"
	// MultipleEOCD: competing end-of-central-directory records: one inside
	// the comment of another, or several that each end exactly at the end of
	// the file, so that readers scanning forwards and backwards disagree.
	// Android uses the one nearest the end of the file. Signatures inside
	// entry data (a nested archive) are not reported.
	MultipleEOCD AnomalyKind = "MultipleEOCD"
	// TrailingBytes: the EOCD comment length does not end exactly at the end
	// of the file. Android rejects the file.
	TrailingBytes AnomalyKind = "TrailingBytes"
	// CentralDirectoryGap: bytes between the end of the central directory
	// and the EOCD. libziparchive tolerates them; APK Signature Scheme v2+
	// verification does not.
	CentralDirectoryGap AnomalyKind = "CentralDirectoryGap"
	// CentralDirectoryOverrun: the declared central directory runs into or
	// past the EOCD. Android rejects the file.
	CentralDirectoryOverrun AnomalyKind = "CentralDirectoryOverrun"
	// CentralDirectoryTruncated: fewer well-formed central directory records
	// than the EOCD declares. Android rejects the file.
	CentralDirectoryTruncated AnomalyKind = "CentralDirectoryTruncated"
	// EntryCountMismatch: the EOCD counts disagree with each other or more
	// records follow the declared count (entries Android never sees).
	EntryCountMismatch AnomalyKind = "EntryCountMismatch"
	// MultiDisk: the EOCD claims a multi-volume archive. Android ignores the
	// disk numbers.
	MultiDisk AnomalyKind = "MultiDisk"
	// Zip64: the archive uses ZIP64 records. Recent Android reads them; older
	// releases reject them, and APKs have no need for them.
	Zip64 AnomalyKind = "Zip64"
	// EmptyArchive: no entries. Android refuses an empty archive.
	EmptyArchive AnomalyKind = "EmptyArchive"
	// BadLocalHeader: an entry's local file header is missing, out of range
	// or malformed; the entry cannot be read. Android rejects the entry.
	BadLocalHeader AnomalyKind = "BadLocalHeader"
	// LocalHeaderMismatch: the local file header disagrees with the central
	// directory (name, method, sizes, CRC or flags). Android reads using the
	// central directory's method and sizes and rejects name, size and CRC
	// disagreements; method and flag disagreements pass unnoticed.
	LocalHeaderMismatch AnomalyKind = "LocalHeaderMismatch"
	// DataDescriptorMismatch: the data descriptor after a streamed entry
	// disagrees with the central directory. Android rejects the entry.
	DataDescriptorMismatch AnomalyKind = "DataDescriptorMismatch"
	// UnknownMethod: a compression method other than stored (0) or deflate
	// (8). The entry is read as stored, as PackageManager-era parsers did;
	// libziparchive refuses to extract it.
	UnknownMethod AnomalyKind = "UnknownMethod"
	// EncryptionFlag: general purpose bit 0 (encrypted) is set. Android
	// ignores the bit and reads the data as plain, so this is "fake
	// encryption" meant to stop analysis tools; the data is read anyway.
	EncryptionFlag AnomalyKind = "EncryptionFlag"
	// DuplicateName: two central directory entries share a name. Android 4.4+
	// rejects the file; Lookup returns the first, the one older native
	// loaders used (the "Master Key" bug).
	DuplicateName AnomalyKind = "DuplicateName"
	// HostileName: an entry name with "..", an absolute path, a backslash, a
	// NUL or another control character, or invalid UTF-8. Android rejects
	// names with NUL or invalid UTF-8.
	HostileName AnomalyKind = "HostileName"
	// OverlappingEntries: entries whose local headers or data overlap (the
	// "zip bomb by overlap" trick, or data shared between names).
	OverlappingEntries AnomalyKind = "OverlappingEntries"
	// UnreferencedBytes: bytes between entries, or between the last entry
	// and the signing block or central directory, that no entry covers: a
	// place to hide a payload. Android ignores them. Runs of zeros
	// (apksigner's alignment padding) are not reported.
	UnreferencedBytes AnomalyKind = "UnreferencedBytes"
	// EntryOutOfBounds: an entry's data runs into the central directory or
	// past the end of the file. Android rejects the entry.
	EntryOutOfBounds AnomalyKind = "EntryOutOfBounds"
	// SizeMismatch: the data read differs in length from the declared size,
	// or compressed data continues after the end of the deflate stream.
	SizeMismatch AnomalyKind = "SizeMismatch"
	// CRCMismatch: the CRC-32 of the data read differs from the declared one.
	// libziparchive does not check CRCs, so Android uses such data.
	CRCMismatch AnomalyKind = "CRCMismatch"
	// InflateError: the deflate stream is corrupt or truncated.
	InflateError AnomalyKind = "InflateError"
	// LimitExceeded: a limit stopped reading or parsing (zip bomb, too many
	// entries).
	LimitExceeded AnomalyKind = "LimitExceeded"
	// SigningBlockMalformed: an APK Signing Block footer is present but the
	// block is inconsistent; apksig rejects such a block.
	SigningBlockMalformed AnomalyKind = "SigningBlockMalformed"
	// TooManyAnomalies: later anomalies of some kind were dropped to keep
	// memory bounded.
	TooManyAnomalies AnomalyKind = "TooManyAnomalies"
)

// Anomaly is one disagreement between what the file says and what a
// well-formed APK, or Android, expects.
type Anomaly struct {
	Kind   AnomalyKind
	Offset int64  // file offset of the offending structure
	Entry  string // entry name, "" when the anomaly concerns the archive
	Detail string
	// AndroidRejects is set when libziparchive or the APK verifier would
	// refuse the file (or this entry) because of this anomaly.
	AndroidRejects bool
}

// String formats the anomaly on one line for logs and reports.
func (a Anomaly) String() string {
	s := fmt.Sprintf("%s at 0x%x", a.Kind, a.Offset)
	if a.Entry != "" {
		s += fmt.Sprintf(" (%q)", a.Entry)
	}
	if a.Detail != "" {
		s += ": " + a.Detail
	}
	if a.AndroidRejects {
		s += " [Android rejects]"
	}
	return s
}

// FormatError reports malformed ZIP structure at a byte offset.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
}

// Error prints "zipapk: <msg> at offset 0x<hex>" and the cause, if any.
func (e *FormatError) Error() string {
	s := fmt.Sprintf("zipapk: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *FormatError) Unwrap() error { return e.Err }

// ErrLimit is matched (errors.Is) by every LimitError, so callers can tell a
// limit from corruption.
var ErrLimit = errors.New("zipapk: limit exceeded")

// LimitError reports that reading stopped because a Limits value was reached.
type LimitError struct {
	Entry string // "" for archive-wide limits
	Limit string // name of the Limits field
	Value int64  // the limit's value
	// Offset is where the data being read starts in the file (an entry's
	// compressed data).
	Offset int64
}

// Error names the limit, its value, the entry and where its data starts.
func (e *LimitError) Error() string {
	if e.Entry == "" {
		return fmt.Sprintf("zipapk: %s (%d) exceeded at offset 0x%x", e.Limit, e.Value, e.Offset)
	}
	return fmt.Sprintf("zipapk: %s (%d) exceeded reading %q at offset 0x%x", e.Limit, e.Value, e.Entry, e.Offset)
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }
