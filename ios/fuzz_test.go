package ios_test

import (
	"bytes"
	"testing"

	"appxray/internal/iosapp"
	"appxray/ios"
)

// FuzzInfoPlist opens an app whose Info.plist, InfoPlist.strings and
// privacy manifest are arbitrary bytes: wrong types where dicts, arrays
// and strings belong must never break the model.
func FuzzInfoPlist(f *testing.F) {
	files, err := iosapp.DemoFiles(false)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(files[iosapp.DemoRoot+"Info.plist"], files[iosapp.DemoRoot+"de.lproj/InfoPlist.strings"], files[iosapp.DemoRoot+"PrivacyInfo.xcprivacy"])
	f.Fuzz(func(t *testing.T, info, strings, privacy []byte) {
		ipa, err := iosapp.IPA(map[string][]byte{
			"Payload/F.app/Info.plist":                 info,
			"Payload/F.app/fr.lproj/InfoPlist.strings": strings,
			"Payload/F.app/PrivacyInfo.xcprivacy":      privacy,
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := ios.OpenIPA(bytes.NewReader(ipa), int64(len(ipa)), ios.Options{})
		if err != nil {
			t.Fatalf("an IPA with an Info.plist must open: %v", err)
		}
		for _, u := range a.Bundle.UsageDescriptions {
			if len(u.Texts) == 0 {
				t.Fatalf("usage description %s without text", u.Key)
			}
		}
	})
}
