package mobileprovision_test

import (
	"errors"
	"testing"
	"time"

	"appxray/internal/iosapp"
	"appxray/mobileprovision"
	"appxray/plist"
)

func profile(t *testing.T, devices []string, all, debug bool) []byte {
	t.Helper()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dev, err := iosapp.Certificate("Apple Distribution: Example Ltd (ABCDE12345)", "ABCDE12345", from, from.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := iosapp.Certificate("Test Provisioning Profile Signing", "Test", from, from.AddDate(5, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	kv := []any{
		"Name", plist.Str("Example Profile"),
		"UUID", plist.Str("0f0e0d0c-0000-4000-8000-000000000001"),
		"AppIDName", plist.Str("Example"),
		"TeamIdentifier", plist.StrArr("ABCDE12345"),
		"TeamName", plist.Str("Example Ltd"),
		"Platform", plist.StrArr("iOS"),
		"CreationDate", plist.Time(from),
		"ExpirationDate", plist.Time(from.AddDate(1, 0, 0)),
		"TimeToLive", plist.Int(365),
		"DeveloperCertificates", plist.Arr(plist.Bytes(dev)),
		"Entitlements", plist.D(
			"application-identifier", plist.Str("ABCDE12345.org.example.app"),
			"get-task-allow", plist.Bool(debug),
		),
	}
	if devices != nil {
		kv = append(kv, "ProvisionedDevices", plist.StrArr(devices...))
	}
	if all {
		kv = append(kv, "ProvisionsAllDevices", plist.Bool(true))
	}
	p, err := iosapp.Profile(plist.EncodeXML(plist.D(kv...)), signer)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTypes(t *testing.T) {
	udids := []string{"00008030-001A1234", "00008101-000B5678"}
	tests := []struct {
		name     string
		devices  []string
		all      bool
		debug    bool
		want     string
		nDevices int
	}{
		{"development", udids, false, true, mobileprovision.TypeDevelopment, 2},
		{"ad hoc", udids, false, false, mobileprovision.TypeAdHoc, 2},
		{"enterprise", nil, true, false, mobileprovision.TypeEnterprise, 0},
		{"app store", nil, false, false, mobileprovision.TypeAppStore, 0},
	}
	for _, tc := range tests {
		p, err := mobileprovision.Parse(profile(t, tc.devices, tc.all, tc.debug), mobileprovision.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if p.Type != tc.want || len(p.Devices) != tc.nDevices {
			t.Errorf("%s: type %s with %d devices, want %s with %d", tc.name, p.Type, len(p.Devices), tc.want, tc.nDevices)
		}
		if p.TeamName != "Example Ltd" || len(p.TeamIDs) != 1 || p.TeamIDs[0] != "ABCDE12345" || p.AppID != "ABCDE12345.org.example.app" {
			t.Errorf("%s: team %q %q app %q", tc.name, p.TeamName, p.TeamIDs, p.AppID)
		}
		if !p.ExpirationDate.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) || !p.Expired(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)) || p.Expired(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: expiry %v", tc.name, p.ExpirationDate)
		}
		if len(p.DeveloperCertificates) != 1 || p.DeveloperCertificates[0].Cert == nil || p.DeveloperCertificates[0].Cert.Subject.OrganizationalUnit[0] != "ABCDE12345" || len(p.DeveloperCertificates[0].SHA1) != 40 {
			t.Errorf("%s: developer certificates %+v", tc.name, p.DeveloperCertificates)
		}
		if len(p.Signers) != 1 || p.Signers[0].Cert.Subject.CommonName != "Test Provisioning Profile Signing" {
			t.Errorf("%s: signers %+v", tc.name, p.Signers)
		}
	}
}

func TestErrors(t *testing.T) {
	good := profile(t, nil, false, false)
	notSigned := append([]byte(nil), good...)
	notSigned[14] = 0x03 // the signedData OID's last arc
	bigLen := []byte{0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x00}
	deep := []byte{}
	for range 100 {
		deep = append(deep, 0x30, 0x80)
	}
	tests := []struct {
		name  string
		in    []byte
		lim   mobileprovision.Limits
		limit bool
	}{
		{"empty", nil, mobileprovision.Limits{}, false},
		{"plist, not CMS", plist.EncodeXML(plist.D()), mobileprovision.Limits{}, false},
		{"truncated", good[:len(good)/2], mobileprovision.Limits{}, false},
		{"not signedData", notSigned, mobileprovision.Limits{}, false},
		{"length past the end", bigLen, mobileprovision.Limits{}, false},
		{"deep indefinite", deep, mobileprovision.Limits{}, true},
		{"too big", good, mobileprovision.Limits{MaxSize: 100}, true},
	}
	for _, tc := range tests {
		_, err := mobileprovision.Parse(tc.in, tc.lim)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if errors.Is(err, mobileprovision.ErrLimit) != tc.limit {
			t.Errorf("%s: ErrLimit %v, want %v: %v", tc.name, !tc.limit, tc.limit, err)
		}
	}
}

func FuzzProfile(f *testing.F) {
	f.Add(iosappProfile(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = mobileprovision.Parse(data, mobileprovision.Limits{})
	})
}

func iosappProfile(f *testing.F) []byte {
	p, err := iosapp.Profile(plist.EncodeXML(plist.D("Name", plist.Str("seed"), "ProvisionedDevices", plist.StrArr("a"))))
	if err != nil {
		f.Fatal(err)
	}
	return p
}

// A profile whose content is a constructed OCTET STRING nested 50 deep,
// with a piece at every level: the pieces are read in order into one
// buffer (each level used to concatenate its children anew, copying the
// content once per level).
func TestNestedOctetString(t *testing.T) {
	content := plist.EncodeXML(plist.D("Name", plist.Str("Nested"), "Filler", plist.Bytes(make([]byte, 1<<20))))
	const depth = 50
	piece := len(content) / (depth + 1)
	prim := func(b []byte) []byte {
		// 04 84 len: a primitive OCTET STRING with a four-byte length.
		return append([]byte{0x04, 0x84, byte(len(b) >> 24), byte(len(b) >> 16), byte(len(b) >> 8), byte(len(b))}, b...)
	}
	// Level k holds piece k, then level k+1; the innermost holds the rest.
	var octets []byte
	for k := range depth {
		octets = append(octets, 0x24, 0x80)
		octets = append(octets, prim(content[k*piece:(k+1)*piece])...)
	}
	octets = append(octets, prim(content[depth*piece:])...)
	for range depth {
		octets = append(octets, 0, 0)
	}
	eoc := []byte{0, 0}
	oid := func(last byte) []byte {
		return []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, last}
	}
	var in []byte
	in = append(in, 0x30, 0x80)
	in = append(in, oid(2)...)
	in = append(in, 0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00)
	in = append(in, 0x30, 0x80)
	in = append(in, oid(1)...)
	in = append(in, 0xa0, 0x80)
	in = append(in, octets...)
	for range 5 {
		in = append(in, eoc...)
	}
	p, err := mobileprovision.Parse(in, mobileprovision.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Nested" || len(p.Plist.Get("Filler").Data) != 1<<20 {
		t.Errorf("name %q", p.Name)
	}
}
