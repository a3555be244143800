package flows

import (
	"context"
	"sort"
	"strings"

	"appxray/app"
	"appxray/dex"
	"appxray/knowledge"
)

// lifecycle lists, per component kind, the methods Android calls: the
// entry points of the call graph.
var lifecycle = map[string][]string{
	"activity":    {"onCreate", "onStart", "onResume", "onNewIntent", "onActivityResult", "onPause", "onStop", "onDestroy"},
	"service":     {"onCreate", "onStartCommand", "onStart", "onBind", "onHandleIntent", "onHandleWork", "onDestroy"},
	"receiver":    {"onReceive"},
	"provider":    {"onCreate", "query", "insert", "update", "delete", "call"},
	"application": {"onCreate", "attachBaseContext"},
}

// graphDepth bounds the walk from an entry point for low-confidence flows.
const graphDepth = 4

// maxReached bounds the methods one entry point's walk visits.
const maxReached = 4000

// maxLow bounds the low-confidence flows kept.
const maxLow = 30

type edgeTo struct {
	to      mref
	pc      uint32
	android string // "" for a bytecode call, else the kind of Android edge
}

// edges returns the calls out of a method: the invokes resolved on the
// class hierarchy, and the edges Android makes: a component started by an
// Intent naming its class, work handed to a Runnable or AsyncTask, a
// listener registered on this class or a new instance of one.
func (a *analyzer) edges(m *method) []edgeTo {
	f := a.prog.dex[m.ref.dex].file
	insns := m.code.Insns
	n := uint32(len(insns) / 2)
	classes := map[uint32]string{} // register -> class from const-class, new-instance or this
	if !m.static && m.code.RegistersSize >= m.code.InsSize {
		classes[uint32(m.code.RegistersSize-m.code.InsSize)] = m.class
	}
	var started []string // classes named to an Intent in this method
	var out []edgeTo
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			break
		}
		pc += in.Size
		switch {
		case in.Op == 0x1c || in.Op == 0x22:
			if c, err := f.TypeName(in.Index); err == nil {
				classes[in.A] = c
			}
			continue
		case (in.Op >= 0x6e && in.Op <= 0x72) || (in.Op >= 0x74 && in.Op <= 0x78):
		case in.Format == dex.Fmt12x || in.Format == dex.Fmt11x || in.Format == dex.Fmt21c || in.Format == dex.Fmt22c || in.Format == dex.Fmt23x || in.Format == dex.Fmt11n || in.Format == dex.Fmt21s || in.Format == dex.Fmt31i || in.Format == dex.Fmt21h:
			if in.Op >= 0x01 && in.Op <= 0x09 {
				if c, ok := classes[in.B]; ok {
					classes[in.A] = c
					continue
				}
			}
			delete(classes, in.A)
			continue
		default:
			continue
		}
		ref, err := f.Method(in.Index)
		if err != nil {
			continue
		}
		virtual := in.Op == 0x6e || in.Op == 0x72 || in.Op == 0x74 || in.Op == 0x78
		owner := ref.Class
		if virtual && !a.prog.h.Defined(owner) {
			// A framework class's virtual method runs an app method only on
			// an object known to be of the app's class.
			owner = ""
			if in.NArgs > 0 {
				if c, ok := classes[in.Arg(0)]; ok && a.prog.h.Defined(c) {
					owner = c
				}
			}
		}
		if owner != "" {
			for _, t := range a.prog.targets(owner, ref.Name, ref.Proto, virtual) {
				out = append(out, edgeTo{t, in.PC, ""})
			}
		}
		arg := func(i int) (string, bool) {
			if i >= int(in.NArgs) {
				return "", false
			}
			c, ok := classes[in.Arg(i)]
			return c, ok && a.prog.h.Defined(c)
		}
		if ref.Class == "Landroid/content/Intent;" || ref.Class == "Landroid/content/ComponentName;" {
			for i := 1; i < int(in.NArgs); i++ {
				if c, ok := arg(i); ok {
					started = append(started, c)
				}
			}
		}
		if strings.HasPrefix(ref.Name, "start") || strings.HasPrefix(ref.Name, "send") || ref.Name == "bindService" {
			for _, c := range started {
				for _, names := range lifecycle {
					for _, nm := range names {
						for _, t := range a.runTargets(c, nm) {
							out = append(out, edgeTo{t, in.PC, "intent"})
						}
					}
				}
			}
		}
		for _, c := range a.classChain(ref.Class) {
			for _, h := range a.prog.ft.Handoff(c, ref.Name) {
				if oc, ok := arg(h.Arg); ok {
					for _, t := range a.runTargets(oc, h.Run) {
						out = append(out, edgeTo{t, in.PC, "handoff"})
					}
				}
			}
		}
		if (strings.HasPrefix(ref.Name, "set") || strings.HasPrefix(ref.Name, "add")) && strings.HasSuffix(ref.Name, "Listener") || strings.HasSuffix(ref.Name, "Callback") {
			for i := 1; i < int(in.NArgs); i++ {
				oc, ok := arg(i)
				if !ok {
					continue
				}
				hc := a.prog.h.Class(oc)
				if hc == nil {
					continue
				}
				x := a.prog.dex[hc.Dex]
				cd, err := x.file.ClassDefItem(hc.Def)
				if err != nil {
					continue
				}
				data, err := x.file.ClassData(cd.ClassDataOff)
				if err != nil {
					continue
				}
				for _, em := range data.VirtualMethods {
					if em.CodeOff == 0 {
						continue
					}
					if mr, err := x.file.Method(em.MethodIdx); err == nil && strings.HasPrefix(mr.Name, "on") {
						out = append(out, edgeTo{mref{hc.Dex, em.MethodIdx}, in.PC, "listener"})
					}
				}
			}
		}
	}
	return out
}

// entries lists the lifecycle methods of the manifest's components.
func (a *analyzer) entries(components []app.Component) []mref {
	var out []mref
	seen := map[mref]bool{}
	for _, c := range components {
		names := lifecycle[c.Kind]
		if c.Kind == "activity-alias" {
			continue
		}
		desc := "L" + strings.ReplaceAll(c.Name, ".", "/") + ";"
		for _, nm := range names {
			for _, t := range a.runTargets(desc, nm) {
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].dex != out[j].dex {
			return out[i].dex < out[j].dex
		}
		return out[i].idx < out[j].idx
	})
	return out
}

// lowFlows walks the call graph from every entry point and, where a
// source and a sink of the app's own code are both reached from the same
// entry and no data-flow path joins them, records a low-confidence flow.
func (a *analyzer) lowFlows(ctx context.Context, components []app.Component) GraphStats {
	var st GraphStats
	entries := a.entries(components)
	st.Entries = len(entries)
	srcAt := map[mref][]site{}
	for s := range a.sources {
		srcAt[s.m] = append(srcAt[s.m], s)
	}
	for _, ss := range srcAt {
		sort.Slice(ss, func(i, j int) bool { return ss[i].pc < ss[j].pc })
	}
	// Destinations already reached by a flow, per source; and the
	// sources a data-flow path already follows: where they go is known, a
	// guess from the same entry point would only add destinations they
	// do not reach (the installed-app list POSTed to one server is not in
	// the request to t.me the same service makes).
	covered := map[string]bool{}
	traced := map[*source]bool{}
	for _, f := range a.flows {
		if f != nil {
			covered[f.src.key()+"\x01"+f.sk.key()] = true
			traced[f.src] = true
		}
	}
	reached := map[mref]bool{}
	low := 0
	for _, e := range entries {
		if ctx.Err() != nil {
			break
		}
		parent := map[mref]edgeFrom{e: {}}
		queue := []mref{e}
		depth := map[mref]int{e: 0}
		var srcs []site
		var sinks []sinkAt
		for len(queue) > 0 && len(parent) < maxReached {
			cur := queue[0]
			queue = queue[1:]
			reached[cur] = true
			m := a.prog.method(cur)
			if m == nil {
				continue
			}
			if a.attr.SDK(m.class) == "" {
				srcs = append(srcs, srcAt[cur]...)
				sinks = append(sinks, a.sinkSites(m)...)
			}
			if depth[cur] >= graphDepth {
				continue
			}
			for _, ed := range a.edges(m) {
				st.Edges++
				if ed.android != "" {
					st.AndroidEdges++
				}
				if _, ok := parent[ed.to]; ok {
					continue
				}
				parent[ed.to] = edgeFrom{cur, ed.pc, ed.android}
				depth[ed.to] = depth[cur] + 1
				queue = append(queue, ed.to)
			}
		}
		for _, s := range srcs {
			for _, src := range a.sources[s] {
				if traced[src] {
					continue
				}
				for _, k := range sinks {
					key := src.key() + "\x01" + k.sk.key()
					if covered[key] || low >= maxLow {
						continue
					}
					covered[key] = true
					low++
					steps := a.chain(parent, e, s.m)
					steps = append(steps, step{s.m, s.pc, "reads " + src.api})
					steps = append(steps, a.chain(parent, e, k.m)...)
					steps = append(steps, step{k.m, k.pc, "calls " + k.sk.api})
					a.flows[key] = &flowRec{src: src, sk: k.sk, steps: steps, low: true}
				}
			}
		}
	}
	if low >= maxLow {
		a.cuts = append(a.cuts, "kept the first 30 low-confidence flows")
	}
	st.Reached = len(reached)
	return st
}

type edgeFrom struct {
	from    mref
	pc      uint32
	android string
}

type sinkAt struct {
	m  mref
	pc uint32
	sk *sink
}

// chain is the call path from an entry point to m, as steps.
func (a *analyzer) chain(parent map[mref]edgeFrom, entry, m mref) []step {
	var rev []step
	for cur := m; cur != entry && len(rev) < graphDepth+2; {
		p, ok := parent[cur]
		if !ok {
			break
		}
		what := "calls " + a.location(cur)
		if p.android != "" {
			what = p.android + " to " + a.location(cur)
		}
		rev = append(rev, step{p.from, p.pc, what})
		cur = p.from
	}
	out := []step{{entry, 0, "entry point"}}
	for i := len(rev) - 1; i >= 0; i-- {
		out = append(out, rev[i])
	}
	return out
}

// sinkSites lists the sinks a method calls whose destination the method
// names: a network call in a method that loads a URL, or an SDK.
func (a *analyzer) sinkSites(m *method) []sinkAt {
	f := a.prog.dex[m.ref.dex].file
	insns := m.code.Insns
	n := uint32(len(insns) / 2)
	var url string
	var out []sinkAt
	for pc := uint32(0); pc < n; {
		in, err := dex.Decode(insns, pc)
		if err != nil {
			break
		}
		pc += in.Size
		if in.Op == 0x1a || in.Op == 0x1b {
			if s, err := f.String(in.Index); err == nil && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) && url == "" {
				url = s
			}
			continue
		}
		if !((in.Op >= 0x6e && in.Op <= 0x72) || (in.Op >= 0x74 && in.Op <= 0x78)) {
			continue
		}
		ref, err := f.Method(in.Index)
		if err != nil {
			continue
		}
		if sdk := a.trackerOf(ref.Class); sdk != "" {
			out = append(out, sinkAt{m.ref, in.PC, &sink{kind: knowledge.SinkSDK, api: ref.String(), dest: sdk, sdk: sdk, title: "hands data to the SDK", destParam: -1}})
			continue
		}
		for _, r := range a.prog.ft.Sink(ref.Class, ref.Name) {
			if r.Kind == knowledge.SinkSDK {
				out = append(out, sinkAt{m.ref, in.PC, &sink{kind: r.Kind, api: ref.String(), dest: r.SDK, sdk: r.SDK, title: r.Title, destParam: -1}})
			} else if (r.Kind == knowledge.SinkNetwork || r.Kind == knowledge.SinkStream) && url != "" {
				out = append(out, sinkAt{m.ref, in.PC, &sink{kind: knowledge.SinkNetwork, api: ref.String(), dest: url, title: r.Title, destParam: -1}})
			}
		}
	}
	return out
}
