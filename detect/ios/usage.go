package ios

import (
	"fmt"
	"sort"
	"strings"

	"appxray/analysis"
	iosmodel "appxray/ios"
	"appxray/knowledge"
	"appxray/scan"
)

// Usage reports the purpose texts an app declares for privacy-sensitive
// access, each in its category, with the text in every language.
var Usage = &analysis.Analyzer{
	Name:       "ios-usage",
	Doc:        "reports the NS…UsageDescription purpose texts of Info.plist and its localisations as the access the app may ask for",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*UsageResult](),
	Run:        runUsage,
}

// UsageResult lists the purpose texts per bundle.
type UsageResult struct {
	Descriptions []Description
	Found        []Found
}

// Description is one purpose text with what it unlocks.
type Description struct {
	Bundle   string // the bundle's directory
	Key      string
	Category knowledge.Category // "" for keys outside the taxonomy
	Texts    map[string]string  // localisation ("" for Info.plist) → text
}

func runUsage(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	k := knowledge.IOSKnowledge()
	res := &UsageResult{}
	for _, b := range m.bundles() {
		for _, u := range b.UsageDescriptions {
			d := Description{Bundle: b.Dir, Key: u.Key, Texts: u.Texts}
			uk, known := k.UsageKey(u.Key)
			if known {
				d.Category = uk.Category
			}
			res.Descriptions = append(res.Descriptions, d)
			if !known {
				continue
			}
			report(pass, &res.Found, usageFinding(m, b, u, uk))
		}
		if b.Kind == iosmodel.KindApp {
			for _, mode := range b.BackgroundModes {
				if mode != "location" {
					continue
				}
				report(pass, &res.Found, analysis.Finding{
					Category:   knowledge.DeviceLocation,
					Title:      "Declares location updates in the background (UIBackgroundModes location)",
					Confidence: scan.Sure("Info.plist lists the location background mode, which lets the app keep receiving the location when it is not on screen"),
					Evidence:   []scan.Evidence{m.place(b.InfoPath, offsetOf(b, "UIBackgroundModes"), "UIBackgroundModes: location")},
				})
			}
		}
	}
	return res, nil
}

func offsetOf(b *iosmodel.Bundle, key string) int64 {
	if v := b.Info.Get(key); v != nil {
		return v.Offset
	}
	return -1
}

func usageFinding(m *model, b *iosmodel.Bundle, u iosmodel.UsageDescription, uk *knowledge.UsageKey) analysis.Finding {
	text, own := u.Texts[""]
	var ev []scan.Evidence
	if own {
		ev = append(ev, m.place(b.InfoPath, u.Offset, fmt.Sprintf("%s: %s", u.Key, text)))
	}
	var langs []string
	for l := range u.Texts {
		if l != "" {
			langs = append(langs, l)
		}
	}
	sort.Strings(langs)
	for _, l := range langs {
		ev = append(ev, scan.ManifestLine(b.Dir+l+".lproj/InfoPlist.strings", 0, fmt.Sprintf("%s (%s): %s", u.Key, l, u.Texts[l])))
	}
	title := fmt.Sprintf("Says why it wants %s (%s)", uk.What, u.Key)
	if own {
		title += ": " + quote(text)
	} else if len(langs) > 0 {
		title += ": " + quote(u.Texts[langs[0]])
	}
	conf := scan.Sure("Info.plist gives the purpose text iOS shows when the app asks for this access, so the app can ask for it")
	if !own {
		conf = scan.Likely("only a localisation gives the purpose text; without it in Info.plist iOS refuses the request on devices in other languages")
	}
	if b.Kind != iosmodel.KindApp {
		title = strings.Replace(title, "Says why it wants", "An embedded "+b.Kind+" says why it wants", 1)
	}
	return analysis.Finding{
		Category:   uk.Category,
		Title:      title,
		Confidence: conf,
		Evidence:   ev,
		SDK:        sdkOf(b),
	}
}
