package mobileprovision_test

import (
	"archive/zip"
	"io"
	"strings"
	"testing"
	"time"

	"appxray/mobileprovision"
)

// TestRealProfiles reads the profiles of the two real IPAs (Apache-2.0,
// ios/testdata/LICENSE-bitbar-test-samples).
func TestRealProfiles(t *testing.T) {
	tests := []struct {
		ipa, name, typ, team, teamName string
		devices, devCerts              int
		expires                        time.Time
	}{
		{"bitbar-ios-sample.ipa", "XC Ad Hoc: *", mobileprovision.TypeAdHoc, "N9HW7DB6H4", "Bitbar Technologies Oy", 129, 1, time.Date(2016, 12, 7, 7, 46, 52, 0, time.UTC)},
		{"bitbar-sample-latest-iOS.ipa", "iOS Team Provisioning Profile: *", mobileprovision.TypeDevelopment, "N9HW7DB6H4", "Bitbar Technologies Oy", 146, 8, time.Date(2026, 12, 26, 5, 10, 44, 0, time.UTC)},
	}
	for _, tc := range tests {
		data := embedded(t, "../ios/testdata/"+tc.ipa)
		p, err := mobileprovision.Parse(data, mobileprovision.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tc.ipa, err)
		}
		if p.Name != tc.name || p.Type != tc.typ || p.TeamName != tc.teamName || len(p.TeamIDs) != 1 || p.TeamIDs[0] != tc.team {
			t.Errorf("%s: %q %s %q %q", tc.ipa, p.Name, p.Type, p.TeamName, p.TeamIDs)
		}
		if len(p.Devices) != tc.devices || len(p.DeveloperCertificates) != tc.devCerts || !p.ExpirationDate.Equal(tc.expires) {
			t.Errorf("%s: %d devices, %d certificates, expires %v", tc.ipa, len(p.Devices), len(p.DeveloperCertificates), p.ExpirationDate)
		}
		for _, c := range p.DeveloperCertificates {
			if c.Cert == nil || c.Cert.Subject.OrganizationalUnit[0] != tc.team {
				t.Errorf("%s: developer certificate %+v", tc.ipa, c)
			}
		}
		if len(p.Signers) != 3 || !strings.HasPrefix(p.Signers[len(p.Signers)-1].Cert.Subject.CommonName, "Apple Root C") {
			t.Errorf("%s: %d signers", tc.ipa, len(p.Signers))
		}
	}
}

func embedded(t *testing.T, ipa string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(ipa)
	if err != nil {
		t.Skipf("needs %s: %v", ipa, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".app/embedded.mobileprovision") {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("%s has no embedded.mobileprovision", ipa)
	return nil
}
