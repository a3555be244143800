// Package ios holds appxray's iOS detectors: what an iOS app says it may
// ask for (its purpose texts, in every language it ships), what it turns
// off (App Transport Security), which apps it looks for
// (LSApplicationQueriesSchemes), which SDKs it embeds, which
// privacy-sensitive APIs its executables use, what it declares in its
// privacy manifests set against what was found, and whether FairPlay hides
// its code.
//
// They read the iOS model the pass's app carries (app.App.IOS, for an
// .ipa or an unzipped .app) through the Model analyzer, which every one of
// them requires; Scan runs them over an opened app.
package ios

import (
	"errors"
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

// Model gives the iOS analyzers the app's iOS model, with what they
// share: the line index of XML property lists, computed once per file. On
// an app without an iOS side it fails, and every iOS analyzer with it.
var Model = &analysis.Analyzer{
	Name:       "ios-model",
	Doc:        "gives the iOS analyzers the app's iOS model and the line index of its XML property lists",
	ResultType: analysis.TypeOf[*model](),
	Run: func(p *analysis.Pass) (any, error) {
		if p.App == nil || p.App.IOS == nil {
			return nil, errors.New("not an iOS app")
		}
		return &model{app: p.App.IOS}, nil
	},
}

// model wraps the app with what the analyzers share: line numbers of XML
// plists, computed once per file.
type model struct {
	app *iosmodel.App

	mu    sync.Mutex
	lines map[string][]int // file → offsets of its line starts; nil for binary plists
}

func modelOf(p *analysis.Pass) (*model, error) {
	return analysis.ResultOf[*model](p, Model), nil
}

// place names where a property list value is: its line in an XML plist,
// its offset in a binary one.
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
		return scan.PlistKey(file, 0, -1, detail)
	}
	if starts == nil {
		return scan.PlistKey(file, 0, off, detail)
	}
	line := sort.Search(len(starts), func(i int) bool { return starts[i] > int(off) })
	return scan.PlistKey(file, line, -1, detail)
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
