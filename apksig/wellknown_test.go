package apksig

import (
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
