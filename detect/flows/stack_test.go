package flows

import (
	"context"
	"strings"
	"testing"

	"appxray/internal/testapp"
)

// TestStack checks what analyzeFrame relies on: what a frame took stays
// its own while frames above it take and give back, even when the region
// is replaced, and what is taken again comes zeroed.
func TestStack(t *testing.T) {
	var s stack[uint64]
	outer := s.take(3)
	outer[0], outer[2] = 7, 9
	mark := s.n
	inner := s.take(5000) // more than the region: a new one
	for i := range inner {
		inner[i] = 1
	}
	if outer[0] != 7 || outer[1] != 0 || outer[2] != 9 {
		t.Fatalf("outer frame's memory changed: %v", outer)
	}
	if cap(outer) != 3 || cap(inner) != 5000 {
		t.Fatalf("caps %d, %d: an append could run into a neighbour", cap(outer), cap(inner))
	}
	s.give(mark)
	again := s.take(5000)
	for i, v := range again {
		if v != 0 {
			t.Fatalf("retaken element %d = %d, want 0", i, v)
		}
	}
	if &again[0] != &inner[0] {
		t.Error("given-back memory was not reused")
	}
	s.give(0)
	if s.buf == nil {
		t.Error("a region under maxKept was dropped")
	}
	s.take(maxKept + 1)
	s.give(0)
	if s.buf != nil {
		t.Errorf("a region of %d elements was kept once the stack was empty", len(s.buf))
	}
}

// TestStateLimit checks that Limits.MaxStateCells stops the analyses that
// would hold more registers in block states than it allows, says so, and
// leaves the demo app's flows alone at the default.
func TestStateLimit(t *testing.T) {
	in := benchInputs(t, testapp.DemoPath())
	run := func(lim Limits) (*Result, []string) {
		in.lim = lim
		var cuts []string
		r, err := analyzeApp(context.Background(), in, func(_ string, err error) { cuts = append(cuts, err.Error()) })
		if err != nil {
			t.Fatal(err)
		}
		return r, cuts
	}
	full, cuts := run(Limits{})
	if len(full.Flows) == 0 || len(cuts) > 0 {
		t.Fatalf("default limits: %d flows, cuts %q", len(full.Flows), cuts)
	}
	small, cuts := run(Limits{MaxStateCells: 8})
	if len(small.Flows) >= len(full.Flows) {
		t.Errorf("8 state cells: %d flows, as many as without the limit (%d)", len(small.Flows), len(full.Flows))
	}
	if len(cuts) != 1 || !strings.Contains(cuts[0], "method analyses stopped at the limit of 8 registers held in block states") {
		t.Errorf("8 state cells: cuts %q", cuts)
	}
}
