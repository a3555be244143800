package ios

import (
	"slices"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Privacy sets what the privacy manifests declare (the collected data
// types of the app and of every embedded bundle, as Apple's privacy
// report adds them up) against what the other iOS analyzers found.
var Privacy = &analysis.Analyzer{
	Name:       "ios-privacy",
	Doc:        "compares the data types the privacy manifests declare with the categories the other iOS analyzers found",
	Requires:   []*analysis.Analyzer{Model, Usage, Transport, Watchlist, Code, Forms},
	ResultType: analysis.TypeOf[*PrivacyResult](),
	Run:        runPrivacy,
}

// PrivacyResult is the comparison, nil Declared when the app has no
// privacy manifest; Notes are contradictions worth a reader's look.
type PrivacyResult struct {
	Declared *scan.Declared
	Notes    []string
}

func runPrivacy(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	res := &PrivacyResult{}
	if len(m.app.PrivacyManifests) == 0 {
		return res, nil
	}
	k := knowledge.IOSKnowledge()
	var found []Found
	found = append(found, analysis.ResultOf[*UsageResult](pass, Usage).Found...)
	found = append(found, analysis.ResultOf[*TransportResult](pass, Transport).Found...)
	found = append(found, analysis.ResultOf[*WatchlistResult](pass, Watchlist).Found...)
	found = append(found, analysis.ResultOf[*CodeResult](pass, Code).Found...)
	found = append(found, analysis.ResultOf[*FormsResult](pass, Forms).Found...)

	// Every list present, empty rather than null, as the schema has them.
	d := &scan.Declared{Source: m.app.PrivacyManifests[0].Path, Format: "apple-privacy-manifest",
		Items: []scan.DeclaredItem{}, NotDeclared: []scan.Undeclared{}, NotSeen: []scan.DeclaredItem{}}
	var sources []string
	covered := map[knowledge.Category]bool{}
	seenItem := map[string]bool{}
	tracking := false
	for _, pm := range m.app.PrivacyManifests {
		sources = append(sources, pm.Path)
		tracking = tracking || pm.Tracking
		for _, c := range pm.CollectedData {
			if seenItem[c.Type] {
				continue
			}
			seenItem[c.Type] = true
			item := scan.DeclaredItem{ID: c.Type, Label: c.Type, Categories: []knowledge.Category{}}
			if dt, ok := k.DataType(c.Type); ok {
				item.Label = dt.Label
				item.Categories = dt.Categories
			} else {
				res.Notes = append(res.Notes, pm.Path+" declares "+c.Type+", which is not one of Apple's data types")
			}
			for _, cat := range item.Categories {
				covered[cat] = true
			}
			d.Items = append(d.Items, item)
		}
	}
	if len(sources) > 1 {
		d.Source = strings.Join(sources, ", ")
	}
	byCat := map[knowledge.Category][]string{}
	strong := map[knowledge.Category]bool{}
	var cats []knowledge.Category
	for _, f := range found {
		if strings.HasPrefix(string(f.Category), "behaviour.") {
			continue
		}
		if _, ok := byCat[f.Category]; !ok {
			cats = append(cats, f.Category)
		}
		byCat[f.Category] = append(byCat[f.Category], f.ID)
		if f.Confidence.Rank() <= 1 {
			strong[f.Category] = true
		}
	}
	slices.Sort(cats)
	for _, c := range cats {
		if covered[c] || !strong[c] {
			continue
		}
		u := scan.Undeclared{Category: c, Findings: byCat[c], DataTypes: []string{}}
		for _, dt := range k.DataTypes {
			if slices.Contains(dt.Categories, c) {
				u.DataTypes = append(u.DataTypes, dt.Type)
			}
		}
		d.NotDeclared = append(d.NotDeclared, u)
	}
	for _, item := range d.Items {
		seen := false
		for _, c := range item.Categories {
			if len(byCat[c]) > 0 {
				seen = true
			}
		}
		if !seen && len(item.Categories) > 0 {
			d.NotSeen = append(d.NotSeen, item)
		}
	}
	if !tracking {
		for _, f := range found {
			if f.Category == knowledge.DeviceIdentifiers && f.Confidence.Rank() <= 1 {
				res.Notes = append(res.Notes, "no privacy manifest declares tracking (NSPrivacyTracking), yet the app reads or asks for the advertising identifier (finding "+f.ID+")")
				break
			}
		}
	}
	res.Declared = d
	return res, nil
}
