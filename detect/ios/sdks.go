package ios

import (
	"path"
	"slices"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// SDKs finds the third-party SDKs an iOS app embeds: framework bundles and
// @rpath framework links by name, statically linked SDKs by the
// Objective-C classes they define, and the hosts the executables name.
var SDKs = &analysis.Analyzer{
	Name:       "ios-sdks",
	Doc:        "finds third-party SDKs and trackers by their iOS framework names, the Objective-C classes they define and the hosts named in the executables",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*SDKResult](),
	Run:        runSDKs,
}

// SDKResult lists the SDKs found, in name order, and the URLs of the
// executables' strings (for the endpoints of the report).
type SDKResult struct {
	Trackers  []scan.Tracker
	Endpoints []scan.Endpoint
}

func runSDKs(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	k := knowledge.IOSKnowledge()
	hits := map[string]*scan.Tracker{}
	hit := func(t knowledge.Tracker) *scan.Tracker {
		h := hits[t.ID]
		if h == nil {
			h = &scan.Tracker{ID: t.ID, Name: t.Name, Website: t.Website, Categories: t.Categories, Source: t.Source}
			hits[t.ID] = h
		}
		return h
	}
	addSig := func(h *scan.Tracker, s string) {
		if !slices.Contains(h.Signatures, s) {
			h.Signatures = append(h.Signatures, s)
		}
	}
	for _, fw := range m.app.Frameworks {
		name := strings.TrimSuffix(path.Base(strings.TrimSuffix(fw.Dir, "/")), ".framework")
		if s, ok := k.SDKByFramework(name); ok {
			addSig(hit(s.Tracker), "Frameworks/"+name+".framework")
		}
	}
	matcher := knowledge.DefaultTrackerMatcher()
	eps := map[string]*scan.Endpoint{}
	// addURL records a URL found at a place, and the tracker its host
	// belongs to.
	addURL := func(u string, at scan.Evidence) {
		host := hostOf(u)
		if host == "" {
			return
		}
		ep := eps[u]
		if ep == nil {
			ep = &scan.Endpoint{URL: u, Host: host, Cleartext: strings.HasPrefix(u, "http://")}
			if t, _ := matcher.MatchHost(host); t != nil {
				ep.Tracker = t.Name
				h := hit(*t)
				if !slices.Contains(h.Hosts, host) {
					h.Hosts = append(h.Hosts, host)
				}
			}
			eps[u] = ep
		}
		ep.Places++
		if len(ep.FoundIn) < maxSample {
			ep.FoundIn = append(ep.FoundIn, at)
		}
	}
	for _, b := range m.bundles() {
		if b.Executable == nil {
			continue
		}
		for _, sl := range b.Executable.Slices {
			for _, d := range sl.Dylibs {
				if !strings.HasPrefix(d.Name, "@rpath/") && !strings.HasPrefix(d.Name, "@executable_path/") && !strings.HasPrefix(d.Name, "@loader_path/") {
					continue
				}
				fwName := frameworkName(d.Name)
				if s, ok := k.SDKByFramework(fwName); ok {
					addSig(hit(s.Tracker), d.Name)
				}
			}
			for _, c := range sl.ObjCClasses {
				if s, ok := k.SDKByClass(c.Value); ok {
					h := hit(s.Tracker)
					h.Classes++
					addSig(h, c.Value)
					if len(h.SampleClasses) < maxSample && !slices.Contains(h.SampleClasses, c.Value) {
						h.SampleClasses = append(h.SampleClasses, c.Value)
					}
				}
			}
			for _, s := range sl.Strings {
				for _, u := range urls(s.Value) {
					addURL(u, scan.NativeOffset(b.ExecutablePath, s.Offset, s.Value))
				}
			}
		}
	}
	// Web and script assets (Cordova, Capacitor, React Native bundles).
	for _, f := range m.app.Files() {
		if !strings.HasPrefix(f.Name, m.app.Root) || f.Size > maxScriptSize || !isScript(f.Name) {
			continue
		}
		data, err := m.app.ReadFile(f.Name)
		if err != nil {
			pass.Cut(f.Name, err)
			continue
		}
		for i, ln := range strings.Split(string(data), "\n") {
			for _, u := range urls(ln) {
				addURL(u, scan.AssetLine(f.Name, i+1, u))
			}
		}
	}
	res := &SDKResult{}
	for _, h := range hits {
		res.Trackers = append(res.Trackers, *h)
	}
	sort.Slice(res.Trackers, func(i, j int) bool { return res.Trackers[i].Name < res.Trackers[j].Name })
	for _, ep := range eps {
		res.Endpoints = append(res.Endpoints, *ep)
	}
	sort.Slice(res.Endpoints, func(i, j int) bool { return res.Endpoints[i].URL < res.Endpoints[j].URL })
	return res, nil
}

const maxSample = 5

// maxScriptSize bounds the web and script files read for URLs.
const maxScriptSize = 16 << 20

// isScript tells the web and script assets of hybrid apps.
func isScript(name string) bool {
	for _, ext := range []string{".html", ".htm", ".js", ".jsbundle", ".json"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return true
		}
	}
	return false
}

// frameworkName returns "FBSDKCoreKit" for "@rpath/FBSDKCoreKit.framework/FBSDKCoreKit"
// and for a system path; "" for a plain dylib.
func frameworkName(p string) string {
	for _, part := range strings.Split(p, "/") {
		if n, ok := strings.CutSuffix(part, ".framework"); ok {
			return n
		}
	}
	return ""
}

// urls finds http and https URLs in a string.
func urls(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "http")
		if i < 0 {
			return out
		}
		s = s[i:]
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			s = s[4:]
			continue
		}
		end := strings.IndexAny(s, " \t\r\n\"'<>`")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
}

// hostOf returns the host of an http(s) URL, or "" if it has none that
// looks like one (format placeholders such as %@ are not hosts).
func hostOf(u string) string {
	rest := u[strings.Index(u, "://")+3:]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i:], "]") {
		rest = rest[:i]
	}
	rest = strings.ToLower(rest)
	if rest == "" || strings.ContainsAny(rest, "%{}$ ") || !strings.Contains(rest, ".") {
		return ""
	}
	return rest
}
