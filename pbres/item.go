package pbres

import (
	"math"

	"appxray/pbres/pbwire"
	"appxray/res"
)

// ItemKind tells which member of Item's oneof is set.
type ItemKind uint8

// Item kinds, in the order of Item's fields.
const (
	ItemNone ItemKind = iota
	ItemRef
	ItemStr
	ItemRawStr
	ItemStyledStr
	ItemFile
	ItemID
	ItemPrim
)

// Item is an Item: a value that fits in one Res_value.
type Item struct {
	Kind ItemKind
	Ref  Reference // ItemRef
	// Str holds the text of ItemStr, ItemRawStr and ItemStyledStr, and the
	// path of ItemFile.
	Str   string
	Spans []Span // ItemStyledStr
	// FileType is FileReference.type (FileUnknown, FilePNG, FileBinaryXML,
	// FileProtoXML) for ItemFile.
	FileType uint32
	Prim     Primitive // ItemPrim
}

// FileReference types.
const (
	FileUnknown   = 0
	FilePNG       = 1
	FileBinaryXML = 2
	FileProtoXML  = 3
)

// Reference is a Reference to a resource (@type/name) or a theme
// attribute (?attr/name).
type Reference struct {
	Attribute bool   // Type ATTRIBUTE rather than REFERENCE
	ID        uint32 // 0 when only the name is known
	Name      string
	Private   bool
	Dynamic   bool // is_dynamic: the ID's package is assigned at run time
}

// Span is a StyledString.Span: a style tag over a range of UTF-16 units.
type Span struct {
	Tag                 string
	FirstChar, LastChar uint32
}

// Primitive is a Primitive, kept as the Res_value it stands for.
type Primitive struct {
	Type uint8 // a res.Type* constant
	Data uint32
}

func parseItem(m *message) (*Item, error) {
	it := &Item{}
	err := eachField(m, func(f *field) error {
		if f.num < 1 || f.num > 7 {
			return nil
		}
		sm, err := f.sub()
		if err != nil {
			return err
		}
		// A oneof: the last member on the wire wins.
		*it = Item{Kind: ItemKind(f.num)}
		switch it.Kind {
		case ItemRef:
			it.Ref, err = parseReference(sm)
		case ItemStr, ItemRawStr:
			it.Str, err = stringValue(sm)
		case ItemStyledStr:
			err = it.parseStyled(sm)
		case ItemFile:
			err = it.parseFile(sm)
		case ItemID:
		case ItemPrim:
			it.Prim, err = parsePrimitive(sm)
		}
		return err
	})
	return it, err
}

// parseItemValue is parseItem for the bags, which hold their items by value.
func parseItemValue(m *message) (Item, error) {
	it, err := parseItem(m)
	if err != nil {
		return Item{}, err
	}
	return *it, nil
}

// stringValue reads String and RawString: value = 1.
func stringValue(m *message) (string, error) { return oneField(m, 1, (*field).str) }

// boolMessage reads a Boolean: value = 1.
func boolMessage(m *message) (bool, error) { return oneField(m, 1, (*field).boolean) }

func (it *Item) parseStyled(m *message) error {
	return eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			it.Str, err = f.str()
		case 2:
			err = appendEmbedded(&it.Spans, f, parseSpan)
		}
		return err
	})
}

func parseSpan(m *message) (Span, error) {
	var sp Span
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			sp.Tag, err = f.str()
		case 2:
			sp.FirstChar, err = f.u32()
		case 3:
			sp.LastChar, err = f.u32()
		}
		return err
	})
	return sp, err
}

func (it *Item) parseFile(m *message) error {
	return eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			it.Str, err = f.str()
		case 2:
			it.FileType, err = f.u32()
		}
		return err
	})
}

func parseReference(m *message) (Reference, error) {
	var r Reference
	err := eachField(m, func(f *field) (err error) {
		switch f.num {
		case 1:
			var t uint32
			t, err = f.u32()
			r.Attribute = t == 1
		case 2:
			r.ID, err = f.u32()
		case 3:
			r.Name, err = f.str()
		case 4:
			r.Private, err = f.boolean()
		case 5: // is_dynamic
			r.Dynamic, err = embedded(f, boolMessage)
		}
		return err
	})
	return r, err
}

// varintPrimitives are the members of Primitive's oneof that hold their
// Res_value's data as a plain varint, and the type each gives it.
var varintPrimitives = map[pbwire.Number]uint8{
	6:  res.TypeIntDec,        // int_decimal_value (int32, sign-extended varint)
	7:  res.TypeIntHex,        // int_hexadecimal_value
	9:  res.TypeIntColorARGB8, // color_argb8_value
	10: res.TypeIntColorRGB8,  // color_rgb8_value
	11: res.TypeIntColorARGB4, // color_argb4_value
	12: res.TypeIntColorRGB4,  // color_rgb4_value
	13: res.TypeDimension,     // dimension_value
	14: res.TypeFraction,      // fraction_value
}

// parsePrimitive maps Primitive's oneof onto the Res_value it encodes, as
// aapt2's DeserializeItemFromPb does.
func parsePrimitive(m *message) (Primitive, error) {
	p := Primitive{Type: res.TypeNull}
	err := eachField(m, func(f *field) (err error) {
		var v uint32
		switch f.num {
		case 1: // null_value
			p = Primitive{Type: res.TypeNull, Data: res.DataNullUndefined}
		case 2: // empty_value
			p = Primitive{Type: res.TypeNull, Data: res.DataNullEmpty}
		case 3: // float_value
			var x float32
			x, err = f.float32()
			p = Primitive{Type: res.TypeFloat, Data: math.Float32bits(x)}
		case 4: // dimension_value_deprecated (float bits)
			v, err = f.bits32()
			p = Primitive{Type: res.TypeDimension, Data: v}
		case 5: // fraction_value_deprecated
			v, err = f.bits32()
			p = Primitive{Type: res.TypeFraction, Data: v}
		case 8: // boolean_value
			var b bool
			b, err = f.boolean()
			p = Primitive{Type: res.TypeIntBoolean}
			if b {
				p.Data = 0xffffffff
			}
		default:
			if t, ok := varintPrimitives[f.num]; ok {
				v, err = f.u32()
				p = Primitive{Type: t, Data: v}
			}
		}
		return err
	})
	return p, err
}

// resValue is the Res_value the item flattens to; str interns a string in
// the pool being built and returns its index.
func (it *Item) resValue(str func(s string, spans []Span) uint32) res.Value {
	v := res.Value{Size: res.ValueSize}
	switch it.Kind {
	case ItemRef:
		switch {
		case it.Ref.Attribute && it.Ref.Dynamic:
			v.Type = res.TypeDynamicAttribute
		case it.Ref.Attribute:
			v.Type = res.TypeAttribute
		case it.Ref.Dynamic:
			v.Type = res.TypeDynamicReference
		default:
			v.Type = res.TypeReference
		}
		v.Data = it.Ref.ID
	case ItemStr, ItemRawStr, ItemFile:
		v.Type, v.Data = res.TypeString, str(it.Str, nil)
	case ItemStyledStr:
		v.Type, v.Data = res.TypeString, str(it.Str, it.Spans)
	case ItemID:
		// aapt2's Id::Flatten: an ID resource's value is a false boolean.
		v.Type = res.TypeIntBoolean
	case ItemPrim:
		v.Type, v.Data = it.Prim.Type, it.Prim.Data
	default:
		v.Type, v.Data = res.TypeNull, res.DataNullUndefined
	}
	return v
}
