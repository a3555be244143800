package knowledge

import "testing"

// BenchmarkLoad measures what building each embedded table costs, the
// start-up a process pays once for each table it reads (every table is
// built on first use; the lexicon on its first match): decoding its JSON,
// validating it and building its indexes.
func BenchmarkLoad(b *testing.B) {
	for _, t := range []struct {
		name string
		load func() error
	}{
		{"categories", func() error { _, err := loadCategories(); return err }},
		{"libraries", func() error { _, err := loadLibraries(); return err }},
		{"packers", func() error { _, err := loadPackers(); return err }},
		{"framework", func() error { _, err := loadFramework(); return err }},
		{"permissions", func() error { _, err := loadPermissions(); return err }},
		{"apis", func() error { _, err := loadAPIs(); return err }},
		{"trackers", func() error { _, err := loadTrackers(); return err }},
		{"tracker-matcher", func() error {
			t, err := trackersOnce()
			if err == nil {
				_, err = NewTrackerMatcher(t)
			}
			return err
		}},
		{"flows", func() error { _, err := loadFlowTables(); return err }},
		{"anomalies", func() error { _, err := loadAnomalies(); return err }},
		{"reporting", func() error { _, err := loadReporting(); return err }},
		{"ios", func() error { _, err := loadIOS(); return err }},
		{"lexicon", func() error { _, err := loadLexicon(); return err }},
	} {
		b.Run(t.name, func(b *testing.B) {
			for b.Loop() {
				if err := t.load(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
