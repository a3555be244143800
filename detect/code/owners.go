package code

import (
	"math/bits"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/axml"
	"appxray/detect/attribution"
	"appxray/dex"
)

// Whose is the code outside the app's own package that no table names?
// The app's, when the manifest names a component in its namespace (a
// payload under com.android.main, a receiver under com.everysoft), when a
// Cordova page loads it as a plugin (res/xml/config.xml), or when the
// app's own code refers to it (a library the app calls); otherwise it is
// code the app carries and never reaches, and is attributed to
// "third-party code (ns)".

// nsRefs records, for one DEX file, which namespaces the code of each
// namespace refers to (calls, fields, types).
type nsRefs struct {
	names  []string       // namespace by id
	ids    map[string]int // id by namespace
	ofType []int32        // namespace id of each type index, -1 none, -2 not yet
	// edges[from] is the set of namespaces the code of namespace from
	// refers to, as a bitset over their ids: the walk asks at every
	// reference, faster than a map would answer.
	edges [][]uint64
}

// addEdge records that the code of namespace from refers to namespace to.
func (r *nsRefs) addEdge(from, to int) {
	if from >= len(r.edges) {
		r.edges = append(r.edges, make([][]uint64, from+1-len(r.edges))...)
	}
	row, w := r.edges[from], to>>6
	if w >= len(row) {
		row = append(row, make([]uint64, w+1-len(row))...)
		r.edges[from] = row
	}
	row[w] |= 1 << (to & 63)
}

// eachEdge calls fn for every recorded reference between namespaces.
func (r *nsRefs) eachEdge(fn func(from, to string)) {
	for from, row := range r.edges {
		for w, b := range row {
			for ; b != 0; b &= b - 1 {
				fn(r.names[from], r.names[w<<6+bits.TrailingZeros64(b)])
			}
		}
	}
}

func newNSRefs(f *dex.File) *nsRefs {
	r := &nsRefs{ids: map[string]int{}, ofType: make([]int32, f.Header.TypeIDsSize)}
	for i := range r.ofType {
		r.ofType[i] = -2
	}
	return r
}

// typeNS returns the namespace id of a type index, -1 for none.
func (r *nsRefs) typeNS(f *dex.File, t uint32) int {
	if int(t) >= len(r.ofType) {
		return -1
	}
	if v := r.ofType[t]; v != -2 {
		return int(v)
	}
	id := -1
	if b, err := f.TypeDescriptorBytes(t); err == nil && len(b) > 2 && b[0] == 'L' {
		if ns := attribution.Namespace(string(b)); ns != "" {
			var ok bool
			if id, ok = r.ids[ns]; !ok {
				id = len(r.names)
				r.ids[ns] = id
				r.names = append(r.names, ns)
			}
		}
	}
	r.ofType[t] = int32(id)
	return id
}

// method records what one method's code refers to.
func (r *nsRefs) method(f *dex.File, m *dex.Method) {
	from := r.typeNS(f, m.Class)
	if from < 0 {
		return
	}
	// Consecutive references mostly name one namespace: it is recorded
	// once.
	last := from
	add := func(t uint32) {
		if to := r.typeNS(f, t); to >= 0 && to != from && to != last {
			last = to
			r.addEdge(from, to)
		}
	}
	for _, ref := range m.Invokes {
		if ref.Kind == dex.RefMethod {
			if id, err := f.MethodID(ref.Index); err == nil {
				add(uint32(id.ClassIdx))
			}
		}
	}
	for _, refs := range [][]dex.Ref{m.StaticGets, m.StaticPuts, m.InstanceGets, m.InstancePuts} {
		for _, ref := range refs {
			if id, err := f.FieldID(ref.Index); err == nil {
				add(uint32(id.ClassIdx))
			}
		}
	}
	for _, ref := range m.Types {
		if ref.Kind == dex.RefType {
			add(ref.Index)
		}
	}
}

// settleOwners tells the attribution which namespaces are the app's: those
// of the app's package and of what its manifests declare, the Cordova
// plugins its pages load, and every namespace their code refers to, in
// turn. A bare DEX has no manifest to start from: all its code stays the
// app's.
func (ix *IndexResult) settleOwners(pass *analysis.Pass, refs []*nsRefs) {
	if ix.attr == nil || pass.App.Info() == nil {
		return
	}
	own := map[string]bool{}
	var queue []string
	seed := func(class string) {
		class = strings.TrimSpace(class)
		if class == "" {
			return
		}
		ns := attribution.Namespace("L" + strings.ReplaceAll(class, ".", "/") + ";")
		if ns != "" && !own[ns] {
			own[ns] = true
			queue = append(queue, ns)
		}
	}
	parts := append([]*app.Part(nil), pass.App.Parts...)
	for _, em := range pass.App.Embedded() {
		if em.Part != nil && em.HasManifest {
			parts = append(parts, em.Part)
		}
	}
	for _, p := range parts {
		doc := p.Manifest()
		if doc == nil || doc.Root == nil {
			continue
		}
		info := app.ReadInfo(doc, p.Resources())
		seed(info.Package + ".X")
		for _, c := range info.Components {
			seed(c.Name)
		}
		for _, e := range doc.Root.Children {
			if e.Name == "application" || e.Name == "instrumentation" {
				for _, id := range []uint32{app.AttrName, attrBackupAgent} {
					if a, ok := e.AttrByID(id); ok {
						if v, ok := a.String(); ok {
							if strings.HasPrefix(v, ".") {
								v = info.Package + v
							}
							seed(v)
						}
					}
				}
			}
		}
		for _, c := range cordovaPlugins(p) {
			seed(c)
		}
	}
	// Namespace references across every DEX file.
	edges := map[string][]string{}
	for _, r := range refs {
		if r == nil {
			continue
		}
		r.eachEdge(func(from, to string) { edges[from] = append(edges[from], to) })
	}
	for len(queue) > 0 {
		ns := queue[0]
		queue = queue[1:]
		for _, to := range edges[ns] {
			if !own[to] {
				own[to] = true
				queue = append(queue, to)
			}
		}
	}
	ix.attr.SetOwners(func(ns string) bool { return own[ns] })
}

// attrBackupAgent is android:backupAgent.
const attrBackupAgent = 0x0101027f

// cordovaPlugins returns the classes a Cordova app's config.xml maps its
// plugins to (<feature><param name="android-package" value="…"/>, or the
// older <plugin name="…" value="…"/>).
func cordovaPlugins(p *app.Part) []string {
	doc, err := p.XML("res/xml/config.xml")
	if err != nil || doc == nil || doc.Root == nil {
		return nil
	}
	var out []string
	var walk func(e *axml.Element, depth int)
	walk = func(e *axml.Element, depth int) {
		if depth > 8 {
			return
		}
		str := func(name string) string {
			if a, ok := e.Attr("", name); ok {
				if v, ok := a.String(); ok {
					return v
				}
			}
			return ""
		}
		switch {
		case e.Name == "param" && str("name") == "android-package":
			out = append(out, str("value"))
		case e.Name == "plugin" && str("value") != "":
			out = append(out, str("value"))
		}
		for _, c := range e.Children {
			walk(c, depth+1)
		}
	}
	walk(doc.Root, 0)
	return out
}
