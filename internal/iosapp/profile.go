package iosapp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"time"
)

// Certificate makes a self-signed certificate with the given common name,
// organizational unit (the team ID, as Apple's are) and validity.
func Certificate(cn, team string, notBefore, notAfter time.Time) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, OrganizationalUnit: []string{team}, Organization: []string{"appxray test"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
	}
	return x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
}

var (
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSHA256     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// Profile wraps a property list in a CMS SignedData envelope with the
// given certificates, as a provisioning profile is. The signer info is
// left empty: readers report what the profile says, they do not verify it.
func Profile(content []byte, certs ...[]byte) ([]byte, error) {
	type algo struct {
		Algorithm asn1.ObjectIdentifier
	}
	type encap struct {
		Type    asn1.ObjectIdentifier
		Content []byte `asn1:"explicit,tag:0"`
	}
	var raw []asn1.RawValue
	for _, c := range certs {
		raw = append(raw, asn1.RawValue{FullBytes: c})
	}
	type signedData struct {
		Version      int
		Digests      []algo `asn1:"set"`
		Encap        encap
		Certificates []asn1.RawValue `asn1:"optional,tag:0"`
		SignerInfos  []asn1.RawValue `asn1:"set"`
	}
	sd, err := asn1.Marshal(signedData{
		Version:      1,
		Digests:      []algo{{oidSHA256}},
		Encap:        encap{oidData, content},
		Certificates: raw,
		SignerInfos:  []asn1.RawValue{},
	})
	if err != nil {
		return nil, err
	}
	type contentInfo struct {
		Type    asn1.ObjectIdentifier
		Content asn1.RawValue
	}
	// [0] EXPLICIT SignedData.
	return asn1.Marshal(contentInfo{oidSignedData, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
}
