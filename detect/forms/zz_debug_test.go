package forms

// Scratch dump for development; not committed.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"appxray/analysis"
	"appxray/app"
)

func TestZZDump(t *testing.T) {
	path := os.Getenv("FORMS_DUMP")
	if path == "" {
		t.Skip("FORMS_DUMP not set")
	}
	ctx := context.Background()
	t0 := time.Now()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(t0)
	r := res.Results["forms"].(*Result)
	out, _ := os.Create("/tmp/forms_dump.json")
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(r)
	enc.Encode(res.Findings)
	out.Close()
	fmt.Println("errors", res.Errors, "fields", len(r.Fields), "lists", len(r.OptionLists), "findings", len(res.Findings), "notes", r.Notes, "time", el)
}
