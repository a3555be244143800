package apksig

import (
	"fmt"
	"io"

	"appxray/zipapk"
)

// zipapkContents adapts a zipapk.Reader to ZipContents.
type zipapkContents struct{ z *zipapk.Reader }

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
// r is the file z reads; when it is non-nil and VerifyContent is set, the
// v2/v3 content digests are checked against it too.
func (l Limits) ReadZip(z *zipapk.Reader, r io.ReaderAt) (*Result, error) {
	l = l.withDefaults()
	c := zipapkContents{z}
	if z.SigningBlock == nil || r == nil {
		// Without the raw file the signing block still comes from zipapk.
		res := &Result{SigningBlockOffset: -1}
		if z.SigningBlock != nil {
			block, err := z.ReadSigningBlock()
			if err != nil {
				res.Problems = append(res.Problems, fmt.Errorf("apksig: reading signing block: %w", err))
			} else {
				res.SigningBlockOffset = z.SigningBlock.Offset
				l.readBlock(res, block, z.SigningBlock.Offset)
				checkGap(res, z.EndOffset-z.CentralDirectoryOffset-z.CentralDirectorySize)
			}
		}
		l.readV1(res, c)
		checkStripping(res)
		sortSigners(res)
		return res, nil
	}
	tail := &zipTail{
		eocdOffset: z.EndOffset,
		cdOffset:   z.CentralDirectoryOffset,
		cdSize:     z.CentralDirectorySize,
	}
	n := z.Size() - z.EndOffset
	if n < eocdSize || n > eocdSize+maxCommentLen {
		return nil, formatErr(z.EndOffset, nil, "end record of %d bytes", n)
	}
	tail.eocd = make([]byte, n)
	if _, err := r.ReadAt(tail.eocd, z.EndOffset); err != nil {
		return nil, fmt.Errorf("apksig: reading end record: %w", err)
	}
	return l.read(r, tail, c), nil
}
