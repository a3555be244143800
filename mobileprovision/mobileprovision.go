// Package mobileprovision reads an iOS provisioning profile
// (embedded.mobileprovision): a CMS (PKCS #7) SignedData envelope, RFC
// 5652, whose encapsulated content is a property list naming the team,
// the app ID, the entitlements, the devices it may run on, its expiry and
// the developer certificates allowed to sign it.
//
// The envelope is read with a small BER reader of its own (Apple's
// profiles use indefinite lengths in places that encoding/asn1 refuses);
// certificates are parsed with crypto/x509. The envelope's signature is
// not verified: Parse reports what the profile says, and who signed it.
package mobileprovision

import (
	"bytes"
	"crypto/sha1"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"appxray/plist"
)

// FormatError reports malformed input and where it was found.
type FormatError struct {
	Offset int64
	Msg    string
	Err    error
}

func (e *FormatError) Error() string {
	s := fmt.Sprintf("mobileprovision: %s at offset 0x%x", e.Msg, e.Offset)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *FormatError) Unwrap() error { return e.Err }

func errorf(off int64, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// ErrLimit is matched (errors.Is) by every error caused by a Limits value.
var ErrLimit = errors.New("mobileprovision: limit exceeded")

// LimitError names the limit that stopped reading.
type LimitError struct {
	Limit string
	Value int64
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s (%d) exceeded", e.Limit, e.Value) }

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Limits bounds the work spent on one profile. The zero value, and any
// zero or negative field, means the default of DefaultLimits.
type Limits struct {
	MaxSize         int64 // bytes of the whole profile
	MaxDepth        int   // BER nesting
	MaxCertificates int
	Plist           plist.Limits
}

// DefaultLimits returns limits far above any real profile (they are a few
// tens of kilobytes).
func DefaultLimits() Limits {
	return Limits{MaxSize: 16 << 20, MaxDepth: 64, MaxCertificates: 256}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxSize <= 0 {
		l.MaxSize = d.MaxSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxCertificates <= 0 {
		l.MaxCertificates = d.MaxCertificates
	}
	return l
}

// Profile types, as Xcode names them.
const (
	TypeDevelopment = "development" // devices listed, get-task-allow true
	TypeAdHoc       = "ad-hoc"      // devices listed, no debugging
	TypeEnterprise  = "enterprise"  // ProvisionsAllDevices: any device, outside the App Store
	TypeAppStore    = "app-store"   // no device list: only through the App Store
)

// Profile is a decoded provisioning profile.
type Profile struct {
	Name           string
	UUID           string
	AppIDName      string
	AppID          string // the application-identifier entitlement: TEAMID.bundle.id
	TeamIDs        []string
	TeamName       string
	Platforms      []string
	CreationDate   time.Time
	ExpirationDate time.Time
	TimeToLive     int64 // days
	// Devices lists the UDIDs of ProvisionedDevices.
	Devices []string
	// ProvisionsAllDevices is set on enterprise (in-house) profiles.
	ProvisionsAllDevices bool
	Type                 string // a Type* constant
	Entitlements         *plist.Value
	// DeveloperCertificates are the certificates allowed to sign apps
	// with this profile.
	DeveloperCertificates []*Certificate
	// Signers are the certificates in the CMS envelope (Apple's
	// provisioning profile signing chain).
	Signers []*Certificate
	// Plist is the whole property list.
	Plist *plist.Value
}

// Certificate is a parsed certificate with its fingerprint.
type Certificate struct {
	Cert   *x509.Certificate
	SHA1   string // hex, upper-case, as Keychain shows it
	Raw    []byte
	Error  error // set (and Cert nil) when the DER did not parse
	Offset int64
}

// Expired reports whether the profile had expired at t.
func (p *Profile) Expired(t time.Time) bool {
	return !p.ExpirationDate.IsZero() && t.After(p.ExpirationDate)
}

// OIDs of the CMS content types.
var (
	oidSignedData = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}
	oidData       = []byte{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01}
)

// Parse decodes a provisioning profile.
func Parse(data []byte, lim Limits) (*Profile, error) {
	lim = lim.withDefaults()
	if int64(len(data)) > lim.MaxSize {
		return nil, &FormatError{Offset: 0, Msg: fmt.Sprintf("profile of %d bytes", len(data)), Err: &LimitError{Limit: "MaxSize", Value: lim.MaxSize}}
	}
	content, certs, err := envelope(data, lim)
	if err != nil {
		return nil, err
	}
	v, _, err := plist.Parse(content, lim.Plist)
	if err != nil {
		return nil, fmt.Errorf("mobileprovision: the profile's property list: %w", err)
	}
	if v.Kind != plist.Dict {
		return nil, errorf(0, "the profile's property list is a %s, not a dict", v.Kind)
	}
	p := &Profile{
		Plist:        v,
		Name:         v.Get("Name").Text(),
		UUID:         v.Get("UUID").Text(),
		AppIDName:    v.Get("AppIDName").Text(),
		TeamIDs:      v.Get("TeamIdentifier").Strings(),
		TeamName:     v.Get("TeamName").Text(),
		Platforms:    v.Get("Platform").Strings(),
		Devices:      v.Get("ProvisionedDevices").Strings(),
		Entitlements: v.Get("Entitlements"),
		Signers:      certs,
	}
	if n := v.Get("TimeToLive"); n != nil && n.Kind == plist.Integer {
		p.TimeToLive = n.Int
	}
	if d := v.Get("CreationDate"); d != nil && d.Kind == plist.Date {
		p.CreationDate = d.Date
	}
	if d := v.Get("ExpirationDate"); d != nil && d.Kind == plist.Date {
		p.ExpirationDate = d.Date
	}
	p.ProvisionsAllDevices, _ = v.Get("ProvisionsAllDevices").Boolean()
	p.AppID = p.Entitlements.Get("application-identifier").Text()
	if p.AppID == "" {
		p.AppID = p.Entitlements.Get("com.apple.application-identifier").Text()
	}
	for _, c := range v.Get("DeveloperCertificates").Items() {
		if c.Kind == plist.Data {
			if len(p.DeveloperCertificates) >= lim.MaxCertificates {
				break
			}
			p.DeveloperCertificates = append(p.DeveloperCertificates, certificate(c.Data, c.Offset))
		}
	}
	debug, _ := p.Entitlements.Get("get-task-allow").Boolean()
	switch {
	case p.ProvisionsAllDevices:
		p.Type = TypeEnterprise
	case v.Get("ProvisionedDevices") != nil && debug:
		p.Type = TypeDevelopment
	case v.Get("ProvisionedDevices") != nil:
		p.Type = TypeAdHoc
	default:
		p.Type = TypeAppStore
	}
	return p, nil
}

func certificate(der []byte, off int64) *Certificate {
	sum := sha1.Sum(der)
	c := &Certificate{SHA1: fmt.Sprintf("%X", sum[:]), Raw: der, Offset: off}
	c.Cert, c.Error = x509.ParseCertificate(der)
	return c
}

// SHA1Hex formats a fingerprint the way the certificate's SHA1 field does.
func SHA1Hex(der []byte) string {
	sum := sha1.Sum(der)
	return fmt.Sprintf("%X", sum[:])
}

// envelope walks ContentInfo → SignedData and returns the encapsulated
// content (the concatenation of its OCTET STRING pieces) and the
// certificates.
func envelope(data []byte, lim Limits) ([]byte, []*Certificate, error) {
	r := &ber{data: data, maxDepth: lim.MaxDepth}
	ci, err := r.read(0, 0)
	if err != nil {
		return nil, nil, err
	}
	if ci.tag != tagSequence || len(ci.children) < 2 {
		return nil, nil, errorf(ci.off, "ContentInfo is not a SEQUENCE of type and content")
	}
	if ci.children[0].tag != tagOID || !bytes.Equal(ci.children[0].value, oidSignedData) {
		return nil, nil, errorf(ci.children[0].off, "content type is not signedData")
	}
	explicit := ci.children[1]
	if explicit.class != classContext || explicit.tagNum != 0 || len(explicit.children) != 1 {
		return nil, nil, errorf(explicit.off, "signedData content is not [0] EXPLICIT")
	}
	sd := explicit.children[0]
	if sd.tag != tagSequence || len(sd.children) < 3 {
		return nil, nil, errorf(sd.off, "SignedData is not a SEQUENCE")
	}
	eci := sd.children[2]
	if eci.tag != tagSequence || len(eci.children) < 1 || eci.children[0].tag != tagOID {
		return nil, nil, errorf(eci.off, "EncapsulatedContentInfo is not a SEQUENCE")
	}
	if !bytes.Equal(eci.children[0].value, oidData) {
		return nil, nil, errorf(eci.children[0].off, "encapsulated content is not data")
	}
	if len(eci.children) < 2 || eci.children[1].class != classContext || len(eci.children[1].children) != 1 {
		return nil, nil, errorf(eci.off, "the profile has no encapsulated content (detached signature)")
	}
	content, err := octets(eci.children[1].children[0])
	if err != nil {
		return nil, nil, err
	}
	var certs []*Certificate
	for _, n := range sd.children[3:] {
		if n.class == classContext && n.tagNum == 0 {
			for _, c := range n.children {
				if len(certs) >= lim.MaxCertificates {
					return nil, nil, &FormatError{Offset: c.off, Msg: "certificates", Err: &LimitError{Limit: "MaxCertificates", Value: int64(lim.MaxCertificates)}}
				}
				certs = append(certs, certificate(c.raw, c.off))
			}
		}
	}
	return content, certs, nil
}

// octets returns the bytes of an OCTET STRING, primitive or constructed
// from pieces (BER).
func octets(n *node) ([]byte, error) {
	if n.tagNum != 4 || n.class != classUniversal {
		return nil, errorf(n.off, "encapsulated content is not an OCTET STRING")
	}
	if !n.constructed {
		return n.value, nil
	}
	return appendOctets(nil, n)
}

// appendOctets appends the pieces of a constructed OCTET STRING to out.
// Every level appends to the one buffer: a level that concatenated its
// own children would copy the content once per level of nesting (64
// levels of a 16 MB profile: 1 GB).
func appendOctets(out []byte, n *node) ([]byte, error) {
	if n.tagNum != 4 || n.class != classUniversal {
		return nil, errorf(n.off, "encapsulated content is not an OCTET STRING")
	}
	if !n.constructed {
		return append(out, n.value...), nil
	}
	for _, c := range n.children {
		var err error
		if out, err = appendOctets(out, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}
