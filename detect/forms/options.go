package forms

import (
	"slices"
	"strconv"
	"strings"

	"appxray/app"
	"appxray/arsc"
	"appxray/res"
	"appxray/scan"
)

// longList is the size above which a list's options alone must agree
// several times (twice, and in a tenth of the options) before the list is
// placed in a category: one "Islam" among two hundred languages is not a
// list of religions.
const longList = 12

// arrayLists turns every string-array of the part's table into an option
// list, with its items in every locale that translates it or one of the
// strings it refers to.
func (s *state) arrayLists(p *app.Part, rs *resolver) {
	t := rs.table
	if t == nil {
		return
	}
	seen := map[uint32]bool{}
	for _, pkg := range t.Packages {
		for _, ty := range pkg.Types {
			if ty.Name != "array" {
				continue
			}
			for idx := uint32(0); idx < ty.EntryCount && idx <= 0xffff; idx++ {
				if s.pass.Context.Err() != nil {
					return
				}
				id := pkg.ID<<24 | uint32(ty.ID)<<16 | idx
				if seen[id] {
					continue
				}
				seen[id] = true
				o, ok := s.arrayList(p, rs, id)
				if !ok {
					continue
				}
				if i := s.addOptionList(o); i >= 0 {
					s.arrays[arrayKey{p, id}] = i
					s.arrayIDs[o.Source] = id
				} else {
					return
				}
			}
		}
	}
}

// arrayList reads one array resource; it reports false for arrays that are
// not wholly strings (integer arrays, typed arrays of drawables or colours).
func (s *state) arrayList(p *app.Part, rs *resolver, id uint32) (OptionList, bool) {
	t := rs.table
	ces := t.Entries(id)
	var base *arsc.Entry
	locs := map[string]bool{"": true}
	for _, ce := range ces {
		if !ce.Entry.Complex {
			continue
		}
		if base == nil || ce.Config.IsDefault() {
			base = ce.Entry
		}
		locs[app.BCP47(ce.Config.Locale())] = true
	}
	if base == nil || len(base.Bag) == 0 {
		return OptionList{}, false
	}
	refSeen := false
	for _, it := range base.Bag {
		switch {
		case it.Value.Type == res.TypeString:
		case it.Value.IsReference():
			target := it.Value.Data
			if target>>24 == 0 {
				target |= id & 0xff000000
			}
			if !strings.Contains(rs.refName(target), "string/") {
				return OptionList{}, false
			}
			// Items that refer to strings are translated under the
			// strings' names. Such arrays are translated as a whole, so
			// the first item's locales stand for all (looking up every
			// item's would cost a pass over every locale per item).
			if !refSeen {
				refSeen = true
				for loc := range rs.perLocale(target) {
					locs[loc] = true
				}
			}
		default:
			return OptionList{}, false
		}
	}
	name := rs.refName(id)
	o := OptionList{Source: name, Options: map[string][]string{}}
	var def []string
	for _, loc := range sortedLocales(locs) {
		items, err := t.StringArray(id, loc)
		if err != nil {
			continue
		}
		if loc == "" {
			def = items
		} else if slices.Equal(items, def) {
			continue
		}
		o.Options[loc] = items
	}
	if len(o.Options) == 0 {
		return OptionList{}, false
	}
	o.Evidence = scan.Resource(p.Location("resources.arsc"), name, "")
	return o, true
}

// linkSpinner records that a Spinner shows an array, and lends the array
// the Spinner's label as its title.
func (d *docWalk) linkSpinner(i int, class, id string, line int, labels map[string]string) {
	o := &d.res.OptionLists[i]
	o.UsedBy = append(o.UsedBy, scan.LayoutWidget(d.loc, class, id, line, "").Location)
	if o.Title == nil && labels != nil {
		o.Title = copyMap(labels)
	}
}

// radioList turns a RadioGroup's buttons into an option list.
func (d *docWalk) radioList(fi int, g *groupState) {
	f := &d.res.Fields[fi]
	o := OptionList{
		Source:   f.Evidence.Location,
		Options:  perLocaleOptions(g.buttons),
		Evidence: f.Evidence.Place(),
	}
	if f.Labels != nil {
		o.Title = copyMap(f.Labels)
	}
	d.addOptionList(o)
}

// perLocaleOptions builds one list per locale from each option's texts,
// using an option's default text where a locale does not translate it.
func perLocaleOptions(opts []map[string]string) map[string][]string {
	locs := map[string]bool{"": true}
	for _, o := range opts {
		for l := range o {
			locs[l] = true
		}
	}
	out := map[string][]string{}
	for l := range locs {
		list := make([]string, 0, len(opts))
		for _, o := range opts {
			t, ok := o[l]
			if !ok {
				t, ok = o[""]
			}
			if !ok {
				t = values(o)[0]
			}
			list = append(list, t)
		}
		out[l] = list
	}
	return out
}

// finishOptionLists classifies every option list, once spinners have lent
// arrays their titles.
func (s *state) finishOptionLists() {
	for i := range s.res.OptionLists {
		o := &s.res.OptionLists[i]
		var srcs []source
		if name := listName(o.Source); name != "" {
			srcs = append(srcs, identSource("name", "name", name))
		}
		if o.Title != nil {
			srcs = append(srcs, source{name: "title", group: "title", texts: o.Title})
		}
		// An array may lack a default (only translated configurations).
		n := 0
		for _, opts := range o.Options {
			n = max(n, len(opts))
		}
		for j := 0; j < n; j++ {
			texts := map[string]string{}
			for l, opts := range o.Options {
				if j < len(opts) && !untitled(opts[j]) {
					texts[l] = opts[j]
				}
			}
			srcs = append(srcs, source{name: "option", group: "option" + strconv.Itoa(j), texts: texts})
		}
		vs := classify(s.lex, srcs, false)
		if n > longList {
			vs = slices.DeleteFunc(vs, func(v *verdict) bool {
				return optionsOnly(v) && len(v.groups) < max(2, n/10)
			})
		}
		vs, o.Evidence.Detail = s.judgeList(i, o, vs)
		o.Categories, o.Matches = categoriesOf(vs)
		s.listVerdicts = append(s.listVerdicts, vs)
		o.Evidence.Detail = strings.TrimPrefix(listDetail(o)+"; "+o.Evidence.Detail, "; ")
		o.Evidence.Detail = strings.TrimSuffix(o.Evidence.Detail, "; ")
	}
}

// maxOptionWords bounds an option: a list whose items run longer is prose
// (a licence, a FAQ, help text) stored as an array, not choices.
const maxOptionWords = 8

// judgeList applies what makes a list's categories claims: its items are
// short choices, not prose; a special category is named by its title or
// name, or by at least two of its options; and the list is offered to
// someone: shown by a widget that is not a search filter, in a layout that
// is in use, or (a string-array) referred to by code or a preference.
// Lists that fail the last test keep their categories at low confidence.
// It returns the verdicts kept and a note for the evidence.
func (s *state) judgeList(i int, o *OptionList, vs []*verdict) ([]*verdict, string) {
	if len(vs) == 0 {
		return vs, ""
	}
	if proseList(o) {
		return nil, "prose stored as a list, not choices"
	}
	// Options are names of things: weak words agreeing across them ("Cell
	// phone", "Cordless phone") are a list of kinds, not a question; a list
	// needs a strong term in its default text (a translator's "Telemóvel"
	// for "Cellular" does not make a list of device kinds a phone number).
	vs = slices.DeleteFunc(vs, func(v *verdict) bool { return !v.strongUntranslated() })
	vs = slices.DeleteFunc(vs, func(v *verdict) bool {
		if !v.category.Special() {
			return false
		}
		named := v.strongFrom("title", "name")
		options := 0
		for _, g := range v.groups {
			if strings.HasPrefix(g, "option") {
				options++
			}
		}
		return !named && options < 2
	})
	// A category that a single item alone supports needs a strong term in
	// the item's default text: "Name" in a sort order ("Name", "Size",
	// "Date") is no question about a name, whatever a translation says.
	vs = slices.DeleteFunc(vs, func(v *verdict) bool {
		if !optionsOnly(v) || len(v.groups) != 1 {
			return false
		}
		j, err := strconv.Atoi(strings.TrimPrefix(v.groups[0], "option"))
		def := o.Options[""]
		if err != nil || j >= len(def) {
			return true
		}
		for _, lm := range s.lex.MatchText(def[j]) {
			if lm.Strong && slices.Contains(lm.Categories, v.category) {
				return false
			}
		}
		return true
	})
	users := s.listUsers[i]
	queryOnly, shown := len(users) > 0, false
	for _, fi := range users {
		if info := s.fieldInfo[fi]; info.query == nil {
			queryOnly = false
			shown = shown || !s.unusedLayout(info.layout)
		}
	}
	switch {
	case queryOnly:
		return nil, "shown only by search or filter fields: it queries data, it does not collect it"
	case shown, strings.Contains(o.Source, " RadioGroup ") && !s.unusedLayoutOf(o.Source), strings.Contains(o.Source, " select name="):
		return vs, ""
	case strings.HasPrefix(o.Source, "@") && len(users) == 0 && s.arrayReferred(o):
		return vs, "" // referred to by code or another resource
	}
	for _, v := range vs {
		v.low = true
	}
	return vs, "not shown by any widget in use (defined but not used)"
}

// proseList reports whether most of a list's items are sentences.
func proseList(o *OptionList) bool {
	opts := o.Options[""]
	if len(opts) == 0 {
		for _, l := range sortedLocales(o.Options) {
			opts = o.Options[l]
			break
		}
	}
	long := 0
	for _, opt := range opts {
		if len(strings.Fields(opt)) > maxOptionWords || prose(map[string]string{"": opt}) {
			long++
		}
	}
	return len(opts) > 0 && 2*long >= len(opts)
}

// unusedLayout reports whether nothing inflates or includes a layout.
func (s *state) unusedLayout(l resRef) bool {
	return s.unused(l.id, l.name)
}

// unusedLayoutOf finds the layout of a radio group's list by its source.
func (s *state) unusedLayoutOf(source string) bool {
	file, _, _ := strings.Cut(source, " ")
	return s.unusedLayout(s.layoutIDs[file])
}

// arrayReferred reports whether the app's code or another resource is
// seen to refer to a string-array (an app without code shows none).
func (s *state) arrayReferred(o *OptionList) bool {
	id, name := s.arrayIDs[o.Source], listName(o.Source)
	s.scanCode()
	return id != 0 && (s.refs.fromRes[id] || s.refs.codeSeen && !s.unused(id, name))
}

// optionsOnly reports whether only a list's options support a verdict.
func optionsOnly(v *verdict) bool {
	for _, g := range v.groups {
		if !strings.HasPrefix(g, "option") {
			return false
		}
	}
	return true
}

// listName is the identifier naming a list: an array's name, a radio
// group's id, an HTML select's name.
func listName(source string) string {
	if rest, ok := strings.CutPrefix(source, "@"); ok {
		if _, name, ok := strings.Cut(rest, "/"); ok {
			return name
		}
		return ""
	}
	if i := strings.LastIndex(source, "@id/"); i >= 0 {
		return source[i+len("@id/"):]
	}
	if i := strings.LastIndex(source, " name="); i >= 0 {
		return source[i+len(" name="):]
	}
	return ""
}
