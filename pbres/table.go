package pbres

import (
	"fmt"
)

// ResourceTable is a ResourceTable: the content of a bundle module's
// resources.pb.
type ResourceTable struct {
	// SourcePool is the binary ResStringPool of source paths, kept as it
	// is; it does not reach a resources.arsc.
	SourcePool       []byte
	Packages         []*Package
	ToolFingerprints []ToolFingerprint
	// Warnings lists problems that did not stop decoding.
	Warnings []error
}

// ToolFingerprint names a tool that built the table.
type ToolFingerprint struct {
	Tool, Version string
}

// Package is a Package.
type Package struct {
	ID    uint32 // PackageId.id
	HasID bool
	Name  string
	Types []*Type
}

// Type is a Type: string, layout, xml…
type Type struct {
	ID      uint32 // TypeId.id
	HasID   bool
	Name    string
	Entries []*Entry
}

// Visibility levels (Visibility.Level).
const (
	VisibilityUnknown = 0
	VisibilityPrivate = 1
	VisibilityPublic  = 2
)

// Entry is an Entry: one resource and its values per configuration.
type Entry struct {
	ID           uint32 // EntryId.id
	HasID        bool
	Name         string
	Visibility   uint32 // a Visibility* level
	AllowNew     bool
	Overlayable  bool // an OverlayableItem is present
	StagedID     uint32
	ConfigValues []ConfigValue
	Offset       int64 // of the entry's message in the input
}

// ConfigValue is a ConfigValue: a value and the configuration it is for.
type ConfigValue struct {
	Config Configuration
	Value  Value
	Offset int64 // of the message in the input
}

// Value is a Value: an Item or a CompoundValue, with its metadata.
type Value struct {
	Comment  string
	Weak     bool
	Item     *Item          // set for a simple value
	Compound *CompoundValue // set for a bag
}

// CompoundKind tells which member of CompoundValue's oneof is set.
type CompoundKind uint8

// Compound kinds, in the order of CompoundValue's fields.
const (
	CompoundNone CompoundKind = iota
	CompoundAttr
	CompoundStyle
	CompoundStyleable
	CompoundArray
	CompoundPlural
	CompoundMacro
)

// CompoundValue is a CompoundValue: attr, style, styleable, array, plural
// or macro.
type CompoundValue struct {
	Kind CompoundKind

	// Attr
	FormatFlags    uint32
	MinInt, MaxInt int32
	Symbols        []Symbol

	// Style
	Parent       *Reference
	StyleEntries []StyleEntry

	// Styleable
	StyleableAttrs []Reference

	// Array elements, in order.
	Elements []Item

	// Plural
	Plurals []PluralEntry
}

// Symbol is an Attribute.Symbol: one enum or flag value.
type Symbol struct {
	Name  Reference
	Value uint32
	Type  uint8 // Res_value type, 0 when unset
}

// StyleEntry is a Style.Entry: an attribute and its value.
type StyleEntry struct {
	Key  Reference
	Item Item
}

// Plural arities (Plural.Arity).
const (
	ArityZero  = 0
	ArityOne   = 1
	ArityTwo   = 2
	ArityFew   = 3
	ArityMany  = 4
	ArityOther = 5
)

// PluralEntry is a Plural.Entry.
type PluralEntry struct {
	Arity uint32
	Item  Item
}

// ParseTable decodes a ResourceTable message (resources.pb).
func ParseTable(data []byte, lim Limits) (*ResourceTable, error) {
	p := &tableParser{lim: lim.withDefaults()}
	p.warn.max = p.lim.MaxWarnings
	t := &ResourceTable{}
	m := newMessage(data, 0)
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				t.SourcePool, err = bytesField(sm, 1)
			}
		case 2:
			var sm *message
			if sm, err = f.sub(); err == nil {
				var pkg *Package
				pkg, err = p.pkg(sm)
				t.Packages = append(t.Packages, pkg)
			}
		case 4:
			var sm *message
			if sm, err = f.sub(); err == nil {
				var tf ToolFingerprint
				tf, err = toolFingerprint(sm)
				t.ToolFingerprints = append(t.ToolFingerprints, tf)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("reading ResourceTable: %w", err)
		}
	}
	if m.err != nil {
		return nil, fmt.Errorf("reading ResourceTable: %w", m.err)
	}
	space := 0
	for _, pkg := range t.Packages {
		for _, ty := range pkg.Types {
			top := -1
			for _, e := range ty.Entries {
				if e.HasID && e.ID <= 0xffff && int(e.ID) > top {
					top = int(e.ID)
				}
			}
			space += top + 1
			if space > p.lim.MaxIDSpace {
				return nil, limitErr(0, fmt.Sprintf("entry ID space %d", space), "MaxIDSpace", p.lim.MaxIDSpace)
			}
		}
	}
	t.Warnings = p.warn.done()
	return t, nil
}

type tableParser struct {
	lim     Limits
	entries int
	values  int
	warn    warnings
}

func (p *tableParser) value(off int64) error {
	p.values++
	if p.values > p.lim.MaxValues {
		return limitErr(off, fmt.Sprintf("value %d", p.values), "MaxValues", p.lim.MaxValues)
	}
	return nil
}

// bytesField returns the bytes of field num of m.
func bytesField(m *message, num int) ([]byte, error) {
	var b []byte
	var f field
	for m.next(&f) {
		if int(f.num) == num {
			if f.typ != 2 {
				return nil, errorf(f.off, "field %d is not length-delimited", f.num)
			}
			b = f.b
		}
	}
	return b, m.err
}

// idMessage reads PackageId, TypeId and EntryId, whose one field is id = 1.
func idMessage(m *message) (uint32, error) {
	var id uint32
	var f field
	for m.next(&f) {
		if f.num == 1 {
			var err error
			if id, err = f.u32(); err != nil {
				return 0, err
			}
		}
	}
	return id, m.err
}

func toolFingerprint(m *message) (ToolFingerprint, error) {
	var tf ToolFingerprint
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			tf.Tool, err = f.str()
		case 2:
			tf.Version, err = f.str()
		}
		if err != nil {
			return tf, err
		}
	}
	return tf, m.err
}

func (p *tableParser) pkg(m *message) (*Package, error) {
	pkg := &Package{}
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				pkg.ID, err = idMessage(sm)
				pkg.HasID = true
			}
		case 2:
			pkg.Name, err = f.str()
		case 3:
			var sm *message
			if sm, err = f.sub(); err == nil {
				var t *Type
				t, err = p.typ(sm)
				pkg.Types = append(pkg.Types, t)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return pkg, m.err
}

func (p *tableParser) typ(m *message) (*Type, error) {
	t := &Type{}
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				t.ID, err = idMessage(sm)
				t.HasID = true
			}
		case 2:
			t.Name, err = f.str()
		case 3:
			p.entries++
			if p.entries > p.lim.MaxEntries {
				return nil, limitErr(f.off, fmt.Sprintf("entry %d", p.entries), "MaxEntries", p.lim.MaxEntries)
			}
			var sm *message
			if sm, err = f.sub(); err == nil {
				var e *Entry
				e, err = p.entry(sm)
				t.Entries = append(t.Entries, e)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return t, m.err
}

func (p *tableParser) entry(m *message) (*Entry, error) {
	e := &Entry{Offset: m.base}
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				e.ID, err = idMessage(sm)
				e.HasID = true
			}
		case 2:
			e.Name, err = f.str()
		case 3:
			var sm *message
			if sm, err = f.sub(); err == nil {
				e.Visibility, err = visibility(sm)
			}
		case 4:
			e.AllowNew = true
		case 5:
			e.Overlayable = true
		case 6:
			if err = p.value(f.off); err != nil {
				return nil, err
			}
			var sm *message
			if sm, err = f.sub(); err == nil {
				var cv ConfigValue
				cv, err = p.configValue(sm)
				e.ConfigValues = append(e.ConfigValues, cv)
			}
		case 7: // staged_id: a StagedId message, id = 1
			var sm *message
			if sm, err = f.sub(); err == nil {
				e.StagedID, err = idMessage(sm)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return e, m.err
}

func visibility(m *message) (uint32, error) {
	var lvl uint32
	var f field
	for m.next(&f) {
		if f.num == 1 {
			var err error
			if lvl, err = f.u32(); err != nil {
				return 0, err
			}
		}
	}
	return lvl, m.err
}

func (p *tableParser) configValue(m *message) (ConfigValue, error) {
	cv := ConfigValue{Offset: m.base}
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				cv.Config, err = parseConfiguration(sm)
			}
		case 2:
			var sm *message
			if sm, err = f.sub(); err == nil {
				cv.Value, err = p.val(sm)
			}
		}
		if err != nil {
			return cv, err
		}
	}
	return cv, m.err
}

func (p *tableParser) val(m *message) (Value, error) {
	var v Value
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 2:
			v.Comment, err = f.str()
		case 3:
			v.Weak, err = f.boolean()
		case 4:
			var sm *message
			if sm, err = f.sub(); err == nil {
				v.Item, err = parseItem(sm)
				v.Compound = nil
			}
		case 5:
			var sm *message
			if sm, err = f.sub(); err == nil {
				v.Compound, err = p.compound(sm)
				v.Item = nil
			}
		}
		if err != nil {
			return v, err
		}
	}
	return v, m.err
}

func (p *tableParser) compound(m *message) (*CompoundValue, error) {
	c := &CompoundValue{}
	var f field
	for m.next(&f) {
		if f.num < 1 || f.num > 6 {
			continue
		}
		sm, err := f.sub()
		if err != nil {
			return nil, err
		}
		*c = CompoundValue{Kind: CompoundKind(f.num)}
		switch c.Kind {
		case CompoundAttr:
			err = p.attr(c, sm)
		case CompoundStyle:
			err = p.style(c, sm)
		case CompoundStyleable:
			err = p.styleable(c, sm)
		case CompoundArray:
			err = p.array(c, sm)
		case CompoundPlural:
			err = p.plural(c, sm)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, m.err
}

func (p *tableParser) attr(c *CompoundValue, m *message) error {
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			c.FormatFlags, err = f.u32()
		case 2:
			var v uint32
			v, err = f.u32()
			c.MinInt = int32(v)
		case 3:
			var v uint32
			v, err = f.u32()
			c.MaxInt = int32(v)
		case 4:
			if err = p.value(f.off); err != nil {
				return err
			}
			var sm *message
			if sm, err = f.sub(); err == nil {
				var s Symbol
				s, err = symbol(sm)
				c.Symbols = append(c.Symbols, s)
			}
		}
		if err != nil {
			return err
		}
	}
	return m.err
}

func symbol(m *message) (Symbol, error) {
	var s Symbol
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 3:
			var sm *message
			if sm, err = f.sub(); err == nil {
				s.Name, err = parseReference(sm)
			}
		case 4:
			s.Value, err = f.u32()
		case 5:
			var t uint32
			t, err = f.u32()
			s.Type = uint8(t)
		}
		if err != nil {
			return s, err
		}
	}
	return s, m.err
}

func (p *tableParser) style(c *CompoundValue, m *message) error {
	var f field
	for m.next(&f) {
		var err error
		switch f.num {
		case 1:
			var sm *message
			if sm, err = f.sub(); err == nil {
				var r Reference
				r, err = parseReference(sm)
				c.Parent = &r
			}
		case 3:
			if err = p.value(f.off); err != nil {
				return err
			}
			var sm *message
			if sm, err = f.sub(); err == nil {
				var se StyleEntry
				err = eachField(sm, func(f *field) error {
					switch f.num {
					case 3:
						return subRef(f, &se.Key)
					case 4:
						return subItem(f, &se.Item)
					}
					return nil
				})
				c.StyleEntries = append(c.StyleEntries, se)
			}
		}
		if err != nil {
			return err
		}
	}
	return m.err
}

func (p *tableParser) styleable(c *CompoundValue, m *message) error {
	return eachField(m, func(f *field) error {
		if f.num != 1 {
			return nil
		}
		if err := p.value(f.off); err != nil {
			return err
		}
		sm, err := f.sub()
		if err != nil {
			return err
		}
		var r Reference
		err = eachField(sm, func(f *field) error {
			if f.num == 3 {
				return subRef(f, &r)
			}
			return nil
		})
		c.StyleableAttrs = append(c.StyleableAttrs, r)
		return err
	})
}

func (p *tableParser) array(c *CompoundValue, m *message) error {
	return eachField(m, func(f *field) error {
		if f.num != 1 {
			return nil
		}
		if err := p.value(f.off); err != nil {
			return err
		}
		sm, err := f.sub()
		if err != nil {
			return err
		}
		var it Item
		err = eachField(sm, func(f *field) error {
			if f.num == 3 {
				return subItem(f, &it)
			}
			return nil
		})
		c.Elements = append(c.Elements, it)
		return err
	})
}

func (p *tableParser) plural(c *CompoundValue, m *message) error {
	return eachField(m, func(f *field) error {
		if f.num != 1 {
			return nil
		}
		if err := p.value(f.off); err != nil {
			return err
		}
		sm, err := f.sub()
		if err != nil {
			return err
		}
		var pe PluralEntry
		err = eachField(sm, func(f *field) error {
			switch f.num {
			case 3:
				v, err := f.u32()
				pe.Arity = v
				return err
			case 4:
				return subItem(f, &pe.Item)
			}
			return nil
		})
		c.Plurals = append(c.Plurals, pe)
		return err
	})
}

func eachField(m *message, fn func(*field) error) error {
	var f field
	for m.next(&f) {
		if err := fn(&f); err != nil {
			return err
		}
	}
	return m.err
}

func subRef(f *field, r *Reference) error {
	sm, err := f.sub()
	if err != nil {
		return err
	}
	*r, err = parseReference(sm)
	return err
}

func subItem(f *field, it *Item) error {
	sm, err := f.sub()
	if err != nil {
		return err
	}
	v, err := parseItem(sm)
	if err != nil {
		return err
	}
	*it = *v
	return nil
}
