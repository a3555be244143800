package zipapk

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"
)

// inflaterBufSize is the read-ahead for compressed data: large enough that
// reading through an *os.File costs few pread calls.
const inflaterBufSize = 64 << 10

// inflater is a reusable deflate decoder with its input buffer.
type inflater struct {
	sec io.SectionReader
	br  *bufio.Reader
	fr  io.ReadCloser
}

var errClosed = errors.New("zipapk: read after Close")

// Open returns a reader for the entry's uncompressed data. Reads enforce the
// Reader's limits. At the end of the data the size and CRC-32 are checked;
// a mismatch is recorded as an anomaly (Android does not check CRCs and uses
// the data) rather than returned as an error. Entries with an unknown method
// are read as stored.
func (z *Reader) Open(e *Entry) (io.ReadCloser, error) {
	if e == nil {
		return nil, errors.New("zipapk: Open of nil entry")
	}
	z, e = z.source(e)
	if e.err != nil {
		return nil, e.err
	}
	if e.DataOffset < 0 || e.DataOffset > z.size {
		return nil, &FormatError{Offset: e.HeaderOffset, Msg: fmt.Sprintf("entry %q has no data offset", e.Name)}
	}
	n := e.dataLen()
	if e.Method != Store && e.Method != Deflate {
		n = e.CompressedSize // unknown method: the bytes on disk, as they are
	}
	if n > uint64(z.size-e.DataOffset) {
		return nil, &FormatError{Offset: e.DataOffset, Msg: fmt.Sprintf("entry %q: %d bytes of data run past end of file", e.Name, n)}
	}
	er := &entryReader{z: z, e: e, compressed: int64(n)}
	if e.Method == Deflate {
		inf, _ := z.pool.Get().(*inflater)
		if inf == nil {
			inf = &inflater{br: bufio.NewReaderSize(nil, inflaterBufSize)}
		}
		inf.sec = *io.NewSectionReader(z.r, e.DataOffset, int64(n))
		inf.br.Reset(&inf.sec)
		if inf.fr == nil {
			inf.fr = flate.NewReader(inf.br)
		} else if err := inf.fr.(flate.Resetter).Reset(inf.br, nil); err != nil {
			return nil, err
		}
		er.inf = inf
		er.src = inf.fr
	} else {
		er.src = io.NewSectionReader(z.r, e.DataOffset, int64(n))
	}
	return er, nil
}

// ReadFile returns the entry's whole uncompressed data, enforcing the limits.
// The buffer is preallocated only up to a size the compressed data could
// plausibly produce, so a lying size field cannot force a large allocation.
func (z *Reader) ReadFile(e *Entry) ([]byte, error) {
	return z.ReadFileTo(e, nil)
}

// ReadFileTo is ReadFile reading into a buffer from alloc, which must
// return n zeroed bytes (nil alloc is make). Only the first buffer comes
// from alloc: if the data outgrows it, the rest is read into heap buffers.
func (z *Reader) ReadFileTo(e *Entry, alloc func(n int) []byte) ([]byte, error) {
	z, e = z.source(e)
	rc, err := z.Open(e)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	want, size := z.readSize(e)
	var buf []byte
	if alloc != nil {
		buf = alloc(int(size))[:0]
	} else {
		buf = make([]byte, 0, size)
	}
	if data, ok, err := z.readFast(e, buf[:size], want, 0); ok {
		return data, err
	}
	return readRest(rc, buf, want)
}

// fastMin is the smallest entry readFast takes: below it the fast
// decoder's tables cost more than they save.
const fastMin = 64 << 10

// readFast inflates a deflated entry whose declared size is to be trusted
// (want, the size preallocated) into buf with the fast decoder
// (fastInflate), then runs the checks a streaming read runs at its end.
// counted is how many of the entry's bytes a read of its head has already
// counted against the limits: they are counted once, with the rest. When
// it reports false, nothing is counted, buf may have been written to, and
// the entry is to be read through Open, which reports whatever made the
// fast decoder give up.
func (z *Reader) readFast(e *Entry, buf []byte, want, counted int64) ([]byte, bool, error) {
	lim := z.limits
	if e.Method != Deflate || want < fastMin || int64(len(buf)) != want || uint64(want) != e.UncompressedSize ||
		z.inflated.Load()-counted+want > lim.MaxTotalInflated || z.budget != nil && z.budget.Left()+counted < want {
		return nil, false, nil
	}
	n := int64(e.dataLen())
	if !fastInflate(z.r, e.DataOffset, n, buf, lim.MaxRatio) {
		return nil, false, nil
	}
	z.charge(-counted)
	r := &entryReader{z: z, e: e, compressed: n}
	r.account(buf)
	if r.err != nil {
		return nil, true, r.err
	}
	r.finish()
	return buf, true, nil
}

// ReadFileSniff reads the first n bytes of the entry and inflates the rest
// only if keep, given them, says so: a reader that decides from a file's
// head pays for no more of the files it skips. An entry that ends before
// n bytes is returned whole without asking keep. It returns what it read,
// and whether that is the whole entry. An entry left unread past its head
// has not had its size and CRC-32 checked, like one that is never read.
func (z *Reader) ReadFileSniff(e *Entry, n int, keep func(head []byte) bool) (data []byte, whole bool, err error) {
	z, e = z.source(e)
	rc, err := z.Open(e)
	if err != nil {
		return nil, false, err
	}
	defer rc.Close()
	want, size := z.readSize(e)
	// One byte past a shorter declared size finds the end without
	// asking keep.
	head := make([]byte, min(int64(n), size+1))
	m, err := io.ReadFull(rc, head)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return head[:m], true, nil
	case err != nil:
		return nil, false, err
	case !keep(head):
		return head, false, nil
	}
	buf := make([]byte, m, max(size, int64(m)))
	// The rest, and the head again, through the fast decoder if it takes
	// the entry.
	if data, ok, err := z.readFast(e, buf[:size], want, int64(m)); ok {
		return data, err == nil, err
	}
	copy(buf, head)
	data, err = readRest(rc, buf, want)
	return data, err == nil, err
}

// charge counts n more inflated bytes (fewer if negative) against the
// Reader's total and the shared budget, as entryReader.account does;
// readFast gives back with it what a head read counted.
func (z *Reader) charge(n int64) {
	z.inflated.Add(n)
	if b := z.budget; b != nil {
		b.left.Add(-n)
	}
}

// readSize is how much of e a read expects (its declared size, within the
// entry limit) and how much it preallocates. The declared size is trusted
// only as far as the limits could let the compressed data produce it (the
// ratio, the shared budget): a lying size cannot force a large allocation,
// and an honest large entry is read into one buffer rather than through
// doublings that would cost up to three times its size at once.
func (z *Reader) readSize(e *Entry) (want, size int64) {
	want = int64(min(e.UncompressedSize, uint64(z.limits.MaxEntrySize)))
	plausible := int64(min(e.CompressedSize, uint64(z.size)))*z.limits.MaxRatio + 64<<10
	if e.Method == Store {
		plausible = int64(min(e.UncompressedSize, uint64(z.size)))
	}
	if b := z.budget; b != nil {
		plausible = min(plausible, b.Left()+1)
	}
	return want, max(min(want, plausible), 0)
}

// readRest reads rc to its end after what buf holds, growing buf only when
// the data outgrows it; want is the size the entry declares.
func readRest(rc io.Reader, buf []byte, want int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) == want {
				// Probe for the end without doubling an exactly sized buffer.
				var one [1]byte
				m, err := rc.Read(one[:])
				if m == 0 {
					if err == io.EOF {
						return buf, nil
					}
					if err != nil {
						return nil, err
					}
					continue
				}
				buf = append(buf, one[0])
			} else {
				buf = append(buf, 0)[:len(buf)]
			}
		}
		m, err := rc.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// entryReader streams one entry, counting, checksumming and enforcing limits.
type entryReader struct {
	z          *Reader
	e          *Entry
	src        io.Reader
	inf        *inflater
	compressed int64
	n          int64
	crc        uint32
	err        error
}

func (r *entryReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.src.Read(p)
	if n > 0 {
		n = r.account(p[:n])
	}
	switch {
	case r.err != nil:
		return n, r.err
	case err == io.EOF:
		r.finish()
		return n, r.err
	case err != nil:
		r.fail(err)
		return n, r.err
	}
	return n, nil
}

// account counts n fresh bytes against the limits and returns how many of
// them may be handed out.
func (r *entryReader) account(p []byte) int {
	z, lim := r.z, r.z.limits
	n := int64(len(p))
	if r.n+n > lim.MaxEntrySize {
		n = max(lim.MaxEntrySize-r.n, 0)
		r.limit("MaxEntrySize", lim.MaxEntrySize)
	}
	if total := z.inflated.Add(n); total > lim.MaxTotalInflated {
		r.limit("MaxTotalInflated", lim.MaxTotalInflated)
	}
	if b := z.budget; b != nil && b.left.Add(-n) < 0 {
		r.limit("shared inflation budget", b.limit)
	}
	r.crc = crc32.Update(r.crc, crc32.IEEETable, p[:n])
	r.n += n
	// The ratio is taken against the compressed bytes consumed so far, so a
	// bomb stops early instead of after the whole declared stream.
	if r.inf != nil && r.n > ratioGraceBytes && r.n/max(r.consumed(), 1) > lim.MaxRatio {
		r.limit("MaxRatio", lim.MaxRatio)
	}
	return int(n)
}

// consumed is how many compressed bytes the decoder has taken.
func (r *entryReader) consumed() int64 {
	pos, _ := r.inf.sec.Seek(0, io.SeekCurrent)
	return pos - int64(r.inf.br.Buffered())
}

func (r *entryReader) limit(name string, value int64) {
	if r.err != nil {
		return
	}
	r.err = &LimitError{Entry: r.e.Name, Limit: name, Value: value, Offset: r.e.DataOffset}
	r.z.addLazy(r.e, Anomaly{Kind: LimitExceeded, Offset: r.e.DataOffset, Entry: r.e.Name,
		Detail: fmt.Sprintf("%s (%d) exceeded after %d bytes from %d compressed (declared size %d)", name, value, r.n, r.compressed, r.e.UncompressedSize)})
}

func (r *entryReader) fail(err error) {
	if errors.Is(err, io.ErrUnexpectedEOF) || isFlateError(err) {
		r.z.addLazy(r.e, Anomaly{Kind: InflateError, Offset: r.e.DataOffset, Entry: r.e.Name, AndroidRejects: true,
			Detail: fmt.Sprintf("after %d bytes: %v", r.n, err)})
		r.err = &FormatError{Offset: r.e.DataOffset, Msg: fmt.Sprintf("inflating %q", r.e.Name), Err: err}
		return
	}
	r.err = fmt.Errorf("zipapk: reading %q: %w", r.e.Name, err)
}

func isFlateError(err error) bool {
	var ce flate.CorruptInputError
	var ie flate.InternalError
	return errors.As(err, &ce) || errors.As(err, &ie)
}

// finish runs the end-of-data checks.
func (r *entryReader) finish() {
	r.err = io.EOF
	e := r.e
	if uint64(r.n) != e.UncompressedSize {
		r.z.addLazy(e, Anomaly{Kind: SizeMismatch, Offset: e.DataOffset, Entry: e.Name, AndroidRejects: e.Method == Deflate,
			Detail: fmt.Sprintf("read %d bytes, declared uncompressed size %d", r.n, e.UncompressedSize)})
	}
	if r.inf != nil {
		if left := r.compressed - r.consumed(); left > 0 {
			r.z.addLazy(e, Anomaly{Kind: SizeMismatch, Offset: e.DataOffset + r.compressed - left, Entry: e.Name, AndroidRejects: true,
				Detail: fmt.Sprintf("%d compressed bytes follow the end of the deflate stream", left)})
		}
	}
	if r.crc != e.CRC32 {
		r.z.addLazy(e, Anomaly{Kind: CRCMismatch, Offset: e.DataOffset, Entry: e.Name,
			Detail: fmt.Sprintf("data CRC-32 %08x, declared %08x", r.crc, e.CRC32)})
	}
}

// Close releases the decoder for reuse. Reading after Close fails.
func (r *entryReader) Close() error {
	if r.inf != nil {
		r.inf.sec = io.SectionReader{}
		r.inf.br.Reset(nil)
		r.z.pool.Put(r.inf)
		r.inf = nil
	}
	r.src = nil
	if r.err == nil || r.err == io.EOF {
		r.err = errClosed
	}
	return nil
}
