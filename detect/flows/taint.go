package flows

import (
	"fmt"
	"math/bits"
	"strings"

	"appxray/dex"
	"appxray/knowledge"
)

// mediumBit marks a value that passed through a collection: a flow that
// carries it is connected, not traced value by value.
const mediumBit = uint64(1) << 63

// maxLabels is how many distinct values one method's analysis tells apart.
const maxLabels = 62

// source is where a value comes from.
type source struct {
	category knowledge.Category
	api      string // the API called, smali notation
	title    string // the rule's title, or the field's label
	field    string // form field id
	layout   string
}

func (s *source) key() string { return string(s.category) + "\x00" + s.api + "\x00" + s.field }

// step is one place a value passes.
type step struct {
	m    mref
	pc   uint32
	what string
}

// label is a value one analysis tracks: a parameter of the method, or a
// value from a source with the steps it took to get here.
type label struct {
	param  int // the argument slot, or -1 for a source
	src    *source
	steps  []step
	medium bool
	via    string // "field Lc;->f:T", "collection"
}

// sink is where a value goes.
type sink struct {
	kind  knowledge.SinkKind
	api   string
	dest  string
	title string
	sdk   string
}

func (s *sink) key() string { return string(s.kind) + "\x00" + s.dest + "\x00" + s.sdk }

type hit struct {
	sink   *sink
	steps  []step
	medium bool
	via    string
}

// summary is what a method does with its arguments and what it returns.
type summary struct {
	retParams   uint64 // argument slots whose value may be returned
	retLabels   []*label
	retDesc     desc
	paramHits   map[int][]hit
	paramFields map[int][]string
}

// desc kinds: what a register is known to hold besides taint.
const (
	dNone    uint8 = iota
	dStr           // a string built from constants ("…" for unknown parts)
	dInt           // an int constant
	dView          // a view, by its id name
	dResName       // an id looked up by name (getIdentifier)
	dDest          // something opened on a destination (URL, connection, stream, file)
	dObj           // an object of a known class (new-instance, this)
	dClass         // a const-class
	dIntent        // an intent: explicit (str is the class) or implicit (str is the action)
)

type desc struct {
	kind  uint8
	dkind string // network or file, for dDest; "explicit"/"action" for dIntent
	str   string
	n     int64
}

type state struct {
	t []uint64
	d []desc
}

func (s *state) copyFrom(o *state) {
	copy(s.t, o.t)
	copy(s.d, o.d)
}

// join merges o into s and reports whether s changed.
func (s *state) join(o *state) bool {
	changed := false
	for i := range s.t {
		if n := s.t[i] | o.t[i]; n != s.t[i] {
			s.t[i], changed = n, true
		}
		if s.d[i] != o.d[i] && s.d[i].kind != dNone {
			s.d[i], changed = desc{}, true
		}
	}
	return changed
}

// frame is the analysis of one method.
type frame struct {
	a      *analyzer
	m      *method
	depth  int
	labels []*label
	sum    *summary
	insns  []dex.Insn
	at     map[uint32]int // pc -> index into insns
	lastT  uint64
	lastD  desc
	work   int
	cut    bool
}

func (fr *frame) newLabel(l *label) uint64 {
	for i, o := range fr.labels {
		if o == l {
			return 1 << i
		}
	}
	if len(fr.labels) >= maxLabels {
		fr.cut = true
		return 0
	}
	fr.labels = append(fr.labels, l)
	return 1 << (len(fr.labels) - 1)
}

func (fr *frame) here(pc uint32, what string) step { return step{fr.m.ref, pc, what} }

func extend(steps []step, more ...step) []step {
	out := make([]step, 0, len(steps)+len(more))
	out = append(out, steps...)
	return append(out, more...)
}

// analyze computes the summary of a method, recording the flows it finds.
func (a *analyzer) analyze(m *method, depth int) *summary {
	fr := &frame{a: a, m: m, depth: depth, sum: &summary{paramHits: map[int][]hit{}, paramFields: map[int][]string{}}}
	regs := int(m.code.RegistersSize)
	if regs > a.lim.MaxRegisters || m.code.InsnsSize == 0 {
		if regs > a.lim.MaxRegisters {
			a.methodsCut++
		}
		return fr.sum
	}
	// Decode once.
	insns := m.code.Insns
	n := uint32(len(insns) / 2)
	fr.at = map[uint32]int{}
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			break
		}
		if in.Format != dex.FmtPayload {
			fr.at[pc] = len(fr.insns)
			fr.insns = append(fr.insns, in)
		}
		pc += in.Size
	}
	if len(fr.insns) == 0 {
		return fr.sum
	}
	tries, _ := a.prog.dex[m.ref.dex].file.Tries(&m.code)
	// Block leaders.
	leader := make([]bool, len(fr.insns))
	leader[0] = true
	mark := func(pc int64) {
		if pc >= 0 && pc < int64(n) {
			if i, ok := fr.at[uint32(pc)]; ok {
				leader[i] = true
			}
		}
	}
	for i := range fr.insns {
		in := &fr.insns[i]
		falls, jumps := in.Branches()
		if jumps {
			mark(int64(in.PC) + int64(in.Branch))
		}
		if in.Op == 0x2b || in.Op == 0x2c {
			for _, t := range dex.SwitchTargets(insns, *in) {
				mark(int64(in.PC) + int64(t))
			}
		}
		if (!falls || jumps || in.Op == 0x2b || in.Op == 0x2c) && i+1 < len(fr.insns) {
			leader[i+1] = true
		}
	}
	for _, t := range tries {
		mark(int64(t.Start))
		mark(int64(t.End))
		for _, h := range t.Handlers {
			mark(int64(h))
		}
	}
	in0 := &state{t: make([]uint64, regs), d: make([]desc, regs)}
	// Arguments: the last ins registers.
	first := regs - int(m.code.InsSize)
	if first < 0 {
		return fr.sum
	}
	for slot := 0; slot < int(m.code.InsSize) && slot < 16; slot++ {
		in0.t[first+slot] = fr.newLabel(&label{param: slot})
	}
	if !m.static && first < regs {
		in0.d[first] = desc{kind: dObj, str: m.class}
	}
	ins := map[int]*state{0: in0}
	work := []int{0}
	queued := map[int]bool{0: true}
	cur := &state{t: make([]uint64, regs), d: make([]desc, regs)}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		queued[b] = false
		cur.copyFrom(ins[b])
		i := b
		for {
			in := &fr.insns[i]
			fr.work++
			if fr.work > a.lim.WorkPerMethod {
				fr.cut = true
				break
			}
			fr.step(in, cur, regs)
			// Values live in a try block reach its handlers.
			for _, t := range tries {
				if in.PC >= t.Start && in.PC < t.End {
					for _, h := range t.Handlers {
						if hi, ok := fr.at[h]; ok {
							if fr.flowTo(ins, hi, cur, regs) && !queued[hi] {
								queued[hi] = true
								work = append(work, hi)
							}
						}
					}
				}
			}
			falls, jumps := in.Branches()
			var succ []int
			if jumps {
				if j, ok := fr.at[uint32(int64(in.PC)+int64(in.Branch))]; ok {
					succ = append(succ, j)
				}
			}
			if in.Op == 0x2b || in.Op == 0x2c {
				for _, t := range dex.SwitchTargets(insns, *in) {
					if j, ok := fr.at[uint32(int64(in.PC)+int64(t))]; ok {
						succ = append(succ, j)
					}
				}
			}
			if falls && i+1 < len(fr.insns) {
				if leader[i+1] {
					succ = append(succ, i+1)
				} else if !jumps {
					i++
					continue
				}
			}
			for _, s := range succ {
				if fr.flowTo(ins, s, cur, regs) && !queued[s] {
					queued[s] = true
					work = append(work, s)
				}
			}
			break
		}
		if fr.cut && fr.work > a.lim.WorkPerMethod {
			break
		}
	}
	if fr.cut {
		a.methodsCut++
	}
	a.work += fr.work
	return fr.sum
}

func (fr *frame) flowTo(ins map[int]*state, to int, cur *state, regs int) bool {
	s, ok := ins[to]
	if !ok {
		s = &state{t: make([]uint64, regs), d: make([]desc, regs)}
		s.copyFrom(cur)
		ins[to] = s
		return true
	}
	return s.join(cur)
}

func reg(st *state, r uint32) (uint64, desc) {
	if int(r) >= len(st.t) {
		return 0, desc{}
	}
	return st.t[r], st.d[r]
}

func set(st *state, r uint32, t uint64, d desc) {
	if int(r) < len(st.t) {
		st.t[r], st.d[r] = t, d
	}
}

func setWide(st *state, r uint32, t uint64) {
	set(st, r, t, desc{})
	set(st, r+1, t, desc{})
}

// step applies one instruction to the state.
func (fr *frame) step(in *dex.Insn, st *state, regs int) {
	op := in.Op
	f := fr.a.prog.dex[fr.m.ref.dex].file
	switch {
	case op >= 0x01 && op <= 0x09: // move*
		t, d := reg(st, in.B)
		set(st, in.A, t, d)
		if op >= 0x04 && op <= 0x06 {
			t2, _ := reg(st, in.B+1)
			set(st, in.A+1, t2, desc{})
		}
	case op == 0x0a || op == 0x0c: // move-result, move-result-object
		set(st, in.A, fr.lastT, fr.lastD)
	case op == 0x0b: // move-result-wide
		setWide(st, in.A, fr.lastT)
	case op == 0x0d: // move-exception
		set(st, in.A, 0, desc{})
	case op >= 0x0f && op <= 0x11: // return, return-wide, return-object
		t, d := reg(st, in.A)
		fr.ret(in.PC, t, d)
	case op >= 0x12 && op <= 0x15: // const/4, /16, const, /high16
		set(st, in.A, 0, desc{kind: dInt, n: in.Literal})
	case op >= 0x16 && op <= 0x19: // const-wide*
		setWide(st, in.A, 0)
	case op == 0x1a || op == 0x1b: // const-string
		s, _ := f.String(in.Index)
		set(st, in.A, 0, desc{kind: dStr, str: s})
	case op == 0x1c: // const-class
		c, _ := f.TypeName(in.Index)
		set(st, in.A, 0, desc{kind: dClass, str: c})
	case op == 0x1f: // check-cast keeps the value
	case op == 0x20 || op == 0x21: // instance-of, array-length
		set(st, in.A, 0, desc{})
	case op == 0x22: // new-instance
		c, _ := f.TypeName(in.Index)
		set(st, in.A, 0, desc{kind: dObj, str: c})
	case op == 0x23: // new-array
		set(st, in.A, 0, desc{})
	case op == 0x24 || op == 0x25: // filled-new-array: the result holds its elements
		var t uint64
		for i := 0; i < int(in.NArgs); i++ {
			a, _ := reg(st, in.Arg(i))
			t |= a
		}
		fr.lastT, fr.lastD = t, desc{}
	case op >= 0x2d && op <= 0x31: // cmp
		set(st, in.A, 0, desc{})
	case op >= 0x44 && op <= 0x4a: // aget*
		t, _ := reg(st, in.B)
		if op == 0x45 {
			setWide(st, in.A, t)
		} else {
			set(st, in.A, t, desc{})
		}
	case op >= 0x4b && op <= 0x51: // aput*: the array holds the value
		t, _ := reg(st, in.A)
		if t != 0 {
			at, ad := reg(st, in.B)
			set(st, in.B, at|t, ad)
		}
	case op >= 0x52 && op <= 0x58: // iget*
		fr.readField(in, st, f, op == 0x53)
	case op >= 0x59 && op <= 0x5f: // iput*
		fr.writeField(in, st, f, in.A)
	case op >= 0x60 && op <= 0x66: // sget*
		fr.readField(in, st, f, op == 0x61)
	case op >= 0x67 && op <= 0x6d: // sput*
		fr.writeField(in, st, f, in.A)
	case (op >= 0x6e && op <= 0x72) || (op >= 0x74 && op <= 0x78):
		fr.lastT, fr.lastD = fr.invoke(in, st, f)
	case op == 0xfa || op == 0xfb || op == 0xfc || op == 0xfd: // polymorphic, custom: results carry the arguments
		var t uint64
		for i := 0; i < int(in.NArgs); i++ {
			a, _ := reg(st, in.Arg(i))
			t |= a
		}
		fr.lastT, fr.lastD = t, desc{}
	case op >= 0x7b && op <= 0x8f: // unary and conversions
		t, _ := reg(st, in.B)
		wide := op == 0x7d || op == 0x7e || op == 0x80 || op == 0x81 || op == 0x83 || op == 0x86 || op == 0x88 || op == 0x89 || op == 0x8b
		if wide {
			setWide(st, in.A, t)
		} else {
			set(st, in.A, t, desc{})
		}
	case op >= 0x90 && op <= 0xaf: // binary ops
		b, _ := reg(st, in.B)
		c, _ := reg(st, in.C)
		if (op >= 0x9b && op <= 0xa5) || op >= 0xab {
			setWide(st, in.A, b|c)
		} else {
			set(st, in.A, b|c, desc{})
		}
	case op >= 0xb0 && op <= 0xcf: // /2addr
		a, _ := reg(st, in.A)
		b, _ := reg(st, in.B)
		if (op >= 0xbb && op <= 0xc5) || op >= 0xcb {
			setWide(st, in.A, a|b)
		} else {
			set(st, in.A, a|b, desc{})
		}
	case op >= 0xd0 && op <= 0xe2: // /lit
		b, _ := reg(st, in.B)
		set(st, in.A, b, desc{})
	case op == 0xfe || op == 0xff:
		set(st, in.A, 0, desc{})
	}
}

func (fr *frame) ret(pc uint32, t uint64, d desc) {
	s := fr.sum
	if s.retDesc.kind == dNone {
		s.retDesc = d
	} else if s.retDesc != d {
		s.retDesc = desc{kind: 255}
	}
	for t&^mediumBit != 0 {
		i := bits.TrailingZeros64(t &^ mediumBit)
		t &^= 1 << i
		l := fr.labels[i]
		if l.param >= 0 {
			s.retParams |= 1 << l.param
			continue
		}
		if len(s.retLabels) >= fr.a.lim.PathsPerSource {
			continue
		}
		nl := &label{param: -1, src: l.src, steps: extend(l.steps, fr.here(pc, "returns it")), medium: l.medium, via: l.via}
		dup := false
		for _, o := range s.retLabels {
			if o.src == l.src {
				dup = true
				break
			}
		}
		if !dup {
			s.retLabels = append(s.retLabels, nl)
		}
	}
}

func (fr *frame) readField(in *dex.Insn, st *state, f *dex.File, wide bool) {
	fref, err := f.Field(in.Index)
	if err != nil {
		set(st, in.A, 0, desc{})
		return
	}
	key := fref.String()
	var t uint64
	var d desc
	a := fr.a
	if v, ok := a.fieldViews[key]; ok {
		d = v
	} else if v, ok := a.fieldDescs[key]; ok {
		d = v
	} else if s, ok := a.prog.staticStrings[key]; ok {
		d = desc{kind: dStr, str: s}
	}
	for _, l := range a.fieldLabels[key] {
		nl := a.readLabel(l, fr.m.ref, in.PC, key)
		t |= fr.newLabel(nl)
	}
	if wide {
		setWide(st, in.A, t)
		return
	}
	set(st, in.A, t, d)
}

// readLabel is the label a read of a tainted field gives, one per origin
// and reading place, so that re-analyses find the same one.
func (a *analyzer) readLabel(l *label, m mref, pc uint32, key string) *label {
	k := readKey{l, m, pc}
	if nl, ok := a.readLabels[k]; ok {
		return nl
	}
	nl := &label{param: -1, src: l.src, steps: extend(l.steps, step{m, pc, "reads field " + key}), medium: true, via: "field " + key}
	a.readLabels[k] = nl
	return nl
}

type readKey struct {
	l  *label
	m  mref
	pc uint32
}

func (fr *frame) writeField(in *dex.Insn, st *state, f *dex.File, r uint32) {
	fref, err := f.Field(in.Index)
	if err != nil {
		return
	}
	key := fref.String()
	t, d := reg(st, r)
	switch d.kind {
	case dView:
		fr.a.setFieldView(key, d)
	case dDest, dStr:
		if _, ok := fr.a.fieldDescs[key]; !ok {
			fr.a.fieldDescs[key] = d
		}
	}
	for t&^mediumBit != 0 {
		i := bits.TrailingZeros64(t &^ mediumBit)
		t &^= 1 << i
		l := fr.labels[i]
		if l.param >= 0 {
			if len(fr.sum.paramFields[l.param]) < 8 && !contains(fr.sum.paramFields[l.param], key) {
				fr.sum.paramFields[l.param] = append(fr.sum.paramFields[l.param], key)
			}
			continue
		}
		fr.a.taintField(key, &label{param: -1, src: l.src, steps: extend(l.steps, fr.here(in.PC, "stores it in field "+key)), medium: true, via: "field " + key}, fr.depth)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// invoke applies a call and returns what its result holds.
func (fr *frame) invoke(in *dex.Insn, st *state, f *dex.File) (uint64, desc) {
	a := fr.a
	ref, err := f.Method(in.Index)
	if err != nil {
		return 0, desc{}
	}
	n := int(in.NArgs)
	argT := func(i int) uint64 {
		if i >= n {
			return 0
		}
		t, _ := reg(st, in.Arg(i))
		return t
	}
	argD := func(i int) desc {
		if i >= n {
			return desc{}
		}
		_, d := reg(st, in.Arg(i))
		return d
	}
	pc := in.PC
	static := in.Op == 0x71 || in.Op == 0x77
	virtual := in.Op == 0x6e || in.Op == 0x72 || in.Op == 0x74 || in.Op == 0x78
	apiName := ref.String()
	var all uint64
	for i := 0; i < n; i++ {
		all |= argT(i)
	}

	// A device read the code channel found here.
	if srcs := a.sources[site{fr.m.ref, pc}]; len(srcs) > 0 {
		var t uint64
		for _, s := range srcs {
			t |= fr.newLabel(a.sourceLabel(s, fr.m.ref, pc))
		}
		return t, desc{}
	}
	classes := a.classChain(ref.Class)
	// A form field read.
	for _, c := range classes {
		if r := a.prog.ft.Read(c, ref.Name); r != nil {
			if d := argD(0); d.kind == dView {
				if src := a.fieldSource(d.str, r.Title); src != nil {
					return fr.newLabel(a.sourceLabel(src, fr.m.ref, pc)), desc{}
				}
			}
			return 0, desc{}
		}
	}
	// A view found by its id.
	if v := a.prog.ft.View(ref.Name); v != nil {
		d := argD(v.ID)
		if static {
			d = argD(v.ID - 1)
		}
		switch d.kind {
		case dInt:
			if name := a.idName(d.n); name != "" {
				return 0, desc{kind: dView, str: name}
			}
		case dResName:
			return 0, desc{kind: dView, str: d.str}
		}
		return 0, desc{}
	}
	if ref.Class == "Landroid/content/res/Resources;" && ref.Name == "getIdentifier" {
		if argD(2).kind == dStr && argD(2).str == "id" && argD(1).kind == dStr {
			return 0, desc{kind: dResName, str: argD(1).str}
		}
		return 0, desc{}
	}

	// Sinks.
	calleeSDK := a.trackerOf(ref.Class)
	callerSDK := a.trackerOf(fr.m.class)
	sunk := false
	for _, c := range classes {
		for _, r := range a.prog.ft.Sink(c, ref.Name) {
			data := r.Data
			var t uint64
			if data == nil {
				for i := 0; i < n; i++ {
					if i > 0 || static {
						t |= argT(i)
					}
				}
			} else {
				for _, p := range data {
					t |= argT(p)
				}
			}
			if t&^mediumBit == 0 {
				continue
			}
			sk := &sink{kind: r.Kind, api: apiName, title: r.Title, sdk: r.SDK}
			switch {
			case r.Kind == knowledge.SinkSDK:
				if calleeSDK != "" {
					sk.sdk = calleeSDK
				}
				sk.dest = sk.sdk
			case r.Dest == knowledge.ReceiverDest:
				d := argD(0)
				if d.kind != dDest {
					if r.Stream {
						continue // a stream opened nowhere known: no claim
					}
				} else {
					sk.dest = d.str
					if r.Stream {
						sk.kind = knowledge.SinkKind(d.dkind)
					}
				}
			case r.Dest >= 0:
				d := argD(r.Dest)
				switch d.kind {
				case dStr, dDest:
					sk.dest = d.str
				case dIntent:
					if d.dkind == "explicit" {
						continue // to the app's own component
					}
					sk.dest = d.str
				default:
					if r.Kind == knowledge.SinkIPC {
						continue // an intent whose target is unknown: no claim
					}
				}
			}
			fr.sinkHit(t, sk, fr.here(pc, "passes it to "+apiName))
			sunk = true
		}
	}
	if calleeSDK != "" && calleeSDK != callerSDK && !sunk {
		var t uint64
		for i := 0; i < n; i++ {
			t |= argT(i)
		}
		if t&^mediumBit != 0 {
			fr.sinkHit(t, &sink{kind: knowledge.SinkSDK, api: apiName, dest: calleeSDK, sdk: calleeSDK, title: "hands it to the SDK"}, fr.here(pc, "passes it to "+apiName))
		}
		return t, desc{}
	}

	// A Retrofit service: the interface's methods send their arguments to
	// the base URL.
	if d := argD(0); !static && d.kind == dDest && d.dkind == "retrofit" && !sunk {
		var t uint64
		for i := 1; i < n; i++ {
			t |= argT(i)
		}
		if t&^mediumBit != 0 {
			fr.sinkHit(t, &sink{kind: knowledge.SinkNetwork, api: apiName, dest: d.str, title: "calls a Retrofit service"}, fr.here(pc, "passes it to "+apiName))
		}
		return 0, desc{}
	}

	// Work handed to another object's method.
	for _, c := range classes {
		for _, h := range a.prog.ft.Handoff(c, ref.Name) {
			od := argD(h.Arg)
			if od.kind != dObj {
				continue
			}
			for _, t := range a.runTargets(od.str, h.Run) {
				args := []int{h.Arg}
				args = append(args, h.Pass...)
				fr.applyTo(t, in, st, args, pc)
			}
		}
	}

	// The app's own methods.
	if targets := a.prog.targets(ref.Class, ref.Name, ref.Proto, virtual); len(targets) > 0 && fr.depth < a.lim.MaxDepth {
		var t uint64
		var d desc
		for _, tg := range targets {
			args := make([]int, n)
			for i := range args {
				args[i] = i
			}
			rt, rd := fr.applyTo(tg, in, st, args, pc)
			t |= rt
			if rd.kind != dNone && rd.kind != 255 {
				d = rd
			}
		}
		return t, d
	}
	return fr.frameworkCall(ref.Class, ref.Name, ref.Proto, in, st, static, argT, argD, all)
}

// applyTo applies the summary of an app method to a call; args maps the
// callee's argument slots to the invoke's argument positions.
func (fr *frame) applyTo(tg mref, in *dex.Insn, st *state, args []int, pc uint32) (uint64, desc) {
	a := fr.a
	m := a.prog.method(tg)
	if m == nil {
		return 0, desc{}
	}
	s := a.summary(m, fr.depth+1)
	if s == nil {
		return 0, desc{}
	}
	slot := func(i int) (uint64, bool) {
		if i >= len(args) || args[i] >= int(in.NArgs) {
			return 0, false
		}
		t, _ := reg(st, in.Arg(args[i]))
		return t, true
	}
	callee := m.class + "->" + m.name + m.proto
	call := fr.here(pc, "passes it to "+callee)
	var t uint64
	for i := 0; i < 64; i++ {
		if s.retParams&(1<<i) != 0 {
			if v, ok := slot(i); ok {
				t |= v
			}
		}
	}
	for _, l := range s.retLabels {
		nl := a.importLabel(l, fr.m.ref, pc, callee)
		t |= fr.newLabel(nl)
	}
	for p, hits := range s.paramHits {
		v, ok := slot(p)
		if !ok || v&^mediumBit == 0 {
			continue
		}
		for _, h := range hits {
			fr.sinkHitVia(v, h, call)
		}
	}
	for p, fields := range s.paramFields {
		v, ok := slot(p)
		if !ok || v&^mediumBit == 0 {
			continue
		}
		for _, key := range fields {
			fr.fieldWriteVia(v, key, call)
		}
	}
	return t, s.retDesc
}

// importLabel is the caller's label for a value a callee returns.
func (a *analyzer) importLabel(l *label, m mref, pc uint32, callee string) *label {
	k := readKey{l, m, pc}
	if nl, ok := a.importLabels[k]; ok {
		return nl
	}
	nl := &label{param: -1, src: l.src, steps: extend(l.steps, step{m, pc, "gets it from " + callee}), medium: l.medium, via: l.via}
	a.importLabels[k] = nl
	return nl
}

func (fr *frame) fieldWriteVia(t uint64, key string, call step) {
	for t&^mediumBit != 0 {
		i := bits.TrailingZeros64(t &^ mediumBit)
		t &^= 1 << i
		l := fr.labels[i]
		if l.param >= 0 {
			if !contains(fr.sum.paramFields[l.param], key) && len(fr.sum.paramFields[l.param]) < 8 {
				fr.sum.paramFields[l.param] = append(fr.sum.paramFields[l.param], key)
			}
			continue
		}
		fr.a.taintField(key, &label{param: -1, src: l.src, steps: extend(l.steps, call, step{call.m, call.pc, "where it is stored in field " + key}), medium: true, via: "field " + key}, fr.depth)
	}
}

// sinkHit records that the values t reach a sink here.
func (fr *frame) sinkHit(t uint64, sk *sink, at step) {
	fr.sinkHitVia(t, hit{sink: sk, medium: t&mediumBit != 0}, at)
}

// sinkHitVia records that the values t reach a hit: directly (h.steps
// empty), or through a callee's parameter (h.steps from the callee's
// entry to its sink) by the call at.
func (fr *frame) sinkHitVia(t uint64, h hit, at step) {
	medium := h.medium || t&mediumBit != 0
	for t&^mediumBit != 0 {
		i := bits.TrailingZeros64(t &^ mediumBit)
		t &^= 1 << i
		l := fr.labels[i]
		steps := extend([]step{at}, h.steps...)
		if l.param >= 0 {
			hs := fr.sum.paramHits[l.param]
			if len(hs) < fr.a.lim.PathsPerSource {
				fr.sum.paramHits[l.param] = append(hs, hit{sink: h.sink, steps: steps, medium: medium, via: h.via})
			}
			continue
		}
		via := l.via
		if via == "" {
			via = h.via
		}
		if via == "" && medium {
			via = "collection"
		}
		fr.a.addFlow(l.src, h.sink, extend(l.steps, steps...), medium || l.medium, via)
	}
}

// frameworkCall applies a call outside the app: destinations are opened
// and built, strings concatenated, and values carried from the arguments
// to the result and into the receiver of a builder or collection.
func (fr *frame) frameworkCall(class, name, proto string, in *dex.Insn, st *state, static bool, argT func(int) uint64, argD func(int) desc, all uint64) (uint64, desc) {
	a := fr.a
	n := int(in.NArgs)
	recv := uint32(0)
	if n > 0 {
		recv = in.Arg(0)
	}
	ret := proto[strings.LastIndexByte(proto, ')')+1:]
	var resD desc
	// Destinations.
	for _, o := range a.prog.ft.Origin(class, name) {
		var d desc
		switch {
		case o.Dest == knowledge.NoArg:
			if r := argD(0); r.kind == dDest {
				d = r
			} else {
				d = desc{kind: dDest, dkind: o.Kind}
			}
		default:
			ad := argD(o.Dest)
			switch ad.kind {
			case dStr:
				d = desc{kind: dDest, dkind: o.Kind, str: ad.str}
			case dDest:
				d = ad
				if o.Kind != "inherit" {
					d.dkind = o.Kind
				}
			default:
				if o.Kind == "inherit" {
					d = desc{}
				} else {
					d = desc{kind: dDest, dkind: o.Kind}
				}
			}
		}
		if d.kind == dDest && d.dkind == "inherit" {
			d = desc{}
		}
		if name == "<init>" || o.Receiver {
			if n > 0 {
				t, _ := reg(st, recv)
				set(st, recv, t, d)
			}
		}
		if name != "<init>" {
			resD = d
		}
	}
	switch {
	case class == "Lretrofit2/Retrofit;" && name == "create":
		if r := argD(0); r.kind == dDest {
			resD = desc{kind: dDest, dkind: "retrofit", str: r.str}
		}
	case class == "Ljava/io/File;" && name == "<init>" && n >= 2:
		parts := []string{}
		for i := 1; i < n; i++ {
			d := argD(i)
			switch d.kind {
			case dStr, dDest:
				parts = append(parts, d.str)
			default:
				parts = append(parts, "…")
			}
		}
		t, _ := reg(st, recv)
		set(st, recv, t, desc{kind: dStr, str: strings.Join(parts, "/")})
	case name == "getFilesDir" || name == "getCacheDir" || name == "getExternalFilesDir" || name == "getExternalCacheDir" || name == "getExternalStorageDirectory" || name == "getDataDir" || name == "getExternalStoragePublicDirectory":
		resD = desc{kind: dStr, str: "{" + name[3:] + "}"}
	case class == "Landroid/content/Intent;":
		t, d := reg(st, recv)
		switch name {
		case "<init>", "setClass", "setClassName", "setAction", "setComponent":
			for i := 1; i < n; i++ {
				ad := argD(i)
				switch {
				case ad.kind == dClass:
					d = desc{kind: dIntent, dkind: "explicit", str: ad.str}
				case ad.kind == dStr && name == "setClassName" && i == 2:
					d = desc{kind: dIntent, dkind: "explicit", str: ad.str}
				case ad.kind == dStr && (name == "<init>" || name == "setAction") && i == 1 && d.dkind != "explicit":
					d = desc{kind: dIntent, dkind: "action", str: ad.str}
				}
			}
			set(st, recv, t, d)
		}
	}
	// Strings built from constant parts.
	if class == "Ljava/lang/StringBuilder;" || class == "Ljava/lang/StringBuffer;" {
		rt, rd := reg(st, recv)
		switch name {
		case "<init>":
			d := desc{kind: dStr}
			if n > 1 {
				if ad := argD(1); ad.kind == dStr {
					d.str = ad.str
				} else if !strings.HasPrefix(proto, "(I)") {
					d.str = "…"
				}
			}
			set(st, recv, rt|argT(1), d)
			return 0, desc{}
		case "append":
			if rd.kind == dStr {
				if ad := argD(1); ad.kind == dStr || ad.kind == dDest {
					rd.str += ad.str
				} else if !strings.HasSuffix(rd.str, "…") {
					rd.str += "…"
				}
			}
			set(st, recv, rt|argT(1), rd)
			t, d := reg(st, recv)
			return t, d
		case "toString":
			return rt, rd
		}
	}
	if class == "Ljava/lang/String;" && (name == "valueOf" || name == "concat" || name == "trim" || name == "toString") {
		if name == "concat" {
			d0, d1 := argD(0), argD(1)
			if d0.kind == dStr && d1.kind == dStr {
				resD = desc{kind: dStr, str: d0.str + d1.str}
			}
		} else if d := argD(0); d.kind == dStr {
			resD = d
		}
	}
	// Values into the receiver: builders, JSON, bundles, intents, collections.
	if !static && n > 1 {
		var other uint64
		for i := 1; i < n; i++ {
			other |= argT(i)
		}
		if other != 0 && mutates(name) {
			rt, rd := reg(st, recv)
			if a.prog.ft.Collection(class) {
				other |= mediumBit
			}
			set(st, recv, rt|other, rd)
		}
	}
	if ret == "V" || ret == "Z" {
		return 0, desc{}
	}
	t := all
	if !static && n > 0 && a.prog.ft.Collection(class) {
		if rt, _ := reg(st, recv); rt != 0 {
			t |= mediumBit
		}
	}
	if resD.kind == dNone && !static && n > 0 {
		// Builders return their receiver: keep where it leads.
		if rd := argD(0); rd.kind == dDest && len(ret) > 0 && ret[0] == 'L' {
			resD = rd
		}
	}
	return t, resD
}

// mutates tells the framework methods that store their arguments in
// their receiver.
func mutates(name string) bool {
	for _, p := range []string{"append", "put", "add", "set", "insert", "write", "offer", "push", "<init>", "print", "concat", "accumulate", "addPart", "addFormDataPart", "addHeader", "header", "post", "body", "method"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func (s *sink) String() string {
	return fmt.Sprintf("%s %s %s", s.kind, s.dest, s.api)
}
