// Package trackers holds the third-party SDK evidence channel: which
// trackers and SDKs an app carries, from the class names in its DEX files and
// the hosts it names, against appxray's signature table or an ETIP file.
package trackers

import (
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/detect/attribution"
	"appxray/detect/code"
	"appxray/detect/stringscan"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer finds the trackers and SDKs in an app.
var Analyzer = &analysis.Analyzer{
	Name:       "trackers",
	Doc:        "finds third-party trackers and SDKs by the package names of their classes and the hosts the app names",
	Requires:   []*analysis.Analyzer{code.Index, stringscan.Analyzer, attribution.Analyzer},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Hit is one tracker found in the app: the scan document's type.
type Hit = scan.Tracker

// Result lists the trackers found, by name.
type Result struct {
	Hits []*Hit
}

const maxSample = 5

func run(pass *analysis.Pass) (any, error) {
	ix := analysis.ResultOf[*code.IndexResult](pass, code.Index)
	sr := analysis.ResultOf[*stringscan.Result](pass, stringscan.Analyzer)
	attr := analysis.ResultOf[*attribution.Result](pass, attribution.Analyzer)
	m := attr.Matcher()
	own := attr.AppPackage()
	hits := map[string]*Hit{}
	hit := func(t *knowledge.Tracker) *Hit {
		h, ok := hits[t.ID+"\x00"+t.Source]
		if !ok {
			h = &Hit{ID: t.ID, Name: t.Name, Website: t.Website, Categories: t.Categories, Source: t.Source}
			hits[t.ID+"\x00"+t.Source] = h
		}
		return h
	}
	if m.Exodus() {
		return exodusHits(pass, ix.Dex, m, sr)
	}
	type pkgMatch struct {
		t   *knowledge.Tracker
		sig string
	}
	cache := map[string]pkgMatch{}
	for _, df := range ix.Dex {
		f := df.File
		for i := 0; i < f.NumClassDefs(); i++ {
			if i&1023 == 0 {
				if err := pass.Context.Err(); err != nil {
					return nil, err
				}
			}
			it, err := f.ClassDefItem(i)
			if err != nil {
				break
			}
			b, err := f.TypeDescriptorBytes(it.ClassIdx)
			if err != nil {
				continue
			}
			pkg := string(b)
			if j := strings.LastIndexByte(pkg, '/'); j >= 0 {
				pkg = pkg[:j]
			}
			pm, ok := cache[pkg]
			if !ok {
				// Matching the package as a class of it gives the same answer
				// for every class in it, so one match serves them all.
				t, sig := m.MatchClassForApp(pkg+"/X;", own)
				pm = pkgMatch{t, sig}
				cache[pkg] = pm
			}
			if pm.t == nil {
				continue
			}
			h := hit(pm.t)
			h.Classes++
			if !contains(h.Signatures, pm.sig) {
				h.Signatures = append(h.Signatures, pm.sig)
			}
			if len(h.SampleClasses) < maxSample {
				h.SampleClasses = append(h.SampleClasses, string(b))
			}
		}
	}
	if sr != nil {
		for _, e := range sr.Endpoints {
			if t, _ := m.MatchEndpoint(e.Host, e.URL); t != nil {
				h := hit(t)
				if !contains(h.Hosts, e.Host) {
					h.Hosts = append(h.Hosts, e.Host)
				}
			}
		}
	}
	out := make([]*Hit, 0, len(hits))
	for _, h := range hits {
		sort.Strings(h.Hosts)
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return &Result{Hits: out}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
