package manifest

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

// knownApp is a well-known app that watchlists look for.
type knownApp struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
}

//go:embed wellknown.json
var wellKnownJSON []byte

var wellKnownKinds = map[string]bool{"messaging": true, "social": true, "vpn": true, "anonymity": true, "browser": true}

// loadWellKnown parses the embedded table strictly: a mistake in it is a
// build defect, caught by the tests.
func loadWellKnown() (map[string]knownApp, error) {
	var doc struct {
		Comment string     `json:"comment"`
		Apps    []knownApp `json:"apps"`
	}
	if err := json.Unmarshal(wellKnownJSON, &doc); err != nil {
		return nil, fmt.Errorf("manifest: wellknown.json: %w", err)
	}
	m := make(map[string]knownApp, len(doc.Apps))
	for _, a := range doc.Apps {
		if a.Package == "" || a.Name == "" || !wellKnownKinds[a.Kind] {
			return nil, fmt.Errorf("manifest: wellknown.json: incomplete entry %+v", a)
		}
		if _, dup := m[a.Package]; dup {
			return nil, fmt.Errorf("manifest: wellknown.json: duplicate package %s", a.Package)
		}
		m[a.Package] = a
	}
	return m, nil
}

var wellKnown = sync.OnceValues(loadWellKnown)

// wellKnownApp looks a package name up in the table.
func wellKnownApp(pkg string) (knownApp, bool) {
	m, err := wellKnown()
	if err != nil {
		return knownApp{}, false
	}
	a, ok := m[pkg]
	return a, ok
}
