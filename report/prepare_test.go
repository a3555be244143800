package report

import (
	"bytes"
	"testing"

	"appxray/scan"
)

// TestPrepare checks that every format renders the empty report Prepare
// renders, and that a report rendered after Prepare is the one rendered
// without it.
func TestPrepare(t *testing.T) {
	r := &scan.Report{Tool: scan.Tool{Name: "appxray", Version: "test"}, File: scan.File{Name: "a.apk", Kind: "apk"}}
	for _, name := range FormatNames() {
		var before bytes.Buffer
		if err := Formats[name](&before, r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := Formats[name](new(bytes.Buffer), &scan.Report{}); err != nil {
			t.Errorf("%s: the empty report Prepare renders: %v", name, err)
		}
		Prepare(name)
		var after bytes.Buffer
		if err := Formats[name](&after, r); err != nil || !bytes.Equal(before.Bytes(), after.Bytes()) {
			t.Errorf("%s: rendered otherwise after Prepare (%v)", name, err)
		}
	}
	Prepare("no-such-format")
}
