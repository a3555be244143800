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
	err := eachField(newMessage(data, 0), func(f *field) (err error) {
		switch f.num {
		case 1:
			t.SourcePool, err = embedded(f, stringPool)
		case 2:
			err = appendEmbedded(&t.Packages, f, p.pkg)
		case 4:
			err = appendEmbedded(&t.ToolFingerprints, f, toolFingerprint)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading ResourceTable: %w", err)
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

// addValue appends to *list f decoded with parse: one value of the table
// (a ConfigValue, or an item of a bag), counted against MaxValues before
// it is decoded.
func addValue[T any](p *tableParser, list *[]T, f *field, parse func(*message) (T, error)) error {
	p.values++
	if p.values > p.lim.MaxValues {
		return limitErr(f.off, fmt.Sprintf("value %d", p.values), "MaxValues", p.lim.MaxValues)
	}
	return appendEmbedded(list, f, parse)
}

// addValues is addValue for each entry = 1 of m, the one repeated field of
// Styleable, Array and Plural.
func addValues[T any](p *tableParser, list *[]T, m *message, parse func(*message) (T, error)) error {
	return eachField(m, func(f *field) error {
		if f.num != 1 {
			return nil
		}
		return addValue(p, list, f, parse)
	})
}

// stringPool reads a StringPool: data = 1.
func stringPool(m *message) ([]byte, error) { return oneField(m, 1, (*field).bytes) }

// idMessage reads PackageId, TypeId, EntryId and StagedId: id = 1.
func idMessage(m *message) (uint32, error) { return oneField(m, 1, (*field).u32) }

// visibility reads the level = 1 of a Visibility.
func visibility(m *message) (uint32, error) { return oneField(m, 1, (*field).u32) }

func toolFingerprint(m *message) (ToolFingerprint, error) {
	var tf ToolFingerprint
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			tf.Tool, err = f.str()
		case 2:
			tf.Version, err = f.str()
		}
		return err
	})
	return tf, err
}

func (p *tableParser) pkg(m *message) (*Package, error) {
	pkg := &Package{}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			pkg.ID, err = embedded(f, idMessage)
			pkg.HasID = true
		case 2:
			pkg.Name, err = f.str()
		case 3:
			err = appendEmbedded(&pkg.Types, f, p.typ)
		}
		return err
	})
	return pkg, err
}

func (p *tableParser) typ(m *message) (*Type, error) {
	t := &Type{}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			t.ID, err = embedded(f, idMessage)
			t.HasID = true
		case 2:
			t.Name, err = f.str()
		case 3:
			p.entries++
			if p.entries > p.lim.MaxEntries {
				return limitErr(f.off, fmt.Sprintf("entry %d", p.entries), "MaxEntries", p.lim.MaxEntries)
			}
			err = appendEmbedded(&t.Entries, f, p.entry)
		}
		return err
	})
	return t, err
}

func (p *tableParser) entry(m *message) (*Entry, error) {
	e := &Entry{Offset: m.base}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			e.ID, err = embedded(f, idMessage)
			e.HasID = true
		case 2:
			e.Name, err = f.str()
		case 3:
			e.Visibility, err = embedded(f, visibility)
		case 4:
			e.AllowNew = true
		case 5:
			e.Overlayable = true
		case 6:
			err = addValue(p, &e.ConfigValues, f, p.configValue)
		case 7: // staged_id
			e.StagedID, err = embedded(f, idMessage)
		}
		return err
	})
	return e, err
}

func (p *tableParser) configValue(m *message) (ConfigValue, error) {
	cv := ConfigValue{Offset: m.base}
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			cv.Config, err = embedded(f, parseConfiguration)
		case 2:
			cv.Value, err = embedded(f, p.val)
		}
		return err
	})
	return cv, err
}

func (p *tableParser) val(m *message) (Value, error) {
	var v Value
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 2:
			v.Comment, err = f.str()
		case 3:
			v.Weak, err = f.boolean()
		case 4:
			v.Item, err = embedded(f, parseItem)
			v.Compound = nil
		case 5:
			v.Compound, err = embedded(f, p.compound)
			v.Item = nil
		}
		return err
	})
	return v, err
}

func (p *tableParser) compound(m *message) (*CompoundValue, error) {
	c := &CompoundValue{}
	err := eachField(m, func(f *field) error {
		if f.num < 1 || f.num > 6 {
			return nil
		}
		sm, err := f.sub()
		if err != nil {
			return err
		}
		*c = CompoundValue{Kind: CompoundKind(f.num)}
		switch c.Kind {
		case CompoundAttr:
			return p.attr(c, sm)
		case CompoundStyle:
			return p.style(c, sm)
		case CompoundStyleable:
			return addValues(p, &c.StyleableAttrs, sm, styleableAttr)
		case CompoundArray:
			return addValues(p, &c.Elements, sm, arrayElement)
		case CompoundPlural:
			return addValues(p, &c.Plurals, sm, pluralEntry)
		}
		return nil
	})
	return c, err
}

func (p *tableParser) attr(c *CompoundValue, m *message) error {
	return eachField(m, func(f *field) (err error) {
		var v uint32
		switch f.num {
		case 1:
			c.FormatFlags, err = f.u32()
		case 2:
			v, err = f.u32()
			c.MinInt = int32(v)
		case 3:
			v, err = f.u32()
			c.MaxInt = int32(v)
		case 4:
			err = addValue(p, &c.Symbols, f, symbol)
		}
		return err
	})
}

func symbol(m *message) (Symbol, error) {
	var s Symbol
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 3:
			s.Name, err = embedded(f, parseReference)
		case 4:
			s.Value, err = f.u32()
		case 5:
			var t uint32
			t, err = f.u32()
			s.Type = uint8(t)
		}
		return err
	})
	return s, err
}

func (p *tableParser) style(c *CompoundValue, m *message) error {
	return eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			var r Reference
			r, err = embedded(f, parseReference)
			c.Parent = &r
		case 3:
			err = addValue(p, &c.StyleEntries, f, styleEntry)
		}
		return err
	})
}

// styleEntry reads a Style.Entry: key = 3, item = 4.
func styleEntry(m *message) (StyleEntry, error) {
	var se StyleEntry
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 3:
			se.Key, err = embedded(f, parseReference)
		case 4:
			se.Item, err = embedded(f, parseItemValue)
		}
		return err
	})
	return se, err
}

// styleableAttr reads a Styleable.Entry: attr = 3.
func styleableAttr(m *message) (Reference, error) {
	return oneField(m, 3, func(f *field) (Reference, error) { return embedded(f, parseReference) })
}

// arrayElement reads an Array.Element: item = 3.
func arrayElement(m *message) (Item, error) {
	return oneField(m, 3, func(f *field) (Item, error) { return embedded(f, parseItemValue) })
}

// pluralEntry reads a Plural.Entry: arity = 3, item = 4.
func pluralEntry(m *message) (PluralEntry, error) {
	var pe PluralEntry
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 3:
			pe.Arity, err = f.u32()
		case 4:
			pe.Item, err = embedded(f, parseItemValue)
		}
		return err
	})
	return pe, err
}
