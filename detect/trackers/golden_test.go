package trackers_test

import (
	"encoding/json"
	"testing"

	"appxray/analysis"
	"appxray/detect/trackers"
	"appxray/internal/analysistest"
	"appxray/internal/testapp"
)

// The trackers found in the demo app, whole.
func TestDemoGolden(t *testing.T) {
	res := analysistest.Run(t, "demo-ijop.golden", testapp.Demo(t), []*analysis.Analyzer{trackers.Analyzer}, trackers.Analyzer)
	r, ok := analysis.Get[*trackers.Result](res, trackers.Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	b, err := json.MarshalIndent(r.Hits, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Golden(t, "demo-ijop.hits.golden", append(b, '\n'))
}
