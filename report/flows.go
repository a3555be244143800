package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"appxray/knowledge"
	"appxray/scan"
)

// "Where it goes" (issue 10): the flows of a report grouped by the place
// the data goes, each place with the things that go there and, for each,
// the paths a reader can check. The app's own code is kept apart from the
// code of the SDKs it carries.

// flowDest is one place the app's data goes.
type flowDest struct {
	Kind      knowledge.SinkKind
	Label     string // "http://collect.example/api/upload (cleartext)", "Umeng Analytics"
	Place     string // Label without "(cleartext)", for formats that mark it otherwise
	Cleartext bool
	Leaves    bool // the data leaves the phone (a server, an SDK, a web page, an SMS)
	// Private marks the app's own keeping: the system log, its settings
	// (shared preferences), its databases. The section shows them; the
	// verdict does not, as keeping is not sending.
	Private bool
	Anchor  string
	// Name is the provider URI a content-provider sink names ("" when
	// the code does not spell it out), for a sentence that lists several.
	Name    string
	Sources []flowSource
	Best    scan.Level // the surest of its flows
}

// flowSource is one thing the app reads that reaches a destination, with
// every flow that carries it there.
type flowSource struct {
	Label    string // "ID card number", "IMEI or MEID"
	What     string // "form field @id/sfzh in res/layout/person_form.xml", "Reads the IMEI or MEID"
	Field    bool
	Category knowledge.Category
	SDK      string // the SDK whose code reads it (SDK flows)
	Flows    []scan.Flow
	Best     scan.Level
}

// Count is the number of flows to the destination.
func (d flowDest) Count() int {
	n := 0
	for _, s := range d.Sources {
		n += len(s.Flows)
	}
	return n
}

// Verb says what happens to data at a destination, after "is": "sent
// to", "written to", "handed to".
func (d flowDest) Verb() string { return sinkVerb(d.Kind) }

// SourceLabels lists what goes to the destination: "name, ID card number
// and phone number".
func (d flowDest) SourceLabels() string {
	var ls []string
	for _, s := range d.Sources {
		ls = append(ls, s.Label)
	}
	return join(ls)
}

type flowView struct {
	App, SDK []flowDest
	// byID finds a flow's destination by the flow's ID.
	byID map[string]*flowDest
}

func (v *flowView) Empty() bool { return len(v.App)+len(v.SDK) == 0 }

// leaves reports whether data at a sink of this kind leaves the phone.
func leaves(k knowledge.SinkKind) bool {
	switch k {
	case knowledge.SinkNetwork, knowledge.SinkWebView, knowledge.SinkSDK, knowledge.SinkSMS:
		return true
	}
	return false
}

// private reports whether a sink keeps data in the app's own places: the
// system log, its settings, its databases.
func private(s scan.FlowSink) bool {
	switch knowledge.SinkKind(s.Kind) {
	case knowledge.SinkLog:
		return true
	case knowledge.SinkFile:
		t := strings.ToLower(s.Title)
		return strings.Contains(t, "shared preferences") || strings.Contains(t, "database")
	}
	return false
}

func sinkVerb(k knowledge.SinkKind) string {
	switch k {
	case knowledge.SinkFile, knowledge.SinkLog, knowledge.SinkProvider:
		return "written to"
	case knowledge.SinkIPC:
		return "handed to"
	}
	return "sent to"
}

// noFlows says why the section is empty: no code to follow, code that is
// hidden, or no path found in the code there is.
func noFlows(r *scan.Report) string {
	switch {
	case isIOS(r):
		return "appxray does not trace data paths in iOS executables (Mach-O): where the data the app reads goes is not shown, only the hosts and SDKs it names (see Whom it talks to)."
	case len(r.Dex) == 0:
		return "The file carries no code, so appxray has no path to follow."
	case len(r.Protection.Packers) > 0:
		return "appxray traced no path in the code it can see; the real code is encrypted, and what it sends where cannot be seen."
	}
	return "appxray traced no path from what the app reads to a place it sends it. Static analysis follows the paths it can see; data may still go where the code builds its way at run time."
}

const unnamedServer = "a server whose address the code does not spell out"

// destLabel names where a sink's data goes, in words: the endpoint, file
// or SDK the code names, else what kind of place it is.
func destLabel(s scan.FlowSink) string {
	name := spelt(s.Destination)
	var out string
	switch knowledge.SinkKind(s.Kind) {
	case knowledge.SinkNetwork:
		out = name
		if out == "" {
			out = unnamedServer
		}
	case knowledge.SinkWebView:
		out = "a web page inside the app (WebView)"
		if name != "" {
			out += " at " + name
		}
	case knowledge.SinkSDK:
		out = s.SDK
		if out == "" {
			out = name
		}
		if out == "" {
			out = "a third-party SDK"
		}
	case knowledge.SinkSMS:
		out = "an SMS"
		if spelt(strings.TrimPrefix(name, "+")) != "" {
			out += " to " + name
		}
	case knowledge.SinkFile:
		switch t := strings.ToLower(s.Title); {
		case strings.Contains(t, "shared preferences"):
			out = "its settings (shared preferences)"
			if name != "" {
				out = "its settings “" + name + "” (shared preferences)"
			}
		case strings.Contains(t, "database"):
			out = "a local database"
			if name != "" {
				out += " “" + name + "”"
			}
		case isExtension(strings.TrimLeft(name, "…/")):
			// Only the extension is spelt out ("…/….html").
			out = "a " + strings.TrimLeft(name, "…/") + " file"
		case name != "":
			out = "the file " + name
		default:
			out = "a file"
		}
		out += " on the phone"
	case knowledge.SinkLog:
		out = "the system log"
	case knowledge.SinkProvider:
		out = "a content provider"
		if name != "" {
			out += " " + name
		}
	case knowledge.SinkIPC:
		out = "other apps or parts of the app"
		if name != "" {
			out += " (" + name + ")"
		}
	default:
		out = name
		if out == "" {
			out = s.Kind
		}
	}
	if s.Cleartext {
		out += " (cleartext)"
	}
	return out
}

// sourceLabel names what a flow carries, in a few words: a form field by
// its label, a device read by what it reads ("IMEI or MEID"), else by its
// category.
func sourceLabel(s scan.FlowSource) string {
	if s.Kind == "field" {
		// A label as the form writes it ("Your name:"), as a noun.
		l := strings.TrimRight(strings.TrimSpace(s.Title), ":：*")
		l = strings.TrimSpace(l)
		if rest, ok := cutPrefixFold(l, "your "); ok && rest != "" {
			l = rest
		}
		if l == "" || readTitle(s.Title) {
			// No label: the title is how the field is read ("text typed").
			return "the field @id/" + s.Field
		}
		return lowerWord(l)
	}
	if rest, ok := strings.CutPrefix(s.Title, "Reads "); ok && rest != "" {
		return strings.TrimPrefix(rest, "the ")
	}
	if s.Category != "" {
		return lowerFirst(s.Category.Title())
	}
	return lowerWord(s.Title)
}

// spelt returns a destination as the code spells it, "" when it is built
// wholly of parts the code does not spell out ("…").
func spelt(dest string) string {
	if strings.Trim(dest, "… ") == "" {
		return ""
	}
	return dest
}

// isExtension reports whether a name is a file extension alone (".html").
func isExtension(s string) bool {
	return strings.HasPrefix(s, ".") && !strings.ContainsAny(s, "/…")
}

// readTitle reports whether a title is one the flow tables give a read of
// a form field (what a field without a label of its own is titled).
func readTitle(t string) bool {
	for _, r := range knowledge.Flows().Reads {
		if r.Title == t {
			return true
		}
	}
	return false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// lowerWord lowers a label's first letter when it is its only capital
// ("Name", "Phone number"), so that it reads inside a sentence; "ID card
// number" and "Google Search" keep theirs.
func lowerWord(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) || strings.IndexFunc(s[n:], unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// sourceWhat says what a source is beyond its label: the form field and
// the category it asks for, or the category of a device read ("" when the
// label is the category's title already).
func sourceWhat(s scan.FlowSource) string {
	cat := ""
	if s.Category != "" {
		cat = lowerFirst(s.Category.Title())
	}
	if s.Kind == "field" {
		what := "form field @id/" + s.Field
		if s.Layout != "" {
			what += " in " + s.Layout
		}
		if cat != "" && cat != sourceLabel(s) {
			what += ", " + cat
		}
		return what
	}
	if cat == sourceLabel(s) {
		return ""
	}
	return cat
}

func newFlowView(fls []scan.Flow) *flowView {
	v := &flowView{byID: map[string]*flowDest{}}
	var app, sdk []flowDest
	for _, part := range []struct {
		out *[]flowDest
		sdk bool
	}{{&app, false}, {&sdk, true}} {
		idx := map[string]int{}
		for _, fl := range fls {
			if (fl.SDK != "") != part.sdk {
				continue
			}
			label := destLabel(fl.Sink)
			i, ok := idx[label]
			if !ok {
				i = len(*part.out)
				idx[label] = i
				k := knowledge.SinkKind(fl.Sink.Kind)
				d := flowDest{Kind: k, Label: label, Place: strings.TrimSuffix(label, " (cleartext)"), Cleartext: fl.Sink.Cleartext,
					Leaves: leaves(k), Private: private(fl.Sink), Best: fl.Confidence.Level}
				if k == knowledge.SinkProvider {
					d.Name = spelt(fl.Sink.Destination)
				}
				*part.out = append(*part.out, d)
			}
			d := &(*part.out)[i]
			d.Best = surer(d.Best, fl.Confidence.Level)
			sl := sourceLabel(fl.Source)
			j := -1
			for k, s := range d.Sources {
				if s.Label == sl && s.Category == fl.Source.Category && s.SDK == fl.SDK {
					j = k
				}
			}
			if j < 0 {
				j = len(d.Sources)
				d.Sources = append(d.Sources, flowSource{Label: sl, What: sourceWhat(fl.Source), Field: fl.Source.Kind == "field", Category: fl.Source.Category, SDK: fl.SDK, Best: fl.Confidence.Level})
			}
			s := &d.Sources[j]
			s.Flows = append(s.Flows, fl)
			s.Best = surer(s.Best, fl.Confidence.Level)
		}
		dests := *part.out
		for i := range dests {
			sort.SliceStable(dests[i].Sources, func(a, b int) bool {
				return dests[i].Sources[a].Best.Rank() < dests[i].Sources[b].Best.Rank()
			})
		}
		// What leaves the phone first, then the surest, then the most.
		sort.SliceStable(dests, func(a, b int) bool {
			x, y := dests[a], dests[b]
			if x.Leaves != y.Leaves {
				return x.Leaves
			}
			if x.Best.Rank() != y.Best.Rank() {
				return x.Best.Rank() < y.Best.Rank()
			}
			return len(x.Sources) > len(y.Sources)
		})
		for i := range dests {
			prefix := "to-"
			if part.sdk {
				prefix = "sdk-to-"
			}
			dests[i].Anchor = fmt.Sprintf("%s%d", prefix, i+1)
		}
	}
	v.App, v.SDK = app, sdk
	for _, ds := range [][]flowDest{v.App, v.SDK} {
		for i := range ds {
			for _, s := range ds[i].Sources {
				for _, fl := range s.Flows {
					v.byID[fl.ID] = &ds[i]
				}
			}
		}
	}
	return v
}

func surer(a, b scan.Level) scan.Level {
	if b.Rank() < a.Rank() {
		return b
	}
	return a
}

// flowWords says how sure a flow is in words a reader knows.
func flowWords(fl scan.Flow) string {
	s := evidenceWord(fl.Confidence.Level)
	if fl.Confidence.Reason != "" {
		s += ": " + fl.Confidence.Reason
	}
	if fl.Via != "" {
		s += " (" + fl.Via + ")"
	}
	return s
}

// findingFlows returns the flows that carry a finding's data on: those its
// sent_to names, and for a form finding those that start at one of its
// fields.
func findingFlows(f scan.Finding, fls []scan.Flow) []scan.Flow {
	ids := map[string]bool{}
	for _, s := range f.SentTo {
		for _, id := range s.Flows {
			ids[id] = true
		}
	}
	var out []scan.Flow
	for _, fl := range fls {
		switch {
		case ids[fl.ID]:
			out = append(out, fl)
		case fl.Source.Kind == "field" && fl.Source.Field != "" && fl.Source.Category == f.Category && f.Analyzer == "forms" && fieldIn(f, fl.Source):
			out = append(out, fl)
		}
	}
	return out
}

// fieldIn reports whether a finding's evidence names the flow's field: a
// widget with that id in that layout.
func fieldIn(f scan.Finding, s scan.FlowSource) bool {
	for _, e := range f.Evidence {
		if e.Kind == scan.EvLayout && strings.HasPrefix(e.Location, s.Layout+" ") && strings.HasSuffix(e.Location, " @id/"+s.Field) {
			return true
		}
	}
	return false
}

// sentWhere says where a finding's data goes: "sent to
// http://x/upload (cleartext) and written to sms.txt on the phone".
func sentWhere(f scan.Finding, v *flowView, fls []scan.Flow) (string, []*flowDest) {
	var parts []string
	var dests []*flowDest
	seen := map[string]bool{}
	for _, fl := range findingFlows(f, fls) {
		d := v.byID[fl.ID]
		if d == nil {
			continue
		}
		// A form finding may name several fields: say which one goes.
		part := d.Verb() + " " + d.Label
		if fl.Source.Kind == "field" {
			part = "@id/" + fl.Source.Field + " " + part
		}
		if seen[part] {
			continue
		}
		seen[part] = true
		if !slices.Contains(dests, d) {
			dests = append(dests, d)
		}
		parts = append(parts, part)
	}
	return list(parts, 3), dests
}

// flowSentences are the verdict's sentences about where data goes: for the
// app's own code, then for SDK code, the sure flows (high and medium
// confidence) by destination, what leaves the phone first. What the app
// keeps in its own log, settings and databases stays in the section, and
// of SDK code only what leaves the phone is said.
func flowSentences(v *flowView) []string {
	var out []string
	named, unreached, nss := splitUnreached(v.SDK)
	for i, ds := range [][]flowDest{v.App, named, unreached} {
		// SDK code is carried, not shown to run: it holds the sending.
		who, then := "Its own code", "; it writes "
		switch i {
		case 1:
			who, then = "The SDKs it carries hold code that", " and writes "
		case 2:
			who, then = upperFirst(unreachedCode(nss))+" that", " and writes "
		}
		// One clause per place as a sentence names it: two URLs of one
		// server are one place.
		type clause struct {
			place          string
			cleartext      bool
			write, handoff bool
			fields, reads  []string
			what           string // fields and reads, in words
			sms            bool   // an SMS, which carries the data
			provider       bool   // a content provider, named by name
			name           string // "" when unnamed
		}
		var cs []*clause
		for _, d := range ds {
			if d.Private || (i > 0 && !d.Leaves) {
				continue
			}
			place := d.verdictPlace()
			var c *clause
			for _, x := range cs {
				if x.place == place && x.cleartext == d.Cleartext {
					c = x
				}
			}
			fresh := c == nil
			if fresh {
				c = &clause{place: place, cleartext: d.Cleartext, handoff: d.Kind == knowledge.SinkIPC,
					provider: d.Kind == knowledge.SinkProvider, name: d.Name, sms: d.Kind == knowledge.SinkSMS}
				switch d.Kind {
				case knowledge.SinkFile, knowledge.SinkLog, knowledge.SinkProvider:
					c.write = true
				}
			}
			for _, s := range d.Sources {
				if !sureLevel(s.Best) {
					continue
				}
				if s.Field && !slices.Contains(c.fields, s.Label) {
					c.fields = append(c.fields, s.Label)
				} else if !s.Field && !slices.Contains(c.reads, s.Label) {
					c.reads = append(c.reads, s.Label)
				}
			}
			if fresh && len(c.fields)+len(c.reads) > 0 {
				cs = append(cs, c)
			}
		}
		var sends, writes []string
		for _, c := range cs {
			var what []string
			if len(c.fields) > 0 {
				// One article for the list: "the field @id/q" loses its own.
				fs := make([]string, len(c.fields))
				for i, f := range c.fields {
					fs[i] = strings.TrimPrefix(f, "the ")
				}
				what = append(what, "the "+list(fs, 4)+" typed into its forms")
			}
			if len(c.reads) > 0 {
				what = append(what, theList(c.reads, 4))
			}
			c.what = join(what)
		}
		// The content providers one thing is written to make one clause:
		// "SMS and MMS to content providers content://mms/inbox and one
		// the code does not name", not a clause for each.
		for i := 0; i < len(cs); i++ { // cs shrinks as clauses merge
			c := cs[i]
			if !c.provider {
				continue
			}
			group := []*clause{c}
			for j := i + 1; j < len(cs); {
				if x := cs[j]; x.provider && x.cleartext == c.cleartext && x.what == c.what {
					group = append(group, x)
					cs = slices.Delete(cs, j, j+1)
				} else {
					j++
				}
			}
			if len(group) < 2 {
				continue
			}
			var names []string
			unnamed := false
			for _, x := range group {
				if x.name == "" {
					unnamed = true
				} else {
					names = append(names, x.name)
				}
			}
			if unnamed {
				names = append(names, "one the code does not name")
			}
			c.place = "content providers " + list(names, 4)
		}
		for _, c := range cs {
			to := " to "
			switch {
			case c.handoff:
				to = " on to "
			case c.sms:
				to = " in "
			}
			// "without encryption" before the place, which may end in a
			// clause of its own ("a server whose address the code does
			// not spell out").
			text := c.what
			if c.cleartext {
				text += " without encryption"
			}
			text += to + c.place
			if c.write {
				writes = append(writes, text)
			} else {
				sends = append(sends, text)
			}
		}
		var s []string
		if len(sends) > 0 {
			s = append(s, who+" sends "+clauses(sends, 3))
		}
		if len(writes) > 0 {
			if len(s) == 0 {
				s = append(s, who+" writes "+clauses(writes, 3))
			} else {
				s[0] += then + clauses(writes, 3)
			}
		}
		if len(s) > 0 {
			out = append(out, s[0]+".")
		}
	}
	return out
}

// verdictPlace names a destination briefly, for a sentence: a server by
// its host ("collect.example"), a server whose address is built at run
// time as such, a web page without its URL; other places by their label.
func (d flowDest) verdictPlace() string {
	switch d.Kind {
	case knowledge.SinkNetwork:
		if h := hostOf(d.Place); h != "" {
			return h
		}
		return unnamedServer
	case knowledge.SinkWebView:
		return "a web page inside the app (WebView)"
	}
	return d.Place
}

// hostOf returns a URL's host when the code spells it out ("" when a part
// of it is built at run time).
func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	host := rest
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	if host == "" || strings.Contains(host, "…") {
		return ""
	}
	return host
}

// clauses joins clauses that may hold lists of their own with a serial
// comma ("A, and B"; "A, B, and C"), at most max of them and how many
// more places.
func clauses(cs []string, max int) string {
	if len(cs) > max {
		rest := len(cs) - max
		cs = append(cs[:max:max], plural(rest, "more place", "more places")+" (see Where it goes)")
	}
	switch len(cs) {
	case 1:
		return cs[0]
	case 2:
		return cs[0] + ", and " + cs[1]
	}
	return strings.Join(cs[:len(cs)-1], ", ") + ", and " + cs[len(cs)-1]
}

// theList names device reads in a sentence: "the IMEI or MEID and the
// IMSI (subscriber ID)"; a category's title ("SMS and MMS", "contacts")
// and a label with its own article stand without one.
func theList(items []string, max int) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it
		if !strings.HasPrefix(it, "a ") && !strings.HasPrefix(it, "an ") && !isCategoryTitle(it) {
			out[i] = "the " + it
		}
	}
	return list(out, max)
}

func isCategoryTitle(s string) bool {
	for _, c := range knowledge.Categories() {
		if strings.EqualFold(c.Title, s) {
			return true
		}
	}
	return false
}

func sureLevel(l scan.Level) bool { return l.Rank() <= scan.LevelMedium.Rank() }

// smaliRef matches a member reference in smali notation inside a sentence:
// "Lorg/x/Upload;->send(Ljava/lang/String;)V".
var smaliRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`L[\w$/]+;->[\w$<>]+(\([^)\s]*\)\S*|:\S+)?`) })

// plainWhat rewrites the smali references in a step's description in the
// Java notation of the text summary: "passes it to org.x.Upload.send()".
func plainWhat(s string) string {
	return smaliRef().ReplaceAllStringFunc(s, func(ref string) string { return plainPlace("x " + ref) })
}

// Destinations lists the places a report's sure flows (high and medium
// confidence) carry data off the phone to, named as the verdict names them
// ("collect.example", "Umeng Analytics"): the app's own code's first, then
// the SDKs'. A batch index shows them per app.
func Destinations(r *scan.Report) []string {
	v := newFlowView(r.Flows)
	var out []string
	for _, ds := range [][]flowDest{v.App, v.SDK} {
		for _, d := range ds {
			if !d.Leaves || !sureLevel(d.Best) {
				continue
			}
			if p := d.verdictPlace(); !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// splitUnreached parts the SDK code's destinations into those of SDKs a
// table names and those of code the app carries and never refers to
// (scan.UnreachedSDK), each destination with its own sources only; nss
// are the namespaces of the latter.
func splitUnreached(ds []flowDest) (named, unreached []flowDest, nss []string) {
	for _, d := range ds {
		n, u := d, d
		n.Sources, u.Sources = nil, nil
		for _, s := range d.Sources {
			ns, ok := scan.UnreachedNamespace(s.SDK)
			if !ok {
				n.Sources = append(n.Sources, s)
				continue
			}
			u.Sources = append(u.Sources, s)
			// Only the code of what a sentence says is named.
			if sureLevel(s.Best) && d.Leaves && !d.Private && !slices.Contains(nss, ns) {
				nss = append(nss, ns)
			}
		}
		if len(n.Sources) > 0 {
			named = append(named, n)
		}
		if len(u.Sources) > 0 {
			unreached = append(unreached, u)
		}
	}
	return named, unreached, nss
}
