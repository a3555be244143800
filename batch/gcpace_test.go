package batch

import (
	"math"
	"runtime/debug"
	"testing"
)

// collector returns the process's GOGC and memory limit without changing
// them.
func collector() (int, int64) {
	pct := debug.SetGCPercent(-1)
	debug.SetGCPercent(pct)
	return pct, debug.SetMemoryLimit(-1)
}

func TestGCPace(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	want := func(step string, pct int, limit int64) {
		t.Helper()
		if p, l := collector(); p != pct || l != limit {
			t.Errorf("%s: GOGC %d, limit %d; want %d, %d", step, p, l, pct, limit)
		}
	}
	const floor = 160 << 20
	off := newGCPace(0, 0)
	off.enter(1 << 40)()
	off.stop()
	want("no floor", 100, math.MaxInt64)

	p := newGCPace(floor, 1000)
	want("floor", -1, floor)
	small := p.enter(999)
	want("a small app", -1, floor)
	big1 := p.enter(1000)
	want("a large app", 100, math.MaxInt64)
	big2 := p.enter(5000)
	big1()
	want("one of two large apps done", 100, math.MaxInt64)
	big2()
	want("both large apps done", -1, floor)
	small()
	p.stop()
	want("after the run", 100, math.MaxInt64)
}

// A run with a heap floor leaves the collector as it found it.
func TestRunRestoresCollector(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	if _, err := Run(t.Context(), Options{Out: t.TempDir(), Jobs: 1, HeapFloor: 64 << 20}, nil); err != nil {
		t.Fatal(err)
	}
	if p, l := collector(); p != 100 || l != math.MaxInt64 {
		t.Errorf("after Run: GOGC %d, limit %d", p, l)
	}
}
