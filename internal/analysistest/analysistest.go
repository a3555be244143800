// Package analysistest runs analyzers, or a whole scan, over an app and
// compares what they found with a golden file, after
// golang.org/x/tools/go/analysis/analysistest. Golden files live in the
// calling package's testdata/ directory as *.golden; `go test -update`
// rewrites them, and a mismatch prints a line diff.
package analysistest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/scan"
)

var update = flag.Bool("update", false, "rewrite golden files with what the tests produce")

// Run opens the app at path, runs the analyzers (and what they require),
// fails the test on an analyzer error, and compares the findings of the
// named analyzers (all of them when only is empty) with testdata/golden.
func Run(t testing.TB, golden, path string, analyzers []*analysis.Analyzer, only ...*analysis.Analyzer) *analysis.Result {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, analyzers)
	if err != nil {
		t.Fatalf("analysing %s: %v", path, err)
	}
	for _, e := range res.Errors {
		t.Errorf("analyzer error on %s: %v", path, e)
	}
	fs := res.Findings
	if len(only) > 0 {
		fs = nil
		for _, f := range res.Findings {
			for _, an := range only {
				if f.Analyzer == an.Name {
					fs = append(fs, f)
				}
			}
		}
	}
	Golden(t, golden, Findings(fs))
	return res
}

// Findings renders findings as golden text: one block per finding, with
// every field a reader checks and every piece of evidence on its own line,
// in the order the framework sorts them.
func Findings(fs []scan.Finding) []byte {
	var b bytes.Buffer
	for _, f := range fs {
		special := ""
		if f.Special {
			special = " special"
		}
		sdk := ""
		if f.SDK != "" {
			sdk = " sdk=" + quote(f.SDK)
		}
		fmt.Fprintf(&b, "%s %s%s [%s] %s%s\n", f.ID, f.Category, special, f.Severity, quote(f.Title), sdk)
		fmt.Fprintf(&b, "  confidence %s: %s\n", f.Confidence.Level, f.Confidence.Reason)
		for _, e := range f.Evidence {
			fmt.Fprintf(&b, "  %s %s", e.Kind, e.Location)
			if e.Detail != "" {
				fmt.Fprintf(&b, "\n      %s", e.Detail)
			}
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// Golden compares got with testdata/name, or writes it there under -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run go test -update to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (- golden, + got; go test -update rewrites it):\n%s", path, Diff(string(want), string(got)))
	}
}

// Diff is a line diff of a and b, changed lines with two lines of
// context, at most 200 lines.
func Diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	// Longest common subsequence over lines; goldens are small enough for
	// the quadratic table, but bound it all the same.
	if len(al)*len(bl) > 25_000_000 {
		return fmt.Sprintf("(%d vs %d lines: too large to diff)", len(al), len(bl))
	}
	n, m := len(al), len(bl)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if al[i] == bl[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && al[i] == bl[j]:
			ops = append(ops, line{' ', al[i]})
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, line{'+', bl[j]})
			j++
		default:
			ops = append(ops, line{'-', al[i]})
			i++
		}
	}
	show := map[int]bool{}
	for k, o := range ops {
		if o.op != ' ' {
			for c := max(0, k-2); c <= min(len(ops)-1, k+2); c++ {
				show[c] = true
			}
		}
	}
	keys := make([]int, 0, len(show))
	for k := range show {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var out strings.Builder
	last, lines := -1, 0
	for _, k := range keys {
		if lines == 200 {
			out.WriteString("…\n")
			break
		}
		if last >= 0 && k != last+1 {
			out.WriteString("⋮\n")
		}
		fmt.Fprintf(&out, "%c %s\n", ops[k].op, ops[k].text)
		last = k
		lines++
	}
	return out.String()
}
