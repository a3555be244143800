package apksig

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
)

// ManifestName is the JAR manifest every v1-signed APK carries.
const ManifestName = "META-INF/MANIFEST.MF"

// IsV1File reports whether an entry name is one ParseV1 needs: the manifest,
// a signature file or a signature block under META-INF/.
func IsV1File(name string) bool {
	if name == ManifestName {
		return true
	}
	return strings.HasPrefix(name, "META-INF/") && hasAnySuffix(name, ".SF", ".RSA", ".DSA", ".EC")
}

func hasAnySuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// ParseV1 parses and verifies JAR signatures using DefaultLimits. files maps
// entry names (as IsV1File selects them) to their contents.
func ParseV1(files map[string][]byte) ([]*Signer, error) { return DefaultLimits().ParseV1(files) }

// ParseV1 parses and verifies JAR signatures: for each signature block
// (META-INF/*.RSA, *.DSA, *.EC) it checks the PKCS #7 signature over the
// matching .SF file and the .SF digests of MANIFEST.MF. The manifest's
// digests of the entries themselves need the ZIP contents: ReadAPK and
// ReadZip check them.
// The error is non-nil only when there is no signature block at all.
func (l Limits) ParseV1(files map[string][]byte) ([]*Signer, error) {
	l = l.withDefaults()
	var sfs []string
	for name := range files {
		if IsV1File(name) && strings.HasSuffix(name, ".SF") {
			sfs = append(sfs, name)
		}
	}
	sort.Strings(sfs)
	if len(sfs) > l.MaxV1Files {
		sfs = sfs[:l.MaxV1Files]
	}
	manifest, haveManifest := files[ManifestName]
	// As in apksig, a signer is a .SF file with a signature block of the
	// same base name; blocks without a .SF file are ignored.
	var signers []*Signer
	for _, sfName := range sfs {
		base := strings.TrimSuffix(sfName, ".SF")
		var blockName string
		for _, ext := range []string{".RSA", ".DSA", ".EC"} {
			if _, ok := files[base+ext]; ok {
				blockName = base + ext
				break
			}
		}
		if blockName == "" {
			continue
		}
		s := &Signer{Scheme: SchemeV1, SignatureFile: sfName}
		signers = append(signers, s)
		sf := files[sfName]
		pk := l.v1Signature(s, blockName, files[blockName], sf)
		if !haveManifest {
			s.problem("missing %s", ManifestName)
		} else {
			checkSignatureFile(s, sf, manifest)
		}
		s.Verified = pk && len(s.Problems) == 0
	}
	if len(signers) == 0 {
		return nil, formatErr(0, nil, "no JAR signature (a .SF file with a matching signature block) in META-INF")
	}
	return signers, nil
}

// v1Signature verifies the PKCS #7 block over the signature file and fills
// in the certificates; it reports whether the signature verified.
func (l Limits) v1Signature(s *Signer, name string, block, sf []byte) bool {
	p, err := parsePKCS7(block, l.MaxCertificates)
	if p == nil {
		s.problem("%s: %v", name, err)
		return false
	}
	if err != nil {
		s.problem("%s: %v", name, err)
	}
	certs := make([]*Certificate, len(p.Certificates))
	for i, der := range p.Certificates {
		c, err := ParseCertificate(der)
		if err != nil {
			s.problem("%s: certificate #%d at offset 0x%x: %v", name, i+1, p.CertOffsets[i], err)
			continue
		}
		certs[i] = c
	}
	if len(p.SignerInfos) == 0 {
		s.problem("%s: no SignerInfo", name)
	}
	var signing *Certificate
	ok := false
	for i, si := range p.SignerInfos {
		c := findSignerCert(certs, si)
		if c == nil {
			s.problem("%s: SignerInfo #%d: signing certificate not in the certificate set", name, i+1)
			continue
		}
		if signing == nil {
			signing = c
		}
		h, known := digestOIDs[si.DigestAlg.String()]
		s.SignatureAlgorithms = append(s.SignatureAlgorithms, digestName(h, known, si.DigestAlg.String())+"with"+c.KeyAlgorithm)
		if !known {
			s.problem("%s: unsupported digest algorithm %v", name, si.DigestAlg)
			continue
		}
		data := sf
		if si.SignedAttrs != nil {
			if data, err = signedAttrsContent(si.SignedAttrs, h, sf); err != nil {
				s.problem("%s: signed attributes: %v", name, err)
				continue
			}
		}
		var kind keyKind
		switch c.key.(type) {
		case *rsa.PublicKey:
			kind = kindRSAPKCS1
		case *ecdsa.PublicKey:
			kind = kindECDSA
		default:
			kind = kindDSA
		}
		if err := verifySignature(c.key, kind, h, data, si.Signature); err != nil {
			s.problem("%s: signature over %s did not verify: %v", name, s.SignatureFile, err)
			continue
		}
		signing, ok = c, true
		break
	}
	if signing != nil {
		s.Certificates = append(s.Certificates, signing)
		for _, c := range certs {
			if c != nil && c != signing {
				s.Certificates = append(s.Certificates, c)
			}
		}
	}
	return ok
}

func digestName(h crypto.Hash, known bool, oid string) string {
	if !known {
		return oid
	}
	return strings.ReplaceAll(h.String(), "-", "")
}

func findSignerCert(certs []*Certificate, si signerInfo) *Certificate {
	for _, c := range certs {
		if c == nil {
			continue
		}
		if si.IssuerDER != nil {
			var tbs rawTBS
			if _, err := unmarshalTBS(c.Raw, &tbs); err != nil {
				continue
			}
			if bytes.Equal(tbs.Serial.Bytes, si.Serial) && sameName(tbs.Issuer.FullBytes, si.IssuerDER) {
				return c
			}
		}
	}
	// Identification by subject key identifier is rare in APKs; accept a
	// lone certificate then.
	if si.IssuerDER == nil && len(certs) == 1 {
		return certs[0]
	}
	return nil
}

func sameName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	fa, err1 := formatDN(a)
	fb, err2 := formatDN(b)
	return err1 == nil && err2 == nil && strings.EqualFold(fa, fb)
}

// Digest attribute prefixes of JAR manifests, strongest first.
var jarDigests = []struct {
	prefix string
	hash   crypto.Hash
}{
	{"sha-512", crypto.SHA512},
	{"sha-384", crypto.SHA384},
	{"sha-256", crypto.SHA256},
	{"sha1", crypto.SHA1},
	{"sha-1", crypto.SHA1},
	{"md5", crypto.MD5},
}

// digestMatches checks every attrs[prefix+suffix] digest attribute present
// against data. found is false if there is none. sums, if not nil, keeps
// the digests of data already computed, by algorithm.
func digestMatches(attrs map[string]string, suffix string, data []byte, sums map[crypto.Hash][]byte) (found, match bool) {
	match = true
	for _, d := range jarDigests {
		v, ok := attrs[d.prefix+suffix]
		if !ok {
			continue
		}
		found = true
		want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			return true, false
		}
		sum, ok := sums[d.hash]
		if !ok {
			h := d.hash.New()
			h.Write(data)
			sum = h.Sum(nil)
			if sums != nil {
				sums[d.hash] = sum
			}
		}
		if !bytes.Equal(sum, want) {
			match = false
		}
	}
	return found, found && match
}

// checkSignatureFile verifies the .SF digests of the manifest and records
// the schemes the X-Android-APK-Signed attribute claims.
func checkSignatureFile(s *Signer, sf, manifest []byte) {
	sfMain, sfSections := parseManifest(sf)
	if v, ok := sfMain.Attrs["x-android-apk-signed"]; ok {
		for _, f := range strings.Split(v, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 1 {
				s.ClaimedSchemes = append(s.ClaimedSchemes, Scheme(n))
			}
		}
	}
	// A matching whole-manifest digest makes the per-section digests
	// irrelevant, as in the JDK and Android. Requiring every algorithm
	// present to match approximates apksig, which checks the algorithm each
	// targeted platform version would pick.
	found, ok := digestMatches(sfMain.Attrs, "-digest-manifest", manifest, nil)
	if found && ok {
		return
	}
	mMain, mSections := parseManifest(manifest)
	if f, ok := digestMatches(sfMain.Attrs, "-digest-manifest-main-attributes", mMain.Raw, nil); f && !ok {
		s.problem("%s: digest of the %s main attributes does not match", s.SignatureFile, ManifestName)
	}
	if len(sfSections) == 0 {
		s.problem("%s: digest of %s does not match and there are no per-entry digests", s.SignatureFile, ManifestName)
	}
	byName := make(map[string][]byte, len(mSections))
	for _, sec := range mSections {
		byName[sec.Name] = sec.Raw
	}
	// The .SF may name one manifest section in many of its own: each
	// manifest section is hashed once per algorithm, not once per mention
	// (20000 mentions of a 1 MB section would hash 20 GB).
	sums := map[string]map[crypto.Hash][]byte{}
	for _, sec := range sfSections {
		raw, ok := byName[sec.Name]
		if !ok {
			s.problem("%s: entry %q not in %s", s.SignatureFile, sec.Name, ManifestName)
			continue
		}
		if sums[sec.Name] == nil {
			sums[sec.Name] = map[crypto.Hash][]byte{}
		}
		if found, ok := digestMatches(sec.Attrs, "-digest", raw, sums[sec.Name]); !found || !ok {
			s.problem("%s: digest of the %s section for %q does not match", s.SignatureFile, ManifestName, sec.Name)
		}
	}
}
