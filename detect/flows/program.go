package flows

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"appxray/app"
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

// dexIndex is what the walk over every method of one DEX file records.
type dexIndex struct {
	file *dex.File
	loc  string
	// code[i] is the code_item offset of method i, 0 when it has none.
	code []uint32
	// static[i] reports whether method i is static (from its access flags).
	static []bool
	// callers maps a method_id to the methods that invoke it; readers a
	// field_id to the methods that read it (iget, sget).
	callers, readers useIndex
	// readsView lists the methods that call a view read (getText…) or
	// findViewById: roots of the analysis for form fields.
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
	byName   map[string]mref
	resolved map[mref][]mref
	subtypes map[string][]string
	children map[string][]string
	// staticStrings holds the string a static field is set to in <clinit>.
	staticStrings map[string]string
}

// buildProgram walks every method of every DEX file once.
func buildProgram(ctx context.Context, files []*app.DexFile, h *hierarchy.Result, ft *knowledge.FlowTables) (*program, []error) {
	p := &program{h: h, ft: ft, meths: map[mref]*method{}, byName: map[string]mref{}, resolved: map[mref][]mref{}, subtypes: map[string][]string{}, staticStrings: map[string]string{}}
	p.dex = make([]*dexIndex, len(files))
	errs := make([]error, len(files))
	workers := max(1, runtime.GOMAXPROCS(0))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	statics := make([]map[string]string, len(files))
	for d, df := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			p.dex[d], statics[d], errs[d] = indexDex(ctx, df, ft, workers)
		}()
	}
	wg.Wait()
	for _, s := range statics {
		for k, v := range s {
			if _, ok := p.staticStrings[k]; !ok {
				p.staticStrings[k] = v
			}
		}
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
	return p, errs
}

func indexDex(ctx context.Context, df *app.DexFile, ft *knowledge.FlowTables, workers int) (*dexIndex, map[string]string, error) {
	f := df.File
	x := &dexIndex{file: f, loc: df.Location, code: make([]uint32, f.Header.MethodIDsSize), static: make([]bool, f.Header.MethodIDsSize), viewCalls: map[uint32]bool{}}
	// Which method_ids read a view or find one: by class and name.
	interesting := make([]bool, f.Header.MethodIDsSize)
	for i := uint32(0); i < f.Header.MethodIDsSize; i++ {
		id, err := f.MethodID(i)
		if err != nil {
			break
		}
		name, err := f.StringBytes(id.NameIdx)
		if err != nil {
			continue
		}
		if ft.View(string(name)) != nil {
			interesting[i] = true
			x.viewCalls[i] = true
			continue
		}
		if !ft.ReadsByName(string(name)) {
			continue // getText, getSelectedItem…, isChecked
		}
		cls, err := f.TypeDescriptorBytes(uint32(id.ClassIdx))
		if err == nil && ft.Read(string(cls), string(name)) != nil {
			interesting[i] = true
		}
	}
	// The ranges are walked in parallel and put back together in order:
	// what one walk would have found.
	type codeOf struct {
		idx, off uint32
		static   bool
	}
	type part struct {
		code             []codeOf
		callers, readers []uint64
		readsView        []uint32
		statics          map[string]string
	}
	parts := make([]part, len(f.Ranges()))
	err := f.EachRange(ctx, workers, func(i int, r dex.Range) error {
		p := &parts[i]
		p.statics = map[string]string{}
		return f.WalkRange(ctx, r, func(m *dex.Method) error {
			if m.MethodIdx < uint32(len(x.code)) {
				p.code = append(p.code, codeOf{m.MethodIdx, uint32(m.CodeOffset), m.AccessFlags&0x8 != 0})
			}
			view := false
			for _, r := range m.Invokes {
				if r.Kind != dex.RefMethod {
					continue
				}
				p.callers = append(p.callers, uint64(r.Index)<<32|uint64(m.MethodIdx))
				if r.Index < uint32(len(interesting)) && interesting[r.Index] {
					view = true
				}
			}
			if view {
				p.readsView = append(p.readsView, m.MethodIdx)
			}
			for _, r := range m.InstanceGets {
				p.readers = append(p.readers, uint64(r.Index)<<32|uint64(m.MethodIdx))
			}
			for _, r := range m.StaticGets {
				p.readers = append(p.readers, uint64(r.Index)<<32|uint64(m.MethodIdx))
			}
			if len(m.StaticPuts) > 0 && len(m.Strings) > 0 {
				if ref, err := f.Method(m.MethodIdx); err == nil && ref.Name == "<clinit>" {
					clinitStrings(f, m.Code.Insns, p.statics)
				}
			}
			return nil
		})
	})
	statics := map[string]string{}
	var callers, readers []uint64
	for _, p := range parts {
		for _, c := range p.code {
			x.code[c.idx], x.static[c.idx] = c.off, c.static
		}
		callers = append(callers, p.callers...)
		readers = append(readers, p.readers...)
		x.readsView = append(x.readsView, p.readsView...)
		for k, v := range p.statics {
			statics[k] = v
		}
	}
	x.callers = buildUseIndex(callers, f.Header.MethodIDsSize)
	x.readers = buildUseIndex(readers, f.Header.FieldIDsSize)
	return x, statics, err
}

// clinitStrings records the static fields a class initialiser sets to a
// string constant (const-string vA then sput-object vA).
func clinitStrings(f *dex.File, insns []byte, out map[string]string) {
	regs := map[uint32]string{}
	n := uint32(len(insns) / 2)
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			return
		}
		switch {
		case in.Op == 0x1a || in.Op == 0x1b:
			if s, err := f.String(in.Index); err == nil {
				regs[in.A] = s
			}
		case in.Op == 0x69:
			if s, ok := regs[in.A]; ok {
				if fr, err := f.Field(in.Index); err == nil {
					out[fr.String()] = s
				}
			}
		case in.Format == dex.Fmt10x || in.Format == dex.FmtPayload:
		default:
			delete(regs, in.A)
		}
		pc += in.Size
	}
}

// useIndex maps a key (a method_id or field_id of one DEX file) to the
// methods that use it, each once: a counting sort of (key, method) pairs,
// linear in their number.
type useIndex struct {
	start []uint32 // the uses of key k are vals[start[k]:start[k+1]]
	vals  []uint32
}

// buildUseIndex indexes pairs (key << 32 | method) with keys below n.
// Pairs of one method come together (the walk's order), so a method that
// uses a key twice is kept once.
func buildUseIndex(pairs []uint64, n uint32) useIndex {
	x := useIndex{start: make([]uint32, n+1)}
	for _, p := range pairs {
		if k := uint32(p >> 32); k < n {
			x.start[k+1]++
		}
	}
	for k := uint32(0); k < n; k++ {
		x.start[k+1] += x.start[k]
	}
	x.vals = make([]uint32, x.start[n])
	fill := make([]uint32, n)
	for _, p := range pairs {
		k, m := uint32(p>>32), uint32(p)
		if k >= n {
			continue
		}
		at := x.start[k] + fill[k]
		if fill[k] > 0 && x.vals[at-1] == m {
			continue
		}
		x.vals[at] = m
		fill[k]++
	}
	// Close the gaps the duplicates left.
	out := uint32(0)
	for k := uint32(0); k < n; k++ {
		s := x.start[k]
		x.start[k] = out
		copy(x.vals[out:], x.vals[s:s+fill[k]])
		out += fill[k]
	}
	x.start[n] = out
	x.vals = x.vals[:out]
	return x
}

// get returns the methods that use key k.
func (x useIndex) get(k uint32) []uint32 {
	if int(k)+1 >= len(x.start) {
		return nil
	}
	return x.vals[x.start[k]:x.start[k+1]]
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
	if r.idx < uint32(len(x.code)) && x.code[r.idx] != 0 {
		ref, err := x.file.Method(r.idx)
		if err == nil {
			code, err := x.file.Code(x.code[r.idx])
			if err == nil {
				m = &method{ref: r, class: ref.Class, name: ref.Name, proto: ref.Proto, static: x.static[r.idx], code: code}
				m.ins = int(code.InsSize)
			}
		}
	}
	p.mu.Lock()
	p.meths[r] = m
	p.mu.Unlock()
	return m
}

// find returns the app method class->name proto with code, if the app
// defines it.
func (p *program) find(class, name, proto string) (mref, bool) {
	key := class + "->" + name + proto
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
			if ref, err := x.file.Method(i); err == nil && ref.Proto == proto && x.code[i] != 0 {
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
				for _, c := range x.callers.get(idx) {
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
			for _, r := range x.readers.get(idx) {
				out = append(out, mref{d, r})
			}
		}
	}
	return out
}
