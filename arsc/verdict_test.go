package arsc_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"appxray/arsc"
	"appxray/res"
)

// rejected lists the warnings of t that say Android refuses the table.
func rejected(t *arsc.Table) []string {
	var out []string
	for _, w := range t.Warnings {
		var fe *arsc.FormatError
		var re *res.FormatError
		if errors.As(w, &fe) && fe.AndroidRejects || errors.As(w, &re) && re.AndroidRejects {
			out = append(out, w.Error())
		}
	}
	return out
}

// TestAndroidVerdicts: each problem is marked with what LoadedArsc does:
// refuse the whole table (LoadedPackage::Load returns nothing, and with it
// the APK's resources) or read past it.
func TestAndroidVerdicts(t *testing.T) {
	values := stringPool("hello")
	spec := typeSpec(1, 0)
	typ := typeChunk(1, cfg{}, dense, 1, 0, ent{idx: 0, key: 0, value: str(0)})
	unknown := chunk(0x0299, buf(nil).u32(0), nil)
	tests := []struct {
		name    string
		table   []byte
		rejects string // substring of a rejecting warning, "" for none
	}{
		{"valid", tableChunk(values, pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, spec, typ)), ""},
		// LoadedPackage::Load: "Unknown chunk type" is only a warning.
		{"unknown chunk", tableChunk(values, pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, spec, unknown, typ)), ""},
		// "RES_TABLE_TYPE_TYPE with ID %02x found without preceding RES_TABLE_TYPE_SPEC_TYPE".
		{"type without spec", tableChunk(values, pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, typ)), "no preceding type spec"},
		// LoadTable: "More package chunks were found than the %d declared".
		{"more packages than declared", func() []byte {
			b := tableChunk(values, pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, spec, typ))
			binary.LittleEndian.PutUint32(b[8:], 0)
			return b
		}(), "declares 0 packages but holds 1"},
		// The first chunk is checked fatally by ChunkIterator: a truncated table.
		{"truncated table", func() []byte {
			b := tableChunk(values, pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, spec, typ))
			return b[:len(b)-8]
		}(), "truncated resources.arsc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := arsc.Parse(tc.table, arsc.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			got := rejected(tab)
			if tc.rejects == "" {
				if len(got) != 0 || tab.AndroidRejects() {
					t.Errorf("rejecting warnings %q for a table Android loads", got)
				}
				return
			}
			if !tab.AndroidRejects() || len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), tc.rejects) {
				t.Errorf("rejecting warnings %q, want one with %q (all: %v)", got, tc.rejects, tab.Warnings)
			}
		})
	}
}
