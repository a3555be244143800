package apksig

import (
	"fmt"
	"io"

	"appxray/zipapk"
)

// zipapkContents adapts a zipapk.Reader to ZipContents.
type zipapkContents struct{ z *zipapk.Reader }

// Contents is z's entries as ReadZipFrom reads them: each inflated from z.
func Contents(z *zipapk.Reader) ZipContents { return zipapkContents{z} }

func (c zipapkContents) Names() []string {
	names := make([]string, len(c.z.Entries))
	for i, e := range c.z.Entries {
		names[i] = e.Name
	}
	return names
}

func (c zipapkContents) Open(name string) (io.ReadCloser, error) {
	e := c.z.Lookup(name)
	if e == nil {
		return nil, fmt.Errorf("no entry %q", name)
	}
	return c.z.Open(e)
}

// Read reads and verifies the signatures of an APK opened with zipapk,
// using DefaultLimits. zipapk does not expose the raw file, so the v2/v3
// whole-file content digests are not checked (Result.ContentChecked is
// false); use Limits.ReadZip with the file to check them.
func Read(z *zipapk.Reader) (*Result, error) { return DefaultLimits().ReadZip(z, nil) }

// ReadZip reads and verifies the signatures of an APK opened with zipapk.
// It takes the APK Signing Block where zipapk located it (z.SigningBlock),
// so that the container and the signatures are read from the same bytes;
// a block zipapk found malformed (an anomaly of its own) is a problem here.
// r is the file z reads; when it is non-nil and VerifyContent is set, the
// v2/v3 content digests are checked against it too.
func (l Limits) ReadZip(z *zipapk.Reader, r io.ReaderAt) (*Result, error) {
	return l.ReadZipFrom(z, r, zipapkContents{z})
}

// ReadZipFrom is ReadZip with the entries' contents (the v1 signature
// files, and every entry when the v1 digests are checked) read through zc,
// which must list z's entries: a caller that already holds some entries
// inflated need not inflate them a second time.
func (l Limits) ReadZipFrom(z *zipapk.Reader, r io.ReaderAt, zc ZipContents) (*Result, error) {
	l = l.withDefaults()
	res := &Result{SigningBlockOffset: -1}
	tail := &zipTail{
		eocdOffset: z.EndOffset,
		cdOffset:   z.CentralDirectoryOffset,
		cdSize:     z.CentralDirectorySize,
	}
	var block []byte
	if sb := z.SigningBlock; sb != nil {
		if sb.Size-8 > l.MaxBlockSize {
			res.Problems = append(res.Problems, limitErr(sb.Offset, fmt.Sprintf("signing block of %d bytes", sb.Size), "MaxBlockSize", l.MaxBlockSize))
		} else if b, err := z.ReadSigningBlock(); err != nil {
			res.Problems = append(res.Problems, fmt.Errorf("apksig: reading signing block: %w", err))
		} else {
			block = b
		}
	} else {
		for _, a := range z.Anomalies() {
			if a.Kind == zipapk.SigningBlockMalformed {
				res.Problems = append(res.Problems, formatErr(a.Offset, nil, "APK Signing Block malformed: %s", a.Detail))
			}
		}
	}
	if block != nil && r != nil && l.VerifyContent {
		n := z.Size() - z.EndOffset
		if n < eocdSize || n > eocdSize+maxCommentLen {
			return nil, formatErr(z.EndOffset, nil, "end record of %d bytes", n)
		}
		tail.eocd = make([]byte, n)
		if _, err := r.ReadAt(tail.eocd, z.EndOffset); err != nil {
			return nil, fmt.Errorf("apksig: reading end record: %w", err)
		}
	}
	off := int64(-1)
	if block != nil {
		off = z.SigningBlock.Offset
	}
	l.finish(res, r, block, off, tail, zc)
	return res, nil
}
