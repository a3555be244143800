package apksig

import (
	"bytes"
	"crypto"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
)

const chunkSize = 1 << 20

// readStep is how much of a chunk chunkedDigest reads at a time.
const readStep = 64 << 10

// section is a byte range of the APK that the content digest covers.
type section struct {
	r        io.ReaderAt
	off, len int64
}

// chunkedDigest computes the v2/v3 content digest: every section is split
// into 1 MiB chunks, each chunk digested as H(0xa5 || len || chunk), and the
// result is H(0x5a || count || chunk digests...), lengths little-endian.
func chunkedDigest(hs []crypto.Hash, sections []section) ([][]byte, error) {
	var count int64
	for _, s := range sections {
		count += (s.len + chunkSize - 1) / chunkSize
	}
	if count > 1<<31-1 {
		return nil, fmt.Errorf("%d chunks exceed the format's limit", count)
	}
	tops := make([]hash.Hash, len(hs))
	chunk := make([]hash.Hash, len(hs))
	var hdr [5]byte
	hdr[0] = 0x5a
	binary.LittleEndian.PutUint32(hdr[1:], uint32(count))
	for i, h := range hs {
		tops[i], chunk[i] = h.New(), h.New()
		tops[i].Write(hdr[:])
	}
	// Each chunk is read in steps: a chunk-sized buffer per APK was much of
	// a batch's allocation, and the hashes are written to as a stream.
	buf := make([]byte, readStep)
	for _, s := range sections {
		for done := int64(0); done < s.len; {
			n := min(int64(chunkSize), s.len-done)
			hdr[0] = 0xa5
			binary.LittleEndian.PutUint32(hdr[1:], uint32(n))
			for i := range hs {
				chunk[i].Reset()
				chunk[i].Write(hdr[:])
			}
			for got := int64(0); got < n; {
				b := buf[:min(int64(len(buf)), n-got)]
				if _, err := s.r.ReadAt(b, s.off+done+got); err != nil {
					return nil, fmt.Errorf("reading offset %d: %w", s.off+done+got, err)
				}
				for i := range hs {
					chunk[i].Write(b)
				}
				got += int64(len(b))
			}
			for i := range hs {
				tops[i].Write(chunk[i].Sum(nil))
			}
			done += n
		}
	}
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = tops[i].Sum(nil)
	}
	return out, nil
}

// verifyContent checks every v2/v3 signer's chunked content digests against
// the APK: the entries before the signing block, the central directory and
// the end record with its central directory offset pointing at the block.
func (l Limits) verifyContent(res *Result, r io.ReaderAt, blockOff int64, t *zipTail) {
	need := map[crypto.Hash]bool{}
	for _, s := range res.Signers {
		for _, d := range s.ContentDigests {
			if a := sigAlgorithms[d.AlgorithmID]; a != nil && a.content != digestVeritySHA256 {
				need[a.hash] = true
			}
		}
	}
	if len(need) == 0 {
		return
	}
	var hs []crypto.Hash
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		if need[h] {
			hs = append(hs, h)
		}
	}
	eocd := append([]byte(nil), t.eocd...)
	binary.LittleEndian.PutUint32(eocd[16:], uint32(blockOff))
	sections := []section{
		{r, 0, blockOff},
		{r, t.cdOffset, t.eocdOffset - t.cdOffset},
		{bytes.NewReader(eocd), 0, int64(len(eocd))},
	}
	sums, err := chunkedDigest(hs, sections)
	if err != nil {
		res.Problems = append(res.Problems, fmt.Errorf("apksig: computing content digest: %w", err))
		return
	}
	res.ContentChecked = true
	got := map[crypto.Hash][]byte{}
	for i, h := range hs {
		got[h] = sums[i]
	}
	for _, s := range res.Signers {
		for _, d := range s.ContentDigests {
			a := sigAlgorithms[d.AlgorithmID]
			if a == nil || a.content == digestVeritySHA256 {
				continue
			}
			if !bytes.Equal(got[a.hash], d.Digest) {
				s.problem("%s content digest does not match the APK contents", a.Name)
				s.Verified = false
			}
		}
	}
}
