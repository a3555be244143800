package apksig

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"os"
	"testing"

	"appxray/internal/corpus"
)

// TestWellKnownKeysInCorpus checks the well-known key names against corpus
// files whose signer is known: the appium helper APKs are signed with the
// AOSP testkey (apksigner prints its DN), the androguard test apps with
// SDK-generated debug keys.
func TestWellKnownKeysInCorpus(t *testing.T) {
	counts := map[string]int{}
	for _, path := range corpus.APKs(t) {
		res, _, err := openAPK(t, path, Limits{VerifyContent: false})
		if err != nil {
			continue
		}
		for _, s := range res.Signers {
			for _, c := range s.Certificates {
				want := ""
				switch {
				case c.Subject == "EMAILADDRESS=android@android.com, CN=Android, OU=Android, O=Android, L=Mountain View, ST=California, C=US" && c.SHA1 == "61ed377e85d386a8dfee6b864bd85b0bfaa5af81":
					want = "AOSP testkey"
				case c.Subject == debugDN:
					want = "Android debug key (CN=Android Debug)"
				case c.Subject == "CN=FDroid, OU=FDroid, O=fdroid.org, L=ORG, ST=ORG, C=UK":
					want = ""
				default:
					continue
				}
				if c.WellKnownKey != want {
					t.Errorf("%s: %s: WellKnownKey %q, want %q", corpus.Name(path), c.Subject, c.WellKnownKey, want)
				}
				counts[want]++
			}
		}
	}
	if counts["AOSP testkey"] == 0 || counts["Android debug key (CN=Android Debug)"] == 0 {
		t.Errorf("corpus lacks expected keys: %v", counts)
	}
	t.Logf("well-known key checks: %v", counts)
}

// TestAppxrayTestKey: the certificate of appxray's own public test key
// (testdata/testkey, private key published) is a well-known key, named by
// its fingerprint and not by its subject: a certificate that only copies
// the subject is not.
func TestAppxrayTestKey(t *testing.T) {
	data, err := os.ReadFile("../testdata/testkey/appxray-test.cert.pem")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatal("no certificate in appxray-test.cert.pem")
	}
	c, err := ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if c.SHA256 != "0b5056f4237e5d3b67168446ad1373de068a9a7956140f4e9f4bd78d7fa644ae" || c.WellKnownKey != "appxray public test key" {
		t.Errorf("test key %s: WellKnownKey %q", c.SHA256, c.WellKnownKey)
	}
	// The same subject on another key is somebody else's certificate.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: orig.Subject, NotBefore: orig.NotBefore, NotAfter: orig.NotAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if other.Subject != c.Subject || other.WellKnownKey != "" {
		t.Errorf("look-alike %q: WellKnownKey %q", other.Subject, other.WellKnownKey)
	}
}
