package apksig

import (
	"os"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

// largestAPK returns the corpus APK whose name contains substr.
func corpusAPK(b testing.TB, substr string) string {
	for _, p := range corpus.APKs(b) {
		if strings.Contains(p, substr) {
			return p
		}
	}
	b.Fatalf("no corpus APK matching %q", substr)
	return ""
}

func benchRead(b *testing.B, lim Limits) {
	path := corpusAPK(b, "appium-uiautomator2-server-v")
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		z, err := zipapk.NewReader(f, st.Size(), zipapk.DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		res, err := lim.ReadZip(z, f)
		if err != nil || len(res.Signers) == 0 || !res.Signers[0].Verified {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

// BenchmarkReadSignaturesOnly parses and verifies the signatures of the
// 18 MB corpus APK without hashing its contents.
func BenchmarkReadSignaturesOnly(b *testing.B) {
	lim := DefaultLimits()
	lim.VerifyContent = false
	benchRead(b, lim)
}

// BenchmarkReadVerifyContent also checks the v2/v3 content digests
// (the default).
func BenchmarkReadVerifyContent(b *testing.B) { benchRead(b, DefaultLimits()) }

// BenchmarkReadVerifyV1Entries checks the v1 per-entry digests too,
// inflating every entry.
func BenchmarkReadVerifyV1Entries(b *testing.B) {
	lim := DefaultLimits()
	lim.VerifyV1Entries = true
	benchRead(b, lim)
}

func BenchmarkParseV2V3Lineage(b *testing.B) {
	block := readTestdata(b, "v2v3-lineage.block")
	b.SetBytes(int64(len(block)))
	for b.Loop() {
		pairs, err := ParseSigningBlock(block)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range pairs {
			switch p.ID {
			case BlockIDV2:
				_, err = ParseV2(p.Value)
			case BlockIDV3:
				_, err = ParseV3(p.Value, SchemeV3)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
