// Package ios holds appxray's iOS detectors: what an iOS app says it may
// ask for (its purpose texts, in every language it ships), what it turns
// off (App Transport Security), which apps it looks for
// (LSApplicationQueriesSchemes), which SDKs it embeds, which
// privacy-sensitive APIs its executables use, what it declares in its
// privacy manifests set against what was found, and whether FairPlay hides
// its code.
//
// The analysis framework's Pass carries an Android app model; until the
// app model grows an iOS side, these analyzers read the iOS model from the
// run's context (WithApp), and Scan runs them over an opened ios.App.
package ios

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"appxray/analysis"
	iosmodel "appxray/ios"
	"appxray/knowledge"
	"appxray/plist"
	"appxray/scan"
)

type modelKey struct{}

// WithApp returns a context carrying the iOS app the analyzers read.
func WithApp(ctx context.Context, a *iosmodel.App) context.Context {
	return context.WithValue(ctx, modelKey{}, &model{app: a})
}

// model wraps the app with what the analyzers share: line numbers of XML
// plists, computed once per file.
type model struct {
	app *iosmodel.App

	mu    sync.Mutex
	lines map[string][]int // file → offsets of its line starts; nil for binary plists
}

func modelOf(p *analysis.Pass) (*model, error) {
	m, ok := p.Context.Value(modelKey{}).(*model)
	if !ok || m.app == nil {
		return nil, fmt.Errorf("no iOS app in the run (use ios.Scan or WithApp)")
	}
	return m, nil
}

// place names where a property list value is: its line in an XML plist,
// or the file (with the offset in the detail) in a binary one.
func (m *model) place(file string, off int64, detail string) scan.Evidence {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lines == nil {
		m.lines = map[string][]int{}
	}
	starts, seen := m.lines[file]
	if !seen {
		if data, err := m.app.ReadFile(file); err == nil && plist.Detect(data) != plist.FormatBinary {
			starts = []int{0}
			for i, c := range data {
				if c == '\n' {
					starts = append(starts, i+1)
				}
			}
		}
		m.lines[file] = starts
	}
	if off < 0 {
		return scan.ManifestLine(file, 0, detail)
	}
	if starts == nil {
		return scan.ManifestLine(file, 0, strings.TrimSpace(detail+fmt.Sprintf(" (binary plist, offset 0x%x)", off)))
	}
	line := sort.Search(len(starts), func(i int) bool { return starts[i] > int(off) })
	return scan.ManifestLine(file, line, detail)
}

// bundles returns the app and its embedded bundles.
func (m *model) bundles() []*iosmodel.Bundle {
	out := []*iosmodel.Bundle{m.app.Bundle}
	out = append(out, m.app.Frameworks...)
	return append(out, m.app.PlugIns...)
}

// sdkOf names the SDK a bundle is, for findings whose evidence lies in it.
func sdkOf(b *iosmodel.Bundle) string {
	if b.Kind != iosmodel.KindFramework {
		return ""
	}
	name := strings.TrimSuffix(path.Base(strings.TrimSuffix(b.Dir, "/")), ".framework")
	if s, ok := knowledge.IOSKnowledge().SDKByFramework(name); ok {
		return s.Tracker.Name
	}
	return name
}

// Found is a finding an analyzer reported, with its final ID, for the
// privacy manifest comparison.
type Found struct {
	ID         string
	Category   knowledge.Category
	Confidence scan.Level
}

// report sends a finding and remembers it.
func report(p *analysis.Pass, found *[]Found, f analysis.Finding) {
	f.Analyzer = p.Analyzer.Name
	f.ID = analysis.StableID(f)
	p.Report(f)
	*found = append(*found, Found{ID: f.ID, Category: f.Category, Confidence: f.Confidence.Level})
}

// quote shortens a purpose text for a title.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:77]) + "…"
	}
	return "“" + s + "”"
}
