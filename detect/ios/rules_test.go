package ios_test

import (
	"context"
	"strings"
	"testing"

	"appxray/app"
	detectios "appxray/detect/ios"
	"appxray/internal/iosapp"
	"appxray/plist"
	"appxray/scan"
)

// scanFiles scans a small app made of an Info.plist (extra keys added to
// a minimal one), an optional executable and extra files.
func scanFiles(t *testing.T, info []any, exe *iosapp.MachO, extra map[string][]byte) *scan.Report {
	t.Helper()
	kv := append([]any{"CFBundleIdentifier", plist.Str("org.example.rule"), "CFBundleExecutable", plist.Str("Rule")}, info...)
	files := map[string][]byte{"Payload/Rule.app/Info.plist": plist.EncodeXML(plist.D(kv...))}
	if exe != nil {
		files["Payload/Rule.app/Rule"] = exe.Bytes()
	}
	for k, v := range extra {
		files[k] = v
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.OpenBytes(context.Background(), "rule.ipa", ipa, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	r, err := detectios.Scan(context.Background(), a, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func titles(r *scan.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Category)+" ["+string(f.Confidence.Level)+"] "+f.Title)
	}
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		name  string
		info  []any
		exe   *iosapp.MachO
		extra map[string][]byte
		want  []string
	}{
		{"unknown usage key is not a finding", []any{"NSAppleEventsUsageDescription", plist.Str("automate")}, nil, nil, nil},
		{"a usage key that is not a string", []any{"NSCameraUsageDescription", plist.Bool(true)}, nil, nil, nil},
		{"localised only", nil, nil, map[string][]byte{"Payload/Rule.app/fr.lproj/InfoPlist.strings": []byte(`"NSCameraUsageDescription" = "Scanner";`)},
			[]string{"device.camera [medium] Says why it wants the camera (NSCameraUsageDescription): “Scanner”"}},
		{"ATS strict settings are not cleartext", []any{"NSAppTransportSecurity", plist.D("NSAllowsArbitraryLoads", plist.Bool(false), "NSExceptionDomains", plist.D("example.com", plist.D("NSExceptionMinimumTLSVersion", plist.Str("TLSv1.2"))))}, nil, nil, nil},
		{"ATS web content", []any{"NSAppTransportSecurity", plist.D("NSAllowsArbitraryLoadsInWebContent", plist.Bool(true))}, nil, nil,
			[]string{"behaviour.cleartext [high] Lets its web views load pages over cleartext HTTP (NSAllowsArbitraryLoadsInWebContent)"}},
		{"background modes other than location", []any{"UIBackgroundModes", plist.StrArr("audio", "fetch")}, nil, nil, nil},
		{"empty queried schemes", []any{"LSApplicationQueriesSchemes", plist.Arr()}, nil, nil, nil},
		{"selector only is weak", nil, &iosapp.MachO{CryptID: -1, Selectors: []string{"advertisingIdentifier"}}, nil,
			[]string{"device.identifiers [low] Reads the advertising identifier (ASIdentifierManager)"}},
		{"framework only is weak", nil, &iosapp.MachO{CryptID: -1, Dylibs: []iosapp.Dylib{{Path: "/System/Library/Frameworks/HealthKit.framework/HealthKit"}}}, nil,
			[]string{"person.health [low] Links HealthKit.framework"}},
		{"a bundled framework named like a system one is not the system's", nil, &iosapp.MachO{CryptID: -1, Dylibs: []iosapp.Dylib{{Path: "@rpath/Contacts.framework/Contacts"}}}, nil, nil},
		{"a class of the same name defined by the app is not an import", nil, &iosapp.MachO{CryptID: -1, Classes: []string{"CNContactStore"}, Defined: []string{"_OBJC_CLASS_$_CNContactStore"}}, nil, nil},
		{"a C function import", nil, &iosapp.MachO{CryptID: -1, Imports: []string{"_ABAddressBookCopyArrayOfAllPeople"}}, nil,
			[]string{"device.contacts [medium] Reads the contacts (AddressBook)"}},
	}
	for _, tc := range tests {
		r := scanFiles(t, tc.info, tc.exe, tc.extra)
		got := titles(r)
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
		for _, e := range r.Errors {
			if e.Where == "analysis" {
				t.Errorf("%s: %s", tc.name, e.Error)
			}
		}
	}
}

func TestPrivacyComparison(t *testing.T) {
	manifest := plist.EncodeXML(plist.D(
		"NSPrivacyTracking", plist.Bool(false),
		"NSPrivacyCollectedDataTypes", plist.Arr(
			plist.D("NSPrivacyCollectedDataType", plist.Str("NSPrivacyCollectedDataTypeContacts")),
			plist.D("NSPrivacyCollectedDataType", plist.Str("NSPrivacyCollectedDataTypeCrashData")),
			plist.D("NSPrivacyCollectedDataType", plist.Str("NSPrivacyCollectedDataTypeMadeUp")),
		),
	))
	exe := &iosapp.MachO{CryptID: -1, Imports: []string{"_OBJC_CLASS_$_ASIdentifierManager"}, Selectors: []string{"startMonitoringSignificantLocationChanges"}}
	r := scanFiles(t, nil, exe, map[string][]byte{"Payload/Rule.app/PrivacyInfo.xcprivacy": manifest})
	d := r.Declared
	if d == nil {
		t.Fatal("no comparison")
	}
	// Contacts declared, nothing seen: a question for the reader.
	if len(d.NotSeen) != 1 || d.NotSeen[0].ID != "NSPrivacyCollectedDataTypeContacts" {
		t.Errorf("declared, not seen: %+v", d.NotSeen)
	}
	// The advertising identifier (medium) is undeclared; the location seen
	// only through a selector (low) is not claimed.
	if len(d.NotDeclared) != 1 || d.NotDeclared[0].Category != "device.identifiers" || len(d.NotDeclared[0].DataTypes) == 0 {
		t.Errorf("found, not declared: %+v", d.NotDeclared)
	}
	notes := 0
	for _, e := range r.Errors {
		if e.Where == "privacy manifest" {
			notes++
		}
	}
	if notes != 2 { // an unknown data type; no tracking declared yet the advertising identifier is read
		t.Errorf("%d notes: %+v", notes, r.Errors)
	}
}

func TestFormRules(t *testing.T) {
	nibFile := func(objs ...iosapp.NibObject) []byte { return iosapp.Nib(objs) }
	tests := []struct {
		name string
		path string
		nib  []byte
		want []string
	}{
		{"a search field is a query, not collection", "Payload/Rule.app/Search.nib",
			nibFile(iosapp.NibObject{Class: "UISearchTextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "Passport number")}}), nil},
		{"a label that is not a text field collects nothing", "Payload/Rule.app/About.nib",
			nibFile(iosapp.NibObject{Class: "UILabel", Values: []iosapp.NibValue{iosapp.V("UIText", "Passport number")}}), nil},
		{"a localised nib is matched in its language", "Payload/Rule.app/ru.lproj/Form.nib",
			nibFile(iosapp.NibObject{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "Номер паспорта")}}),
			[]string{"person.national_id [medium] Form field asks for national identifier: 'Номер паспорта'"}},
		{"a label is not carried past a field", "Payload/Rule.app/Two.nib",
			nibFile(
				iosapp.NibObject{Class: "UILabel", Values: []iosapp.NibValue{iosapp.V("UIText", "Religion")}},
				iosapp.NibObject{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "Religion")}},
				iosapp.NibObject{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "Favourite colour")}},
			),
			[]string{"person.religion [high] Form field asks for religion: 'Religion'"}},
	}
	for _, tc := range tests {
		r := scanFiles(t, nil, nil, map[string][]byte{tc.path: tc.nib})
		if got := titles(r); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\n got  %q\n want %q", tc.name, got, tc.want)
		}
	}
}
