package axml

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"appxray/res"
)

// Dump writes the document in the format of `aapt dump xmltree`, line for
// line: N: namespaces, E: elements, A: attributes, C: text, indented two
// spaces per level. It replays the node stream as aapt's printXMLBlock does,
// so unbalanced documents print as aapt prints them.
//
// Strings are rendered as aapt renders them: cut at the first NUL, with
// unpaired UTF-16 surrogates dropped. Where aapt would crash on a missing
// string, Dump prints it empty.
func (d *Document) Dump(w io.Writer) error {
	bw := bufio.NewWriter(w)
	type aaptStr struct {
		s  string
		ok bool
	}
	memo := map[uint32]aaptStr{}
	str := func(idx uint32) (string, bool) {
		if v, ok := memo[idx]; ok {
			return v.s, v.ok
		}
		s, ok := d.aaptString(idx)
		memo[idx] = aaptStr{s, ok}
		return s, ok
	}
	type nsEntry struct{ prefix, uri string }
	var namespaces []nsEntry
	depth := 0
	indent := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strings.Repeat("  ", n)
	}
	buildNS := func(idx uint32) string {
		s, ok := str(idx)
		if !ok {
			return ""
		}
		for _, ne := range namespaces {
			if ne.uri == s {
				s = ne.prefix
				break
			}
		}
		return s + ":"
	}
	for _, ev := range d.events {
		prefix := indent(depth)
		switch ev.kind {
		case evStart:
			e := ev.elem
			elemNS := buildNS(e.nsIdx)
			if c, ok := str(e.commentIdx); ok {
				fmt.Fprintf(bw, "%s <!-- %s -->\n", prefix, c)
			}
			name, _ := str(e.nameIdx)
			fmt.Fprintf(bw, "%sE: %s%s (line=%d)\n", prefix, elemNS, name, int32(e.Line))
			depth++
			prefix = indent(depth)
			for i := range e.Attrs {
				a := &e.Attrs[i]
				ns := buildNS(a.nsIdx)
				name, _ := str(a.nameIdx)
				bw.WriteString(prefix)
				bw.WriteString("A: ")
				bw.WriteString(ns)
				bw.WriteString(name)
				if a.ResourceID != 0 {
					fmt.Fprintf(bw, "(0x%08x)", a.ResourceID)
				}
				raw, hasRaw := str(a.rawIdx)
				switch v := a.Value; v.Type {
				case res.TypeNull:
					bw.WriteString("=(null)")
				case res.TypeReference:
					fmt.Fprintf(bw, "=@0x%08x", v.Data)
				case res.TypeAttribute:
					fmt.Fprintf(bw, "=?0x%08x", v.Data)
				case res.TypeString:
					fmt.Fprintf(bw, "=\"%s\"", normalizeForOutput(raw))
				default:
					fmt.Fprintf(bw, "=(type 0x%x)0x%x", v.Type, v.Data)
				}
				if hasRaw {
					fmt.Fprintf(bw, " (Raw: \"%s\")", normalizeForOutput(raw))
				}
				bw.WriteByte('\n')
			}
		case evEnd:
			// aapt gives up on a document that closes more than it opened.
			if depth--; depth < 0 {
				fmt.Fprintf(bw, "***BAD DEPTH in XMLBlock: %d\n", depth)
				return bw.Flush()
			}
		case evStartNS:
			p, ok := str(ev.ns.prefixIdx)
			if !ok {
				p = "<DEF>"
			}
			u, _ := str(ev.ns.uriIdx)
			namespaces = append(namespaces, nsEntry{p, u})
			fmt.Fprintf(bw, "%sN: %s=%s\n", prefix, p, u)
			depth++
		case evEndNS:
			if depth--; depth < 0 {
				fmt.Fprintf(bw, "***BAD DEPTH in XMLBlock: %d\n", depth)
				return bw.Flush()
			}
			if len(namespaces) == 0 {
				continue // aapt reads past its empty stack here
			}
			top := namespaces[len(namespaces)-1]
			p, ok := str(ev.ns.prefixIdx)
			if !ok {
				p = "<DEF>"
			}
			if top.prefix != p {
				fmt.Fprintf(bw, "%s*** BAD END NS PREFIX: found=%s, expected=%s\n", indent(depth), p, top.prefix)
			}
			if u, _ := str(ev.ns.uriIdx); top.uri != u {
				fmt.Fprintf(bw, "%s *** BAD END NS URI: found=%s, expected=%s\n", indent(depth), u, top.uri)
			}
			namespaces = namespaces[:len(namespaces)-1]
		case evText:
			t, _ := str(ev.text.idx)
			fmt.Fprintf(bw, "%sC: \"%s\"\n", prefix, normalizeForOutput(t))
		}
	}
	return bw.Flush()
}

// aaptString returns string idx as aapt prints it, converting the UTF-16
// Android yields with libutils' String8: stop at the first NUL, drop
// unpaired surrogates. ok is false where Android's stringAt returns NULL.
func (d *Document) aaptString(idx uint32) (string, bool) {
	if idx >= 0x80000000 || d.Strings == nil {
		return "", false
	}
	u, err := d.Strings.UTF16(idx)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	var buf [4]byte
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case c == 0:
			return b.String(), true
		case c < 0x80:
			b.WriteByte(byte(c))
			continue
		case c >= 0xd800 && c < 0xdc00 && i+1 < len(u) && u[i+1]&0xfc00 == 0xdc00:
			c = (c-0xd800)<<10 | (rune(u[i+1]) - 0xdc00) + 0x10000
			i++
		case c >= 0xd800 && c < 0xe000:
			continue
		}
		n := utf8.EncodeRune(buf[:], c)
		b.Write(buf[:n])
	}
	return b.String(), true
}

// normalizeForOutput escapes as aapt's ResTable::normalizeForOutput does.
func normalizeForOutput(s string) string {
	if !strings.ContainsAny(s, "\\\n\"") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '"':
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
