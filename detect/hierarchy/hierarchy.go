// Package hierarchy builds the class hierarchy of an app over every DEX
// file, joined to the framework classes apps extend (knowledge's framework
// table), and resolves a method reference the way the runtime would: a call
// of getRootInActiveWindow on the app's own AccessibilityService subclass
// reaches AccessibilityService's method; a call of a method the app's class
// overrides reaches the app's own code.
package hierarchy

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"appxray/analysis"
	"appxray/dex"
	"appxray/knowledge"
)

// Analyzer builds the hierarchy.
var Analyzer = &analysis.Analyzer{
	Name:       "hierarchy",
	Doc:        "builds the class hierarchy over every DEX file and the framework classes apps extend, and resolves methods by override",
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// maxDepth bounds every walk up the hierarchy: a hostile file may declare
// cycles or absurdly deep chains.
const maxDepth = 64

// Class is one class the app defines.
type Class struct {
	Name       string   // descriptor, "Lcom/example/Main;"
	Super      string   // "" for none
	Interfaces []string // descriptors
	Flags      uint32   // access flags
	Dex        int      // index of the DEX file (order of app.Dex) that defines it
	Def        int      // index of its class_def_item in that file

	file    *dex.File
	dataOff uint32
	once    sync.Once
	methods []member // every declared method with code or abstract, sorted
}

// Result is the class hierarchy. It is safe for concurrent use.
type Result struct {
	classes map[string]*Class
	names   []string // sorted
}

func run(pass *analysis.Pass) (any, error) {
	files := pass.App.Dex(pass.Context)
	// Each file's class definitions are read on every worker, then added
	// in load order: the first definition of a class wins.
	defs := make([][]dex.ClassDef, len(files))
	errs := make([]error, len(files))
	pass.Parallel(len(files), func(d int) {
		if pass.Context.Err() == nil {
			defs[d], errs[d] = files[d].File.ClassDefs()
		}
	})
	if err := pass.Context.Err(); err != nil {
		return nil, err
	}
	n := 0
	for _, ds := range defs {
		n += len(ds)
	}
	r := &Result{classes: make(map[string]*Class, n)}
	for d, df := range files {
		if errs[d] != nil {
			pass.Cut(df.Location, errs[d])
		}
		r.add(d, df.File, defs[d])
	}
	r.finish()
	return r, nil
}

// New builds a hierarchy from DEX files directly, in load order (the first
// definition of a class wins, as on a device).
func New(files []*dex.File) (*Result, error) {
	r := &Result{classes: map[string]*Class{}}
	var first error
	for d, f := range files {
		defs, err := f.ClassDefs()
		if err != nil && first == nil {
			first = err
		}
		r.add(d, f, defs)
	}
	r.finish()
	return r, first
}

func (r *Result) add(d int, f *dex.File, defs []dex.ClassDef) {
	for i, c := range defs {
		if _, dup := r.classes[c.Class]; dup {
			continue
		}
		r.classes[c.Class] = &Class{
			Name: c.Class, Super: c.Superclass, Interfaces: c.Interfaces, Flags: c.AccessFlags,
			Dex: d, Def: i, file: f, dataOff: c.Item.ClassDataOff,
		}
	}
}

func (r *Result) finish() {
	r.names = make([]string, 0, len(r.classes))
	for n := range r.classes {
		r.names = append(r.names, n)
	}
	sort.Strings(r.names)
}

// Len is the number of classes the app defines.
func (r *Result) Len() int { return len(r.classes) }

// Classes returns the descriptors of the classes the app defines, sorted.
func (r *Result) Classes() []string { return slices.Clone(r.names) }

// Class returns the app's definition of a class, or nil.
func (r *Result) Class(desc string) *Class { return r.classes[desc] }

// Defined reports whether the app defines the class.
func (r *Result) Defined(desc string) bool { return r.classes[desc] != nil }

// Super returns a class's superclass: the app's declaration, else the
// framework table's, else "".
func (r *Result) Super(desc string) string {
	if c := r.classes[desc]; c != nil {
		return c.Super
	}
	if fc, ok := knowledge.Framework(desc); ok {
		return fc.Super
	}
	return ""
}

// Interfaces returns the interfaces a class declares it implements (not
// those of its superclasses).
func (r *Result) Interfaces(desc string) []string {
	if c := r.classes[desc]; c != nil {
		return c.Interfaces
	}
	if fc, ok := knowledge.Framework(desc); ok {
		return fc.Interfaces
	}
	return nil
}

// Ancestors returns every supertype of a class, nearest first: the
// superclass chain, then the interfaces of each class on it and their
// superinterfaces. The class itself is not included.
func (r *Result) Ancestors(desc string) []string {
	a := ancestors{desc: desc}
	var queue []string
	c := desc
	for depth := 0; depth < maxDepth; depth++ {
		queue = append(queue, r.Interfaces(c)...)
		s := r.Super(c)
		if s == "" || a.seen(s) {
			break
		}
		a.add(s)
		c = s
	}
	for n := 0; len(queue) > 0 && n < 16*maxDepth; n++ {
		i := queue[0]
		queue = queue[1:]
		if a.seen(i) {
			continue
		}
		a.add(i)
		queue = append(queue, r.Interfaces(i)...)
	}
	return a.out
}

// ancestors is the list Ancestors builds. What it has seen is desc and
// out: most classes have a handful of ancestors, for which a look along
// out is cheaper than making a map; past seenInline (a hostile file's
// hundreds) a set keeps the walk linear.
type ancestors struct {
	desc string
	out  []string
	set  map[string]bool
}

func (a *ancestors) seen(s string) bool {
	if a.set != nil {
		return a.set[s]
	}
	return s == a.desc || slices.Contains(a.out, s)
}

func (a *ancestors) add(s string) {
	a.out = append(a.out, s)
	switch {
	case a.set != nil:
		a.set[s] = true
	case len(a.out) > seenInline:
		a.set = make(map[string]bool, 2*len(a.out))
		a.set[a.desc] = true
		for _, o := range a.out {
			a.set[o] = true
		}
	}
}

// seenInline is how many ancestors Ancestors checks by looking along its
// list before it makes a set of them.
const seenInline = 16

// IsSubtype reports whether class is ancestor or extends or implements it,
// directly or through any chain the app and the framework table declare.
func (r *Result) IsSubtype(class, ancestor string) bool {
	if class == ancestor {
		return true
	}
	return slices.Contains(r.Ancestors(class), ancestor)
}

// Subtypes returns the app's classes that are subtypes of ancestor (not
// ancestor itself), sorted.
func (r *Result) Subtypes(ancestor string) []string {
	var out []string
	for _, n := range r.names {
		if n != ancestor && r.IsSubtype(n, ancestor) {
			out = append(out, n)
		}
	}
	return out
}

// Declares reports whether the app's class declares a method of that name
// and proto ("(Ljava/lang/String;)V").
func (r *Result) Declares(class, name, proto string) bool {
	c := r.classes[class]
	if c == nil {
		return false
	}
	c.once.Do(c.loadMethods)
	_, ok := slices.BinarySearchFunc(c.methods, member{name, proto}, member.compare)
	return ok
}

// member is a method by name and proto.
type member struct{ name, proto string }

func (a member) compare(b member) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return strings.Compare(a.proto, b.proto)
}

func (c *Class) loadMethods() {
	if c.dataOff == 0 {
		return
	}
	cd, err := c.file.ClassData(c.dataOff)
	if err != nil {
		return
	}
	// A sorted slice holds a class's methods in a third of a map's memory.
	ms := make([]member, 0, len(cd.DirectMethods)+len(cd.VirtualMethods))
	for _, list := range [][]dex.EncodedMethod{cd.DirectMethods, cd.VirtualMethods} {
		for _, m := range list {
			if ref, err := c.file.Method(m.MethodIdx); err == nil {
				ms = append(ms, member{ref.Name, ref.Proto})
			}
		}
	}
	slices.SortFunc(ms, member.compare)
	c.methods = slices.Clip(slices.Compact(ms))
}

// Resolution is where a method reference leads.
type Resolution struct {
	// Owner is the class whose method the reference reaches: an app class
	// that declares it, or the first class outside the app on the
	// superclass chain, from which the method is inherited.
	Owner string
	// InApp is true when Owner is the app's own class (its own code runs).
	InApp bool
	// Outside lists, when InApp is false, Owner and every supertype of it
	// and of the app classes passed on the way (nearest first): where a
	// framework method of that name may be declared.
	Outside []string
}

// Resolve resolves a method reference (class, name, proto) by override: up
// the superclass chain from class, the first app class declaring the
// method is its owner; if none does, the method is inherited from outside
// the app. A class the app does not define resolves to itself.
func (r *Result) Resolve(class, name, proto string) Resolution {
	seen := map[string]bool{}
	var passed []string
	c := class
	for depth := 0; depth < maxDepth && c != "" && !seen[c]; depth++ {
		seen[c] = true
		if r.classes[c] == nil {
			res := Resolution{Owner: c, Outside: []string{c}}
			have := map[string]bool{c: true}
			for _, a := range r.Ancestors(c) {
				if !have[a] {
					have[a] = true
					res.Outside = append(res.Outside, a)
				}
			}
			for _, p := range passed {
				for _, a := range r.Ancestors(p) {
					if !have[a] && r.classes[a] == nil {
						have[a] = true
						res.Outside = append(res.Outside, a)
					}
				}
			}
			return res
		}
		if r.Declares(c, name, proto) {
			return Resolution{Owner: c, InApp: true}
		}
		passed = append(passed, c)
		c = r.classes[c].Super
	}
	// A chain that ends inside the app (no superclass, or a cycle): the
	// method may come from the interfaces of the classes passed.
	res := Resolution{Owner: class, InApp: true}
	for _, p := range passed {
		for _, a := range r.Ancestors(p) {
			if r.classes[a] == nil && !slices.Contains(res.Outside, a) {
				res.Outside = append(res.Outside, a)
			}
		}
	}
	if len(res.Outside) > 0 {
		res.InApp = false
		res.Owner = res.Outside[0]
	}
	return res
}
