package zipapk

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"testing"

	"appxray/internal/corpus"
)

// TestReadFastCorpus reads every deflated entry of every corpus APK both
// ways, whole through ReadFile (the fast decoder where it applies) and
// streamed through Open, and checks that they agree on the bytes, the
// error and the anomalies; and that the fast decoder takes most of the
// large entries.
func TestReadFastCorpus(t *testing.T) {
	var taken, large int
	for _, path := range corpus.APKs(t) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		whole, err1 := NewReader(f, st.Size(), DefaultLimits())
		streamed, err2 := NewReader(f, st.Size(), DefaultLimits())
		if err1 != nil || err2 != nil {
			f.Close()
			continue
		}
		for i, e := range whole.Entries {
			if e.Method != Deflate {
				continue
			}
			got, gerr := whole.ReadFile(e)
			rc, err := streamed.Open(streamed.Entries[i])
			var want []byte
			var werr error
			if err == nil {
				want, werr = io.ReadAll(rc)
				rc.Close()
			} else {
				werr = err
			}
			if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) && gerr == nil {
				t.Errorf("%s!%s: ReadFile gives %d bytes (error %v), a streamed read %d bytes (error %v)",
					corpus.Name(path), e.Name, len(got), gerr, len(want), werr)
			}
			if e.UncompressedSize >= fastMin {
				large++
				if fastInflate(f, e.DataOffset, int64(e.CompressedSize), make([]byte, e.UncompressedSize), DefaultLimits().MaxRatio) {
					taken++
				}
			}
		}
		if a, b := anomalyKinds(whole.Anomalies()), anomalyKinds(streamed.Anomalies()); a != b {
			t.Errorf("%s: anomalies after whole reads %s, after streamed reads %s", corpus.Name(path), a, b)
		}
		f.Close()
	}
	t.Logf("fast decoder took %d of %d deflated entries of 64 KiB or more", taken, large)
	if large > 0 && taken*10 < large*9 {
		t.Errorf("fast decoder took only %d of %d large entries", taken, large)
	}
}

func anomalyKinds(as []Anomaly) string {
	var b bytes.Buffer
	for _, a := range as {
		b.WriteString(string(a.Kind) + " " + a.Entry + " " + a.Detail + "\n")
	}
	return b.String()
}

// TestReadFastFallsBack checks that what the fast decoder gives up on (a
// corrupt stream, a CRC or size that lies, a ratio past the limit) is
// read and reported exactly as a streamed read reports it.
func TestReadFastFallsBack(t *testing.T) {
	text := bytes.Repeat([]byte("0123456789abcdef, a line of an asset that compresses; "), 4000)
	build := func(data []byte) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		f, _ := w.Create("assets/big.txt")
		f.Write(data)
		w.Close()
		return b.Bytes()
	}
	good := build(text)
	z, err := NewReader(bytes.NewReader(good), int64(len(good)), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	e := z.Entries[0]
	at := func(edit func(b []byte)) []byte {
		b := append([]byte(nil), good...)
		edit(b)
		return b
	}
	cases := map[string][]byte{
		"good":    good,
		"corrupt": at(func(b []byte) { b[e.DataOffset+int64(e.CompressedSize)/2] ^= 0x55 }),
		"crc":     at(func(b []byte) { b[e.CentralOffset+16] ^= 1 }),
		"size":    at(func(b []byte) { b[e.CentralOffset+24]++ }),
		"cut":     at(func(b []byte) { b[e.CentralOffset+20] -= 9 }),
	}
	for name, data := range cases {
		lim := DefaultLimits()
		if name == "good" {
			lim.MaxRatio = 3 // past it, though the whole entry is under
		}
		read := func(whole bool) (string, []Anomaly) {
			z, err := NewReader(bytes.NewReader(data), int64(len(data)), lim)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var got []byte
			if whole {
				got, err = z.ReadFile(z.Entries[0])
			} else if rc, oerr := z.Open(z.Entries[0]); oerr != nil {
				err = oerr
			} else {
				got, err = io.ReadAll(rc)
				rc.Close()
			}
			if err != nil { // ReadFile returns no bytes then, a stream what it read
				return err.Error(), z.Anomalies()
			}
			return fmt.Sprintf("%d bytes %x", len(got), sha256.Sum256(got)), z.Anomalies()
		}
		w, wa := read(true)
		s, sa := read(false)
		if w != s || anomalyKinds(wa) != anomalyKinds(sa) {
			t.Errorf("%s: ReadFile: %s %v\nstreamed: %s %v", name, w, wa, s, sa)
		}
		if name != "good" && len(wa) == 0 {
			t.Errorf("%s: no anomaly", name)
		}
	}
}

// TestReadFileSniffFast checks that an entry ReadFileSniff reads past its
// head through the fast decoder is whole, and its head counted once
// against the limits.
func TestReadFileSniffFast(t *testing.T) {
	text := bytes.Repeat([]byte("a line of a text asset, read past its head; "), 5000)
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	f, _ := w.Create("assets/notes.txt")
	f.Write(text)
	w.Close()
	z, err := NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	budget := NewBudget(1 << 30)
	z.ShareBudget(budget)
	data, whole, err := z.ReadFileSniff(z.Entries[0], 8192, func([]byte) bool { return true })
	if err != nil || !whole || !bytes.Equal(data, text) {
		t.Fatalf("ReadFileSniff: %d bytes, whole %v, error %v; want the %d bytes", len(data), whole, err, len(text))
	}
	if got := z.inflated.Load(); got != int64(len(text)) {
		t.Errorf("%d bytes counted as inflated, want %d", got, len(text))
	}
	if got := 1<<30 - budget.Left(); got != int64(len(text)) {
		t.Errorf("%d bytes charged to the budget, want %d", got, len(text))
	}
	if a := z.Anomalies(); len(a) != 0 {
		t.Errorf("anomalies: %v", a)
	}
}
