package zipapk_test

import (
	"os"
	"strings"
	"sync"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

func largestAPK(b *testing.B) string {
	for _, p := range corpus.APKs(b) {
		if strings.HasSuffix(p, "appium-uiautomator2-server-v10.6.6.apk") {
			return p
		}
	}
	b.Fatal("appium-uiautomator2-server-v10.6.6.apk missing from the corpus")
	return ""
}

// openLargestAPK opens the largest corpus APK for the length of the
// benchmark.
func openLargestAPK(b *testing.B) (*os.File, int64) {
	f, err := os.Open(largestAPK(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	return f, st.Size()
}

// BenchmarkReadAll opens the largest corpus APK and inflates every entry.
func BenchmarkReadAll(b *testing.B) {
	f, size := openLargestAPK(b)
	b.ReportAllocs()
	var total int64
	for b.Loop() {
		z, err := zipapk.NewReader(f, size, zipapk.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		total = 0
		for _, e := range z.Entries {
			data, err := z.ReadFile(e)
			if err != nil {
				b.Fatal(err)
			}
			total += int64(len(data))
		}
	}
	b.SetBytes(total)
}

// BenchmarkReadAllParallel inflates the entries from two goroutines sharing
// one Reader, as the analysers do.
func BenchmarkReadAllParallel(b *testing.B) {
	f, size := openLargestAPK(b)
	b.ReportAllocs()
	var total int64
	for b.Loop() {
		z, err := zipapk.NewReader(f, size, zipapk.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		sizes := make([]int64, 2)
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; i < len(z.Entries); i += 2 {
					data, err := z.ReadFile(z.Entries[i])
					if err != nil {
						b.Error(err)
						return
					}
					sizes[g] += int64(len(data))
				}
			}()
		}
		wg.Wait()
		total = sizes[0] + sizes[1]
	}
	b.SetBytes(total)
}

// BenchmarkOpen measures parsing the central directory and local headers only.
func BenchmarkOpen(b *testing.B) {
	f, size := openLargestAPK(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := zipapk.NewReader(f, size, zipapk.DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadHead reads the first 64 bytes of every entry of the largest
// corpus APK, as app.Open does to tell each entry by its content.
func BenchmarkReadHead(b *testing.B) {
	f, size := openLargestAPK(b)
	z, err := zipapk.NewReader(f, size, zipapk.DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range z.Entries {
			if _, err := z.ReadHead(e, 64); err != nil {
				b.Fatal(err)
			}
		}
	}
}
