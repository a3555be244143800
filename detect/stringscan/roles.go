package stringscan

import (
	"fmt"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/detect/code"
	"appxray/knowledge"
	"appxray/scan"
)

// role says what a place that names an endpoint shows about it: a server
// the code contacts, an address the code holds, or a host merely named in
// text (a licence, a help page, an XML namespace, a link shown to the
// user, a string in a native library).
type role int

const (
	roleNamed role = iota
	roleCode
	roleContacted
)

// occurrence is one place a cleartext URL is found, with whose it is.
type occurrence struct {
	url  string
	sdk  string
	role role
	ev   analysis.Evidence
	why  string // what decided the role, for the evidence
}

// addCleartext records a cleartext URL (or a cleartext scheme the code
// builds a URL from) at a place.
func (st *state) addCleartext(o occurrence) {
	st.clear = append(st.clear, o)
}

// isNamespace reports whether a URL is an XML namespace or protocol
// identifier, which names no server anyone contacts.
func isNamespace(u string) bool { return knowledge.Endpoints().IsNamespace(u) }

// dottedHost reports whether a URL's host is an IP address or a name with
// a dot: "http://id_click_activity/" is a marker a WebView client
// compares against, not a server.
func dottedHost(host, ip string) bool {
	return ip != "" || strings.Contains(host, ".")
}

// wholeURL reports whether a string is a URL (or a URL prefix the code
// completes) and nothing else, rather than text that mentions one.
func wholeURL(s, u string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, u) && !strings.ContainsAny(s, " \t\n\r")
}

// networkUse says whether a value that reaches an argument slot of a call
// is an address the call contacts: the destination of a network origin or
// sink of the flow tables (URL, HttpGet, WebView.loadUrl, Socket…).
func networkUse(class, method string, slot int) bool {
	t := knowledge.Flows()
	for _, o := range t.Origin(class, method) {
		if o.Kind == string(knowledge.SinkNetwork) && o.Dest >= 0 && o.Dest == slot {
			return true
		}
	}
	for _, r := range t.Sink(class, method) {
		if (r.Kind == knowledge.SinkNetwork || r.Kind == knowledge.SinkWebView) && r.Dest >= 0 && r.Dest == slot {
			return true
		}
	}
	return extraNetwork[class+"->"+method]
}

// extraNetwork are calls that open an address passed to them that the
// flow tables do not list as origins.
var extraNetwork = map[string]bool{
	"Lorg/apache/http/client/methods/HttpPut;-><init>":    true,
	"Lorg/apache/http/client/methods/HttpDelete;-><init>": true,
	"Lorg/apache/http/client/methods/HttpHead;-><init>":   true,
	"Landroid/media/MediaPlayer;->setDataSource":          true,
	"Lcom/loopj/android/http/AsyncHttpClient;->get":       true,
	"Lcom/loopj/android/http/AsyncHttpClient;->post":      true,
}

// browserUse are the calls that hand an address to another app to show
// (the browser), which is not the app's own traffic.
var browserUse = map[string]bool{
	"Landroid/app/Activity;->startActivity":                     true,
	"Landroid/content/Context;->startActivity":                  true,
	"Landroid/content/ContextWrapper;->startActivity":           true,
	"Landroid/app/Activity;->startActivityForResult":            true,
	"Landroid/content/Intent;->createChooser":                   true,
	"Landroid/support/v4/content/ContextCompat;->startActivity": true,
}

// codeRole decides the role of a string the code at site loads: passed
// to a network call (there, or in a method of the app it is handed to),
// handed to the browser, or held by the code.
func (st *state) codeRole(site code.Site, str uint32) (role, string) {
	fr := st.ix.SiteFrame(site)
	if fr == nil {
		return roleCode, ""
	}
	return st.valueRole(site.Dex, fr, func(v code.Value) bool { return v.Kind == code.ValString && v.Index == str }, 2)
}

// valueRole decides where the values that match go in frame fr.
func (st *state) valueRole(d int, fr *code.Frame, match func(code.Value) bool, depth int) (role, string) {
	browser := ""
	for _, u := range fr.Uses(match) {
		ref, err := fr.File.Method(u.Invoke.Method)
		if err != nil {
			continue
		}
		k := ref.Class + "->" + ref.Name
		if networkUse(ref.Class, ref.Name, u.Slot) {
			return roleContacted, "passed to " + ref.String()
		}
		if browserUse[k] || ref.Name == "startActivity" || ref.Name == "startActivityForResult" || ref.Name == "startActivities" {
			browser = "opened in another app with " + ref.String()
			continue
		}
		if depth > 0 {
			if callee := st.ix.Frame(d, u.Invoke.Method); callee != nil {
				slot := uint32(u.Slot)
				if r, why := st.valueRole(d, callee, func(v code.Value) bool { return v.Kind == code.ValParam && v.Index == slot }, depth-1); r == roleContacted {
					return roleContacted, "passed to " + ref.String() + ", then " + why
				}
			}
		}
	}
	if browser != "" {
		return roleNamed, browser
	}
	return roleCode, ""
}

// dexURLRole decides the role of a URL string from every method that
// loads it (the best role wins: one method opening it is enough), and
// the site that showed it.
func (st *state) dexURLRole(d int, str uint32, first code.Site) (role, string, code.Site) {
	sites := st.ix.URLSites(d, str)
	if len(sites) == 0 {
		sites = []code.Site{first}
	}
	// The best role wins; of equal roles, the app's own code's use.
	best, why, at, own := roleNamed, "", first, false
	seen := map[uint32]bool{}
	for i, s := range sites {
		if i == 32 || seen[s.Method] {
			continue
		}
		seen[s.Method] = true
		r, w := st.codeRole(s, str)
		o := st.ix.SDK(s) == ""
		if i == 0 || r > best || r == best && o && !own {
			best, why, at, own = r, w, s, o
		}
		if best == roleContacted && own {
			break
		}
	}
	return best, why, at
}

// builtCleartext reports the places where the app's code builds a URL on a
// bare cleartext scheme ("http://" + a host it computes) and opens it.
func (st *state) builtCleartext(d int, str uint32, s string, first code.Site) {
	r, why, at := st.dexURLRole(d, str, first)
	if r != roleContacted {
		return
	}
	ev := st.ix.Evidence(at, "")
	st.addCleartext(occurrence{url: s + " + a host the code computes", sdk: st.ix.SDK(at), role: roleContacted, ev: ev, why: why})
}

// bareSchemes are the cleartext schemes a URL may be built on at run time.
var bareSchemes = map[string]bool{"http://": true, "ws://": true, "ftp://": true}

// reportCleartext makes one cleartext finding for the app's own code and
// one per SDK: claimed when some URL is held or opened by the code, kept
// as a weak finding when the URLs are only named (in prose, resources,
// documentation, native strings, links opened in the browser).
func (st *state) reportCleartext() {
	type group struct {
		occ  []occurrence
		best role
		urls map[string]bool
	}
	groups := map[string]*group{}
	var sdks []string
	for _, o := range st.clear {
		g := groups[o.sdk]
		if g == nil {
			g = &group{urls: map[string]bool{}}
			groups[o.sdk] = g
			sdks = append(sdks, o.sdk)
		}
		g.occ = append(g.occ, o)
		g.urls[o.url] = true
		if o.role > g.best {
			g.best = o.role
		}
	}
	sort.Strings(sdks)
	for _, sdk := range sdks {
		g := groups[sdk]
		sort.SliceStable(g.occ, func(i, j int) bool { return g.occ[i].role > g.occ[j].role })
		if sdk == "" && g.best >= roleCode {
			st.res.OwnCleartext = g.occ[0].ev.Location
		}
		n := len(g.urls)
		opened := map[string]bool{}
		for _, o := range g.occ {
			if o.role == roleContacted {
				opened[o.url] = true
			}
		}
		f := analysis.Finding{Category: knowledge.BehaviourCleartext, SDK: sdk, Severity: analysis.Medium}
		switch g.best {
		case roleContacted:
			f.Title = fmt.Sprintf("Opens %d cleartext (unencrypted) %s", len(opened), plural(len(opened), "URL", "URLs"))
			if n > len(opened) {
				f.Title += fmt.Sprintf(" and names %d more", n-len(opened))
			}
			f.Confidence = scan.Sure("the code passes an unencrypted URL to a network call")
		case roleCode:
			f.Title = fmt.Sprintf("Names %d cleartext (unencrypted) %s in its code", n, plural(n, "URL", "URLs"))
			f.Confidence = scan.Likely("the code holds a URL with an unencrypted scheme; where it goes is not decided statically")
		default:
			f.Title = fmt.Sprintf("Names %d cleartext (unencrypted) %s, none used by its code", n, plural(n, "URL", "URLs"))
			f.Severity = analysis.Low
			f.Confidence = scan.Weak("the URLs are named in text, resources, documentation or native strings, or opened in another app; no code is seen to contact them")
		}
		seen := map[string]bool{}
		for _, o := range g.occ {
			if len(f.Evidence) == maxEvidence {
				break
			}
			if seen[o.url] {
				continue
			}
			seen[o.url] = true
			ev := o.ev
			ev.Detail = o.url
			if o.why != "" {
				ev.Detail += " (" + o.why + ")"
			}
			f.Evidence = append(f.Evidence, ev)
		}
		st.report1(f)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
