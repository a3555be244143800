package manifest

import (
	"testing"

	"appxray/analysis"
	"appxray/internal/analysistest"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// The manifest channel's findings, whole, on the demo app and on two real
// apps written by others; the other tests here assert the reasons behind
// them.
func TestManifestGolden(t *testing.T) {
	tests := []struct{ golden, path string }{
		{"demo-ijop.golden", ""},
		{"io.appium.settings.golden", ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk"},
		{"appium-unlock.golden", ".corpus/npm/appium-unlock/package/bin/unlock_apk-debug.apk"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			path := testapp.Demo(t)
			if tt.path != "" {
				path = corpus.File(t, tt.path)
			}
			analysistest.Run(t, tt.golden, path, []*analysis.Analyzer{Analyzer})
		})
	}
}
