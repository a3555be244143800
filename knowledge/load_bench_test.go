package knowledge

import (
	"slices"
	"testing"
)

// BenchmarkLoad measures what building each embedded table costs, the
// start-up a process pays once for each table it reads (every table is
// built on first use; the lexicon on its first match): reading its
// compiled-in data, validating it and building its indexes.
func BenchmarkLoad(b *testing.B) {
	loads := append(slices.Clip(allLoaders), loader{"tracker-matcher", func() error {
		t, err := trackersOnce()
		if err == nil {
			_, err = NewTrackerMatcher(t)
		}
		return err
	}})
	for _, t := range loads {
		b.Run(t.name, func(b *testing.B) {
			for b.Loop() {
				if err := t.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
