package apksig

import (
	"bytes"
	"strings"
)

// manifestSection is one section of a JAR manifest or signature file.
type manifestSection struct {
	Raw   []byte            // the section's bytes including its terminating blank line
	Attrs map[string]string // attribute names lower-cased
	Name  string            // value of the Name attribute, for individual sections
}

// parseManifest splits a JAR manifest (MANIFEST.MF or a .SF file) into its
// main section and individual sections. Lines end in CRLF, LF or CR; a line
// starting with a space continues the previous one.
func parseManifest(b []byte) (main manifestSection, sections []manifestSection) {
	main.Attrs = map[string]string{}
	cur := &main
	start := 0
	var lastKey string
	// val gathers lastKey's value across its continuation lines; it is
	// stored when the attribute ends, so that a long run of continuation
	// lines costs its length, not its length squared.
	var val []byte
	flush := func() {
		if lastKey == "" {
			return
		}
		v := string(val)
		cur.Attrs[lastKey] = v
		if lastKey == "name" {
			cur.Name = v
		}
	}
	inMain := true
	pos := 0
	for pos < len(b) {
		end, next := lineEnd(b, pos)
		line := b[pos:end]
		if len(line) == 0 {
			flush()
			// Blank line: the current section ends after it.
			if len(cur.Attrs) > 0 || !inMain {
				cur.Raw = b[start:next]
				if !inMain {
					sections = append(sections, *cur)
				}
			} else {
				cur.Raw = b[start:next]
			}
			inMain = false
			cur = &manifestSection{Attrs: map[string]string{}}
			start = next
			lastKey = ""
			// Consecutive blank lines belong to no section.
			for next < len(b) {
				e, n := lineEnd(b, next)
				if e != next {
					break
				}
				next = n
				start = n
			}
			pos = next
			continue
		}
		if line[0] == ' ' && lastKey != "" {
			val = append(val, line[1:]...)
		} else if i := bytes.IndexByte(line, ':'); i > 0 {
			flush()
			lastKey = strings.ToLower(string(line[:i]))
			val = append(val[:0], bytes.TrimPrefix(line[i+1:], []byte(" "))...)
		}
		pos = next
	}
	flush()
	if start < len(b) && len(cur.Attrs) > 0 {
		cur.Raw = b[start:]
		if inMain {
			return *cur, sections
		}
		sections = append(sections, *cur)
	} else if inMain {
		main.Raw = b
	}
	return main, sections
}

// lineEnd returns the end of the line starting at pos and where the next
// line starts.
func lineEnd(b []byte, pos int) (end, next int) {
	for i := pos; i < len(b); i++ {
		switch b[i] {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(b), len(b)
}
