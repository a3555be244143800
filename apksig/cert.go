package apksig

import (
	"crypto/dsa" //lint:ignore SA1019 old APKs are still signed with DSA keys
	"crypto/ecdsa"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Certificate is an X.509 certificate as apksigner describes it.
type Certificate struct {
	Raw []byte // DER, aliasing the input
	// Fingerprints of Raw, lower-case hex.
	SHA256, SHA1, MD5 string
	// Subject and Issuer are formatted the way apksigner prints DNs (Java's
	// X500Name.toString: RDNs last to first, joined by ", ").
	Subject, Issuer     string
	Serial              string // lower-case hex, "-" prefixed if negative
	NotBefore, NotAfter time.Time
	KeyAlgorithm        string // "RSA", "EC", "DSA" or the key's OID
	KeySize             int    // bits: RSA modulus, EC field, DSA p
	// PublicKey is the DER SubjectPublicKeyInfo; PublicKeySHA256 its digest.
	PublicKey       []byte
	PublicKeySHA256 string
	// WellKnownKey names a publicly known test or debug key ("" otherwise).
	WellKnownKey string

	key any // parsed public key, nil if unsupported
}

// The parts of an X.509 certificate this package needs, decoded leniently:
// Java accepts certificates (negative serials, odd string types) that
// crypto/x509 rejects, and apksigner must agree with Java.
type rawCertificate struct {
	TBS       asn1.RawValue
	SigAlg    asn1.RawValue
	Signature asn1.BitString
}

type rawTBS struct {
	Version   int `asn1:"optional,explicit,default:0,tag:0"`
	Serial    asn1.RawValue
	SigAlg    asn1.RawValue
	Issuer    asn1.RawValue
	Validity  rawValidity
	Subject   asn1.RawValue
	PublicKey asn1.RawValue
	Rest      []asn1.RawValue `asn1:"optional"` // unique IDs, extensions: ignored
}

type rawValidity struct {
	NotBefore, NotAfter asn1.RawValue
}

type rawSPKI struct {
	Algorithm struct {
		OID    asn1.ObjectIdentifier
		Params asn1.RawValue `asn1:"optional"`
	}
	Key asn1.BitString
}

var (
	oidRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidDSA = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 1}
	oidEC  = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

// ParseCertificate decodes one DER certificate.
func ParseCertificate(der []byte) (*Certificate, error) {
	orig := der
	var rc rawCertificate
	rest, err := asn1.Unmarshal(der, &rc)
	if err != nil {
		// Java also accepts BER; fingerprints stay those of the bytes as
		// stored, which is what apksigner prints.
		norm, nerr := berToDER(der)
		if nerr != nil {
			return nil, formatErr(0, err, "malformed certificate")
		}
		der = norm
		if rest, err = asn1.Unmarshal(der, &rc); err != nil {
			return nil, formatErr(0, err, "malformed certificate")
		}
	}
	if len(rest) != 0 {
		return nil, formatErr(int64(len(der)-len(rest)), nil, "%d trailing bytes after certificate", len(rest))
	}
	var tbs rawTBS
	if _, err := asn1.Unmarshal(rc.TBS.FullBytes, &tbs); err != nil {
		return nil, formatErr(0, err, "malformed TBSCertificate")
	}
	c := &Certificate{Raw: orig, PublicKey: tbs.PublicKey.FullBytes}
	s256 := sha256.Sum256(orig)
	s1 := sha1.Sum(orig)
	m5 := md5.Sum(orig)
	c.SHA256, c.SHA1, c.MD5 = hex.EncodeToString(s256[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(m5[:])
	pk := sha256.Sum256(c.PublicKey)
	c.PublicKeySHA256 = hex.EncodeToString(pk[:])

	if tbs.Serial.Tag != asn1.TagInteger || tbs.Serial.Class != asn1.ClassUniversal || len(tbs.Serial.Bytes) == 0 {
		return nil, formatErr(0, nil, "certificate serial is not an INTEGER")
	}
	c.Serial = signedHex(tbs.Serial.Bytes)
	if c.Subject, err = formatDN(tbs.Subject.FullBytes); err != nil {
		return nil, formatErr(0, err, "malformed certificate subject")
	}
	if c.Issuer, err = formatDN(tbs.Issuer.FullBytes); err != nil {
		return nil, formatErr(0, err, "malformed certificate issuer")
	}
	// Unparseable validity dates are left zero rather than failing: they do
	// not affect APK verification, which ignores expiry.
	c.NotBefore, _ = parseTime(tbs.Validity.NotBefore)
	c.NotAfter, _ = parseTime(tbs.Validity.NotAfter)
	c.KeyAlgorithm, c.KeySize, c.key = describeKey(c.PublicKey)
	c.WellKnownKey = wellKnown(c)
	return c, nil
}

func signedHex(b []byte) string {
	n := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 { // two's complement negative
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return n.Text(16)
}

func parseTime(v asn1.RawValue) (time.Time, error) {
	s := string(v.Bytes)
	switch v.Tag {
	case asn1.TagUTCTime:
		for _, layout := range []string{"0601021504Z0700", "060102150405Z0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				if t.Year() >= 2050 { // RFC 5280: two-digit years 50-99 are 19xx
					t = t.AddDate(-100, 0, 0)
				}
				return t, nil
			}
		}
	case asn1.TagGeneralizedTime:
		for _, layout := range []string{"20060102150405Z0700", "20060102150405.999999999Z0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("unparseable time %q", s)
}

// describeKey returns the key algorithm and size as Java reports them, and
// the parsed key when crypto/x509 supports it.
func describeKey(spki []byte) (string, int, any) {
	var s rawSPKI
	if _, err := asn1.Unmarshal(spki, &s); err != nil {
		return "", 0, nil
	}
	key, err := x509.ParsePKIXPublicKey(spki)
	if err != nil {
		key = nil
	}
	switch {
	case s.Algorithm.OID.Equal(oidRSA):
		if k, ok := key.(*rsa.PublicKey); ok {
			return "RSA", k.N.BitLen(), k
		}
		return "RSA", 0, nil
	case s.Algorithm.OID.Equal(oidEC):
		if k, ok := key.(*ecdsa.PublicKey); ok {
			return "EC", k.Curve.Params().BitSize, k
		}
		return "EC", 0, nil
	case s.Algorithm.OID.Equal(oidDSA):
		if k, ok := key.(*dsa.PublicKey); ok {
			return "DSA", k.P.BitLen(), k
		}
		return "DSA", 0, nil
	}
	return s.Algorithm.OID.String(), 0, key
}

// Attribute type keywords as Java's X500Name prints them; others print as
// "OID.<dotted>".
var dnKeywords = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "ST",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "T",
	"2.5.4.9":                    "STREET",
	"0.9.2342.19200300.100.1.25": "DC",
	"2.5.4.46":                   "DNQ",
	"2.5.4.4":                    "SURNAME",
	"2.5.4.42":                   "GIVENNAME",
	"2.5.4.43":                   "INITIALS",
	"2.5.4.44":                   "GENERATION",
	"1.2.840.113549.1.9.1":       "EMAILADDRESS",
	"0.9.2342.19200300.100.1.1":  "UID",
	"2.5.4.5":                    "SERIALNUMBER",
	"1.3.6.1.4.1.42.2.11.2.1":    "IP",
}

type rawAVA struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// formatDN renders a DER Name like Java's X500Name.toString, which is what
// apksigner prints: RDNs in reverse order joined by ", ", the AVAs of a
// multi-valued RDN joined by " + ".
func formatDN(der []byte) (string, error) {
	var rdns []asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil {
		return "", err
	} else if len(rest) != 0 {
		return "", errors.New("trailing bytes after Name")
	}
	parts := make([]string, 0, len(rdns))
	for i := len(rdns) - 1; i >= 0; i-- {
		rdn := rdns[i]
		if rdn.Tag != asn1.TagSet {
			return "", fmt.Errorf("RDN has tag %d, want SET", rdn.Tag)
		}
		var avas []string
		rest := rdn.Bytes
		for len(rest) > 0 {
			var a rawAVA
			var err error
			if rest, err = asn1.Unmarshal(rest, &a); err != nil {
				return "", err
			}
			kw, ok := dnKeywords[a.Type.String()]
			if !ok {
				kw = "OID." + a.Type.String()
			}
			avas = append(avas, kw+"="+formatDNValue(a.Value))
		}
		parts = append(parts, strings.Join(avas, " + "))
	}
	return strings.Join(parts, ", "), nil
}

// dnString decodes the string types Java's DerValue.getAsString accepts.
func dnString(v asn1.RawValue) (string, bool) {
	if v.Class != asn1.ClassUniversal {
		return "", false
	}
	b := v.Bytes
	switch v.Tag {
	case asn1.TagPrintableString, asn1.TagIA5String, 26 /* VisibleString */, 27 /* GeneralString */ :
		return latin1(b), true // Java decodes these as ASCII; bytes >= 0x80 are not expected
	case asn1.TagT61String:
		return latin1(b), true
	case asn1.TagUTF8String:
		return strings.ToValidUTF8(string(b), "\uFFFD"), true
	case asn1.TagBMPString:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u)), true
	case 28: // UniversalString, UTF-32BE
		var sb strings.Builder
		for i := 0; i+4 <= len(b); i += 4 {
			r := rune(uint32(b[i])<<24 | uint32(b[i+1])<<16 | uint32(b[i+2])<<8 | uint32(b[i+3]))
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			sb.WriteRune(r)
		}
		return sb.String(), true
	}
	return "", false
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func isPrintableStringChar(c rune) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.ContainsRune(" '()+,-./:=?", c)
}

// formatDNValue follows Java's AVA.toKeywordValueString: non-string values
// as '#' and the hex DER; strings quoted when they hold special characters
// or leading, trailing or doubled whitespace, with '"' and '\' escaped.
func formatDNValue(v asn1.RawValue) string {
	s, ok := dnString(v)
	if !ok {
		return "#" + hex.EncodeToString(v.FullBytes)
	}
	const escapees = ",+=\n<>#;\\\""
	runes := []rune(s)
	alreadyQuoted := len(runes) > 1 && runes[0] == '"' && runes[len(runes)-1] == '"'
	var sb strings.Builder
	quote, prevWhite := false, false
	for i, c := range runes {
		if alreadyQuoted && (i == 0 || i == len(runes)-1) {
			sb.WriteRune(c)
			continue
		}
		special := strings.ContainsRune(escapees, c)
		if isPrintableStringChar(c) || special {
			if (i == 0 && (c == ' ' || c == '\n')) || special {
				quote = true
			}
			if c != ' ' && c != '\n' {
				if c == '"' || c == '\\' {
					sb.WriteByte('\\')
				}
				prevWhite = false
			} else {
				if prevWhite {
					quote = true
				}
				prevWhite = true
			}
		} else {
			prevWhite = false
		}
		sb.WriteRune(c)
	}
	out := sb.String()
	if strings.HasSuffix(out, " ") || strings.HasSuffix(out, "\n") {
		quote = true
	}
	if quote && !alreadyQuoted {
		return `"` + out + `"`
	}
	return out
}

func unmarshalTBS(certDER []byte, tbs *rawTBS) ([]byte, error) {
	var rc rawCertificate
	if _, err := asn1.Unmarshal(certDER, &rc); err != nil {
		norm, nerr := berToDER(certDER)
		if nerr != nil {
			return nil, err
		}
		if _, err := asn1.Unmarshal(norm, &rc); err != nil {
			return nil, err
		}
	}
	return asn1.Unmarshal(rc.TBS.FullBytes, tbs)
}
