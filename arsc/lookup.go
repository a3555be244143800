package arsc

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"appxray/res"
)

// Errors returned by lookups; they are wrapped with the resource ID.
var (
	ErrNotFound       = errors.New("resource not found")
	ErrNoConfig       = errors.New("no value for the requested locale")
	ErrReferenceCycle = errors.New("reference cycle")
	ErrTooDeep        = errors.New("reference chain too long")
	ErrWrongKind      = errors.New("resource is not of the requested kind")
	ErrTooMuchWork    = errors.New("lookup exceeds Limits.MaxLookupWork")
)

// nameIndex caches, per type, each entry's key and the reverse mapping;
// built on first use so that Parse stays cheap.
type nameIndex struct {
	keysOnce sync.Once
	// Key string index per entry index (noKey if undefined); a map when
	// the type's ID range is much larger than the entries present (sparse
	// chunks can claim 65536 IDs with a few bytes).
	keys    []uint32
	keysMap map[uint16]uint32

	byNameOnce sync.Once
	byName     map[string][]uint16
}

const noKey = 0xffffffff

// buildKeys records the key string index of every entry of the type,
// taken from the first configuration that defines it.
func (ty *Type) buildKeys() {
	ty.names.keysOnce.Do(func() {
		dense := uint64(ty.EntryCount) <= 2*ty.slots+64
		if dense {
			ty.names.keys = make([]uint32, ty.EntryCount)
			for i := range ty.names.keys {
				ty.names.keys[i] = noKey
			}
		} else {
			ty.names.keysMap = map[uint16]uint32{}
		}
		for _, tc := range ty.Configs {
			for idx, rel := range tc.offsets() {
				if _, ok := ty.keyOf(idx); ok || idx >= ty.EntryCount || tc.check(rel) != nil {
					continue
				}
				b := tc.chunk[uint64(tc.entriesStart)+uint64(rel):]
				k := u32(b[4:])
				if u16(b[2:])&FlagCompact != 0 {
					k = uint32(u16(b))
				}
				if dense {
					ty.names.keys[idx] = k
				} else {
					ty.names.keysMap[uint16(idx)] = k
				}
			}
		}
	})
}

// keyOf returns the key of entry idx once buildKeys has run.
func (ty *Type) keyOf(idx uint32) (uint32, bool) {
	if ty.names.keysMap != nil {
		k, ok := ty.names.keysMap[uint16(idx)]
		return k, ok && idx < 0x10000
	}
	if idx >= uint32(len(ty.names.keys)) || ty.names.keys[idx] == noKey {
		return 0, false
	}
	return ty.names.keys[idx], true
}

// EntryName returns the name of the type's entry with the given index.
func (ty *Type) EntryName(idx uint16) (string, bool) {
	ty.buildKeys()
	k, ok := ty.keyOf(uint32(idx))
	if !ok || ty.pkg.KeyStrings == nil {
		return "", false
	}
	s, err := ty.pkg.KeyStrings.String(k)
	return s, err == nil
}

// packages returns the packages that may hold id.
func (t *Table) packages(id uint32) []*Package { return t.byID[id>>24] }

// typesOf returns the types that may hold id.
func (t *Table) typesOf(id uint32) []*Type {
	var out []*Type
	for _, p := range t.packages(id) {
		if ty := p.byType[uint8(id>>16)]; ty != nil {
			out = append(out, ty)
		}
	}
	return out
}

// cand is a located, bounds-checked entry not yet decoded.
type cand struct {
	tc  *TypeChunk
	rel uint32
}

// candidates locates id's entry in every configuration that defines it,
// appending to out. work is the number of configurations examined.
func (t *Table) candidates(out []cand, id uint32) (_ []cand, work int) {
	idx := id & 0xffff
	for _, p := range t.packages(id) {
		ty := p.byType[uint8(id>>16)]
		if ty == nil {
			continue
		}
		if inv := ty.inverted(); inv != nil {
			if idx+1 < uint32(len(inv.start)) {
				refs := inv.refs[inv.start[idx]:inv.start[idx+1]]
				for _, r := range refs {
					out = append(out, cand{ty.Configs[r.config], r.rel})
				}
				work += len(refs)
			}
			work++
			continue
		}
		for _, tc := range ty.Configs {
			if rel, ok := tc.locate(idx); ok && tc.check(rel) == nil {
				out = append(out, cand{tc, rel})
			}
		}
		work += len(ty.Configs) + 1
	}
	return out, work
}

// invertedAfter is how many lookups a type serves by scanning its
// configurations before it builds an index from entry to configurations.
const invertedAfter = 32

// invIndex lists, per entry index, the configurations defining it:
// refs[start[i]:start[i+1]], in configuration order.
type invIndex struct {
	start []uint32
	refs  []invRef
}

type invRef struct {
	config uint32 // index in Type.Configs
	rel    uint32
}

// inverted returns the type's entry index once the type has been looked
// up often enough to pay for it, or nil. Types whose ID range is far
// larger than their entries (see buildKeys) are always scanned.
func (ty *Type) inverted() *invIndex {
	if ty.lookups.Add(1) <= invertedAfter || uint64(ty.EntryCount) > 2*ty.slots+64 {
		return nil
	}
	ty.invOnce.Do(func() {
		n := ty.EntryCount
		counts := make([]uint32, n+1)
		total := 0
		for _, tc := range ty.Configs {
			for idx, rel := range tc.offsets() {
				if idx < n && tc.check(rel) == nil {
					counts[idx+1]++
					total++
				}
			}
		}
		for i := uint32(1); i <= n; i++ {
			counts[i] += counts[i-1]
		}
		refs := make([]invRef, total)
		fill := slices.Clone(counts[:n])
		for ci, tc := range ty.Configs {
			for idx, rel := range tc.offsets() {
				if idx < n && tc.check(rel) == nil {
					refs[fill[idx]] = invRef{uint32(ci), rel}
					fill[idx]++
				}
			}
		}
		ty.inv = &invIndex{start: counts, refs: refs}
	})
	return ty.inv
}

// Entries returns the resource's entry in every configuration that
// defines it, in file order. Entries that cannot be decoded are left out
// (Parse recorded them as warnings).
func (t *Table) Entries(id uint32) []ConfigEntry {
	var out []ConfigEntry
	cs, _ := t.candidates(nil, id)
	for _, c := range cs {
		if e, err := c.tc.decode(id&0xffff, c.rel); err == nil {
			out = append(out, ConfigEntry{Config: c.tc.Config, Entry: e})
		}
	}
	return out
}

// ResourceName returns "package:type/name" for id.
func (t *Table) ResourceName(id uint32) (string, bool) {
	for _, ty := range t.typesOf(id) {
		if name, ok := ty.EntryName(uint16(id)); ok {
			return ty.pkg.Name + ":" + ty.Name + "/" + name, true
		}
	}
	return "", false
}

// Lookup returns the IDs of the resources of the given type and name,
// e.g. ("string", "app_name"), across all packages, in ascending order.
func (t *Table) Lookup(typeName, name string) []uint32 {
	var out []uint32
	for _, p := range t.Packages {
		for _, ty := range p.Types {
			if ty.Name != typeName {
				continue
			}
			ty.names.byNameOnce.Do(func() {
				ty.buildKeys()
				m := map[string][]uint16{}
				add := func(idx uint16, k uint32) {
					if ty.pkg.KeyStrings == nil || k == noKey {
						return
					}
					if s, err := ty.pkg.KeyStrings.String(k); err == nil {
						m[s] = append(m[s], idx)
					}
				}
				for i, k := range ty.names.keys {
					add(uint16(i), k)
				}
				for i, k := range ty.names.keysMap {
					add(i, k)
				}
				ty.names.byName = m
			})
			for _, idx := range ty.names.byName[name] {
				out = append(out, p.ID<<24|uint32(ty.ID)<<16|uint32(idx))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Locales lists the locales any resource is defined for, in the form of
// Config.Locale, sorted; the default locale ("") is not listed.
func (t *Table) Locales() []string {
	seen := map[string]bool{}
	for _, p := range t.Packages {
		for _, ty := range p.Types {
			for _, tc := range ty.Configs {
				if l := tc.localeName; l != "" {
					seen[l] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// locale is a requested locale, split into comparable parts.
type locale struct {
	lang, script, region, variant string
}

// parseLocale accepts resource qualifier forms ("fr", "zh-rCN",
// "b+sr+Latn") as well as BCP-47 tags ("zh-Hant-TW", "en_US").
func parseLocale(s string) locale {
	var l locale
	if s == "" {
		return l
	}
	var parts []string
	if rest, ok := strings.CutPrefix(s, "b+"); ok {
		parts = strings.Split(rest, "+")
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' })
	}
	if len(parts) == 0 {
		return l
	}
	l.lang = strings.ToLower(parts[0])
	for _, p := range parts[1:] {
		switch {
		case len(p) == 3 && (p[0] == 'r' || p[0] == 'R') && isAlpha(p[1:]) && l.region == "":
			l.region = strings.ToUpper(p[1:])
		case len(p) == 4 && isAlpha(p) && l.script == "" && l.region == "":
			l.script = strings.ToUpper(p[:1]) + strings.ToLower(p[1:])
		case (len(p) == 2 && isAlpha(p) || len(p) == 3 && isDigit(p)) && l.region == "":
			l.region = strings.ToUpper(p)
		case len(p) == 4 && (p[0] == 'r' || p[0] == 'R') && isDigit(p[1:]) && l.region == "":
			l.region = p[1:]
		case l.variant == "" && len(p) >= 4:
			l.variant = p
		}
	}
	return l
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// localeOf extracts a config's locale parts.
func localeOf(c Config) locale {
	l := locale{lang: c.LanguageCode(), region: c.RegionCode(), variant: cString(c.LocaleVariant[:])}
	if !c.LocaleScriptWasComputed {
		l.script = cString(c.LocaleScript[:])
	}
	return l
}

// localeScore rates how well a config's locale serves the request, as
// Android's string lookup does: 0 means it does not apply; the default
// locale applies to everything; a language match beats it; a region,
// script or variant match ranks higher still.
func localeScore(have, want *locale) int {
	if have.lang == "" {
		return 1
	}
	if have.lang != want.lang {
		return 0
	}
	score := 2
	if have.region != "" {
		if have.region != want.region {
			return 0
		}
		score += 4
	}
	if have.script != "" {
		if want.script != "" && have.script != want.script {
			return 0
		}
		if have.script == want.script {
			score += 2
		}
	}
	if have.variant != "" {
		if have.variant != want.variant {
			return 0
		}
		score++
	}
	return score
}

// isGeneric reports whether a config constrains nothing but the locale and
// platform version, i.e. applies to any device speaking its locale.
func isGeneric(c Config) bool {
	c.Language, c.Country = [2]byte{}, [2]byte{}
	c.LocaleScript, c.LocaleVariant, c.LocaleNumberingSystem = [4]byte{}, [8]byte{}, [8]byte{}
	c.LocaleScriptWasComputed = false
	c.SDKVersion, c.MinorVersion = 0, 0
	return c.IsDefault()
}

// pick chooses the candidate the given locale would use on a neutral
// device: among generic configurations (falling back to all when none
// applies), the best locale match, then the highest platform version,
// then the first in the file. It returns -1 when no locale applies.
func pick(cs []cand, want *locale) int {
	best, bestScore, bestGeneric := -1, 0, false
	for i, c := range cs {
		s := localeScore(&c.tc.locale, want)
		if s == 0 {
			continue
		}
		g := c.tc.generic
		better := false
		switch {
		case best < 0:
			better = true
		case g != bestGeneric:
			better = g
		case s != bestScore:
			better = s > bestScore
		default:
			better = c.tc.Config.SDKVersion > cs[best].tc.Config.SDKVersion
		}
		if better {
			best, bestScore, bestGeneric = i, s, g
		}
	}
	return best
}

// resolver follows references for one public lookup. It detects cycles,
// remembers what it resolved, and charges every configuration it examines
// to a budget, so that no lookup on a hostile table runs for long.
type resolver struct {
	t     *Table
	want  locale
	seen  []uint32
	spent int // configurations examined, against Limits.MaxLookupWork
	memo  map[memoKey]memoVal
	cbuf  []cand
}

type memoKey struct {
	id   uint32
	want locale
}

type memoVal struct {
	e   *Entry
	err error
}

func newResolver(t *Table, want locale) *resolver {
	return &resolver{t: t, want: want}
}

// cands returns id's candidates, charging the configurations scanned.
func (r *resolver) cands(id uint32) ([]cand, error) {
	if r.spent > r.t.lim.MaxLookupWork {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w", id, ErrTooMuchWork)
	}
	// Every lookup's candidates go in one buffer: the resolver looks up
	// thousands of IDs, each read once, right away.
	cs, work := r.t.candidates(r.cbuf[:0], id)
	r.cbuf = cs
	r.spent += work
	if r.spent > r.t.lim.MaxLookupWork {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w", id, ErrTooMuchWork)
	}
	return cs, nil
}

// entry finds the entry id resolves to for the locale.
func (r *resolver) entry(id uint32) (*Entry, error) {
	if slices.Contains(r.seen, id) {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w", id, ErrReferenceCycle)
	}
	if len(r.seen) >= r.t.lim.MaxReferenceDepth {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w (%d)", id, ErrTooDeep, len(r.seen))
	}
	r.seen = append(r.seen, id)
	key := memoKey{id, r.want}
	if m, ok := r.memo[key]; ok {
		return m.e, m.err
	}
	e, err := r.find(id)
	if r.memo == nil {
		r.memo = map[memoKey]memoVal{}
	}
	r.memo[key] = memoVal{e, err}
	return e, err
}

func (r *resolver) find(id uint32) (*Entry, error) {
	cs, err := r.cands(id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w", id, ErrNotFound)
	}
	i := pick(cs, &r.want)
	if i < 0 {
		return nil, fmt.Errorf("arsc: resource 0x%08x: %w", id, ErrNoConfig)
	}
	return cs[i].tc.decode(id&0xffff, cs[i].rel)
}

// deref follows v while it is a reference, returning the final value.
func (r *resolver) deref(v res.Value, from uint32) (res.Value, error) {
	for v.Type == res.TypeReference || v.Type == res.TypeDynamicReference {
		target := v.Data
		if target>>24 == 0 {
			// A package ID of 0 refers to the referencing package itself
			// (shared libraries are compiled that way).
			target |= from & 0xff000000
		}
		if target == 0 {
			return res.Value{Type: res.TypeNull}, nil
		}
		e, err := r.entry(target)
		if err != nil {
			return v, err
		}
		if e.Complex {
			return v, fmt.Errorf("arsc: resource 0x%08x is a bag: %w", target, ErrWrongKind)
		}
		v, from = e.Value, e.ID
	}
	return v, nil
}

// text renders a resolved value: strings from the value pool, anything
// else in its canonical text form.
func (t *Table) text(v res.Value) (string, error) {
	if v.Type != res.TypeString {
		return v.Format(), nil
	}
	if t.ValueStrings == nil {
		return "", fmt.Errorf("arsc: string #%d: table has no value string pool: %w", v.Data, ErrNotFound)
	}
	s, err := t.ValueStrings.String(v.Data)
	if err != nil {
		return "", fmt.Errorf("arsc: value string #%d: %w", v.Data, err)
	}
	return s, nil
}

// ResolveString returns the text of resource id for the locale (in any
// form parseLocale accepts; "" for the default), following references
// and picking the configuration as described for pick. A value that is
// not a string (an integer, a color…) is rendered in its text form.
func (t *Table) ResolveString(id uint32, loc string) (string, error) {
	r := newResolver(t, parseLocale(loc))
	v, err := r.deref(res.Value{Type: res.TypeReference, Data: id}, id)
	if err != nil {
		return "", err
	}
	if v.Type == res.TypeNull {
		return "", fmt.Errorf("arsc: resource 0x%08x is null: %w", id, ErrWrongKind)
	}
	return t.text(v)
}

// Strings returns the resource's text in every locale that defines it,
// keyed by Config.Locale ("" for the default). For each locale the
// value comes from its most generic configuration, with references
// resolved in that locale; values that cannot be resolved are left out.
func (t *Table) Strings(id uint32) map[string]string {
	r := newResolver(t, locale{})
	cs, err := r.cands(id)
	if err != nil {
		return nil
	}
	byLocale := map[string][]cand{}
	for _, c := range cs {
		byLocale[c.tc.localeName] = append(byLocale[c.tc.localeName], c)
	}
	out := map[string]string{}
	for name, group := range byLocale {
		r.want = group[0].tc.locale
		i := pick(group, &r.want)
		if i < 0 {
			continue
		}
		e, err := group[i].tc.decode(id&0xffff, group[i].rel)
		if err != nil || e.Complex {
			continue
		}
		r.seen = append(r.seen[:0], id)
		v, err := r.deref(e.Value, id)
		if err != nil || v.Type == res.TypeNull {
			continue
		}
		if s, err := t.text(v); err == nil {
			out[name] = s
		}
	}
	return out
}

// bag picks the complex entry for id in the locale.
func (t *Table) bag(id uint32, loc string) (*Entry, *resolver, error) {
	r := newResolver(t, parseLocale(loc))
	e, err := r.entry(id)
	if err != nil {
		return nil, nil, err
	}
	if !e.Complex {
		// An array may be an alias of another array.
		if e.Value.Type == res.TypeReference || e.Value.Type == res.TypeDynamicReference {
			target := e.Value.Data
			if target>>24 == 0 {
				target |= id & 0xff000000
			}
			e, err = r.entry(target)
			if err != nil {
				return nil, nil, err
			}
		}
		if !e.Complex {
			return nil, nil, fmt.Errorf("arsc: resource 0x%08x is not a bag: %w", id, ErrWrongKind)
		}
	}
	return e, r, nil
}

// StringArray returns the items of an array resource (string-array,
// integer-array or array) in the locale, references resolved.
func (t *Table) StringArray(id uint32, loc string) ([]string, error) {
	e, r, err := t.bag(id, loc)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(e.Bag))
	keep := len(r.seen)
	for i, it := range e.Bag {
		r.seen = r.seen[:keep]
		v, err := r.deref(it.Value, e.ID)
		if err != nil {
			return out, fmt.Errorf("arsc: array 0x%08x item %d: %w", id, i, err)
		}
		s, err := t.text(v)
		if err != nil {
			return out, fmt.Errorf("arsc: array 0x%08x item %d: %w", id, i, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Plural quantity keys (ResTable_map names of a plurals bag).
const (
	AttrOther = 0x01000004
	AttrZero  = 0x01000005
	AttrOne   = 0x01000006
	AttrTwo   = 0x01000007
	AttrFew   = 0x01000008
	AttrMany  = 0x01000009
)

// QuantityName names a plural quantity key ("one", "other"…), or "".
func QuantityName(key uint32) string {
	switch key {
	case AttrOther:
		return "other"
	case AttrZero:
		return "zero"
	case AttrOne:
		return "one"
	case AttrTwo:
		return "two"
	case AttrFew:
		return "few"
	case AttrMany:
		return "many"
	}
	return ""
}

// Plurals returns a plurals resource in the locale as quantity name
// ("one", "other"…) to text. Items with other keys are ignored.
func (t *Table) Plurals(id uint32, loc string) (map[string]string, error) {
	e, r, err := t.bag(id, loc)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	keep := len(r.seen)
	for _, it := range e.Bag {
		q := QuantityName(it.Name)
		if q == "" {
			continue
		}
		r.seen = r.seen[:keep]
		v, err := r.deref(it.Value, e.ID)
		if err != nil {
			return out, fmt.Errorf("arsc: plurals 0x%08x %s: %w", id, q, err)
		}
		s, err := t.text(v)
		if err != nil {
			return out, fmt.Errorf("arsc: plurals 0x%08x %s: %w", id, q, err)
		}
		out[q] = s
	}
	return out, nil
}
