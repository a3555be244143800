package ios

import (
	"fmt"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Transport reports where App Transport Security lets the app talk
// without TLS.
var Transport = &analysis.Analyzer{
	Name:       "ios-transport",
	Doc:        "reports App Transport Security switched off (NSAllowsArbitraryLoads) or relaxed for domains that may then be reached over cleartext HTTP",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*TransportResult](),
	Run:        runTransport,
}

// TransportResult lists the domains allowed over cleartext; All is set
// when ATS is off for every connection.
type TransportResult struct {
	All       bool
	WebViews  bool
	Cleartext []string
	Found     []Found
}

func runTransport(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	res := &TransportResult{}
	for _, b := range m.bundles() {
		ats := b.ATS
		if ats == nil {
			continue
		}
		where := offsetOf(b, "NSAppTransportSecurity")
		if ats.AllowsArbitraryLoads {
			res.All = res.All || b.Dir == m.app.Root
			report(pass, &res.Found, analysis.Finding{
				Category:   knowledge.BehaviourCleartext,
				Title:      "Switches off App Transport Security for every connection (NSAllowsArbitraryLoads)",
				Confidence: scan.Sure("NSAllowsArbitraryLoads lets the app connect over cleartext HTTP to any host (iOS 10 and later ignore it only when a web-content or media key is also set)"),
				Evidence:   []scan.Evidence{m.place(b.InfoPath, where, "NSAppTransportSecurity: NSAllowsArbitraryLoads = true")},
				SDK:        sdkOf(b),
			})
		}
		if ats.AllowsArbitraryLoadsInWebContent {
			res.WebViews = true
			report(pass, &res.Found, analysis.Finding{
				Category:   knowledge.BehaviourCleartext,
				Title:      "Lets its web views load pages over cleartext HTTP (NSAllowsArbitraryLoadsInWebContent)",
				Confidence: scan.Sure("NSAllowsArbitraryLoadsInWebContent exempts WKWebView content from App Transport Security"),
				Evidence:   []scan.Evidence{m.place(b.InfoPath, where, "NSAppTransportSecurity: NSAllowsArbitraryLoadsInWebContent = true")},
				SDK:        sdkOf(b),
			})
		}
		for _, x := range ats.Exceptions {
			if !x.AllowsInsecureHTTPLoads {
				continue
			}
			res.Cleartext = append(res.Cleartext, x.Domain)
			scope := x.Domain
			if x.IncludesSubdomains {
				scope = x.Domain + " and its subdomains"
			}
			report(pass, &res.Found, analysis.Finding{
				Category:   knowledge.BehaviourCleartext,
				Title:      fmt.Sprintf("Allows cleartext HTTP to %s (ATS exception)", scope),
				Confidence: scan.Sure("an NSExceptionDomains entry allows insecure HTTP loads for the domain"),
				Evidence:   []scan.Evidence{m.place(b.InfoPath, x.Offset, "NSExceptionDomains: "+x.Domain+": NSExceptionAllowsInsecureHTTPLoads = true")},
				SDK:        sdkOf(b),
			})
		}
	}
	return res, nil
}
