package knowledge

import (
	"strconv"
	"strings"
	"sync"
)

// SinkKind says where a sink sends data.
type SinkKind string

// Sink kinds.
const (
	SinkNetwork  SinkKind = "network"
	SinkSMS      SinkKind = "sms"
	SinkFile     SinkKind = "file"
	SinkLog      SinkKind = "log"
	SinkProvider SinkKind = "provider"
	SinkIPC      SinkKind = "ipc"
	SinkWebView  SinkKind = "webview"
	SinkSDK      SinkKind = "sdk"
	// SinkStream is a write to a stream or writer: network or file,
	// depending on where the stream was opened.
	SinkStream SinkKind = "stream"
)

// NoArg marks an absent argument position (SinkRule.Dest, OriginRule.Dest).
const NoArg = -2

// ReceiverDest in SinkRule.Dest: the destination is the receiver's, named
// when the receiver was opened or built.
const ReceiverDest = -1

// SinkRule is a call that sends, writes or hands data on.
type SinkRule struct {
	Class, Method string
	Kind          SinkKind
	// Data are the argument positions whose value is sent; nil means every
	// argument but an instance method's receiver.
	Data []int
	// Dest is the position of the argument that names the destination,
	// ReceiverDest for the receiver's, NoArg for none.
	Dest   int
	Stream bool
	// SDK names the SDK for an SDK entry point (Kind SinkSDK).
	SDK   string
	Title string
	// Unless, when set, names a call that does not write: the argument at
	// UnlessArg is a string constant starting (case aside) with one of
	// UnlessPrefixes ("delete from …" passed to execSQL).
	UnlessArg      int
	UnlessPrefixes []string
}

// NotAWrite reports whether a call matching the rule, whose argument at
// r.UnlessArg is the constant s, does not write.
func (r *SinkRule) NotAWrite(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, p := range r.UnlessPrefixes {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// OriginRule is a call whose result (or new object) leads to a destination.
type OriginRule struct {
	Class, Method string
	// Kind is SinkNetwork or SinkFile, or "inherit" for a wrapper that
	// takes the destination of the stream or writer it wraps.
	Kind string
	// Dest is the argument naming the destination, NoArg to keep the
	// receiver's.
	Dest int
	// Receiver marks a call that sets the destination of its receiver
	// (Socket.connect, Request.Builder.url) as well as of its result.
	Receiver bool
}

// ViewRule is a call that returns a view by its resource id.
type ViewRule struct {
	Class, Method string
	ID            int
}

// ReadRule is a call that reads what a person typed or chose in a view.
type ReadRule struct {
	Class, Method, Title string
}

// KeyedRule is a container that files values under a key: a value put
// under one constant key is not what a get of another key returns.
type KeyedRule struct {
	Class string
	Put   []string // method name prefixes that put a value under the key
	Get   []string // method name prefixes that get the value under the key
	Key   int      // the key's argument position (1: the first declared argument)
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// IsPut reports whether a method of the container puts under a key.
func (r *KeyedRule) IsPut(method string) bool { return hasAnyPrefix(method, r.Put) }

// IsGet reports whether a method of the container gets by a key.
func (r *KeyedRule) IsGet(method string) bool { return hasAnyPrefix(method, r.Get) }

// HandoffRule is a call that runs another object's method later.
type HandoffRule struct {
	Class, Method string
	Arg           int    // the position of the object whose method runs
	Run           string // the method that runs
	Pass          []int  // the argument positions handed to it
}

// FlowTables holds the flow analysis's knowledge.
type FlowTables struct {
	Sinks       []SinkRule
	Origins     []OriginRule
	Views       []ViewRule
	Reads       []ReadRule
	Handoffs    []HandoffRule
	Collections []string
	Keyed       []KeyedRule

	sinks    map[string][]*SinkRule
	replies  map[string]bool
	measures map[string]bool
	keyed    map[string]*KeyedRule
	origins  map[string][]*OriginRule
	reads    map[[2]string]*ReadRule // by class and method
	readName map[string]bool
	handoffs map[string][]*HandoffRule
	views    map[string]*ViewRule
	coll     map[string]bool
	// receivers are the lifecycle methods that receive the intent that
	// started their component (intent_receivers).
	receivers map[string]bool
}

type sinkDoc struct {
	Comment string `json:"comment"`
	Sinks   []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
		Kind   string `json:"kind"`
		Data   []int  `json:"data"`
		Dest   *int   `json:"dest"`
		Stream bool   `json:"stream"`
		Title  string `json:"title"`
		Unless *struct {
			Arg      int      `json:"arg"`
			Prefixes []string `json:"prefixes"`
		} `json:"unless"`
	} `json:"sinks"`
	Replies []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
	} `json:"replies"`
	Measures []string `json:"measures"`
	Keyed    []struct {
		Class string   `json:"class"`
		Put   []string `json:"put"`
		Get   []string `json:"get"`
		Key   int      `json:"key"`
	} `json:"keyed"`
	Origins []struct {
		Class    string `json:"class"`
		Method   string `json:"method"`
		Kind     string `json:"kind"`
		Dest     *int   `json:"dest"`
		Receiver bool   `json:"receiver"`
	} `json:"origins"`
	Views []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
		ID     int    `json:"id"`
	} `json:"views"`
	Reads []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
		Title  string `json:"title"`
	} `json:"reads"`
	Handoffs []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
		Arg    int    `json:"arg"`
		Run    string `json:"run"`
		Pass   []int  `json:"pass"`
	} `json:"handoffs"`
	Collections []string `json:"collections"`
	SDKSinks    []struct {
		Class  string `json:"class"`
		Method string `json:"method"`
		Data   []int  `json:"data"`
		SDK    string `json:"sdk"`
		Title  string `json:"title"`
	} `json:"sdk_sinks"`
	IntentReceivers []struct {
		Method string `json:"method"`
		Why    string `json:"why"`
	} `json:"intent_receivers"`
}

var flowOnce = sync.OnceValues(loadFlowTables)

// Flows returns the flow analysis's tables (data/sinks.json).
func Flows() *FlowTables {
	t, err := flowOnce()
	mustLoad(err)
	return t
}

func validDescriptor(s string) bool {
	return len(s) > 2 && s[0] == 'L' && s[len(s)-1] == ';' && !strings.ContainsAny(s, " .")
}

func loadFlowTables() (*FlowTables, error) {
	const file = "data/sinks.json"
	var doc sinkDoc
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	t := &FlowTables{
		sinks: map[string][]*SinkRule{}, origins: map[string][]*OriginRule{}, reads: map[[2]string]*ReadRule{},
		handoffs: map[string][]*HandoffRule{}, views: map[string]*ViewRule{}, coll: map[string]bool{},
		readName: map[string]bool{}, receivers: map[string]bool{},
	}
	bad := func(item, msg string) error { return &DataError{File: file, Item: item, Msg: msg} }
	member := func(class, method string, anyClass bool) error {
		if !(anyClass && class == "*") && !validDescriptor(class) {
			return bad(class+"->"+method, "class is not a DEX descriptor")
		}
		if method == "" || strings.ContainsAny(method, " ;(") {
			return bad(class+"->"+method, "bad method name")
		}
		return nil
	}
	positions := func(item string, ps []int) error {
		for _, p := range ps {
			if p < 0 || p > 255 {
				return bad(item, "argument position "+strconv.Itoa(p)+" out of range")
			}
		}
		return nil
	}
	for _, s := range doc.Sinks {
		item := s.Class + "->" + s.Method
		if err := member(s.Class, s.Method, false); err != nil {
			return nil, err
		}
		k := SinkKind(s.Kind)
		switch k {
		case SinkNetwork, SinkSMS, SinkFile, SinkLog, SinkProvider, SinkIPC, SinkWebView, SinkStream:
		default:
			return nil, bad(item, "unknown sink kind "+s.Kind)
		}
		if (k == SinkStream) != s.Stream {
			return nil, bad(item, "stream sinks are kind stream, and only they")
		}
		if s.Title == "" {
			return nil, bad(item, "no title")
		}
		if err := positions(item, s.Data); err != nil {
			return nil, err
		}
		dest := NoArg
		if s.Dest != nil {
			dest = *s.Dest
			if dest < ReceiverDest || dest > 255 {
				return nil, bad(item, "dest out of range")
			}
		}
		if k == SinkStream && dest != ReceiverDest {
			return nil, bad(item, "a stream sink's destination is its receiver's (dest -1)")
		}
		rule := SinkRule{Class: s.Class, Method: s.Method, Kind: k, Data: s.Data, Dest: dest, Stream: s.Stream, Title: s.Title}
		if u := s.Unless; u != nil {
			if len(u.Prefixes) == 0 {
				return nil, bad(item, "unless names no prefix")
			}
			if err := positions(item, []int{u.Arg}); err != nil {
				return nil, err
			}
			rule.UnlessArg = u.Arg
			for _, p := range u.Prefixes {
				if p == "" || p != strings.ToLower(p) {
					return nil, bad(item, "unless prefixes are lower-case and not empty")
				}
				rule.UnlessPrefixes = append(rule.UnlessPrefixes, p)
			}
		}
		t.Sinks = append(t.Sinks, rule)
	}
	t.replies, t.measures, t.keyed = map[string]bool{}, map[string]bool{}, map[string]*KeyedRule{}
	for _, r := range doc.Replies {
		if err := member(r.Class, r.Method, false); err != nil {
			return nil, err
		}
		t.replies[r.Class+"->"+r.Method] = true
	}
	for _, m := range doc.Measures {
		if err := member("Ljava/lang/Object;", m, false); err != nil || m == AnyMethod {
			return nil, bad(m, "a measure is a method name")
		}
		t.measures[m] = true
	}
	for _, k := range doc.Keyed {
		if !validDescriptor(k.Class) {
			return nil, bad(k.Class, "keyed container is not a DEX descriptor")
		}
		if len(k.Put) == 0 || len(k.Get) == 0 || k.Key < 1 {
			return nil, bad(k.Class, "a keyed container names its put and get prefixes and its key position (1 or more)")
		}
		if _, dup := t.keyed[k.Class]; dup {
			return nil, bad(k.Class, "keyed container listed twice")
		}
		t.Keyed = append(t.Keyed, KeyedRule{Class: k.Class, Put: k.Put, Get: k.Get, Key: k.Key})
	}
	for i := range t.Keyed {
		t.keyed[t.Keyed[i].Class] = &t.Keyed[i]
	}
	for _, s := range doc.SDKSinks {
		item := s.Class + "->" + s.Method
		if err := member(s.Class, s.Method, false); err != nil {
			return nil, err
		}
		if s.SDK == "" || s.Title == "" {
			return nil, bad(item, "an SDK sink needs its sdk and title")
		}
		if err := positions(item, s.Data); err != nil {
			return nil, err
		}
		t.Sinks = append(t.Sinks, SinkRule{Class: s.Class, Method: s.Method, Kind: SinkSDK, Data: s.Data, Dest: NoArg, SDK: s.SDK, Title: s.Title})
	}
	for _, o := range doc.Origins {
		item := o.Class + "->" + o.Method
		if err := member(o.Class, o.Method, false); err != nil {
			return nil, err
		}
		switch o.Kind {
		case string(SinkNetwork), string(SinkFile), "inherit":
		default:
			return nil, bad(item, "unknown origin kind "+o.Kind)
		}
		dest := NoArg
		if o.Dest != nil {
			dest = *o.Dest
			if dest < 0 || dest > 255 {
				return nil, bad(item, "dest out of range")
			}
		}
		if o.Kind == "inherit" && dest == NoArg {
			return nil, bad(item, "an inherit origin names the wrapped argument")
		}
		t.Origins = append(t.Origins, OriginRule{Class: o.Class, Method: o.Method, Kind: o.Kind, Dest: dest, Receiver: o.Receiver})
	}
	for _, v := range doc.Views {
		if err := member(v.Class, v.Method, true); err != nil {
			return nil, err
		}
		t.Views = append(t.Views, ViewRule{Class: v.Class, Method: v.Method, ID: v.ID})
	}
	for _, r := range doc.Reads {
		if err := member(r.Class, r.Method, false); err != nil {
			return nil, err
		}
		if r.Title == "" {
			return nil, bad(r.Class+"->"+r.Method, "no title")
		}
		t.Reads = append(t.Reads, ReadRule{Class: r.Class, Method: r.Method, Title: r.Title})
	}
	for _, h := range doc.Handoffs {
		item := h.Class + "->" + h.Method
		if err := member(h.Class, h.Method, false); err != nil {
			return nil, err
		}
		if h.Run == "" {
			return nil, bad(item, "no method to run")
		}
		if err := positions(item, append([]int{h.Arg}, h.Pass...)); err != nil {
			return nil, err
		}
		t.Handoffs = append(t.Handoffs, HandoffRule{Class: h.Class, Method: h.Method, Arg: h.Arg, Run: h.Run, Pass: h.Pass})
	}
	for _, c := range doc.Collections {
		if !validDescriptor(c) {
			return nil, bad(c, "collection is not a DEX descriptor")
		}
		t.Collections = append(t.Collections, c)
		t.coll[c] = true
	}
	for _, r := range doc.IntentReceivers {
		switch {
		case r.Method == "" || strings.ContainsAny(r.Method, " ;(<>") || r.Why == "":
			return nil, bad(r.Method, "an intent receiver is a method name with a why")
		case t.receivers[r.Method]:
			return nil, bad(r.Method, "duplicate intent receiver")
		}
		t.receivers[r.Method] = true
	}
	for i := range t.Sinks {
		r := &t.Sinks[i]
		t.sinks[r.Class] = append(t.sinks[r.Class], r)
	}
	for i := range t.Origins {
		r := &t.Origins[i]
		t.origins[r.Class] = append(t.origins[r.Class], r)
	}
	for i := range t.Reads {
		r := &t.Reads[i]
		t.reads[[2]string{r.Class, r.Method}] = r
		t.readName[r.Method] = true
	}
	for i := range t.Handoffs {
		r := &t.Handoffs[i]
		t.handoffs[r.Class] = append(t.handoffs[r.Class], r)
	}
	for i := range t.Views {
		r := &t.Views[i]
		t.views[r.Method] = r
	}
	return t, nil
}

// ReceivesIntent reports whether a component's lifecycle method of this
// name receives the intent that started or bound the component.
func (t *FlowTables) ReceivesIntent(method string) bool { return t.receivers[method] }

func matchMember[T any](m map[string][]*T, class, method string, name func(*T) string) []*T {
	var out []*T
	for _, r := range m[class] {
		if n := name(r); n == method || n == AnyMethod {
			out = append(out, r)
		}
	}
	return out
}

// Sink returns the sink rules for a method of a class (the class named in
// the invoke, or one of its supertypes).
func (t *FlowTables) Sink(class, method string) []*SinkRule {
	return matchMember(t.sinks, class, method, func(r *SinkRule) string { return r.Method })
}

// Origin returns the origin rules for a method of a class.
func (t *FlowTables) Origin(class, method string) []*OriginRule {
	return matchMember(t.origins, class, method, func(r *OriginRule) string { return r.Method })
}

// Handoff returns the hand-off rules for a method of a class.
func (t *FlowTables) Handoff(class, method string) []*HandoffRule {
	return matchMember(t.handoffs, class, method, func(r *HandoffRule) string { return r.Method })
}

// Read returns the rule for a call that reads a view's value, or nil.
func (t *FlowTables) Read(class, method string) *ReadRule {
	return t.reads[[2]string{class, method}]
}

// ReadsByName reports whether some read rule names a method of this name:
// a cheap filter before Read.
func (t *FlowTables) ReadsByName(method string) bool { return t.readName[method] }

// View returns the rule for a call that finds a view by id, or nil. Views
// match by method name on any class.
func (t *FlowTables) View(method string) *ViewRule { return t.views[method] }

// Reply reports whether a call returns what the other side of a
// connection or stream sends back (a response, an input stream): never
// what was sent, so the result carries no value of the request.
func (t *FlowTables) Reply(class, method string) bool { return t.replies[class+"->"+method] }

// Measure reports whether a method's primitive result measures a value
// (its length, size, hash, position) rather than carrying it.
func (t *FlowTables) Measure(method string) bool { return t.measures[method] }

// KeyedContainer returns the rule for a container that files values under
// keys, or nil.
func (t *FlowTables) KeyedContainer(class string) *KeyedRule { return t.keyed[class] }

// Collection reports whether a class is a collection type.
func (t *FlowTables) Collection(class string) bool { return t.coll[class] }

// HasClass reports whether any sink, origin, read or hand-off names the
// class: a cheap filter before the per-method lookups.
func (t *FlowTables) HasClass(class string) bool {
	if len(t.sinks[class]) > 0 || len(t.origins[class]) > 0 || len(t.handoffs[class]) > 0 {
		return true
	}
	for _, r := range t.Reads {
		if r.Class == class {
			return true
		}
	}
	return false
}
