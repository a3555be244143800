package scan

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable makes text taken from the analysed file safe to place in a
// finding: control and format characters (which could rewrite a terminal
// or hide text) become \uXXXX escapes, bytes that are not UTF-8 become
// \xXX, and the result is cut to about max bytes with "…" (max <= 0: no
// cut). A name Android compares byte by byte stays distinguishable.
func Printable(s string, max int) string {
	if max <= 0 {
		max = len(s) * 10
	}
	if len(s) <= max && plain(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= max {
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
