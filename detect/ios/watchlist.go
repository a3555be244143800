package ios

import (
	"fmt"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Watchlist reports the URL schemes an app checks for: on iOS an app can
// only ask whether another app is installed (canOpenURL) for the schemes
// it lists in LSApplicationQueriesSchemes.
var Watchlist = &analysis.Analyzer{
	Name:       "ios-watchlist",
	Doc:        "reports LSApplicationQueriesSchemes, the other apps an iOS app checks for",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*WatchlistResult](),
	Run:        runWatchlist,
}

// WatchlistResult holds the scheme lists, as the report shows them.
type WatchlistResult struct {
	Watchlists []scan.Watchlist
	Found      []Found
}

const sample = 12

func runWatchlist(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	res := &WatchlistResult{}
	for _, b := range m.bundles() {
		if len(b.QueriesSchemes) == 0 {
			continue
		}
		ev := m.place(b.InfoPath, offsetOf(b, "LSApplicationQueriesSchemes"), "LSApplicationQueriesSchemes: "+strings.Join(b.QueriesSchemes, ", "))
		s := b.QueriesSchemes
		if len(s) > sample {
			s = s[:sample]
		}
		res.Watchlists = append(res.Watchlists, scan.Watchlist{
			Kind: "URL schemes", Category: knowledge.BehaviourAppWatchlist, Size: len(b.QueriesSchemes),
			Sample: s, Evidence: ev, SDK: sdkOf(b),
		})
		report(pass, &res.Found, analysis.Finding{
			Category:   knowledge.BehaviourAppWatchlist,
			Title:      fmt.Sprintf("Checks whether %d other apps are installed (LSApplicationQueriesSchemes: %s)", len(b.QueriesSchemes), strings.Join(s, ", ")),
			Confidence: scan.Sure("iOS answers canOpenURL only for the schemes listed here; the app lists them to ask"),
			Evidence:   []scan.Evidence{ev},
			SDK:        sdkOf(b),
		})
	}
	return res, nil
}
