package apksig

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
)

// A PKCS #7 (RFC 2315) SignedData as used by JAR signing, decoded one
// element at a time so that errors name the element and its offset.
type pkcs7 struct {
	Certificates [][]byte // DER of each certificate in the set
	CertOffsets  []int64
	SignerInfos  []signerInfo
}

type signerInfo struct {
	IssuerDER    []byte // raw issuer Name, nil when identified by key ID
	Serial       []byte // raw INTEGER contents
	SubjectKeyID []byte
	DigestAlg    asn1.ObjectIdentifier
	SignedAttrs  []byte // full DER of [0] IMPLICIT SET OF Attribute, or nil
	SigAlg       asn1.ObjectIdentifier
	Signature    []byte
}

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
)

// der walks the elements of one constructed DER value.
type der struct {
	rest []byte
	base int64 // offset of rest[0] in the file
}

func (d *der) next(what string) (asn1.RawValue, int64, error) {
	off := d.base
	if len(d.rest) == 0 {
		return asn1.RawValue{}, off, formatErr(off, nil, "missing %s", what)
	}
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(d.rest, &v)
	if err != nil {
		return v, off, formatErr(off, err, "malformed %s", what)
	}
	d.base += int64(len(d.rest) - len(rest))
	d.rest = rest
	return v, off, nil
}

// into returns a walker over the contents of v found at off.
func into(v asn1.RawValue, off int64) *der {
	return &der{rest: v.Bytes, base: off + int64(len(v.FullBytes)-len(v.Bytes))}
}

func (d *der) expect(what string, class, tag int) (*der, asn1.RawValue, error) {
	v, off, err := d.next(what)
	if err != nil {
		return nil, v, err
	}
	if v.Class != class || v.Tag != tag {
		return nil, v, formatErr(off, nil, "%s has class %d tag %d, want class %d tag %d", what, v.Class, v.Tag, class, tag)
	}
	return into(v, off), v, nil
}

func parseOID(v asn1.RawValue, off int64, what string) (asn1.ObjectIdentifier, error) {
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(v.FullBytes, &oid); err != nil {
		return nil, formatErr(off, err, "malformed %s", what)
	}
	return oid, nil
}

// algorithmOID reads an AlgorithmIdentifier and returns its OID.
func (d *der) algorithmOID(what string) (asn1.ObjectIdentifier, error) {
	a, _, err := d.expect(what, asn1.ClassUniversal, asn1.TagSequence)
	if err != nil {
		return nil, err
	}
	v, off, err := a.next(what + " OID")
	if err != nil {
		return nil, err
	}
	return parseOID(v, off, what+" OID")
}

func parsePKCS7(b []byte, maxCerts int) (*pkcs7, error) {
	top := &der{rest: b}
	ci, _, err := top.expect("ContentInfo", asn1.ClassUniversal, asn1.TagSequence)
	if err != nil {
		return nil, err
	}
	v, off, err := ci.next("content type")
	if err != nil {
		return nil, err
	}
	ct, err := parseOID(v, off, "content type")
	if err != nil {
		return nil, err
	}
	if !ct.Equal(oidSignedData) {
		return nil, formatErr(off, nil, "content type %v is not SignedData", ct)
	}
	explicit, _, err := ci.expect("content", asn1.ClassContextSpecific, 0)
	if err != nil {
		return nil, err
	}
	sd, _, err := explicit.expect("SignedData", asn1.ClassUniversal, asn1.TagSequence)
	if err != nil {
		return nil, err
	}
	if _, _, err := sd.next("SignedData version"); err != nil {
		return nil, err
	}
	if _, _, err := sd.expect("digestAlgorithms", asn1.ClassUniversal, asn1.TagSet); err != nil {
		return nil, err
	}
	if _, _, err := sd.expect("encapContentInfo", asn1.ClassUniversal, asn1.TagSequence); err != nil {
		return nil, err
	}
	p := &pkcs7{}
	for {
		v, off, err := sd.next("SignedData element")
		if err != nil {
			return nil, err
		}
		if v.Class == asn1.ClassContextSpecific && v.Tag == 0 { // certificates
			certs := into(v, off)
			for len(certs.rest) > 0 {
				if len(p.Certificates) >= maxCerts {
					return nil, limitErr(certs.base, "certificates in PKCS #7", "MaxCertificates", int64(maxCerts))
				}
				c, coff, err := certs.next("certificate")
				if err != nil {
					return nil, err
				}
				p.Certificates = append(p.Certificates, c.FullBytes)
				p.CertOffsets = append(p.CertOffsets, coff)
			}
			continue
		}
		if v.Class == asn1.ClassContextSpecific && v.Tag == 1 { // CRLs: ignored
			continue
		}
		if v.Class != asn1.ClassUniversal || v.Tag != asn1.TagSet {
			return nil, formatErr(off, nil, "unexpected SignedData element class %d tag %d", v.Class, v.Tag)
		}
		infos := into(v, off)
		for len(infos.rest) > 0 {
			if len(p.SignerInfos) >= maxCerts {
				return nil, limitErr(infos.base, "SignerInfos in PKCS #7", "MaxCertificates", int64(maxCerts))
			}
			si, err := parseSignerInfo(infos)
			if err != nil {
				return p, err
			}
			p.SignerInfos = append(p.SignerInfos, si)
		}
		return p, nil
	}
}

func parseSignerInfo(d *der) (signerInfo, error) {
	var si signerInfo
	s, _, err := d.expect("SignerInfo", asn1.ClassUniversal, asn1.TagSequence)
	if err != nil {
		return si, err
	}
	if _, _, err := s.next("SignerInfo version"); err != nil {
		return si, err
	}
	sid, off, err := s.next("signer identifier")
	if err != nil {
		return si, err
	}
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		isn := into(sid, off)
		issuer, _, err := isn.next("issuer")
		if err != nil {
			return si, err
		}
		serial, soff, err := isn.next("serial number")
		if err != nil {
			return si, err
		}
		if serial.Tag != asn1.TagInteger || len(serial.Bytes) == 0 {
			return si, formatErr(soff, nil, "serial number is not an INTEGER")
		}
		si.IssuerDER, si.Serial = issuer.FullBytes, serial.Bytes
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0:
		si.SubjectKeyID = sid.Bytes
	default:
		return si, formatErr(off, nil, "unexpected signer identifier class %d tag %d", sid.Class, sid.Tag)
	}
	if si.DigestAlg, err = s.algorithmOID("digestAlgorithm"); err != nil {
		return si, err
	}
	// Optional signed attributes, then the signature algorithm.
	save := *s
	v, _, err := s.next("signedAttrs or signatureAlgorithm")
	if err != nil {
		return si, err
	}
	if v.Class == asn1.ClassContextSpecific && v.Tag == 0 {
		si.SignedAttrs = v.FullBytes
	} else {
		*s = save
	}
	if si.SigAlg, err = s.algorithmOID("signatureAlgorithm"); err != nil {
		return si, err
	}
	sig, soff, err := s.next("signature")
	if err != nil {
		return si, err
	}
	if sig.Tag != asn1.TagOctetString {
		return si, formatErr(soff, nil, "signature is not an OCTET STRING")
	}
	si.Signature = sig.Bytes
	return si, nil
}

// Digest algorithms JAR signatures use, by OID.
var digestOIDs = map[string]crypto.Hash{
	"1.2.840.113549.2.5":     crypto.MD5,
	"1.3.14.3.2.26":          crypto.SHA1,
	"2.16.840.1.101.3.4.2.4": crypto.SHA224,
	"2.16.840.1.101.3.4.2.1": crypto.SHA256,
	"2.16.840.1.101.3.4.2.2": crypto.SHA384,
	"2.16.840.1.101.3.4.2.3": crypto.SHA512,
}

// signedAttrsContent checks the content-type and message-digest attributes
// and returns the bytes the signature covers: the attributes re-encoded
// with the SET OF tag (RFC 2315 9.3).
func signedAttrsContent(attrs []byte, h crypto.Hash, content []byte) ([]byte, error) {
	var v asn1.RawValue
	if _, err := asn1.Unmarshal(attrs, &v); err != nil {
		return nil, err
	}
	d := &der{rest: v.Bytes}
	var gotType, gotDigest bool
	for len(d.rest) > 0 {
		a, _, err := d.expect("attribute", asn1.ClassUniversal, asn1.TagSequence)
		if err != nil {
			return nil, err
		}
		ov, ooff, err := a.next("attribute type")
		if err != nil {
			return nil, err
		}
		oid, err := parseOID(ov, ooff, "attribute type")
		if err != nil {
			return nil, err
		}
		vals, _, err := a.expect("attribute values", asn1.ClassUniversal, asn1.TagSet)
		if err != nil {
			return nil, err
		}
		switch {
		case oid.Equal(oidContentType):
			if gotType {
				return nil, errors.New("duplicate content-type attribute")
			}
			gotType = true
			cv, coff, err := vals.next("content type value")
			if err != nil {
				return nil, err
			}
			ct, err := parseOID(cv, coff, "content type value")
			if err != nil {
				return nil, err
			}
			if !ct.Equal(oidData) {
				return nil, fmt.Errorf("signed content type %v is not data", ct)
			}
		case oid.Equal(oidMessageDigest):
			if gotDigest {
				return nil, errors.New("duplicate message-digest attribute")
			}
			gotDigest = true
			mv, _, err := vals.next("message digest value")
			if err != nil {
				return nil, err
			}
			hh := h.New()
			hh.Write(content)
			if !bytes.Equal(mv.Bytes, hh.Sum(nil)) {
				return nil, errors.New("message-digest attribute does not match the signature file")
			}
		}
	}
	if !gotType {
		return nil, errors.New("no content-type in signed attributes")
	}
	if !gotDigest {
		return nil, errors.New("no message-digest in signed attributes")
	}
	out := append([]byte(nil), attrs...)
	out[0] = 0x31 // [0] IMPLICIT → SET OF
	return out, nil
}
