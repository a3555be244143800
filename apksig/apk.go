package apksig

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
)

// Result is everything found about an APK's signatures.
type Result struct {
	// Schemes lists the schemes whose signature data is present, in the
	// order v1, v2, v3, v3.1, whether or not it verified.
	Schemes []Scheme
	Signers []*Signer
	// BlockIDs lists the IDs of the APK Signing Block's pairs in order (see
	// BlockName).
	BlockIDs []uint32
	// SigningBlockOffset is the file offset of the APK Signing Block, or -1.
	SigningBlockOffset int64
	// ContentChecked is true when the v2/v3 digests of the whole APK were
	// compared with its contents (Limits.VerifyContent).
	ContentChecked bool
	// Problems are file-level problems; each signer has its own too.
	Problems []error
}

// Has reports whether scheme is present.
func (r *Result) Has(s Scheme) bool {
	for _, x := range r.Schemes {
		if x == s {
			return true
		}
	}
	return false
}

// Verified reports whether scheme is present and all its signers verified.
func (r *Result) Verified(s Scheme) bool {
	n := 0
	for _, sg := range r.Signers {
		if sg.Scheme == s {
			if !sg.Verified {
				return false
			}
			n++
		}
	}
	return n > 0
}

// SignersOf returns the signers of one scheme.
func (r *Result) SignersOf(s Scheme) []*Signer {
	var out []*Signer
	for _, sg := range r.Signers {
		if sg.Scheme == s {
			out = append(out, sg)
		}
	}
	return out
}

const (
	eocdSize      = 22
	eocdSig       = 0x06054b50
	maxCommentLen = 0xffff
)

// zipTail describes where the APK Signing Block would sit.
type zipTail struct {
	eocdOffset int64
	eocd       []byte
	cdOffset   int64
	cdSize     int64
}

// findEOCD locates the ZIP end of central directory record, scanning back
// over at most a maximum-length comment.
func findEOCD(r io.ReaderAt, size int64) (*zipTail, error) {
	if size < eocdSize {
		return nil, formatErr(0, nil, "file of %d bytes is too small for a ZIP end record", size)
	}
	n := int64(eocdSize + maxCommentLen)
	if n > size {
		n = size
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-n); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("apksig: reading ZIP end record: %w", err)
	}
	for i := len(buf) - eocdSize; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) != eocdSig {
			continue
		}
		// The comment length must reach exactly to the end of the file.
		if int(binary.LittleEndian.Uint16(buf[i+20:])) != len(buf)-i-eocdSize {
			continue
		}
		t := &zipTail{eocdOffset: size - n + int64(i), eocd: buf[i:]}
		t.cdSize = int64(binary.LittleEndian.Uint32(buf[i+12:]))
		t.cdOffset = int64(binary.LittleEndian.Uint32(buf[i+16:]))
		if t.cdOffset+t.cdSize > t.eocdOffset {
			return nil, formatErr(t.eocdOffset, nil, "central directory (offset %d, size %d) overlaps the end record", t.cdOffset, t.cdSize)
		}
		return t, nil
	}
	return nil, formatErr(size-n, nil, "no ZIP end of central directory record")
}

// findSigningBlock reads the APK Signing Block that ends where the central
// directory starts. It returns nil, -1 and no error when there is none.
func findSigningBlock(r io.ReaderAt, cdOffset, maxSize int64) ([]byte, int64, error) {
	if cdOffset < minBlockSize {
		return nil, -1, nil
	}
	var foot [24]byte
	if _, err := r.ReadAt(foot[:], cdOffset-24); err != nil {
		return nil, -1, fmt.Errorf("apksig: reading signing block footer: %w", err)
	}
	if !bytes.Equal(foot[8:], []byte(SigningBlockMagic)) {
		return nil, -1, nil
	}
	size := binary.LittleEndian.Uint64(foot[:8])
	if size < minBlockSize-8 || size > uint64(cdOffset-8) {
		return nil, -1, formatErr(cdOffset-24, nil, "signing block size %d does not fit before the central directory at %d", size, cdOffset)
	}
	if int64(size) > maxSize {
		return nil, -1, limitErr(cdOffset-24, fmt.Sprintf("signing block of %d bytes", size), "MaxBlockSize", maxSize)
	}
	start := cdOffset - int64(size) - 8
	block := make([]byte, size+8)
	if _, err := r.ReadAt(block, start); err != nil {
		return nil, -1, fmt.Errorf("apksig: reading signing block: %w", err)
	}
	return block, start, nil
}

// ReadAPK reads and verifies all signatures of the APK in r, using z for
// the ZIP entries' contents (the META-INF files, and every entry when
// VerifyContent is set). It locates the ZIP end record and the APK Signing
// Block itself. Problems are recorded in the Result; the error is non-nil
// only when the file's ZIP end record cannot be found.
func (l Limits) ReadAPK(r io.ReaderAt, size int64, z ZipContents) (*Result, error) {
	l = l.withDefaults()
	tail, err := findEOCD(r, size)
	if err != nil {
		res := &Result{SigningBlockOffset: -1}
		l.readV1(res, z)
		return res, err
	}
	return l.read(r, tail, z), nil
}

// read does the work of ReadAPK once the end record is known: it locates
// the signing block itself, for files no ZIP reader located it in.
func (l Limits) read(r io.ReaderAt, tail *zipTail, z ZipContents) *Result {
	res := &Result{SigningBlockOffset: -1}
	block, off, err := findSigningBlock(r, tail.cdOffset, l.MaxBlockSize)
	if err != nil {
		res.Problems = append(res.Problems, err)
	}
	l.finish(res, r, block, off, tail, z)
	return res
}

// finish reads the signing block (nil when there is none) found at off and
// the JAR signature, and runs the cross-scheme checks. r and tail, when r
// is non-nil, serve the whole-file content digests.
func (l Limits) finish(res *Result, r io.ReaderAt, block []byte, off int64, tail *zipTail, z ZipContents) {
	if block != nil {
		res.SigningBlockOffset = off
		l.readBlock(res, block, off)
		checkGap(res, tail.eocdOffset-tail.cdOffset-tail.cdSize)
		if l.VerifyContent && r != nil && tail.eocd != nil {
			l.verifyContent(res, r, off, tail)
		}
	}
	l.readV1(res, z)
	checkStripping(res)
	sortSigners(res)
}

// checkGap flags v2/v3 signers when the central directory does not end
// where the end record starts: Android then does not look for the APK
// Signing Block at all.
func checkGap(res *Result, gap int64) {
	if gap == 0 {
		return
	}
	for _, s := range res.Signers {
		if s.Scheme != SchemeV1 {
			s.problem("%d bytes between the central directory and the end record: Android ignores the APK Signing Block", gap)
			s.Verified = false
		}
	}
}

func sortSigners(res *Result) {
	sort.SliceStable(res.Signers, func(i, j int) bool { return res.Signers[i].Scheme < res.Signers[j].Scheme })
}

// readV1 reads and verifies the JAR signature, if any.
func (l Limits) readV1(res *Result, z ZipContents) {
	if z == nil {
		return
	}
	v1Files, errs := l.readV1Files(z)
	res.Problems = append(res.Problems, errs...)
	if len(v1Files) == 0 {
		return
	}
	signers, err := l.ParseV1(v1Files)
	if len(signers) > 0 {
		res.Schemes = append(res.Schemes, SchemeV1)
		res.Signers = append(res.Signers, signers...)
		// Android ignores v1 once v2 or v3 is present, so the per-entry
		// digests (which mean inflating every entry) are checked only when
		// v1 is all there is, or when asked to.
		checkEntries := l.VerifyV1Entries || (l.VerifyContent && !res.Has(SchemeV2) && !res.Has(SchemeV3))
		if manifest := v1Files[ManifestName]; checkEntries && manifest != nil {
			for _, p := range verifyV1Entries(manifest, z) {
				for _, s := range signers {
					s.problem("%s", p)
					s.Verified = false
				}
			}
		}
	} else if err != nil && v1Files[ManifestName] == nil {
		err = nil // neither manifest nor signature: simply not v1-signed
	}
	if err != nil {
		res.Problems = append(res.Problems, err)
	}
}

func (l Limits) readBlock(res *Result, block []byte, fileOff int64) {
	pairs, err := l.ParseSigningBlock(block)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Offset += fileOff // report file offsets
		}
		res.Problems = append(res.Problems, fmt.Errorf("APK Signing Block: %w", err))
	}
	seen := map[uint32]bool{}
	for _, p := range pairs {
		res.BlockIDs = append(res.BlockIDs, p.ID)
		var scheme Scheme
		switch p.ID {
		case BlockIDV2:
			scheme = SchemeV2
		case BlockIDV3:
			scheme = SchemeV3
		case BlockIDV31:
			scheme = SchemeV31
		default:
			continue
		}
		if seen[p.ID] {
			res.Problems = append(res.Problems, fmt.Errorf("apksig: duplicate %s block at offset 0x%x", BlockName(p.ID), fileOff+p.Offset))
			continue
		}
		seen[p.ID] = true
		var signers []*Signer
		if scheme == SchemeV2 {
			signers, err = l.ParseV2(p.Value)
		} else {
			signers, err = l.ParseV3(p.Value, scheme)
		}
		res.Schemes = append(res.Schemes, scheme)
		res.Signers = append(res.Signers, signers...)
		if err != nil {
			var fe *FormatError
			if errors.As(err, &fe) {
				fe.Offset += fileOff + p.Offset + 12 // 8-byte length, 4-byte ID
			}
			res.Problems = append(res.Problems, &SchemeError{Scheme: scheme, Block: BlockName(p.ID), Err: err})
		}
	}
	sort.SliceStable(res.Schemes, func(i, j int) bool { return res.Schemes[i] < res.Schemes[j] })
}

// SchemeError is a problem reading the block of one signature scheme
// (v2, v3, v3.1). Android does not fall back to an older scheme when the
// block of a newer one is present but malformed: from the release that
// reads the scheme (MinSDK) on, it refuses the APK, whatever the v1
// signature says.
type SchemeError struct {
	Scheme Scheme
	Block  string // BlockName of the pair
	Err    error
}

func (e *SchemeError) Error() string { return e.Block + ": " + e.Err.Error() }
func (e *SchemeError) Unwrap() error { return e.Err }

// MinSDK is the first Android API level that verifies the scheme.
func (e *SchemeError) MinSDK() int { return SchemeMinSDK(e.Scheme) }

// SchemeMinSDK is the first Android API level that verifies a scheme:
// v1 always, v2 from 24 (7.0), v3 from 28 (9), v3.1 from 33 (13).
func SchemeMinSDK(s Scheme) int {
	switch s {
	case SchemeV2:
		return 24
	case SchemeV3:
		return 28
	case SchemeV31:
		return 33
	}
	return 1
}

// checkStripping flags signatures that another scheme says exist but that
// are missing: the sign of a downgrade by stripping the stronger scheme.
// It also checks that v3 and v3.1 agree: a v3 signer announcing rotation
// from some SDK needs a v3.1 block for it, and v3.1 needs v3.
func checkStripping(res *Result) {
	if res.Has(SchemeV31) && !res.Has(SchemeV3) {
		res.Problems = append(res.Problems, errors.New("apksig: v3.1 signature without the v3 signature it supplements"))
	}
	for _, s := range res.SignersOf(SchemeV3) {
		if s.RotationMinSDK == 0 {
			continue
		}
		found := false
		for _, t := range res.SignersOf(SchemeV31) {
			if t.MinSDK == s.RotationMinSDK {
				found = true
			}
		}
		if !found {
			s.problem("signer expects a v3.1 signature for SDK %d and up, but there is none (stripped?)", s.RotationMinSDK)
			s.Verified = false
		}
	}
	for _, s := range res.Signers {
		for _, c := range s.ClaimedSchemes {
			if (c == SchemeV2 || c == SchemeV3) && !res.Has(c) {
				s.problem("signer claims the APK is also signed with %v, but there is no such signature (stripped?)", c)
				s.Verified = false
			}
		}
	}
}
