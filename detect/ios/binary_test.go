package ios_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"appxray/app"
	detectios "appxray/detect/ios"
	"appxray/internal/iosapp"
	"appxray/plist"
)

// A binary Info.plist has no lines: the evidence gives the byte offset of
// the value, which is where the string object starts in the file.
func TestBinaryPlistEvidence(t *testing.T) {
	const text = "Scan the visitor's passport."
	info := plist.EncodeBinary(plist.D(
		"CFBundleIdentifier", plist.Str("org.example.binary"),
		"NSCameraUsageDescription", plist.Str(text),
	))
	ipa, err := iosapp.IPA(map[string][]byte{"Payload/Bin.app/Info.plist": info})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.OpenBytes(context.Background(), "bin.ipa", ipa, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	r, err := detectios.Scan(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || len(r.Findings[0].Evidence) != 1 {
		t.Fatalf("findings %+v", r.Findings)
	}
	ev := r.Findings[0].Evidence[0]
	var off int
	if _, err := fmt.Sscanf(ev.Location, "Payload/Bin.app/Info.plist offset 0x%x", &off); err != nil {
		t.Fatalf("evidence %q: %v", ev.Location, err)
	}
	// An ASCII string object: marker 0x5N (N the length, or 0xF and an
	// integer object), then the bytes.
	if off <= 0 || off >= len(info) || info[off]>>4 != 0x5 || !strings.Contains(string(info[off:min(len(info), off+10+len(text))]), text) {
		t.Errorf("offset 0x%x does not hold the purpose text: % x", off, info[off:min(len(info), off+8)])
	}
	if !strings.Contains(ev.Detail, text) || strings.Contains(ev.Detail, "offset") {
		t.Errorf("detail %q", ev.Detail)
	}
}
