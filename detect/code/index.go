// Package code holds the code evidence channel: one walk over the bytecode of
// every DEX file (the Index analyzer, shared by every detector that reads
// code), and the findings for framework APIs that reach people's data.
package code

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/attribution"
	"appxray/detect/hierarchy"
	"appxray/dex"
	"appxray/knowledge"
	"appxray/scan"
)

// Index walks every method of every DEX file once and records the calls to
// known APIs, the reads of known static fields, and which method first loads
// each string.
var Index = &analysis.Analyzer{
	Name:       "codeindex",
	Doc:        "walks the bytecode of every DEX file once, indexing calls to known APIs, static field reads and string loads",
	Requires:   []*analysis.Analyzer{attribution.Analyzer, hierarchy.Analyzer},
	ResultType: analysis.TypeOf[*IndexResult](),
	Run:        runIndex,
}

// Site is one instruction in one method.
type Site struct {
	Dex    int    // index into Result.Dex
	Method uint32 // method_ids index of the calling method
	PC     uint32 // code-unit offset of the instruction
}

// Call is a call of a known API (or a read of a known static field).
type Call struct {
	Rule *knowledge.APIRule
	// Category is the rule's, or for a rule decided by its argument, the one
	// the argument decides (a content URI loaded in the same method).
	Category knowledge.Category
	// Arg is that deciding argument, if any.
	Arg string
	// Weak is set when the deciding argument proves little on its own (a
	// content URI or key whose rule is weak); WeakWhy says why.
	Weak    bool
	WeakWhy string
	Target  uint32 // method or field index called or read
	Field   bool   // a static field read, not an invocation
	Site    Site
}

// Strong reports whether the call proves what its rule says on its own:
// neither the rule nor the argument that decided its category is weak.
// (The APIs analyzer may still weaken or strengthen it from its context.)
func (c Call) Strong() bool { return c.Rule.Confidence != knowledge.Weak && !c.Weak }

// Index is the result of the Index analyzer.
type IndexResult struct {
	Dex   []*app.DexFile
	Calls []Call
	// StringUser[d][s] is 1 + the method index of the first method of DEX d
	// that loads string s with const-string, or 0 if none does.
	StringUser [][]uint32
	// Methods is the number of methods with code that were walked.
	Methods int
	// Hierarchy is the app's class hierarchy.
	Hierarchy *hierarchy.Result
	// Cut lists the DEX files whose walk stopped short (a work limit, a
	// cancelled run); what was walked before is still indexed.
	Cut []string

	attr  *attribution.Result
	mu    sync.Mutex
	names map[Site]string

	// uses[d] is what the walk of DEX d recorded of calls and fields.
	uses []*Uses
	// walkErrs[d] is why the walk of DEX d stopped short, if it did.
	walkErrs []error
	// codeOff[d][m] is the code_item offset of method m of DEX d, 0 when
	// it has no code there.
	codeOff [][]uint32
	// urlSites[d][s] are the sites that load string s of DEX d, for the
	// strings that name a URL scheme ("://").
	urlSites []map[uint32][]Site
	frames   map[[2]uint32]*onceFrame
	callers  []callerIndex
	// settled is set once settleOwners has decided whose code each
	// namespace is (SDK's answers are final from then on).
	settled bool
}

// callerIndex keeps, for one DEX, the sites Callers found for a method,
// and the code units it decoded for them.
type callerIndex struct {
	mu    sync.Mutex
	sites map[uint32]*onceSites // each method's, found once by whoever asks first
	work  int64
}

// onceSites are the call sites of a method, found once.
type onceSites struct {
	once  sync.Once
	sites []Site
}

// ruleTable is the API table indexed by class, built once.
type ruleTable struct {
	classes map[string]bool
	// names are the method names some rule names; anyOf the classes with
	// a rule for any method.
	names map[string]bool
	anyOf map[string]bool
}

// Preload builds the tables the code index reads (knowledge's API rules,
// indexed by class), which the first index would otherwise build.
func Preload() { rules() }

var rules = sync.OnceValue(func() *ruleTable {
	t := &ruleTable{classes: map[string]bool{}, names: map[string]bool{}, anyOf: map[string]bool{}}
	for _, r := range knowledge.APIs() {
		t.classes[r.Class] = true
		if r.Kind == knowledge.KindMethodInvoke {
			if r.Member == knowledge.AnyMethod {
				t.anyOf[r.Class] = true
			} else {
				t.names[r.Member] = true
			}
		}
	}
	return t
})

// inheritedVia finds the rules of a method the app reaches through a class of
// its own (or a framework class the table does not list) that inherits it
// from a framework class the table does: getRootInActiveWindow called on
// the app's AccessibilityService subclass. A method the app's class
// overrides is the app's own code, and matches nothing.
//
// c is what it asks of the method id's class, the same for every method id
// of it: methodRules keeps one for each run of a class's ids, so that the
// class's ancestors are walked once, not once per method id.
func inheritedVia(h *hierarchy.Result, f *dex.File, mid dex.MemberID, c *inheritClass) []knowledge.APIRule {
	if !c.read {
		c.read, c.eligible = true, h.Defined(c.desc) || frameworkKnown(c.desc)
	}
	if !c.eligible {
		return nil
	}
	class := c.desc
	rt := rules()
	// Most method ids stop here, so the name is looked at in place: the
	// rules name methods in plain ASCII, whose MUTF-8 bytes are the string.
	nb, err := f.StringBytes(mid.NameIdx)
	if err != nil || string(nb) == "<init>" || string(nb) == "<clinit>" {
		return nil
	}
	if !rt.names[string(nb)] {
		if !c.anyKnown {
			c.anyKnown = true
			for _, a := range h.Ancestors(class) {
				if rt.anyOf[a] {
					c.anyRule = true
					break
				}
			}
		}
		if !c.anyRule {
			return nil
		}
	}
	name, err := f.String(mid.NameIdx)
	if err != nil {
		return nil
	}
	proto, err := f.Proto(uint32(mid.TypeIdx))
	if err != nil {
		return nil
	}
	res := h.Resolve(class, name, proto)
	if res.InApp {
		return nil
	}
	for _, c := range res.Outside {
		if c != class {
			if r := knowledge.MatchMethod(c, name); len(r) > 0 {
				return r
			}
		}
		// A framework class that implements the method runs its own
		// code: the rules of the interfaces further up do not apply.
		if fc, ok := knowledge.Framework(c); ok && fc.DefinesMethod(name) {
			return nil
		}
	}
	return nil
}

// inheritClass is what inheritedVia asks of a method id's class.
type inheritClass struct {
	desc              string
	read              bool // eligible is known
	eligible          bool // the app defines it, or the framework table lists it
	anyKnown, anyRule bool // anyRule (some ancestor has a rule for any method) is known
}

func frameworkKnown(class string) bool {
	_, ok := knowledge.Framework(class)
	return ok
}

// dexRules maps the method and field ids of one DEX file that name a known
// API to their rules.
type dexRules struct {
	methods map[uint32][]knowledge.APIRule
	fields  map[uint32][]knowledge.APIRule
}

// ruleClass is what matching asks of one class (type id) of member ids:
// whether the rule table lists it, and what inheritedVia asks of it. Member
// ids are sorted by class, so it is kept for each run of one class's ids.
type ruleClass struct {
	t       uint16
	set     bool
	name    string // the descriptor, when the table lists the class
	listed  bool
	inherit inheritClass
}

// of resets c to type t, unless c is t's already.
func (c *ruleClass) of(f *dex.File, rt *ruleTable, t uint16) {
	if c.set && c.t == t {
		return
	}
	*c = ruleClass{t: t, set: true}
	if uint32(t) >= f.Header.TypeIDsSize {
		return
	}
	if b, err := f.TypeDescriptorBytes(uint32(t)); err == nil && rt.classes[string(b)] {
		c.name, c.listed = string(b), true
	}
}

// methodRules maps the method ids [lo, hi) of f that name a known API, or
// inherit one (h non-nil), to their rules. It stops at the first id it
// cannot read and returns that id's index as stop (hi when none).
func methodRules(f *dex.File, h *hierarchy.Result, lo, hi uint32) (found map[uint32][]knowledge.APIRule, stop uint32) {
	rt := rules()
	found = map[uint32][]knowledge.APIRule{}
	var c ruleClass
	for i := lo; i < hi; i++ {
		mid, err := f.MethodID(i)
		if err != nil {
			return found, i
		}
		c.of(f, rt, mid.ClassIdx)
		if !c.listed {
			if h != nil && uint32(mid.ClassIdx) < f.Header.TypeIDsSize {
				if c.inherit.desc == "" {
					desc, err := f.TypeName(uint32(mid.ClassIdx))
					if err != nil {
						continue
					}
					c.inherit.desc = desc
				}
				if r := inheritedVia(h, f, mid, &c.inherit); len(r) > 0 {
					found[i] = r
				}
			}
			continue
		}
		name, err := f.String(mid.NameIdx)
		if err != nil {
			continue
		}
		if r := knowledge.MatchMethod(c.name, name); len(r) > 0 {
			found[i] = r
		}
	}
	return found, hi
}

// fieldRules maps the field ids of f that name a known static field to
// their rules, up to the first id it cannot read.
func fieldRules(f *dex.File) map[uint32][]knowledge.APIRule {
	rt := rules()
	found := map[uint32][]knowledge.APIRule{}
	var c ruleClass
	for i := uint32(0); i < f.Header.FieldIDsSize; i++ {
		fid, err := f.FieldID(i)
		if err != nil {
			break
		}
		if c.of(f, rt, fid.ClassIdx); !c.listed {
			continue
		}
		name, err := f.String(fid.NameIdx)
		if err != nil {
			continue
		}
		if r := knowledge.MatchStaticField(c.name, name); len(r) > 0 {
			found[i] = r
		}
	}
	return found
}

// methodSpans splits f's method ids into at most n spans of about equal
// length, each ending where a class's ids do.
func methodSpans(f *dex.File, n int) [][2]uint32 {
	total := f.Header.MethodIDsSize
	n = max(min(n, int(total/1024)), 1)
	var out [][2]uint32
	lo := uint32(0)
	for k := 1; k < n; k++ {
		at := uint32(uint64(total) * uint64(k) / uint64(n))
		for at > lo && at < total {
			a, errA := f.MethodID(at - 1)
			b, errB := f.MethodID(at)
			if errA != nil || errB != nil || a.ClassIdx != b.ClassIdx {
				break
			}
			at++
		}
		if at <= lo || at >= total {
			continue
		}
		out = append(out, [2]uint32{lo, at})
		lo = at
	}
	return append(out, [2]uint32{lo, total})
}

func runIndex(pass *analysis.Pass) (any, error) {
	ctx := pass.Context
	files := pass.App.Dex(ctx)
	res := &IndexResult{
		Dex:        files,
		StringUser: make([][]uint32, len(files)),
		attr:       analysis.ResultOf[*attribution.Result](pass, attribution.Analyzer),
		Hierarchy:  analysis.ResultOf[*hierarchy.Result](pass, hierarchy.Analyzer),
		names:      map[Site]string{},
	}
	res.codeOff = make([][]uint32, len(files))
	res.urlSites = make([]map[uint32][]Site, len(files))
	res.frames = map[[2]uint32]*onceFrame{}
	res.callers = make([]callerIndex, len(files))
	calls := make([][]Call, len(files))
	byArg := make([][]Call, len(files))
	refs := make([][]*nsRefs, len(files))
	// Every range of every DEX file is one job (the largest files' first),
	// so that the DEX file most of the code is in uses every worker; each
	// file's ranges are put back together in order, so the result is the
	// one walk's.
	//
	// A file's preparation (its API rules) is split too: its method ids in
	// as many spans as it has ranges, one job each, and its field ids and
	// strings in one more. Every preparation job is started before any
	// walk, and a walk waits only for its own file's preparation.
	type job struct {
		size int
		run  func()
	}
	var prepJobs, walkJobs []job
	preps := make([]*dexPrep, len(files))
	walks := make([][]*rangeWalk, len(files))
	res.uses = make([]*Uses, len(files))
	res.walkErrs = make([]error, len(files))
	// A file is merged by the job that walks its last range, so that its
	// ranges' raw records are released while the other files are walked
	// rather than all held until every file is (the peak of the walk).
	left := make([]atomic.Int32, len(files))
	merge := func(d int) {
		m := preps[d].prepared().merge(walks[d])
		res.StringUser[d], calls[d], res.codeOff[d], byArg[d], res.urlSites[d], refs[d] = m.users, m.calls, m.codeOff, m.byArg, m.sites, m.refs
		res.uses[d], res.walkErrs[d] = m.uses, m.err
		walks[d] = nil
	}
	for d, df := range files {
		f := df.File
		p := &dexPrep{d: d, f: f}
		preps[d] = p
		rs := f.Ranges()
		spans := methodSpans(f, len(rs))
		p.parts = make([]ruleSpan, len(spans))
		size := len(f.Data())
		p.pending.Add(len(spans) + 1)
		prepJobs = append(prepJobs, job{size / (len(spans) + 1), func() {
			defer p.pending.Done()
			p.prepareFields()
		}})
		for i, sp := range spans {
			prepJobs = append(prepJobs, job{size / (len(spans) + 1), func() {
				defer p.pending.Done()
				p.parts[i].rules, p.parts[i].stop = methodRules(f, res.Hierarchy, sp[0], sp[1])
				p.parts[i].hi = sp[1]
			}})
		}
		walks[d] = make([]*rangeWalk, len(rs))
		left[d].Store(int32(len(rs)))
		for i, r := range rs {
			walkJobs = append(walkJobs, job{size / len(rs), func() {
				walks[d][i] = p.prepared().walk(ctx, r)
				if left[d].Add(-1) == 0 {
					merge(d)
				}
			}})
		}
	}
	bySize := func(a, b job) int { return b.size - a.size }
	slices.SortStableFunc(prepJobs, bySize)
	slices.SortStableFunc(walkJobs, bySize)
	all := slices.Concat(prepJobs, walkJobs)
	pass.Parallel(len(all), func(i int) { all[i].run() })
	for d := range files {
		if res.uses[d] == nil { // no ranges: no job merged it
			merge(d)
		}
	}
	for d, df := range files {
		if err := res.walkErrs[d]; err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// One DEX over its limit must not cost the others' findings.
			res.Cut = append(res.Cut, df.Location)
			pass.Cut(df.Location, err)
		}
		res.Calls = append(res.Calls, calls[d]...)
		res.Methods += len(res.uses[d].Order)
	}
	res.settleOwners(pass, slices.Concat(refs...))
	res.settled = true
	// Each call decided by its arguments is decided on its own (frames and
	// callers are shared, read-only once made), in the order of the calls.
	pending := slices.Concat(byArg...)
	decidedCalls := make([][]Call, len(pending))
	pass.Parallel(len(pending), func(i int) { decidedCalls[i] = res.decideByArg(ctx, pending[i]) })
	for _, cs := range decidedCalls {
		res.Calls = append(res.Calls, cs...)
	}
	for i := range res.Calls {
		res.idOnly(&res.Calls[i])
		res.smsNumbers(ctx, &res.Calls[i])
	}
	return res, nil
}

// dexPrep is what every range of one DEX file's walk reads: the file's
// API rules and which of its strings name a URL scheme. It is built by
// several jobs (prepareFields, one methodRules per span of method ids);
// prepared waits for them and puts the spans together.
type dexPrep struct {
	d      int
	f      *dex.File
	dr     dexRules
	urlish []bool

	parts   []ruleSpan
	pending sync.WaitGroup
	once    sync.Once
}

// ruleSpan is what methodRules found in the method ids below hi.
type ruleSpan struct {
	rules    map[uint32][]knowledge.APIRule
	stop, hi uint32
}

// prepareFields matches the file's field ids and marks its strings that
// name a URL scheme.
func (p *dexPrep) prepareFields() {
	f := p.f
	p.dr.fields = fieldRules(f)
	// Every method that loads a string naming a URL scheme is kept, not
	// only the first: whether the URL is contacted is decided per use.
	p.urlish = make([]bool, f.Header.StringIDsSize)
	for i := range p.urlish {
		if b, err := f.StringBytes(uint32(i)); err == nil && bytes.Contains(b, []byte("://")) {
			p.urlish[i] = true
		}
	}
}

// prepared waits for the file's preparation and returns it. The method
// rules end where an unreadable method id is, as one pass over the ids
// would.
func (p *dexPrep) prepared() *dexPrep {
	p.pending.Wait()
	p.once.Do(func() {
		p.dr.methods = map[uint32][]knowledge.APIRule{}
		for _, sp := range p.parts {
			for i, r := range sp.rules {
				p.dr.methods[i] = r
			}
			if sp.stop < sp.hi {
				break
			}
		}
		p.parts = nil
	})
	return p
}

// rangeWalk is what the walk of one range of a DEX file found, in walk
// order.
type rangeWalk struct {
	methods blocks[walked] // in walk order
	// callers, readers and loaders are (method_id, field_id or string_id
	// << 32 | method) pairs.
	callers, readers, loaders blocks[uint64]
	statics                   [][2]uint32 // see Uses.statics
	sites                     []stringSite
	// fieldURIs: a content URI is often parsed once into a static field
	// (in <clinit>) and queried elsewhere; this follows that one step.
	fieldURIs map[uint32][]decided
	fields    []uint32 // fieldURIs' keys in the order first set
	calls     []Call
	pending   []pendingCall
	byArg     []Call
	refs      *nsRefs
	err       error
}

// blocks is an append-only list kept in blocks, so that growing it copies
// nothing: a walk records an entry per method, invoke, field read and
// string load, and a slice grown one append at a time allocates several
// times its final size.
type blocks[T any] [][]T

func (b *blocks[T]) add(v T) {
	n := len(*b)
	if n == 0 || len((*b)[n-1]) == cap((*b)[n-1]) {
		*b = append(*b, make([]T, 0, 1024<<min(n, 6)))
		n++
	}
	(*b)[n-1] = append((*b)[n-1], v)
}

// pair is an (id << 32 | method) pair: the id of what method uses.
func pair(id, method uint32) uint64 { return uint64(id)<<32 | uint64(method) }

type walked struct {
	idx, code uint32
	static    bool
}

type stringSite struct {
	s    uint32
	site Site
}

type pendingCall struct {
	call Call
	gets []uint32
}

func (p *dexPrep) walk(ctx context.Context, r dex.Range) *rangeWalk {
	f, d, dr := p.f, p.d, p.dr
	w := &rangeWalk{fieldURIs: map[uint32][]decided{}, refs: newNSRefs(f)}
	nsites := map[uint32]int{}
	w.err = f.WalkRange(ctx, r, func(m *dex.Method) error {
		w.refs.method(f, m)
		// Every walked method has code, at a 32-bit offset.
		w.methods.add(walked{m.MethodIdx, uint32(m.CodeOffset), m.AccessFlags&dex.AccStatic != 0})
		for _, r := range m.InstanceGets {
			w.readers.add(pair(r.Index, m.MethodIdx))
		}
		for _, r := range m.StaticGets {
			w.readers.add(pair(r.Index, m.MethodIdx))
		}
		for _, s := range m.Strings {
			w.loaders.add(pair(s.Index, m.MethodIdx))
			if s.Index < uint32(len(p.urlish)) && p.urlish[s.Index] && nsites[s.Index] < maxStringSites {
				nsites[s.Index]++
				w.sites = append(w.sites, stringSite{s.Index, Site{Dex: d, Method: m.MethodIdx, PC: s.PC}})
			}
		}
		if len(m.StaticPuts) > 0 && len(m.Strings) > 0 {
			if ref, err := f.Method(m.MethodIdx); err == nil && ref.Name == "<clinit>" {
				w.statics = clinitStrings(m.Code.Insns, w.statics)
			}
			if uris := decide(f, m, knowledge.DecidedByContentURI, dexRules{}); len(uris) > 0 {
				for _, put := range m.StaticPuts {
					if _, ok := w.fieldURIs[put.Index]; !ok {
						w.fields = append(w.fields, put.Index)
					}
					w.fieldURIs[put.Index] = append(w.fieldURIs[put.Index], uris...)
				}
			}
		}
		for _, ref := range m.Invokes {
			if ref.Kind != dex.RefMethod {
				continue
			}
			w.callers.add(pair(ref.Index, m.MethodIdx))
			for i := range dr.methods[ref.Index] {
				r := &dr.methods[ref.Index][i]
				site := Site{Dex: d, Method: m.MethodIdx, PC: ref.PC}
				if r.DecidedBy == "" {
					w.calls = append(w.calls, Call{Rule: r, Category: r.Category, Target: ref.Index, Site: site})
					continue
				}
				if r.Arg >= 0 {
					// Decided by what is passed: after the walk, when the
					// method's registers (and its callers) can be read.
					w.byArg = append(w.byArg, Call{Rule: r, Target: ref.Index, Site: site})
					continue
				}
				for _, arg := range decide(f, m, r.DecidedBy, dr) {
					w.calls = append(w.calls, Call{Rule: r, Category: arg.category, Arg: arg.value, Weak: arg.weak, WeakWhy: arg.why, Target: ref.Index, Site: site})
				}
				if r.DecidedBy == knowledge.DecidedByContentURI && len(m.StaticGets) > 0 {
					gets := make([]uint32, len(m.StaticGets))
					for j, g := range m.StaticGets {
						gets[j] = g.Index
					}
					w.pending = append(w.pending, pendingCall{Call{Rule: r, Target: ref.Index, Site: site}, gets})
				}
			}
		}
		for _, ref := range m.StaticGets {
			for i := range dr.fields[ref.Index] {
				r := &dr.fields[ref.Index][i]
				w.calls = append(w.calls, Call{Rule: r, Category: r.Category, Target: ref.Index, Field: true,
					Site: Site{Dex: d, Method: m.MethodIdx, PC: ref.PC}})
			}
		}
		return nil
	})
	return w
}

// merged is one DEX file's walk, its ranges put back together.
type merged struct {
	users   []uint32
	calls   []Call
	codeOff []uint32
	byArg   []Call
	sites   map[uint32][]Site
	refs    []*nsRefs
	uses    *Uses
	err     error
}

// merge puts the ranges' walks of the file back together, in order: what
// one walk of the whole file would have found. The error is the first
// range's that has one.
func (p *dexPrep) merge(ws []*rangeWalk) merged {
	f := p.f
	out := merged{
		users:   make([]uint32, f.Header.StringIDsSize),
		codeOff: make([]uint32, f.Header.MethodIDsSize),
		sites:   map[uint32][]Site{},
		uses:    &Uses{Static: make([]bool, f.Header.MethodIDsSize), file: f},
	}
	fieldURIs := map[uint32][]decided{}
	var pending []pendingCall
	var callers, readers, loaders [][]uint64
	n := 0
	for _, w := range ws {
		for _, ms := range w.methods {
			n += len(ms)
		}
	}
	out.uses.Order = make([]uint32, 0, n)
	for _, w := range ws {
		for _, ms := range w.methods {
			for _, m := range ms {
				if m.idx < uint32(len(out.codeOff)) && out.codeOff[m.idx] == 0 {
					out.codeOff[m.idx] = m.code
					out.uses.Static[m.idx] = m.static
				}
				out.uses.Order = append(out.uses.Order, m.idx)
			}
		}
		for _, s := range w.sites {
			if len(out.sites[s.s]) < maxStringSites {
				out.sites[s.s] = append(out.sites[s.s], s.site)
			}
		}
		for _, k := range w.fields {
			fieldURIs[k] = append(fieldURIs[k], w.fieldURIs[k]...)
		}
		callers = append(callers, w.callers...)
		readers = append(readers, w.readers...)
		loaders = append(loaders, w.loaders...)
		out.uses.statics = append(out.uses.statics, w.statics...)
		out.calls = append(out.calls, w.calls...)
		pending = append(pending, w.pending...)
		out.byArg = append(out.byArg, w.byArg...)
		out.refs = append(out.refs, w.refs)
		if out.err == nil {
			out.err = w.err
		}
	}
	out.uses.Code = out.codeOff
	out.uses.Callers = buildUseIndex(callers, f.Header.MethodIDsSize)
	out.uses.Readers = buildUseIndex(readers, f.Header.FieldIDsSize)
	out.uses.loaders = buildUseIndex(loaders, f.Header.StringIDsSize)
	// A string's first user is its first loader.
	for s := range out.users {
		if l := out.uses.loaders.Get(uint32(s)); len(l) > 0 {
			out.users[s] = l[0] + 1
		}
	}
	for _, pc := range pending {
		for _, g := range pc.gets {
			for _, u := range fieldURIs[g] {
				c := pc.call
				c.Category = u.category
				c.Arg = u.value
				c.Weak, c.WeakWhy = u.weak, u.why
				if fr, err := f.Field(g); err == nil {
					c.Arg += " (through " + fr.Class + "->" + fr.Name + ")"
				}
				out.calls = append(out.calls, c)
			}
		}
	}
	return out
}

// OwnUser returns the first method of the app's own code (no SDK's or
// library's) in DEX d that loads string s, when the first method that
// loads it (StringUser) is third-party code: a string an SDK and the app
// both use is the app's too. It reads the loaders the walk recorded.
func (ix *IndexResult) OwnUser(ctx context.Context, d int, s uint32) (uint32, bool) {
	if d < 0 || d >= len(ix.uses) || d >= len(ix.StringUser) || ix.uses[d] == nil {
		return 0, false
	}
	first := ix.StringUser[d]
	if s >= uint32(len(first)) || first[s] == 0 || ix.SDK(Site{Dex: d, Method: first[s] - 1}) == "" {
		return 0, false // no user, or the first is the app's already
	}
	for _, m := range ix.uses[d].loaders.Get(s) {
		if m != first[s]-1 && ix.SDK(Site{Dex: d, Method: m}) == "" {
			return m, true
		}
	}
	return 0, false
}

// maxStringSites bounds the sites kept per URL string.
const maxStringSites = 64

// URLSites returns the sites that load string s of DEX d when the string
// names a URL scheme ("://"), in walk order; nil for other strings.
func (ix *IndexResult) URLSites(d int, s uint32) []Site {
	if d < 0 || d >= len(ix.urlSites) {
		return nil
	}
	return ix.urlSites[d][s]
}

// maxFrames bounds the method analyses kept for reuse.
const maxFrames = 8192

// Frame returns the register analysis of method m of DEX d (see
// AnalyzeMethod), or nil when the method has no code there or is not
// analysed. Results are cached.
func (ix *IndexResult) Frame(d int, m uint32) *Frame {
	if d < 0 || d >= len(ix.codeOff) || m >= uint32(len(ix.codeOff[d])) || ix.codeOff[d][m] == 0 {
		return nil
	}
	// Made once, by whoever asks first: the calls decided by their
	// arguments are decided on every worker and often ask for one frame.
	k := [2]uint32{uint32(d), m}
	ix.mu.Lock()
	e := ix.frames[k]
	if e == nil {
		e = &onceFrame{}
		if len(ix.frames) < maxFrames {
			ix.frames[k] = e
		}
	}
	ix.mu.Unlock()
	e.once.Do(func() {
		f := ix.Dex[d].File
		if c, err := f.Code(ix.codeOff[d][m]); err == nil {
			e.fr = AnalyzeMethod(f, m, &c)
		}
	})
	return e.fr
}

// onceFrame is a frame made once.
type onceFrame struct {
	once sync.Once
	fr   *Frame
}

// SiteFrame is the frame of a site's method.
func (ix *IndexResult) SiteFrame(s Site) *Frame { return ix.Frame(s.Dex, s.Method) }

// maxCallerSites bounds the sites Callers returns for one method.
const maxCallerSites = 1 << 16

// Callers returns the sites in DEX d that invoke method m of that DEX
// (which must have code there: calls into the framework are not indexed),
// in walk order. It decodes the callers the walk recorded (Uses.Callers)
// for the invokes of m; the answer is kept. The decoding of one DEX file's
// callers is bounded, as a walk is, by eight code units per byte of the
// file: past that, Callers finds no more.
func (ix *IndexResult) Callers(ctx context.Context, d int, m uint32) []Site {
	if d < 0 || d >= len(ix.callers) || d >= len(ix.uses) || ix.uses[d] == nil {
		return nil
	}
	own := ix.codeOff[d]
	if m >= uint32(len(own)) || own[m] == 0 {
		return nil
	}
	ci := &ix.callers[d]
	ci.mu.Lock()
	if ci.sites == nil {
		ci.sites = map[uint32]*onceSites{}
	}
	e := ci.sites[m]
	if e == nil {
		e = &onceSites{}
		ci.sites[m] = e
	}
	ci.mu.Unlock()
	e.once.Do(func() { e.sites = ix.findCallers(ctx, ci, d, m) })
	return e.sites
}

// findCallers decodes the callers the walk recorded for method m of DEX d
// and returns the sites that invoke it, within ci's work bound.
func (ix *IndexResult) findCallers(ctx context.Context, ci *callerIndex, d int, m uint32) []Site {
	own := ix.codeOff[d]
	f := ix.Dex[d].File
	var sites []Site
	for _, c := range ix.uses[d].Callers.Get(m) {
		if ctx.Err() != nil || len(sites) >= maxCallerSites || c >= uint32(len(own)) || own[c] == 0 {
			break
		}
		code, err := f.Refs(own[c])
		if err != nil {
			continue
		}
		ci.mu.Lock()
		ci.work += int64(code.Code.InsnsSize)
		over := ci.work > 8*int64(len(f.Data()))+4096
		ci.mu.Unlock()
		if over {
			break
		}
		for _, r := range code.Invokes {
			if r.Kind == dex.RefMethod && r.Index == m {
				sites = append(sites, Site{Dex: d, Method: c, PC: r.PC})
			}
		}
	}
	return sites
}

type decided struct {
	category knowledge.Category
	value    string
	weak     bool   // the rule that decided it is weak
	why      string // why, when weak
}

// weakArg is the reason given for a call decided by an argument whose rule
// is weak.
func weakArg(value, title, note string) string {
	why := value + " (" + title + ") alone proves little"
	if note != "" {
		why += ": " + note
	}
	return why
}

// decide finds, among the strings and static fields the calling method
// loads, the arguments that decide the category of a call such as
// ContentResolver.query: the content URIs (a literal, or a field such as
// ContactsContract.Contacts.CONTENT_URI), or the string keys
// (Settings.Secure "android_id").
func decide(f *dex.File, m *dex.Method, by string, dr dexRules) []decided {
	var out []decided
	seen := map[string]bool{}
	if by == knowledge.DecidedByContentURI {
		for _, ref := range m.StaticGets {
			for _, r := range dr.fields[ref.Index] {
				if r.Category == "" {
					continue
				}
				name := "?"
				if fr, err := f.Field(ref.Index); err == nil {
					name = fr.Class + "->" + fr.Name
				}
				if !seen[name] {
					seen[name] = true
					d := decided{category: r.Category, value: name}
					if r.Confidence == knowledge.Weak {
						d.weak, d.why = true, weakArg(name, r.Title, r.Note)
					}
					out = append(out, d)
				}
			}
		}
	}
	for _, s := range m.Strings {
		// Only a content URI decides such a call: most of a class
		// initialiser's strings are passed over without being decoded.
		if by == knowledge.DecidedByContentURI {
			if b, err := f.StringBytes(s.Index); err != nil || !bytes.HasPrefix(b, contentScheme) {
				continue
			}
		}
		v, err := f.String(s.Index)
		if err != nil || seen[v] {
			continue
		}
		seen[v] = true
		out = decideString(out, by, v)
	}
	if by == knowledge.DecidedByCommand && len(m.Strings) > 1 && len(m.Strings) <= maxJoined {
		words := make([]string, 0, len(m.Strings))
		for _, s := range m.Strings {
			if v, err := f.String(s.Index); err == nil && len(v) < 64 {
				words = append(words, v)
			}
		}
		out = appendJoined(out, words)
	}
	return out
}

var contentScheme = []byte(knowledge.ContentScheme)

// decideString appends what one string decides for a call decided by a
// content URI, a string key or a command. It is the one judgement of a
// string, whether the string is passed to the call (decideStrings) or
// only loaded by its method (decide).
func decideString(out []decided, by, v string) []decided {
	switch by {
	case knowledge.DecidedByContentURI:
		if r, ok := knowledge.MatchContentURI(v); ok && r.Category != "" {
			d := decided{category: r.Category, value: v}
			if r.Confidence == knowledge.Weak {
				d.weak, d.why = true, weakArg(v, r.Title, r.Note)
			}
			out = append(out, d)
		}
	case knowledge.DecidedByString:
		for _, r := range knowledge.MatchString(v) {
			if r.Category != "" {
				d := decided{category: r.Category, value: v}
				if r.Confidence == knowledge.Weak {
					d.weak, d.why = true, weakArg(v, r.Title, r.Note)
				}
				out = append(out, d)
			}
		}
	case knowledge.DecidedByCommand:
		out = appendCommand(out, v)
	}
	return out
}

// maxJoined bounds the strings of one method joined into a command line.
const maxJoined = 64

func appendCommand(out []decided, v string) []decided {
	for _, r := range knowledge.MatchCommand(v) {
		// A string weak on its own ("su") is telling as a command.
		if r.Category != "" && !slices.ContainsFunc(out, func(o decided) bool { return o.category == r.Category }) {
			out = append(out, decided{category: r.Category, value: v})
		}
	}
	return out
}

// appendJoined appends what the words decide as one command line, for a
// command built from separate words ("pm", "install", "-r"), leaving the
// categories a single word has already decided.
func appendJoined(out []decided, words []string) []decided {
	for _, d := range appendCommand(nil, strings.Join(words, " ")) {
		if !slices.ContainsFunc(out, func(o decided) bool { return o.category == d.category }) {
			out = append(out, d)
		}
	}
	return out
}

// MethodName names a method of one DEX file in smali notation.
func (ix *IndexResult) MethodName(d int, idx uint32) string {
	if d < 0 || d >= len(ix.Dex) {
		return "?"
	}
	ref, err := ix.Dex[d].File.Method(idx)
	if err != nil {
		return "?"
	}
	return ref.String()
}

// Class is the descriptor of the class that declares a site's method.
func (ix *IndexResult) Class(s Site) string {
	if s.Dex < 0 || s.Dex >= len(ix.Dex) {
		return ""
	}
	id, err := ix.Dex[s.Dex].File.MethodID(s.Method)
	if err != nil {
		return ""
	}
	c, _ := ix.Dex[s.Dex].File.TypeName(uint32(id.ClassIdx))
	return c
}

// Location names a site the way evidence does:
// "classes2.dex Lcom/example/Upload;->send(Ljava/lang/String;)V".
func (ix *IndexResult) Location(s Site) string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if l, ok := ix.names[s]; ok {
		return l
	}
	l := scan.DexMethod(ix.Dex[s.Dex].Location, ix.MethodName(s.Dex, s.Method), "").Location
	ix.names[s] = l
	return l
}

// Evidence is a site's method as evidence, with what happens there.
func (ix *IndexResult) Evidence(s Site, detail string) scan.Evidence {
	return scan.DexMethod(ix.Dex[s.Dex].Location, ix.MethodName(s.Dex, s.Method), detail)
}

// Target names what a call invokes or reads, in smali notation.
func (ix *IndexResult) Target(c Call) string {
	f := ix.Dex[c.Site.Dex].File
	if c.Field {
		ref, err := f.Field(c.Target)
		if err != nil {
			return "?"
		}
		return ref.String()
	}
	ref, err := f.Method(c.Target)
	if err != nil {
		return "?"
	}
	return ref.String()
}

// SDK names the third-party SDK whose code a site lies in, or "" for the
// app's own code.
func (ix *IndexResult) SDK(s Site) string {
	return ix.attr.SDK(ix.Class(s))
}

// sortCalls orders calls by DEX, method and pc, for stable evidence.
func sortCalls(cs []Call) {
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i].Site, cs[j].Site
		if a.Dex != b.Dex {
			return a.Dex < b.Dex
		}
		if a.Method != b.Method {
			return a.Method < b.Method
		}
		return a.PC < b.PC
	})
}
