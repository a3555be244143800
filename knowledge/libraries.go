package knowledge

import (
	"slices"
	"strings"
	"sync"
)

// Library is a common open-source library: third-party code that is neither
// the app's own nor a tracker's.
type Library struct {
	Prefix string `json:"prefix"` // DEX descriptor prefix, e.g. "Lokhttp3/"
	Name   string `json:"name"`
}

var librariesOnce = sync.OnceValues(loadLibraries)

func loadLibraries() ([]Library, error) {
	const file = "data/libraries.json"
	var doc struct {
		Comment   string    `json:"comment"`
		Libraries []Library `json:"libraries"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, l := range doc.Libraries {
		if !strings.HasPrefix(l.Prefix, "L") || !strings.HasSuffix(l.Prefix, "/") || strings.ContainsAny(l.Prefix, ".;") {
			return nil, &DataError{File: file, Item: l.Prefix, Msg: "prefix must be a descriptor package prefix like Lokhttp3/"}
		}
		if l.Name == "" {
			return nil, &DataError{File: file, Item: l.Prefix, Msg: "missing name"}
		}
		if seen[l.Prefix] {
			return nil, &DataError{File: file, Item: l.Prefix, Msg: "duplicate prefix"}
		}
		seen[l.Prefix] = true
	}
	// Longest prefix first, so that a library inside another's namespace
	// (Lcom/google/android/gms/ in Lcom/google/) wins.
	slices.SortStableFunc(doc.Libraries, func(a, b Library) int { return len(b.Prefix) - len(a.Prefix) })
	return doc.Libraries, nil
}

// Libraries returns the library table, longest prefix first.
func Libraries() []Library {
	l, err := librariesOnce()
	mustLoad(err)
	return slices.Clone(l)
}

// LibraryOf names the library a class descriptor ("Lokhttp3/Call;") lies
// in, or "".
func LibraryOf(desc string) string {
	l, err := librariesOnce()
	mustLoad(err)
	for _, lib := range l {
		if strings.HasPrefix(desc, lib.Prefix) {
			return lib.Name
		}
	}
	return ""
}
