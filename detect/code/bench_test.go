package code_test

import (
	"context"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/code"
	"appxray/internal/corpus"
)

// BenchmarkIndex is the code index (and the class hierarchy it reads) over
// appium-uiautomator2-server's 16 DEX files, already inflated, on one
// worker: the CPU the walk costs.
func BenchmarkIndex(b *testing.B) {
	path := corpus.File(b, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	a.Dex(ctx)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analysis.Run(ctx, a, &analysis.Config{Workers: 1}, []*analysis.Analyzer{code.Index}); err != nil {
			b.Fatal(err)
		}
	}
}
