package report

import (
	"strings"
	"testing"

	"appxray/scan"
)

// A diff says of a protector what the report says: that some or all of
// the code may be encrypted, never that the real code is.
func TestDiffProtection(t *testing.T) {
	old, new := &scan.Report{}, &scan.Report{}
	new.Protection.Packers = []scan.Packer{
		{ID: "jiagu", Name: "Jiagu", Kind: "packer", HidesIn: "assets/libjiagu.so"},
		{ID: "dexguard", Name: "DexGuard", Kind: "protector", HidesIn: "encrypted classes"},
	}
	got := map[string]string{}
	for _, c := range Compare(old, new).Changes {
		if c.Section == "protection" {
			got[c.Item] = c.After
		}
	}
	want := map[string]string{
		"Jiagu":    "packer; the real code is encrypted in assets/libjiagu.so",
		"DexGuard": "protector; some or all of the code may be encrypted in encrypted classes",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) || strings.Contains(got["DexGuard"], "real code") {
		t.Errorf("protection changes %v", got)
	}
}
