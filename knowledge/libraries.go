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

// Script is a JavaScript library an app's web assets may bundle, known by
// its file name.
type Script struct {
	// File is the start of the file's base name, lower case: "jquery"
	// matches jquery-1.7.2.min.js and jquery.mobile-1.1.0.js.
	File string `json:"file"`
	Name string `json:"name"`
}

var librariesOnce = sync.OnceValues(loadLibraries)

var scripts []Script

func loadLibraries() ([]Library, error) {
	const file = "data/libraries.json"
	var doc struct {
		Comment   string    `json:"comment"`
		Libraries []Library `json:"libraries"`
		Scripts   []Script  `json:"scripts"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, err
	}
	seenScript := map[string]bool{}
	for _, sc := range doc.Scripts {
		if sc.File == "" || sc.Name == "" || strings.ToLower(sc.File) != sc.File || strings.ContainsAny(sc.File, "/\\ ") {
			return nil, &DataError{File: file, Item: sc.File, Msg: "a script needs a lower-case file name start without slashes or spaces, and a name"}
		}
		if seenScript[sc.File] {
			return nil, &DataError{File: file, Item: sc.File, Msg: "duplicate script"}
		}
		seenScript[sc.File] = true
	}
	// Longest first, so that jquery.mobile wins over jquery (sorted as a
	// copy: the compiled-in table is shared and read-only).
	doc.Scripts = slices.Clone(doc.Scripts)
	slices.SortStableFunc(doc.Scripts, func(a, b Script) int { return len(b.File) - len(a.File) })
	scripts = doc.Scripts
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
	doc.Libraries = slices.Clone(doc.Libraries)
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

// ScriptLibrary names the JavaScript library a script file is, by its
// base name ("jquery.mobile-1.1.0.min.js" is jQuery Mobile), or "".
func ScriptLibrary(base string) string {
	_, err := librariesOnce()
	mustLoad(err)
	low := strings.ToLower(base)
	for _, sc := range scripts {
		if strings.HasPrefix(low, sc.File) {
			rest := low[len(sc.File):]
			// On a boundary: jquery-1.7.js, jquery.min.js, jquery.js,
			// cordova3.5.js, but not jqueryfoo.js.
			if rest == "" || rest[0] == '.' || rest[0] == '-' || rest[0] == '_' || '0' <= rest[0] && rest[0] <= '9' {
				return sc.Name
			}
		}
	}
	return ""
}
