package plist

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPlist decodes arbitrary bytes in every encoding; whatever decodes
// must survive re-encoding and decode again to the same shape.
func FuzzPlist(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if filepath.Base(p) == "LICENSE-bitbar-test-samples" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(EncodeBinary(sample()))
	f.Add([]byte(`"k" = "v"; list = (a, <00ff>, { x = "y"; });`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxDepth: 64, MaxValues: 1 << 14, MaxDataBytes: 1 << 20}
		v, _, err := Parse(data, lim)
		if err != nil {
			return
		}
		again, _, err := Parse(EncodeBinary(v), Limits{MaxDepth: 80})
		if err != nil {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
		if count(again) != count(v) {
			t.Fatalf("re-encoded value has %d values, original %d", count(again), count(v))
		}
	})
}

func count(v *Value) int {
	n := 1
	for _, e := range v.Array {
		n += count(e)
	}
	for _, e := range v.Dict {
		n += count(e.Value)
	}
	return n
}
