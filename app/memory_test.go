package app_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"appxray/app"
	"appxray/zipapk"
)

// peakHeap runs f and returns the most heap it had allocated at once (live
// and not yet collected), sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	mu.Lock()
	defer mu.Unlock()
	if peak < base.HeapAlloc {
		return 0
	}
	return peak - base.HeapAlloc
}

// zipOf writes entries (deflated unless stored is set) into a ZIP.
func zipOf(t *testing.T, stored bool, entries ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for i := 0; i < len(entries); i += 2 {
		m := zip.Deflate
		if stored {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i].(string), Method: m})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(entries[i+1].([]byte))
	}
	zw.Close()
	return buf.Bytes()
}

// noise is n incompressible bytes.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint64(0x9e3779b97f4a7c15)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return b
}

// TestSmallInputsStaySmall: no input under 1 MB costs more than 100 MB,
// whatever it nests: DEX zip bombs spread over many entries, a split set
// of compressed APKs full of them, a split set inside a split set, and a
// manifest that inflates to tens of megabytes of flooded elements. The
// shared inflation budget (Options.MaxInflationRatio) and the decoders'
// caps bound it; what they cut is reported.
func TestSmallInputsStaySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates bombs")
	}
	manifest := entry(t, demo(t), "AndroidManifest.xml")
	zeros := make([]byte, 8<<20)
	bombAPK := func(n int) []byte {
		e := []any{"AndroidManifest.xml", manifest}
		for i := range n {
			e = append(e, fmt.Sprintf("classes%d.dex", i+2), zeros)
		}
		return zipOf(t, false, e...)
	}
	// Manifests flooded after the demo's: start elements claiming 65535
	// stride-0 attributes each (4 billion in all, in a few MB). The big one
	// repeats one node and compresses beyond any real entry; the small one
	// varies its line numbers, so that it is decoded and the XML caps are
	// what bound it.
	floodOf := func(n int, vary bool) []byte {
		f := bytes.Clone(manifest)
		node := make([]byte, 56)
		copy(node, []byte{0x02, 0x01, 0x10, 0x00, 56, 0, 0, 0})
		for i := 16; i < 24; i++ {
			node[i] = 0xff
		}
		copy(node[24:], []byte{20, 0, 0, 0, 0xff, 0xff})
		rnd := noise(4 * n)
		for i := range n {
			if vary {
				copy(node[8:12], rnd[4*i:])
			}
			f = append(f, node...)
		}
		binary.LittleEndian.PutUint32(f[4:], uint32(len(f)))
		return f
	}
	flood, smallFlood := floodOf(40<<20/56, false), floodOf(60000, true)
	inner := zipOf(t, true, "a.apk", bombAPK(12), "b.apk", bombAPK(12))
	cases := []struct {
		name  string
		data  []byte
		check func(t *testing.T, a *app.App)
	}{
		{"DEX bombs", bombAPK(100), nil},
		{"split set of compressed APKs", zipOf(t, false, "base.apk", bombAPK(30), "split.apk", bombAPK(30)), nil},
		{"split set in a split set", zipOf(t, false, "base.apk", bombAPK(20), "inner.apks", inner, "x.apk", inner), nil},
		{"flooded manifest, over the budget", zipOf(t, false, "AndroidManifest.xml", flood, "classes.dex", entry(t, demo(t), "classes.dex")), nil},
		{"flooded manifest, decoded", zipOf(t, false, "AndroidManifest.xml", smallFlood), func(t *testing.T, a *app.App) {
			if info := a.Info(); info == nil || info.Package != "org.appxray.demo.ijop" || len(info.RequestedPermissions) != 11 {
				t.Errorf("manifest before the flood not read: %+v", info)
			}
			if len(kinds(a.Anomalies(), zipapk.LimitExceeded)) == 0 {
				t.Errorf("the flood cut without a LimitExceeded anomaly")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.data) >= 1<<20 {
				t.Fatalf("input of %d bytes is not under 1 MB", len(tc.data))
			}
			var a *app.App
			peak := peakHeap(func() {
				var err error
				a, err = app.OpenBytes(context.Background(), tc.name, tc.data, app.DefaultOptions())
				if err != nil {
					t.Fatal(err)
				}
				a.Info()
				a.Dex(context.Background())
				for _, p := range a.Parts {
					p.Signatures()
				}
				a.Anomalies()
			})
			// The DEX files' bytes are held outside the heap until Close.
			peak += uint64(app.MappedBytes(a))
			t.Logf("%d-byte input: peak heap %.1f MB, %d parts, %d DEX files, %d errors", len(tc.data), float64(peak)/(1<<20), len(a.Parts), len(a.Dex(context.Background())), len(a.Errors()))
			if peak > 100<<20 {
				t.Errorf("peak heap %d MB from a %d-byte input", peak>>20, len(tc.data))
			}
			if tc.check != nil {
				tc.check(t, a)
			}
			runtime.KeepAlive(a)
		})
	}
}
