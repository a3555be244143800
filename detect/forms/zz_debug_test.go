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

func TestZZCorpusScan(t *testing.T) {
	if os.Getenv("FORMS_CORPUS") == "" {
		t.Skip()
	}
	list, _ := os.ReadFile("/work/main/.corpus/list.txt")
	for _, p := range splitLines(string(list)) {
		if len(p) < 4 || p[len(p)-4:] != ".apk" {
			continue
		}
		ctx := context.Background()
		t0 := time.Now()
		a, err := app.Open(ctx, p, app.DefaultOptions())
		if err != nil {
			fmt.Println("OPENERR", p, err)
			continue
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := res.Results["forms"].(*Result)
		if r == nil {
			fmt.Println("ERR", p, res.Errors)
			continue
		}
		cats := map[string]int{}
		for _, f := range res.Findings {
			cats[f.Category]++
		}
		fmt.Printf("%-90s %6v fields=%d lists=%d findings=%d %v notes=%d\n", p[len(p)-min(90, len(p)):], time.Since(t0).Round(time.Millisecond), len(r.Fields), len(r.OptionLists), len(res.Findings), cats, len(r.Notes))
		a.Close()
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
