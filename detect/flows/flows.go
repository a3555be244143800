// Package flows says where the data goes: from a form field or a device
// read to the server, SDK, file, SMS or log that receives it.
//
// It builds a call graph over every DEX file on the class hierarchy
// (direct, static, super and interface calls; virtual calls resolved to
// every override in the app), with the hand-offs Android makes that
// bytecode does not show (a Runnable posted to a Handler or an Executor,
// an AsyncTask's doInBackground, a component started by an Intent that
// names its class, listeners registered in the same class, and the
// lifecycle methods of the manifest's components as entry points).
//
// Inside a method, a data-flow analysis over registers follows values
// through moves, call results, fields, arrays, string builders,
// collections, JSON objects, bundles and intents. Across methods, each
// method gets a summary (which arguments reach its return value, a sink or
// a field; which sources it returns), computed on demand and bounded in
// depth; values stored in a field are followed to the methods that read
// it. The analysis starts at the methods that read a source and goes up to
// their callers only as far as a source's value is returned: it is not a
// whole-program fixpoint and cannot run away. Every limit it reaches is
// named with pass.Cut; it never changes another channel's findings.
package flows

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/attribution"
	"appxray/detect/code"
	"appxray/detect/forms"
	"appxray/detect/hierarchy"
	"appxray/dex"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer finds the flows.
var Analyzer = &analysis.Analyzer{
	Name:       "flows",
	Doc:        "follows what the app reads from forms and the device to the servers, SDKs, files, SMS and logs it reaches, with the path through the code",
	Requires:   []*analysis.Analyzer{code.Index, hierarchy.Analyzer, forms.Analyzer, attribution.Analyzer, programAnalyzer},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// programAnalyzer indexes every DEX file for the analysis (calls, field
// reads, view reads, class initialisers' strings) from what the code
// index's walk recorded: the files are walked once for both.
var programAnalyzer = &analysis.Analyzer{
	Name:       "flows-program",
	Doc:        "indexes the app's calls, field reads and view reads for the flow analysis",
	Requires:   []*analysis.Analyzer{code.Index, hierarchy.Analyzer},
	ResultType: analysis.TypeOf[*program](),
	Run: func(pass *analysis.Pass) (any, error) {
		ix := analysis.ResultOf[*code.IndexResult](pass, code.Index)
		for d, df := range ix.Dex {
			if err := ix.WalkErr(d); err != nil {
				pass.Cut(df.Location, err)
			}
		}
		return buildProgram(ix, analysis.ResultOf[*hierarchy.Result](pass, hierarchy.Analyzer), knowledge.Flows()), nil
	},
}

// Limits bound the analysis. The zero value means the defaults.
type Limits struct {
	MaxDepth       int // call depth below a method that a summary looks
	MaxUp          int // levels of callers a returned source is followed up
	PathsPerSource int // flows kept per source and destination, and hits per summary
	WorkPerMethod  int // instructions visited per method analysis
	MaxRegisters   int // methods with more registers are skipped
	TotalWork      int // instructions visited in all
	MaxFlows       int
	// MaxStateCells bounds the registers held in block states at once, by
	// every frame on the stack: a hostile method of thousands of blocks and
	// hundreds of registers would otherwise hold a gigabyte. Real apps need
	// far fewer: at most 4,329 on the corpus, 7,737 on the synthetic APK.
	MaxStateCells int
}

// DefaultLimits are safe on the largest corpus apps.
func DefaultLimits() Limits {
	return Limits{MaxDepth: 6, MaxUp: 4, PathsPerSource: 4, WorkPerMethod: 40000, MaxRegisters: 512, TotalWork: 20_000_000, MaxFlows: 500, MaxStateCells: 1 << 20}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth == 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxUp == 0 {
		l.MaxUp = d.MaxUp
	}
	if l.PathsPerSource == 0 {
		l.PathsPerSource = d.PathsPerSource
	}
	if l.WorkPerMethod == 0 {
		l.WorkPerMethod = d.WorkPerMethod
	}
	if l.MaxRegisters == 0 {
		l.MaxRegisters = d.MaxRegisters
	}
	if l.MaxStateCells == 0 {
		l.MaxStateCells = d.MaxStateCells
	}
	if l.TotalWork == 0 {
		l.TotalWork = d.TotalWork
	}
	if l.MaxFlows == 0 {
		l.MaxFlows = d.MaxFlows
	}
	return l
}

// maxTargets bounds the overrides one virtual call resolves to.
const maxTargets = 16

// Result holds the flows.
type Result struct {
	Flows []scan.Flow
	// Methods is the number of method analyses; Work the instructions
	// they visited.
	Methods, Work int
	// Edges counts the call-graph edges from the entry points (Graph).
	Graph GraphStats
}

// GraphStats describes the call graph walked from the entry points.
type GraphStats struct {
	Entries, Reached, Edges, AndroidEdges int
}

type site struct {
	m  mref
	pc uint32
}

type analyzer struct {
	prog  *program
	lim   Limits
	attr  *attribution.Result
	ix    *code.IndexResult
	res   interface{ ResourceName(uint32) (string, bool) }
	forms map[string]*scan.Field // by id

	sources      map[site][]*source
	srcLabels    map[site]*label
	srcByKey     map[string]*source
	summaries    map[mref]*summary
	onStack      map[mref]bool
	fieldLabels  map[string][]*label
	fieldViews   map[string]desc
	fieldDescs   map[string]desc
	derived      map[deriveKey]*label
	sinks        map[string]*sink
	components   map[string]bool
	roots        []root
	queued       map[mref]int // times queued as a root
	viewsChanged bool
	chains       map[string][]string // classChain's

	flows      map[string]*flowRec
	perSource  map[string]int
	methodsCut int
	statesCut  int // method analyses stopped at MaxStateCells
	work       int
	analyses   int
	cuts       []string

	mem frameMem // the frames' memory
}

type root struct {
	m     mref
	depth int
}

type flowRec struct {
	src    *source
	sk     *sink
	steps  []step
	medium bool
	via    string
	low    bool
}

// inputs is what the analysis reads: the required analyzers' results
// and the parts of the app it looks at.
type inputs struct {
	ix         *code.IndexResult
	h          *hierarchy.Result
	fr         *forms.Result
	attr       *attribution.Result
	res        interface{ ResourceName(uint32) (string, bool) }
	components []app.Component
	lim        Limits
	// prog is the indexed program; nil to build it here.
	prog *program
}

func run(pass *analysis.Pass) (any, error) {
	in := inputs{
		ix:   analysis.ResultOf[*code.IndexResult](pass, code.Index),
		h:    analysis.ResultOf[*hierarchy.Result](pass, hierarchy.Analyzer),
		fr:   analysis.ResultOf[*forms.Result](pass, forms.Analyzer),
		attr: analysis.ResultOf[*attribution.Result](pass, attribution.Analyzer),
		prog: analysis.ResultOf[*program](pass, programAnalyzer),
	}
	if t := pass.App.Resources(); t != nil {
		in.res = t
	}
	if info := pass.App.Info(); info != nil {
		in.components = info.Components
	}
	return analyzeApp(pass.Context, in, pass.Cut)
}

// analyzeApp is the analysis proper; cut names what it stopped short of.
func analyzeApp(ctx context.Context, in inputs, cut func(where string, err error)) (*Result, error) {
	prog := in.prog
	if prog == nil {
		for d, df := range in.ix.Dex {
			if err := in.ix.WalkErr(d); err != nil {
				cut(df.Location, err)
			}
		}
		prog = buildProgram(in.ix, in.h, knowledge.Flows())
	}
	if len(prog.dex) != len(in.ix.Dex) {
		return nil, fmt.Errorf("flows: %d DEX files indexed, the code index has %d", len(prog.dex), len(in.ix.Dex))
	}
	a := newAnalyzer(prog, in.lim, in.attr, in.ix, in.fr)
	a.res = in.res
	a.collectSources()
	a.runRoots(ctx)
	stats := a.lowFlows(ctx, in.components)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out := &Result{Flows: a.result(), Methods: a.analyses, Work: a.work, Graph: stats}
	if a.methodsCut > 0 {
		cut("flows", fmt.Errorf("%d method analyses stopped at a limit (registers %d, work %d per method); their flows may be missing", a.methodsCut, a.lim.MaxRegisters, a.lim.WorkPerMethod))
	}
	if a.statesCut > 0 {
		cut("flows", fmt.Errorf("%d method analyses stopped at the limit of %d registers held in block states at once; their flows may be missing", a.statesCut, a.lim.MaxStateCells))
	}
	for _, c := range a.cuts {
		cut("flows", fmt.Errorf("%s", c))
	}
	return out, nil
}

func newAnalyzer(prog *program, lim Limits, attr *attribution.Result, ix *code.IndexResult, fr *forms.Result) *analyzer {
	a := &analyzer{
		prog: prog, lim: lim.withDefaults(), attr: attr, ix: ix, forms: map[string]*scan.Field{},
		sources: map[site][]*source{}, srcLabels: map[site]*label{}, srcByKey: map[string]*source{},
		summaries: map[mref]*summary{}, onStack: map[mref]bool{},
		fieldLabels: map[string][]*label{}, fieldViews: map[string]desc{}, fieldDescs: map[string]desc{},
		derived: map[deriveKey]*label{}, sinks: map[string]*sink{}, components: map[string]bool{}, queued: map[mref]int{},
		flows: map[string]*flowRec{}, perSource: map[string]int{}, chains: map[string][]string{},
	}
	if fr != nil {
		for i := range fr.Fields {
			f := &fr.Fields[i]
			if f.ID == "" || strings.HasPrefix(f.Layout, "assets/") {
				continue
			}
			if _, ok := a.forms[f.ID]; !ok {
				a.forms[f.ID] = f
			}
		}
	}
	return a
}

// collectSources takes the device reads the code index found.
func (a *analyzer) collectSources() {
	for _, c := range a.ix.Calls {
		if c.Category == "" || c.Category.Group() != knowledge.GroupDevice || c.Rule.Confidence == knowledge.Weak {
			continue
		}
		s := site{mref{c.Site.Dex, c.Site.Method}, c.Site.PC}
		title := c.Rule.Title
		api := a.ix.Target(c)
		src := a.intern(&source{category: c.Category, api: api, title: title, handle: isHandle(api)})
		if c.Field {
			continue // a static field such as a content URI decides a call; it is not data read
		}
		if !containsSrc(a.sources[s], src) {
			a.sources[s] = append(a.sources[s], src)
		}
	}
}

func containsSrc(ss []*source, s *source) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func (a *analyzer) intern(s *source) *source {
	k := s.key()
	if o, ok := a.srcByKey[k]; ok {
		return o
	}
	a.srcByKey[k] = s
	return s
}

// fieldSource is the source for a read of the form field with this id.
func (a *analyzer) fieldSource(id, how string) *source {
	f := a.forms[id]
	s := &source{field: id, title: how}
	if f != nil {
		s.layout = f.Layout
		if len(f.Categories) > 0 {
			s.category = f.Categories[0]
		}
		if l := f.Labels[""]; l != "" {
			s.title = l
		}
	}
	s.api = "findViewById(@id/" + id + ")"
	return a.intern(s)
}

// sourceLabel is the label of a source read at a place (one per place).
func (a *analyzer) sourceLabel(s *source, m mref, pc uint32) *label {
	k := site{m, pc}
	if l, ok := a.srcLabels[k]; ok && l.src == s {
		return l
	}
	what := "reads " + s.api
	if s.field != "" {
		what = "reads form field @id/" + s.field
	}
	l := &label{param: -1, src: s, steps: []step{{m, pc, what}}, handle: s.handle}
	a.srcLabels[k] = l
	return l
}

// idName names a resource id of type id ("sfzh"), or "".
func (a *analyzer) idName(n int64) string {
	if a.res == nil || n <= 0 || n > 0xffffffff {
		return ""
	}
	name, ok := a.res.ResourceName(uint32(n))
	if !ok {
		return ""
	}
	_, rest, _ := strings.Cut(name, ":")
	typ, id, ok := strings.Cut(rest, "/")
	if !ok || typ != "id" {
		return ""
	}
	return id
}

// trackerOf names the tracker SDK a class belongs to, "" for the app's
// own code and for common libraries.
func (a *analyzer) trackerOf(class string) string {
	if a.attr == nil {
		return ""
	}
	t, _ := a.attr.Matcher().MatchClassForApp(class, a.attr.AppPackage())
	if t == nil {
		return ""
	}
	return t.Name
}

// classChain is a class and its supertypes, for matching the knowledge
// tables against a call through an app subclass.
// The analysis asks at every call it steps through, so each class's is
// kept; the result is shared: do not modify it.
func (a *analyzer) classChain(class string) []string {
	if c, ok := a.chains[class]; ok {
		return c
	}
	c := []string{class}
	if a.prog.h.Defined(class) {
		c = append(c, a.prog.h.Ancestors(class)...)
	}
	a.chains[class] = c
	return c
}

// runTargets finds the method a hand-off runs on an object of class.
func (a *analyzer) runTargets(class, name string) []mref {
	var out []mref
	for _, c := range append([]string{class}, a.prog.h.Ancestors(class)...) {
		hc := a.prog.h.Class(c)
		if hc == nil {
			continue
		}
		x := a.prog.dex[hc.Dex]
		for _, i := range x.file.FindMethods(c, name) {
			if x.Code[i] != 0 {
				out = append(out, mref{hc.Dex, i})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}

// summary returns the summary of an app method, computing it at the
// given depth; nil beyond the depth limit. Recursion is cut: a method
// on the stack has no summary yet.
func (a *analyzer) summary(m *method, depth int) *summary {
	if s, ok := a.summaries[m.ref]; ok {
		return s
	}
	if depth > a.lim.MaxDepth || a.onStack[m.ref] || a.work > a.lim.TotalWork {
		return nil
	}
	a.onStack[m.ref] = true
	a.analyses++
	s := a.analyze(m, depth)
	delete(a.onStack, m.ref)
	a.summaries[m.ref] = s
	return s
}

func (a *analyzer) push(m mref, depth int) {
	if a.queued[m] >= 3 {
		return
	}
	a.queued[m]++
	a.roots = append(a.roots, root{m, depth})
}

// runRoots analyses the methods that read a source, then their callers as
// far as a source's value is returned, and the readers of the fields it
// is stored in.
func (a *analyzer) runRoots(ctx context.Context) {
	var first []root
	for s := range a.sources {
		first = append(first, root{s.m, 0})
	}
	for d, x := range a.prog.dex {
		for _, m := range x.readsView {
			first = append(first, root{mref{d, m}, 0})
		}
	}
	sort.Slice(first, func(i, j int) bool {
		if first[i].m.dex != first[j].m.dex {
			return first[i].m.dex < first[j].m.dex
		}
		return first[i].m.idx < first[j].m.idx
	})
	for _, r := range first {
		a.push(r.m, 0)
	}
	for round := 0; len(a.roots) > 0; round++ {
		if ctx.Err() != nil {
			return
		}
		if a.work > a.lim.TotalWork {
			a.cuts = append(a.cuts, fmt.Sprintf("stopped after %d instructions in all (limit %d); %d methods left unanalysed", a.work, a.lim.TotalWork, len(a.roots)))
			return
		}
		r := a.roots[0]
		a.roots = a.roots[1:]
		m := a.prog.method(r.m)
		if m == nil {
			continue
		}
		delete(a.summaries, r.m) // a root is analysed afresh: fields may have been tainted since
		a.viewsChanged = false
		s := a.summary(m, 0)
		if s == nil {
			continue
		}
		if a.viewsChanged {
			// A view stored in a field: the methods reading views run again.
			for d, x := range a.prog.dex {
				for _, vm := range x.readsView {
					if (mref{d, vm}) != r.m {
						a.push(mref{d, vm}, r.depth)
					}
				}
			}
		}
		if len(s.retLabels) > 0 && r.depth < a.lim.MaxUp {
			for _, c := range a.prog.callersOf(m) {
				a.push(c, r.depth+1)
			}
		}
	}
}

// setFieldView records that a field holds a view.
func (a *analyzer) setFieldView(key string, d desc) {
	if o, ok := a.fieldViews[key]; !ok || o != d {
		a.fieldViews[key] = d
		a.viewsChanged = true
	}
}

type deriveKey struct {
	l      *label
	st     step
	in     string
	medium bool
	via    string
	data   bool
}

// derive is l carried one step further (st; none when st.what is ""),
// held at in (a field, key or index, "" for none), medium or not: one
// label per origin and place, so that re-analyses find the same one.
func (a *analyzer) derive(l *label, st step, in string, medium bool) *label {
	return a.deriveVia(l, st, in, medium, l.via)
}

func (a *analyzer) deriveVia(l *label, st step, in string, medium bool, via string) *label {
	medium = medium || l.medium
	k := deriveKey{l: l, st: st, in: in, medium: medium, via: via}
	if nl, ok := a.derived[k]; ok {
		return nl
	}
	nl := &label{param: -1, src: l.src, steps: l.steps, medium: medium, via: via, inField: in, handle: l.handle}
	if st.what != "" {
		nl.steps = extend(l.steps, st)
	}
	a.derived[k] = nl
	return nl
}

// dataOf is the label of data read from a handle's object (l.handle):
// what a cursor's getString or a stream's read gives.
func (a *analyzer) dataOf(l *label) *label {
	k := deriveKey{l: l, in: l.inField, medium: l.medium, via: l.via, data: true}
	if nl, ok := a.derived[k]; ok {
		return nl
	}
	nl := &label{param: -1, src: l.src, steps: l.steps, medium: l.medium, via: l.via, inField: l.inField}
	a.derived[k] = nl
	return nl
}

// hold is l held at in (a field, key or index), with no step.
func (a *analyzer) hold(l *label, in string) *label {
	return a.derive(l, step{}, in, l.medium)
}

// internSink returns the one sink with s's kind, destination, API and
// destination argument.
func (a *analyzer) internSink(s *sink) *sink {
	k := s.key() + "\x00" + s.api + "\x00" + fmt.Sprint(s.destParam)
	if o, ok := a.sinks[k]; ok {
		return o
	}
	a.sinks[k] = s
	return s
}

// componentBases are the framework classes Android makes one object of,
// for the app's classes that extend them.
var componentBases = []string{
	"Landroid/app/Activity;", "Landroid/app/Service;", "Landroid/app/Application;",
	"Landroid/content/BroadcastReceiver;", "Landroid/content/ContentProvider;",
	"Landroid/app/Fragment;", "Landroidx/fragment/app/Fragment;", "Landroid/support/v4/app/Fragment;",
}

// component reports whether the app makes one object of a class: an
// Android component (an activity, service, application, receiver,
// provider or fragment), or a singleton (a class with a static field of
// its own type that is not final or is named an instance, as
// getInstance() keeps). A field stored through any
// reference to such an object is the field its other readers read.
func (a *analyzer) component(class string) bool {
	if c, ok := a.components[class]; ok {
		return c
	}
	c := false
	if hc := a.prog.h.Class(class); hc != nil {
		for _, anc := range a.prog.h.Ancestors(class) {
			for _, b := range componentBases {
				if anc == b {
					c = true
				}
			}
		}
		if !c {
			c = a.singleton(hc.Dex, hc.Def, class)
		}
	}
	a.components[class] = c
	return c
}

// singleton reports whether a class declares a static field of its own
// type.
func (a *analyzer) singleton(d, def int, class string) bool {
	x := a.prog.dex[d]
	cd, err := x.file.ClassDefItem(def)
	if err != nil {
		return false
	}
	data, err := x.file.ClassData(cd.ClassDataOff)
	if err != nil {
		return false
	}
	for _, sf := range data.StaticFields {
		fr, err := x.file.Field(sf.FieldIdx)
		if err != nil || fr.Type != class {
			continue
		}
		// A lazily set instance (not final), or one named as such; a final
		// constant of the class (EMPTY, DEFAULT) is one of many objects.
		if sf.AccessFlags&0x10 == 0 || strings.Contains(strings.ToLower(fr.Name), "instance") {
			return true
		}
	}
	return false
}

// taintField records that a field holds a source's value, and queues the
// methods that read it.
func (a *analyzer) taintField(key string, l *label, depth int) {
	for _, o := range a.fieldLabels[key] {
		if o.src == l.src {
			return
		}
	}
	if len(a.fieldLabels[key]) >= a.lim.PathsPerSource {
		return
	}
	a.fieldLabels[key] = append(a.fieldLabels[key], l)
	if depth+1 > a.lim.MaxUp+a.lim.MaxDepth {
		return
	}
	if class, ok := strings.CutPrefix(key, "intent:"); ok {
		// What an intent hands to a component: its methods run again.
		for _, r := range a.classMethods(class) {
			a.push(r, 0)
		}
		return
	}
	for _, r := range a.prog.readersOf(key) {
		a.push(r, 0)
	}
}

// classMethods lists the methods with code a class of the app defines.
func (a *analyzer) classMethods(class string) []mref {
	hc := a.prog.h.Class(class)
	if hc == nil {
		return nil
	}
	x := a.prog.dex[hc.Dex]
	cd, err := x.file.ClassDefItem(hc.Def)
	if err != nil {
		return nil
	}
	data, err := x.file.ClassData(cd.ClassDataOff)
	if err != nil {
		return nil
	}
	var out []mref
	for _, ms := range [][]dex.EncodedMethod{data.DirectMethods, data.VirtualMethods} {
		for _, em := range ms {
			if em.CodeOff != 0 {
				out = append(out, mref{hc.Dex, em.MethodIdx})
			}
		}
	}
	return out
}

// addFlow records a flow from a source to a sink.
func (a *analyzer) addFlow(src *source, sk *sink, steps []step, medium bool, via string) {
	k := src.key() + "\x01" + sk.key()
	if o, ok := a.flows[k]; ok {
		// Keep the surest, then the shortest path.
		if (o.medium && !medium) || (o.medium == medium && len(steps) < len(o.steps)) || o.low {
			o.steps, o.medium, o.via, o.sk, o.low = steps, medium, via, sk, false
		}
		return
	}
	if len(a.flows) >= a.lim.MaxFlows {
		if len(a.flows) == a.lim.MaxFlows {
			a.cuts = append(a.cuts, fmt.Sprintf("kept the first %d flows", a.lim.MaxFlows))
			a.flows["\xff"] = nil
		}
		return
	}
	a.flows[k] = &flowRec{src: src, sk: sk, steps: steps, medium: medium, via: via}
}

// result turns the flows into the document's form.
func (a *analyzer) result() []scan.Flow {
	var out []scan.Flow
	for _, f := range a.flows {
		if f == nil {
			continue
		}
		out = append(out, a.docFlow(f))
	}
	sort.Slice(out, func(i, j int) bool {
		if r1, r2 := out[i].Confidence.Level.Rank(), out[j].Confidence.Level.Rank(); r1 != r2 {
			return r1 < r2
		}
		if out[i].Sink.Destination != out[j].Sink.Destination {
			return out[i].Sink.Destination < out[j].Sink.Destination
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (a *analyzer) location(m mref) string {
	x := a.prog.dex[m.dex]
	ref, err := x.file.Method(m.idx)
	if err != nil {
		return x.loc + " ?"
	}
	return scan.DexMethod(x.loc, ref.String(), "").Location
}

func (a *analyzer) classOf(m mref) string {
	ref, err := a.prog.dex[m.dex].file.Method(m.idx)
	if err != nil {
		return ""
	}
	return ref.Class
}

func (a *analyzer) docFlow(f *flowRec) scan.Flow {
	kind := "api"
	if f.src.field != "" {
		kind = "field"
	}
	fl := scan.Flow{
		Source: scan.FlowSource{Category: f.src.category, Kind: kind, API: f.src.api, Title: f.src.title, Field: f.src.field, Layout: f.src.layout},
		Sink:   scan.FlowSink{Kind: string(f.sk.kind), API: f.sk.api, Destination: f.sk.dest, SDK: f.sk.sdk, Title: f.sk.title},
		Via:    f.via,
	}
	if f.sk.kind == knowledge.SinkNetwork || f.sk.kind == knowledge.SinkWebView {
		fl.Sink.Cleartext = strings.HasPrefix(strings.ToLower(f.sk.dest), "http://")
	}
	for _, s := range f.steps {
		fl.Path = append(fl.Path, scan.FlowStep{Location: a.location(s.m), PC: s.pc, What: s.what, SDK: a.attr.SDK(a.classOf(s.m))})
	}
	if len(f.steps) > 0 {
		fl.SDK = a.attr.SDK(a.classOf(f.steps[0].m))
	}
	switch {
	case f.low:
		fl.Confidence = scan.Weak("the source and the sink are only reached from the same entry point; no data-flow path joins them")
	case f.medium:
		fl.Confidence = scan.Likely("the value is connected to the sink through " + f.via + ", not traced value by value")
	default:
		fl.Confidence = scan.Sure("a data-flow path carries the value from the read to the sink")
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s", fl.Source.Category, fl.Source.API, fl.Source.Field, fl.Sink.Kind, fl.Sink.Destination)
	if len(fl.Path) > 0 {
		fmt.Fprintf(h, "\x00%s\x00%d", fl.Path[0].Location, fl.Path[0].PC)
	}
	fl.ID = "flow-" + hex.EncodeToString(h.Sum(nil))[:10]
	return fl
}
