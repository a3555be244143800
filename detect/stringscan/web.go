package stringscan

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"appxray/analysis"
	"appxray/knowledge"
)

// The web assets of a hybrid app (Cordova, a WebView showing bundled
// pages) are code: the URLs a page loads or a script opens are servers the
// app contacts, and a script may hide one with escapes
// (unescape('%68%74%74%70…'), "\x68\x74…", String.fromCharCode(104, …)).
// scanWeb reads pages and scripts as a browser would: comments are text,
// string literals are decoded, and what the page loads is told from the
// links it merely shows.

// jsPiece is one piece of a script: code, a comment, or a string literal
// (decoded, with how it was hidden when it was).
type jsPiece struct {
	kind    int // pieceCode, pieceComment, pieceString
	off     int // in the file
	text    string
	decoded string // for strings: the value; hidden says how it was encoded
	hidden  string
}

const (
	pieceCode = iota
	pieceComment
	pieceString
)

// maxScript bounds the bytes of one script tokenised.
const maxScript = 4 << 20

// jsPieces splits a script into code, comments and string literals. It
// does not know regular-expression literals; a quote inside one may
// misplace a string's end, which costs a URL at most.
func jsPieces(src string, base int) []jsPiece {
	if len(src) > maxScript {
		src = src[:maxScript]
	}
	var out []jsPiece
	codeStart := 0
	flushCode := func(end int) {
		if end > codeStart {
			out = append(out, jsPiece{kind: pieceCode, off: base + codeStart, text: src[codeStart:end]})
		}
	}
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			flushCode(i)
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				j = len(src) - i
			}
			out = append(out, jsPiece{kind: pieceComment, off: base + i, text: src[i : i+j]})
			i += j
			codeStart = i
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			flushCode(i)
			j := strings.Index(src[i+2:], "*/")
			end := len(src)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			out = append(out, jsPiece{kind: pieceComment, off: base + i, text: src[i:end]})
			i = end
			codeStart = i
		case c == '\'' || c == '"' || c == '`':
			flushCode(i)
			j := i + 1
			for j < len(src) && src[j] != c && !(src[j] == '\n' && c != '`') {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(src))
			raw := src[i+1 : min(j, len(src))]
			p := jsPiece{kind: pieceString, off: base + i, text: src[i:end], decoded: unescapeJS(raw)}
			if p.decoded != raw && (strings.Contains(raw, `\x`) || strings.Contains(raw, `\u`)) {
				p.hidden = "JavaScript escapes"
			}
			// unescape('%68…'), decodeURIComponent('…'), atob('…').
			before := strings.TrimRight(src[codeStart:i], " \t\r\n")
			if k := len(out) - 1; k >= 0 && out[k].kind == pieceCode {
				before = strings.TrimRight(out[k].text, " \t\r\n")
			}
			for _, fn := range []string{"unescape(", "decodeURIComponent(", "decodeURI("} {
				if strings.HasSuffix(before, fn) {
					if d, err := url.PathUnescape(strings.ReplaceAll(p.decoded, "+", "%2B")); err == nil && d != p.decoded {
						p.decoded, p.hidden = d, strings.TrimSuffix(fn, "(")+"()"
					}
				}
			}
			if strings.HasSuffix(before, "atob(") {
				if d, ok := decodeBase64(p.decoded); ok {
					p.decoded, p.hidden = d, "atob()"
				}
			}
			out = append(out, p)
			i = end
			codeStart = i
		default:
			i++
		}
	}
	flushCode(len(src))
	return out
}

// unescapeJS decodes the escapes of a JavaScript string literal's body.
func unescapeJS(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					b.WriteRune(rune(v))
					i += 2
					continue
				}
			}
			b.WriteByte('x')
		case 'u':
			if i+1 < len(s) && s[i+1] == '{' {
				if j := strings.IndexByte(s[i:], '}'); j > 0 {
					if v, err := strconv.ParseUint(s[i+2:i+j], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
						b.WriteRune(rune(v))
						i += j
						continue
					}
				}
			}
			if i+4 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+5], 16, 16); err == nil {
					b.WriteRune(rune(v))
					i += 4
					continue
				}
			}
			b.WriteByte('u')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

var fromCharCode = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`String\.fromCharCode\(\s*((?:0x[0-9a-fA-F]+|\d+)(?:\s*,\s*(?:0x[0-9a-fA-F]+|\d+))*)\s*\)`)
})

// charCodes decodes the String.fromCharCode(…) calls with literal codes in
// a piece of code, with their offsets in it.
func charCodes(code string) (texts []string, offs []int) {
	for _, m := range fromCharCode().FindAllStringSubmatchIndex(code, 32) {
		var b strings.Builder
		ok := true
		for _, f := range strings.Split(code[m[2]:m[3]], ",") {
			v, err := strconv.ParseInt(strings.TrimSpace(f), 0, 32)
			if err != nil || v < 0 || v > 0x10ffff {
				ok = false
				break
			}
			b.WriteRune(rune(v))
		}
		if ok {
			texts = append(texts, b.String())
			offs = append(offs, m[0])
		}
	}
	return texts, offs
}

// webFile is what the scan knows about one page or script.
type webFile struct {
	loc     string
	at      func(off int) analysis.Evidence
	library string // the JavaScript library it is, "" for the app's own
	used    bool   // a script some page of the app loads (pages always are)
}

// scanWeb reads one page or script of the app's assets.
func (st *state) scanWeb(loc string, data []byte, at func(off int) analysis.Evidence) {
	w := webFile{loc: loc, at: at, library: knowledge.ScriptLibrary(path.Base(loc))}
	if strings.HasSuffix(strings.ToLower(loc), ".js") {
		w.used = st.scripts[loc]
		st.scanScript(w, string(data), 0)
		return
	}
	w.used = true
	st.scanPage(w, string(data))
}

// scanScript records the URLs of a script's string literals (decoded) and
// the bridge properties its code reads.
func (st *state) scanScript(w webFile, src string, base int) {
	for _, p := range jsPieces(src, base) {
		switch p.kind {
		case pieceComment:
			st.webURLs(w, p.text, p.off, roleNamed, "in a script comment")
		case pieceString:
			r, why := roleCode, "in a script of the app"
			switch {
			case p.hidden != "":
				why = "hidden with " + p.hidden + " in a script"
			case w.library != "":
				r, why = roleNamed, "in the "+w.library+" library script"
			case !w.used:
				r, why = roleNamed, "in a script no page of the app loads"
			}
			st.webURLs(w, p.decoded, p.off, r, why)
		case pieceCode:
			texts, offs := charCodes(p.text)
			for i, t := range texts {
				st.webURLs(w, t, p.off+offs[i], roleCode, "hidden with String.fromCharCode() in a script")
			}
			if w.library == "" && w.used {
				st.bridgeReads(w, p.text, p.off)
			}
		}
	}
}

// webURLs records the URLs in text found at offset off of a web file.
func (st *state) webURLs(w webFile, text string, off int, r role, why string) {
	if !strings.Contains(text, "://") {
		return
	}
	scanURLs([]byte(text), func(u string, _ int) {
		if isNamespace(u) {
			return
		}
		host, ip, clear, ok := parseEndpoint(u)
		if !ok {
			return
		}
		e := w.at(off)
		e.Detail = why
		sdk := ""
		if r == roleNamed && w.library != "" {
			sdk = w.library
		}
		st.addEndpoint(u, host, ip, clear, e)
		if clear {
			rr := r
			if !dottedHost(host, ip) {
				rr = roleNamed
			}
			st.addCleartext(occurrence{url: u, sdk: sdk, role: rr, ev: e, why: why})
		}
	})
}

// bridgeReads reports the JavaScript bridge properties (Cordova's
// device.uuid…) that the code of an app's page or script reads, when the
// app carries the plugin that defines them.
func (st *state) bridgeReads(w webFile, code string, off int) {
	for _, r := range knowledge.JavaScriptRules() {
		i := strings.Index(code, r.Property)
		for i >= 0 {
			end := i + len(r.Property)
			if (i == 0 || !isIdentByte(code[i-1])) && (end == len(code) || !isIdentByte(code[end])) {
				break
			}
			j := strings.Index(code[i+1:], r.Property)
			if j < 0 {
				i = -1
				break
			}
			i += 1 + j
		}
		if i < 0 {
			continue
		}
		class := st.hasClass(r.RequiresClass)
		if len(r.RequiresClass) > 0 && class == "" {
			continue
		}
		ev := w.at(off + i)
		ev.Detail = "reads " + r.Property
		if class != "" {
			ev.Detail += " (defined by " + class + ")"
		}
		st.literalFinding(r.Category, r.Title, "", false, ev)
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// hasClass returns the first of the classes the app's DEX files define,
// or "".
func (st *state) hasClass(classes []string) string {
	if st.ix == nil || st.ix.Hierarchy == nil {
		return ""
	}
	for _, c := range classes {
		if st.ix.Hierarchy.Defined(c) {
			return c
		}
	}
	return ""
}

// Attributes whose URL a page loads (rather than shows as a link).
var loadAttrs = map[string]bool{"src": true, "action": true, "data": true, "poster": true, "background": true, "formaction": true, "manifest": true}

// scanPage reads an HTML page: its scripts as scripts, the URLs it loads
// (src, action…) as the app's, its links and text as named.
func (st *state) scanPage(w webFile, src string) {
	low := strings.ToLower(src)
	text := 0 // start of the text not yet scanned
	i := 0
	for i < len(src) {
		j := strings.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case strings.HasPrefix(src[i:], "<!--"):
			st.webURLs(w, src[text:i], text, roleNamed, "in the page's text")
			end := strings.Index(src[i:], "-->")
			if end < 0 {
				end = len(src) - i
			} else {
				end += 3
			}
			st.webURLs(w, src[i:i+end], i, roleNamed, "in a comment of the page")
			i += end
			text = i
			continue
		}
		tagEnd := strings.IndexByte(src[i:], '>')
		if tagEnd < 0 {
			break
		}
		st.webURLs(w, src[text:i], text, roleNamed, "in the page's text")
		tag := src[i : i+tagEnd+1]
		name, attrs := parseTag(tag)
		for _, a := range attrs {
			switch {
			case loadAttrs[a.name]:
				st.webURLs(w, a.value, i+a.off, roleCode, "loaded by the page ("+name+" "+a.name+")")
			case strings.HasPrefix(a.name, "on"):
				st.scanScript(webFile{loc: w.loc, at: w.at, used: true}, a.value, i+a.off)
			default:
				st.webURLs(w, a.value, i+a.off, roleNamed, "a link in the page")
			}
		}
		i += tagEnd + 1
		text = i
		if name == "script" {
			end := strings.Index(low[i:], "</script")
			if end < 0 {
				end = len(src) - i
			}
			st.scanScript(webFile{loc: w.loc, at: w.at, used: true}, src[i:i+end], i)
			i += end
			text = i
		}
	}
	if text < len(src) {
		st.webURLs(w, src[text:], text, roleNamed, "in the page's text")
	}
}

type htmlAttr struct {
	name, value string
	off         int
}

// parseTag splits a start tag into its lower-case name and attributes.
func parseTag(tag string) (string, []htmlAttr) {
	s := strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">")
	i := 0
	for i < len(s) && !isSpace(s[i]) && s[i] != '/' {
		i++
	}
	name := strings.ToLower(s[:i])
	var attrs []htmlAttr
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == '/') {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '/' {
			i++
		}
		an := strings.ToLower(s[start:i])
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			if an == "" {
				i++
			}
			continue
		}
		i++
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		var val string
		voff := i + 1
		if i < len(s) && (s[i] == '"' || s[i] == '\'') {
			q := s[i]
			j := strings.IndexByte(s[i+1:], q)
			if j < 0 {
				j = len(s) - i - 1
			}
			val = s[i+1 : i+1+j]
			i += j + 2
		} else {
			voff = i + 1
			start := i
			for i < len(s) && !isSpace(s[i]) {
				i++
			}
			val = s[start:i]
		}
		if an != "" {
			attrs = append(attrs, htmlAttr{name: an, value: htmlUnescape(val), off: voff})
		}
	}
	return name, attrs
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// htmlUnescape decodes the character references a URL in an attribute
// may be hidden with (&#104;&#116;… or &#x68;…) and the common named ones.
func htmlUnescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			b.WriteByte(s[i])
			continue
		}
		j := strings.IndexByte(s[i:], ';')
		if j < 2 || j > 10 {
			b.WriteByte('&')
			continue
		}
		ent := s[i+1 : i+j]
		switch {
		case ent == "amp":
			b.WriteByte('&')
		case ent == "quot":
			b.WriteByte('"')
		case ent == "apos":
			b.WriteByte('\'')
		case ent == "lt":
			b.WriteByte('<')
		case ent == "gt":
			b.WriteByte('>')
		case strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X"):
			v, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil {
				b.WriteString(s[i : i+j+1])
			} else {
				b.WriteRune(rune(v))
			}
		case strings.HasPrefix(ent, "#"):
			v, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil {
				b.WriteString(s[i : i+j+1])
			} else {
				b.WriteRune(rune(v))
			}
		default:
			b.WriteString(s[i : i+j+1])
		}
		i += j
	}
	return b.String()
}

// scriptRefs returns the scripts the app's pages load, as entry names,
// resolved against each page's folder (and file:///android_asset/).
func scriptRefs(pages map[string][]byte) map[string]bool {
	out := map[string]bool{}
	for name, data := range pages {
		low := bytes.ToLower(data)
		for i := 0; ; {
			j := bytes.Index(low[i:], []byte("<script"))
			if j < 0 {
				break
			}
			i += j
			end := bytes.IndexByte(data[i:], '>')
			if end < 0 {
				break
			}
			_, attrs := parseTag(string(data[i : i+end+1]))
			for _, a := range attrs {
				if a.name != "src" || strings.Contains(a.value, "://") && !strings.HasPrefix(a.value, "file:///android_asset/") {
					continue
				}
				v := strings.SplitN(a.value, "?", 2)[0]
				var ref string
				switch {
				case strings.HasPrefix(v, "file:///android_asset/"):
					ref = "assets/" + strings.TrimPrefix(v, "file:///android_asset/")
				case strings.HasPrefix(v, "/"):
					ref = path.Clean("assets" + v)
				default:
					ref = path.Clean(path.Join(path.Dir(name), v))
				}
				out[ref] = true
			}
			i += end
		}
	}
	return out
}

// decodeBase64 decodes text hidden with atob().
func decodeBase64(s string) (string, bool) {
	for _, enc := range b64encodings {
		if b, err := enc.DecodeString(s); err == nil && utf8.Valid(b) {
			return string(b), true
		}
	}
	return "", false
}

var b64encodings = []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding}
