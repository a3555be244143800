package stringscan

import (
	"context"
	"testing"

	"appxray/analysis"
	"appxray/app"
)

// tryRun runs the analyzer on path, reporting false when the file is not
// an app appxray opens (empty archives in the corpus).
func tryRun(t *testing.T, path string) (*Result, bool) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		return nil, false
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, e := range res.Errors {
		t.Errorf("%s: %v", path, e)
	}
	return resultOf(res), true
}

func resultOf(res *analysis.Result) *Result {
	r, _ := analysis.Get[*Result](res, Analyzer)
	return r
}
