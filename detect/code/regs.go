package code

import (
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"appxray/dex"
)

// This file is a small data-flow analysis over the registers of one
// method: for every invoke it says which values each argument register may
// hold (a string constant, a literal, a parameter, the result of another
// call, a field, a new object), and which values were put into a builder,
// array or collection. It is what lets a rule ask what is *passed* to an
// API ("su" handed to Runtime.exec, the overlay type in a window's layout
// parameters, the number an SMS goes to) rather than what the method
// happens to load. It follows branches (a may-analysis: a register's
// values are every value it may hold there) but never leaves the method;
// Callers takes a question one call level up. The cross-method data-flow
// analysis is detect/flows.

// ValueKind says where a register's value comes from.
type ValueKind uint8

// Value kinds.
const (
	ValString  ValueKind = iota + 1 // const-string: Index is the string index
	ValLiteral                      // const, const/4…: Lit
	ValParam                        // a parameter: Index is its register slot (0 is this for an instance method)
	ValResult                       // the result of the invoke at PC: Index is the method index
	ValStatic                       // sget of field Index
	ValField                        // iget of field Index
	ValNew                          // new-instance, new-array or filled-new-array at PC of type Index
	ValClass                        // const-class of type Index
)

// Value is one value a register may hold.
type Value struct {
	Kind  ValueKind
	Index uint32
	PC    uint32
	Lit   int64
}

// InvokeAt is one invoke instruction with the values each of its argument
// registers may hold, in register order (the receiver first for an
// instance call; a wide argument takes two slots, the second empty).
type InvokeAt struct {
	PC     uint32
	Op     uint8
	Method uint32 // method index (call-site index for invoke-custom)
	Args   [][]Value
}

// PutAt is a field store: the values stored into field Field.
type PutAt struct {
	PC     uint32
	Field  uint32
	Static bool
	Values []Value
}

// Frame is what the analysis found in one method.
type Frame struct {
	File    *dex.File
	Method  uint32
	Invokes []InvokeAt
	Puts    []PutAt
	Returns []Value
	// parts records what was put into an object (appended to a builder,
	// stored in an array, added to a collection) and what a derived string
	// was made of: the builder's toString holds its parts, Uri.parse holds
	// the string it parsed.
	parts map[Value][]Value
}

// Bounds of the analysis: larger methods are not analysed (Frame returns
// nil), a register holds at most maxValues values (more are dropped: the
// analysis under-approximates rather than grow without bound), and
// flattening stops after maxFlatten values.
const (
	maxFrameUnits = 1 << 16
	maxFrameRegs  = 1024
	maxValues     = 16
	maxParts      = 64
	maxFlatten    = 256
	maxRounds     = 64
)

// Invoke returns the invoke at pc, or nil.
func (fr *Frame) Invoke(pc uint32) *InvokeAt {
	if fr == nil {
		return nil
	}
	i := sort.Search(len(fr.Invokes), func(i int) bool { return fr.Invokes[i].PC >= pc })
	if i < len(fr.Invokes) && fr.Invokes[i].PC == pc {
		return &fr.Invokes[i]
	}
	return nil
}

// Arg returns the values of argument register slot i of the invoke at pc.
func (fr *Frame) Arg(pc uint32, i int) []Value {
	in := fr.Invoke(pc)
	if in == nil || i < 0 || i >= len(in.Args) {
		return nil
	}
	return in.Args[i]
}

// Flatten returns the values and, transitively, everything they were made
// of or hold (a builder's appended strings, an array's elements).
func (fr *Frame) Flatten(vs []Value) []Value {
	if fr == nil {
		return nil
	}
	out := make([]Value, 0, len(vs))
	seen := map[Value]bool{}
	var walk func(v Value, depth int)
	walk = func(v Value, depth int) {
		if seen[v] || len(out) >= maxFlatten || depth > 16 {
			return
		}
		seen[v] = true
		out = append(out, v)
		for _, p := range fr.parts[v] {
			walk(p, depth+1)
		}
	}
	for _, v := range vs {
		walk(v, 0)
	}
	return out
}

// Parts returns what was put into or made into a value, one level.
func (fr *Frame) Parts(v Value) []Value {
	if fr == nil {
		return nil
	}
	return fr.parts[v]
}

// Strings returns the string constants among the flattened values, and
// the text of those decoded from Base64 on the way (as droppers hide the
// class names they load by reflection).
func (fr *Frame) Strings(vs []Value) []string {
	if fr == nil {
		return nil
	}
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, v := range fr.Flatten(vs) {
		switch v.Kind {
		case ValString:
			if s, err := fr.File.String(v.Index); err == nil {
				add(s)
			}
		case ValResult:
			ref, err := fr.File.Method(v.Index)
			if err != nil || !base64Decoders[ref.Class+"->"+ref.Name] {
				continue
			}
			for _, p := range fr.parts[v] {
				if p.Kind != ValString {
					continue
				}
				if s, err := fr.File.String(p.Index); err == nil {
					if d, ok := decodeBase64Text(s); ok {
						add(d)
					}
				}
			}
		}
	}
	return out
}

// base64Decoders are the calls that decode Base64.
var base64Decoders = map[string]bool{
	"Landroid/util/Base64;->decode": true, "Ljava/util/Base64$Decoder;->decode": true,
}

// decodeBase64Text decodes s from Base64 when it decodes to printable
// UTF-8 text.
func decodeBase64Text(s string) (string, bool) {
	if len(s) < 4 || len(s) > 4096 {
		return "", false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		b, err := enc.DecodeString(strings.TrimSpace(s))
		if err != nil || len(b) == 0 || !utf8.Valid(b) {
			continue
		}
		printable := true
		for _, r := range string(b) {
			if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
				printable = false
				break
			}
		}
		if printable {
			return string(b), true
		}
	}
	return "", false
}

// Literals returns the literal constants among vs (not flattened).
func Literals(vs []Value) []int64 {
	var out []int64
	for _, v := range vs {
		if v.Kind == ValLiteral && !slices.Contains(out, v.Lit) {
			out = append(out, v.Lit)
		}
	}
	return out
}

// Uses returns the invokes whose argument slot holds, directly or through
// what it was made of, a value that satisfies match, with the slot.
func (fr *Frame) Uses(match func(Value) bool) []Use {
	if fr == nil {
		return nil
	}
	var out []Use
	for i := range fr.Invokes {
		in := &fr.Invokes[i]
		for slot, vs := range in.Args {
			if slices.ContainsFunc(fr.Flatten(vs), match) {
				out = append(out, Use{Invoke: in, Slot: slot})
			}
		}
	}
	return out
}

// Use is an argument slot of an invoke.
type Use struct {
	Invoke *InvokeAt
	Slot   int
}

// derives lists the calls whose result is made of their arguments (and
// receiver): string building, parsing a URI, wrapping a string. A value
// passed to one of these reaches what its result reaches.
var derives = byCallee(map[string]bool{
	"Ljava/lang/StringBuilder;->toString": true, "Ljava/lang/StringBuffer;->toString": true,
	"Ljava/lang/String;->concat": true, "Ljava/lang/String;->format": true, "Ljava/lang/String;->valueOf": true,
	"Ljava/lang/String;->replace": true, "Ljava/lang/String;->replaceAll": true, "Ljava/lang/String;->replaceFirst": true,
	"Ljava/lang/String;->trim": true, "Ljava/lang/String;->toLowerCase": true, "Ljava/lang/String;->toUpperCase": true,
	"Ljava/lang/String;->intern": true, "Ljava/lang/String;->substring": true, "Ljava/lang/String;->toString": true,
	"Ljava/lang/String;->split": true, "Ljava/lang/String;->getBytes": true,
	"Landroid/net/Uri;->parse": true, "Landroid/net/Uri;->withAppendedPath": true, "Landroid/net/Uri;->fromFile": true,
	"Ljava/net/URLEncoder;->encode": true, "Ljava/net/URLDecoder;->decode": true,
	"Landroid/text/TextUtils;->concat": true, "Landroid/text/TextUtils;->join": true,
	"Ljava/text/MessageFormat;->format": true, "Ljava/util/Arrays;->asList": true,
	"Landroid/util/Base64;->decode": true, "Ljava/util/Base64$Decoder;->decode": true,
	"Landroid/util/Base64;->encodeToString": true, "Landroid/util/Base64;->encode": true,
	"Lorg/json/JSONObject;->toString": true, "Lorg/json/JSONArray;->toString": true,
	"Ljava/lang/Integer;->valueOf": true, "Ljava/lang/Long;->valueOf": true,
})

// fills lists the calls that put their arguments into their receiver: a
// builder's append and insert, a collection's add and put, a constructor
// that takes its content.
var fills = byCallee(map[string]bool{
	"Ljava/lang/StringBuilder;->append": true, "Ljava/lang/StringBuilder;->insert": true, "Ljava/lang/StringBuilder;-><init>": true,
	"Ljava/lang/StringBuffer;->append": true, "Ljava/lang/StringBuffer;->insert": true, "Ljava/lang/StringBuffer;-><init>": true,
	"Ljava/lang/String;-><init>": true,
	"Ljava/util/ArrayList;->add": true, "Ljava/util/List;->add": true, "Ljava/util/LinkedList;->add": true,
	"Ljava/util/Collection;->add": true, "Ljava/util/ArrayList;->addAll": true, "Ljava/util/List;->addAll": true,
	"Ljava/util/ArrayList;-><init>": true, "Ljava/util/Vector;->add": true,
	"Ljava/io/File;-><init>": true, "Landroid/content/ComponentName;-><init>": true,
	"Landroid/content/Intent;-><init>": true, "Landroid/content/Intent;->setData": true,
	"Landroid/content/Intent;->setDataAndType": true, "Landroid/content/Intent;->setClassName": true,
	"Landroid/content/Intent;->setPackage": true, "Landroid/content/Intent;->setComponent": true,
	"Landroid/content/Intent;->putExtra": true, "Landroid/os/Bundle;->putString": true,
	"Landroid/view/WindowManager$LayoutParams;-><init>": true,
})

// returnsReceiver lists the calls that return their receiver (a builder's
// append), so the result is the same object.
var returnsReceiver = byCallee(map[string]bool{
	"Ljava/lang/StringBuilder;->append": true, "Ljava/lang/StringBuilder;->insert": true,
	"Ljava/lang/StringBuffer;->append": true, "Ljava/lang/StringBuffer;->insert": true,
})

// callee is a method by class descriptor and name.
type callee struct{ class, name string }

// byCallee keys a table of "class->name" by callee, so that a frame looks
// its calls up without building their names.
func byCallee(names map[string]bool) map[callee]bool {
	out := make(map[callee]bool, len(names))
	for n := range names {
		c, m, ok := strings.Cut(n, "->")
		if !ok {
			panic("code: " + n + " is not class->name")
		}
		out[callee{c, m}] = true
	}
	return out
}

// platformClass reports whether a class descriptor is the platform's (the
// Java and Android libraries), whose methods the tables above describe.
func platformClass(desc string) bool {
	for _, p := range []string{"Ljava/", "Ljavax/", "Landroid/", "Ldalvik/", "Lkotlin/", "Lorg/json/", "Lorg/apache/", "Lorg/w3c/", "Lorg/xml/"} {
		if strings.HasPrefix(desc, p) {
			return true
		}
	}
	return false
}

// regState is the values of every register at one point.
type regState [][]Value

func unionValues(a, b []Value) ([]Value, bool) {
	changed := false
	for _, v := range b {
		if len(a) >= maxValues {
			break
		}
		if !slices.Contains(a, v) {
			a = append(slices.Clip(a), v)
			changed = true
		}
	}
	return a, changed
}

// join merges s into dst, reporting whether dst changed.
func (dst regState) join(s regState) bool {
	changed := false
	for r := range dst {
		if len(s[r]) == 0 {
			continue
		}
		var c bool
		dst[r], c = unionValues(dst[r], s[r])
		changed = changed || c
	}
	return changed
}

// wideDest reports whether an opcode writes a register pair.
func wideDest(op uint8) bool {
	switch {
	case op >= 0x04 && op <= 0x06, op == 0x0b, op >= 0x16 && op <= 0x19, op == 0x45, op == 0x53, op == 0x61:
		return true
	case op == 0x7d, op == 0x7e, op == 0x80, op == 0x81, op == 0x83, op == 0x86, op == 0x88, op == 0x89, op == 0x8b:
		return true
	case op >= 0x9b && op <= 0xa5, op >= 0xab && op <= 0xaf, op >= 0xbb && op <= 0xc5, op >= 0xcb && op <= 0xcf:
		return true
	}
	return false
}

// isInvoke reports whether an opcode is an invoke-* instruction.
func isInvoke(op uint8) bool {
	return op >= 0x6e && op <= 0x72 || op >= 0x74 && op <= 0x78 || op >= 0xfa && op <= 0xfd
}

// AnalyzeMethod runs the analysis over one method's code. It returns nil
// for code it does not analyse (too large, unreadable).
func AnalyzeMethod(f *dex.File, method uint32, code *dex.CodeItem) *Frame {
	n := uint32(len(code.Insns) / 2)
	if n == 0 || n > maxFrameUnits || int(code.RegistersSize) > maxFrameRegs || code.InsSize > code.RegistersSize {
		return nil
	}
	// Decode every instruction once (about two code units each).
	insns := make([]dex.Insn, 0, n/2+1)
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(code.Insns, pc)
		if err != nil || in.Size == 0 {
			break
		}
		insns = append(insns, in)
		pc += in.Size
	}
	if len(insns) == 0 {
		return nil
	}
	tries, _ := f.Tries(code)
	// Leaders and successors, by pc (a branch or handler outside the code
	// leads nowhere).
	leader := make([]bool, n+1)
	lead := func(pc uint32) {
		if pc <= n {
			leader[pc] = true
		}
	}
	leader[0] = true
	for i := range insns {
		in := &insns[i]
		if in.Format == dex.FmtPayload {
			continue
		}
		falls, target := in.Branches()
		if target {
			lead(uint32(int64(in.PC) + int64(in.Branch)))
		}
		if in.Op == 0x2b || in.Op == 0x2c {
			for _, t := range dex.SwitchTargets(code.Insns, *in) {
				lead(uint32(int64(in.PC) + int64(t)))
			}
		}
		if !falls || target || in.Op == 0x2b || in.Op == 0x2c {
			lead(in.PC + in.Size)
		}
	}
	for _, t := range tries {
		lead(t.Start)
		lead(t.End)
		for _, h := range t.Handlers {
			lead(h)
		}
	}
	type block struct {
		first, last int // instruction indices, inclusive
		succ        []int
	}
	var blocks []block
	// blockAt[pc] is 1 + the block starting at pc, 0 if none does.
	blockAt := make([]int32, n+1)
	for i := 0; i < len(insns); {
		j := i
		for j+1 < len(insns) && !leader[insns[j+1].PC] && insns[j+1].Format != dex.FmtPayload {
			j++
		}
		blockAt[insns[i].PC] = int32(len(blocks)) + 1
		blocks = append(blocks, block{first: i, last: j})
		i = j + 1
	}
	for b := range blocks {
		last := &insns[blocks[b].last]
		add := func(pc uint32) {
			if pc > n || blockAt[pc] == 0 {
				return
			}
			if k := int(blockAt[pc]) - 1; !slices.Contains(blocks[b].succ, k) {
				blocks[b].succ = append(blocks[b].succ, k)
			}
		}
		falls, target := last.Branches()
		if last.Format == dex.FmtPayload {
			falls = false
		}
		if target {
			add(uint32(int64(last.PC) + int64(last.Branch)))
		}
		if last.Op == 0x2b || last.Op == 0x2c {
			for _, t := range dex.SwitchTargets(code.Insns, *last) {
				add(uint32(int64(last.PC) + int64(t)))
			}
		}
		if falls {
			add(last.PC + last.Size)
		}
		first := insns[blocks[b].first].PC
		for _, t := range tries {
			if first < t.End && last.PC >= t.Start {
				for _, h := range t.Handlers {
					add(h)
				}
			}
		}
	}

	fr := &Frame{File: f, Method: method, parts: map[Value][]Value{}}
	regs := int(code.RegistersSize)
	entry := make(regState, regs)
	firstParam := int(code.RegistersSize - code.InsSize)
	for r := firstParam; r < regs; r++ {
		entry[r] = []Value{{Kind: ValParam, Index: uint32(r - firstParam)}}
	}
	in := make([]regState, len(blocks))
	in[0] = entry
	addPart := func(holders []Value, vs []Value) {
		for _, h := range holders {
			if h.Kind == ValString || h.Kind == ValLiteral {
				continue
			}
			cur := fr.parts[h]
			for _, v := range vs {
				if v == h || len(cur) >= maxParts || slices.Contains(cur, v) {
					continue
				}
				cur = append(cur, v)
			}
			fr.parts[h] = cur
		}
	}
	key := func(idx uint32) callee {
		ref, err := f.Method(idx)
		if err != nil {
			return callee{}
		}
		return callee{ref.Class, ref.Name}
	}
	// helper reports a call of the app's own (not the platform's) that
	// returns a string: its result is taken to be made of its arguments
	// (which("su") returns the path of su).
	helpers := map[uint32]bool{}
	helper := func(idx uint32) bool {
		if h, ok := helpers[idx]; ok {
			return h
		}
		h := false
		if ref, err := f.Method(idx); err == nil && strings.HasSuffix(ref.Proto, ")Ljava/lang/String;") && !platformClass(ref.Class) {
			h = true
		}
		helpers[idx] = h
		return h
	}
	// one[i] is the single value instruction i makes (a constant, a new
	// object, a field read, a call's result), made once: every visit of
	// the instruction sets the same slice, which no one modifies in place.
	one := make([][]Value, len(insns))
	oneOf := func(i int, v Value) []Value {
		if one[i] == nil {
			one[i] = []Value{v}
		}
		return one[i]
	}
	var argBuf [][]Value
	// step applies instruction i to s; record adds the events.
	step := func(s regState, i int, pending *[]Value, record bool) {
		in := &insns[i]
		set := func(r uint32, vs []Value, wide bool) {
			if int(r) < len(s) {
				s[r] = vs
			}
			if wide && int(r)+1 < len(s) {
				s[r+1] = nil
			}
		}
		get := func(r uint32) []Value {
			if int(r) < len(s) {
				return s[r]
			}
			return nil
		}
		op := in.Op
		wasPending := *pending
		*pending = nil
		switch {
		case in.Format == dex.FmtPayload || op == 0x00:
		case op >= 0x01 && op <= 0x09: // move*
			set(in.A, get(in.B), wideDest(op))
		case op >= 0x0a && op <= 0x0c: // move-result*
			set(in.A, wasPending, op == 0x0b)
		case op == 0x0d: // move-exception
			set(in.A, nil, false)
		case op >= 0x0e && op <= 0x11: // return*
			if record && op != 0x0e {
				fr.Returns, _ = unionValues(fr.Returns, get(in.A))
			}
		case op >= 0x12 && op <= 0x19: // const*
			set(in.A, oneOf(i, Value{Kind: ValLiteral, Lit: in.Literal}), wideDest(op))
		case op == 0x1a || op == 0x1b:
			set(in.A, oneOf(i, Value{Kind: ValString, Index: in.Index}), false)
		case op == 0x1c:
			set(in.A, oneOf(i, Value{Kind: ValClass, Index: in.Index}), false)
		case op == 0x1f: // check-cast keeps the value
		case op == 0x22 || op == 0x23:
			set(in.A, oneOf(i, Value{Kind: ValNew, Index: in.Index, PC: in.PC}), false)
		case op == 0x24 || op == 0x25: // filled-new-array
			arr := oneOf(i, Value{Kind: ValNew, Index: in.Index, PC: in.PC})
			for a := 0; a < int(in.NArgs); a++ {
				addPart(arr, get(in.Arg(a)))
			}
			*pending = arr
		case op >= 0x44 && op <= 0x4a: // aget*: an element of the array
			var el []Value
			for _, a := range get(in.B) {
				el, _ = unionValues(el, fr.parts[a])
			}
			set(in.A, el, wideDest(op))
		case op >= 0x4b && op <= 0x51: // aput*
			addPart(get(in.B), get(in.A))
		case op >= 0x52 && op <= 0x58:
			set(in.A, oneOf(i, Value{Kind: ValField, Index: in.Index}), wideDest(op))
		case op >= 0x59 && op <= 0x5f:
			if record {
				fr.Puts = append(fr.Puts, PutAt{PC: in.PC, Field: in.Index, Values: get(in.A)})
			}
		case op >= 0x60 && op <= 0x66:
			set(in.A, oneOf(i, Value{Kind: ValStatic, Index: in.Index}), wideDest(op))
		case op >= 0x67 && op <= 0x6d:
			if record {
				fr.Puts = append(fr.Puts, PutAt{PC: in.PC, Field: in.Index, Static: true, Values: get(in.A)})
			}
		case isInvoke(op):
			// The events keep their argument lists; the fixpoint's visits
			// only read them.
			var args [][]Value
			if record {
				args = make([][]Value, in.NArgs)
			} else {
				if cap(argBuf) < int(in.NArgs) {
					argBuf = make([][]Value, in.NArgs)
				}
				args = argBuf[:in.NArgs]
			}
			for a := range args {
				args[a] = get(in.Arg(a))
			}
			res := oneOf(i, Value{Kind: ValResult, Index: in.Index, PC: in.PC})
			*pending = res
			if op == 0xfc || op == 0xfd || op == 0xfa || op == 0xfb {
				if record {
					fr.Invokes = append(fr.Invokes, InvokeAt{PC: in.PC, Op: op, Method: in.Index, Args: args})
				}
				break
			}
			k := key(in.Index)
			static := op == 0x71 || op == 0x77
			if len(args) > 0 && !static && fills[k] {
				var rest []Value
				for _, a := range args[1:] {
					rest = append(rest, a...)
				}
				addPart(args[0], rest)
			}
			if returnsReceiver[k] && len(args) > 0 {
				*pending = args[0]
			} else if derives[k] || helper(in.Index) {
				var all []Value
				for _, a := range args {
					all = append(all, a...)
				}
				addPart(res, all)
			}
			if record {
				fr.Invokes = append(fr.Invokes, InvokeAt{PC: in.PC, Op: op, Method: in.Index, Args: args})
			}
		case op >= 0x1d && op <= 0x1e, op >= 0x26 && op <= 0x3d: // monitor, fill-array-data, throw, goto, switch, if: no register written (cmp excepted)
			if op >= 0x2d && op <= 0x31 {
				set(in.A, nil, false)
			}
		default: // arithmetic, conversions, instance-of, array-length, method handles
			set(in.A, nil, wideDest(op))
		}
	}
	// Fixpoint over the blocks. Each visit steps a copy of the block's
	// entry state, made in s (nothing keeps s itself, only the value
	// slices in it).
	s := make(regState, regs)
	work := []int{0}
	queued := make([]bool, len(blocks))
	queued[0] = true
	rounds := 0
	limit := maxRounds * len(blocks)
	for len(work) > 0 && rounds < limit {
		rounds++
		b := work[0]
		work = work[1:]
		queued[b] = false
		copy(s, in[b])
		var pending []Value
		for i := blocks[b].first; i <= blocks[b].last; i++ {
			step(s, i, &pending, false)
		}
		for _, k := range blocks[b].succ {
			fresh := in[k] == nil
			if fresh {
				in[k] = make(regState, regs)
			}
			if in[k].join(s) || fresh {
				if !queued[k] {
					queued[k] = true
					work = append(work, k)
				}
			}
		}
	}
	// One last pass records the events with the final states.
	for b := range blocks {
		if in[b] == nil {
			continue
		}
		copy(s, in[b])
		var pending []Value
		for i := blocks[b].first; i <= blocks[b].last; i++ {
			step(s, i, &pending, true)
		}
	}
	sort.SliceStable(fr.Invokes, func(i, j int) bool { return fr.Invokes[i].PC < fr.Invokes[j].PC })
	sort.SliceStable(fr.Puts, func(i, j int) bool { return fr.Puts[i].PC < fr.Puts[j].PC })
	return fr
}
