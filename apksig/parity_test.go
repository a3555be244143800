package apksig

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"appxray/internal/corpus"
)

// best returns the signers apksigner prints: those of the strongest scheme
// it verified (this apksigner predates v3.1, so v3.1 is never chosen).
func bestScheme(o *oracle) Scheme {
	switch {
	case o.Schemes["v3"]:
		return SchemeV3
	case o.Schemes["v2"]:
		return SchemeV2
	case o.Schemes["v1"]:
		return SchemeV1
	}
	return 0
}

func hasProblem(res *Result) bool {
	if len(res.Problems) > 0 || len(res.Signers) == 0 {
		return true
	}
	for _, s := range res.Signers {
		if len(s.Problems) > 0 || !s.Verified {
			return true
		}
	}
	return false
}

// Reasons apksigner gives for rejecting APKs whose signatures this package
// does not judge, so that our finding no problem is expected. Each is an
// apksigner error substring and why we differ.
var outsideOurChecks = []struct{ pattern, reason string }{
	{"Missing AndroidManifest.xml", "apksigner needs the manifest's minSdkVersion; signatures themselves are fine"},
	{"Malformed APK: not a ZIP archive", "ZIP-level damage (v2-only-truncated-cd: central directory shorter than its entry count) is zipapk's to report; the v2 signature over the bytes present verifies"},
	{"not supported on API Level(s)", "apksigner applies per-API-level algorithm policy (e.g. DSA with SHA-384/512 on 23+); the signature verifies"},
	{"required for target sandbox version 2", "apksigner requires v2 for targetSandboxVersion=2 in the manifest; we do not read the manifest"},
	{"SHA256withRSA/PSS Signature not available", "this JVM lacks RSA-PSS, apksigner crashes; we verify PSS ourselves"},
	{"SHA512withRSA/PSS Signature not available", "this JVM lacks RSA-PSS, apksigner crashes; we verify PSS ourselves"},
}

func outsideReason(o *oracle) string {
	for _, x := range outsideOurChecks {
		if strings.Contains(o.Text, x.pattern) {
			return x.reason
		}
	}
	return ""
}

// Files where we knowingly disagree with apksigner, with the reason. For
// each, apksigner verifies and we report a problem (asserted).
var knownDisagreements = map[string]string{
	"signing/apksig/weird-compression-method.apk": "META-INF/CERT.RSA declares compression method 21; apksig inflates every non-stored entry, zipapk reads unknown methods as stored, so we see deflate data instead of PKCS #7",
}

func TestApksignerParity(t *testing.T) {
	apks := corpus.APKs(t)
	oracles := make([]*oracle, len(apks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2) // apksigner is a JVM: two at a time
	for i, a := range apks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := runApksigner(t, a)
			// APKs without v1 signatures are rejected for their manifest's
			// minSdkVersion < 24; ask about Android 7.0+ instead, where v1
			// is not needed.
			if !o.Verifies && (strings.Contains(o.Text, "Missing META-INF/MANIFEST.MF") || strings.Contains(o.Text, "No JAR signatures")) {
				o = runApksigner(t, a, "--min-sdk-version", "24")
				o.MinSDK24 = true
			}
			oracles[i] = o
		}()
	}
	wg.Wait()

	lim := DefaultLimits()
	lim.VerifyV1Entries = true // apksigner checks v1 entries for pre-7.0 targets
	var nAPK, nSigners, nCerts, nRejected, nRejectAgree, nOutside, nZipFail int
	for i, path := range apks {
		name := corpus.Name(path)
		o := oracles[i]
		res, zipErr, err := openAPK(t, path, lim)
		nAPK++
		if zipErr != nil {
			nZipFail++
			t.Logf("%s: zipapk cannot open (%v); read without ZIP contents", name, zipErr)
		}
		if reason, ok := knownDisagreements[name]; ok {
			if !o.Verifies || err != nil || !hasProblem(res) {
				t.Errorf("%s: listed as a known disagreement (%s) but apksigner verifies=%v, we report a problem=%v", name, reason, o.Verifies, err != nil || hasProblem(res))
			}
			t.Logf("%s: known disagreement: %s", name, reason)
			continue
		}
		if !o.Verifies {
			nRejected++
			if err != nil || hasProblem(res) {
				nRejectAgree++
				continue
			}
			if r := outsideReason(o); r != "" {
				t.Logf("%s: apksigner rejects, we do not: %s", name, r)
				if strings.Contains(r, "RSA-PSS") && !res.Verified(SchemeV2) {
					t.Errorf("%s: RSA-PSS signature did not verify: %s", name, describe(res, SchemeV2))
				}
				nOutside++
				continue
			}
			t.Errorf("%s: apksigner rejects (%s) but we report no problem", name, strings.Join(o.Errors, "; "))
			continue
		}
		if err != nil {
			t.Errorf("%s: apksigner verifies, we fail: %v", name, err)
			continue
		}
		for _, v := range []struct {
			key string
			s   Scheme
		}{{"v1", SchemeV1}, {"v2", SchemeV2}, {"v3", SchemeV3}} {
			if o.Schemes[v.key] && !res.Verified(v.s) {
				t.Errorf("%s: apksigner verified %s, we did not: %s", name, v.key, describe(res, v.s))
			}
		}
		best := bestScheme(o)
		ours := res.SignersOf(best)
		if len(ours) != len(o.Signers) {
			t.Errorf("%s: %v signers: apksigner %d, ours %d", name, best, len(o.Signers), len(ours))
			continue
		}
		for j, os := range o.Signers {
			nSigners++
			if len(ours[j].Certificates) == 0 {
				t.Errorf("%s: signer #%d: no certificate", name, j+1)
				continue
			}
			c := ours[j].Certificates[0]
			got := fmt.Sprintf("%s|%s|%s|%s|%s|%d", c.Subject, c.SHA256, c.SHA1, c.MD5, c.KeyAlgorithm, c.KeySize)
			want := fmt.Sprintf("%s|%s|%s|%s|%s|%s", os.DN, os.SHA256, os.SHA1, os.MD5, os.KeyAlg, os.KeySize)
			if got != want {
				t.Errorf("%s: signer #%d:\n got %s\nwant %s", name, j+1, got, want)
				continue
			}
			nCerts++
		}
	}
	t.Logf("%d apks rejected by apksigner: %d where we report a problem too, %d for reasons outside signature checks", nRejected, nRejectAgree, nOutside)
	t.Logf("%d apks zipapk could not open", nZipFail)
	t.Logf("apksig parity: %d apks, %d signers, %d certificates identical", nAPK, nSigners, nCerts)
}

func describe(res *Result, s Scheme) string {
	var b strings.Builder
	fmt.Fprintf(&b, "present=%v", res.Has(s))
	for _, sg := range res.SignersOf(s) {
		fmt.Fprintf(&b, " signer(verified=%v problems=%q)", sg.Verified, sg.Problems)
	}
	if len(res.Problems) > 0 {
		fmt.Fprintf(&b, " file problems=%v", res.Problems)
	}
	return b.String()
}
