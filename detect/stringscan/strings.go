package stringscan

import (
	"bytes"
	"debug/elf"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/attribution"
	"appxray/detect/code"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer reports the endpoints, watchlists, bundled executables and
// telling literal strings that Scan finds, as the strings channel.
var Analyzer = &analysis.Analyzer{
	Name:       "strings",
	Doc:        "finds the URLs, hosts and IP addresses an app names, the watchlists of package names, hashes or keywords it carries, bundled executables, and literal strings that show what its code reaches for",
	Requires:   []*analysis.Analyzer{Scan},
	ResultType: analysis.TypeOf[*Result](),
	Run: func(pass *analysis.Pass) (any, error) {
		r := analysis.ResultOf[*Result](pass, Scan)
		for _, f := range r.findings {
			pass.Report(f)
		}
		return r, nil
	},
}

// Scan reads DEX files, the resource table, assets and native code for
// what Analyzer reports, without reporting it: other channels (the
// manifest's cleartext settings) read its result.
var Scan = &analysis.Analyzer{
	Name:       "stringscan",
	Doc:        "reads the strings of DEX files, resources, assets and native code for endpoints, watchlists and telling literals",
	Requires:   []*analysis.Analyzer{code.Index, attribution.Analyzer},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Endpoint, Watchlist and Executable are the scan document's types.
type (
	Endpoint   = scan.Endpoint
	Watchlist  = scan.Watchlist
	Executable = scan.Executable
)

// Result is what the analyzer returns for the report.
type Result struct {
	Endpoints   []*Endpoint  `json:"endpoints"`
	Watchlists  []Watchlist  `json:"watchlists"`
	Executables []Executable `json:"executables"`
	// OwnCleartext names the first place where the app's own code holds
	// or opens a cleartext URL, "" when it does none: the manifest's
	// allowing cleartext matters only where the code uses it.
	OwnCleartext string `json:"-"`

	findings []analysis.Finding
}

const (
	maxPlaces      = 10       // evidence listed per endpoint
	maxSample      = 10       // items shown from a watchlist
	minWatchlist   = 3        // items before a list counts as a watchlist
	maxTextFile    = 16 << 20 // larger assets are not scanned as text
	maxNativeFile  = 64 << 20
	maxEvidence    = 20
	minNativeRun   = 6
	maxCodeStrings = 5_000_000 // strings looked at across all DEX files
)

type state struct {
	pass      *analysis.Pass
	ix        *code.IndexResult
	attr      *attribution.Result
	res       *Result
	endpoints map[string]*Endpoint
	// literal-string findings keyed by category, title and SDK.
	literal map[[3]string]*analysis.Finding
	order   [][3]string
	// unchecked marks the watchlists (by index) of package names whose
	// class never asks which apps are installed or running.
	unchecked map[int]string
	querying  map[string]bool
	// clear are the places cleartext URLs are found, with their roles.
	clear []occurrence
	// scripts are the script files (by location) the app's pages load.
	scripts map[string]bool
	// bootKnown and bootNone cache noBootReceiver.
	bootKnown, bootNone bool
	// argUse records, per method and deciding argument, whether every
	// call it decides is weak, and why (see weakArg).
	argUse map[argKey]argUse
}

type argKey struct {
	d      int
	method uint32
	arg    string
}

type argUse struct {
	weak bool
	why  string
}

// uriUnused reports why a content URI that method m of DEX d loads
// proves little: every query the code makes with it is weak (it asks for
// row IDs only), or (when a content URI) no query of it is seen at all.
// ok is false when some call uses it strongly.
func (st *state) uriUnused(d int, m uint32, uri string) (string, bool) {
	if _, ok := knowledge.MatchContentURI(uri); !ok {
		return "", false
	}
	if st.argUse == nil {
		st.argUse = map[argKey]argUse{}
		for _, c := range st.ix.Calls {
			if c.Arg == "" || !strings.HasPrefix(c.Arg, "content://") {
				continue
			}
			arg, _, _ := strings.Cut(c.Arg, " (through ")
			for _, k := range []argKey{{c.Site.Dex, c.Site.Method, arg}, {-1, 0, arg}} {
				u, seen := st.argUse[k]
				switch {
				case !seen:
					u = argUse{weak: c.Weak, why: c.WeakWhy}
				case !c.Weak:
					u.weak = false
				}
				st.argUse[k] = u
			}
		}
	}
	u, ok := st.argUse[argKey{d, m, uri}]
	if !ok {
		// Not used by this method: used anywhere?
		if u, ok = st.argUse[argKey{-1, 0, uri}]; !ok {
			return "the code loads the URI, but no query of it is seen", true
		}
	}
	if !u.weak {
		return "", false
	}
	return u.why, true
}

func run(pass *analysis.Pass) (any, error) {
	st := &state{
		unchecked: map[int]string{},
		pass:      pass,
		ix:        analysis.ResultOf[*code.IndexResult](pass, code.Index),
		attr:      analysis.ResultOf[*attribution.Result](pass, attribution.Analyzer),
		res:       &Result{Endpoints: []*Endpoint{}, Watchlists: []Watchlist{}, Executables: []Executable{}},
		endpoints: map[string]*Endpoint{},
		literal:   map[[3]string]*analysis.Finding{},
	}
	if err := st.scanDex(); err != nil {
		return nil, err
	}
	for _, p := range pass.App.Parts {
		if err := pass.Context.Err(); err != nil {
			return nil, err
		}
		st.scanResources(p)
		st.scanFiles(p)
	}
	st.report()
	return st.res, nil
}

// addEndpoint records a URL or bare host found at ev.
func (st *state) addEndpoint(raw, host, ip string, cleartext bool, ev analysis.Evidence) {
	key := raw
	if key == "" {
		key = host
	}
	e, ok := st.endpoints[key]
	if !ok {
		e = &Endpoint{URL: raw, Host: host, IP: ip, Cleartext: cleartext}
		if t, _ := st.attr.Matcher().MatchHost(host); t != nil {
			e.Tracker = t.Name
		}
		st.endpoints[key] = e
		st.res.Endpoints = append(st.res.Endpoints, e)
	}
	e.Places++
	if len(e.FoundIn) < maxPlaces {
		e.FoundIn = append(e.FoundIn, ev)
	}
}

// scanText records the URLs in b, found at ev(offset); cleartext ones
// take role r (with why) unless roleOf decides per URL.
func (st *state) scanText(b []byte, ev func(off int) analysis.Evidence, r role, why string) {
	scanURLs(b, func(u string, off int) {
		if isNamespace(u) {
			return
		}
		if host, ip, clear, ok := parseEndpoint(u); ok {
			e := ev(off)
			st.addEndpoint(u, host, ip, clear, e)
			if clear {
				rr := r
				if !dottedHost(host, ip) {
					rr = roleNamed
				}
				st.addCleartext(occurrence{url: u, role: rr, ev: e, why: why})
			}
		}
	})
}

// literalFinding adds evidence to the finding for a literal-string rule.
func (st *state) literalFinding(category knowledge.Category, title, sdk string, weak bool, ev analysis.Evidence) {
	st.literalFindingWhy(category, title, sdk, weak, "", ev)
}

// nativeWeak is why a string in a native file proves little about the
// person's data: a binary names the files of everything it can do.
const nativeWeak = "the string is in a native file, which holds the strings of everything it can do (a busybox names the files of every applet): it does not show the app reads this"

// literalFindingWhy is literalFinding with the reason a weak one is weak
// ("" for the rule's own weakness).
func (st *state) literalFindingWhy(category knowledge.Category, title, sdk string, weak bool, why string, ev analysis.Evidence) {
	k := [3]string{string(category), title, sdk}
	f, ok := st.literal[k]
	if !ok {
		f = &analysis.Finding{Category: category, Title: title, SDK: sdk, Severity: analysis.Medium,
			Confidence: scan.Likely("the string is in the app; what the code does with it is not decided statically")}
		if weak {
			if why == "" {
				why = "the string alone is common and may serve other purposes"
			}
			f.Severity = analysis.Low
			f.Confidence = scan.Weak(why)
		}
		st.literal[k] = f
		st.order = append(st.order, k)
	}
	if !weak && f.Confidence.Level == scan.LevelLow {
		f.Severity, f.Confidence = analysis.Medium, scan.Likely("the string is in the app; what the code does with it is not decided statically")
	}
	if len(f.Evidence) < maxEvidence {
		for _, e := range f.Evidence {
			if e == ev {
				return
			}
		}
		f.Evidence = append(f.Evidence, ev)
	}
}

func (st *state) matchLiteral(s, sdk string, ev analysis.Evidence) {
	st.matchLiteralIn(s, sdk, false, ev)
}

// matchLiteralIn matches a literal string found in code, or (native) in a
// native file, where a string naming the person's data proves little.
func (st *state) matchLiteralIn(s, sdk string, native bool, ev analysis.Evidence) {
	why := func(c knowledge.Category, weak bool) (bool, string) {
		if native && c.Group() == knowledge.GroupDevice {
			return true, nativeWeak
		}
		if c == knowledge.BehaviourBoot && st.noBootReceiver() {
			return true, "no receiver in the app's manifests takes the boot broadcast, and one registered at run time never gets it: the app is not running at boot"
		}
		return weak, ""
	}
	if r, ok := knowledge.MatchContentURI(s); ok && r.Category != "" {
		w, y := why(r.Category, r.Confidence == knowledge.Weak)
		st.literalFindingWhy(r.Category, r.Title, sdk, w, y, ev)
	}
	for _, r := range knowledge.MatchString(s) {
		if r.Category != "" {
			w, y := why(r.Category, r.Confidence == knowledge.Weak)
			st.literalFindingWhy(r.Category, r.Title, sdk, w, y, ev)
		}
	}
}

// scanDex looks at every string of every DEX file: URLs and hosts anywhere
// in the string table, literal-string rules and watchlists only in strings
// that code loads, which is where they have a caller to name.
func (st *state) scanDex() error {
	seen := 0
	for d, df := range st.ix.Dex {
		f := df.File
		users := st.ix.StringUser[d]
		// per method: the package names and hashes it loads.
		lists := map[uint32]map[itemKind][]string{}
		for i := uint32(0); i < f.Header.StringIDsSize; i++ {
			if i&4095 == 0 {
				if err := st.pass.Context.Err(); err != nil {
					return err
				}
			}
			if seen++; seen > maxCodeStrings {
				return nil
			}
			b, err := f.StringBytes(i)
			if err != nil || len(b) < 4 {
				continue
			}
			user := uint32(0)
			if int(i) < len(users) {
				user = users[i]
			}
			if user != 0 && (bytes.Contains(b, []byte("://")) || hasLiteralBytes(b)) && st.ix.SDK(code.Site{Dex: d, Method: user - 1}) != "" {
				// An SDK loads it first; the app's own use, if any, is
				// what the finding is about.
				if m, ok := st.ix.OwnUser(st.pass.Context, d, i); ok {
					user = m + 1
				}
			}
			ev := func() analysis.Evidence {
				if user != 0 {
					site := code.Site{Dex: d, Method: user - 1}
					return st.ix.Evidence(site, "")
				}
				return scan.DexString(df.Location, i, "")
			}
			sdk := func() string {
				if user == 0 {
					return ""
				}
				return st.ix.SDK(code.Site{Dex: d, Method: user - 1})
			}
			if bytes.Contains(b, []byte("://")) {
				s, _ := f.String(i)
				if user != 0 && bareSchemes[s] {
					st.builtCleartext(d, i, s, code.Site{Dex: d, Method: user - 1})
				}
				scanURLs([]byte(s), func(u string, _ int) {
					if isNamespace(u) {
						return
					}
					host, ip, clear, ok := parseEndpoint(u)
					if !ok {
						return
					}
					e := ev()
					e.Detail = fmt.Sprintf("%q", clip(s))
					r, why, author := roleNamed, "not loaded by any code", sdk()
					switch {
					case user == 0:
					case !wholeURL(s, u):
						why = "in a text the code loads"
					case !dottedHost(host, ip):
						why = "not a host name"
					default:
						var at code.Site
						r, why, at = st.dexURLRole(d, i, code.Site{Dex: d, Method: user - 1})
						if at.Method != user-1 {
							e = st.ix.Evidence(at, fmt.Sprintf("%q", clip(s)))
						}
						author = st.ix.SDK(at)
					}
					if why != "" {
						e.Detail += " (" + why + ")"
					}
					st.addEndpoint(u, host, ip, clear, e)
					if clear {
						st.addCleartext(occurrence{url: u, sdk: author, role: r, ev: e, why: why})
					}
				})
			} else if bytes.IndexByte(b, '.') > 0 && len(b) <= 253 && user != 0 {
				s, _ := f.String(i)
				if host, ip, ok := bareHost(s); ok {
					e := ev()
					e.Detail = fmt.Sprintf("%q", s)
					st.addEndpoint("", host, ip, false, e)
				}
			}
			if user == 0 {
				continue
			}
			s, err := f.String(i)
			if err != nil {
				continue
			}
			// Evidence (the method's name, the quoted string) only for a
			// string some rule matches: most strings match none.
			if hasLiteral(s) {
				e := ev()
				e.Detail = fmt.Sprintf("loads %q", clip(s))
				if why, ok := st.uriUnused(d, user-1, s); ok {
					// A content URI proves what the code does with it:
					// where it only asks for row IDs, or is never
					// queried, the literal proves no more.
					if r, ok := knowledge.MatchContentURI(s); ok && r.Category != "" {
						st.literalFindingWhy(r.Category, r.Title, sdk(), true, why, e)
					}
					for _, r := range knowledge.MatchString(s) {
						if r.Category != "" {
							st.literalFinding(r.Category, r.Title, sdk(), r.Confidence == knowledge.Weak, e)
						}
					}
				} else {
					st.matchLiteral(s, sdk(), e)
				}
			}
			if k := classify(s); k != itemOther {
				m := lists[user-1]
				if m == nil {
					m = map[itemKind][]string{}
					lists[user-1] = m
				}
				m[k] = append(m[k], s)
			}
		}
		st.codeWatchlists(d, lists)
	}
	return nil
}

// codeWatchlists reports methods that load many package names or hashes:
// lists of apps or files the code looks for.
func (st *state) codeWatchlists(d int, lists map[uint32]map[itemKind][]string) {
	methods := make([]uint32, 0, len(lists))
	for m := range lists {
		methods = append(methods, m)
	}
	sort.Slice(methods, func(i, j int) bool { return methods[i] < methods[j] })
	own := st.attr.AppPackage()
	for _, m := range methods {
		for kind, items := range lists[m] {
			if kind == itemPackage {
				// Names in the app's own or the caller's namespace are
				// configuration keys, and names of libraries the app carries
				// are code namespaces (a class-path scanner's list): neither
				// is a list of apps to look for.
				items = st.foreignPackages(items, own, st.ix.Class(code.Site{Dex: d, Method: m}))
				if len(items) < 5 {
					continue
				}
			} else if len(items) < minWatchlist {
				continue
			}
			site := code.Site{Dex: d, Method: m}
			st.addWatchlist(kind, items, st.ix.Evidence(site, fmt.Sprintf("loads %d %s", len(items), kind)), st.ix.SDK(site))
			if kind != itemPackage {
				if why := st.passedAsKeys(site, items); why != "" {
					st.unchecked[len(st.res.Watchlists)-1] = why
				}
			}
			if kind == itemPackage {
				switch {
				case !st.queriesPackages(st.ix.Class(site)):
					st.unchecked[len(st.res.Watchlists)-1] = "the class that holds the list never asks which apps are installed or running, so it is not shown to be a list of apps looked for"
				case st.handsOff(site):
					st.unchecked[len(st.res.Watchlists)-1] = "the code that holds the list opens one of the apps it finds (it names the app in an Intent), so the list names apps it hands work to, such as browsers to open a link in, not apps it watches for"
				}
			}
		}
	}
}

// packageQueries are the calls through which code learns which apps are
// installed or running, to compare them against a list.
var packageQueries = map[string]bool{
	"Landroid/content/pm/PackageManager;->getPackageInfo":            true,
	"Landroid/content/pm/PackageManager;->getApplicationInfo":        true,
	"Landroid/content/pm/PackageManager;->getInstalledPackages":      true,
	"Landroid/content/pm/PackageManager;->getInstalledApplications":  true,
	"Landroid/content/pm/PackageManager;->getLaunchIntentForPackage": true,
	"Landroid/app/ActivityManager;->getRunningTasks":                 true,
	"Landroid/app/ActivityManager;->getRunningAppProcesses":          true,
	"Landroid/app/ActivityManager;->getRecentTasks":                  true,
	"Landroid/app/usage/UsageStatsManager;->queryUsageStats":         true,
}

// compareCalls are the calls through which code checks a value against a
// list: comparisons and the collections a list is kept in.
var compareCalls = map[string]bool{
	"Ljava/lang/String;->equals": true, "Ljava/lang/String;->equalsIgnoreCase": true,
	"Ljava/lang/String;->contains": true, "Ljava/lang/String;->compareTo": true,
	"Ljava/lang/String;->startsWith": true, "Ljava/lang/String;->endsWith": true,
	"Ljava/lang/Object;->equals": true, "Ljava/util/Set;->add": true, "Ljava/util/HashSet;->add": true,
	"Ljava/util/List;->add": true, "Ljava/util/ArrayList;->add": true, "Ljava/util/Map;->put": true,
	"Ljava/util/HashMap;->put": true, "Ljava/util/Arrays;->asList": true, "Ljava/util/Collection;->contains": true,
	"Ljava/util/List;->contains": true, "Ljava/util/Set;->contains": true,
}

// passedAsKeys says why a list of hex strings loaded by the method at
// site is no list of things looked for, "" when it may be one: every
// string goes, as itself, into calls that are no comparison and no
// collection (the key and secret handed to an SDK's constructor).
func (st *state) passedAsKeys(site code.Site, items []string) string {
	fr := st.ix.SiteFrame(site)
	if fr == nil {
		return ""
	}
	var into []string
	for _, it := range items {
		idx, ok := fr.File.FindString(it)
		if !ok {
			return ""
		}
		direct := false
		for i := range fr.Invokes {
			in := &fr.Invokes[i]
			for _, vs := range in.Args {
				if !slices.Contains(vs, code.Value{Kind: code.ValString, Index: idx}) {
					continue
				}
				ref, err := fr.File.Method(in.Method)
				if err != nil || compareCalls[ref.Class+"->"+ref.Name] {
					return ""
				}
				direct = true
				if !slices.Contains(into, ref.String()) {
					into = append(into, ref.String())
				}
			}
		}
		for _, p := range fr.Puts {
			if slices.Contains(p.Values, code.Value{Kind: code.ValString, Index: idx}) {
				return "" // kept in a field: used elsewhere
			}
		}
		if !direct {
			return ""
		}
	}
	return "each string is passed as an argument to " + strings.Join(into, ", ") + " (keys or identifiers handed to code), not compared with anything"
}

// handoffCalls name an app to open in an Intent.
var handoffCalls = map[string]bool{
	"Landroid/content/Intent;->setClassName": true, "Landroid/content/Intent;->setPackage": true,
	"Landroid/content/Intent;->setComponent": true, "Landroid/content/ComponentName;-><init>": true,
	"Landroid/content/pm/PackageManager;->getLaunchIntentForPackage": true,
}

// handsOff reports whether the method at site, or a method of the app it
// calls, names an app in an Intent and starts it.
func (st *state) handsOff(site code.Site) bool {
	fr := st.ix.SiteFrame(site)
	if fr == nil {
		return false
	}
	check := func(fr *code.Frame) bool {
		names, starts := false, false
		for _, in := range fr.Invokes {
			ref, err := fr.File.Method(in.Method)
			if err != nil {
				continue
			}
			names = names || handoffCalls[ref.Class+"->"+ref.Name]
			starts = starts || ref.Name == "startActivity" || ref.Name == "startActivityForResult"
		}
		return names && starts
	}
	if check(fr) {
		return true
	}
	for i, in := range fr.Invokes {
		if i == 256 {
			break
		}
		if callee := st.ix.Frame(site.Dex, in.Method); callee != nil && check(callee) {
			return true
		}
	}
	return false
}

// queriesPackages reports whether a class asks which apps are installed
// or running.
func (st *state) queriesPackages(class string) bool {
	if st.querying == nil {
		st.querying = map[string]bool{}
		for _, c := range st.ix.Calls {
			if packageQueries[c.Rule.Class+"->"+c.Rule.Member] {
				st.querying[st.ix.Class(c.Site)] = true
			}
		}
	}
	return st.querying[class]
}

func (st *state) foreignPackages(items []string, own, callerClass string) []string {
	caller := strings.ReplaceAll(strings.TrimPrefix(callerClass, "L"), "/", ".")
	if parts := strings.SplitN(caller, ".", 3); len(parts) == 3 {
		caller = parts[0] + "." + parts[1]
	} else {
		caller = ""
	}
	var out []string
	for _, it := range items {
		switch {
		case own != "" && (it == own || strings.HasPrefix(it, own+".")):
		case caller != "" && (it == caller || strings.HasPrefix(it, caller+".")):
		case st.attr.Known("L"+strings.ReplaceAll(it, ".", "/")+"/X;") != "":
		default:
			out = append(out, it)
		}
	}
	return out
}

func (st *state) addWatchlist(kind itemKind, items []string, ev analysis.Evidence, sdk string) {
	cat := knowledge.BehaviourContentWatchlist
	if kind == itemPackage {
		cat = knowledge.BehaviourAppWatchlist
	}
	sample := items
	if len(sample) > maxSample {
		sample = sample[:maxSample]
	}
	st.res.Watchlists = append(st.res.Watchlists, Watchlist{
		Kind: kind.String(), Category: cat, Size: len(items), Sample: append([]string(nil), sample...), Evidence: ev, SDK: sdk,
	})
}

func (st *state) scanResources(p *app.Part) {
	t := p.Resources()
	if t == nil || t.ValueStrings == nil {
		return
	}
	loc := p.Location("resources.arsc")
	// The strings that name endpoints are taken in the order of their
	// text, not of the pool: the first places listed for a host must not
	// depend on how a build tool laid the pool out (aapt and aapt2, an
	// APK and its bundle, order it differently).
	type candidate struct {
		i int
		s string
	}
	var cands []candidate
	for i := 0; i < t.ValueStrings.Len(); i++ {
		// A URL holds ':' and a host '.' or ':'; most strings hold neither
		// and are passed over without being decoded.
		if ok, err := t.ValueStrings.ContainsAny(uint32(i), ".:"); err != nil || !ok {
			continue
		}
		s, err := t.ValueStrings.String(uint32(i))
		if err != nil || len(s) < 4 {
			continue
		}
		if strings.Contains(s, "://") {
			cands = append(cands, candidate{i, s})
		} else if _, _, ok := bareHost(s); ok {
			cands = append(cands, candidate{i, s})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].s < cands[b].s })
	for _, c := range cands {
		i, s := c.i, c.s
		ev := func(int) analysis.Evidence {
			return scan.ResourceString(loc, i, fmt.Sprintf("%q", clip(s)))
		}
		if strings.Contains(s, "://") {
			st.scanText([]byte(s), ev, roleNamed, "in a resource string")
		} else if host, ip, ok := bareHost(s); ok {
			st.addEndpoint("", host, ip, false, ev(0))
		}
	}
}

// skipExt are file types that hold no text worth scanning.
var skipExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".mp3": true, ".ogg": true,
	".mp4": true, ".wav": true, ".ttf": true, ".otf": true, ".woff": true, ".woff2": true, ".9.png": true,
	".dex": true, ".arsc": true, ".RSA": true, ".DSA": true, ".EC": true, ".SF": true, ".MF": true,
	".kotlin_module": true, ".kotlin_builtins": true, ".version": true, ".bin": true,
}

// maxPage bounds the size of a page read for the scripts it loads.
const maxPage = 4 << 20

func (st *state) scanFiles(p *app.Part) {
	pages := map[string][]byte{}
	for _, e := range p.Zip.Entries {
		low := strings.ToLower(e.Name)
		if (strings.HasSuffix(low, ".html") || strings.HasSuffix(low, ".htm")) && e.UncompressedSize <= maxPage && p.Zip.Lookup(e.Name) == e {
			if b, err := p.ReadFile(e); err == nil {
				pages[e.Name] = b
			}
		}
	}
	if st.scripts == nil {
		st.scripts = map[string]bool{}
	}
	for ref := range scriptRefs(pages) {
		st.scripts[p.Location(ref)] = true
	}
	for _, e := range p.Zip.Entries {
		if st.pass.Context.Err() != nil {
			return
		}
		name := e.Name
		if p.Zip.Lookup(name) != e || strings.HasSuffix(name, "/") {
			continue
		}
		isLib := strings.HasPrefix(name, "lib/")
		isAsset := strings.HasPrefix(name, "assets/") || strings.HasPrefix(name, "res/raw/")
		if !isLib && !isAsset {
			continue
		}
		if skipExt[path.Ext(name)] && !isLib {
			continue
		}
		limit := uint64(maxTextFile)
		if isLib {
			limit = maxNativeFile
		}
		if e.UncompressedSize > limit {
			continue
		}
		// A file is inflated whole only if its head shows it is one that
		// is scanned: ELF, or (outside lib/) text. A page read above is
		// not inflated again.
		data, ok := pages[name]
		if !ok {
			var err error
			data, _, err = p.ReadFileSniff(e, textSniff, func(head []byte) bool {
				return bytes.HasPrefix(head, elfMagic) || !isLib && isText(head)
			})
			if err != nil {
				continue // the container records the anomaly
			}
		}
		loc := p.Location(name)
		if bytes.HasPrefix(data, elfMagic) {
			st.scanELF(loc, data, isAsset)
			continue
		}
		if isLib || !isText(data) {
			continue
		}
		st.scanTextFile(loc, data)
	}
}

// elfMagic starts an ELF file.
var elfMagic = []byte(elf.ELFMAG)

// textSniff is how much of a file isText reads.
const textSniff = 8192

// isText guesses whether a file is text: no NUL byte in its first 8 KiB.
func isText(b []byte) bool {
	head := b[:min(len(b), textSniff)]
	return bytes.IndexByte(head, 0) < 0
}

func (st *state) scanTextFile(loc string, data []byte) {
	lineOf := lineIndex(data)
	at := func(off int) analysis.Evidence { return scan.AssetLine(loc, lineOf(off), "") }
	switch strings.ToLower(path.Ext(loc)) {
	case ".html", ".htm", ".js":
		st.scanWeb(loc, data, at)
	default:
		st.scanText(data, at, roleNamed, "in a text file")
	}
	if st.otherAppsData(loc, data, lineOf) {
		return
	}
	// One item a line (or a JSON/CSV list): a watchlist if most lines are of
	// one kind.
	counts := map[itemKind][]string{}
	firstLine := map[itemKind]int{}
	total := 0
	for n, line := range strings.Split(string(data), "\n") {
		for _, item := range splitItems(line) {
			total++
			k := classify(item)
			if k == itemOther {
				continue
			}
			if _, ok := firstLine[k]; !ok {
				firstLine[k] = n + 1
			}
			counts[k] = append(counts[k], item)
		}
		if total > 1_000_000 {
			break
		}
	}
	for _, k := range []itemKind{itemPackage, itemMD5, itemSHA1, itemSHA256} {
		items := counts[k]
		if len(items) < minWatchlist || len(items)*2 < total {
			continue
		}
		st.addWatchlist(k, items, scan.AssetLine(loc, firstLine[k], fmt.Sprintf("%d %s of %d entries", len(items), k, total)), "")
		return
	}
	st.keywordList(loc, data)
}

// keywordList reports a text asset that is a list of short phrases, one a
// line, when its name says it is a list of words to look for, or when most
// of its lines are terms the lexicon knows strongly (a list of religious or
// political words, of apps): the keyword lists that censorship and
// surveillance apps check messages and files against.
func (st *state) keywordList(loc string, data []byte) {
	const minKeywords, maxKeywordLen, maxKeywordLines = 5, 40, 100_000
	var words []string
	first := 0
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len([]rune(line)) > maxKeywordLen || strings.ContainsAny(line, "{}<>=;\\") {
			return // prose, markup or code, not a word list
		}
		if first == 0 {
			first = n + 1
		}
		words = append(words, line)
		if len(words) > maxKeywordLines {
			return
		}
	}
	if len(words) < minKeywords {
		return
	}
	named := false
	for _, tok := range knowledge.Tokenize(path.Base(loc)) {
		if keywordFileWords[tok] {
			named = true
		}
	}
	// The lexicon judges a sample: a long list is as telling in its first
	// thousands of lines, and matching costs microseconds a line.
	known, sample := 0, words[:min(len(words), 2000)]
	lex := knowledge.DefaultLexicon()
	cats := map[knowledge.Category]int{}
	for _, w := range sample {
		strong := false
		for _, m := range lex.MatchText(w) {
			if m.Strong {
				strong = true
				for _, c := range m.Categories {
					cats[c]++
				}
			}
		}
		if strong {
			known++
		}
	}
	if !named && known*2 < len(sample) {
		return
	}
	detail := fmt.Sprintf("%d keywords", len(words))
	if known > 0 {
		var top []string
		for c, n := range cats {
			top = append(top, fmt.Sprintf("%s (%d)", c, n))
		}
		sort.Strings(top)
		detail += fmt.Sprintf(", %d of the first %d known terms: %s", known, len(sample), strings.Join(top, ", "))
	}
	st.res.Watchlists = append(st.res.Watchlists, Watchlist{
		Kind: "keywords", Category: knowledge.BehaviourContentWatchlist, Size: len(words),
		Sample:   append([]string(nil), words[:min(len(words), maxSample)]...),
		Evidence: scan.AssetLine(loc, first, detail),
	})
}

// keywordFileWords are words in a file name that say it lists things to look
// for.
var keywordFileWords = map[string]bool{
	"keyword": true, "keywords": true, "word": true, "words": true, "sensitive": true, "blacklist": true,
	"blocklist": true, "watchlist": true, "watch": true, "filter": true, "forbidden": true, "banned": true,
	"ban": true, "illegal": true, "monitor": true, "badwords": true, "censor": true, "mgc": true, "minganci": true,
}

// splitItems splits a line into list items: separated by commas,
// semicolons, tabs or spaces, with JSON quotes and brackets stripped.
func splitItems(line string) []string {
	f := strings.FieldsFunc(line, func(r rune) bool {
		switch r {
		case ',', ';', '\t', ' ', '\r', '[', ']', '{', '}', '"', '\'':
			return true
		}
		return false
	})
	return f
}

// lineIndex returns a function giving the 1-based line of a byte offset.
func lineIndex(b []byte) func(off int) int {
	var starts []int
	return func(off int) int {
		if starts == nil {
			starts = []int{0}
			for i, c := range b {
				if c == '\n' {
					starts = append(starts, i+1)
				}
			}
		}
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
	}
}

// scanELF records an ELF file and the strings in it that name data or run
// commands.
func (st *state) scanELF(loc string, data []byte, inAssets bool) {
	x := Executable{Path: loc}
	func() {
		// debug/elf is not built for hostile input; a panic in it costs us
		// this file's header details, not the scan.
		defer func() { _ = recover() }()
		f, err := elf.NewFile(bytes.NewReader(data))
		if err != nil {
			x.Type = "unreadable ELF: " + err.Error()
			return
		}
		x.Machine = strings.TrimPrefix(f.Machine.String(), "EM_")
		x.Type = "shared library"
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				x.Type = "executable"
			}
		}
		if f.Type == elf.ET_EXEC {
			x.Type = "executable"
		}
	}()
	telling := map[string]bool{}
	printableRuns(data, minNativeRun, func(s []byte, off int) {
		ev := func(int) analysis.Evidence {
			return scan.NativeOffset(loc, int64(off), fmt.Sprintf("%q", clip(string(s))))
		}
		if bytes.Contains(s, []byte("://")) {
			st.scanText(s, func(int) analysis.Evidence { return ev(0) }, roleNamed, "in a native file")
		}
		str := string(s)
		before := len(st.order)
		st.matchLiteralIn(str, "", true, ev(0))
		if len(st.order) > before || hasLiteral(str) {
			if len(telling) < 50 {
				telling[str] = true
			}
		}
	})
	for s := range telling {
		x.Strings = append(x.Strings, s)
	}
	sort.Strings(x.Strings)
	st.res.Executables = append(st.res.Executables, x)
	if inAssets || x.Type == "executable" {
		st.literalFinding(knowledge.BehaviourNativeExec, "Carries a native executable", "", false, scan.NativeFile(loc, strings.TrimSpace(x.Type+" "+x.Machine)))
	}
}

// bootActions are the broadcasts an app gets at boot.
var bootActions = map[string]bool{
	"android.intent.action.BOOT_COMPLETED": true, "android.intent.action.LOCKED_BOOT_COMPLETED": true,
	"android.intent.action.QUICKBOOT_POWERON": true, "com.htc.intent.action.QUICKBOOT_POWERON": true,
}

// noBootReceiver reports whether the app has manifests (its own, its
// splits', the APKs it carries) and none declares a receiver of a boot
// broadcast. A bare DEX has no manifest to tell.
func (st *state) noBootReceiver() bool {
	if st.bootKnown {
		return st.bootNone
	}
	st.bootKnown = true
	parts := append([]*app.Part(nil), st.pass.App.Parts...)
	for _, em := range st.pass.App.Embedded() {
		if em.Part != nil && em.HasManifest {
			parts = append(parts, em.Part)
		}
	}
	manifests := 0
	for _, p := range parts {
		doc := p.Manifest()
		if doc == nil || doc.Root == nil {
			continue
		}
		manifests++
		for _, c := range app.ReadInfo(doc, p.Resources()).Components {
			if c.Kind != "receiver" {
				continue
			}
			for _, f := range c.IntentFilters {
				for _, a := range f.Actions {
					if bootActions[a] {
						return false
					}
				}
			}
		}
	}
	st.bootNone = manifests > 0
	return st.bootNone
}

// report1 keeps a finding for Analyzer to report.
func (st *state) report1(f analysis.Finding) { st.res.findings = append(st.res.findings, f) }

// hasLiteralBytes is hasLiteral for a string's raw bytes, skipping the
// decoding of strings that cannot match (no rule is shorter than 2 bytes).
func hasLiteralBytes(b []byte) bool {
	if len(b) < 2 || len(b) > 512 {
		return false
	}
	return hasLiteral(string(b))
}

func hasLiteral(s string) bool {
	if _, ok := knowledge.MatchContentURI(s); ok {
		return true
	}
	return len(knowledge.MatchString(s)) > 0
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

func (st *state) report() {
	sort.Slice(st.res.Endpoints, func(i, j int) bool {
		a, b := st.res.Endpoints[i], st.res.Endpoints[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		return a.URL < b.URL
	})
	st.reportCleartext()
	for i, w := range st.res.Watchlists {
		title := fmt.Sprintf("Carries a list of %d %s it looks for", w.Size, w.Kind)
		ev := w.Evidence
		ev.Detail += ": " + strings.Join(w.Sample, ", ")
		conf := scan.Likely("a list of this kind is what apps check installed apps or files against")
		if w.Category == knowledge.DeviceOtherAppsData {
			title = fmt.Sprintf("Carries a list of %d other apps whose data it reads", w.Size)
			conf = scan.Likely("a configuration that names paths into other apps' storage is what an app reads their files with")
		}
		sev := analysis.High
		if why, ok := st.unchecked[i]; ok {
			title = fmt.Sprintf("Carries a list of %d %s", w.Size, w.Kind)
			conf = scan.Weak(why)
			sev = analysis.Low
		}
		st.report1(analysis.Finding{Category: w.Category, Title: title, Severity: sev, SDK: w.SDK,
			Confidence: conf, Evidence: []analysis.Evidence{ev}})
	}
	for _, k := range st.order {
		st.report1(*st.literal[k])
	}
}
