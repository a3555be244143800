package scan_test

import (
	"testing"

	"appxray/scan"
)

func TestPlistKey(t *testing.T) {
	for _, tc := range []struct {
		line int
		off  int64
		want string
	}{
		{26, -1, "Payload/A.app/Info.plist line 26"},
		{0, 0x1f4, "Payload/A.app/Info.plist offset 0x1f4"},
		{0, 0, "Payload/A.app/Info.plist offset 0x0"},
		{0, -1, "Payload/A.app/Info.plist"},
		{3, 0x10, "Payload/A.app/Info.plist line 3"},
	} {
		e := scan.PlistKey("Payload/A.app/Info.plist", tc.line, tc.off, "NSCameraUsageDescription: x")
		if e.Location != tc.want || e.Kind != scan.EvManifest || e.Detail != "NSCameraUsageDescription: x" {
			t.Errorf("PlistKey(line %d, offset %d) = %+v, want %q", tc.line, tc.off, e, tc.want)
		}
	}
}
