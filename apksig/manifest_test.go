package apksig

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"
)

func TestParseManifestContinuation(t *testing.T) {
	mf := "Manifest-Version: 1.0\r\nCreated-By: a\r\n  b\r\n\r\n" +
		"Name: res/layout/very_long\r\n _name.xml\r\nSHA-256-Digest: abc\r\n =\r\n\r\n" +
		"Name: x\r\nSHA1-Digest: 1\r\nSHA1-Digest: 2\r\n 3\r\n"
	main, secs := parseManifest([]byte(mf))
	if main.Attrs["created-by"] != "a b" || main.Attrs["manifest-version"] != "1.0" {
		t.Errorf("main attributes %q", main.Attrs)
	}
	if len(secs) != 2 || secs[0].Name != "res/layout/very_long_name.xml" || secs[0].Attrs["sha-256-digest"] != "abc=" ||
		secs[1].Name != "x" || secs[1].Attrs["sha1-digest"] != "23" {
		t.Errorf("sections %+v", secs)
	}
	if !strings.HasPrefix(mf, string(main.Raw)) || !bytes.HasPrefix(secs[0].Raw, []byte("Name: res/")) {
		t.Errorf("raw main %q, section %q", main.Raw, secs[0].Raw)
	}

	// A name continued over 250000 lines (1 MB): linear, where appending
	// to the map's string each line took 27 s.
	long := append([]byte("Manifest-Version: 1.0\r\n\r\nName: x\r\n"), bytes.Repeat([]byte(" y\r\n"), 250000)...)
	start := time.Now()
	_, secs = parseManifest(long)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("parseManifest took %v", d)
	}
	if len(secs) != 1 || len(secs[0].Name) != 250001 {
		t.Errorf("%d sections", len(secs))
	}
}

// A .SF that names one large manifest section in 20000 sections hashes the
// section once (it hashed 20 GB), and still checks every mention.
func TestSignatureFileRepeatedSections(t *testing.T) {
	section := "Name: a\r\nX-Filler: " + strings.Repeat("f", 1<<20) + "\r\n\r\n"
	manifest := []byte("Manifest-Version: 1.0\r\n\r\n" + section)
	sum := sha256.Sum256([]byte(section))
	good := "Name: a\r\nSHA-256-Digest: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
	sf := "Signature-Version: 1.0\r\n\r\n" + strings.Repeat(good, 20000) + "Name: a\r\nSHA-256-Digest: AAAA\r\n\r\n"
	s := &Signer{SignatureFile: "META-INF/CERT.SF"}
	start := time.Now()
	checkSignatureFile(s, []byte(sf), manifest)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("checkSignatureFile took %v", d)
	}
	if len(s.Problems) != 1 || !strings.Contains(s.Problems[0], `section for "a" does not match`) {
		t.Errorf("problems %q", s.Problems)
	}
}
