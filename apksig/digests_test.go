package apksig

import (
	"crypto"
	"slices"
	"testing"
)

func TestManifestDigests(t *testing.T) {
	for _, tc := range []struct {
		name, manifest string
		want           []crypto.Hash
	}{
		{"none", "Manifest-Version: 1.0\r\n\r\n", nil},
		// The main section's own digests are not entry digests.
		{"main section only", "Manifest-Version: 1.0\r\nSHA-256-Digest-Manifest: x\r\n\r\n", nil},
		{"sha-256", "Manifest-Version: 1.0\r\n\r\nName: a\r\nSHA-256-Digest: x\r\n\r\nName: b\r\nSHA-256-Digest: y\r\n\r\n", []crypto.Hash{crypto.SHA256}},
		{"both, case of the attribute name ignored", "Manifest-Version: 1.0\r\n\r\nName: a\r\nSHA1-Digest: x\r\n\r\nName: b\r\nsha-256-digest: y\r\nSHA1-Digest: z\r\n\r\n", []crypto.Hash{crypto.SHA256, crypto.SHA1}},
	} {
		got := ManifestDigests([]byte(tc.manifest))
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", tc.name, got, want)
		}
	}
}
