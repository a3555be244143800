package forms

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A small, tolerant HTML tokenizer: enough of the HTML syntax to find form
// elements, their attributes, and the text of labels and options in pages
// shipped with web-view apps. It never fails; what it does not understand
// it passes over as text. Each call to next advances, so it runs in time
// linear in the input.

type tokKind int

const (
	tokText tokKind = iota
	tokStart
	tokEnd
)

type htmlAttr struct {
	name, value string
}

type htmlToken struct {
	kind  tokKind
	name  string // lower-case tag name
	attrs []htmlAttr
	text  string // decoded text of a text token
	line  int    // 1-based line of the token's start
}

func (t *htmlToken) attr(name string) (string, bool) {
	for _, a := range t.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

type htmlTokenizer struct {
	b    []byte
	pos  int
	line int
	// raw is the element whose content is raw text to skip (script,
	// style) or keep as one text token (textarea, title).
	raw string
}

func newHTMLTokenizer(b []byte) *htmlTokenizer {
	return &htmlTokenizer{b: b, line: 1}
}

// advance moves to end, counting lines.
func (z *htmlTokenizer) advance(end int) {
	if end > len(z.b) {
		end = len(z.b)
	}
	z.line += bytes.Count(z.b[z.pos:end], []byte{'\n'})
	z.pos = end
}

// next returns the next token, or false at the end of the input.
func (z *htmlTokenizer) next() (htmlToken, bool) {
	for z.pos < len(z.b) {
		if z.raw != "" {
			if t, ok := z.rawText(); ok {
				return t, true
			}
			continue
		}
		start, line := z.pos, z.line
		rest := z.b[z.pos:]
		if rest[0] != '<' {
			end := bytes.IndexByte(rest, '<')
			if end < 0 {
				end = len(rest)
			}
			z.advance(z.pos + end)
			return htmlToken{kind: tokText, text: decodeEntities(string(rest[:end])), line: line}, true
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				z.advance(len(z.b))
			} else {
				z.advance(start + 4 + end + 3)
			}
			continue
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			z.skipPast('>')
			continue
		case len(rest) > 2 && rest[1] == '/' && isASCIILetter(rest[2]):
			name, n := tagName(rest[2:])
			z.advance(start + 2 + n)
			z.skipPast('>')
			return htmlToken{kind: tokEnd, name: name, line: line}, true
		case len(rest) > 1 && isASCIILetter(rest[1]):
			name, n := tagName(rest[1:])
			z.advance(start + 1 + n)
			t := htmlToken{kind: tokStart, name: name, line: line}
			t.attrs = z.attributes()
			switch name {
			case "script", "style", "textarea", "title":
				z.raw = name
			}
			return t, true
		default:
			z.advance(start + 1)
			return htmlToken{kind: tokText, text: "<", line: line}, true
		}
	}
	return htmlToken{}, false
}

// rawText consumes the content of a raw-text element up to its end tag;
// it returns the content as a text token for textarea and title.
func (z *htmlTokenizer) rawText() (htmlToken, bool) {
	name := z.raw
	z.raw = ""
	line := z.line
	rest := z.b[z.pos:]
	end := indexFold(rest, "</"+name)
	if end < 0 {
		end = len(rest)
	}
	z.advance(z.pos + end)
	if name == "script" || name == "style" {
		return htmlToken{}, false
	}
	return htmlToken{kind: tokText, text: decodeEntities(string(rest[:end])), line: line}, true
}

func (z *htmlTokenizer) skipPast(c byte) {
	end := bytes.IndexByte(z.b[z.pos:], c)
	if end < 0 {
		z.advance(len(z.b))
		return
	}
	z.advance(z.pos + end + 1)
}

// attributes reads attributes up to the end of a start tag.
func (z *htmlTokenizer) attributes() []htmlAttr {
	var attrs []htmlAttr
	for z.pos < len(z.b) {
		c := z.b[z.pos]
		switch {
		case c == '>':
			z.advance(z.pos + 1)
			return attrs
		case c == '/' || isSpace(c):
			z.advance(z.pos + 1)
			continue
		}
		// Attribute name: up to space, '=', '>' or '/'.
		n := 0
		for z.pos+n < len(z.b) {
			c := z.b[z.pos+n]
			if isSpace(c) || c == '=' || c == '>' || (c == '/' && n > 0) {
				break
			}
			n++
		}
		if n == 0 {
			n = 1
		}
		name := strings.ToLower(string(z.b[z.pos : z.pos+n]))
		z.advance(z.pos + n)
		z.skipSpace()
		value := ""
		if z.pos < len(z.b) && z.b[z.pos] == '=' {
			z.advance(z.pos + 1)
			z.skipSpace()
			value = z.attrValue()
		}
		attrs = append(attrs, htmlAttr{name: name, value: decodeEntities(value)})
	}
	return attrs
}

func (z *htmlTokenizer) skipSpace() {
	for z.pos < len(z.b) && isSpace(z.b[z.pos]) {
		z.advance(z.pos + 1)
	}
}

func (z *htmlTokenizer) attrValue() string {
	if z.pos >= len(z.b) {
		return ""
	}
	if q := z.b[z.pos]; q == '"' || q == '\'' {
		rest := z.b[z.pos+1:]
		end := bytes.IndexByte(rest, q)
		if end < 0 {
			end = len(rest)
		}
		v := string(rest[:end])
		z.advance(z.pos + 1 + end + 1)
		return v
	}
	n := 0
	for z.pos+n < len(z.b) && !isSpace(z.b[z.pos+n]) && z.b[z.pos+n] != '>' {
		n++
	}
	v := string(z.b[z.pos : z.pos+n])
	z.advance(z.pos + n)
	return v
}

func tagName(b []byte) (string, int) {
	n := 0
	for n < len(b) && !isSpace(b[n]) && b[n] != '>' && b[n] != '/' {
		n++
	}
	return strings.ToLower(string(b[:n])), n
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// indexFold finds an ASCII string in b, ignoring case.
func indexFold(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if i+len(s) <= len(b) && strings.EqualFold(string(b[i:i+len(s)]), s) {
			return i
		}
	}
	return -1
}

// namedEntities are the character references form labels use in practice.
var namedEntities = map[string]string{
	"amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u00a0",
	"copy": "©", "reg": "®", "middot": "·", "ndash": "–", "mdash": "—", "hellip": "…",
	"laquo": "«", "raquo": "»", "times": "×",
}

// decodeEntities replaces character references; unknown ones stay as
// they are.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, ';')
		if end < 2 || end > 32 {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		ref := s[1:end]
		if r, ok := numericRef(ref); ok {
			b.WriteRune(r)
		} else if v, ok := namedEntities[ref]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[:end+1])
		}
		s = s[end+1:]
	}
}

func numericRef(ref string) (rune, bool) {
	if !strings.HasPrefix(ref, "#") {
		return 0, false
	}
	num, base := ref[1:], 10
	if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
		num, base = num[1:], 16
	}
	n, err := strconv.ParseUint(num, base, 32)
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xd800 && n <= 0xdfff) {
		return utf8.RuneError, err == nil
	}
	return rune(n), true
}
