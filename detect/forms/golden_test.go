package forms

import (
	"encoding/json"
	"testing"

	"appxray/analysis"
	"appxray/internal/analysistest"
	"appxray/internal/testapp"
)

// The forms channel's findings on the demo app, and its fields and option
// lists, whole.
func TestDemoGolden(t *testing.T) {
	res := analysistest.Run(t, "demo-ijop.golden", testapp.Demo(t), []*analysis.Analyzer{Analyzer})
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Golden(t, "demo-ijop.fields.golden", append(b, '\n'))
}
