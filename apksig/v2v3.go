package apksig

import (
	"bytes"
	"crypto/x509"
	"fmt"
)

// Additional attribute IDs in v2/v3 signed data.
const (
	attrStrippingProtection uint32 = 0xbeeff00d // v2: other schemes that also signed the APK
	attrProofOfRotation     uint32 = 0x3ba06f8c // v3: signing certificate lineage
	attrRotationMinSDK      uint32 = 0x559f8b02 // v3: SDK from which the v3.1 block applies
	attrRotationOnDev       uint32 = 0xc2a6b3ba // v3.1: rotation targets a development release
)

// Signer is one signer of one scheme.
type Signer struct {
	Scheme Scheme
	// Certificates is the chain as stored; [0] is the signing certificate.
	Certificates []*Certificate
	// MinSDK and MaxSDK are the platform range a v3/v3.1 signer applies to
	// (zero for v1/v2).
	MinSDK, MaxSDK int
	// SignatureAlgorithms names each signature the signer carries.
	SignatureAlgorithms []string
	// Verified is true when every supported signature verified with the
	// signer's key, the key matched the certificate and the signed data was
	// consistent (and, when content verification ran, the APK contents
	// matched the signed digests).
	Verified bool
	Problems []string

	// Lineage is the v3 proof-of-rotation history, oldest first; its last
	// certificate is the signing certificate.
	Lineage []*LineageNode
	// RotationMinSDK is the v3 attribute announcing a v3.1 block from that
	// SDK on (0 if absent). DevRelease marks a v3.1 signer targeting a
	// development release.
	RotationMinSDK int
	DevRelease     bool
	// ClaimedSchemes lists the other schemes the signer says also signed
	// the APK (v2 stripping protection, v1 X-Android-APK-Signed), so that a
	// stripped signature can be detected.
	ClaimedSchemes []Scheme
	// ContentDigests are the signed digests of the APK contents (v2/v3), or
	// nil for v1.
	ContentDigests []ContentDigest
	// SignatureFile is the v1 signature file name, e.g. META-INF/CERT.SF.
	SignatureFile string

	publicKey []byte
	key       any
}

// ContentDigest is one signed digest of the APK contents.
type ContentDigest struct {
	AlgorithmID uint32
	Digest      []byte
}

// LineageNode is one certificate in a v3 proof-of-rotation lineage.
type LineageNode struct {
	Certificate *Certificate
	Flags       uint32
	// SignatureAlgorithm is the algorithm this node's key uses to sign the
	// next node.
	SignatureAlgorithm string
}

// maxProblems bounds the problems kept per signer: a tampered APK can fail
// the same check for every one of thousands of entries.
const maxProblems = 32

func (s *Signer) problem(format string, args ...any) {
	switch {
	case len(s.Problems) < maxProblems:
		s.Problems = append(s.Problems, fmt.Sprintf(format, args...))
	case len(s.Problems) == maxProblems:
		s.Problems = append(s.Problems, "further problems omitted")
	}
}

// ParseV2 parses and verifies the value of an APK Signature Scheme v2 pair
// using DefaultLimits.
func ParseV2(value []byte) ([]*Signer, error) { return DefaultLimits().ParseV2(value) }

// ParseV3 parses and verifies the value of an APK Signature Scheme v3 or
// v3.1 pair using DefaultLimits; scheme tells which.
func ParseV3(value []byte, scheme Scheme) ([]*Signer, error) {
	return DefaultLimits().ParseV3(value, scheme)
}

// ParseV2 parses and verifies the value of an APK Signature Scheme v2 pair.
// Problems with one signer are recorded in it; the error reports a block
// whose structure could not be read at all.
func (l Limits) ParseV2(value []byte) ([]*Signer, error) {
	return l.parseSchemeBlock(value, SchemeV2)
}

// ParseV3 parses and verifies the value of an APK Signature Scheme v3 or
// v3.1 pair.
func (l Limits) ParseV3(value []byte, scheme Scheme) ([]*Signer, error) {
	if scheme != SchemeV3 && scheme != SchemeV31 {
		return nil, fmt.Errorf("apksig: ParseV3 called for scheme %v", scheme)
	}
	return l.parseSchemeBlock(value, scheme)
}

func (l Limits) parseSchemeBlock(value []byte, scheme Scheme) ([]*Signer, error) {
	l = l.withDefaults()
	r := newReader(value, 0)
	items, err := r.sequence("signers", l.MaxSigners)
	var signers []*Signer
	for _, it := range items {
		signers = append(signers, l.parseSigner(it, scheme))
	}
	if err == nil && r.remaining() != 0 {
		err = formatErr(r.off(), nil, "%d trailing bytes after %v signers", r.remaining(), scheme)
	}
	if err == nil && len(signers) == 0 {
		err = formatErr(0, nil, "no signers in %v block", scheme)
	}
	return signers, err
}

func (l Limits) parseSigner(r *reader, scheme Scheme) *Signer {
	s := &Signer{Scheme: scheme}
	signedData, err := r.lp("signed data")
	if err != nil {
		s.problem("%v", err)
		return s
	}
	var unsignedMin, unsignedMax uint32
	if scheme != SchemeV2 {
		if unsignedMin, err = r.u32("minSdkVersion"); err != nil {
			s.problem("%v", err)
			return s
		}
		if unsignedMax, err = r.u32("maxSdkVersion"); err != nil {
			s.problem("%v", err)
			return s
		}
	}
	sigs, err := r.sequence("signatures", l.MaxDigests)
	if err != nil {
		s.problem("%v", err)
	}
	pub, perr := r.bytes("public key")
	if perr != nil {
		s.problem("%v", perr)
	}
	s.publicKey = pub

	// The signed data is parsed even when signatures fail so that the
	// certificates are still reported.
	digestAlgs := l.parseSignedData(s, signedData, scheme)
	if scheme != SchemeV2 && (uint32(s.MinSDK) != unsignedMin || uint32(s.MaxSDK) != unsignedMax) {
		s.problem("SDK range %d-%d outside signed data differs from signed %d-%d", unsignedMin, unsignedMax, s.MinSDK, s.MaxSDK)
	}

	if perr == nil {
		if k, err := x509.ParsePKIXPublicKey(pub); err != nil {
			s.problem("malformed public key: %v", err)
		} else {
			s.key = k
		}
	}
	var sigAlgs []uint32
	verified := 0
	for _, it := range sigs {
		id, err := it.u32("signature algorithm")
		if err != nil {
			s.problem("%v", err)
			continue
		}
		sig, err := it.bytes("signature")
		if err != nil {
			s.problem("%v", err)
			continue
		}
		sigAlgs = append(sigAlgs, id)
		s.SignatureAlgorithms = append(s.SignatureAlgorithms, algName(id))
		alg := sigAlgorithms[id]
		if alg == nil {
			continue // unknown algorithms are skipped, as Android does
		}
		if s.key == nil {
			continue
		}
		if err := verifySignature(s.key, alg.kind, alg.hash, signedData.buf, sig); err != nil {
			s.problem("%s signature over signed data did not verify: %v", alg.Name, err)
			continue
		}
		verified++
	}
	switch {
	case len(sigAlgs) == 0:
		s.problem("no signatures")
	case verified == 0 && s.key != nil && len(s.Problems) == 0:
		s.problem("no supported signature algorithm among %v", s.SignatureAlgorithms)
	}
	if len(s.Certificates) > 0 && pub != nil && !bytes.Equal(s.Certificates[0].PublicKey, pub) {
		s.problem("public key does not match the signing certificate")
	}
	if digestAlgs != nil && !equalIDs(digestAlgs, sigAlgs) {
		s.problem("signature algorithms %v differ from digest algorithms %v", sigAlgs, digestAlgs)
	}
	s.Verified = verified > 0 && len(s.Problems) == 0
	return s
}

func equalIDs(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parseSignedData fills s from the signed data and returns the digest
// algorithm IDs in order (nil if the digests could not be read).
func (l Limits) parseSignedData(s *Signer, sd *reader, scheme Scheme) []uint32 {
	var algs []uint32
	digests, err := sd.sequence("digests", l.MaxDigests)
	if err != nil {
		s.problem("%v", err)
		return nil
	}
	algs = []uint32{}
	for _, d := range digests {
		id, err := d.u32("digest algorithm")
		if err != nil {
			s.problem("%v", err)
			continue
		}
		v, err := d.bytes("digest")
		if err != nil {
			s.problem("%v", err)
			continue
		}
		algs = append(algs, id)
		s.ContentDigests = append(s.ContentDigests, ContentDigest{AlgorithmID: id, Digest: v})
	}
	certs, err := sd.sequence("certificates", l.MaxCertificates)
	if err != nil {
		s.problem("%v", err)
	}
	for i, c := range certs {
		cert, err := ParseCertificate(c.buf)
		if err != nil {
			s.problem("certificate #%d at offset 0x%x: %v", i+1, c.off(), err)
			continue
		}
		s.Certificates = append(s.Certificates, cert)
	}
	if len(certs) == 0 && err == nil {
		s.problem("no certificates")
	}
	if scheme != SchemeV2 {
		min, err := sd.u32("signed minSdkVersion")
		if err != nil {
			s.problem("%v", err)
			return algs
		}
		max, err := sd.u32("signed maxSdkVersion")
		if err != nil {
			s.problem("%v", err)
			return algs
		}
		s.MinSDK, s.MaxSDK = int(int32(min)), int(int32(max))
	}
	attrs, err := sd.sequence("additional attributes", l.MaxDigests)
	if err != nil {
		s.problem("%v", err)
	}
	for _, a := range attrs {
		id, err := a.u32("attribute ID")
		if err != nil {
			s.problem("%v", err)
			continue
		}
		l.parseAttribute(s, id, a)
	}
	return algs
}

func (l Limits) parseAttribute(s *Signer, id uint32, a *reader) {
	switch {
	case id == attrStrippingProtection && s.Scheme == SchemeV2:
		v, err := a.u32("stripping protection value")
		if err != nil {
			s.problem("%v", err)
			return
		}
		s.ClaimedSchemes = append(s.ClaimedSchemes, Scheme(v))
	case id == attrProofOfRotation && s.Scheme != SchemeV2:
		if s.Lineage != nil {
			s.problem("more than one proof-of-rotation attribute")
			return
		}
		s.Lineage = l.parseLineage(s, a)
		if n := len(s.Lineage); n > 0 && len(s.Certificates) > 0 &&
			!bytes.Equal(s.Lineage[n-1].Certificate.Raw, s.Certificates[0].Raw) {
			s.problem("last certificate in proof-of-rotation lineage is not the signing certificate")
		}
	case id == attrRotationMinSDK && s.Scheme != SchemeV2:
		v, err := a.u32("rotation min SDK")
		if err != nil {
			s.problem("%v", err)
			return
		}
		s.RotationMinSDK = int(int32(v))
	case id == attrRotationOnDev && s.Scheme != SchemeV2:
		s.DevRelease = true
	}
}

// parseLineage reads and verifies a proof-of-rotation record: a version,
// then nodes each signed by the key of the node before it.
func (l Limits) parseLineage(s *Signer, r *reader) []*LineageNode {
	if _, err := r.u32("lineage version"); err != nil {
		s.problem("%v", err)
		return nil
	}
	var nodes []*LineageNode
	var prev *LineageNode
	var prevAlg uint32
	for r.remaining() > 0 {
		if len(nodes) >= l.MaxLineage {
			s.problem("lineage longer than %d", l.MaxLineage)
			break
		}
		n := len(nodes) + 1
		node, err := r.lp("lineage node")
		if err != nil {
			s.problem("%v", err)
			break
		}
		signed, err := node.lp("lineage signed data")
		if err != nil {
			s.problem("%v", err)
			break
		}
		flags, err1 := node.u32("lineage flags")
		alg, err2 := node.u32("lineage signature algorithm")
		sig, err3 := node.bytes("lineage signature")
		if err1 != nil || err2 != nil || err3 != nil {
			s.problem("truncated lineage node #%d", n)
			break
		}
		certDER, err := signed.bytes("lineage certificate")
		if err != nil {
			s.problem("%v", err)
			break
		}
		signedAlg, err := signed.u32("lineage signed algorithm")
		if err != nil {
			s.problem("%v", err)
			break
		}
		if prev != nil {
			a := sigAlgorithms[prevAlg]
			switch {
			case a == nil:
				s.problem("lineage node #%d signed with unknown algorithm 0x%x", n, prevAlg)
			case signedAlg != prevAlg:
				s.problem("lineage node #%d: signed algorithm 0x%x differs from 0x%x", n, signedAlg, prevAlg)
			default:
				if err := verifySignature(prev.Certificate.key, a.kind, a.hash, signed.buf, sig); err != nil {
					s.problem("lineage node #%d signature did not verify: %v", n, err)
				}
			}
		}
		cert, err := ParseCertificate(certDER)
		if err != nil {
			s.problem("lineage certificate #%d: %v", n, err)
			break
		}
		for _, p := range nodes {
			if bytes.Equal(p.Certificate.Raw, cert.Raw) {
				s.problem("lineage certificate #%d repeats an earlier one", n)
			}
		}
		prev = &LineageNode{Certificate: cert, Flags: flags, SignatureAlgorithm: algName(alg)}
		prevAlg = alg
		nodes = append(nodes, prev)
	}
	return nodes
}
