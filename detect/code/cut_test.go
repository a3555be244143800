package code_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"hash/adler32"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/detect/code"
	"appxray/dex"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// workBomb rewrites a real DEX so that walking it costs more than its work
// bound (dex.File.Walk: 8 units per byte of the file): every class_def
// points at one new class_data_item whose methods all share one new code
// item of n const-string instructions, so each class costs its methods
// times n references while adding no bytes.
func workBomb(t *testing.T, b []byte, n int) []byte {
	t.Helper()
	f, err := dex.Parse(b, dex.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	h := f.Header
	b = bytes.Clone(b)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	code := len(b)
	var hdr [16]byte
	binary.LittleEndian.PutUint16(hdr[0:], 1)              // registers_size
	binary.LittleEndian.PutUint32(hdr[12:], uint32(2*n+1)) // insns_size
	b = append(b, hdr[:]...)
	for range n {
		b = append(b, 0x1a, 0x00, 0x00, 0x00) // const-string v0, string@0
	}
	b = append(b, 0x0e, 0x00, 0, 0) // return-void, padding
	data := len(b)
	uleb := func(v uint32) {
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		b = append(b, byte(v))
	}
	methods := h.MethodIDsSize
	uleb(0)
	uleb(0)
	uleb(methods) // direct methods, every method id in turn
	uleb(0)
	for i := range methods {
		uleb(min(i, 1))
		uleb(0x9) // public static
		uleb(uint32(code))
	}
	for i := range h.ClassDefsSize {
		binary.LittleEndian.PutUint32(b[h.ClassDefsOff+32*i+24:], uint32(data))
	}
	binary.LittleEndian.PutUint32(b[0x20:], uint32(len(b)))
	s := sha1.Sum(b[32:])
	copy(b[12:32], s[:])
	binary.LittleEndian.PutUint32(b[8:], adler32.Checksum(b[12:]))
	return b
}

// withDex writes the demo app with its DEX entries replaced.
func withDex(t *testing.T, dexs map[string][]byte) string {
	t.Helper()
	return testapp.Rewrite(t, testapp.DemoPath(), "bomb.apk", func(name string, data []byte) []byte {
		if name == "classes.dex" {
			return nil
		}
		return data
	}, map[string][]byte{"classes.dex": dexs["classes.dex"], "classes2.dex": dexs["classes2.dex"]})
}

// TestOneDexOverItsLimit: one DEX over its work limit never costs the
// findings of the others. The demo's classes.dex beside a real DEX
// (androguard's TC app) rewritten to cost more than its work bound, in
// either order: the walk of the bomb is cut, the cut names it (the index's
// Cut, the run's Cuts), and every API finding of the demo's code is still
// reported at its method in its own file.
func TestOneDexOverItsLimit(t *testing.T) {
	tc := corpus.File(t, "/usr/share/doc/androguard/examples/android/TC/bin/classes.dex")
	raw, err := os.ReadFile(tc)
	if err != nil {
		t.Fatal(err)
	}
	bomb := workBomb(t, raw, 1000)
	demoApp, err := os.ReadFile(testapp.DemoPath())
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(demoApp), int64(len(demoApp)))
	var demoDex []byte
	for _, f := range zr.File {
		if f.Name == "classes.dex" {
			rc, _ := f.Open()
			demoDex, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	// The demo's own findings, with the file they are in.
	want := testapp.Summarise(testapp.Run(t, testapp.DemoPath(), code.APIs).Findings)
	if len(want) == 0 {
		t.Fatal("setup: no findings on the demo")
	}
	for _, order := range []struct{ demo, bomb string }{{"classes.dex", "classes2.dex"}, {"classes2.dex", "classes.dex"}} {
		t.Run("bomb in "+order.bomb, func(t *testing.T) {
			res := testapp.Run(t, withDex(t, map[string][]byte{order.demo: demoDex, order.bomb: bomb}), code.APIs)
			ix, ok := analysis.Get[*code.IndexResult](res, code.Index)
			if !ok {
				t.Fatal("no index")
			}
			if !slices.Equal(ix.Cut, []string{order.bomb}) {
				t.Errorf("index Cut = %q, want [%s]", ix.Cut, order.bomb)
			}
			var cuts []analysis.Cut
			for _, c := range res.Cuts {
				if c.Analyzer == code.Index.Name {
					cuts = append(cuts, c)
				}
			}
			if len(cuts) != 1 || cuts[0].Where != order.bomb || !errors.Is(cuts[0].Err, dex.ErrWorkLimit) {
				t.Errorf("cuts = %v, want one codeindex cut of %s at the work limit", res.Cuts, order.bomb)
			}
			got := testapp.Summarise(res.Findings)
			for _, w := range want {
				found := false
				for _, g := range got {
					if g.Category != w.Category || g.Title != w.Title || g.SDK != w.SDK {
						continue
					}
					for _, loc := range w.Locations {
						moved := strings.Replace(loc, "code: classes.dex ", "code: "+order.demo+" ", 1)
						found = found || slices.Contains(g.Locations, moved)
					}
				}
				if !found {
					t.Errorf("lost %s %q (sdk %q) at %v in %s", w.Category, w.Title, w.SDK, w.Locations, order.demo)
				}
			}
		})
	}
}
