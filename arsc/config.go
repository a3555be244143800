package arsc

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// Config mirrors ResTable_config: the device configuration a set of
// resource values applies to. A zero field means "any".
type Config struct {
	// Size is the size the file declared for the structure; it may be
	// smaller (older tools) or larger (newer platforms) than KnownConfigSize.
	Size uint32

	MCC uint16
	MNC uint16

	// Language and Country hold either two ASCII letters or, when the high
	// bit of the first byte is set, a packed three-letter code.
	Language [2]byte
	Country  [2]byte

	Orientation uint8
	Touchscreen uint8
	Density     uint16

	Keyboard   uint8
	Navigation uint8
	InputFlags uint8
	// GrammaticalInflection shares the fourth byte of the input word.
	GrammaticalInflection uint8

	ScreenWidth  uint16
	ScreenHeight uint16

	SDKVersion   uint16
	MinorVersion uint16

	ScreenLayout          uint8
	UIMode                uint8
	SmallestScreenWidthDp uint16

	ScreenWidthDp  uint16
	ScreenHeightDp uint16

	LocaleScript  [4]byte
	LocaleVariant [8]byte

	ScreenLayout2 uint8
	ColorMode     uint8

	LocaleScriptWasComputed bool
	LocaleNumberingSystem   [8]byte
}

// KnownConfigSize is the size of ResTable_config as this package knows it.
const KnownConfigSize = 64

// Field values of ResTable_config used when naming configurations.
const (
	OrientationPort   = 1
	OrientationLand   = 2
	OrientationSquare = 3

	TouchscreenNoTouch = 1
	TouchscreenStylus  = 2
	TouchscreenFinger  = 3

	DensityLow     = 120
	DensityMedium  = 160
	DensityTV      = 213
	DensityHigh    = 240
	DensityXHigh   = 320
	DensityXXHigh  = 480
	DensityXXXHigh = 640
	DensityAny     = 0xfffe
	DensityNone    = 0xffff

	KeyboardNoKeys = 1
	KeyboardQwerty = 2
	Keyboard12Key  = 3

	NavigationNoNav     = 1
	NavigationDpad      = 2
	NavigationTrackball = 3
	NavigationWheel     = 4

	MaskKeysHidden = 0x03
	MaskNavHidden  = 0x0c

	MaskScreenSize  = 0x0f
	MaskScreenLong  = 0x30
	MaskLayoutDir   = 0xc0
	MaskScreenRound = 0x03
	MaskWideColor   = 0x03
	MaskHDR         = 0x0c
	MaskUIModeType  = 0x0f
	MaskUIModeNight = 0x30
	MaskGrammatical = 0x03

	// MNCZero is how an MNC of "00" is stored, since 0 means "any".
	MNCZero = 0xffff
)

// parseConfig decodes a ResTable_config from b, which holds exactly the
// bytes the file declared (possibly fewer or more than KnownConfigSize).
// Missing trailing fields read as zero, as Android does when it copies
// a short config into a zeroed structure.
func parseConfig(b []byte) Config {
	var buf [KnownConfigSize]byte
	copy(buf[:], b)
	le := binary.LittleEndian
	c := Config{
		Size:                  uint32(len(b)),
		MCC:                   le.Uint16(buf[4:]),
		MNC:                   le.Uint16(buf[6:]),
		Orientation:           buf[12],
		Touchscreen:           buf[13],
		Density:               le.Uint16(buf[14:]),
		Keyboard:              buf[16],
		Navigation:            buf[17],
		InputFlags:            buf[18],
		GrammaticalInflection: buf[19],
		ScreenWidth:           le.Uint16(buf[20:]),
		ScreenHeight:          le.Uint16(buf[22:]),
		SDKVersion:            le.Uint16(buf[24:]),
		MinorVersion:          le.Uint16(buf[26:]),
		ScreenLayout:          buf[28],
		UIMode:                buf[29],
		SmallestScreenWidthDp: le.Uint16(buf[30:]),
		ScreenWidthDp:         le.Uint16(buf[32:]),
		ScreenHeightDp:        le.Uint16(buf[34:]),
		ScreenLayout2:         buf[48],
		ColorMode:             buf[49],
	}
	copy(c.Language[:], buf[8:10])
	copy(c.Country[:], buf[10:12])
	copy(c.LocaleScript[:], buf[36:40])
	copy(c.LocaleVariant[:], buf[40:48])
	c.LocaleScriptWasComputed = buf[52] != 0
	copy(c.LocaleNumberingSystem[:], buf[53:61])
	return c
}

// IsDefault reports whether c matches every device (all fields "any").
func (c Config) IsDefault() bool {
	c.Size = 0
	return c == Config{}
}

// unpackCode turns a two-byte language or region field into text. The
// packed form (high bit set) holds three 5-bit letters offset from base.
func unpackCode(in [2]byte, base byte) string {
	if in[0]&0x80 != 0 {
		first := in[1] & 0x1f
		second := (in[1]&0xe0)>>5 | (in[0]&0x03)<<3
		third := (in[0] & 0x7c) >> 2
		return string([]byte{first + base, second + base, third + base})
	}
	return cString(in[:])
}

// cString returns b up to its first NUL, as C code printing it would.
func cString(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// LanguageCode is the language subtag ("en", "ast"), "" for any.
func (c Config) LanguageCode() string {
	if c.Language[0] == 0 {
		return ""
	}
	return unpackCode(c.Language, 'a')
}

// RegionCode is the region subtag ("US", "419"), "" for any.
func (c Config) RegionCode() string {
	if c.Country[0] == 0 {
		return ""
	}
	return unpackCode(c.Country, '0')
}

// Locale names the configuration's locale the way resource directory
// qualifiers do: "" for any, "fr", "zh-rCN", or the BCP-47 form
// "b+sr+Latn" when a script, variant or numbering system is present.
func (c Config) Locale() string {
	var sb strings.Builder
	c.appendLocale(&sb)
	return sb.String()
}

func (c Config) appendLocale(sb *strings.Builder) {
	if c.Language[0] == 0 {
		return
	}
	sep := func(s string) {
		if sb.Len() > 0 {
			sb.WriteString(s)
		}
	}
	scriptGiven := c.LocaleScript[0] != 0 && !c.LocaleScriptWasComputed
	if !scriptGiven && c.LocaleVariant[0] == 0 && c.LocaleNumberingSystem[0] == 0 {
		sep("-")
		sb.WriteString(c.LanguageCode())
		if c.Country[0] != 0 {
			sb.WriteString("-r")
			sb.WriteString(c.RegionCode())
		}
		return
	}
	sep("-")
	sb.WriteString("b+")
	sb.WriteString(c.LanguageCode())
	if scriptGiven {
		sb.WriteString("+")
		sb.WriteString(cString(c.LocaleScript[:]))
	}
	if c.Country[0] != 0 {
		sb.WriteString("+")
		sb.WriteString(c.RegionCode())
	}
	if c.LocaleVariant[0] != 0 {
		sb.WriteString("+")
		sb.WriteString(cString(c.LocaleVariant[:]))
	}
	if c.LocaleNumberingSystem[0] != 0 {
		sb.WriteString("+u+nu+")
		sb.WriteString(cString(c.LocaleNumberingSystem[:]))
	}
}

// String renders c as resource directory qualifiers joined by '-', in the
// order and spelling of ResTable_config::toString (as printed by
// `aapt dump resources`); the default configuration is "".
func (c Config) String() string {
	var sb strings.Builder
	add := func(s string) {
		if sb.Len() > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(s)
	}
	num := func(prefix string, v uint16, suffix string) string {
		return prefix + strconv.Itoa(int(v)) + suffix
	}
	if c.MCC != 0 {
		add(num("mcc", c.MCC, ""))
	}
	if c.MNC != 0 {
		add(num("mnc", c.MNC, ""))
	}
	c.appendLocale(&sb)
	switch c.GrammaticalInflection & MaskGrammatical {
	case 1:
		add("neuter")
	case 2:
		add("feminine")
	case 3:
		add("masculine")
	}
	switch v := c.ScreenLayout & MaskLayoutDir; v {
	case 0:
	case 0x40:
		add("ldltr")
	case 0x80:
		add("ldrtl")
	default:
		add(num("layoutDir=", uint16(v), ""))
	}
	if c.SmallestScreenWidthDp != 0 {
		add(num("sw", c.SmallestScreenWidthDp, "dp"))
	}
	if c.ScreenWidthDp != 0 {
		add(num("w", c.ScreenWidthDp, "dp"))
	}
	if c.ScreenHeightDp != 0 {
		add(num("h", c.ScreenHeightDp, "dp"))
	}
	switch v := c.ScreenLayout & MaskScreenSize; v {
	case 0:
	case 1:
		add("small")
	case 2:
		add("normal")
	case 3:
		add("large")
	case 4:
		add("xlarge")
	default:
		add(num("screenLayoutSize=", uint16(v), ""))
	}
	switch v := c.ScreenLayout & MaskScreenLong; v {
	case 0:
	case 0x10:
		add("notlong")
	case 0x20:
		add("long")
	default:
		add(num("screenLayoutLong=", uint16(v), ""))
	}
	switch v := c.ScreenLayout2 & MaskScreenRound; v {
	case 0:
	case 1:
		add("notround")
	case 2:
		add("round")
	default:
		add(num("screenRound=", uint16(v), ""))
	}
	switch v := c.ColorMode & MaskWideColor; v {
	case 0:
	case 1:
		add("nowidecg")
	case 2:
		add("widecg")
	default:
		add(num("wideColorGamut=", uint16(v), ""))
	}
	switch v := c.ColorMode & MaskHDR; v {
	case 0:
	case 4:
		add("lowdr")
	case 8:
		add("highdr")
	default:
		add(num("hdr=", uint16(v), ""))
	}
	switch c.Orientation {
	case 0:
	case OrientationPort:
		add("port")
	case OrientationLand:
		add("land")
	case OrientationSquare:
		add("square")
	default:
		add(num("orientation=", uint16(c.Orientation), ""))
	}
	switch v := c.UIMode & MaskUIModeType; v {
	case 0:
	case 1:
		add("normal")
	case 2:
		add("desk")
	case 3:
		add("car")
	case 4:
		add("television")
	case 5:
		add("appliance")
	case 6:
		add("watch")
	case 7:
		add("vrheadset")
	default:
		add(num("uiModeType=", uint16(v), ""))
	}
	switch v := c.UIMode & MaskUIModeNight; v {
	case 0:
	case 0x10:
		add("notnight")
	case 0x20:
		add("night")
	default:
		add(num("uiModeNight=", uint16(v), ""))
	}
	switch c.Density {
	case 0:
	case DensityLow:
		add("ldpi")
	case DensityMedium:
		add("mdpi")
	case DensityTV:
		add("tvdpi")
	case DensityHigh:
		add("hdpi")
	case DensityXHigh:
		add("xhdpi")
	case DensityXXHigh:
		add("xxhdpi")
	case DensityXXXHigh:
		add("xxxhdpi")
	case DensityNone:
		add("nodpi")
	case DensityAny:
		add("anydpi")
	default:
		add(num("", c.Density, "dpi"))
	}
	switch c.Touchscreen {
	case 0:
	case TouchscreenNoTouch:
		add("notouch")
	case TouchscreenFinger:
		add("finger")
	case TouchscreenStylus:
		add("stylus")
	default:
		add(num("touchscreen=", uint16(c.Touchscreen), ""))
	}
	switch c.InputFlags & MaskKeysHidden {
	case 1:
		add("keysexposed")
	case 2:
		add("keyshidden")
	case 3:
		add("keyssoft")
	}
	switch c.Keyboard {
	case 0:
	case KeyboardNoKeys:
		add("nokeys")
	case KeyboardQwerty:
		add("qwerty")
	case Keyboard12Key:
		add("12key")
	default:
		add(num("keyboard=", uint16(c.Keyboard), ""))
	}
	switch v := c.InputFlags & MaskNavHidden; v {
	case 0:
	case 4:
		add("navexposed")
	case 8:
		add("navhidden")
	default:
		add(num("inputFlagsNavHidden=", uint16(v), ""))
	}
	switch c.Navigation {
	case 0:
	case NavigationNoNav:
		add("nonav")
	case NavigationDpad:
		add("dpad")
	case NavigationTrackball:
		add("trackball")
	case NavigationWheel:
		add("wheel")
	default:
		add(num("navigation=", uint16(c.Navigation), ""))
	}
	if c.ScreenWidth != 0 || c.ScreenHeight != 0 {
		add(strconv.Itoa(int(c.ScreenWidth)) + "x" + strconv.Itoa(int(c.ScreenHeight)))
	}
	if c.SDKVersion != 0 || c.MinorVersion != 0 {
		s := num("v", c.SDKVersion, "")
		if c.MinorVersion != 0 {
			s += "." + strconv.Itoa(int(c.MinorVersion))
		}
		add(s)
	}
	return sb.String()
}
