package knowledge

import "testing"

func TestIOSKnowledge(t *testing.T) {
	k := IOSKnowledge()
	usage := []struct {
		key  string
		want Category
		ok   bool
	}{
		{"NSContactsUsageDescription", DeviceContacts, true},
		{"NSLocationAlwaysAndWhenInUseUsageDescription", DeviceLocation, true},
		{"NSFaceIDUsageDescription", PersonBiometric, true},
		{"NSUserTrackingUsageDescription", DeviceIdentifiers, true},
		{"NSHealthShareUsageDescription", PersonHealth, true},
		{"NSAppleEventsUsageDescription", "", false}, // macOS automation: outside the taxonomy
		{"CFBundleDisplayName", "", false},
	}
	for _, tc := range usage {
		u, ok := k.UsageKey(tc.key)
		if ok != tc.ok || (ok && u.Category != tc.want) {
			t.Errorf("UsageKey(%s) = %+v %v", tc.key, u, ok)
		}
	}
	if d, ok := k.DataType("NSPrivacyCollectedDataTypePreciseLocation"); !ok || len(d.Categories) != 1 || d.Categories[0] != DeviceLocation {
		t.Errorf("precise location = %+v", d)
	}
	if d, ok := k.DataType("NSPrivacyCollectedDataTypeCrashData"); !ok || len(d.Categories) != 0 {
		t.Errorf("crash data must cover no category: %+v", d)
	}
	apis := []struct {
		kind, name string
		want       Category
		ok         bool
	}{
		{IOSClass, "CNContactStore", DeviceContacts, true},
		{IOSClass, "ASIdentifierManager", DeviceIdentifiers, true},
		{IOSSelector, "advertisingIdentifier", DeviceIdentifiers, true},
		{IOSFunction, "_ABAddressBookCopyArrayOfAllPeople", DeviceContacts, true},
		{IOSClass, "advertisingIdentifier", "", false}, // a selector, not a class
		{IOSClass, "CNContactStoreX", "", false},
		{IOSClass, "UIView", "", false},
	}
	for _, tc := range apis {
		a, ok := k.API(tc.kind, tc.name)
		if ok != tc.ok || (ok && a.Category != tc.want) {
			t.Errorf("API(%s %s) = %+v %v", tc.kind, tc.name, a, ok)
		}
	}
	sdks := []struct {
		framework, class, want string
	}{
		{"FBSDKCoreKit", "", "facebook_analytics"},
		{"GoogleMobileAds", "", "google_admob"},
		{"UMCommon", "", "umeng_analytics"},
		{"", "AppsFlyerLib", "appsflyer"},
		{"", "FIRAnalytics", "google_firebase_analytics"},
		{"FBSDKCoreKitX", "", ""}, // a look-alike name
		{"Foundation", "", ""},
		{"", "FIRAnalyticsHelper", ""},
	}
	for _, tc := range sdks {
		var s *IOSSDK
		if tc.framework != "" {
			s, _ = k.SDKByFramework(tc.framework)
		} else {
			s, _ = k.SDKByClass(tc.class)
		}
		got := ""
		if s != nil {
			got = s.Tracker.ID
		}
		if got != tc.want {
			t.Errorf("SDK(%q %q) = %q, want %q", tc.framework, tc.class, got, tc.want)
		}
	}
	if f, ok := k.Framework("Contacts"); !ok || f.Category != DeviceContacts {
		t.Errorf("Contacts framework = %+v", f)
	}
}
