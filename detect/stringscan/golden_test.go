package stringscan

import (
	"encoding/json"
	"testing"

	"appxray/analysis"
	"appxray/internal/analysistest"
	"appxray/internal/testapp"
)

// The strings channel's findings on the demo app, and its endpoints and
// watchlists, whole.
func TestDemoGolden(t *testing.T) {
	res := analysistest.Run(t, "demo-ijop.golden", testapp.Demo(t), []*analysis.Analyzer{Analyzer}, Analyzer)
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Golden(t, "demo-ijop.result.golden", append(b, '\n'))
}
