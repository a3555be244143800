package apksig

import (
	"crypto"
	"crypto/dsa" //lint:ignore SA1019 old APKs are still signed with DSA keys
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha256" // register SHA-224/256 for crypto.Hash
	_ "crypto/sha512" // register SHA-384/512 for crypto.Hash
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
)

// Scheme is an APK signature scheme.
type Scheme int

// The signature schemes. v1 to v3 match the numbers used in
// X-Android-APK-Signed and the v2 stripping-protection attribute.
const (
	SchemeV1  Scheme = 1
	SchemeV2  Scheme = 2
	SchemeV3  Scheme = 3
	SchemeV31 Scheme = 31
)

func (s Scheme) String() string {
	switch s {
	case SchemeV1:
		return "v1"
	case SchemeV2:
		return "v2"
	case SchemeV3:
		return "v3"
	case SchemeV31:
		return "v3.1"
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

type keyKind int

const (
	kindRSAPKCS1 keyKind = iota
	kindRSAPSS
	kindECDSA
	kindDSA
)

// contentDigest identifies how the APK contents are digested for an
// algorithm: chunked SHA-256, chunked SHA-512, or the verity Merkle tree.
type contentDigest int

const (
	digestChunkedSHA256 contentDigest = iota + 1
	digestChunkedSHA512
	digestVeritySHA256
)

// SignatureAlgorithm describes one v2/v3 signature algorithm ID.
type SignatureAlgorithm struct {
	ID      uint32
	Name    string // as apksig names it, e.g. "RSA_PKCS1_V1_5_WITH_SHA256"
	hash    crypto.Hash
	kind    keyKind
	content contentDigest
}

var sigAlgorithms = map[uint32]*SignatureAlgorithm{
	0x0101: {0x0101, "RSA_PSS_WITH_SHA256", crypto.SHA256, kindRSAPSS, digestChunkedSHA256},
	0x0102: {0x0102, "RSA_PSS_WITH_SHA512", crypto.SHA512, kindRSAPSS, digestChunkedSHA512},
	0x0103: {0x0103, "RSA_PKCS1_V1_5_WITH_SHA256", crypto.SHA256, kindRSAPKCS1, digestChunkedSHA256},
	0x0104: {0x0104, "RSA_PKCS1_V1_5_WITH_SHA512", crypto.SHA512, kindRSAPKCS1, digestChunkedSHA512},
	0x0201: {0x0201, "ECDSA_WITH_SHA256", crypto.SHA256, kindECDSA, digestChunkedSHA256},
	0x0202: {0x0202, "ECDSA_WITH_SHA512", crypto.SHA512, kindECDSA, digestChunkedSHA512},
	0x0301: {0x0301, "DSA_WITH_SHA256", crypto.SHA256, kindDSA, digestChunkedSHA256},
	0x0421: {0x0421, "VERITY_RSA_PKCS1_V1_5_WITH_SHA256", crypto.SHA256, kindRSAPKCS1, digestVeritySHA256},
	0x0423: {0x0423, "VERITY_ECDSA_WITH_SHA256", crypto.SHA256, kindECDSA, digestVeritySHA256},
	0x0425: {0x0425, "VERITY_DSA_WITH_SHA256", crypto.SHA256, kindDSA, digestVeritySHA256},
}

// LookupSignatureAlgorithm returns the algorithm with the given ID, or nil.
func LookupSignatureAlgorithm(id uint32) *SignatureAlgorithm { return sigAlgorithms[id] }

func algName(id uint32) string {
	if a := sigAlgorithms[id]; a != nil {
		return a.Name
	}
	return fmt.Sprintf("unknown algorithm 0x%04x", id)
}

// Key sizes above these are refused: verification cost grows steeply with
// size and real APK keys stay far below.
const (
	maxRSABits = 16384
	maxDSABits = 4096
)

type dsaSignature struct{ R, S *big.Int }

// verifySignature checks sig over data with key using hash h and key kind.
func verifySignature(key any, kind keyKind, h crypto.Hash, data, sig []byte) error {
	hh := h.New()
	hh.Write(data)
	digest := hh.Sum(nil)
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() > maxRSABits {
			return fmt.Errorf("RSA key of %d bits exceeds %d", k.N.BitLen(), maxRSABits)
		}
		switch kind {
		case kindRSAPKCS1:
			return rsa.VerifyPKCS1v15(k, h, digest, sig)
		case kindRSAPSS:
			return rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size(), Hash: h})
		}
	case *ecdsa.PublicKey:
		if kind == kindECDSA {
			if !ecdsa.VerifyASN1(k, digest, sig) {
				return errors.New("ECDSA signature did not verify")
			}
			return nil
		}
	case *dsa.PublicKey:
		if kind == kindDSA {
			if k.P.BitLen() > maxDSABits {
				return fmt.Errorf("DSA key of %d bits exceeds %d", k.P.BitLen(), maxDSABits)
			}
			// q is 160, 224 or 256 bits in every DSA parameter set; a
			// larger one would only make exponentiation expensive.
			if k.Q.BitLen() > 256 {
				return fmt.Errorf("DSA subgroup order of %d bits exceeds 256", k.Q.BitLen())
			}
			var s dsaSignature
			if rest, err := asn1.Unmarshal(sig, &s); err != nil || len(rest) != 0 {
				return errors.New("malformed DSA signature")
			}
			// FIPS 186-4 4.6: use the leftmost bits of the digest, as many
			// as q has.
			if n := (k.Q.BitLen() + 7) / 8; n < len(digest) {
				digest = digest[:n]
			}
			if !dsa.Verify(k, digest, s.R, s.S) {
				return errors.New("DSA signature did not verify")
			}
			return nil
		}
	case nil:
		return errors.New("unsupported or malformed public key")
	}
	return fmt.Errorf("key type %T does not match the signature algorithm", key)
}
