package zipapk

import (
	"bytes"
	"compress/flate"
	"io"
	"iter"
	"math/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"appxray/internal/corpus"
)

func deflate(t testing.TB, data []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func TestInflateHead(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 5000)
	rng.Read(random)
	inputs := map[string][]byte{
		"text":     bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog. "), 200),
		"random":   random, // stored blocks
		"zeros":    make([]byte, 70000),
		"short":    []byte("dex\n035\x00"),
		"one byte": {0x7f},
	}
	for name, data := range inputs {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression, flate.HuffmanOnly} {
			src := deflate(t, data, level)
			for _, n := range []int{1, 4, 64, 1024, len(data) + 10} {
				got, err := inflateHead(src, n)
				want := data[:min(n, len(data))]
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s level %d n %d: got %d bytes, err %v", name, level, n, len(got), err)
				}
			}
		}
	}
	for _, bad := range [][]byte{{}, {0x07}, {0x06, 0xff}, {0x00, 0x05, 0x00, 0x05, 0x00}} {
		if _, err := inflateHead(bad, 8); err == nil {
			t.Errorf("inflateHead(%x) succeeded", bad)
		}
	}
}

// openAll yields each of the files that opens as a ZIP archive, with its
// Reader.
func openAll(t *testing.T, paths []string) iter.Seq2[string, *Reader] {
	return func(yield func(string, *Reader) bool) {
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			z, err := NewReader(bytes.NewReader(data), int64(len(data)), DefaultLimits())
			if err != nil {
				continue
			}
			if !yield(p, z) {
				return
			}
		}
	}
}

// ReadHead agrees with reading the whole entry, on every entry of real
// APKs and the project's test files.
func TestReadHeadCorpus(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.apk")
	if corpus.Present() || corpus.Required() {
		paths = append(paths, corpus.APKs(t)...)
	}
	entries := 0
	for p, z := range openAll(t, paths) {
		for _, e := range z.Entries {
			if e.Err() != nil || e.UncompressedSize > 4<<20 {
				continue
			}
			whole, err := z.ReadFile(e)
			if err != nil {
				continue
			}
			head, err := z.ReadHead(e, 64)
			if err != nil || !bytes.Equal(head, whole[:min(64, len(whole))]) {
				t.Fatalf("%s %s: head %x err %v, want %x", p, e.Name, head, err, whole[:min(64, len(whole))])
			}
			entries++
		}
	}
	t.Logf("ReadHead compared on %d entries of %d files", entries, len(paths))
}

// TestHeadReadersTogether: HeadReaders of one Reader read heads at once,
// each through its own window, and agree with ReadHead, which other
// goroutines call meanwhile.
func TestHeadReadersTogether(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.apk")
	if len(paths) == 0 {
		t.Fatal("no testdata APK")
	}
	for p, z := range openAll(t, paths) {
		want := make([][]byte, len(z.Entries))
		for i, e := range z.Entries {
			want[i], _ = z.ReadHead(e, 64)
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				hr := z.NewHeadReader()
				for i := range z.Entries {
					e := z.Entries[(i+g*7)%len(z.Entries)]
					var got []byte
					if g%2 == 0 {
						got, _ = hr.ReadHead(e, 64)
					} else {
						got, _ = z.ReadHead(e, 64)
					}
					if w := want[(i+g*7)%len(z.Entries)]; !bytes.Equal(got, w) {
						t.Errorf("%s %s: head %x, want %x", p, e.Name, got, w)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

func FuzzInflateHead(f *testing.F) {
	f.Add(deflate(f, []byte("PK\x03\x04 hello hello hello"), flate.BestCompression), 16)
	f.Add(deflate(f, bytes.Repeat([]byte{1, 2, 3}, 1000), flate.HuffmanOnly), 64)
	f.Add([]byte{0x01, 0x04, 0x00, 0xfb, 0xff, 'd', 'e', 'x', '\n'}, 4)
	f.Fuzz(func(t *testing.T, src []byte, n int) {
		n = n & 0x3ff
		got, err := inflateHead(src, n)
		if len(got) > n {
			t.Fatalf("%d bytes for a head of %d", len(got), n)
		}
		if err != nil {
			return
		}
		// Where the standard library inflates the stream, the head is its
		// prefix.
		r := flate.NewReader(bytes.NewReader(src))
		want := make([]byte, n)
		m, _ := io.ReadFull(r, want)
		if m >= len(got) && !bytes.Equal(got, want[:len(got)]) {
			t.Fatalf("head %x, compress/flate %x", got, want[:m])
		}
	})
}
