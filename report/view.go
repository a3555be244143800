package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"appxray/knowledge"
	"appxray/scan"
)

// The human formats (text, Markdown, HTML) read the same view of a report:
// findings grouped by section and category, app code apart from SDK code,
// and the verdict in plain sentences. Building it once keeps the three
// telling the same story in the same words.

// sectionID names the sections a reader asks about, in the order asked.
type sectionID string

const (
	secPerson   sectionID = "person"        // What it records about people
	secDevice   sectionID = "device"        // What it takes from the device
	secFlows    sectionID = "where-it-goes" // Where it goes (flows, no findings of its own)
	secLooksFor sectionID = "looks-for"     // What it looks for
	secTalks    sectionID = "talks-to"      // Whom it talks to
	secOther    sectionID = "behaviour"     // What else it does
	secHidden   sectionID = "hidden-inside" // Hidden inside (payloads, no findings of its own)
)

var sectionTitles = map[sectionID]string{
	secPerson:   "What it records about people",
	secDevice:   "What it takes from the device",
	secFlows:    "Where it goes",
	secLooksFor: "What it looks for",
	secTalks:    "Whom it talks to",
	secOther:    "What else it does",
	secHidden:   "Hidden inside",
}

// sectionOf places a category: watchlists are what the app looks for,
// cleartext traffic goes with whom it talks to.
func sectionOf(c knowledge.Category) sectionID {
	switch c {
	case knowledge.BehaviourAppWatchlist, knowledge.BehaviourContentWatchlist:
		return secLooksFor
	case knowledge.BehaviourCleartext:
		return secTalks
	}
	switch c.Group() {
	case knowledge.GroupPerson:
		return secPerson
	case knowledge.GroupDevice:
		return secDevice
	}
	return secOther
}

// catGroup is the findings of one category, in one kind of code.
type catGroup struct {
	Category knowledge.Category
	Title    string
	Special  bool
	Severity knowledge.Severity // the most serious of its findings
	Findings []scan.Finding
}

// Anchor is an HTML id for the category's group.
func (g catGroup) Anchor(sdk bool) string {
	id := "cat-" + strings.ReplaceAll(string(g.Category), ".", "-")
	if sdk {
		id += "-sdk"
	}
	return id
}

// groupFindings groups findings by category in the taxonomy's order, most
// serious and surest first inside a category.
func groupFindings(fs []scan.Finding) []catGroup {
	sorted := slices.Clone(fs)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Category.Order() != b.Category.Order() {
			return a.Category.Order() < b.Category.Order()
		}
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() < b.Severity.Rank()
		}
		return a.Confidence.Level.Rank() < b.Confidence.Level.Rank()
	})
	var out []catGroup
	for _, f := range sorted {
		if n := len(out); n == 0 || out[n-1].Category != f.Category {
			out = append(out, catGroup{Category: f.Category, Title: f.Category.Title(), Special: f.Special || f.Category.Special(), Severity: f.Severity})
		}
		g := &out[len(out)-1]
		g.Findings = append(g.Findings, f)
		g.Severity = knowledge.MaxSeverity(g.Severity, f.Severity)
	}
	return out
}

// sectionView is the findings of one section, the app's own apart from
// those whose evidence lies in an SDK, and apart from both the permissions
// the app requests but whose APIs its visible code never calls.
type sectionView struct {
	ID     sectionID
	Title  string
	App    []catGroup
	SDK    []catGroup
	Unused []unusedPerm
}

func (s sectionView) Empty() bool { return len(s.App)+len(s.SDK)+len(s.Unused) == 0 }

// Count is the number of findings in the section.
func (s sectionView) Count() int {
	n := 0
	for _, g := range s.App {
		n += len(g.Findings)
	}
	for _, g := range s.SDK {
		n += len(g.Findings)
	}
	return n + len(s.Unused)
}

type view struct {
	r        *scan.Report
	Name     string
	Verdict  []string
	Special  []specialView
	Sections map[sectionID]*sectionView
	Counts   []catCount
	Flows    *flowView
	Payloads []payloadView
	Tricks   []anomalyGroup // the anomalies, by kind
	Perms    *permView
}

// unusedPerm is a finding that rests only on a permission request whose
// APIs the visible code never calls: requested is not used.
type unusedPerm struct {
	Finding     scan.Finding
	Permissions []string // short names: "CAMERA"
}

// specialView is one special category found, with every place that shows it.
type specialView struct {
	Category knowledge.Category
	Title    string
	Fields   int // form fields
	Lists    int // option lists
	Findings []scan.Finding
	Terms    []string // the words that decided it, as the app writes them
}

// catCount is one bar of the chart: findings per category.
type catCount struct {
	Category knowledge.Category
	Title    string
	Group    knowledge.Group
	Special  bool
	N        int
}

func newView(r *scan.Report) *view {
	v := &view{r: r, Name: appName(r), Sections: map[sectionID]*sectionView{}}
	for id, t := range sectionTitles {
		v.Sections[id] = &sectionView{ID: id, Title: t}
	}
	v.Perms = newPermView(r)
	bySec := map[sectionID][2][]scan.Finding{}
	var counted []scan.Finding
	for _, f := range r.Findings {
		if perms, ok := v.Perms.unusedOnly(f); ok {
			sec := v.Sections[sectionOf(f.Category)]
			sec.Unused = append(sec.Unused, unusedPerm{Finding: f, Permissions: perms})
			continue
		}
		counted = append(counted, f)
		s := bySec[sectionOf(f.Category)]
		if f.SDK != "" {
			s[1] = append(s[1], f)
		} else {
			s[0] = append(s[0], f)
		}
		bySec[sectionOf(f.Category)] = s
	}
	for id, s := range bySec {
		v.Sections[id].App = groupFindings(s[0])
		v.Sections[id].SDK = groupFindings(s[1])
	}
	for _, s := range v.Sections {
		sort.SliceStable(s.Unused, func(i, j int) bool {
			return s.Unused[i].Finding.Category.Order() < s.Unused[j].Finding.Category.Order()
		})
	}
	v.Special = specials(r)
	v.Counts = counts(counted)
	v.Flows = newFlowView(r.Flows)
	v.Payloads = newPayloads(r)
	v.Tricks = groupAnomalies(r.Anomalies)
	v.Verdict = verdict(r, v)
	return v
}

func appName(r *scan.Report) string {
	if r.App.Label != "" {
		return r.App.Label
	}
	if r.App.Package != "" {
		return r.App.Package
	}
	return r.File.Name
}

// specials lists the special categories found, in the taxonomy's order,
// with the fields and option lists behind each.
func specials(r *scan.Report) []specialView {
	var out []specialView
	idx := map[knowledge.Category]int{}
	get := func(c knowledge.Category) *specialView {
		i, ok := idx[c]
		if !ok {
			i = len(out)
			idx[c] = i
			out = append(out, specialView{Category: c, Title: c.Title()})
		}
		return &out[i]
	}
	for _, f := range r.Findings {
		if f.Special || f.Category.Special() {
			s := get(f.Category)
			s.Findings = append(s.Findings, f)
		}
	}
	for _, fl := range r.Fields {
		for _, c := range fl.Categories {
			if c.Special() {
				s := get(c)
				s.Fields++
				s.Terms = appendTerms(s.Terms, c, fl.Matches)
			}
		}
	}
	for _, ol := range r.OptionLists {
		for _, c := range ol.Categories {
			if c.Special() {
				s := get(c)
				s.Lists++
				s.Terms = appendTerms(s.Terms, c, ol.Matches)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Category.Order() < out[j].Category.Order() })
	return out
}

// appendTerms adds the strong terms of c from ms, once each, at most 8.
func appendTerms(terms []string, c knowledge.Category, ms []scan.Match) []string {
	for _, m := range ms {
		if m.Category != c || !m.Strong || len(terms) >= 8 || slices.Contains(terms, m.Term) {
			continue
		}
		terms = append(terms, m.Term)
	}
	return terms
}

// counts is the chart: findings per category, those that rest on an
// unused permission left out (they are listed apart).
func counts(fs []scan.Finding) []catCount {
	n := map[knowledge.Category]int{}
	for _, f := range fs {
		n[f.Category]++
	}
	out := make([]catCount, 0, len(n))
	for c, k := range n {
		out = append(out, catCount{Category: c, Title: c.Title(), Group: c.Group(), Special: c.Special(), N: k})
	}
	// Special categories first, then the taxonomy's order: the chart is read
	// top down, and what the law protects most comes first.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Special != out[j].Special {
			return out[i].Special
		}
		return out[i].Category.Order() < out[j].Category.Order()
	})
	return out
}

// sure reports whether a finding is sure enough to be stated in a verdict:
// a low-confidence finding stays in the details.
func sure(f scan.Finding) bool { return f.Confidence.Level.Rank() <= scan.LevelMedium.Rank() }

// listFinding reports whether a watchlist has a finding of its own (of
// its category, with the list's place as evidence), and whether that
// finding is a claim.
func listFinding(r *scan.Report, w scan.Watchlist) (found, claimed bool) {
	for _, f := range r.Findings {
		if f.Category != w.Category {
			continue
		}
		for _, e := range f.Evidence {
			if e.Location == w.Evidence.Location {
				found = true
				if sure(f) {
					return true, true
				}
			}
		}
	}
	return found, false
}

// claimedList reports whether a watchlist's own finding is a claim.
func claimedList(r *scan.Report, w scan.Watchlist) bool {
	_, claimed := listFinding(r, w)
	return claimed
}

// hasCode reports whether the finding rests on code (and not only on the
// manifest's request for a permission).
func hasCode(f scan.Finding) bool {
	for _, e := range f.Evidence {
		if e.Kind == scan.EvCode || e.Kind == scan.EvNative {
			return true
		}
	}
	return false
}

// verdict is the report's first paragraph: what the app does, in plain
// sentences, each claim backed by a finding of at least medium confidence.
func verdict(r *scan.Report, v *view) []string {
	var out []string
	// What it records about people.
	var special, other []knowledge.Category
	inForms := true
	seen := map[knowledge.Category]bool{}
	for _, f := range sortedFindings(r.Findings) {
		if f.Category.Group() != knowledge.GroupPerson || !sure(f) || seen[f.Category] {
			continue
		}
		seen[f.Category] = true
		if f.Analyzer != "forms" {
			inForms = false
		}
		if f.Special || f.Category.Special() {
			special = append(special, f.Category)
		} else {
			other = append(other, f.Category)
		}
	}
	where := "in its forms"
	if !inForms {
		where = "in its forms and data"
	}
	switch {
	case len(special) > 0 && len(other) > 0:
		out = append(out, fmt.Sprintf("Records %s about people %s: special categories of personal data, which the law protects most. It also records %s.",
			titles(special, 0), where, titles(other, 6)))
	case len(special) > 0:
		out = append(out, fmt.Sprintf("Records %s about people %s: special categories of personal data, which the law protects most.", titles(special, 0), where))
	case len(other) > 0:
		out = append(out, fmt.Sprintf("Records %s about people %s.", titles(other, 6), where))
	}

	// What it takes from the device: by the strongest evidence per category.
	const (
		byApp = iota
		bySDK
		byUnreached // code it carries and never refers to
		byPermission
	)
	how := map[knowledge.Category]int{}
	var devOrder []knowledge.Category
	unreachedNS := map[knowledge.Category][]string{}
	for _, f := range sortedFindings(r.Findings) {
		if f.Category.Group() != knowledge.GroupDevice || !sure(f) {
			continue
		}
		k := byPermission
		if hasCode(f) {
			k = byApp
			if f.SDK != "" {
				k = bySDK
			}
			if ns, ok := scan.UnreachedNamespace(f.SDK); ok {
				k = byUnreached
				if !slices.Contains(unreachedNS[f.Category], ns) {
					unreachedNS[f.Category] = append(unreachedNS[f.Category], ns)
				}
			}
		}
		old, ok := how[f.Category]
		if !ok {
			devOrder = append(devOrder, f.Category)
			how[f.Category] = k
		} else if k < old {
			how[f.Category] = k
		}
	}
	var app, sdk, unreached, perm []knowledge.Category
	var nss []string // the namespaces of the unreached code
	for _, c := range devOrder {
		switch how[c] {
		case byApp:
			app = append(app, c)
		case bySDK:
			sdk = append(sdk, c)
		case byUnreached:
			unreached = append(unreached, c)
			for _, ns := range unreachedNS[c] {
				if !slices.Contains(nss, ns) {
					nss = append(nss, ns)
				}
			}
		default:
			perm = append(perm, c)
		}
	}
	var dev []string
	if len(app) > 0 {
		dev = append(dev, fmt.Sprintf("Its own code reads %s", titles(app, 8)))
	}
	if len(sdk) > 0 {
		// SDK code is carried, not shown to run: it holds the reading.
		s := fmt.Sprintf("the SDKs it carries hold code that reads %s", titles(sdk, 8))
		if len(dev) == 0 {
			s = upperFirst(s)
		}
		dev = append(dev, s)
	}
	if len(unreached) > 0 {
		// No table names it and nothing of the app refers to it: neither
		// the app's own code nor an SDK's.
		s := fmt.Sprintf("%s that reads %s", unreachedCode(nss), titles(unreached, 8))
		if len(dev) == 0 {
			s = upperFirst(s)
		}
		dev = append(dev, s)
	}
	if len(dev) > 0 {
		out = append(out, strings.Join(dev, "; ")+".")
	}
	switch {
	case len(perm) > 0 && isIOS(r):
		// An iOS app's usage descriptions: the purpose texts iOS shows
		// when the app asks.
		out = append(out, fmt.Sprintf("Its Info.plist says why it would ask for access to %s.", titles(perm, 8)))
	case len(perm) > 0:
		out = append(out, fmt.Sprintf("It asks for permission to reach %s.", titles(perm, 8)))
	}

	// Where it goes.
	out = append(out, flowSentences(v.Flows)...)

	// What it looks for.
	var looks []string
	apps := 0
	content := map[string]int{}
	var kinds []string
	for _, w := range r.Watchlists {
		// A list whose finding is no claim (names written like packages
		// in a class that never asks which apps are installed) is carried,
		// not shown to be looked for.
		if !claimedList(r, w) {
			continue
		}
		if w.Category == knowledge.BehaviourAppWatchlist {
			apps += w.Size
			continue
		}
		if _, ok := content[w.Kind]; !ok {
			kinds = append(kinds, w.Kind)
		}
		content[w.Kind] += w.Size
	}
	if apps > 0 {
		looks = append(looks, fmt.Sprintf("a list of %s it looks for", plural(apps, "app", "apps")))
	}
	if len(kinds) > 0 {
		var parts []string
		for _, k := range kinds {
			parts = append(parts, fmt.Sprintf("%d %s", content[k], k))
		}
		noun := "a list"
		if len(kinds) > 1 {
			noun = "lists"
		}
		looks = append(looks, fmt.Sprintf("%s of %s it checks content against", noun, join(parts)))
	}
	if len(looks) > 0 {
		s := "Carries " + join(looks)
		if n := len(r.App.QueriedPackages); n > 0 {
			s += fmt.Sprintf("; its manifest asks Android about %s by name", plural(n, "app", "apps"))
		}
		out = append(out, s+".")
	} else if n := len(r.App.QueriedPackages); n > 0 {
		out = append(out, fmt.Sprintf("Its manifest asks Android about %s by name.", plural(n, "app", "apps")))
	}

	// Whom it talks to.
	var clearHosts []string
	for _, e := range r.Endpoints {
		if e.Cleartext && !slices.Contains(clearHosts, e.Host) {
			clearHosts = append(clearHosts, e.Host)
		}
	}
	allows := r.App.UsesCleartextTraffic != nil && *r.App.UsesCleartextTraffic
	switch {
	case allows && len(clearHosts) > 0:
		out = append(out, fmt.Sprintf("Allows unencrypted HTTP and names %s: %s.", plural(len(clearHosts), "unencrypted address", "unencrypted addresses"), list(clearHosts, 3)))
	case allows:
		out = append(out, "Allows unencrypted HTTP.")
	case len(clearHosts) > 0:
		out = append(out, fmt.Sprintf("Names %s: %s.", plural(len(clearHosts), "unencrypted (http://) address", "unencrypted (http://) addresses"), list(clearHosts, 3)))
	}
	if len(r.Trackers) > 0 {
		var names []string
		for _, t := range r.Trackers {
			names = append(names, t.Name)
		}
		out = append(out, fmt.Sprintf("Carries %s: %s.", plural(len(names), "tracker or third-party SDK", "trackers or third-party SDKs"), list(names, 5)))
	}

	// What else it does.
	var does []string
	seen = map[knowledge.Category]bool{}
	for _, f := range sortedFindings(r.Findings) {
		if sectionOf(f.Category) != secOther || !sure(f) || seen[f.Category] {
			continue
		}
		seen[f.Category] = true
		if p, ok := doesPhrase[f.Category]; ok {
			does = append(does, p)
		} else {
			does = append(does, lowerFirst(f.Category.Title()))
		}
	}
	if len(does) > 0 {
		out = append(out, "It also "+join(does)+".")
	}
	nothing := len(out) == 0
	if s := payloadVerdict(v.Payloads); s != "" {
		out = append(out, s)
	}
	if s := packerSentence(r.Protection.Packers); s != "" {
		out = append(out, s)
	}
	if s := trickSentence(v.Tricks); s != "" {
		out = append(out, s)
	}
	for _, s := range r.Signers {
		if s.WellKnownKey != "" {
			out = append(out, fmt.Sprintf("It is signed with a well-known public key (%s): anyone can sign an app with it, so the signature says nothing about who made the app.", s.WellKnownKey))
			break
		}
	}
	if nothing {
		out = slices.Insert(out, 0, "appxray found nothing that this app records about people or takes from the device. Static analysis cannot prove an absence: code loaded at run time or hidden from analysis is not seen.")
	}
	if len(r.Errors) > 0 {
		what := "what they hold is"
		if len(r.Errors) == 1 {
			what = "what it holds is"
		}
		out = append(out, fmt.Sprintf("%s of the app could not be read; %s missing from this report (see Technical details).", plural(len(r.Errors), "part", "parts"), what))
	}
	return out
}

// doesPhrase says what a behaviour means, in plain words, after "It also".
var doesPhrase = map[knowledge.Category]string{
	knowledge.BehaviourDynamicCode:   "loads code at run time or calls code by name",
	knowledge.BehaviourNativeExec:    "runs shell commands or programs it carries",
	knowledge.BehaviourRoot:          "looks for or uses root access to the phone",
	knowledge.BehaviourAccessibility: "uses an accessibility service (which can read and act on every screen)",
	knowledge.BehaviourDeviceAdmin:   "asks for device-administrator powers",
	knowledge.BehaviourHidden:        "hides itself from the launcher",
	knowledge.BehaviourSMSSend:       "sends text messages",
	knowledge.BehaviourCalls:         "places or manages phone calls",
	knowledge.BehaviourBoot:          "starts itself when the phone starts",
	knowledge.BehaviourExposed:       "lets any other app call some of its parts",
	knowledge.BehaviourPacked:        "hides code from analysis",
	knowledge.BehaviourInstallsApps:  "installs other apps",
}

// unusedPermissions are the permissions the app requests but whose APIs its
// visible code never reaches (those Android implies are told apart).
func unusedPermissions(r *scan.Report) []string {
	var out []string
	for _, p := range r.PermissionDetails {
		if p.Status == "unused" && p.Implied == "" {
			out = append(out, shortPerm(p.Name))
		}
	}
	return out
}

// shortPerm drops the prefix of Android's own permissions.
func shortPerm(p string) string { return strings.TrimPrefix(p, "android.permission.") }

// permView answers, for the findings that rest on the manifest, which
// permission each rests on and how it stands: requested and used, requested
// and unused, or implied by Android.
type permView struct {
	byLine  map[int]scan.PermissionDetail // the base manifest's lines
	implied map[string]string             // name → why Android implies it
}

func newPermView(r *scan.Report) *permView {
	v := &permView{byLine: map[int]scan.PermissionDetail{}, implied: map[string]string{}}
	for _, d := range r.PermissionDetails {
		if d.Implied != "" {
			v.implied[d.Name] = d.Implied
			continue
		}
		if d.Line > 0 {
			v.byLine[d.Line] = d
		}
	}
	return v
}

// unusedOnly reports whether a finding rests on nothing but requests for
// permissions that the visible code never uses, and names them.
func (v *permView) unusedOnly(f scan.Finding) ([]string, bool) {
	var names []string
	for _, e := range f.Evidence {
		if e.Kind != scan.EvManifest {
			return nil, false
		}
		n, ok := strings.CutPrefix(e.Location, "AndroidManifest.xml line ")
		if !ok {
			return nil, false
		}
		line, err := strconv.Atoi(n)
		if err != nil {
			return nil, false
		}
		d, ok := v.byLine[line]
		if !ok || d.Status != "unused" || strings.HasPrefix(e.Detail, "implied ") {
			return nil, false
		}
		if s := shortPerm(d.Name); !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	return names, len(names) > 0
}

// impliedBy says, for a finding resting on a permission Android grants
// without a request, which permission and why ("READ_EXTERNAL_STORAGE,
// which Android grants because the app requested WRITE_EXTERNAL_STORAGE");
// "" when it rests on none.
func (v *permView) impliedBy(f scan.Finding) string {
	var out []string
	for _, e := range f.Evidence {
		if e.Kind != scan.EvManifest {
			continue
		}
		// The manifest channel writes "implied NAME (not written in the
		// manifest; Android grants it because: WHY)".
		rest, ok := strings.CutPrefix(e.Detail, "implied ")
		if !ok {
			continue
		}
		name, why, _ := strings.Cut(rest, " ")
		if w, ok := v.implied[name]; ok {
			why = w
		} else if _, after, ok := strings.Cut(why, "because: "); ok {
			why = strings.TrimSuffix(after, ")")
		} else {
			why = ""
		}
		s := shortPerm(name) + ", which the app does not request: Android grants it"
		if why != "" {
			s += " because of " + impliedReason(why, v.implied)
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// impliedReason words the rule by which Android implies a permission:
// "requested WRITE_EXTERNAL_STORAGE" → "its request for
// WRITE_EXTERNAL_STORAGE", or "its implied WRITE_EXTERNAL_STORAGE" when
// that permission is one of implied too (Android's rule counts it, the app
// never asked for it).
func impliedReason(why string, implied map[string]string) string {
	why = requestedPerm().ReplaceAllStringFunc(why, func(m string) string {
		name := strings.TrimPrefix(m, "requested ")
		if _, ok := implied["android.permission."+name]; ok {
			return "its implied " + name
		}
		return "its request for " + name
	})
	return oldTarget().ReplaceAllString(why, "its old target SDK (below $1)")
}

var (
	oldTarget     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`targetSdkVersion < (\d+)`) })
	requestedPerm = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`requested [A-Z_]+`) })
)

// humanDetail rewrites the taxonomy IDs inside an evidence detail as the
// categories' titles for the human formats: "behaviour.app_watchlist (3)"
// becomes "looks for specific apps (3)". The JSON and SARIF keep the IDs.
func humanDetail(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range categoryRef().FindAllStringIndex(s, -1) {
		i, j := m[0], m[1]
		// Not inside a longer dotted name (a package, a host): nothing
		// name-like before it, and after it at most a full stop that ends
		// a sentence.
		if i > 0 && (isNameByte(s[i-1]) || s[i-1] == '.') {
			continue
		}
		if j < len(s) && (isNameByte(s[j]) || s[j] == '.' && j+1 < len(s) && isNameByte(s[j+1])) {
			continue
		}
		c := knowledge.Category(s[i:j])
		if !c.Known() {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(lowerFirst(c.Title()))
		last = j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '/' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// categoryRef matches what may be a taxonomy ID: a group and a name.
var categoryRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(person|device|behaviour)\.[a-z_]+`) })

// severityWord says how serious a finding is in a word a reader knows.
func severityWord(s knowledge.Severity) string {
	switch s {
	case knowledge.SeverityHigh:
		return "serious"
	case knowledge.SeverityMedium:
		return "notable"
	case knowledge.SeverityLow:
		return "minor"
	}
	return "note"
}

// evidenceWord says how sure a finding is: "strong evidence" rather than
// "high confidence", which a reader could take for the severity.
func evidenceWord(l scan.Level) string {
	switch l {
	case scan.LevelHigh:
		return "strong evidence"
	case scan.LevelMedium:
		return "moderate evidence"
	}
	return "weak evidence"
}

// specialNote explains "special category" on first use.
const specialNote = "Special categories (GDPR Articles 9 and 10) are the kinds of personal data the law protects most: religion, ethnicity, political opinion, health, sex life, biometrics and criminal record."

func sortedFindings(fs []scan.Finding) []scan.Finding {
	return groupFlat(groupFindings(fs))
}

func groupFlat(gs []catGroup) []scan.Finding {
	var out []scan.Finding
	for _, g := range gs {
		out = append(out, g.Findings...)
	}
	return out
}

// titles names categories in plain words: "religion, ethnicity and
// criminal record", at most max of them (0: all) and how many more.
func titles(cs []knowledge.Category, max int) string {
	var ts []string
	for _, c := range cs {
		ts = append(ts, lowerFirst(c.Title()))
	}
	if max > 0 && len(ts) > max {
		rest := len(ts) - max
		return strings.Join(ts[:max], ", ") + fmt.Sprintf(" and %d more", rest)
	}
	return join(ts)
}

// list names up to max items and says how many more.
func list(items []string, max int) string {
	if len(items) > max {
		return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
	}
	return join(items)
}

// join writes "a", "a and b", "a, b and c".
func join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// lowerFirst lowers a title's first letter unless it starts an acronym
// ("SMS and MMS" stays).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// plainTitle is a finding's title without the "Category: " prefix the
// detectors put before it, for display under the category's own heading.
func plainTitle(f scan.Finding) string {
	if rest, ok := strings.CutPrefix(f.Title, f.Category.Title()+": "); ok {
		// Capitalise a sentence, not a token: "android:usesCleartextTraffic…"
		// keeps its case.
		word, _, _ := strings.Cut(rest, " ")
		if strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			return upperFirst(rest)
		}
		return rest
	}
	return f.Title
}

// locales returns a map's locales, the default ("") first, then sorted.
func locales[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for l := range m {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i] == "") != (out[j] == "") {
			return out[i] == ""
		}
		return out[i] < out[j]
	})
	return out
}

// defaultText is a per-locale map's text in the default locale, else in
// the first locale.
func defaultText(m map[string]string) string {
	if s, ok := m[""]; ok {
		return s
	}
	for _, l := range locales(m) {
		return m[l]
	}
	return ""
}

// langOf is the lang attribute for text of a locale: the locale's BCP 47
// tag; for the default locale, whose language the APK does not name, the
// script when it is not Latin ("und-Hani"), else "" (the page's English).
func langOf(locale, text string) string {
	if locale != "" {
		return bcp47(locale)
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			return "und-Hani"
		case unicode.Is(unicode.Arabic, r):
			return "und-Arab"
		case unicode.Is(unicode.Cyrillic, r):
			return "und-Cyrl"
		case unicode.Is(unicode.Hebrew, r):
			return "und-Hebr"
		case unicode.Is(unicode.Devanagari, r):
			return "und-Deva"
		case unicode.Is(unicode.Hangul, r):
			return "und-Hang"
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			return "und-Jpan"
		case unicode.Is(unicode.Thai, r):
			return "und-Thai"
		case unicode.Is(unicode.Greek, r):
			return "und-Grek"
		}
	}
	return ""
}

// bcp47 turns an Android resource qualifier's locale into a BCP 47 tag:
// "zh-rCN" → "zh-CN", "b+sr+Latn" → "sr-Latn"; a tag already in BCP 47 is
// kept.
func bcp47(l string) string {
	if rest, ok := strings.CutPrefix(l, "b+"); ok {
		return strings.ReplaceAll(rest, "+", "-")
	}
	if lang, region, ok := strings.Cut(l, "-r"); ok && len(region) == 2 {
		return lang + "-" + region
	}
	return l
}

// plainPlace writes an evidence location for the text summary: code in
// the Java notation a reader may know ("org.x.Upload.send()" rather than
// "classes.dex Lorg/x/Upload;->send(Ljava/lang/String;)V"); other places
// as they are. The smali notation stays in the JSON and the details.
func plainPlace(loc string) string {
	l := parseLocation(loc)
	class, member, ok := strings.Cut(l.Symbol, ";->")
	if !ok || !strings.HasPrefix(class, "L") {
		return loc
	}
	class = strings.ReplaceAll(class[1:], "/", ".")
	if name, _, isMethod := strings.Cut(member, "("); isMethod {
		return class + "." + name + "()"
	}
	name, _, _ := strings.Cut(member, ":")
	return class + "." + name
}

// location is an evidence location taken apart: the file inside the app
// and the place in it, for formats that name them separately (SARIF).
type location struct {
	File   string // "classes.dex", "res/layout/x.xml", "split.apk!AndroidManifest.xml"
	Line   int    // 0 if none
	Offset int64  // -1 if none
	Symbol string // "Lcom/x/Y;->m()V", "@array/blood_types", "EditText @id/sfzh", "string #12"
}

// parseLocation reads the notation the scan constructors write (scan.ManifestLine,
// scan.DexMethod, scan.LayoutWidget, …): the file comes first, up to the
// first space; then "line N", "offset 0xN", or a symbol.
func parseLocation(s string) location {
	loc := location{Offset: -1}
	file, rest, _ := strings.Cut(s, " ")
	loc.File = file
	if rest == "" {
		return loc
	}
	if n, ok := strings.CutPrefix(rest, "line "); ok {
		num, tail, _ := strings.Cut(n, " ")
		if v, err := strconv.Atoi(num); err == nil {
			loc.Line = v
			loc.Symbol = tail
			return loc
		}
	}
	if n, ok := strings.CutPrefix(rest, "offset 0x"); ok {
		if v, err := strconv.ParseInt(n, 16, 64); err == nil {
			loc.Offset = v
			return loc
		}
	}
	loc.Symbol = rest
	return loc
}

// unreachedCode is the subject of a sentence about code the app carries
// that no table names and that neither its manifest nor its own code
// refers to, in namespaces nss: carried, not shown to run.
func unreachedCode(nss []string) string {
	return fmt.Sprintf("it carries code it never refers to (%s)", list(nss, 3))
}
