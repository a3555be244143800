// Package testapp runs appxray's analyzers over the committed demo app, for
// detector tests.
package testapp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
)

// DemoPath is the committed build of testapps/demo-ijop.
func DemoPath() string { return filepath.Join(corpus.Root(), "testdata", "demo-ijop.apk") }

// Demo returns the demo app: the committed build, or one built afresh from
// its sources when the build is missing. It fails the test when neither is
// available.
func Demo(t testing.TB) string {
	t.Helper()
	p := DemoPath()
	if _, err := os.Stat(p); err == nil {
		return p
	}
	dir := t.TempDir()
	cmd := exec.Command(filepath.Join(corpus.Root(), "scripts", "build-testapps.sh"), dir, "demo-ijop")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testdata/demo-ijop.apk is missing and building it failed: %v\n%s", err, out)
	}
	return filepath.Join(dir, "demo-ijop.apk")
}

// Run opens path and runs the analyzers (and what they require) over it.
func Run(t testing.TB, path string, analyzers ...*analysis.Analyzer) *analysis.Result {
	t.Helper()
	return RunConfig(t, path, nil, analyzers...)
}

// RunConfig is Run with a configuration (a tracker table, say).
func RunConfig(t testing.TB, path string, cfg *analysis.Config, analyzers ...*analysis.Analyzer) *analysis.Result {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	t.Cleanup(func() { a.Close() })
	res, err := analysis.Run(ctx, a, cfg, analyzers)
	if err != nil {
		t.Fatalf("analysing %s: %v", path, err)
	}
	for _, e := range res.Errors {
		t.Errorf("analyzer error on %s: %v", path, e)
	}
	return res
}

// Summary is one finding reduced to what tests compare.
type Summary struct {
	Category, Title, SDK string
	Locations            []string
}

// Summarise reduces findings for comparison.
func Summarise(fs []analysis.Finding) []Summary {
	var out []Summary
	for _, f := range fs {
		s := Summary{Category: string(f.Category), Title: f.Title, SDK: f.SDK}
		for _, e := range f.Evidence {
			s.Locations = append(s.Locations, string(e.Kind)+": "+e.Location)
		}
		out = append(out, s)
	}
	return out
}
