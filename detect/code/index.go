// Package code holds the code evidence channel: one walk over the bytecode of
// every DEX file (the Index analyzer, shared by every detector that reads
// code), and the findings for framework APIs that reach people's data.
package code

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

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
	Arg    string
	Target uint32 // method or field index called or read
	Field  bool   // a static field read, not an invocation
	Site   Site
}

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
}

// ruleTable is the API table indexed by class, built once.
type ruleTable struct {
	classes map[string]bool
	// names are the method names some rule names; anyOf the classes with
	// a rule for any method.
	names map[string]bool
	anyOf map[string]bool
}

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

// inherited finds the rules of a method the app reaches through a class of
// its own (or a framework class the table does not list) that inherits it
// from a framework class the table does: getRootInActiveWindow called on
// the app's AccessibilityService subclass. A method the app's class
// overrides is the app's own code, and matches nothing.
func inherited(h *hierarchy.Result, f *dex.File, mid dex.MemberID, class string) []knowledge.APIRule {
	if h == nil || (!h.Defined(class) && !frameworkKnown(class)) {
		return nil
	}
	rt := rules()
	name, err := f.String(mid.NameIdx)
	if err != nil || name == "<init>" || name == "<clinit>" {
		return nil
	}
	anyOK := false
	if !rt.names[name] {
		for _, a := range h.Ancestors(class) {
			if rt.anyOf[a] {
				anyOK = true
				break
			}
		}
		if !anyOK {
			return nil
		}
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
		if c == class {
			continue
		}
		if r := knowledge.MatchMethod(c, name); len(r) > 0 {
			return r
		}
	}
	return nil
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

func buildDexRules(f *dex.File, h *hierarchy.Result) dexRules {
	rt := rules()
	dr := dexRules{methods: map[uint32][]knowledge.APIRule{}, fields: map[uint32][]knowledge.APIRule{}}
	interesting := make([]int8, f.Header.TypeIDsSize) // 0 unknown, 1 no, 2 yes
	classOf := func(t uint16) (string, bool) {
		if int(t) >= len(interesting) {
			return "", false
		}
		if interesting[t] == 1 {
			return "", false
		}
		b, err := f.TypeDescriptorBytes(uint32(t))
		if err != nil || !rt.classes[string(b)] {
			interesting[t] = 1
			return "", false
		}
		interesting[t] = 2
		return string(b), true
	}
	isMethods := false
	// match fills rules for every member id whose class has rules and whose
	// name the matcher accepts.
	match := func(count uint32, id func(uint32) (dex.MemberID, error), matcher func(class, name string) []knowledge.APIRule, rules map[uint32][]knowledge.APIRule) {
		for i := uint32(0); i < count; i++ {
			mid, err := id(i)
			if err != nil {
				return
			}
			cls, ok := classOf(mid.ClassIdx)
			if !ok {
				if h != nil && isMethods {
					if desc, err := f.TypeName(uint32(mid.ClassIdx)); err == nil {
						if r := inherited(h, f, mid, desc); len(r) > 0 {
							rules[i] = r
						}
					}
				}
				continue
			}
			name, err := f.String(mid.NameIdx)
			if err != nil {
				continue
			}
			if r := matcher(cls, name); len(r) > 0 {
				rules[i] = r
			}
		}
	}
	isMethods = true
	match(f.Header.MethodIDsSize, f.MethodID, knowledge.MatchMethod, dr.methods)
	isMethods = false
	match(f.Header.FieldIDsSize, f.FieldID, knowledge.MatchStaticField, dr.fields)
	return dr
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
	calls := make([][]Call, len(files))
	methods := make([]int, len(files))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	for d, df := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res.StringUser[d], calls[d], methods[d], errs[d] = walkDex(ctx, d, df.File, res.Hierarchy)
		}()
	}
	wg.Wait()
	for d, df := range files {
		if errs[d] != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// One DEX over its limit must not cost the others' findings.
			res.Cut = append(res.Cut, df.Location)
			pass.Cut(df.Location, errs[d])
		}
		res.Calls = append(res.Calls, calls[d]...)
		res.Methods += methods[d]
	}
	return res, nil
}

func walkDex(ctx context.Context, d int, f *dex.File, h *hierarchy.Result) ([]uint32, []Call, int, error) {
	dr := buildDexRules(f, h)
	users := make([]uint32, f.Header.StringIDsSize)
	var calls []Call
	// A content URI is often parsed once into a static field (in <clinit>)
	// and queried elsewhere: fieldURIs follows that one step.
	fieldURIs := map[uint32][]decided{}
	type pendingCall struct {
		call Call
		rule *knowledge.APIRule
		gets []uint32
	}
	var pending []pendingCall
	n := 0
	err := f.Walk(ctx, func(m *dex.Method) error {
		n++
		for _, s := range m.Strings {
			if s.Index < uint32(len(users)) && users[s.Index] == 0 {
				users[s.Index] = m.MethodIdx + 1
			}
		}
		if len(m.StaticPuts) > 0 && len(m.Strings) > 0 {
			if uris := decide(f, m, knowledge.DecidedByContentURI, dexRules{}); len(uris) > 0 {
				for _, put := range m.StaticPuts {
					fieldURIs[put.Index] = append(fieldURIs[put.Index], uris...)
				}
			}
		}
		for _, ref := range m.Invokes {
			if ref.Kind != dex.RefMethod {
				continue
			}
			for i := range dr.methods[ref.Index] {
				r := &dr.methods[ref.Index][i]
				site := Site{Dex: d, Method: m.MethodIdx, PC: ref.PC}
				if r.DecidedBy == "" {
					calls = append(calls, Call{Rule: r, Category: r.Category, Target: ref.Index, Site: site})
					continue
				}
				for _, arg := range decide(f, m, r.DecidedBy, dr) {
					calls = append(calls, Call{Rule: r, Category: arg.category, Arg: arg.value, Target: ref.Index, Site: site})
				}
				if r.DecidedBy == knowledge.DecidedByContentURI && len(m.StaticGets) > 0 {
					gets := make([]uint32, len(m.StaticGets))
					for j, g := range m.StaticGets {
						gets[j] = g.Index
					}
					pending = append(pending, pendingCall{Call{Rule: r, Target: ref.Index, Site: site}, r, gets})
				}
			}
		}
		for _, ref := range m.StaticGets {
			for i := range dr.fields[ref.Index] {
				r := &dr.fields[ref.Index][i]
				calls = append(calls, Call{Rule: r, Category: r.Category, Target: ref.Index, Field: true,
					Site: Site{Dex: d, Method: m.MethodIdx, PC: ref.PC}})
			}
		}
		return nil
	})
	for _, p := range pending {
		for _, g := range p.gets {
			for _, u := range fieldURIs[g] {
				c := p.call
				c.Category = u.category
				c.Arg = u.value
				if fr, err := f.Field(g); err == nil {
					c.Arg += " (through " + fr.Class + "->" + fr.Name + ")"
				}
				calls = append(calls, c)
			}
		}
	}
	return users, calls, n, err
}

type decided struct {
	category knowledge.Category
	value    string
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
					out = append(out, decided{r.Category, name})
				}
			}
		}
	}
	for _, s := range m.Strings {
		v, err := f.String(s.Index)
		if err != nil || seen[v] {
			continue
		}
		seen[v] = true
		switch by {
		case knowledge.DecidedByContentURI:
			if r, ok := knowledge.MatchContentURI(v); ok && r.Category != "" {
				out = append(out, decided{r.Category, v})
			}
		case knowledge.DecidedByString:
			for _, r := range knowledge.MatchString(v) {
				if r.Category != "" {
					out = append(out, decided{r.Category, v})
				}
			}
		case knowledge.DecidedByCommand:
			out = appendCommand(out, v)
		}
	}
	if by == knowledge.DecidedByCommand && len(m.Strings) > 1 && len(m.Strings) <= maxJoined {
		// A command built from separate words: "pm", "install", "-r".
		words := make([]string, 0, len(m.Strings))
		for _, s := range m.Strings {
			if v, err := f.String(s.Index); err == nil && len(v) < 64 {
				words = append(words, v)
			}
		}
		joined := strings.Join(words, " ")
		for _, d := range appendCommand(nil, joined) {
			if !slices.ContainsFunc(out, func(o decided) bool { return o.category == d.category }) {
				out = append(out, d)
			}
		}
	}
	return out
}

// maxJoined bounds the strings of one method joined into a command line.
const maxJoined = 64

func appendCommand(out []decided, v string) []decided {
	for _, r := range knowledge.MatchCommand(v) {
		if r.Category != "" && !slices.ContainsFunc(out, func(o decided) bool { return o.category == r.Category }) {
			out = append(out, decided{r.Category, v})
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
