package pbres

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/arsc"
	"appxray/axml"
)

func addSeeds(f *testing.F, suffix string) {
	files, _ := filepath.Glob("testdata/*.pb")
	for _, p := range files {
		if strings.HasSuffix(p, ".xml.pb") != (suffix == ".xml.pb") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// fuzzLimits keeps each input's work small.
var fuzzLimits = Limits{MaxDepth: 64, MaxNodes: 1 << 14, MaxAttributes: 1 << 14, MaxEntries: 1 << 14, MaxValues: 1 << 15, MaxIDSpace: 1 << 16}

// FuzzProtoXML decodes arbitrary bytes as proto XML and, when that succeeds,
// requires the flattened binary XML to parse and to be linear in size.
func FuzzProtoXML(f *testing.F) {
	addSeeds(f, ".xml.pb")
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseXML(data, fuzzLimits)
		if err != nil {
			return
		}
		b := d.Binary()
		if len(b) > 64*len(data)+1024 {
			t.Fatalf("%d input bytes flattened to %d", len(data), len(b))
		}
		if _, err := axml.Parse(b, axml.Limits{}); err != nil {
			t.Fatalf("flattened XML does not parse: %v", err)
		}
	})
}

// FuzzProtoTable decodes arbitrary bytes as a resource table and, when that
// succeeds, requires the flattened table to parse and every entry of it
// to decode.
func FuzzProtoTable(f *testing.F) {
	addSeeds(f, ".pb")
	f.Fuzz(func(t *testing.T, data []byte) {
		pt, err := ParseTable(data, fuzzLimits)
		if err != nil {
			return
		}
		b, _ := pt.Binary()
		if len(b) > 64*len(data)+4096 {
			t.Fatalf("%d input bytes flattened to %d", len(data), len(b))
		}
		tab, err := arsc.Parse(b, arsc.Limits{})
		if err != nil {
			t.Fatalf("flattened table does not parse: %v", err)
		}
		for _, p := range tab.Packages {
			for _, ty := range p.Types {
				if ty == nil {
					continue
				}
				for _, tc := range ty.Configs {
					for _, err := range tc.All() {
						if err != nil {
							t.Fatalf("flattened entry: %v", err)
						}
					}
				}
			}
		}
	})
}
