package zipapk

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// deflated compresses data at level with the standard library's encoder.
func deflated(t testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// checkFast inflates comp with fastInflate and with the standard library
// and fails if fastInflate accepts what the other does not, or differs.
func checkFast(t testing.TB, comp []byte, size int) bool {
	want, werr := io.ReadAll(flate.NewReader(bytes.NewReader(comp)))
	out := make([]byte, size)
	ok := fastInflate(bytes.NewReader(comp), 0, int64(len(comp)), out, 1000)
	if ok && (werr != nil || !bytes.Equal(out, want)) {
		t.Fatalf("fastInflate accepted a stream of %d bytes that inflates to %d bytes (error %v), or differs", len(comp), len(want), werr)
	}
	return ok
}

// TestFastInflate checks the fast path against compress/flate on data of
// every kind of block: stored, fixed and dynamic codes, long and short
// matches, at every level.
func TestFastInflate(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog; "), 3000)
	random := make([]byte, 100_000)
	r.Read(random)
	mixed := make([]byte, 0, 300_000)
	for len(mixed) < 290_000 {
		n := r.Intn(300)
		if r.Intn(3) == 0 {
			mixed = append(mixed, random[:n]...)
		} else {
			mixed = append(mixed, text[r.Intn(1000):][:n]...)
		}
	}
	inputs := map[string][]byte{"empty": nil, "byte": {7}, "text": text, "random": random, "mixed": mixed,
		"zeros": make([]byte, 70_000)}
	for _, name := range []string{"../dex/testdata/parity-classes2.dex", "../dex/testdata/tc.dex"} {
		dex, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs[name] = dex
	}
	for name, data := range inputs {
		for _, level := range []int{flate.NoCompression, flate.BestSpeed, 5, flate.BestCompression, flate.HuffmanOnly} {
			comp := deflated(t, data, level)
			if !checkFast(t, comp, len(data)) && len(data) > 0 && name != "zeros" {
				t.Errorf("%s at level %d: fast path gave up on a plain stream", name, level)
			}
			// A size that is not the stream's, trailing bytes, a cut
			// stream: each is left to the streaming reader.
			out := make([]byte, len(data)+1)
			if fastInflate(bytes.NewReader(comp), 0, int64(len(comp)), out, 1000) {
				t.Errorf("%s at level %d: accepted a size one too large", name, level)
			}
			junk := append(append([]byte{}, comp...), 0)
			if fastInflate(bytes.NewReader(junk), 0, int64(len(junk)), make([]byte, len(data)), 1000) {
				t.Errorf("%s at level %d: accepted a trailing byte", name, level)
			}
			if len(comp) > 2 && fastInflate(bytes.NewReader(comp), 0, int64(len(comp)-1), make([]byte, len(data)), 1000) {
				t.Errorf("%s at level %d: accepted a stream cut short", name, level)
			}
		}
	}
	// Zeros inflate at a ratio past any limit: the fast path leaves that
	// to the streaming reader, which reports it.
	comp := deflated(t, make([]byte, 4<<20), 9)
	if fastInflate(bytes.NewReader(comp), 0, int64(len(comp)), make([]byte, 4<<20), 100) {
		t.Error("inflated 4 MiB of zeros past a ratio of 100")
	}
}

// FuzzFastInflate feeds fastInflate arbitrary streams: it must never
// accept one compress/flate rejects or inflate one differently.
func FuzzFastInflate(f *testing.F) {
	f.Add(deflated(f, []byte("hello, hello, hello world"), 9), 25)
	f.Add(deflated(f, bytes.Repeat([]byte{1, 2, 3}, 500), 1), 1500)
	f.Add([]byte{1, 0, 0, 0xff, 0xff}, 0)
	// The deflated entries of real APKs, as they are on disk.
	apks, _ := filepath.Glob("testdata/*.apk")
	for _, name := range append(apks, "../testdata/demo-ijop.apk") {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		z, err := NewReader(bytes.NewReader(data), int64(len(data)), DefaultLimits())
		if err != nil {
			continue
		}
		for _, e := range z.Entries {
			if e.Method == Deflate && e.DataOffset > 0 && e.UncompressedSize < 1<<20 && uint64(e.DataOffset)+e.CompressedSize <= uint64(len(data)) {
				f.Add(data[e.DataOffset:uint64(e.DataOffset)+e.CompressedSize], int(e.UncompressedSize))
			}
		}
	}
	f.Fuzz(func(t *testing.T, comp []byte, size int) {
		if size < 0 || size > 1<<20 {
			return
		}
		checkFast(t, comp, size)
	})
}

func BenchmarkInflate(b *testing.B) {
	data, err := os.ReadFile(os.Getenv("INFLATE_BENCH_FILE"))
	if err != nil {
		b.Skip("INFLATE_BENCH_FILE names a file to inflate")
	}
	comp := deflated(b, data, 6)
	out := make([]byte, len(data))
	b.Run("fast", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if !fastInflate(bytes.NewReader(comp), 0, int64(len(comp)), out, 1000) {
				b.Fatal("gave up")
			}
		}
	})
}
