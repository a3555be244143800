package trackers

import (
	"slices"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/stringscan"
	"appxray/dex"
	"appxray/knowledge"
)

// exodusHits finds trackers as Exodus Privacy's analysis does
// (--trackers-match exodus): every class name Exodus would list (see
// exodusClasses) is searched with every tracker's code signature, and
// every host and URL with its network signature.
func exodusHits(pass *analysis.Pass, files []*app.DexFile, m *knowledge.TrackerMatcher, sr *stringscan.Result) (any, error) {
	seen := map[string]bool{}
	var classes []string
	for _, df := range files {
		if err := pass.Context.Err(); err != nil {
			return nil, err
		}
		for _, d := range exodusClasses(df.File) {
			if n := knowledge.ExodusClassName(d); n != "" && !seen[n] {
				seen[n] = true
				classes = append(classes, n)
			}
		}
	}
	sort.Strings(classes)
	hits := map[string]*Hit{}
	var order []string
	hit := func(t *knowledge.Tracker) *Hit {
		h, ok := hits[t.ID]
		if !ok {
			h = &Hit{ID: t.ID, Name: t.Name, Website: t.Website, Categories: t.Categories, Source: t.Source}
			hits[t.ID] = h
			order = append(order, t.ID)
		}
		return h
	}
	ts, first := m.MatchExodusClasses(classes)
	for i, t := range ts {
		h := hit(t)
		h.Signatures = []string{t.ExodusCode}
		h.SampleClasses = []string{first[i]}
		h.Classes = 1
	}
	if sr != nil {
		for _, e := range sr.Endpoints {
			if t, _ := m.MatchEndpoint(e.Host, e.URL); t != nil {
				h := hit(t)
				if !slices.Contains(h.Hosts, e.Host) {
					h.Hosts = append(h.Hosts, e.Host)
				}
			}
		}
	}
	out := &Result{Hits: make([]*Hit, 0, len(hits))}
	for _, id := range order {
		sort.Strings(hits[id].Hosts)
		out.Hits = append(out.Hits, hits[id])
	}
	sort.Slice(out.Hits, func(i, j int) bool { return out.Hits[i].Name < out.Hits[j].Name })
	return out, nil
}

// exodusClasses lists the class descriptors on the lines Exodus's class
// listing reads from `dexdump` (without -d): each class's descriptor,
// superclass and interfaces, each field's type, and the first class type
// of each method's signature. (dexdump's debug-info lines, which name the
// types of local variables, are not read here: every such type is also a
// parameter, field or class type in the same file in practice, but not by
// rule.)
func exodusClasses(f *dex.File) []string {
	var out []string
	for i := 0; i < f.NumClassDefs(); i++ {
		c, err := f.ClassDef(i)
		if err != nil {
			continue
		}
		out = append(out, c.Class)
		if c.Superclass != "" {
			out = append(out, c.Superclass)
		}
		out = append(out, c.Interfaces...)
		cd, err := f.ClassData(c.Item.ClassDataOff)
		if err != nil {
			continue
		}
		for _, fl := range [][]dex.EncodedField{cd.StaticFields, cd.InstanceFields} {
			for _, ef := range fl {
				if r, err := f.Field(ef.FieldIdx); err == nil {
					out = append(out, r.Type)
				}
			}
		}
		for _, ml := range [][]dex.EncodedMethod{cd.DirectMethods, cd.VirtualMethods} {
			for _, em := range ml {
				if r, err := f.Method(em.MethodIdx); err == nil {
					if j := strings.IndexByte(r.Proto, 'L'); j >= 0 {
						out = append(out, r.Proto[j:])
					}
				}
			}
		}
	}
	return out
}
