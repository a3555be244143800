package stringscan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// otherAppPath matches a path into another app's own storage: its private
// data directory (/data/data/<pkg>/…, /data/user/<n>/<pkg>/…) or its folder
// on shared storage (…/Android/data/<pkg>/…).
var otherAppPath = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:/data/data/|/data/user(?:_de)?/\d+/|Android/(?:data|media|obb)/)([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)(?:/|\b)`)
})

// accountWords mark the patterns a configuration extracts from another
// app's files: who the user is there.
var accountWords = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(account|accounts|user_?name|user_?id|uid|login|nick_?name|email|phone_?number|msisdn|wxid|qq_?number|session|token)\b`)
})

// minOtherApps is how many other apps a configuration must point into: one
// path may be a shared folder an app writes to; several are a plan.
const minOtherApps = 2

// otherAppsData reports a configuration asset that pairs other apps'
// package names with paths into their storage (and, often, patterns to
// extract from their files: account names, user IDs) as the list of apps
// whose data the app reads.
func (st *state) otherAppsData(loc string, data []byte, lineOf func(int) int) bool {
	own := st.attr.AppPackage()
	var apps []string
	first := 0
	for _, m := range otherAppPath().FindAllSubmatchIndex(data, 10_000) {
		pkg := string(data[m[2]:m[3]])
		if pkg == own || strings.HasPrefix(pkg, own+".") || slices.Contains(apps, pkg) {
			continue
		}
		if first == 0 {
			first = lineOf(m[0])
		}
		apps = append(apps, pkg)
	}
	if len(apps) < minOtherApps {
		return false
	}
	accounts := accountWords().FindAll(data, 50)
	var words []string
	for _, w := range accounts {
		if s := strings.ToLower(string(w)); !slices.Contains(words, s) {
			words = append(words, s)
		}
	}
	sample := apps[:min(len(apps), maxSample)]
	detail := fmt.Sprintf("paths into the storage of %d other apps", len(apps))
	if len(words) > 0 {
		detail += "; with what to extract: " + strings.Join(words[:min(len(words), 8)], ", ")
	}
	ev := scan.AssetLine(loc, first, detail)
	st.res.Watchlists = append(st.res.Watchlists, Watchlist{
		Kind: "apps whose data it reads", Category: knowledge.DeviceOtherAppsData, Size: len(apps),
		Sample: append([]string(nil), sample...), Evidence: ev,
	})
	if len(words) > 0 {
		full := ev
		full.Detail += ": " + strings.Join(sample, ", ")
		st.report1(analysis.Finding{
			Category:   knowledge.DeviceAccounts,
			Title:      fmt.Sprintf("Carries what to extract about the user from %d other apps' data (%s)", len(apps), strings.Join(words[:min(len(words), 4)], ", ")),
			Confidence: scan.Likely("a configuration names other apps' storage and the account fields to take from it"),
			Evidence:   []analysis.Evidence{full},
		})
	}
	return true
}
