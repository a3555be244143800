package macho_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"appxray/internal/iosapp"
	"appxray/macho"
	"appxray/plist"
)

var entitlements = plist.EncodeXML(plist.D(
	"application-identifier", plist.Str("ABCDE12345.org.example.tracker"),
	"com.apple.developer.healthkit", plist.Bool(true),
	"aps-environment", plist.Str("production"),
))

func testApp(cryptID int, encryptedText bool) iosapp.MachO {
	return iosapp.MachO{
		Dylibs: []iosapp.Dylib{
			{Path: "/System/Library/Frameworks/Contacts.framework/Contacts"},
			{Path: "/System/Library/Frameworks/CoreLocation.framework/CoreLocation"},
			{Path: "/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency", Weak: true},
			{Path: "@rpath/FBSDKCoreKit.framework/FBSDKCoreKit"},
		},
		Classes:       []string{"TrackerAppDelegate", "ContactUploader"},
		Selectors:     []string{"requestAccessForEntityType:completionHandler:", "advertisingIdentifier", "startUpdatingLocation"},
		CStrings:      []string{"https://collect.example.com/v1/upload", "Authorization"},
		Imports:       []string{"_OBJC_CLASS_$_CNContactStore", "_OBJC_CLASS_$_CLLocationManager", "_OBJC_CLASS_$_ASIdentifierManager", "_objc_msgSend"},
		Defined:       []string{"_$s7Tracker8UploaderC6uploadyyF", "_main"},
		MinOS:         iosapp.Version("15.0"),
		SDK:           iosapp.Version("17.2"),
		CryptID:       cryptID,
		EncryptedText: encryptedText,
		Identifier:    "org.example.tracker",
		TeamID:        "ABCDE12345",
		Entitlements:  entitlements,
		UUID:          [16]byte{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
	}
}

func open(t *testing.T, b []byte) *macho.File {
	t.Helper()
	f, err := macho.Open(bytes.NewReader(b), int64(len(b)), macho.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func values(ss []macho.String) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Value)
	}
	return out
}

func TestBuiltApp(t *testing.T) {
	b := testApp(0, false).Bytes()
	f := open(t, b)
	if f.Fat || len(f.Slices) != 1 {
		t.Fatalf("fat %v, %d slices", f.Fat, len(f.Slices))
	}
	s := f.Slices[0]
	if len(s.Warnings) != 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	if s.Arch != "arm64" || s.Platform != "ios" || s.MinOS != "15.0" || s.SDK != "17.2" {
		t.Errorf("arch %s platform %s min %s sdk %s", s.Arch, s.Platform, s.MinOS, s.SDK)
	}
	if s.UUID != "DEADBEEF-0102-0304-0506-0708090A0B0C" {
		t.Errorf("UUID %s", s.UUID)
	}
	var dylibs []string
	for _, d := range s.Dylibs {
		dylibs = append(dylibs, d.Kind+" "+d.Name)
	}
	want := []string{
		"load /System/Library/Frameworks/Contacts.framework/Contacts",
		"load /System/Library/Frameworks/CoreLocation.framework/CoreLocation",
		"weak /System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency",
		"load @rpath/FBSDKCoreKit.framework/FBSDKCoreKit",
	}
	if !slices.Equal(dylibs, want) {
		t.Errorf("dylibs %q", dylibs)
	}
	if got := values(s.ObjCClasses); !slices.Equal(got, []string{"TrackerAppDelegate", "ContactUploader"}) {
		t.Errorf("classes %q", got)
	}
	if got := values(s.ObjCSelectors); !slices.Contains(got, "advertisingIdentifier") || len(got) != 3 {
		t.Errorf("selectors %q", got)
	}
	if got := s.ObjCClassRefs(); !slices.Equal(got, []string{"CNContactStore", "CLLocationManager", "ASIdentifierManager"}) {
		t.Errorf("class refs %q", got)
	}
	if !slices.Contains(s.Imports, "_objc_msgSend") || slices.Contains(s.Imports, "_main") {
		t.Errorf("imports %q", s.Imports)
	}
	if !slices.Equal(s.SwiftSymbols, []string{"_$s7Tracker8UploaderC6uploadyyF"}) {
		t.Errorf("swift %q", s.SwiftSymbols)
	}
	// Offsets point at the strings in the file.
	for _, str := range s.Strings {
		if got := string(b[str.Offset : str.Offset+int64(len(str.Value))]); got != str.Value {
			t.Errorf("string %q at 0x%x reads %q", str.Value, str.Offset, got)
		}
	}
	if got := values(s.Strings); !slices.Contains(got, "https://collect.example.com/v1/upload") {
		t.Errorf("strings %q", got)
	}
	if s.Encryption == nil || s.Encrypted() {
		t.Errorf("encryption %+v: want the command with cryptid 0", s.Encryption)
	}
	sig := s.Signature
	if sig == nil {
		t.Fatal("no signature")
	}
	if sig.Identifier != "org.example.tracker" || sig.TeamID != "ABCDE12345" || !sig.HasCMS {
		t.Errorf("signature %+v", sig)
	}
	ent, _, err := plist.Parse(sig.Entitlements, plist.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if hk, _ := ent.Get("com.apple.developer.healthkit").Boolean(); !hk {
		t.Error("HealthKit entitlement lost")
	}
}

func TestEncrypted(t *testing.T) {
	s := open(t, testApp(1, true).Bytes()).Slices[0]
	if !s.Encrypted() {
		t.Fatal("cryptid 1 not reported")
	}
	if len(s.Strings) != 0 || len(s.ObjCClasses) != 0 {
		t.Errorf("strings read from the encrypted range: %q %q", values(s.Strings), values(s.ObjCClasses))
	}
	if len(s.Warnings) == 0 {
		t.Error("no warning says what could not be read")
	}
	// Imports live outside the encrypted range and stay readable.
	if len(s.ObjCClassRefs()) != 3 {
		t.Errorf("class refs %q", s.ObjCClassRefs())
	}
}

func TestFat(t *testing.T) {
	b := iosapp.Fat(testApp(-1, false).Bytes(), testApp(0, false).Bytes())
	f := open(t, b)
	if !f.Fat || len(f.Slices) != 2 {
		t.Fatalf("fat %v slices %d", f.Fat, len(f.Slices))
	}
	if f.Slices[0].Encryption != nil || f.Slices[1].Encryption == nil {
		t.Error("slices mixed up")
	}
	for _, s := range f.Slices {
		if s.Offset%(1<<14) != 0 || s.Signature == nil {
			t.Errorf("slice at %d: signature %v", s.Offset, s.Signature)
		}
		for _, str := range s.Strings {
			if got := string(b[str.Offset : str.Offset+int64(len(str.Value))]); got != str.Value {
				t.Errorf("string %q at 0x%x in the fat file reads %q", str.Value, str.Offset, got)
			}
		}
	}
}

func TestHostile(t *testing.T) {
	good := testApp(0, false).Bytes()
	trunc := good[:200]
	fat := iosapp.Fat(good)
	badFat := append([]byte(nil), fat...)
	badFat[8+8], badFat[8+9] = 0x7f, 0xff // slice offset far past the end
	manyFat := []byte{0xca, 0xfe, 0xba, 0xbe, 0, 0, 1, 0}
	tests := []struct {
		name  string
		in    []byte
		limit bool
	}{
		{"not mach-o", []byte("hello world"), false},
		{"truncated", trunc, false},
		{"fat slice outside", badFat, false},
		{"too many slices", manyFat, true},
	}
	for _, tc := range tests {
		_, err := macho.Open(bytes.NewReader(tc.in), int64(len(tc.in)), macho.Limits{})
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if errors.Is(err, macho.ErrLimit) != tc.limit {
			t.Errorf("%s: ErrLimit %v, want %v: %v", tc.name, !tc.limit, tc.limit, err)
		}
	}
	// A bad signature is a warning; the rest is read.
	sig := testApp(0, false)
	b := sig.Bytes()
	i := bytes.Index(b, []byte{0xfa, 0xde, 0x0c, 0xc0})
	b[i+3] = 0x00
	s := open(t, b).Slices[0]
	if s.Signature != nil || len(s.Warnings) != 1 || len(s.Dylibs) != 4 {
		t.Errorf("broken signature: %+v, warnings %v", s.Signature, s.Warnings)
	}
}

// TestRealApps reads the executables of the two real IPAs (Apache-2.0,
// ios/testdata/LICENSE-bitbar-test-samples).
func TestRealApps(t *testing.T) {
	tests := []struct {
		file       string
		arches     []string
		ident      string
		team       string
		classRef   string
		weakDylibs int
	}{
		{"../ios/testdata/bitbar-ios-sample.ipa", []string{"armv7", "arm64"}, "com.bitbar.testdroid.BitbarIOSSample", "N9HW7DB6H4", "UITextField", 0},
		{"../ios/testdata/bitbar-sample-latest-iOS.ipa", []string{"arm64"}, "com.bitbar.BitBarSample", "N9HW7DB6H4", "WKWebView", 17},
	}
	for _, tc := range tests {
		exe := executable(t, tc.file)
		f := open(t, exe)
		var arches []string
		for _, s := range f.Slices {
			arches = append(arches, s.Arch)
			if s.Signature == nil || s.Signature.Identifier != tc.ident || s.Signature.TeamID != tc.team || !s.Signature.HasCMS {
				t.Errorf("%s %s: signature %+v", tc.file, s.Arch, s.Signature)
			}
			if s.Encrypted() {
				t.Errorf("%s: a developer build reads as encrypted", tc.file)
			}
			if !slices.Contains(s.ObjCClassRefs(), tc.classRef) {
				t.Errorf("%s: class refs %q lack %s", tc.file, s.ObjCClassRefs(), tc.classRef)
			}
			weak := 0
			for _, d := range s.Dylibs {
				if d.Kind == macho.DylibWeak {
					weak++
				}
			}
			if weak != tc.weakDylibs {
				t.Errorf("%s: %d weak dylibs, want %d", tc.file, weak, tc.weakDylibs)
			}
		}
		if !slices.Equal(arches, tc.arches) {
			t.Errorf("%s: arches %q", tc.file, arches)
		}
	}
}

func executable(t *testing.T, ipa string) []byte {
	t.Helper()
	data, err := os.ReadFile(ipa)
	if err != nil {
		t.Skipf("needs %s: %v", ipa, err)
	}
	exe, err := iosapp.MainExecutable(data)
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// An index that lists one entitlements blob and one code directory (empty
// identifier, long team ID) over and over: each is decoded once, so a
// 2.4 MB signature no longer copies ~100 GB (35 s), and the results are those of
// the first code directory and the last entitlements blob.
func TestSignatureRepeatedBlobs(t *testing.T) {
	be := binary.BigEndian
	const count = 100000
	ent := bytes.Repeat([]byte("e"), 1<<20)
	team := bytes.Repeat([]byte("T"), 1<<20)
	cd := be.AppendUint32(nil, macho.MagicCodeDirectory)
	cd = be.AppendUint32(cd, uint32(52+1+len(team)+1))
	cd = be.AppendUint32(cd, 0x20200) // version
	cd = append(cd, make([]byte, 8)...)
	cd = be.AppendUint32(cd, 52) // identOffset: an empty identifier
	cd = append(cd, make([]byte, 52-len(cd))...)
	be.PutUint32(cd[48:], 53) // teamOffset
	cd = append(append(append(cd, 0), team...), 0)
	entBlob := append(be.AppendUint32(be.AppendUint32(nil, macho.MagicEntitlements), uint32(8+len(ent))), ent...)
	head := 12 + 8*count
	sig := be.AppendUint32(nil, macho.MagicSuperBlob)
	sig = be.AppendUint32(sig, uint32(head+len(cd)+len(entBlob)))
	sig = be.AppendUint32(sig, count)
	for i := range count {
		off := head
		if i%2 == 1 {
			off += len(cd)
		}
		sig = be.AppendUint32(be.AppendUint32(sig, 0), uint32(off))
	}
	sig = append(append(sig, cd...), entBlob...)
	start := time.Now()
	s, err := macho.ParseSignature(sig, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("ParseSignature took %v", d)
	}
	if len(s.Blobs) != count || s.Identifier != "" || s.TeamID != string(team) || !bytes.Equal(s.Entitlements, ent) {
		t.Errorf("%d blobs, identifier %q, team ID of %d bytes, entitlements of %d bytes", len(s.Blobs), s.Identifier, len(s.TeamID), len(s.Entitlements))
	}
}
