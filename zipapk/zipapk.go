// Package zipapk reads ZIP archives the way Android does.
//
// It follows libziparchive, the reader PackageManager and ART use, rather
// than the PKWARE specification or archive/zip: the EOCD nearest the end of
// the file wins, offsets are absolute, the central directory decides the
// compression method and sizes while the local header decides where the data
// starts, CRCs are not trusted. Every place where the file departs from a
// well-formed archive, or where Android and other tools would see different
// things, is recorded as an Anomaly instead of failing the whole file.
//
// The package never writes entries anywhere; names are data, not paths.
package zipapk

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Compression methods.
const (
	Store   uint16 = 0
	Deflate uint16 = 8
)

// General purpose flag bits.
const (
	FlagEncrypted      uint16 = 1 << 0
	FlagDataDescriptor uint16 = 1 << 3
	FlagUTF8           uint16 = 1 << 11
)

// Record signatures and fixed sizes (APPNOTE.TXT section 4.3).
const (
	sigLocal         = 0x04034b50
	sigCentral       = 0x02014b50
	sigEnd           = 0x06054b50
	sigZip64End      = 0x06064b50
	sigZip64Locator  = 0x07064b50
	sigDataDesc      = 0x08074b50
	localLen         = 30
	centralLen       = 46
	endLen           = 22
	zip64EndLen      = 56
	zip64LocatorLen  = 20
	maxCommentLen    = 65535
	zip64ExtraID     = 0x0001
	sigBlockMagic    = "APK Sig Block 42"
	sigBlockFooter   = 24 // uint64 size + 16-byte magic
	sigBlockMinSize  = 32 // both size fields and the magic, no pairs
	ratioGraceBytes  = 1 << 20
	defaultAnomalies = 1000
)

// Limits bound the work and memory spent on one archive. Zero or negative
// fields take the DefaultLimits value.
type Limits struct {
	MaxEntries       int   // central directory entries
	MaxEntrySize     int64 // uncompressed bytes of one entry
	MaxTotalInflated int64 // across all reads through one Reader
	MaxRatio         int64 // uncompressed/compressed, enforced once an entry passes 1 MiB inflated
	// (against the compressed bytes consumed so far, so a bomb stops early)
	// MaxAnomaliesPerKind caps recorded anomalies of one kind; a single
	// TooManyAnomalies anomaly notes the overflow.
	MaxAnomaliesPerKind int
}

// DefaultLimits returns limits that accept every real APK seen so far
// (the largest have ~40 000 entries and dex files of ~100 MiB) while keeping
// a zip bomb to a few GiB of CPU work and no memory beyond one entry.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:          200_000,
		MaxEntrySize:        1 << 30,
		MaxTotalInflated:    4 << 30,
		MaxRatio:            1000,
		MaxAnomaliesPerKind: defaultAnomalies,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	if l.MaxTotalInflated <= 0 {
		l.MaxTotalInflated = d.MaxTotalInflated
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxAnomaliesPerKind <= 0 {
		l.MaxAnomaliesPerKind = d.MaxAnomaliesPerKind
	}
	return l
}

// Entry is one central directory record, completed from its local header.
type Entry struct {
	Name             string
	Method           uint16 // as declared in the central directory
	Flags            uint16 // central directory flags
	CRC32            uint32
	CompressedSize   uint64
	UncompressedSize uint64
	HeaderOffset     int64 // local file header
	DataOffset       int64 // first byte of the (compressed) data, from the local header; -1 if unknown

	Index          int // position in the central directory
	CreatorVersion uint16
	ReaderVersion  uint16
	ModTime        uint16 // MS-DOS time
	ModDate        uint16 // MS-DOS date
	ExternalAttrs  uint32
	// The local header's fields sit beside ExternalAttrs, and err is a
	// pointer rather than an interface, to keep an entry at 144 bytes: a
	// central directory can hold 200,000 of them, all alive while the
	// app is open.
	LocalMethod   uint16 // as declared in the local header
	LocalFlags    uint16 // as declared in the local header
	Extra         []byte // central directory extra field
	Comment       string
	CentralOffset int64 // offset of the central directory record

	err     *FormatError // why the entry cannot be read, if it cannot
	descLen int64        // bytes of data descriptor after the data
}

// Modified is the MS-DOS modification time, read as UTC. It is the zero time
// when the date field is invalid.
func (e *Entry) Modified() time.Time {
	d, t := e.ModDate, e.ModTime
	month := int(d>>5) & 0xf
	day := int(d) & 0x1f
	if month < 1 || month > 12 || day < 1 {
		return time.Time{}
	}
	return time.Date(1980+int(d>>9), time.Month(month), day,
		int(t>>11), int(t>>5)&0x3f, int(t&0x1f)*2, 0, time.UTC)
}

// IsDir reports whether the name ends in a slash.
func (e *Entry) IsDir() bool { return strings.HasSuffix(e.Name, "/") }

// Err is the reason the entry's data cannot be read, or nil.
func (e *Entry) Err() error {
	if e.err == nil {
		return nil // not a nil *FormatError in a non-nil error
	}
	return e.err
}

// streamed reports whether Android expects a data descriptor: libziparchive
// trusts the local header's bit 3.
func (e *Entry) streamed() bool { return e.LocalFlags&FlagDataDescriptor != 0 }

// dataLen is the number of bytes Android reads from DataOffset: the
// uncompressed size for stored entries, the compressed size otherwise.
func (e *Entry) dataLen() uint64 {
	if e.Method == Store {
		return e.UncompressedSize
	}
	return e.CompressedSize
}

// Budget is a number of bytes several Readers may inflate between them,
// such as the APKs of one split set, so that the work and memory one input
// can cause stay bounded however it nests archives. It is safe for
// concurrent use.
type Budget struct {
	left  atomic.Int64
	limit int64
}

// NewBudget returns a budget of n bytes.
func NewBudget(n int64) *Budget {
	b := &Budget{limit: n}
	b.left.Store(n)
	return b
}

// Left is how many bytes remain.
func (b *Budget) Left() int64 { return max(b.left.Load(), 0) }

// ShareBudget makes every later read through z charge b too, beside z's own
// MaxTotalInflated. Call it before reading any entry.
func (z *Reader) ShareBudget(b *Budget) { z.budget = b }

// SigningBlock locates the APK Signing Block: it starts with its 8-byte size
// field and ends with the magic "APK Sig Block 42", directly before the
// central directory. Size counts every byte, both size fields included.
type SigningBlock struct {
	Offset, Size int64
}

// Reader gives access to the entries of one archive. It is safe for
// concurrent use.
type Reader struct {
	Entries                []*Entry // central directory order
	Comment                string
	CentralDirectoryOffset int64
	CentralDirectorySize   int64
	EndOffset              int64 // offset of the EOCD record used
	SigningBlock           *SigningBlock

	r      io.ReaderAt
	size   int64
	limits Limits
	names  nameIndex // the first entry of each name, for Lookup
	parent *Reader   // the Reader a View reads through, nil for one that owns its file

	inflated atomic.Int64
	budget   *Budget   // shared with other Readers, or nil
	pool     sync.Pool // *inflater, scoped to this Reader

	mu        sync.Mutex
	anomalies []Anomaly
	perKind   map[AnomalyKind]int
	seen      map[lazyKey]bool

	// head is ReadHead's window (see window), guarded by windowMu.
	windowMu sync.Mutex
	head     window
}

type lazyKey struct {
	kind  AnomalyKind
	entry int
}

// NewReader parses the archive of the given size read through r. It fails
// only when no central directory can be found; everything else becomes an
// anomaly.
func NewReader(r io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	z := &Reader{
		r:       r,
		size:    size,
		limits:  lim.withDefaults(),
		perKind: map[AnomalyKind]int{},
		seen:    map[lazyKey]bool{},
	}
	if size < endLen {
		return nil, &FormatError{Offset: 0, Msg: fmt.Sprintf("file of %d bytes too small for an end of central directory record", size)}
	}
	end, err := z.findEnd()
	if err != nil {
		return nil, err
	}
	if err := z.readCentral(end); err != nil {
		return nil, err
	}
	z.readLocals()
	z.checkNames()
	z.findSigningBlock()
	z.checkLayout()
	return z, nil
}

// endRecord is the EOCD, completed from the ZIP64 EOCD when there is one.
type endRecord struct {
	offset       int64
	disk, cdDisk uint32
	diskEntries  uint64
	entries      uint64
	cdSize       uint64
	cdOffset     uint64
	comment      []byte
	commentLen   int
	zip64        bool
}

func (z *Reader) readAt(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off > z.size || int64(n) > z.size-off {
		return nil, &FormatError{Offset: off, Msg: fmt.Sprintf("read of %d bytes past end of file (size %d)", n, z.size)}
	}
	b := make([]byte, n)
	if _, err := z.r.ReadAt(b, off); err != nil && !(err == io.EOF && n > 0) {
		return nil, &FormatError{Offset: off, Msg: "read failed", Err: err}
	}
	return b, nil
}

func parseEnd(b []byte, off int64) endRecord {
	return endRecord{
		offset:      off,
		disk:        uint32(binary.LittleEndian.Uint16(b[4:])),
		cdDisk:      uint32(binary.LittleEndian.Uint16(b[6:])),
		diskEntries: uint64(binary.LittleEndian.Uint16(b[8:])),
		entries:     uint64(binary.LittleEndian.Uint16(b[10:])),
		cdSize:      uint64(binary.LittleEndian.Uint32(b[12:])),
		cdOffset:    uint64(binary.LittleEndian.Uint32(b[16:])),
		commentLen:  int(binary.LittleEndian.Uint16(b[20:])),
	}
}

// findEnd scans back from the end for EOCD signatures and picks the one
// Android uses: the last one in the file. When that one is unusable (its
// comment does not end at the end of the file, or its central directory is
// out of range) Android rejects the file; we fall back to an earlier
// consistent record so the contents can still be examined.
func (z *Reader) findEnd() (endRecord, error) {
	start := max(z.size-(maxCommentLen+endLen), 0)
	tail, err := z.readAt(start, int(z.size-start))
	if err != nil {
		return endRecord{}, err
	}
	var cands []int64 // offsets, last first
	for i := len(tail) - endLen; i >= 0; i-- {
		if tail[i] == 'P' && binary.LittleEndian.Uint32(tail[i:]) == sigEnd {
			cands = append(cands, start+int64(i))
		}
	}
	if len(cands) == 0 {
		return endRecord{}, &FormatError{Offset: start, Msg: "end of central directory record not found"}
	}
	recs := make([]endRecord, len(cands))
	for i, off := range cands {
		rec := parseEnd(tail[off-start:], off)
		if c := tail[off-start+endLen:]; len(c) >= rec.commentLen {
			rec.comment = c[:rec.commentLen]
		} else {
			rec.comment = c
		}
		recs[i] = rec
	}
	exact := func(r endRecord) bool { return r.offset+endLen+int64(r.commentLen) == z.size }
	inRange := func(r endRecord) bool {
		return r.cdOffset <= uint64(r.offset) && r.cdSize <= uint64(r.offset)-r.cdOffset
	}
	pick := -1
	for _, ok := range []func(endRecord) bool{
		func(r endRecord) bool { return exact(r) && inRange(r) },
		exact,
		inRange,
	} {
		for i, r := range recs {
			if ok(r) {
				pick = i
				break
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 {
		pick = 0
	}
	end := recs[pick]
	// Signatures before the record used are usually just data (a nested
	// archive); they matter when they too end exactly at the end of the file,
	// so that a reader scanning forwards would take them.
	var offs []string
	for i, r := range recs {
		if i == pick || r.offset > end.offset || exact(r) {
			offs = append(offs, fmt.Sprintf("0x%x", r.offset))
		}
	}
	if len(offs) > 1 {
		detail := fmt.Sprintf("%d competing EOCD records at %s; using 0x%x", len(offs), strings.Join(offs, ", "), end.offset)
		if pick != 0 {
			detail += fmt.Sprintf("; Android uses the last one, at 0x%x, which is unusable", recs[0].offset)
		}
		z.addAnomaly(Anomaly{Kind: MultipleEOCD, Offset: end.offset, Detail: detail, AndroidRejects: pick != 0})
	}
	if !exact(end) {
		want := end.offset + endLen + int64(end.commentLen)
		d := fmt.Sprintf("EOCD comment of %d bytes ends at 0x%x, file ends at 0x%x", end.commentLen, want, z.size)
		z.addAnomaly(Anomaly{Kind: TrailingBytes, Offset: end.offset + 20, Detail: d, AndroidRejects: true})
	}
	z.Comment = string(end.comment)
	z.EndOffset = end.offset
	if end.disk != 0 || end.cdDisk != 0 {
		z.addAnomaly(Anomaly{Kind: MultiDisk, Offset: end.offset + 4,
			Detail: fmt.Sprintf("disk %d, central directory on disk %d", end.disk, end.cdDisk)})
	}
	// libziparchive (FindCentralDirectoryInfo) turns to the ZIP64 end
	// record only when the central directory's size or offset is
	// saturated; a 0xFFFF entry count alone means 65535 entries.
	if end.cdSize == 0xffffffff || end.cdOffset == 0xffffffff {
		z.readZip64End(&end)
	} else if end.entries == 0xffff || end.diskEntries == 0xffff {
		z.ignoredZip64(end)
	}
	if end.diskEntries != end.entries {
		z.addAnomaly(Anomaly{Kind: EntryCountMismatch, Offset: end.offset + 8,
			Detail: fmt.Sprintf("%d entries on this disk, %d in total", end.diskEntries, end.entries)})
	}
	return end, nil
}

// readZip64End replaces the EOCD values with those of the ZIP64 EOCD, which
// libziparchive (FindCentralDirectoryInfoForZip64) expects through a
// locator directly before the EOCD; without a valid one Android rejects
// the file.
func (z *Reader) readZip64End(end *endRecord) {
	locOff := end.offset - zip64LocatorLen
	loc, err := z.readAt(locOff, zip64LocatorLen)
	if locOff <= 0 || err != nil || binary.LittleEndian.Uint32(loc) != sigZip64Locator {
		z.addAnomaly(Anomaly{Kind: Zip64, Offset: end.offset + 12, AndroidRejects: true,
			Detail: "central directory size or offset is 0xFFFFFFFF but no ZIP64 locator precedes the end record"})
		return
	}
	recOff := binary.LittleEndian.Uint64(loc[8:])
	if recOff > uint64(locOff) || uint64(locOff)-recOff < zip64EndLen {
		z.addAnomaly(Anomaly{Kind: Zip64, Offset: locOff + 8, Detail: fmt.Sprintf("ZIP64 EOCD offset 0x%x out of range", recOff), AndroidRejects: true})
		return
	}
	rec, err := z.readAt(int64(recOff), zip64EndLen)
	if err != nil || binary.LittleEndian.Uint32(rec) != sigZip64End {
		z.addAnomaly(Anomaly{Kind: Zip64, Offset: int64(recOff), Detail: "ZIP64 EOCD signature missing", AndroidRejects: true})
		return
	}
	end.zip64 = true
	end.disk = binary.LittleEndian.Uint32(rec[16:])
	end.cdDisk = binary.LittleEndian.Uint32(rec[20:])
	end.diskEntries = binary.LittleEndian.Uint64(rec[24:])
	end.entries = binary.LittleEndian.Uint64(rec[32:])
	end.cdSize = binary.LittleEndian.Uint64(rec[40:])
	end.cdOffset = binary.LittleEndian.Uint64(rec[48:])
	if recOff <= end.cdSize || end.cdOffset > recOff-end.cdSize {
		z.addAnomaly(Anomaly{Kind: Zip64, Offset: int64(recOff) + 40, AndroidRejects: true,
			Detail: fmt.Sprintf("ZIP64 central directory (offset 0x%x, size %d) does not end before the ZIP64 end record at 0x%x", end.cdOffset, end.cdSize, recOff)})
	}
	// The central directory must end before the ZIP64 EOCD, not the EOCD.
	end.offset = int64(recOff)
	z.addAnomaly(Anomaly{Kind: Zip64, Offset: int64(recOff), Detail: "archive uses a ZIP64 end of central directory"})
}

// ignoredZip64 notes a ZIP64 end record that libziparchive does not read
// because the 32-bit record is not saturated where it matters (its size and
// offset): Android goes by the 32-bit record, other readers (which also
// honour a 0xFFFF entry count) by the ZIP64 one.
func (z *Reader) ignoredZip64(end endRecord) {
	locOff := end.offset - zip64LocatorLen
	if locOff <= 0 {
		return
	}
	loc, err := z.readAt(locOff, zip64LocatorLen)
	if err != nil || binary.LittleEndian.Uint32(loc) != sigZip64Locator {
		return
	}
	detail := fmt.Sprintf("entry count 0xFFFF with a ZIP64 locator at 0x%x: libziparchive ignores ZIP64 unless the central directory's size or offset is 0xFFFFFFFF, and reads %d entries", locOff, end.entries)
	if recOff := binary.LittleEndian.Uint64(loc[8:]); recOff < uint64(locOff) {
		if rec, err := z.readAt(int64(recOff), zip64EndLen); err == nil && binary.LittleEndian.Uint32(rec) == sigZip64End {
			detail += fmt.Sprintf("; the ZIP64 end record says %d", binary.LittleEndian.Uint64(rec[32:]))
		}
	}
	z.addAnomaly(Anomaly{Kind: Zip64, Offset: locOff, Detail: detail})
}

// readCentral locates and parses the central directory.
func (z *Reader) readCentral(end endRecord) error {
	limit := end.offset // the central directory must end before this
	if end.cdOffset > uint64(limit) {
		return &FormatError{Offset: z.EndOffset + 16, Msg: fmt.Sprintf("central directory offset 0x%x beyond end of central directory record at 0x%x", end.cdOffset, limit)}
	}
	cdOff := int64(end.cdOffset)
	cdSize := end.cdSize
	if cdSize > uint64(limit-cdOff) {
		z.addAnomaly(Anomaly{Kind: CentralDirectoryOverrun, Offset: z.EndOffset + 12, AndroidRejects: true,
			Detail: fmt.Sprintf("central directory of %d bytes at 0x%x runs past 0x%x", cdSize, cdOff, limit)})
		cdSize = uint64(limit - cdOff)
	}
	var base int64
	if cdSize >= 4 && end.entries > 0 {
		if sig, err := z.readAt(cdOff, 4); err == nil && binary.LittleEndian.Uint32(sig) != sigCentral {
			// Offsets may be relative to a base further into the file; look
			// where the directory would be if it sat right before the EOCD.
			if alt := limit - int64(end.cdSize); alt > cdOff && end.cdSize == cdSize {
				if sig, err := z.readAt(alt, 4); err == nil && binary.LittleEndian.Uint32(sig) == sigCentral {
					base = alt - cdOff
					z.addAnomaly(Anomaly{Kind: ShiftedOffsets, Offset: alt, AndroidRejects: true,
						Detail: fmt.Sprintf("offsets are relative to 0x%x; central directory found at 0x%x, not 0x%x", base, alt, cdOff)})
					cdOff = alt
				}
			}
		}
	}
	z.CentralDirectoryOffset = cdOff
	z.CentralDirectorySize = int64(cdSize)
	if gap := limit - (cdOff + int64(cdSize)); gap > 0 {
		z.addAnomaly(Anomaly{Kind: CentralDirectoryGap, Offset: cdOff + int64(cdSize),
			Detail: fmt.Sprintf("%d bytes between the central directory and the end record", gap)})
	}
	if end.entries == 0 {
		z.addAnomaly(Anomaly{Kind: EmptyArchive, Offset: z.EndOffset + 10, Detail: "no entries", AndroidRejects: true})
	}
	cd, err := z.readAt(cdOff, int(cdSize))
	if err != nil {
		return err
	}
	// Every record takes at least centralLen bytes: never allocate for more
	// records than the bytes can hold, whatever the count says.
	count := end.entries
	if fit := uint64(len(cd) / centralLen); count > fit {
		count = fit
	}
	if count > uint64(z.limits.MaxEntries) {
		count = uint64(z.limits.MaxEntries)
	}
	z.Entries = make([]*Entry, 0, count)
	// The entries and their names are carved from a few large blocks: one
	// allocation each would cost a central directory of 135,000 entries
	// as many allocations, and the names their rounding to a size class.
	slab := make([]Entry, count)
	var names arena
	pos := 0
	for i := uint64(0); i < end.entries; i++ {
		if len(z.Entries) >= z.limits.MaxEntries {
			z.addAnomaly(Anomaly{Kind: LimitExceeded, Offset: cdOff + int64(pos),
				Detail: fmt.Sprintf("MaxEntries (%d) reached; %d further entries ignored", z.limits.MaxEntries, end.entries-i)})
			return nil
		}
		// The slab holds as many records as the bytes can; a record past
		// it is one that cannot parse, and gets an entry of its own.
		var e *Entry
		if len(slab) > 0 {
			e, slab = &slab[0], slab[1:]
		} else {
			e = new(Entry)
		}
		n, err := parseCentral(e, &names, cd[pos:], cdOff+int64(pos))
		if err != nil {
			z.addAnomaly(Anomaly{Kind: CentralDirectoryTruncated, Offset: cdOff + int64(pos), AndroidRejects: true,
				Detail: fmt.Sprintf("%d of %d declared entries parsed: %v", i, end.entries, err)})
			return nil
		}
		e.Index = len(z.Entries)
		e.HeaderOffset += base
		z.Entries = append(z.Entries, e)
		pos += n
	}
	if len(cd)-pos >= 4 && binary.LittleEndian.Uint32(cd[pos:]) == sigCentral {
		z.addAnomaly(Anomaly{Kind: EntryCountMismatch, Offset: cdOff + int64(pos),
			Detail: fmt.Sprintf("central directory records follow the %d declared entries; Android ignores them", end.entries)})
	}
	return nil
}

// parseCentral parses one central directory record at the start of b, which
// lies at file offset off, into e, its strings copied into names. It
// returns the record's length.
func parseCentral(e *Entry, names *arena, b []byte, off int64) (int, error) {
	if len(b) < centralLen {
		return 0, &FormatError{Offset: off, Msg: fmt.Sprintf("central directory record needs %d bytes, %d remain", centralLen, len(b))}
	}
	if sig := binary.LittleEndian.Uint32(b); sig != sigCentral {
		return 0, &FormatError{Offset: off, Msg: fmt.Sprintf("bad central directory signature 0x%08x", sig)}
	}
	le := binary.LittleEndian
	nameLen, extraLen, commentLen := int(le.Uint16(b[28:])), int(le.Uint16(b[30:])), int(le.Uint16(b[32:]))
	n := centralLen + nameLen + extraLen + commentLen
	if n > len(b) {
		return 0, &FormatError{Offset: off, Msg: fmt.Sprintf("central directory record of %d bytes, %d remain", n, len(b))}
	}
	*e = Entry{
		CreatorVersion:   le.Uint16(b[4:]),
		ReaderVersion:    le.Uint16(b[6:]),
		Flags:            le.Uint16(b[8:]),
		Method:           le.Uint16(b[10:]),
		ModTime:          le.Uint16(b[12:]),
		ModDate:          le.Uint16(b[14:]),
		CRC32:            le.Uint32(b[16:]),
		CompressedSize:   uint64(le.Uint32(b[20:])),
		UncompressedSize: uint64(le.Uint32(b[24:])),
		ExternalAttrs:    le.Uint32(b[38:]),
		HeaderOffset:     int64(le.Uint32(b[42:])),
		DataOffset:       -1,
		CentralOffset:    off,
	}
	e.Name = names.str(b[centralLen : centralLen+nameLen])
	// A copy: a slice of b would keep the whole central directory alive
	// as long as any entry (14 MB for 135,000 entries).
	e.Extra = bytes.Clone(b[centralLen+nameLen : centralLen+nameLen+extraLen])
	e.Comment = names.str(b[centralLen+nameLen+extraLen : n])
	if e.UncompressedSize == 0xffffffff || e.CompressedSize == 0xffffffff || e.HeaderOffset == 0xffffffff {
		u, c, o, err := zip64Extra(e.Extra, e.UncompressedSize == 0xffffffff, e.CompressedSize == 0xffffffff, e.HeaderOffset == 0xffffffff)
		if err != nil {
			e.err = &FormatError{Offset: off + centralLen + int64(nameLen), Msg: "bad ZIP64 extra field", Err: err}
		} else {
			if u != nil {
				e.UncompressedSize = *u
			}
			if c != nil {
				e.CompressedSize = *c
			}
			if o != nil {
				if *o > 1<<62 {
					e.err = &FormatError{Offset: off + centralLen + int64(nameLen), Msg: fmt.Sprintf("ZIP64 local header offset 0x%x out of range", *o)}
				} else {
					e.HeaderOffset = int64(*o)
				}
			}
		}
	}
	return n, nil
}

// zip64Extra reads the ZIP64 extended information field: the 64-bit values
// of the fields whose 32-bit copies are saturated, in that order.
func zip64Extra(extra []byte, wantU, wantC, wantO bool) (u, c, o *uint64, err error) {
	for len(extra) >= 4 {
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if n > len(extra) {
			return nil, nil, nil, fmt.Errorf("extra field 0x%04x of %d bytes, %d remain", id, n, len(extra))
		}
		if id != zip64ExtraID {
			extra = extra[n:]
			continue
		}
		data := extra[:n]
		// Some writers (Go's archive/zip among them) always store all three;
		// libziparchive accepts that, so do we.
		if n >= 24 {
			wantU, wantC, wantO = true, true, true
		}
		take := func(want bool) (*uint64, error) {
			if !want {
				return nil, nil
			}
			if len(data) < 8 {
				return nil, fmt.Errorf("ZIP64 extra field too short (%d bytes)", n)
			}
			v := binary.LittleEndian.Uint64(data)
			data = data[8:]
			return &v, nil
		}
		if u, err = take(wantU); err != nil {
			return
		}
		if c, err = take(wantC); err != nil {
			return
		}
		o, err = take(wantO)
		return
	}
	return nil, nil, nil, fmt.Errorf("no ZIP64 extra field")
}

// readLocals reads every entry's local header to find where its data starts
// and compares it with the central directory.
func (z *Reader) readLocals() {
	// Local headers mostly lie close together: one read serves many.
	var w window
	for _, e := range z.Entries {
		if e.err != nil {
			z.addAnomaly(Anomaly{Kind: BadLocalHeader, Offset: e.CentralOffset, Entry: e.Name, Detail: e.err.Error(), AndroidRejects: true})
			continue
		}
		if err := z.readLocal(&w, e); err != nil {
			e.err = err
			z.addAnomaly(Anomaly{Kind: BadLocalHeader, Offset: err.Offset, Entry: e.Name, Detail: err.Error(), AndroidRejects: true})
		}
	}
}

func (z *Reader) readLocal(w *window, e *Entry) *FormatError {
	off := e.HeaderOffset
	if off < 0 || off > z.size-localLen {
		return &FormatError{Offset: e.CentralOffset + 42, Msg: fmt.Sprintf("local header offset 0x%x out of range", off)}
	}
	if off >= z.CentralDirectoryOffset {
		z.addAnomaly(Anomaly{Kind: BadLocalHeader, Offset: e.CentralOffset + 42, Entry: e.Name, AndroidRejects: true,
			Detail: fmt.Sprintf("local header at 0x%x is not before the central directory at 0x%x", off, z.CentralDirectoryOffset)})
	}
	// One read for the fixed part and the name, which is usually all there is.
	n := min(int64(localLen+len(e.Name)), z.size-off)
	b, err := w.read(z, off, int(n))
	if err == nil && len(b) < int(n) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return &FormatError{Offset: off, Msg: "read failed", Err: err}
	}
	le := binary.LittleEndian
	if sig := le.Uint32(b); sig != sigLocal {
		return &FormatError{Offset: off, Msg: fmt.Sprintf("bad local header signature 0x%08x", sig)}
	}
	e.LocalFlags = le.Uint16(b[6:])
	e.LocalMethod = le.Uint16(b[8:])
	crc := le.Uint32(b[14:])
	csize, usize := uint64(le.Uint32(b[18:])), uint64(le.Uint32(b[22:]))
	nameLen, extraLen := int64(le.Uint16(b[26:])), int64(le.Uint16(b[28:]))
	dataOff := off + localLen + nameLen + extraLen
	if dataOff > z.size {
		return &FormatError{Offset: off + 26, Msg: fmt.Sprintf("local name and extra field (%d+%d bytes) run past end of file", nameLen, extraLen)}
	}
	e.DataOffset = dataOff

	var diffs []string
	rejects := false
	if nameLen != int64(len(e.Name)) {
		diffs = append(diffs, fmt.Sprintf("name length: central %d, local %d", len(e.Name), nameLen))
		rejects = true
	} else if local := string(b[localLen:]); local != e.Name {
		diffs = append(diffs, fmt.Sprintf("name: central %q, local %q", e.Name, local))
		rejects = true
	}
	if e.LocalMethod != e.Method {
		diffs = append(diffs, fmt.Sprintf("method: central %d, local %d (Android uses the central one)", e.Method, e.LocalMethod))
	}
	if e.LocalFlags != e.Flags {
		diffs = append(diffs, fmt.Sprintf("flags: central 0x%04x, local 0x%04x", e.Flags, e.LocalFlags))
	}
	if !e.streamed() {
		if usize == 0xffffffff || csize == 0xffffffff {
			if ex, err := z.readAt(off+localLen+nameLen, int(extraLen)); err == nil {
				if u, c, _, err := zip64Extra(ex, usize == 0xffffffff, csize == 0xffffffff, false); err == nil && u != nil && c != nil {
					usize, csize = *u, *c
				}
			}
		}
		if crc != e.CRC32 {
			diffs = append(diffs, fmt.Sprintf("CRC-32: central %08x, local %08x", e.CRC32, crc))
			rejects = true
		}
		if csize != e.CompressedSize || usize != e.UncompressedSize {
			diffs = append(diffs, fmt.Sprintf("sizes: central %d/%d, local %d/%d (compressed/uncompressed)", e.CompressedSize, e.UncompressedSize, csize, usize))
			rejects = true
		}
	}
	if len(diffs) > 0 {
		z.addAnomaly(Anomaly{Kind: LocalHeaderMismatch, Offset: off, Entry: e.Name, Detail: strings.Join(diffs, "; "), AndroidRejects: rejects})
	}

	if e.Method != Store && e.Method != Deflate {
		z.addAnomaly(Anomaly{Kind: UnknownMethod, Offset: e.CentralOffset + 10, Entry: e.Name,
			Detail: fmt.Sprintf("compression method %d; read as stored", e.Method), AndroidRejects: true})
	} else if e.Method == Store && e.CompressedSize != e.UncompressedSize {
		z.addAnomaly(Anomaly{Kind: SizeMismatch, Offset: e.CentralOffset + 20, Entry: e.Name,
			Detail: fmt.Sprintf("stored entry with compressed size %d and uncompressed size %d; Android reads %d bytes", e.CompressedSize, e.UncompressedSize, e.UncompressedSize)})
	}
	if e.Flags&FlagEncrypted != 0 || e.LocalFlags&FlagEncrypted != 0 {
		z.addAnomaly(Anomaly{Kind: EncryptionFlag, Offset: e.CentralOffset + 8, Entry: e.Name,
			Detail: "encryption bit set; Android ignores it and reads the data as plain"})
	}
	end := uint64(dataOff) + e.dataLen()
	if e.dataLen() > uint64(z.size-dataOff) {
		z.addAnomaly(Anomaly{Kind: EntryOutOfBounds, Offset: dataOff, Entry: e.Name, AndroidRejects: true,
			Detail: fmt.Sprintf("%d bytes of data at 0x%x run past end of file at 0x%x", e.dataLen(), dataOff, z.size)})
	} else if end > uint64(z.CentralDirectoryOffset) {
		z.addAnomaly(Anomaly{Kind: EntryOutOfBounds, Offset: dataOff, Entry: e.Name, AndroidRejects: true,
			Detail: fmt.Sprintf("data ends at 0x%x, inside the central directory at 0x%x", end, z.CentralDirectoryOffset)})
	} else if e.streamed() {
		z.checkDescriptor(e, int64(end))
	}
	return nil
}

// checkDescriptor compares the data descriptor after a streamed entry with
// the central directory, as libziparchive does after extracting it.
func (z *Reader) checkDescriptor(e *Entry, off int64) {
	n := min(24, z.size-off)
	b, err := z.readAt(off, int(n))
	if err != nil || len(b) < 12 {
		z.addAnomaly(Anomaly{Kind: DataDescriptorMismatch, Offset: off, Entry: e.Name, AndroidRejects: true, Detail: "data descriptor missing"})
		return
	}
	e.descLen = 12
	if binary.LittleEndian.Uint32(b) == sigDataDesc {
		b = b[4:]
		e.descLen += 4
	}
	crc := binary.LittleEndian.Uint32(b)
	var c, u uint64
	if e.CompressedSize >= 0xffffffff || e.UncompressedSize >= 0xffffffff {
		if len(b) < 20 {
			z.addAnomaly(Anomaly{Kind: DataDescriptorMismatch, Offset: off, Entry: e.Name, AndroidRejects: true, Detail: "ZIP64 data descriptor truncated"})
			return
		}
		c, u = binary.LittleEndian.Uint64(b[4:]), binary.LittleEndian.Uint64(b[12:])
		e.descLen += 8
	} else {
		c, u = uint64(binary.LittleEndian.Uint32(b[4:])), uint64(binary.LittleEndian.Uint32(b[8:]))
	}
	if crc != e.CRC32 || c != e.CompressedSize || u != e.UncompressedSize {
		z.addAnomaly(Anomaly{Kind: DataDescriptorMismatch, Offset: off, Entry: e.Name, AndroidRejects: true,
			Detail: fmt.Sprintf("descriptor says CRC %08x, sizes %d/%d; central directory CRC %08x, sizes %d/%d", crc, c, u, e.CRC32, e.CompressedSize, e.UncompressedSize)})
	}
}

// checkNames flags hostile and duplicate names and builds the lookup table.
func (z *Reader) checkNames() {
	z.names = newNameIndex(z.Entries)
	for i, e := range z.Entries {
		if why, rejects := hostileName(e.Name); why != "" {
			z.addAnomaly(Anomaly{Kind: HostileName, Offset: e.CentralOffset + centralLen, Entry: e.Name, Detail: why, AndroidRejects: rejects})
		}
		if p, ok := z.names.add(i); !ok {
			first := z.Entries[p]
			z.addAnomaly(Anomaly{Kind: DuplicateName, Offset: e.CentralOffset, Entry: e.Name, AndroidRejects: true,
				Detail: fmt.Sprintf("entry %d repeats the name of entry %d (local header 0x%x); Lookup returns entry %d", e.Index, first.Index, first.HeaderOffset, first.Index)})
		}
	}
}

// hostileName says what is wrong with a name meant to be a relative path
// inside the archive, and whether libziparchive refuses it.
func hostileName(name string) (string, bool) {
	if plainName(name) {
		return "", false
	}
	return hostileNameWhy(name)
}

// plainName reports whether name is printable ASCII without a backslash,
// a leading '/', a drive letter or "..": nothing hostileNameWhy flags. It
// is most names, and asks nothing that allocates.
func plainName(name string) bool {
	if name == "" || name[0] == '/' || (len(name) >= 2 && name[1] == ':') || strings.Contains(name, "..") {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

// hostileNameWhy is hostileName's reasons, worked out in full.
func hostileNameWhy(name string) (string, bool) {
	var why []string
	rejects := false
	if name == "" {
		why = append(why, "empty name")
	}
	if !utf8.ValidString(name) {
		why = append(why, "invalid UTF-8")
		rejects = true
	}
	if strings.IndexByte(name, 0) >= 0 {
		why = append(why, "NUL byte")
		rejects = true
	}
	for _, r := range name {
		if r != 0 && (r < 0x20 || r == 0x7f) {
			why = append(why, fmt.Sprintf("control character %U", r))
			break
		}
	}
	if strings.IndexByte(name, '\\') >= 0 {
		why = append(why, "backslash")
	}
	if strings.HasPrefix(name, "/") || strings.HasPrefix(name, "\\") ||
		(len(name) >= 2 && name[1] == ':' && (name[0]|0x20) >= 'a' && (name[0]|0x20) <= 'z') {
		why = append(why, "absolute path")
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			why = append(why, `".." component`)
			break
		}
	}
	return strings.Join(why, ", "), rejects
}

type span struct {
	start, end int64
	e          *Entry
}

// checkLayout looks at where entries sit: bytes before the first one and
// entries that share bytes.
func (z *Reader) checkLayout() {
	spans := make([]span, 0, len(z.Entries))
	for _, e := range z.Entries {
		if e.DataOffset < 0 {
			continue
		}
		end := e.DataOffset + int64(min(e.dataLen(), uint64(z.size-e.DataOffset))) + e.descLen
		spans = append(spans, span{e.HeaderOffset, end, e})
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].e.Index < spans[j].e.Index
	})
	head, err := z.readAt(0, 4)
	startsLocal := err == nil && binary.LittleEndian.Uint32(head) == sigLocal
	switch {
	case len(z.Entries) == 0:
		// Nothing to be in front of; Android stops at EmptyArchive first.
	case !startsLocal:
		first := z.CentralDirectoryOffset
		if len(spans) > 0 {
			first = spans[0].start
		}
		z.addAnomaly(Anomaly{Kind: PrefixBytes, Offset: 0, AndroidRejects: true,
			Detail: fmt.Sprintf("file does not start with a local header; %d bytes before the first entry", first)})
	case len(spans) > 0 && spans[0].start > 0:
		z.addAnomaly(Anomaly{Kind: PrefixBytes, Offset: 0,
			Detail: fmt.Sprintf("%d bytes before the first referenced local header begin with an unreferenced local header (hidden entry)", spans[0].start)})
	}
	var prev *span
	for i := range spans {
		s := &spans[i]
		if prev != nil && s.start < prev.end {
			z.addAnomaly(Anomaly{Kind: OverlappingEntries, Offset: s.start, Entry: s.e.Name,
				Detail: fmt.Sprintf("entry %d (0x%x-0x%x) overlaps entry %d %q (0x%x-0x%x)", s.e.Index, s.start, s.end, prev.e.Index, prev.e.Name, prev.start, prev.end)})
		}
		if prev != nil && s.start > prev.end && !z.isPadding(prev.end, s.start) {
			z.addAnomaly(Anomaly{Kind: UnreferencedBytes, Offset: prev.end,
				Detail: fmt.Sprintf("%d bytes between entry %q and entry %q belong to no entry", s.start-prev.end, prev.e.Name, s.e.Name)})
		}
		if prev == nil || s.end > prev.end {
			prev = s
		}
	}
	if prev != nil {
		next, what := z.CentralDirectoryOffset, "the central directory"
		if z.SigningBlock != nil {
			next, what = z.SigningBlock.Offset, "the APK Signing Block"
		}
		if prev.end < next && !z.isPadding(prev.end, next) {
			z.addAnomaly(Anomaly{Kind: UnreferencedBytes, Offset: prev.end,
				Detail: fmt.Sprintf("%d bytes between the last entry %q and %s belong to no entry", next-prev.end, prev.e.Name, what)})
		}
	}
}

// isPadding reports whether [from, to) holds only zeros: alignment padding
// (apksigner pads the entries so that the APK Signing Block starts on a
// 4096-byte boundary), which hides nothing.
func (z *Reader) isPadding(from, to int64) bool {
	for from < to {
		b, err := z.readAt(from, int(min(to-from, 64<<10)))
		if err != nil {
			return false
		}
		for _, c := range b {
			if c != 0 {
				return false
			}
		}
		from += int64(len(b))
	}
	return true
}

// findSigningBlock looks for the APK Signing Block footer right before the
// central directory (APK Signature Scheme v2, "APK Signing Block").
func (z *Reader) findSigningBlock() {
	cd := z.CentralDirectoryOffset
	if cd < sigBlockFooter {
		return
	}
	foot, err := z.readAt(cd-sigBlockFooter, sigBlockFooter)
	if err != nil || string(foot[8:]) != sigBlockMagic {
		return
	}
	size := binary.LittleEndian.Uint64(foot)
	if size < sigBlockMinSize-8 || size > uint64(cd-8) {
		z.addAnomaly(Anomaly{Kind: SigningBlockMalformed, Offset: cd - sigBlockFooter, AndroidRejects: true,
			Detail: fmt.Sprintf("APK Signing Block size %d out of range", size)})
		return
	}
	start := cd - int64(size) - 8
	head, err := z.readAt(start, 8)
	if err != nil {
		return
	}
	if h := binary.LittleEndian.Uint64(head); h != size {
		z.addAnomaly(Anomaly{Kind: SigningBlockMalformed, Offset: start, AndroidRejects: true,
			Detail: fmt.Sprintf("APK Signing Block sizes differ: header %d, footer %d", h, size)})
		return
	}
	z.SigningBlock = &SigningBlock{Offset: start, Size: int64(size) + 8}
	for _, e := range z.Entries {
		if e.DataOffset >= 0 && e.DataOffset+int64(min(e.dataLen(), uint64(z.size-e.DataOffset))) > start && e.HeaderOffset < cd {
			z.addAnomaly(Anomaly{Kind: EntryOutOfBounds, Offset: e.HeaderOffset, Entry: e.Name,
				Detail: fmt.Sprintf("entry overlaps the APK Signing Block at 0x%x", start)})
		}
	}
}

// ReadSigningBlock returns the whole APK Signing Block, both size fields and
// the magic included.
func (z *Reader) ReadSigningBlock() ([]byte, error) {
	if z.SigningBlock == nil {
		return nil, &FormatError{Offset: z.CentralDirectoryOffset, Msg: "no APK Signing Block before the central directory"}
	}
	return z.readAt(z.SigningBlock.Offset, int(z.SigningBlock.Size))
}

// Lookup returns the entry Android would use for name: with duplicate names,
// the first in central directory order (Android 4.4+ refuses such files, and
// earlier native loaders used the first; see DuplicateName). It returns nil
// when there is no such entry.
func (z *Reader) Lookup(name string) *Entry { return z.names.lookup(name) }

// Anomalies returns a copy of the anomalies found so far, including those
// found while reading entries.
func (z *Reader) Anomalies() []Anomaly {
	z.mu.Lock()
	defer z.mu.Unlock()
	return append([]Anomaly(nil), z.anomalies...)
}

// Size is the archive's size in bytes.
func (z *Reader) Size() int64 { return z.size }

func (z *Reader) addAnomaly(a Anomaly) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.addLocked(a)
}

func (z *Reader) addLocked(a Anomaly) {
	n := z.perKind[a.Kind]
	z.perKind[a.Kind] = n + 1
	switch {
	case n < z.limits.MaxAnomaliesPerKind:
		z.anomalies = append(z.anomalies, a)
	case n == z.limits.MaxAnomaliesPerKind:
		z.anomalies = append(z.anomalies, Anomaly{Kind: TooManyAnomalies, Offset: a.Offset,
			Detail: fmt.Sprintf("further %s anomalies not recorded", a.Kind)})
	}
}

// addLazy records an anomaly found while reading an entry, once per entry
// and kind however often the entry is read.
func (z *Reader) addLazy(e *Entry, a Anomaly) {
	z.mu.Lock()
	defer z.mu.Unlock()
	k := lazyKey{a.Kind, e.Index}
	if z.seen[k] {
		return
	}
	z.seen[k] = true
	z.addLocked(a)
}
