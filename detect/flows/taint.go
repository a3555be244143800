package flows

import (
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"appxray/dex"
	"appxray/knowledge"
)

// mediumBit marks a value that passed through a collection: a flow that
// carries it is connected, not traced value by value.
const mediumBit = uint64(1) << 63

// maxLabels is how many distinct values one method's analysis tells apart.
const maxLabels = 62

// derivedRoom is how many labels a method keeps free of the labels that
// name a field of an argument: past it, a field read from an argument is
// not followed (a miss, never a guess).
const derivedRoom = 16

// maxWrites bounds the field writes one summary records.
const maxWrites = 64

// source is where a value comes from.
type source struct {
	category knowledge.Category
	api      string // the API called, smali notation
	title    string // the rule's title, or the field's label
	field    string // form field id
	layout   string
	// handle marks a source that returns an object data is read from (a
	// cursor, a stream, a projection): the object's string form is not
	// that data.
	handle bool
}

// handleTypes are the return types of handle sources.
var handleTypes = []string{
	"Landroid/database/Cursor;", "Ljava/io/InputStream;", "Ljava/io/Reader;", "Ljava/io/FileDescriptor;",
	"Landroid/os/ParcelFileDescriptor;", "Landroid/content/res/AssetFileDescriptor;",
	"Landroid/media/projection/MediaProjection;", "Landroid/hardware/Camera;", "Landroid/media/AudioRecord;",
}

// isHandle reports whether an API (smali notation) returns a handle.
func isHandle(api string) bool {
	for _, t := range handleTypes {
		if strings.HasSuffix(api, ")"+t) {
			return true
		}
	}
	return false
}

func (s *source) key() string { return string(s.category) + "\x00" + s.api + "\x00" + s.field }

// step is one place a value passes.
type step struct {
	m    mref
	pc   uint32
	what string
}

// label is a value one analysis tracks: a parameter of the method (or a
// field of a parameter's object), or a value from a source with the steps
// it took to get here.
type label struct {
	param int // the argument slot, or -1 for a source
	// ofField, for a parameter, names the field (or container key, or
	// array index) of the argument's object the value was read from; ""
	// for the argument itself.
	ofField string
	src     *source
	steps   []step
	medium  bool
	via     string // "field Lc;->f:T", "collection"
	// inField, for a source's value held in an object, names where it
	// sits: a field ("Lc;->f:T"), a container key ("key:imei") or an array
	// index ("idx:0"), outermost first for a value in an object held in
	// another (at most maxPath places, joined by pathSep). A read of
	// another field of the same class, another key or another index does
	// not give it.
	inField string
	// handle: the value is a handle source's object itself (the cursor),
	// not data read from it.
	handle bool
}

// pathSep joins the places of a nested inField; maxPath bounds them.
const (
	pathSep = "\x1f"
	maxPath = 2
)

func head(in string) string { h, _, _ := strings.Cut(in, pathSep); return h }
func rest(in string) string { _, r, _ := strings.Cut(in, pathSep); return r }

// push is in held one place further out, at at.
func push(at, in string) string {
	if in == "" {
		return at
	}
	parts := strings.Split(at+pathSep+in, pathSep)
	if len(parts) > maxPath {
		parts = parts[:maxPath]
	}
	return strings.Join(parts, pathSep)
}

// strPart is the part of an argument that is its string form (ofField).
const strPart = "str:"

// sibling reports whether a value held at in is not what a read of at
// gives: another field of the same class, another constant key, another
// constant index.
func sibling(in, at string) bool {
	in, at = head(in), head(at)
	if in == "" || at == "" || in == at || at == strPart {
		return false
	}
	ik, _, iok := strings.Cut(in, ":")
	ak, _, aok := strings.Cut(at, ":")
	if iok && aok && (ik == "key" || ik == "idx") {
		return ik == ak
	}
	ci, _, ok1 := strings.Cut(in, "->")
	ca, _, ok2 := strings.Cut(at, "->")
	return ok1 && ok2 && ci == ca
}

// sink is where a value goes.
type sink struct {
	kind  knowledge.SinkKind
	api   string
	dest  string
	title string
	sdk   string
	// destParam is the argument slot of the method whose value names the
	// destination, -1 when the method names it (or nothing does): a
	// caller that passes a constant there names it.
	destParam int
}

func (s *sink) key() string { return string(s.kind) + "\x00" + s.dest + "\x00" + s.sdk }

type hit struct {
	sink   *sink
	steps  []step
	medium bool
	via    string
	// ofField: the argument's field (key, index) that reaches the sink,
	// "" for the whole argument.
	ofField string
}

// fieldWrite is a store a method makes into a field of an argument's
// object or a static field: of an argument's value (from >= 0, with
// ofField naming the part of that argument) or of a source's value (lab).
type fieldWrite struct {
	recv    int // the argument slot of the object written to, -1 for a static field
	key     string
	from    int
	ofField string
	lab     *label
}

// summary is what a method does with its arguments and what it returns.
type summary struct {
	retParams uint64 // argument slots whose value may be returned
	// retFields names, per returned argument slot, the fields of its object
	// returned ("" for the whole argument).
	retFields map[int][]string
	retLabels []*label
	retDesc   desc
	paramHits map[int][]hit
	writes    []fieldWrite
}

// maxParts bounds the parts of one argument a summary tells apart at one
// sink: past it, further parts are not followed (a miss, never a guess);
// maxRetParts those a method returns, past which the whole argument is.
const (
	maxParts    = 16
	maxRetParts = 4
)

// addHit records that an argument (or a part of it) reaches a sink: at
// most sinks distinct sinks per argument, the first path to each part.
func (s *summary) addHit(p int, h hit, sinks int) {
	hs := s.paramHits[p]
	if s.paramHits == nil {
		s.paramHits = map[int][]hit{}
	}
	parts, distinct := 0, map[*sink]bool{}
	for _, o := range hs {
		distinct[o.sink] = true
		if o.sink != h.sink {
			continue
		}
		if o.ofField == h.ofField || o.ofField == "" {
			return // this part (or the whole argument) is there already
		}
		parts++
	}
	if !distinct[h.sink] && len(distinct) >= sinks {
		return
	}
	if parts >= maxParts && h.ofField != "" {
		return
	}
	if h.ofField == "" {
		// The whole argument: it replaces the parts.
		h.ofField = ""
		kept := hs[:0]
		for _, o := range hs {
			if o.sink != h.sink {
				kept = append(kept, o)
			}
		}
		hs = kept
	}
	s.paramHits[p] = append(hs, h)
}

func (s *summary) addWrite(w fieldWrite) {
	for _, o := range s.writes {
		if o == w {
			return
		}
	}
	if len(s.writes) < maxWrites {
		s.writes = append(s.writes, w)
	}
}

// desc kinds: what a register is known to hold besides taint.
const (
	dNone    uint8 = iota
	dStr           // a string built from constants ("…" for unknown parts)
	dInt           // an int constant
	dView          // a view, by its id name
	dResName       // an id looked up by name (getIdentifier)
	dDest          // something opened on a destination (URL, connection, stream, file)
	dObj           // an object of a known class (n: objExact for new-instance, objOuter for an outer instance)
	dClass         // a const-class
	dIntent        // an intent: explicit (str is the class) or implicit (str is the action)
	dParam         // an argument as the method received it (n: its slot), this aside
)

// dObj variants (desc.n).
const (
	objThis  = 0 // this, or an object of the class or a subclass
	objOuter = 1 // the outer instance (this$0)
	objExact = 2 // made by new-instance: exactly this class
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

type paramField struct {
	p     int
	field string // the part of the argument read (ofField)
	held  string // where in an object the argument is held (inField)
}

// frame is the analysis of one method.
type frame struct {
	a      *analyzer
	m      *method
	depth  int
	labels []*label
	sum    *summary
	insns  []dex.Insn
	at     []int32 // at[pc] is 1 + the index into insns of the instruction at pc, or 0
	lastT  uint64
	lastD  desc
	work   int
	cut    bool
	full   bool // a block went unanalysed at Limits.MaxStateCells
	// params[slot] is the label bit of an argument as the method received
	// it; thisBit that of this (0 in a static method).
	params  []uint64
	thisBit uint64
	derived map[paramField]uint64
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

// paramParts is the label of a part (a field, key or index) of the
// argument in slot p; the whole argument's label when the method has
// used up its room for such labels.
func (fr *frame) paramPart(p int, part string, whole uint64) uint64 {
	k := paramField{p: p, field: part}
	if b, ok := fr.derived[k]; ok {
		return b
	}
	if len(fr.labels) >= maxLabels-derivedRoom {
		return 0
	}
	if fr.derived == nil {
		fr.derived = map[paramField]uint64{}
	}
	b := fr.newLabel(&label{param: p, ofField: part})
	fr.derived[k] = b
	return b
}

// isThis reports whether a register holding d holds this.
func (fr *frame) isThis(d desc) bool {
	return !fr.m.static && d.kind == dObj && d.n == objThis && d.str == fr.m.class
}

// paramHeld is the label of an argument (or a part of it, l) held at a
// place in an object (a field, key or index); l itself past the room for
// such labels.
func (fr *frame) paramHeld(l *label, at string, bit uint64) uint64 {
	if at == "" {
		// Taken out again: the argument (or its part) itself.
		if l.ofField != "" {
			return fr.paramPart(l.param, l.ofField, bit)
		}
		if l.param < len(fr.params) && fr.params[l.param] != 0 {
			return fr.params[l.param]
		}
		return bit
	}
	at = push(at, l.inField)
	k := paramField{p: l.param, field: l.ofField, held: at}
	if b, ok := fr.derived[k]; ok {
		return b
	}
	if len(fr.labels) >= maxLabels-derivedRoom {
		return bit
	}
	if fr.derived == nil {
		fr.derived = map[paramField]uint64{}
	}
	b := fr.newLabel(&label{param: l.param, ofField: l.ofField, inField: at})
	fr.derived[k] = b
	return b
}

// paramOf returns the argument slot a register holding d holds as the
// method received it (0 for this), or -1.
func (fr *frame) paramOf(d desc) int {
	switch {
	case fr.isThis(d):
		return 0
	case d.kind == dParam:
		return int(d.n)
	}
	return -1
}

func (fr *frame) here(pc uint32, what string) step { return step{fr.m.ref, pc, what} }

func extend(steps []step, more ...step) []step {
	out := make([]step, 0, len(steps)+len(more))
	out = append(out, steps...)
	return append(out, more...)
}

// eachLabel calls fn for every label bit set in t (the medium bit aside).
func eachLabel(t uint64, fn func(bit uint64, i int)) {
	t &^= mediumBit
	for t != 0 {
		i := bits.TrailingZeros64(t)
		t &^= 1 << i
		fn(1<<i, i)
	}
}

// intentSlot returns the argument slot of the first Intent a method
// declares (this counted), or -1.
func intentSlot(proto string, static bool) int {
	params, _, ok := strings.Cut(strings.TrimPrefix(proto, "("), ")")
	if !ok {
		return -1
	}
	slot := 0
	if !static {
		slot = 1
	}
	for len(params) > 0 {
		var t string
		switch params[0] {
		case 'L':
			end := strings.IndexByte(params, ';')
			if end < 0 {
				return -1
			}
			t, params = params[:end+1], params[end+1:]
		case '[':
			i := 0
			for i < len(params) && params[i] == '[' {
				i++
			}
			if i < len(params) && params[i] == 'L' {
				end := strings.IndexByte(params, ';')
				if end < 0 {
					return -1
				}
				i = end
			}
			t, params = params[:i+1], params[i+1:]
		default:
			t, params = params[:1], params[1:]
		}
		if t == "Landroid/content/Intent;" {
			return slot
		}
		slot++
		if t == "J" || t == "D" {
			slot++
		}
	}
	return -1
}

// intentKey is the pseudo-field that holds what is handed to a component
// of the app in the intent that starts it.
func intentKey(class string) string { return "intent:" + class }

func idxKey(n int64) string { return "idx:" + strconv.FormatInt(n, 10) }

// insnAt returns the index into fr.insns of the instruction at pc.
func (fr *frame) insnAt(pc int64) (int, bool) {
	if pc < 0 || pc >= int64(len(fr.at)) || fr.at[pc] == 0 {
		return 0, false
	}
	return int(fr.at[pc]) - 1, true
}

// noEffect is the summary of every method through which nothing flows:
// most methods, whose summaries are kept until the analysis ends. It is
// shared, so never written to.
var noEffect = &summary{}

// analyze computes the summary of a method, recording the flows it finds.
func (a *analyzer) analyze(m *method, depth int) *summary {
	s := a.analyzeFrame(m, depth)
	if s.retParams == 0 && len(s.retFields) == 0 && len(s.retLabels) == 0 && s.retDesc == (desc{}) && len(s.paramHits) == 0 && len(s.writes) == 0 {
		return noEffect
	}
	return s
}

// analyzeFrame computes a method's summary in a frame of its own. The
// summary's maps are made when first written.
func (a *analyzer) analyzeFrame(m *method, depth int) *summary {
	fr := &frame{a: a, m: m, depth: depth, sum: &summary{}}
	regs := int(m.code.RegistersSize)
	if regs > a.lim.MaxRegisters || m.code.InsnsSize == 0 {
		if regs > a.lim.MaxRegisters {
			a.methodsCut++
		}
		return fr.sum
	}
	mem := &a.mem
	if !a.roomFor(2 * regs) { // the entry state and the current one
		a.statesCut++
		return fr.sum
	}
	defer mem.give(mem.mark())
	// Decode once.
	insns := m.code.Insns
	n := uint32(len(insns) / 2)
	// About two code units an instruction: one growth at most, mostly none.
	fr.at = mem.at.take(int(n))
	fr.insns = mem.insns.take(int(n/2 + 1))[:0]
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			break
		}
		if in.Format != dex.FmtPayload {
			fr.at[pc] = int32(len(fr.insns) + 1)
			fr.insns = append(fr.insns, in)
		}
		pc += in.Size
	}
	if len(fr.insns) == 0 {
		return fr.sum
	}
	tries, _ := a.prog.dex[m.ref.dex].file.Tries(&m.code)
	// Block leaders.
	leader := mem.flags.take(len(fr.insns))
	leader[0] = true
	mark := func(pc int64) {
		if i, ok := fr.insnAt(pc); ok {
			leader[i] = true
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
	in0 := mem.state(regs)
	// Arguments: the last ins registers.
	first := regs - int(m.code.InsSize)
	if first < 0 {
		return fr.sum
	}
	fr.params = make([]uint64, min(int(m.code.InsSize), 16))
	for slot := range fr.params {
		b := fr.newLabel(&label{param: slot})
		fr.params[slot] = b
		in0.t[first+slot] = b
	}
	for slot := range fr.params {
		in0.d[first+slot] = desc{kind: dParam, n: int64(slot)}
	}
	if !m.static && first < regs {
		in0.d[first] = desc{kind: dObj, str: m.class, n: objThis}
		if len(fr.params) > 0 {
			fr.thisBit = fr.params[0]
		}
	}
	// A component of the app started by an intent the app filled: the
	// intent its lifecycle method receives holds what was put in it.
	if ls := a.fieldLabels[intentKey(m.class)]; len(ls) > 0 && a.prog.ft.ReceivesIntent(m.name) {
		if slot := intentSlot(m.proto, m.static); slot >= 0 && slot < int(m.code.InsSize) {
			for _, l := range ls {
				in0.t[first+slot] |= fr.newLabel(a.derive(l, step{m.ref, 0, "receives it in the intent that starts " + m.class}, l.inField, false))
			}
		}
	}
	// ins[i] is the state on entry to the block at instruction i, nil
	// until one reaches it.
	ins := mem.ins.take(len(fr.insns))
	ins[0] = in0
	work := []int{0}
	queued := mem.flags.take(len(fr.insns))
	queued[0] = true
	cur := mem.state(regs)
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
						if hi, ok := fr.insnAt(int64(h)); ok {
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
				if j, ok := fr.insnAt(int64(in.PC) + int64(in.Branch)); ok {
					succ = append(succ, j)
				}
			}
			if in.Op == 0x2b || in.Op == 0x2c {
				for _, t := range dex.SwitchTargets(insns, *in) {
					if j, ok := fr.insnAt(int64(in.PC) + int64(t)); ok {
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
	if fr.full {
		a.statesCut++
	}
	a.work += fr.work
	return fr.sum
}

// roomFor reports whether the frames on the stack may hold cells more
// registers in block states within Limits.MaxStateCells.
func (a *analyzer) roomFor(cells int) bool {
	return a.mem.regs.n+cells <= a.lim.MaxStateCells
}

func (fr *frame) flowTo(ins []*state, to int, cur *state, regs int) bool {
	s := ins[to]
	if s == nil {
		if !fr.a.roomFor(regs) {
			// The block is left unanalysed, as a cut.
			fr.full = true
			return false
		}
		s = fr.a.mem.state(regs)
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
		set(st, in.A, 0, desc{kind: dObj, str: c, n: objExact})
	case op == 0x23: // new-array
		set(st, in.A, 0, desc{})
	case op == 0x24 || op == 0x25: // filled-new-array: the result holds its elements, each at its index
		var t uint64
		for i := 0; i < int(in.NArgs); i++ {
			a, _ := reg(st, in.Arg(i))
			t |= fr.putAt(a, idxKey(int64(i)))
		}
		fr.lastT, fr.lastD = t, desc{}
	case op >= 0x2d && op <= 0x31: // cmp
		set(st, in.A, 0, desc{})
	case op >= 0x44 && op <= 0x4a: // aget*: a constant index gives what was put at it
		t, _ := reg(st, in.B)
		if _, id := reg(st, in.C); id.kind == dInt {
			t = fr.fromObject(t, idxKey(id.n), in.PC, false)
		}
		if op == 0x45 {
			setWide(st, in.A, t)
		} else {
			set(st, in.A, t, desc{})
		}
	case op >= 0x4b && op <= 0x51: // aput*: the array holds the value
		t, _ := reg(st, in.A)
		if t != 0 {
			if _, id := reg(st, in.C); id.kind == dInt {
				t = fr.putAt(t, idxKey(id.n))
			}
			at, ad := reg(st, in.B)
			set(st, in.B, at|t, ad)
		}
	case op >= 0x52 && op <= 0x58: // iget*
		fr.readField(in, st, f, op == 0x53, false)
	case op >= 0x59 && op <= 0x5f: // iput*
		fr.writeField(in, st, f, false)
	case op >= 0x60 && op <= 0x66: // sget*
		fr.readField(in, st, f, op == 0x61, true)
	case op >= 0x67 && op <= 0x6d: // sput*
		fr.writeField(in, st, f, true)
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
	if !(d.kind == dInt && d.n == 0) && d.kind != dParam { // a null or an argument says nothing of the others
		if s.retDesc.kind == dNone {
			s.retDesc = d
		} else if s.retDesc != d {
			s.retDesc = desc{kind: 255}
		}
	}
	eachLabel(t, func(_ uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			if s.retFields == nil {
				s.retFields = map[int][]string{}
			}
			fs := s.retFields[l.param]
			switch {
			case s.retParams&(1<<l.param) == 0:
				s.retFields[l.param] = []string{l.ofField}
			case len(fs) == 1 && fs[0] == "":
				// The whole argument already.
			case l.ofField == "" || len(fs) >= maxRetParts:
				s.retFields[l.param] = []string{""}
			case !slices.Contains(fs, l.ofField):
				s.retFields[l.param] = append(fs, l.ofField)
			}
			s.retParams |= 1 << l.param
			return
		}
		if len(s.retLabels) >= fr.a.lim.PathsPerSource {
			return
		}
		for _, o := range s.retLabels {
			if o.src == l.src {
				return
			}
		}
		s.retLabels = append(s.retLabels, fr.a.derive(l, fr.here(pc, "returns it"), l.inField, l.medium))
	})
}

// putAt is the taint of values put at a place in an object (a constant
// key or index): each source's value is held there.
func (fr *frame) putAt(t uint64, at string) uint64 {
	out := t & mediumBit
	eachLabel(t, func(bit uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			out |= fr.paramHeld(l, at, bit)
			return
		}
		out |= fr.newLabel(fr.a.hold(l, push(at, l.inField)))
	})
	return out
}

// fromObject is the taint of what a read of a part of an object (a field,
// a constant key, a constant index) gives, from the object's taint: the
// values held there or held nowhere in particular, not those held in
// another part; a part of an argument is labelled as such. A field read
// adds the step and makes the value medium (connected through a field).
func (fr *frame) fromObject(ot uint64, at string, pc uint32, field bool) uint64 {
	out := ot & mediumBit
	eachLabel(ot, func(bit uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			switch {
			case sibling(l.inField, at):
				// An argument held in another part.
			case head(l.inField) == at:
				out |= fr.paramHeld(&label{param: l.param, ofField: l.ofField}, rest(l.inField), bit) // the argument held there
			case l.inField != "":
				out |= bit
			case l.ofField == "":
				out |= fr.paramPart(l.param, at, bit)
			default:
				out |= bit
			}
			return
		}
		if sibling(l.inField, at) {
			return
		}
		in := l.inField
		if head(in) == at {
			in = rest(in)
		}
		if field {
			out |= fr.newLabel(fr.a.readLabel(l, fr.m.ref, pc, at, in))
			return
		}
		if in != l.inField {
			l = fr.a.hold(l, in)
		}
		out |= fr.newLabel(l)
	})
	return out
}

// project follows a value held at in (a path of places) through a use
// of part of the object holding it: skip when the part is another place
// than the value's; else where the value then sits inside what is used
// (in) and which part of the value is used (part).
func project(in, part string) (skip bool, restIn, restPart string) {
	for in != "" && part != "" {
		h1, h2 := head(in), head(part)
		if sibling(h1, h2) {
			return true, "", ""
		}
		if h1 != h2 {
			break
		}
		in, part = rest(in), rest(part)
	}
	return false, in, part
}

func compose(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + pathSep + b
}

// filterPart keeps, of a caller's taint, what a callee's use of a part of
// that argument (ofField) may see.
func (fr *frame) filterPart(t uint64, part string) uint64 {
	if part == "" {
		return t
	}
	out := t & mediumBit
	eachLabel(t, func(bit uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			skip, in, sub := project(l.inField, part)
			switch {
			case skip:
			case l.inField == "" && l.ofField == "":
				out |= fr.paramPart(l.param, part, bit)
			case l.inField == "" && strings.HasSuffix(l.ofField, strPart):
				out |= bit
			case l.inField == "":
				out |= fr.paramPart(l.param, compose(l.ofField, part), bit)
			case in != "":
				// The callee uses an object that holds the argument at in.
				out |= fr.paramHeld(&label{param: l.param, ofField: l.ofField}, in, bit)
			case sub == "" && l.ofField == "":
				out |= fr.paramHeld(&label{param: l.param}, "", bit)
			default:
				out |= fr.paramPart(l.param, compose(l.ofField, sub), bit)
			}
			return
		}
		if l.handle && strings.HasSuffix(part, strPart) {
			return // the string form of a cursor or stream is not its data
		}
		if skip, _, _ := project(l.inField, part); !skip {
			out |= bit
		}
	})
	return out
}

func (fr *frame) readField(in *dex.Insn, st *state, f *dex.File, wide, static bool) {
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
	} else if s, ok := a.prog.staticString(key); ok {
		d = desc{kind: dStr, str: s}
	}
	own := static
	if !static {
		ot, od := reg(st, in.B)
		// What the object read from holds.
		t = fr.fromObject(ot, key, in.PC, true)
		own = fr.readsOwn(od, fref.Class)
		if strings.HasPrefix(fref.Name, "this$") && (fr.isThis(od) || (od.kind == dObj && od.n == objOuter)) {
			d = desc{kind: dObj, str: fref.Type, n: objOuter}
		}
	}
	// What the app stored in the field of this object (or in a static
	// field), wherever it was stored.
	if own {
		for _, l := range a.fieldLabels[key] {
			held := l.inField
			if head(held) == key {
				held = rest(held)
			}
			t |= fr.newLabel(a.readLabel(l, fr.m.ref, in.PC, key, held))
		}
	}
	if wide {
		setWide(st, in.A, t)
		return
	}
	set(st, in.A, t, d)
}

// readsOwn reports whether a read of an instance field through an object
// reads the same object the app's own methods stored into through this:
// the object is this, the outer instance (this$0), the argument of a
// synthetic accessor, or an object of an Android component (which Android
// makes once).
func (fr *frame) readsOwn(od desc, class string) bool {
	if fr.isThis(od) || (od.kind == dObj && od.n == objOuter) {
		return true
	}
	if fr.m.static && (strings.HasPrefix(fr.m.name, "access$") || strings.Contains(fr.m.name, "$$Nest$")) && od.kind == dParam {
		return true
	}
	return fr.a.component(class)
}

// readLabel is the label a read of a field holding l gives, one per
// origin and reading place, so that re-analyses find the same one.
func (a *analyzer) readLabel(l *label, m mref, pc uint32, key, held string) *label {
	return a.deriveVia(l, step{m, pc, "reads field " + key}, held, true, "field "+key)
}

func (fr *frame) writeField(in *dex.Insn, st *state, f *dex.File, static bool) {
	fref, err := f.Field(in.Index)
	if err != nil {
		return
	}
	key := fref.String()
	t, d := reg(st, in.A)
	switch d.kind {
	case dView:
		fr.a.setFieldView(key, d)
	case dDest, dStr:
		if _, ok := fr.a.fieldDescs[key]; !ok {
			fr.a.fieldDescs[key] = d
		}
	}
	s := fr.here(in.PC, "stores it in field "+key)
	fr.store(key, static, in.B, t, st, &s)
}

// store records that the values t are stored in a field: a static field
// (global), a field of this (global: its readers through this see them),
// a field of an argument's object (in the summary, for the caller), and
// any other object (its register then holds them, as a field of it). at
// is the step of the store, nil when t's labels already end with it.
func (fr *frame) store(key string, static bool, recv uint32, t uint64, st *state, at *step) {
	if t&^mediumBit == 0 {
		return
	}
	a := fr.a
	var rt uint64
	var rd desc
	isThis, global := false, static
	recvSlot := -1
	if !static {
		rt, rd = reg(st, recv)
		isThis = fr.isThis(rd)
		if !isThis {
			recvSlot = fr.paramOf(rd)
		}
		// An Android component is made once: a store through any
		// reference to it is one its own methods read.
		cls, _, _ := strings.Cut(key, "->")
		global = isThis || a.component(cls)
	}
	var recvSlots []int
	if recvSlot >= 0 {
		recvSlots = []int{recvSlot}
	}
	var add uint64
	eachLabel(t, func(bit uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			if static {
				fr.sum.addWrite(fieldWrite{recv: -1, key: key, from: l.param, ofField: l.ofField})
				return
			}
			if isThis {
				fr.sum.addWrite(fieldWrite{recv: 0, key: key, from: l.param, ofField: l.ofField})
			}
			for _, q := range recvSlots {
				fr.sum.addWrite(fieldWrite{recv: q, key: key, from: l.param, ofField: l.ofField})
			}
			if !isThis {
				add |= fr.paramHeld(l, key, bit)
			}
			return
		}
		nl := l
		if at != nil {
			nl = a.deriveVia(l, *at, push(key, l.inField), true, "field "+key)
		} else if head(l.inField) != key {
			nl = a.hold(l, push(key, l.inField))
		}
		if global {
			a.taintField(key, nl, fr.depth)
		}
		for _, q := range recvSlots {
			fr.sum.addWrite(fieldWrite{recv: q, key: key, from: -1, lab: nl})
		}
		if !static && !isThis {
			add |= fr.newLabel(nl)
		}
	})
	if add != 0 {
		set(st, recv, rt|add, rd)
	}
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
	// The callee's name, built only for a sink.
	var apiName string
	api := func() string {
		if apiName == "" {
			apiName = ref.String()
		}
		return apiName
	}
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
	// The intent that started this component: what the app put in it.
	if ref.Name == "getIntent" && ref.Proto == "()Landroid/content/Intent;" && !static {
		if d := argD(0); d.kind == dObj {
			var t uint64
			for _, l := range a.fieldLabels[intentKey(d.str)] {
				t |= fr.newLabel(a.derive(l, fr.here(pc, "gets it from the intent that started "+d.str), l.inField, true))
			}
			if t != 0 {
				return t, desc{}
			}
		}
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
			if len(r.UnlessPrefixes) > 0 {
				if d := argD(r.UnlessArg); d.kind == dStr && r.NotAWrite(d.str) {
					continue
				}
			}
			sk := &sink{kind: r.Kind, api: api(), title: r.Title, sdk: r.SDK, destParam: -1}
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
					if r.Method == "execSQL" {
						sk.dest = sqlTable(d.str)
					}
				case dIntent:
					if d.dkind == "explicit" {
						// To the app's own component: what the intent
						// holds is handed to it.
						fr.handToComponent(d.str, t, fr.here(pc, "starts "+d.str+" with it"))
						continue
					}
					sk.dest = d.str
				default:
					if r.Kind == knowledge.SinkIPC {
						continue // an intent whose target is unknown: no claim
					}
					sk.destParam = fr.paramOf(argD(r.Dest))
				}
			}
			fr.sinkHit(t, a.internSink(sk), fr.here(pc, "passes it to "+api()))
			sunk = true
		}
	}
	if calleeSDK != "" && calleeSDK != callerSDK && !sunk {
		var t uint64
		for i := 0; i < n; i++ {
			t |= argT(i)
		}
		if t&^mediumBit != 0 {
			fr.sinkHit(t, a.internSink(&sink{kind: knowledge.SinkSDK, api: api(), dest: calleeSDK, sdk: calleeSDK, title: "hands it to the SDK", destParam: -1}), fr.here(pc, "passes it to "+api()))
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
			fr.sinkHit(t, a.internSink(&sink{kind: knowledge.SinkNetwork, api: api(), dest: d.str, title: "calls a Retrofit service", destParam: -1}), fr.here(pc, "passes it to "+api()))
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
	if targets := fr.targets(ref.Class, ref.Name, ref.Proto, virtual, argD(0)); len(targets) > 0 && fr.depth < a.lim.MaxDepth {
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

// sqlTable names the table an SQL statement writes ("INSERT INTO seen …"
// writes seen), or returns the statement as it is.
func sqlTable(stmt string) string {
	f := strings.Fields(stmt)
	for i := 0; i+1 < len(f); i++ {
		w := strings.ToLower(f[i])
		if w == "into" || (i == 0 && w == "update") {
			t := strings.Trim(f[i+1], "\"'`[]")
			if j := strings.IndexByte(t, '('); j > 0 {
				t = t[:j]
			}
			if t != "" && t != "…" && !strings.EqualFold(t, "or") {
				return t
			}
		}
	}
	return stmt
}

// targets resolves a call to the app's methods it may run. A virtual call
// on a class or interface of the framework (Object.toString,
// Iterator.next, Runnable.run) runs an app method only if the receiver
// is known to be an object of the app's class: any override anywhere in
// the app is no evidence. A receiver made by new-instance runs exactly
// its class's method.
func (fr *frame) targets(class, name, proto string, virtual bool, recv desc) []mref {
	p := fr.a.prog
	if !virtual || name == "<init>" {
		return p.targets(class, name, proto, virtual)
	}
	if recv.kind == dObj && recv.str != class && p.h.Defined(recv.str) && p.h.IsSubtype(recv.str, class) {
		return p.targets(recv.str, name, proto, recv.n != objExact)
	}
	if recv.kind == dObj && recv.n == objExact && recv.str == class {
		return p.targets(class, name, proto, false)
	}
	if !p.h.Defined(class) {
		return nil
	}
	return p.targets(class, name, proto, virtual)
}

// handToComponent records that the values t go, in an intent, to a
// component of the app, and queues the component's methods.
func (fr *frame) handToComponent(class string, t uint64, at step) {
	a := fr.a
	key := intentKey(class)
	eachLabel(t, func(_ uint64, i int) {
		l := fr.labels[i]
		if l.param >= 0 {
			fr.sum.addWrite(fieldWrite{recv: -1, key: key, from: l.param, ofField: l.ofField})
			return
		}
		a.taintField(key, a.deriveVia(l, at, l.inField, true, "intent to "+class), fr.depth)
	})
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
	pos := func(i int) (uint32, bool) {
		if i >= len(args) || args[i] >= int(in.NArgs) {
			return 0, false
		}
		return in.Arg(args[i]), true
	}
	slot := func(i int) (uint64, bool) {
		r, ok := pos(i)
		if !ok {
			return 0, false
		}
		t, _ := reg(st, r)
		return t, true
	}
	callee := m.class + "->" + m.name + m.proto
	call := fr.here(pc, "passes it to "+callee)
	// Stores into fields first: a builder's return of this then holds them.
	for _, w := range s.writes {
		var v uint64
		at := step{fr.m.ref, pc, "passes it to " + callee + " where it is stored in field " + w.key}
		ap := &at
		if w.from >= 0 {
			r, ok := pos(w.from)
			if !ok {
				continue
			}
			t, d := reg(st, r)
			if d.kind == dView && w.recv >= 0 {
				a.setFieldView(w.key, d) // a view passed to a constructor that keeps it (view binding)
			}
			v = fr.filterPart(t, w.ofField)
		} else {
			v = fr.newLabel(a.deriveVia(w.lab, step{fr.m.ref, pc, "calls " + callee + ", which stores it in field " + w.key}, w.lab.inField, true, "field "+w.key))
			ap = nil
		}
		if v&^mediumBit == 0 {
			continue
		}
		if w.recv < 0 {
			if strings.HasPrefix(w.key, "intent:") {
				fr.handToComponent(strings.TrimPrefix(w.key, "intent:"), v, call)
				continue
			}
			fr.store(w.key, true, 0, v, st, ap)
			continue
		}
		r, ok := pos(w.recv)
		if !ok {
			continue
		}
		fr.store(w.key, false, r, v, st, ap)
	}
	var t uint64
	for i := 0; i < 64; i++ {
		if s.retParams&(1<<i) != 0 {
			if v, ok := slot(i); ok {
				for _, part := range s.retFields[i] {
					t |= fr.filterPart(v, part)
				}
			}
		}
	}
	for _, l := range s.retLabels {
		nl := a.importLabel(l, fr.m.ref, pc, callee)
		t |= fr.newLabel(nl)
	}
	// In slot order: which hits a bounded summary keeps must not depend on
	// a map's order.
	for _, p := range slices.Sorted(maps.Keys(s.paramHits)) {
		hits := s.paramHits[p]
		v, ok := slot(p)
		if !ok || v&^mediumBit == 0 {
			continue
		}
		for _, h := range hits {
			vv := fr.filterPart(v, h.ofField)
			if vv&^mediumBit == 0 {
				continue
			}
			if h.sink.destParam >= 0 {
				h.sink = fr.resolveDest(h.sink, pos, st)
			}
			fr.sinkHitVia(vv, h, call)
		}
	}
	return t, s.retDesc
}

// resolveDest names a callee's sink's destination from the argument the
// caller passes where the callee takes it, or hands the question on to
// the caller's own caller.
func (fr *frame) resolveDest(sk *sink, pos func(int) (uint32, bool), st *state) *sink {
	r, ok := pos(sk.destParam)
	if !ok {
		return sk
	}
	_, d := reg(st, r)
	k := *sk
	k.destParam = -1
	switch d.kind {
	case dStr, dDest:
		k.dest = d.str
	default:
		k.destParam = fr.paramOf(d)
		if k.destParam < 0 {
			return sk
		}
	}
	return fr.a.internSink(&k)
}

// importLabel is the caller's label for a value a callee returns.
func (a *analyzer) importLabel(l *label, m mref, pc uint32, callee string) *label {
	return a.derive(l, step{m, pc, "gets it from " + callee}, l.inField, l.medium)
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
	eachLabel(t, func(_ uint64, i int) {
		l := fr.labels[i]
		steps := extend([]step{at}, h.steps...)
		if l.param >= 0 {
			fr.sum.addHit(l.param, hit{sink: h.sink, steps: steps, medium: medium, via: h.via, ofField: l.ofField}, fr.a.lim.PathsPerSource)
			return
		}
		via := l.via
		if via == "" {
			via = h.via
		}
		if via == "" && medium {
			via = "collection"
		}
		fr.a.addFlow(l.src, h.sink, extend(l.steps, steps...), medium || l.medium, via)
	})
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
	case class == "Landroid/net/Uri;" && (name == "parse" || name == "withAppendedPath"):
		if d := argD(0); d.kind == dStr || d.kind == dDest {
			resD = desc{kind: dStr, str: d.str}
			if name == "withAppendedPath" {
				if d1 := argD(1); d1.kind == dStr {
					resD.str += "/" + d1.str
				} else {
					resD.str += "/…"
				}
			}
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
					d = desc{kind: dIntent, dkind: "explicit", str: "L" + strings.ReplaceAll(ad.str, ".", "/") + ";"}
				case ad.kind == dStr && (name == "<init>" || name == "setAction") && i == 1 && d.dkind != "explicit":
					d = desc{kind: dIntent, dkind: "action", str: ad.str}
				}
			}
			set(st, recv, t, d)
		}
	}
	// The string form of a cursor, stream or projection is not what is
	// read from it; data read from it is.
	strf := stringifies(class, name)
	if strf {
		all = fr.strOf(all)
	} else {
		all = fr.dataOf(all)
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
			set(st, recv, rt|fr.strOf(argT(1)), d)
			return 0, desc{}
		case "append":
			if rd.kind == dStr {
				if ad := argD(1); ad.kind == dStr || ad.kind == dDest {
					rd.str += ad.str
				} else if !strings.HasSuffix(rd.str, "…") {
					rd.str += "…"
				}
			}
			set(st, recv, rt|fr.strOf(argT(1)), rd)
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
	kc := a.prog.ft.KeyedContainer(class)
	keyAt := ""
	if kc != nil && !static && n > kc.Key {
		if d := argD(kc.Key); d.kind == dStr {
			keyAt = "key:" + d.str
		}
	}
	// Values into the receiver: builders, JSON, bundles, intents, collections.
	if !static && n > 1 {
		var other uint64
		for i := 1; i < n; i++ {
			other |= argT(i)
		}
		if strf {
			other = fr.strOf(other)
		}
		if other != 0 && mutates(name) {
			rt, rd := reg(st, recv)
			if keyAt != "" && kc.IsPut(name) {
				other = fr.putAt(other, keyAt)
			}
			if a.prog.ft.Collection(class) {
				other |= mediumBit
			}
			set(st, recv, rt|other, rd)
		}
	}
	if ret == "V" || ret == "Z" {
		return 0, desc{}
	}
	// What the other side sends back carries nothing of what was sent; a
	// length, size or hash is not the value measured.
	if a.prog.ft.Reply(class, name) || (len(ret) == 1 && a.prog.ft.Measure(name)) {
		return 0, resD
	}
	t := all
	switch {
	case kc != nil && kc.IsGet(name) && n > 0:
		// A keyed get: what was put under this key (or under no key
		// known), not the key: a value looked up by what the app read is
		// not what it read.
		rt, _ := reg(st, recv)
		t = rt
		if keyAt != "" {
			t = fr.fromObject(rt, keyAt, in.PC, false)
		}
		t = fr.dataOf(t)
	case !static && n > 0 && a.prog.ft.Collection(class) && takes(name):
		// An element of a collection, not the index or key that finds it.
		t, _ = reg(st, recv)
		t = fr.dataOf(t)
	}
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

// stringifies tells the calls that make a string of their arguments (or
// receiver).
func stringifies(class, name string) bool {
	switch class {
	case "Ljava/lang/StringBuilder;", "Ljava/lang/StringBuffer;":
		return name == "append" || name == "insert" || name == "<init>"
	case "Ljava/lang/String;":
		return name == "valueOf" || name == "format" || name == "concat" || name == "join"
	case "Ljava/util/Objects;":
		return name == "toString"
	}
	return name == "toString"
}

// strOf is the taint of the string form of values t: a handle's object
// says nothing of its data; an argument's string form is labelled as
// such, so that a caller passing a handle knows.
func (fr *frame) strOf(t uint64) uint64 {
	out := t & mediumBit
	eachLabel(t, func(bit uint64, i int) {
		l := fr.labels[i]
		switch {
		case l.param >= 0 && l.inField == "" && !strings.HasSuffix(l.ofField, strPart):
			part := strPart
			if l.ofField != "" {
				part = l.ofField + pathSep + strPart
			}
			out |= fr.paramPart(l.param, part, bit)
		case l.param < 0 && l.handle:
		default:
			out |= bit
		}
	})
	return out
}

// dataOf is the taint of what a call on values t gives: data read from a
// handle's object is no longer the object.
func (fr *frame) dataOf(t uint64) uint64 {
	out := t
	eachLabel(t, func(bit uint64, i int) {
		if l := fr.labels[i]; l.param < 0 && l.handle {
			out = out&^bit | fr.newLabel(fr.a.dataOf(l))
		}
	})
	return out
}

// takes tells the collection methods that return an element.
func takes(name string) bool {
	for _, p := range []string{"get", "remove", "poll", "peek", "pop", "elementAt", "first", "last", "next", "previous", "valueAt", "keyAt", "floor", "ceiling", "higher", "lower"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
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
