// Package report renders a scan document. It only renders: it neither
// decodes an app nor analyses one, so that a report saved as JSON can be
// read back (Read) and rendered again, or compared, without the app file.
// Every format reads the same type, scan.Report.
package report

import (
	"encoding/json"
	"fmt"
	"io"

	"appxray/scan"
)

// JSON writes the report as one indented JSON document.
func JSON(w io.Writer, r *scan.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Read reads a report written by JSON. It refuses a document that is not an
// appxray report; fields a newer appxray added are ignored.
func Read(rd io.Reader) (*scan.Report, error) {
	var r scan.Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("report: not a JSON report: %w", err)
	}
	if r.Tool.Name != "appxray" {
		return nil, fmt.Errorf("report: not an appxray report (tool %q)", r.Tool.Name)
	}
	if dec.More() {
		return nil, fmt.Errorf("report: more than one JSON document")
	}
	return &r, nil
}
