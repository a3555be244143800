package forms

import (
	"context"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// benchApp runs the analyzer on a freshly opened app per iteration, so the
// resource table and layouts are decoded each time as in a real scan.
func benchApp(b *testing.B, path string) {
	ctx := context.Background()
	var fields int
	for b.Loop() {
		a, err := app.Open(ctx, path, app.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
		if err != nil || len(res.Errors) > 0 {
			b.Fatal(err, res.Errors)
		}
		fields = len(resultOf(res).Fields)
		a.Close()
	}
	b.ReportMetric(float64(fields), "fields")
}

// BenchmarkFrameworkRes scans framework-res.apk: thousands of layouts, 80
// locales.
func BenchmarkFrameworkRes(b *testing.B) {
	for _, p := range corpus.APKs(b) {
		if corpus.Name(p) == "android-framework-res/framework-res.apk" {
			benchApp(b, p)
			return
		}
	}
	b.Fatal("corpus lacks framework-res.apk")
}

// BenchmarkDemo scans the demo app.
func BenchmarkDemo(b *testing.B) { benchApp(b, testapp.Demo(b)) }

// BenchmarkOpenOnly is the baseline for the two above: opening the app and
// parsing its resource table, without the analyzer.
func BenchmarkOpenOnly(b *testing.B) {
	for _, p := range corpus.APKs(b) {
		if corpus.Name(p) == "android-framework-res/framework-res.apk" {
			for b.Loop() {
				a, err := app.Open(context.Background(), p, app.DefaultOptions())
				if err != nil {
					b.Fatal(err)
				}
				a.Resources()
				a.Close()
			}
			return
		}
	}
	b.Fatal("corpus lacks framework-res.apk")
}
