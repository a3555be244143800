package scan

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQuoted bounds a value from the analysed file quoted in a finding: a
// hostile file may hold megabyte-long names.
const MaxQuoted = 300

// Printable makes text taken from the analysed file safe to place in a
// finding: control and format characters (which could rewrite a terminal
// or hide text) become \uXXXX escapes, bytes that are not UTF-8 become
// \xXX, and the result is cut to about MaxQuoted bytes with "…". A name
// Android compares byte by byte stays distinguishable.
func Printable(s string) string {
	if len(s) <= MaxQuoted && plain(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= MaxQuoted {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plain reports whether s needs no escape.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
