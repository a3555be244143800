package knowledge

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// tldsText is data/tlds.txt (also in dataFS). Held as a string, the table
// is built from slices of it without copying the file.
//
//go:embed data/tlds.txt
var tldsText string

var tldsOnce = sync.OnceValues(loadTLDs)

func loadTLDs() ([]string, error) { return parseTLDs("data/tlds.txt", tldsText) }

// parseTLDs reads a list of top-level domains: a header of "#" comment
// lines, then one TLD a line, in strictly increasing byte order. A TLD is
// letters a–z (ICANN delegates no other ASCII TLDs), or an A-label:
// "xn--" and then letters, digits and hyphens, ending in no hyphen; at
// most 63 bytes either way.
func parseTLDs(file, text string) ([]string, error) {
	tlds := make([]string, 0, strings.Count(text, "\n")+1)
	n := 0
	for line := range strings.Lines(text) {
		n++
		item := func() string { return "line " + strconv.Itoa(n) }
		l, ok := strings.CutSuffix(line, "\n")
		if !ok {
			return nil, &DataError{File: file, Item: item(), Msg: "the file does not end in a newline"}
		}
		if strings.HasPrefix(l, "#") {
			if len(tlds) > 0 {
				return nil, &DataError{File: file, Item: item(), Msg: "a comment after the first TLD"}
			}
			continue
		}
		if !validTLD(l) {
			return nil, &DataError{File: file, Item: item(), Msg: strconv.Quote(l) + " is no lower-case TLD or A-label"}
		}
		if len(tlds) > 0 {
			switch prev := tlds[len(tlds)-1]; {
			case l == prev:
				return nil, &DataError{File: file, Item: item(), Msg: "duplicate " + l}
			case l < prev:
				return nil, &DataError{File: file, Item: item(), Msg: l + " is not sorted: it comes after " + prev}
			}
		}
		tlds = append(tlds, l)
	}
	if len(tlds) == 0 {
		return nil, &DataError{File: file, Msg: "no TLDs"}
	}
	return tlds, nil
}

func validTLD(l string) bool {
	if l == "" || len(l) > 63 {
		return false
	}
	if rest, ok := strings.CutPrefix(l, "xn--"); ok {
		if rest == "" || rest[len(rest)-1] == '-' {
			return false
		}
		for i := 0; i < len(rest); i++ {
			if c := rest[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// TopLevelDomain reports whether label is a top-level domain of the public
// DNS root, "com" or "xn--p1ai" (.рф): the top-level labels of the public
// suffix list's ICANN section (data/tlds.txt). ASCII case does not matter;
// an IDN TLD is found only as its A-label, so a caller with a U-label
// converts it first.
func TopLevelDomain(label string) bool {
	tlds, err := tldsOnce()
	mustLoad(err)
	upper := false
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c >= 0x80 {
			return false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if upper {
		label = strings.ToLower(label)
	}
	_, ok := slices.BinarySearch(tlds, label)
	return ok
}
