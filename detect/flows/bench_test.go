package flows

import (
	"context"
	"os"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/attribution"
	"appxray/detect/code"
	"appxray/detect/forms"
	"appxray/detect/hierarchy"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// benchInputs opens an app and computes, once, what the flow analysis
// requires.
func benchInputs(b testing.TB, path string) inputs {
	b.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	res, err := analysis.Run(ctx, a, nil, Analyzer.Requires)
	if err != nil {
		b.Fatal(err)
	}
	var in inputs
	in.ix, _ = analysis.Get[*code.IndexResult](res, code.Index)
	in.h, _ = analysis.Get[*hierarchy.Result](res, hierarchy.Analyzer)
	in.fr, _ = analysis.Get[*forms.Result](res, forms.Analyzer)
	in.attr, _ = analysis.Get[*attribution.Result](res, attribution.Analyzer)
	if in.ix == nil || in.h == nil || in.attr == nil {
		b.Fatal("a required analyzer gave no result")
	}
	if t := a.Resources(); t != nil {
		in.res = t
	}
	if info := a.Info(); info != nil {
		in.components = info.Components
	}
	return in
}

// BenchmarkFlows is the flow analysis alone (its requirements computed
// once, outside the loop): on the corpus's largest app (16 DEX files, the
// one the speed target is set on), io.appium.settings and the demo app;
// with APPXRAY_BENCH_APK=FILE also on that file (BenchmarkFlows/env, as
// bench/run.sh runs it). cmd/appxray's BenchmarkScan is the whole scan
// with it.
func BenchmarkFlows(b *testing.B) {
	cases := []struct{ name, path string }{
		{"uiautomator2", ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk"},
		{"settings", ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk"},
		{"demo", ""},
	}
	if p := os.Getenv("APPXRAY_BENCH_APK"); p != "" {
		cases = append(cases, struct{ name, path string }{"env", p})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p := testapp.DemoPath()
			if c.path != "" {
				p = corpus.File(b, c.path)
			}
			in := benchInputs(b, p)
			b.ReportAllocs()
			for b.Loop() {
				r, err := analyzeApp(context.Background(), in, func(string, error) {})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(r.Work), "insns/op")
				b.ReportMetric(float64(len(r.Flows)), "flows/op")
			}
		})
	}
}
