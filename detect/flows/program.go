package flows

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"appxray/app"
	"appxray/detect/code"
	"appxray/detect/hierarchy"
	"appxray/dex"
	"appxray/knowledge"
)

// mref names one method of one DEX file (its method_ids index there).
type mref struct {
	dex int
	idx uint32
}

// method is a method of the app with code.
type method struct {
	ref    mref
	class  string
	name   string
	proto  string
	static bool
	code   dex.CodeItem
	ins    int // registers holding the arguments (this included)
}

// dexIndex is what the code index's walk of one DEX file recorded, and
// the methods that read views.
type dexIndex struct {
	file *dex.File
	loc  string
	// Uses are the code index's records: code offsets, static flags,
	// callers of each method and readers of each field.
	*code.Uses
	// readsView lists the methods that call a view read (getText…) or
	// findViewById, in walk order: roots of the analysis for form fields.
	readsView []uint32
	// idNames maps the method_ids that find views to their rules.
	viewCalls map[uint32]bool
}

// program is every DEX file of the app, indexed for the analysis.
type program struct {
	dex   []*dexIndex
	h     *hierarchy.Result
	ft    *knowledge.FlowTables
	mu    sync.Mutex
	meths map[mref]*method
	// byName finds an app method by class, name and proto.
	byName   map[[3]string]mref
	subtypes map[string][]string
	children map[string][]string
}

// buildProgram indexes every DEX file from what the code index's walk
// recorded.
func buildProgram(ix *code.IndexResult, h *hierarchy.Result, ft *knowledge.FlowTables) *program {
	files := ix.Dex
	p := &program{h: h, ft: ft, meths: map[mref]*method{}, byName: map[[3]string]mref{}, subtypes: map[string][]string{}}
	p.dex = make([]*dexIndex, len(files))
	for d, df := range files {
		u := ix.Uses(d)
		if u == nil {
			u = &code.Uses{}
		}
		p.dex[d] = indexDex(df, u, ft)
	}
	p.children = map[string][]string{}
	for _, c := range h.Classes() {
		if s := h.Super(c); s != "" {
			p.children[s] = append(p.children[s], c)
		}
		for _, i := range h.Interfaces(c) {
			p.children[i] = append(p.children[i], c)
		}
	}
	return p
}

func indexDex(df *app.DexFile, u *code.Uses, ft *knowledge.FlowTables) *dexIndex {
	f := df.File
	x := &dexIndex{file: f, loc: df.Location, Uses: u, viewCalls: map[uint32]bool{}}
	// The methods that call a method_id that reads a view or finds one (by
	// class and name), in walk order.
	calls := map[uint32]bool{}
	for i := uint32(0); i < f.Header.MethodIDsSize; i++ {
		id, err := f.MethodID(i)
		if err != nil {
			break
		}
		name, err := f.StringBytes(id.NameIdx)
		if err != nil {
			continue
		}
		interesting := false
		if ft.View(string(name)) != nil {
			interesting = true
			x.viewCalls[i] = true
		} else if ft.ReadsByName(string(name)) {
			cls, err := f.TypeDescriptorBytes(uint32(id.ClassIdx))
			interesting = err == nil && ft.Read(string(cls), string(name)) != nil
		}
		if interesting {
			for _, m := range u.Callers.Get(i) {
				calls[m] = true
			}
		}
	}
	if len(calls) > 0 {
		for _, m := range u.Order {
			if calls[m] {
				x.readsView = append(x.readsView, m)
			}
		}
	}
	return x
}

// method returns the app method with code at r, or nil.
func (p *program) method(r mref) *method {
	p.mu.Lock()
	m, ok := p.meths[r]
	p.mu.Unlock()
	if ok {
		return m
	}
	x := p.dex[r.dex]
	if r.idx < uint32(len(x.Code)) && x.Code[r.idx] != 0 {
		ref, err := x.file.Method(r.idx)
		if err == nil {
			code, err := x.file.Code(x.Code[r.idx])
			if err == nil {
				m = &method{ref: r, class: ref.Class, name: ref.Name, proto: ref.Proto, static: x.Static[r.idx], code: code}
				m.ins = int(code.InsSize)
			}
		}
	}
	p.mu.Lock()
	p.meths[r] = m
	p.mu.Unlock()
	return m
}

// staticString returns the string a class initialiser sets the static
// field key to, from the first DEX file that sets it.
func (p *program) staticString(key string) (string, bool) {
	for _, x := range p.dex {
		if s, ok := x.StaticString(key); ok {
			return s, true
		}
	}
	return "", false
}

// find returns the app method class->name proto with code, if the app
// defines it.
func (p *program) find(class, name, proto string) (mref, bool) {
	key := [3]string{class, name, proto}
	p.mu.Lock()
	r, ok := p.byName[key]
	p.mu.Unlock()
	if ok {
		return r, r.dex >= 0
	}
	r = mref{dex: -1}
	if c := p.h.Class(class); c != nil && c.Dex < len(p.dex) {
		x := p.dex[c.Dex]
		for _, i := range x.file.FindMethods(class, name) {
			if ref, err := x.file.Method(i); err == nil && ref.Proto == proto && x.Code[i] != 0 {
				r = mref{c.Dex, i}
				break
			}
		}
	}
	p.mu.Lock()
	p.byName[key] = r
	p.mu.Unlock()
	return r, r.dex >= 0
}

// allSubtypes returns the app classes below class, bounded.
func (p *program) allSubtypes(class string) []string {
	p.mu.Lock()
	s, ok := p.subtypes[class]
	p.mu.Unlock()
	if ok {
		return s
	}
	seen := map[string]bool{class: true}
	queue := []string{class}
	for len(queue) > 0 && len(s) < maxTargets*4 {
		c := queue[0]
		queue = queue[1:]
		for _, k := range p.children[c] {
			if !seen[k] {
				seen[k] = true
				s = append(s, k)
				queue = append(queue, k)
			}
		}
	}
	sort.Strings(s)
	p.mu.Lock()
	p.subtypes[class] = s
	p.mu.Unlock()
	return s
}

// targets resolves an invoke of class->name proto to the app methods it
// may run: for a direct, static or super call the one the hierarchy
// resolves; for a virtual or interface call also every override in the
// app's subtypes of class (at most maxTargets).
func (p *program) targets(class, name, proto string, virtual bool) []mref {
	var out []mref
	res := p.h.Resolve(class, name, proto)
	if res.InApp {
		if r, ok := p.find(res.Owner, name, proto); ok {
			out = append(out, r)
		}
	}
	if !virtual || name == "<init>" {
		return out
	}
	for _, sub := range p.allSubtypes(class) {
		if len(out) >= maxTargets {
			break
		}
		if p.h.Declares(sub, name, proto) {
			if r, ok := p.find(sub, name, proto); ok && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// callersOf returns the methods of every DEX file that invoke m, by its
// own name or through a supertype that declares the method (a call on an
// interface or superclass may run m).
func (p *program) callersOf(m *method) []mref {
	names := []string{m.class}
	if !m.static && m.name != "<init>" {
		names = append(names, p.h.Ancestors(m.class)...)
	}
	var out []mref
	for d, x := range p.dex {
		for _, c := range names {
			for _, idx := range x.file.FindMethods(c, m.name) {
				ref, err := x.file.Method(idx)
				if err != nil || ref.Proto != m.proto {
					continue
				}
				for _, c := range x.Callers.Get(idx) {
					out = append(out, mref{d, c})
				}
			}
		}
	}
	return out
}

// readersOf returns the methods that read a field, named "Lc;->f:T".
func (p *program) readersOf(field string) []mref {
	cls, rest, ok := strings.Cut(field, "->")
	if !ok {
		return nil
	}
	name, _, _ := strings.Cut(rest, ":")
	var out []mref
	for d, x := range p.dex {
		for _, idx := range x.file.FindFields(cls, name) {
			for _, r := range x.Readers.Get(idx) {
				out = append(out, mref{d, r})
			}
		}
	}
	return out
}
