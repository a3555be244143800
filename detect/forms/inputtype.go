package forms

import (
	"fmt"
	"strings"

	"appxray/knowledge"
)

// android.text.InputType: a class in the low 4 bits, a variation in the
// next 8, flags above.
const (
	typeMaskClass     = 0x0000000f
	typeMaskVariation = 0x00000ff0
	typeMaskFlags     = 0x00fff000

	typeClassText     = 1
	typeClassNumber   = 2
	typeClassPhone    = 3
	typeClassDatetime = 4
)

// inputTypeNames are the class-and-variation values of android:inputType
// with the names attrs.xml gives them.
var inputTypeNames = map[uint32]string{
	0x00: "none",
	0x01: "text",
	0x11: "textUri",
	0x21: "textEmailAddress",
	0x31: "textEmailSubject",
	0x41: "textShortMessage",
	0x51: "textLongMessage",
	0x61: "textPersonName",
	0x71: "textPostalAddress",
	0x81: "textPassword",
	0x91: "textVisiblePassword",
	0xa1: "textWebEditText",
	0xb1: "textFilter",
	0xc1: "textPhonetic",
	0xd1: "textWebEmailAddress",
	0xe1: "textWebPassword",
	0x02: "number",
	0x12: "numberPassword",
	0x03: "phone",
	0x04: "datetime",
	0x14: "date",
	0x24: "time",
}

// inputTypeFlags are the flag bits per class, in attrs.xml's order.
var inputTypeFlags = map[uint32][]struct {
	bit  uint32
	name string
}{
	typeClassText: {
		{0x1000, "textCapCharacters"},
		{0x2000, "textCapWords"},
		{0x4000, "textCapSentences"},
		{0x8000, "textAutoCorrect"},
		{0x10000, "textAutoComplete"},
		{0x20000, "textMultiLine"},
		{0x40000, "textImeMultiLine"},
		{0x80000, "textNoSuggestions"},
		{0x100000, "textEnableTextConversionSuggestions"},
	},
	typeClassNumber: {
		{0x1000, "numberSigned"},
		{0x2000, "numberDecimal"},
	},
}

// decodeInputType renders an android:inputType value the way a layout
// writes it: "textPersonName", "textCapCharacters|textMultiLine",
// "numberDecimal". Bits it does not know are kept in hex.
func decodeInputType(v uint32) string {
	base := v & (typeMaskClass | typeMaskVariation)
	class := v & typeMaskClass
	var parts []string
	name, known := inputTypeNames[base]
	if !known {
		name = fmt.Sprintf("0x%x", base)
	}
	rest := v &^ (typeMaskClass | typeMaskVariation)
	var flags []string
	for _, f := range inputTypeFlags[class] {
		if rest&f.bit != 0 {
			flags = append(flags, f.name)
			rest &^= f.bit
		}
	}
	// A flag name implies its class ("textMultiLine" is text plus the
	// flag), so the bare class name is left out beside flags.
	if len(flags) == 0 || (base != typeClassText && base != typeClassNumber) || !known {
		parts = append(parts, name)
	}
	parts = append(parts, flags...)
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", rest))
	}
	return strings.Join(parts, "|")
}

// inputTypeCategories maps what an input type says about the data it takes
// to categories: a phone keyboard asks for a phone number, a password
// field for credentials.
func inputTypeCategories(v uint32) []Match {
	base := v & (typeMaskClass | typeMaskVariation)
	var cat knowledge.Category
	// Only a password or e-mail keyboard says what a field takes; a phone
	// keyboard is also used for card numbers, CVCs and postcodes, and
	// "textPersonName" is a widget palette's default: those are weak, to
	// corroborate a term but never to place a field alone.
	strong := false
	switch {
	case v&typeMaskClass == typeClassPhone:
		cat = knowledge.PersonPhoneNumber
	case base == 0x21 || base == 0xd1:
		cat, strong = knowledge.PersonEmail, true
	case base == 0x61:
		cat = knowledge.PersonName
	case base == 0x71:
		cat = knowledge.PersonAddress
	case base == 0x81 || base == 0x91 || base == 0xe1 || base == 0x12:
		cat, strong = knowledge.PersonCredentials, true
	default:
		return nil
	}
	name := inputTypeNames[base]
	if name == "" {
		name = decodeInputType(v)
	}
	return []Match{{Category: cat, Term: name, Lang: "inputType", Strong: strong, Source: "inputType"}}
}

// htmlInputCategories does the same for an HTML input's type.
func htmlInputCategories(typ string) []Match {
	var cat knowledge.Category
	strong := true
	switch strings.ToLower(typ) {
	case "tel":
		cat, strong = knowledge.PersonPhoneNumber, false // card numbers and CVCs use it too
	case "email":
		cat = knowledge.PersonEmail
	case "password":
		cat = knowledge.PersonCredentials
	default:
		return nil
	}
	return []Match{{Category: cat, Term: "type=" + strings.ToLower(typ), Lang: "inputType", Strong: strong, Source: "inputType"}}
}

// inputTypeByName parses a textual inputType ("textPersonName|textCapWords"),
// as found in layouts compiled without attribute typing.
func inputTypeByName(s string) (uint32, bool) {
	var v uint32
	for _, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		found := false
		for val, name := range inputTypeNames {
			if name == part {
				v |= val
				found = true
				break
			}
		}
		if !found {
			for class, flags := range inputTypeFlags {
				for _, f := range flags {
					if f.name == part {
						v |= class | f.bit
						found = true
					}
				}
			}
		}
		if !found {
			return 0, false
		}
	}
	return v, true
}
