package code_test

import (
	"testing"

	"appxray/analysis"
	"appxray/detect/code"
	"appxray/internal/analysistest"
	"appxray/internal/testapp"
)

// The code channel's findings on the demo app, whole.
func TestDemoGolden(t *testing.T) {
	analysistest.Run(t, "demo-ijop.golden", testapp.Demo(t), []*analysis.Analyzer{code.APIs})
}
