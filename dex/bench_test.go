package dex

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

const uiaAPK = "appium-uiautomator2-server-v10.6.6.apk"

func findCorpus(b *testing.B, suffix string) string {
	for _, p := range corpus.Files(b) {
		if strings.HasSuffix(p, suffix) {
			return p
		}
	}
	b.Fatalf("corpus lacks %s", suffix)
	return ""
}

// benchFiles returns the biggest dex of the uiautomator2 server APK and the
// biggest androguard dex file.
func benchFiles(b *testing.B) []dexSource {
	srcs, err := apkDexEntries(findCorpus(b, uiaAPK))
	if err != nil {
		b.Fatal(err)
	}
	var out []dexSource
	for _, s := range srcs {
		if strings.HasSuffix(s.name, "!classes.dex") {
			out = append(out, dexSource{name: "uiautomator2-classes.dex", data: s.data})
		}
	}
	data, err := os.ReadFile(findCorpus(b, "fdroid/org.andstatus.app_254.dex"))
	if err != nil {
		b.Fatal(err)
	}
	return append(out, dexSource{name: "andstatus.dex", data: data})
}

func BenchmarkParse(b *testing.B) {
	for _, s := range benchFiles(b) {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(s.data, Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWalk(b *testing.B) {
	for _, s := range benchFiles(b) {
		b.Run(s.name, func(b *testing.B) {
			f, err := Parse(s.data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			refs := 0
			fn := func(m *Method) error { refs += len(m.Invokes) + len(m.Strings) + len(m.StaticGets); return nil }
			b.SetBytes(int64(len(s.data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := f.Walk(ctx, fn); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWalkResolve walks and resolves every invoke target to a MethodRef,
// the worst case for a caller that resolves eagerly.
func BenchmarkWalkResolve(b *testing.B) {
	s := benchFiles(b)[0]
	f, err := Parse(s.data, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	fn := func(m *Method) error {
		for _, r := range m.Invokes {
			if r.Kind == RefMethod {
				if _, err := f.Method(r.Index); err != nil {
					return err
				}
			}
		}
		return nil
	}
	b.SetBytes(int64(len(s.data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := f.Walk(ctx, fn); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnzipAPK decompresses every entry of the uiautomator2 server APK
// (what `unzip -p` does), as the baseline for BenchmarkScanAPK.
func BenchmarkUnzipAPK(b *testing.B) {
	path := findCorpus(b, uiaAPK)
	for b.Loop() {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range zr.File {
			rc, err := e.Open()
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, rc)
			rc.Close()
		}
		zr.Close()
	}
}

// BenchmarkScanAPK decompresses the 16 dex files of the uiautomator2 server
// APK with archive/zip, parses them and walks all their bytecode.
func BenchmarkScanAPK(b *testing.B) {
	path := findCorpus(b, uiaAPK)
	ctx := context.Background()
	fn := func(*Method) error { return nil }
	for b.Loop() {
		srcs, err := apkDexEntries(path)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range srcs {
			f, err := Parse(s.data, Limits{})
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Walk(ctx, fn); err != nil {
				b.Fatal(err)
			}
		}
	}
}
