package apksig

import (
	"encoding/binary"
	"os"
	"testing"

	"appxray/internal/corpus"
	"appxray/zipapk"
)

// seedBlocks are the committed signing blocks (real ones, from apksig's
// test APKs; see testdata/README.md).
var seedBlocks = []string{"v2v3-lineage.block", "v2-ecdsa.block", "v3-dsa.block", "v2v3-rsa.block", "v2-rsa-pss.block"}

// corpusBlocks returns the committed signing blocks and, when the corpus is
// set up, those of up to n corpus APKs, as zipapk locates them.
func corpusBlocks(t testing.TB, n int) [][]byte {
	var out [][]byte
	for _, name := range seedBlocks {
		out = append(out, readTestdata(t, name))
	}
	if !corpus.Present() {
		return out
	}
	for _, path := range corpus.APKs(t) {
		if len(out) >= n+len(seedBlocks) {
			break
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		if z, err := zipapk.NewReader(f, st.Size(), zipapk.Limits{}); err == nil && z.SigningBlock != nil && z.SigningBlock.Size < 1<<20 {
			if b, err := z.ReadSigningBlock(); err == nil {
				out = append(out, b)
			}
		}
		f.Close()
	}
	return out
}

func FuzzParseSigningBlock(f *testing.F) {
	for _, b := range corpusBlocks(f, 40) {
		f.Add(b)
	}
	// A v2+v3 block whose v2 signers claim more bytes than they have (a
	// SchemeError: Android refuses the APK rather than fall back to v1).
	if b := readTestdata(f, "v2v3-rsa.block"); len(b) > 32 {
		b = append([]byte(nil), b...)
		if pairs, _ := ParseSigningBlock(b); len(pairs) > 0 {
			binary.LittleEndian.PutUint32(b[pairs[0].Offset+12:], 0x7fffffff)
			f.Add(b)
		}
	}
	lim := DefaultLimits()
	f.Fuzz(func(t *testing.T, block []byte) {
		pairs, _ := lim.ParseSigningBlock(block)
		for _, p := range pairs {
			if p.Offset < 8 || p.Offset+12+int64(len(p.Value)) > int64(len(block)) {
				t.Fatalf("pair at %d with %d bytes outside block of %d", p.Offset, len(p.Value), len(block))
			}
			var signers []*Signer
			switch p.ID {
			case BlockIDV2:
				signers, _ = lim.ParseV2(p.Value)
			case BlockIDV3:
				signers, _ = lim.ParseV3(p.Value, SchemeV3)
			case BlockIDV31:
				signers, _ = lim.ParseV3(p.Value, SchemeV31)
			}
			if len(signers) > lim.MaxSigners {
				t.Fatalf("%d signers exceed the limit", len(signers))
			}
			for _, s := range signers {
				if s.Verified && len(s.Problems) > 0 {
					t.Fatalf("verified signer with problems %q", s.Problems)
				}
			}
		}
	})
}

// FuzzParseV1 mutates the manifest, signature file and signature block of
// a JAR signature.
func FuzzParseV1(f *testing.F) {
	td := v1Testdata(f)
	f.Add(td["META-INF/MANIFEST.MF"], td["META-INF/CERT.SF"], td["META-INF/CERT.EC"])
	n := 0
	var apks []string
	if corpus.Present() {
		apks = corpus.APKs(f)
	}
	for _, path := range apks {
		if n >= 20 {
			break
		}
		files, err := v1FilesFromPath(path)
		if err != nil || files[ManifestName] == nil {
			continue
		}
		var sf, block []byte
		for name, b := range files {
			switch {
			case len(name) > 3 && name[len(name)-3:] == ".SF":
				sf = b
			case name != ManifestName:
				block = b
			}
		}
		if sf != nil && block != nil && len(files[ManifestName]) < 64<<10 {
			f.Add(files[ManifestName], sf, block)
			n++
		}
	}
	f.Fuzz(func(t *testing.T, manifest, sf, block []byte) {
		signers, err := ParseV1(map[string][]byte{
			ManifestName:        manifest,
			"META-INF/CERT.SF":  sf,
			"META-INF/CERT.RSA": block,
		})
		if err != nil || len(signers) != 1 {
			t.Fatalf("signers %d, err %v", len(signers), err)
		}
		if signers[0].Verified && len(signers[0].Problems) > 0 {
			t.Fatalf("verified signer with problems %q", signers[0].Problems)
		}
	})
}

// FuzzParseCertificate is seeded with the certificates of the committed
// signing blocks (RSA, EC, DSA) and of the corpus when it is set up.
func FuzzParseCertificate(f *testing.F) {
	for _, b := range corpusBlocks(f, 10) {
		pairs, _ := ParseSigningBlock(b)
		for _, p := range pairs {
			var s []*Signer
			switch p.ID {
			case BlockIDV2:
				s, _ = ParseV2(p.Value)
			case BlockIDV3:
				s, _ = ParseV3(p.Value, SchemeV3)
			}
			if len(s) > 0 && len(s[0].Certificates) > 0 {
				f.Add(s[0].Certificates[0].Raw)
			}
		}
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		c, err := ParseCertificate(der)
		if err == nil && (len(c.SHA256) != 64 || len(c.SHA1) != 40 || len(c.MD5) != 32) {
			t.Fatalf("bad fingerprints %+v", c)
		}
	})
}
