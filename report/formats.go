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

// Prepare renders an empty report in a format and throws it away, so that
// what the format builds on first use (the JSON encoder's reflection of
// the report's types, the HTML template, the patterns the views match) is
// ready before the real report is: a command calls it while the app is
// still being analysed. An unknown format prepares nothing.
func Prepare(format string) {
	if render, ok := Formats[format]; ok {
		render(io.Discard, &scan.Report{})
	}
}
