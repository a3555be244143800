package report

import (
	"io"
	"sort"

	"appxray/scan"
)

// Formats are the renderings of a report, by the name --format takes.
var Formats = map[string]func(io.Writer, *scan.Report) error{
	"text":     Text,
	"json":     JSON,
	"html":     HTML,
	"markdown": Markdown,
	"sarif":    SARIF,
}

// FormatNames lists the names of Formats, sorted.
func FormatNames() []string {
	out := make([]string, 0, len(Formats))
	for n := range Formats {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
