package code

import (
	"context"
	"maps"
	"slices"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/hierarchy"
	"appxray/dex"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
)

const bigAPK = ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk"

func sameRules(a, b map[uint32][]knowledge.APIRule) bool {
	return maps.EqualFunc(a, b, func(x, y []knowledge.APIRule) bool {
		return slices.EqualFunc(x, y, func(p, q knowledge.APIRule) bool {
			return p.Class == q.Class && p.Member == q.Member && p.Category == q.Category
		})
	})
}

// open opens path and builds its class hierarchy.
func open(t *testing.T, path string) (*app.App, *hierarchy.Result) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{hierarchy.Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	h, ok := analysis.Get[*hierarchy.Result](res, hierarchy.Analyzer)
	if !ok {
		t.Fatal("no hierarchy")
	}
	return a, h
}

// inSpans matches f's method ids span by span, as the code index's jobs
// do, and puts the spans together.
func inSpans(f *dex.File, h *hierarchy.Result, spans [][2]uint32) map[uint32][]knowledge.APIRule {
	p := &dexPrep{f: f, parts: make([]ruleSpan, len(spans))}
	for i, sp := range spans {
		p.parts[i].rules, p.parts[i].stop = methodRules(f, h, sp[0], sp[1])
		p.parts[i].hi = sp[1]
	}
	return p.prepared().dr.methods
}

// TestRulesInSpans: method ids matched span by span give the rules one
// pass over all of them gives, those a class inherits included.
func TestRulesInSpans(t *testing.T) {
	a, h := open(t, "../hierarchy/testdata/hierarchy.dex")
	f := a.Dex(context.Background())[0].File
	total := f.Header.MethodIDsSize
	whole, stop := methodRules(f, h, 0, total)
	if stop != total {
		t.Fatalf("one pass stopped at %d of %d ids", stop, total)
	}
	inherited := 0
	for i := range whole {
		id, _ := f.MethodID(i)
		if c, _ := f.TypeDescriptorBytes(uint32(id.ClassIdx)); !rules().classes[string(c)] {
			inherited++
		}
	}
	if inherited == 0 {
		t.Fatal("no rule reached through an inheriting class: the test no longer covers inheritedVia")
	}
	// Every id a span of its own, and spans that cut a class's ids apart.
	var each, halves [][2]uint32
	for i := range total {
		each = append(each, [2]uint32{i, i + 1})
	}
	halves = [][2]uint32{{0, total / 2}, {total / 2, total}}
	for name, spans := range map[string][][2]uint32{"one id each": each, "halves": halves} {
		if got := inSpans(f, h, spans); !sameRules(got, whole) {
			t.Errorf("%s: %d rules from the spans, %d from one pass", name, len(got), len(whole))
		}
	}
}

// TestMethodSpans: the spans of a large DEX file's method ids tile them,
// are at most as many as asked, and end where a class's ids end.
func TestMethodSpans(t *testing.T) {
	a, h := open(t, corpus.File(t, bigAPK))
	spanned := 0
	for _, df := range a.Dex(context.Background()) {
		f := df.File
		total := f.Header.MethodIDsSize
		whole, _ := methodRules(f, h, 0, total)
		for _, n := range []int{1, 2, 5, 8} {
			spans := methodSpans(f, n)
			if len(spans) == 0 || len(spans) > n || spans[0][0] != 0 || spans[len(spans)-1][1] != total {
				t.Fatalf("%s, n=%d: spans %v do not tile [0, %d) in at most n", df.Location, n, spans, total)
			}
			if n == 8 && len(spans) > 1 {
				spanned++
			}
			for i := 1; i < len(spans); i++ {
				if spans[i][0] != spans[i-1][1] {
					t.Fatalf("%s, n=%d: span %d starts at %d, the last ended at %d", df.Location, n, i, spans[i][0], spans[i-1][1])
				}
				prev, _ := f.MethodID(spans[i][0] - 1)
				first, _ := f.MethodID(spans[i][0])
				if prev.ClassIdx == first.ClassIdx {
					t.Errorf("%s, n=%d: span %d splits the ids of class %d", df.Location, n, i, first.ClassIdx)
				}
			}
			if got := inSpans(f, h, spans); !sameRules(got, whole) {
				t.Errorf("%s, n=%d: %d rules from the spans, %d from one pass", df.Location, n, len(got), len(whole))
			}
		}
	}
	if spanned == 0 {
		t.Error("no DEX file split in several spans")
	}
}

// TestPreparedStopsAtUnreadable: rules found past a span's unreadable id
// are dropped, as one pass, which stops there, would never find them.
func TestPreparedStopsAtUnreadable(t *testing.T) {
	r := []knowledge.APIRule{{Class: "La;", Member: "m"}}
	p := &dexPrep{parts: []ruleSpan{
		{rules: map[uint32][]knowledge.APIRule{1: r}, stop: 10, hi: 10},
		{rules: map[uint32][]knowledge.APIRule{12: r}, stop: 15, hi: 20},
		{rules: map[uint32][]knowledge.APIRule{25: r}, stop: 30, hi: 30},
	}}
	got := slices.Sorted(maps.Keys(p.prepared().dr.methods))
	if !slices.Equal(got, []uint32{1, 12}) {
		t.Errorf("rules for method ids %v, want [1 12]", got)
	}
}

// TestIndexOnWorkers: the code index split over workers (its preparation,
// walk and argument-decided calls) finds what it finds on one, in the same
// order. Run under -race, it checks the jobs share nothing unguarded.
func TestIndexOnWorkers(t *testing.T) {
	path := corpus.File(t, bigAPK)
	var want []string
	for _, workers := range []int{1, 4} {
		res := testapp.RunConfig(t, path, &analysis.Config{Workers: workers}, APIs)
		var got []string
		for _, f := range res.Findings {
			for _, e := range f.Evidence {
				got = append(got, string(f.Category)+" "+e.Location+" "+e.Detail)
			}
		}
		if len(got) == 0 {
			t.Fatalf("workers=%d: no findings", workers)
		}
		if want == nil {
			want = got
		} else if !slices.Equal(got, want) {
			t.Errorf("workers=%d: %d pieces of evidence, differing from one worker's %d", workers, len(got), len(want))
		}
	}
}

// TestBlocks: entries come back in the order added, across blocks that
// are never regrown.
func TestBlocks(t *testing.T) {
	for _, n := range []int{0, 1, 1023, 1024, 1025, 200_000} {
		var b blocks[uint64]
		var firsts []*uint64
		for i := range n {
			b.add(uint64(i))
			if last := b[len(b)-1]; len(last) == 1 {
				firsts = append(firsts, &last[0])
			}
		}
		i := 0
		for k, blk := range b {
			if &blk[0] != firsts[k] {
				t.Fatalf("n=%d: block %d moved", n, k)
			}
			for _, v := range blk {
				if v != uint64(i) {
					t.Fatalf("n=%d: entry %d is %d", n, i, v)
				}
				i++
			}
		}
		if i != n {
			t.Errorf("n=%d: %d entries back", n, i)
		}
	}
}
