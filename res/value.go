package res

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// Value types (Res_value.dataType).
const (
	TypeNull             uint8 = 0x00
	TypeReference        uint8 = 0x01
	TypeAttribute        uint8 = 0x02
	TypeString           uint8 = 0x03
	TypeFloat            uint8 = 0x04
	TypeDimension        uint8 = 0x05
	TypeFraction         uint8 = 0x06
	TypeDynamicReference uint8 = 0x07
	TypeDynamicAttribute uint8 = 0x08
	TypeIntDec           uint8 = 0x10
	TypeIntHex           uint8 = 0x11
	TypeIntBoolean       uint8 = 0x12
	TypeIntColorARGB8    uint8 = 0x1c
	TypeIntColorRGB8     uint8 = 0x1d
	TypeIntColorARGB4    uint8 = 0x1e
	TypeIntColorRGB4     uint8 = 0x1f
)

// Data values of a TypeNull value.
const (
	DataNullUndefined uint32 = 0 // no value
	DataNullEmpty     uint32 = 1 // explicitly empty (@empty)
)

// ValueSize is the size of Res_value.
const ValueSize = 8

// Value is Res_value: a typed value of an attribute or resource.
type Value struct {
	Size uint16 // size of the structure, normally 8
	Res0 uint8  // always 0 in valid files
	Type uint8
	Data uint32
}

// ReadValue reads the Res_value at off in b.
func ReadValue(b []byte, off int64) (Value, error) {
	if off < 0 || off > int64(len(b)) || int64(len(b))-off < ValueSize {
		return Value{}, &FormatError{Offset: off, Msg: "truncated value"}
	}
	p := b[off:]
	return Value{
		Size: binary.LittleEndian.Uint16(p),
		Res0: p[2],
		Type: p[3],
		Data: binary.LittleEndian.Uint32(p[4:]),
	}, nil
}

// IsReference reports whether the value points at a resource (@…), whose
// ID is Data.
func (v Value) IsReference() bool {
	return v.Type == TypeReference || v.Type == TypeDynamicReference
}

// Bool returns the value of a boolean.
func (v Value) Bool() bool { return v.Data != 0 }

// Float returns the value of a TypeFloat.
func (v Value) Float() float32 { return math.Float32frombits(v.Data) }

// Complex units and radixes (Res_value COMPLEX_*).
var (
	dimensionUnits = [16]string{0: "px", 1: "dip", 2: "sp", 3: "pt", 4: "in", 5: "mm"}
	fractionUnits  = [16]string{0: "%", 1: "%p"}
	radixMults     = [4]float64{1.0 / (1 << 8), 1.0 / (1 << 15), 1.0 / (1 << 23), 1.0 / (1 << 31)}
)

// Complex decodes a dimension or fraction: its number (a fraction is
// scaled so 1 is 100%) and its unit index.
func (v Value) Complex() (float64, uint8) {
	mantissa := float64(int32(v.Data & 0xffffff00))
	return mantissa * radixMults[(v.Data>>4)&3], uint8(v.Data & 0xf)
}

// Format renders the value readably, without resolving references:
// "@0x7f040001", "?0x01010036", "true", "#ff00ff00", "12.0dip", "50.0%",
// "0x10", "42". A string value has only its pool index, "(string #3)".
func (v Value) Format() string {
	switch v.Type {
	case TypeNull:
		if v.Data == DataNullEmpty {
			return "@empty"
		}
		return "@null"
	case TypeReference:
		return fmt.Sprintf("@0x%08x", v.Data)
	case TypeAttribute:
		return fmt.Sprintf("?0x%08x", v.Data)
	case TypeDynamicReference:
		return fmt.Sprintf("@dynamic/0x%08x", v.Data)
	case TypeDynamicAttribute:
		return fmt.Sprintf("?dynamic/0x%08x", v.Data)
	case TypeString:
		return fmt.Sprintf("(string #%d)", v.Data)
	case TypeFloat:
		return formatFloat(float64(v.Float()))
	case TypeDimension:
		f, u := v.Complex()
		if name := dimensionUnits[u]; name != "" {
			return formatFloat(f) + name
		}
		return formatFloat(f) + fmt.Sprintf("(unit %d)", u)
	case TypeFraction:
		f, u := v.Complex()
		if name := fractionUnits[u]; name != "" {
			return formatFloat(f*100) + name
		}
		return formatFloat(f*100) + fmt.Sprintf("%%(unit %d)", u)
	case TypeIntDec:
		return strconv.Itoa(int(int32(v.Data)))
	case TypeIntHex:
		return fmt.Sprintf("0x%x", v.Data)
	case TypeIntBoolean:
		if v.Data != 0 {
			return "true"
		}
		return "false"
	case TypeIntColorARGB8:
		return fmt.Sprintf("#%08x", v.Data)
	case TypeIntColorRGB8:
		return fmt.Sprintf("#%06x", v.Data&0xffffff)
	case TypeIntColorARGB4:
		return fmt.Sprintf("#%x%x%x%x", v.Data>>28&0xf, v.Data>>20&0xf, v.Data>>12&0xf, v.Data>>4&0xf)
	case TypeIntColorRGB4:
		return fmt.Sprintf("#%x%x%x", v.Data>>20&0xf, v.Data>>12&0xf, v.Data>>4&0xf)
	}
	return fmt.Sprintf("(type 0x%02x)0x%x", v.Type, v.Data)
}

// formatFloat prints f in the shortest form that reads back exactly as a
// float32, always with a fractional part ("12.0", "0.5").
func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 32)
	}
	s := strconv.FormatFloat(f, 'f', -1, 32)
	for _, c := range s {
		if c == '.' {
			return s
		}
	}
	return s + ".0"
}
