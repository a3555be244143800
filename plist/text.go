package plist

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parseText reads the OpenStep text form: "quoted" or bare strings,
// ( arrays ), { dicts; } and <hex data>, with // and /* */ comments. A
// file whose top level is a run of `key = value;` pairs without braces
// (a .strings file) reads as a dict. UTF-16 input (with a byte order mark,
// as Xcode writes .strings files) is accepted.
func parseText(data []byte, b *budget) (*Value, error) {
	s, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	p := &textParser{s: s, b: b}
	p.skip()
	if p.pos >= len(p.s) {
		// An empty .strings file is an empty dict.
		return &Value{Kind: Dict}, nil
	}
	if c := p.s[p.pos]; c != '{' && c != '(' && c != '<' {
		// Try a brace-less dict, as .strings files are.
		save := p.pos
		if v, err := p.dictBody(0, -1); err == nil {
			return v, nil
		}
		p.pos = save
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skip()
	if p.pos < len(p.s) {
		return nil, errorf(int64(p.pos), "text after the property list")
	}
	return v, nil
}

// decodeText turns UTF-16 (with a BOM) into UTF-8 and drops a UTF-8 BOM.
// Offsets in errors from UTF-16 input count UTF-8 bytes of the decoded text.
func decodeText(data []byte) (string, error) {
	switch {
	case len(data) >= 2 && (data[0] == 0xff && data[1] == 0xfe || data[0] == 0xfe && data[1] == 0xff):
		order := binary.ByteOrder(binary.LittleEndian)
		if data[0] == 0xfe {
			order = binary.BigEndian
		}
		body := data[2:]
		u := make([]uint16, len(body)/2)
		for i := range u {
			u[i] = order.Uint16(body[2*i:])
		}
		return string(utf16.Decode(u)), nil
	case len(data) >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf:
		return string(data[3:]), nil
	}
	return string(data), nil
}

type textParser struct {
	s   string
	pos int
	b   *budget
}

// skip passes whitespace and comments.
func (p *textParser) skip() {
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			p.pos++
		case strings.HasPrefix(p.s[p.pos:], "//"):
			if i := strings.IndexByte(p.s[p.pos:], '\n'); i >= 0 {
				p.pos += i + 1
			} else {
				p.pos = len(p.s)
			}
		case strings.HasPrefix(p.s[p.pos:], "/*"):
			if i := strings.Index(p.s[p.pos+2:], "*/"); i >= 0 {
				p.pos += i + 4
			} else {
				p.pos = len(p.s)
			}
		default:
			return
		}
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '$' || c == '+' || c == '/' || c == ':' || c == '.' || c == '-' || c >= 0x80
}

func (p *textParser) value(depth int) (*Value, error) {
	if depth > p.b.lim.MaxDepth {
		return nil, limitErr(int64(p.pos), fmt.Sprintf("nesting %d", depth), "MaxDepth", p.b.lim.MaxDepth)
	}
	p.skip()
	off := int64(p.pos)
	if p.pos >= len(p.s) {
		return nil, errorf(off, "value expected at the end")
	}
	switch c := p.s[p.pos]; {
	case c == '{':
		p.pos++
		return p.dictBody(depth, off)
	case c == '(':
		p.pos++
		if err := p.b.value(off); err != nil {
			return nil, err
		}
		v := &Value{Kind: Array, Offset: off}
		for {
			p.skip()
			if p.pos < len(p.s) && p.s[p.pos] == ')' {
				p.pos++
				return v, nil
			}
			e, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.Array = append(v.Array, e)
			p.skip()
			if p.pos < len(p.s) && p.s[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.s) && p.s[p.pos] == ')' {
				p.pos++
				return v, nil
			}
			return nil, errorf(int64(p.pos), "',' or ')' expected in array")
		}
	case c == '<':
		end := strings.IndexByte(p.s[p.pos:], '>')
		if end < 0 {
			return nil, errorf(off, "unterminated <data>")
		}
		hexText := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, p.s[p.pos+1:p.pos+end])
		raw, err := hex.DecodeString(hexText)
		if err != nil {
			return nil, &FormatError{Offset: off, Msg: "data is not hex", Err: err}
		}
		p.pos += end + 1
		if err := p.b.value(off); err != nil {
			return nil, err
		}
		return &Value{Kind: Data, Data: raw, Offset: off}, nil
	case c == '"' || c == '\'':
		s, err := p.quoted(c)
		if err != nil {
			return nil, err
		}
		if err := p.b.value(off); err != nil {
			return nil, err
		}
		return &Value{Kind: String, Str: s, Offset: off}, nil
	case isBare(c):
		start := p.pos
		for p.pos < len(p.s) && isBare(p.s[p.pos]) {
			p.pos++
		}
		if err := p.b.value(off); err != nil {
			return nil, err
		}
		return &Value{Kind: String, Str: p.s[start:p.pos], Offset: off}, nil
	default:
		return nil, errorf(off, "unexpected %q", c)
	}
}

// dictBody reads `key = value;` pairs up to '}' (or, when open is -1, to
// the end of the input). A key alone followed by ';' maps to itself, as in
// .strings files.
func (p *textParser) dictBody(depth int, open int64) (*Value, error) {
	off := open
	if off < 0 {
		off = int64(p.pos)
	}
	if err := p.b.value(off); err != nil {
		return nil, err
	}
	v := &Value{Kind: Dict, Offset: off}
	for {
		p.skip()
		if p.pos >= len(p.s) {
			if open < 0 {
				return v, nil
			}
			return nil, errorf(open, "unterminated dict")
		}
		if p.s[p.pos] == '}' && open >= 0 {
			p.pos++
			return v, nil
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if k.Kind != String {
			return nil, errorf(k.Offset, "dict key is a %s", k.Kind)
		}
		p.skip()
		if p.pos < len(p.s) && p.s[p.pos] == ';' {
			p.pos++
			v.Dict = append(v.Dict, Entry{Key: k.Str, Value: &Value{Kind: String, Str: k.Str, Offset: k.Offset}})
			continue
		}
		if p.pos >= len(p.s) || p.s[p.pos] != '=' {
			return nil, errorf(int64(p.pos), "'=' expected after dict key %q", k.Str)
		}
		p.pos++
		e, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v.Dict = append(v.Dict, Entry{Key: k.Str, Value: e})
		p.skip()
		if p.pos >= len(p.s) || p.s[p.pos] != ';' {
			return nil, errorf(int64(p.pos), "';' expected after the value of %q", k.Str)
		}
		p.pos++
	}
}

// quoted reads a quoted string with the escapes of NSString's property
// list parser: \n \t \r \b \f \v \a \\ \" \' , \Uxxxx and \ooo octal.
func (p *textParser) quoted(q byte) (string, error) {
	start := p.pos
	p.pos++
	var sb strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q:
			p.pos++
			if err := p.b.data(int64(start), int64(sb.Len())); err != nil {
				return "", err
			}
			return sb.String(), nil
		case c == '\\' && p.pos+1 < len(p.s):
			p.pos++
			e := p.s[p.pos]
			p.pos++
			switch e {
			case 'n':
				sb.WriteByte('\n')
			case 't':
				sb.WriteByte('\t')
			case 'r':
				sb.WriteByte('\r')
			case 'b':
				sb.WriteByte('\b')
			case 'f':
				sb.WriteByte('\f')
			case 'v':
				sb.WriteByte('\v')
			case 'a':
				sb.WriteByte('\a')
			case 'U', 'u':
				n := 0
				for n < 4 && p.pos+n < len(p.s) && isHex(p.s[p.pos+n]) {
					n++
				}
				r, _ := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
				p.pos += n
				sb.WriteRune(rune(r))
			case '0', '1', '2', '3', '4', '5', '6', '7':
				n := 1
				for n < 3 && p.pos-1+n < len(p.s) && p.s[p.pos-1+n] >= '0' && p.s[p.pos-1+n] <= '7' {
					n++
				}
				r, _ := strconv.ParseUint(p.s[p.pos-1:p.pos-1+n], 8, 32)
				p.pos += n - 1
				sb.WriteRune(rune(r))
			default:
				sb.WriteByte(e)
			}
		default:
			_, size := utf8.DecodeRuneInString(p.s[p.pos:])
			sb.WriteString(p.s[p.pos : p.pos+size])
			p.pos += size
		}
	}
	return "", errorf(int64(start), "unterminated string")
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
