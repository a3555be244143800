package code

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestBuildUseIndex compares the index with the methods of each key
// listed naively: in order, a method's consecutive repeats dropped, keys
// past n ignored.
func TestBuildUseIndex(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	var random [][]uint64
	for range 5 {
		var part []uint64
		for m := range uint32(40) {
			for range rnd.IntN(4) {
				part = append(part, pair(uint32(rnd.IntN(12)), m))
			}
		}
		random = append(random, part)
	}
	cases := [][][]uint64{
		nil,
		{{pair(0, 1), pair(0, 1), pair(2, 1), pair(0, 2)}, {pair(0, 2), pair(0, 1), pair(9, 3)}},
		random,
	}
	const n = 10
	for i, parts := range cases {
		want := make([][]uint32, n)
		for _, part := range parts {
			for _, p := range part {
				k, m := uint32(p>>32), uint32(p)
				if k < n && (len(want[k]) == 0 || want[k][len(want[k])-1] != m) {
					want[k] = append(want[k], m)
				}
			}
		}
		x := buildUseIndex(parts, n)
		total := 0
		for k := range uint32(n) {
			if got := x.Get(k); !slices.Equal(got, want[k]) {
				t.Errorf("case %d key %d: %v, want %v", i, k, got, want[k])
			}
			total += len(want[k])
		}
		if len(x.vals) != total || cap(x.vals) != total {
			t.Errorf("case %d: %d values in a slice of %d, want %d", i, len(x.vals), cap(x.vals), total)
		}
		if x.Get(n) != nil || x.Get(n+5) != nil {
			t.Errorf("case %d: a key past n has uses", i)
		}
	}
}
