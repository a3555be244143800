package pbres

import (
	"encoding/binary"
	"strings"
)

// Configuration is a Configuration (Configuration.proto): the device
// requirements a value is for. The enums keep their proto numbering; Binary
// maps them onto ResTable_config.
type Configuration struct {
	MCC, MNC              uint32
	Locale                string // a BCP-47 tag: "", "fr", "zh-CN", "sr-Latn-RS"
	LayoutDirection       uint32
	ScreenWidth           uint32
	ScreenHeight          uint32
	ScreenWidthDp         uint32
	ScreenHeightDp        uint32
	SmallestScreenWidthDp uint32
	ScreenLayoutSize      uint32
	ScreenLayoutLong      uint32
	ScreenRound           uint32
	WideColorGamut        uint32
	HDR                   uint32
	Orientation           uint32
	UIModeType            uint32
	UIModeNight           uint32
	Density               uint32
	Touchscreen           uint32
	KeysHidden            uint32
	Keyboard              uint32
	NavHidden             uint32
	Navigation            uint32
	SDKVersion            uint32
	Product               string
	GrammaticalGender     uint32
}

func parseConfiguration(m *message) (Configuration, error) {
	var c Configuration
	ints := map[int]*uint32{
		1: &c.MCC, 2: &c.MNC, 4: &c.LayoutDirection, 5: &c.ScreenWidth, 6: &c.ScreenHeight,
		7: &c.ScreenWidthDp, 8: &c.ScreenHeightDp, 9: &c.SmallestScreenWidthDp,
		10: &c.ScreenLayoutSize, 11: &c.ScreenLayoutLong, 12: &c.ScreenRound,
		13: &c.WideColorGamut, 14: &c.HDR, 15: &c.Orientation, 16: &c.UIModeType,
		17: &c.UIModeNight, 18: &c.Density, 19: &c.Touchscreen, 20: &c.KeysHidden,
		21: &c.Keyboard, 22: &c.NavHidden, 23: &c.Navigation, 24: &c.SDKVersion,
		26: &c.GrammaticalGender,
	}
	err := eachField(m, func(f *field) (err error) {
		switch n := int(f.num); n {
		case 3:
			c.Locale, err = f.str()
		case 25:
			c.Product, err = f.str()
		default:
			if p, ok := ints[n]; ok {
				*p, err = f.u32()
			}
		}
		return err
	})
	return c, err
}

// ResTable_config field values the proto enums map onto.
const (
	layoutDirLTR     = 0x40
	layoutDirRTL     = 0x80
	screenLongNo     = 0x10
	screenLongYes    = 0x20
	screenRoundNo    = 0x01
	screenRoundYes   = 0x02
	wideColorNo      = 0x01
	wideColorYes     = 0x02
	hdrNo            = 0x04
	hdrYes           = 0x08
	uiModeNightNo    = 0x10
	uiModeNightYes   = 0x20
	navHiddenNo      = 0x04
	navHiddenYes     = 0x08
	configSize       = 64
	packedLangBase   = 'a'
	packedRegionBase = '0'
)

// yesNo maps a proto enum whose 1 and 2 mean "yes" and "no" (or the
// first and second choice) onto the binary values.
func pick2(v uint32, first, second uint8) uint8 {
	switch v {
	case 1:
		return first
	case 2:
		return second
	}
	return 0
}

// Binary returns the configuration as a 64-byte ResTable_config, as
// aapt2's DeserializeConfigFromPb fills it.
func (c *Configuration) Binary() [configSize]byte {
	var b [configSize]byte
	le := binary.LittleEndian
	le.PutUint32(b[0:], configSize)
	le.PutUint16(b[4:], uint16(c.MCC))
	le.PutUint16(b[6:], uint16(c.MNC))
	c.putLocale(&b)
	b[12] = uint8(c.Orientation)
	b[13] = uint8(c.Touchscreen)
	le.PutUint16(b[14:], uint16(c.Density))
	b[16] = uint8(c.Keyboard)
	b[17] = uint8(c.Navigation)
	b[18] = uint8(c.KeysHidden&0x03) | pick2(c.NavHidden, navHiddenNo, navHiddenYes)
	b[19] = uint8(c.GrammaticalGender & 0x03)
	le.PutUint16(b[20:], uint16(c.ScreenWidth))
	le.PutUint16(b[22:], uint16(c.ScreenHeight))
	le.PutUint16(b[24:], uint16(c.SDKVersion))
	b[28] = uint8(c.ScreenLayoutSize&0x0f) |
		pick2(c.ScreenLayoutLong, screenLongYes, screenLongNo) |
		pick2(c.LayoutDirection, layoutDirLTR, layoutDirRTL)
	b[29] = uint8(c.UIModeType&0x0f) | pick2(c.UIModeNight, uiModeNightYes, uiModeNightNo)
	le.PutUint16(b[30:], uint16(c.SmallestScreenWidthDp))
	le.PutUint16(b[32:], uint16(c.ScreenWidthDp))
	le.PutUint16(b[34:], uint16(c.ScreenHeightDp))
	b[48] = pick2(c.ScreenRound, screenRoundYes, screenRoundNo)
	b[49] = pick2(c.WideColorGamut, wideColorYes, wideColorNo) | pick2(c.HDR, hdrYes, hdrNo)
	return b
}

// putLocale parses the BCP-47 tag as aapt2's LocaleValue::InitFromBcp47Tag
// does (language, then a 4-letter script, a 2-letter or 3-digit region,
// a 5-8 character or digit-led 4 character variant) and packs it.
func (c *Configuration) putLocale(b *[configSize]byte) {
	if c.Locale == "" {
		return
	}
	parts := strings.FieldsFunc(strings.ToLower(c.Locale), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return
	}
	lang := parts[0]
	if (len(lang) != 2 && len(lang) != 3) || !isAlphaStr(lang) {
		return
	}
	packCode(b[8:10], lang, packedLangBase)
	for i, p := range parts[1:] {
		switch {
		case p == "u" && i+3 < len(parts) && parts[i+2] == "nu":
			copy(b[53:61], parts[i+3])
			return
		case len(p) == 4 && isAlphaStr(p):
			copy(b[36:40], strings.ToUpper(p[:1])+p[1:])
		case (len(p) == 2 && isAlphaStr(p)) || (len(p) == 3 && isDigitStr(p)):
			packCode(b[10:12], strings.ToUpper(p), packedRegionBase)
		case len(p) >= 5 && len(p) <= 8, len(p) == 4 && p[0] >= '0' && p[0] <= '9':
			copy(b[40:48], p)
		}
	}
}

// packCode stores a two-letter code as it is and a three-letter one in
// ResTable_config's packed form (three 5-bit values offset from base,
// high bit set).
func packCode(dst []byte, s string, base byte) {
	if len(s) == 2 {
		dst[0], dst[1] = s[0], s[1]
		return
	}
	first, second, third := s[0]-base, s[1]-base, s[2]-base
	dst[0] = 0x80 | (third << 2) | (second >> 3)
	dst[1] = (second << 5) | first
}

func isAlphaStr(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isDigitStr(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
