package app_test

import (
	"context"
	"testing"

	"appxray/app"
	"appxray/internal/aabtest"
)

// FuzzBundleManifest opens bundles whose base manifest is mutated proto
// XML. Beyond not panicking: the bundle opens (the container is sound),
// and every anomaly of the manifest either has no position (-1: it lies
// in bytes appxray converted) or lies inside the proto entry.
func FuzzBundleManifest(f *testing.F) {
	f.Add(pbFixture(f, "demo-manifest.xml.pb"))
	f.Add(pbFixture(f, "tc-manifest.xml.pb"))
	f.Add(pbNode("manifest", 1, [][2]string{{"package", "a.b"}}, pbNode("application", 2, nil)))
	f.Fuzz(func(t *testing.T, man []byte) {
		b := bundle(
			"BundleConfig.pb", aabtest.BundleConfig(),
			"base/manifest/AndroidManifest.xml", man,
		)
		a, err := app.OpenBytes(context.Background(), "f.aab", b, app.DefaultOptions())
		if err != nil {
			t.Fatalf("a sound bundle refused: %v", err)
		}
		_ = a.Info()
		for _, an := range a.Anomalies() {
			if an.Entry != "base/manifest/AndroidManifest.xml" || an.Source == app.SourceZip {
				continue
			}
			if an.Offset < -1 || an.Offset >= int64(len(man)) && an.Offset > 0 {
				t.Fatalf("anomaly %+v at offset %d outside the %d-byte entry", an, an.Offset, len(man))
			}
		}
	})
}
