package pbres

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"unicode/utf16"

	"appxray/arsc"
	"appxray/res"
)

// Bag keys of ResTable_map (ResourceTypes.h).
const (
	attrType  = 0x01000000
	attrMin   = 0x01000001
	attrMax   = 0x01000002
	attrOther = 0x01000004
	attrZero  = 0x01000005
)

// Binary lays the table out as a resources.arsc, as aapt2's TableFlattener
// does: the global value string pool (styled strings first), then per
// package its type and key string pools and, per type in ID order, a type
// spec and one type chunk per configuration. Entries without an ID, and
// values that a binary table has no room for (styleables, macros), are left
// out, with a warning in the returned list.
func (t *ResourceTable) Binary() ([]byte, []error) {
	fl := &tableFlattener{values: newPool()}
	// Styled strings first: their style index is their string index.
	for _, pkg := range t.Packages {
		for _, ty := range pkg.Types {
			for _, e := range ty.Entries {
				for i := range e.ConfigValues {
					forEachItem(&e.ConfigValues[i].Value, func(it *Item) {
						if it.Kind == ItemStyledStr && len(it.Spans) > 0 {
							if _, ok := fl.styled[it]; !ok {
								if fl.styled == nil {
									fl.styled = map[*Item]uint32{}
								}
								fl.styled[it] = fl.values.addStyled(it.Str, it.Spans)
							}
						}
					})
				}
			}
		}
	}
	var pkgs [][]byte
	for _, pkg := range t.Packages {
		pkgs = append(pkgs, fl.pkg(pkg))
	}
	pool := fl.values.bytes()
	size := 12 + len(pool)
	for _, p := range pkgs {
		size += len(p)
	}
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkTable, 12, uint32(size))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(pkgs)))
	out = append(out, pool...)
	for _, p := range pkgs {
		out = append(out, p...)
	}
	return out, fl.warn
}

// Table returns the table as appxray/arsc reads it: Binary, parsed with
// the given limits. Warnings of the flattening are appended to the
// table's Warnings.
func (t *ResourceTable) Table(lim arsc.Limits) (*arsc.Table, error) {
	b, warns := t.Binary()
	tab, err := arsc.Parse(b, lim)
	if err != nil {
		return nil, fmt.Errorf("pbres: reading the flattened table: %w", err)
	}
	tab.Warnings = append(tab.Warnings, warns...)
	return tab, nil
}

// ParseARSC decodes a resources.pb straight into the arsc model.
func ParseARSC(data []byte, lim Limits, alim arsc.Limits) (*arsc.Table, error) {
	t, err := ParseTable(data, lim)
	if err != nil {
		return nil, err
	}
	tab, err := t.Table(alim)
	if err != nil {
		return nil, err
	}
	tab.Warnings = append(tab.Warnings, t.Warnings...)
	return tab, nil
}

func forEachItem(v *Value, fn func(*Item)) {
	if v.Item != nil {
		fn(v.Item)
	}
	if c := v.Compound; c != nil {
		for i := range c.StyleEntries {
			fn(&c.StyleEntries[i].Item)
		}
		for i := range c.Elements {
			fn(&c.Elements[i])
		}
		for i := range c.Plurals {
			fn(&c.Plurals[i].Item)
		}
	}
}

type tableFlattener struct {
	values *poolBuilder
	styled map[*Item]uint32
	warn   []error
}

func (fl *tableFlattener) warnf(off int64, format string, args ...any) {
	if len(fl.warn) < DefaultLimits().MaxWarnings {
		fl.warn = append(fl.warn, errorf(off, format, args...))
	}
}

func (fl *tableFlattener) itemValue(it *Item) res.Value {
	if it.Kind == ItemStyledStr && len(it.Spans) > 0 {
		return res.Value{Size: res.ValueSize, Type: res.TypeString, Data: fl.styled[it]}
	}
	return it.resValue(func(s string, _ []Span) uint32 { return fl.values.add(s) })
}

// flatEntry is one entry of one configuration, ready to lay out.
type flatEntry struct {
	idx  uint16
	data []byte
}

func (fl *tableFlattener) pkg(pkg *Package) []byte {
	types := slices.Clone(pkg.Types)
	types = slices.DeleteFunc(types, func(ty *Type) bool {
		if !ty.HasID || ty.ID == 0 || ty.ID > 0xff {
			fl.warnf(-1, "type %q of package %q has no valid ID (%d); left out", ty.Name, pkg.Name, ty.ID)
			return true
		}
		return false
	})
	slices.SortStableFunc(types, func(a, b *Type) int { return int(a.ID) - int(b.ID) })
	typeNames := newPool()
	keys := newPool()
	var body []byte
	next := uint32(1)
	for i, ty := range types {
		if i > 0 && ty.ID == types[i-1].ID {
			fl.warnf(-1, "type ID %d appears twice in package %q; second left out", ty.ID, pkg.Name)
			continue
		}
		for ; next < ty.ID; next++ {
			typeNames.addNew("") // a gap in the type IDs
		}
		typeNames.addNew(ty.Name)
		next = ty.ID + 1
		body = append(body, fl.typ(ty, keys)...)
	}
	tpool, kpool := typeNames.bytes(), keys.bytes()
	const hdr = 288
	size := hdr + len(tpool) + len(kpool) + len(body)
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkTablePackage, hdr, uint32(size))
	id := pkg.ID
	if !pkg.HasID {
		id = 0x7f
	}
	out = binary.LittleEndian.AppendUint32(out, id)
	name := utf16.Encode([]rune(pkg.Name))
	for i := range 128 {
		var c uint16
		if i < len(name) && i < 127 {
			c = name[i]
		}
		out = binary.LittleEndian.AppendUint16(out, c)
	}
	out = binary.LittleEndian.AppendUint32(out, hdr)                    // typeStrings
	out = binary.LittleEndian.AppendUint32(out, 0)                      // lastPublicType
	out = binary.LittleEndian.AppendUint32(out, uint32(hdr+len(tpool))) // keyStrings
	out = binary.LittleEndian.AppendUint32(out, 0)                      // lastPublicKey
	out = binary.LittleEndian.AppendUint32(out, 0)                      // typeIdOffset
	out = append(out, tpool...)
	out = append(out, kpool...)
	return append(out, body...)
}

func (fl *tableFlattener) typ(ty *Type, keys *poolBuilder) []byte {
	// Group entries by configuration, keeping the order in which each
	// configuration first appears.
	type group struct {
		cfg     [configSize]byte
		entries []flatEntry
	}
	var groups []*group
	byCfg := map[[configSize]byte]*group{}
	var count uint32
	var specFlags []uint32
	seen := map[uint32]bool{}
	for _, e := range ty.Entries {
		if !e.HasID || e.ID > 0xffff {
			fl.warnf(e.Offset, "entry %q of type %q has no valid ID; left out", e.Name, ty.Name)
			continue
		}
		if seen[e.ID] {
			fl.warnf(e.Offset, "entry ID 0x%04x of type %q appears twice; second left out", e.ID, ty.Name)
			continue
		}
		seen[e.ID] = true
		if e.ID+1 > count {
			count = e.ID + 1
		}
		key := keys.add(e.Name)
		var flags uint16
		if e.Visibility == VisibilityPublic {
			flags |= arsc.FlagPublic
		}
		for i := range e.ConfigValues {
			cv := &e.ConfigValues[i]
			data, ok := fl.entry(cv, key, flags)
			if !ok {
				continue
			}
			cfg := cv.Config.Binary()
			g := byCfg[cfg]
			if g == nil {
				g = &group{cfg: cfg}
				byCfg[cfg] = g
				groups = append(groups, g)
			}
			if n := len(g.entries); n > 0 && g.entries[n-1].idx == uint16(e.ID) {
				fl.warnf(cv.Offset, "entry %q has two values for one configuration; second left out", e.Name)
				continue
			}
			g.entries = append(g.entries, flatEntry{idx: uint16(e.ID), data: data})
		}
	}
	specFlags = make([]uint32, count)
	for _, e := range ty.Entries {
		if e.HasID && e.ID < count && e.Visibility == VisibilityPublic {
			specFlags[e.ID] |= arsc.SpecPublic
		}
	}
	var out []byte
	spec := appendChunkHeader(nil, res.ChunkTableTypeSpec, 16, 16+4*count)
	spec = append(spec, uint8(ty.ID), 0)
	spec = binary.LittleEndian.AppendUint16(spec, uint16(len(groups)))
	spec = binary.LittleEndian.AppendUint32(spec, count)
	for _, f := range specFlags {
		spec = binary.LittleEndian.AppendUint32(spec, f)
	}
	out = append(out, spec...)
	for _, g := range groups {
		slices.SortStableFunc(g.entries, func(a, b flatEntry) int { return int(a.idx) - int(b.idx) })
		out = append(out, typeChunk(uint8(ty.ID), count, g.cfg, g.entries)...)
	}
	return out
}

// typeChunk lays out one ResTable_type. The index is dense when at least
// half the slots are used, sparse otherwise, so that its size stays linear
// in the entries present.
func typeChunk(id uint8, count uint32, cfg [configSize]byte, entries []flatEntry) []byte {
	const hdr = 20 + configSize
	sparse := uint64(len(entries))*2 < uint64(count)
	var index []byte
	var data []byte
	if sparse {
		for _, e := range entries {
			index = binary.LittleEndian.AppendUint16(index, e.idx)
			index = binary.LittleEndian.AppendUint16(index, uint16(len(data)/4))
			data = append(data, e.data...)
		}
	} else {
		offs := make([]uint32, count)
		for i := range offs {
			offs[i] = arsc.NoEntry
		}
		for _, e := range entries {
			offs[e.idx] = uint32(len(data))
			data = append(data, e.data...)
		}
		for _, o := range offs {
			index = binary.LittleEndian.AppendUint32(index, o)
		}
	}
	if sparse && len(data)/4 > 0xffff {
		// The sparse index stores offsets/4 in 16 bits; fall back to dense.
		return typeChunkDense(id, count, cfg, entries)
	}
	n := count
	var flags uint8
	if sparse {
		n = uint32(len(entries))
		flags = arsc.TypeFlagSparse
	}
	size := hdr + len(index) + len(data)
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkTableType, hdr, uint32(size))
	out = append(out, id, flags, 0, 0)
	out = binary.LittleEndian.AppendUint32(out, n)
	out = binary.LittleEndian.AppendUint32(out, uint32(hdr+len(index)))
	out = append(out, cfg[:]...)
	out = append(out, index...)
	return append(out, data...)
}

func typeChunkDense(id uint8, count uint32, cfg [configSize]byte, entries []flatEntry) []byte {
	const hdr = 20 + configSize
	offs := make([]uint32, count)
	for i := range offs {
		offs[i] = arsc.NoEntry
	}
	var data []byte
	for _, e := range entries {
		offs[e.idx] = uint32(len(data))
		data = append(data, e.data...)
	}
	size := hdr + 4*len(offs) + len(data)
	out := make([]byte, 0, size)
	out = appendChunkHeader(out, res.ChunkTableType, hdr, uint32(size))
	out = append(out, id, 0, 0, 0)
	out = binary.LittleEndian.AppendUint32(out, count)
	out = binary.LittleEndian.AppendUint32(out, uint32(hdr+4*len(offs)))
	out = append(out, cfg[:]...)
	for _, o := range offs {
		out = binary.LittleEndian.AppendUint32(out, o)
	}
	return append(out, data...)
}

// entry lays out one ResTable_entry with its value or bag.
func (fl *tableFlattener) entry(cv *ConfigValue, key uint32, flags uint16) ([]byte, bool) {
	v := &cv.Value
	if v.Weak {
		flags |= arsc.FlagWeak
	}
	if v.Item != nil {
		b := binary.LittleEndian.AppendUint16(nil, 8)
		b = binary.LittleEndian.AppendUint16(b, flags)
		b = binary.LittleEndian.AppendUint32(b, key)
		return appendValue(b, fl.itemValue(v.Item)), true
	}
	c := v.Compound
	if c == nil {
		fl.warnf(cv.Offset, "value is neither an item nor a compound value; left out")
		return nil, false
	}
	type bagItem struct {
		name uint32
		v    res.Value
	}
	var items []bagItem
	var parent uint32
	switch c.Kind {
	case CompoundAttr:
		items = append(items, bagItem{attrType, res.Value{Type: res.TypeIntDec, Data: c.FormatFlags}})
		if c.MinInt != math.MinInt32 {
			items = append(items, bagItem{attrMin, res.Value{Type: res.TypeIntDec, Data: uint32(c.MinInt)}})
		}
		if c.MaxInt != math.MaxInt32 {
			items = append(items, bagItem{attrMax, res.Value{Type: res.TypeIntDec, Data: uint32(c.MaxInt)}})
		}
		for _, s := range c.Symbols {
			t := s.Type
			if t == 0 {
				// Tables written before Symbol.type existed: aapt and
				// aapt2 store enum and flag values as decimal integers.
				t = res.TypeIntDec
			}
			items = append(items, bagItem{s.Name.ID, res.Value{Type: t, Data: s.Value}})
		}
	case CompoundStyle:
		if c.Parent != nil {
			parent = c.Parent.ID
		}
		for i := range c.StyleEntries {
			se := &c.StyleEntries[i]
			items = append(items, bagItem{se.Key.ID, fl.itemValue(&se.Item)})
		}
		// aapt2 sorts a style's attributes by ID; the runtime merges a
		// style with its parent's on that order.
		slices.SortStableFunc(items, func(a, b bagItem) int { return cmp.Compare(a.name, b.name) })
	case CompoundArray:
		// aapt2 keys array items ATTR_MIN + i (aapt used 0x02000000 + i);
		// the runtime reads them in order.
		for i := range c.Elements {
			items = append(items, bagItem{attrMin + uint32(i), fl.itemValue(&c.Elements[i])})
		}
	case CompoundPlural:
		for i := range c.Plurals {
			pe := &c.Plurals[i]
			name := uint32(attrOther)
			if pe.Arity < ArityOther {
				name = attrZero + pe.Arity
			} else if pe.Arity > ArityOther {
				fl.warnf(cv.Offset, "plural arity %d is unknown; left out", pe.Arity)
				continue
			}
			items = append(items, bagItem{name, fl.itemValue(&pe.Item)})
		}
	default:
		// Styleables and macros exist only at build time; aapt2 leaves
		// them out of binary tables too.
		return nil, false
	}
	b := binary.LittleEndian.AppendUint16(nil, 16)
	b = binary.LittleEndian.AppendUint16(b, flags|arsc.FlagComplex)
	b = binary.LittleEndian.AppendUint32(b, key)
	b = binary.LittleEndian.AppendUint32(b, parent)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(items)))
	for _, it := range items {
		b = binary.LittleEndian.AppendUint32(b, it.name)
		b = appendValue(b, it.v)
	}
	return b, true
}
