package iosapp

import (
	"encoding/binary"
	"time"
	"unicode/utf16"

	"appxray/plist"
)

// Demo is the layout of the project's iOS test app: what each part holds,
// so tests can assert it.
const (
	DemoRoot       = "Payload/Tracker.app/"
	DemoBundleID   = "org.appxray.demo.tracker"
	DemoTeamID     = "ABCDE12345"
	DemoTeamName   = "appxray Demo Team"
	DemoFramework  = "Payload/Tracker.app/Frameworks/FBSDKCoreKit.framework/"
	DemoExtension  = "Payload/Tracker.app/PlugIns/Share.appex/"
	DemoStoryboard = "Payload/Tracker.app/Base.lproj/Main.storyboardc/"
)

// DemoExpiry is when the demo's provisioning profile expires.
var DemoExpiry = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

func utf16File(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// DemoFiles returns the files of an inert demo app that exercises every
// part of an iOS app appxray reads: usage descriptions in three languages
// (UTF-16 and binary .strings), URL schemes, queried schemes, App Transport
// Security exceptions, background modes, privacy manifests of the app and
// of an embedded tracking SDK, an app extension, a compiled storyboard and
// a nib with a form, a provisioning profile, and executables with linked
// frameworks, Objective-C classes and selectors, imported classes, Swift
// symbols, strings and entitlements. encrypted makes the main executable
// FairPlay-encrypted (cryptid 1).
func DemoFiles(encrypted bool) (map[string][]byte, error) {
	r := DemoRoot
	info := plist.D(
		"CFBundleIdentifier", plist.Str(DemoBundleID),
		"CFBundleName", plist.Str("Tracker"),
		"CFBundleDisplayName", plist.Str("Neighbourhood Watch"),
		"CFBundleShortVersionString", plist.Str("2.4.1"),
		"CFBundleVersion", plist.Str("241"),
		"CFBundleExecutable", plist.Str("Tracker"),
		"CFBundleDevelopmentRegion", plist.Str("en"),
		"CFBundleSupportedPlatforms", plist.StrArr("iPhoneOS"),
		"MinimumOSVersion", plist.Str("15.0"),
		"NSContactsUsageDescription", plist.Str("We upload your contacts to find people you know."),
		"NSLocationWhenInUseUsageDescription", plist.Str("Your location is shared with the neighbourhood committee."),
		"NSLocationAlwaysAndWhenInUseUsageDescription", plist.Str("We record where you go, even in the background."),
		"NSCameraUsageDescription", plist.Str("Scan your ID card."),
		"NSMicrophoneUsageDescription", plist.Str("Record voice notes."),
		"NSPhotoLibraryUsageDescription", plist.Str("Attach photos to reports."),
		"NSCalendarsUsageDescription", plist.Str("Add meetings to your calendar."),
		"NSHealthShareUsageDescription", plist.Str("Read your step count."),
		"NSUserTrackingUsageDescription", plist.Str("Allow tracking to get personalised ads."),
		"NSBluetoothAlwaysUsageDescription", plist.Str("Find nearby devices."),
		"NSFaceIDUsageDescription", plist.Str("Unlock with Face ID."),
		"CFBundleURLTypes", plist.Arr(plist.D("CFBundleURLName", plist.Str("login"), "CFBundleURLSchemes", plist.StrArr("tracker", "fb1234567890"))),
		"LSApplicationQueriesSchemes", plist.StrArr("whatsapp", "telegram", "signal", "weixin"),
		"NSAppTransportSecurity", plist.D(
			"NSAllowsArbitraryLoads", plist.Bool(true),
			"NSExceptionDomains", plist.D(
				"collect.example.com", plist.D("NSExceptionAllowsInsecureHTTPLoads", plist.Bool(true), "NSIncludesSubdomains", plist.Bool(true)),
				"api.example.org", plist.D("NSExceptionMinimumTLSVersion", plist.Str("TLSv1.0"), "NSExceptionRequiresForwardSecrecy", plist.Bool(false)),
			),
		),
		"UIBackgroundModes", plist.StrArr("location", "fetch", "remote-notification"),
	)
	entitlements := plist.EncodeXML(plist.D(
		"application-identifier", plist.Str(DemoTeamID+"."+DemoBundleID),
		"com.apple.developer.team-identifier", plist.Str(DemoTeamID),
		"com.apple.developer.healthkit", plist.Bool(true),
		"get-task-allow", plist.Bool(false),
	))
	cryptID := 0
	if encrypted {
		cryptID = 1
	}
	exe := MachO{
		Dylibs: []Dylib{
			{Path: "/System/Library/Frameworks/Foundation.framework/Foundation"},
			{Path: "/System/Library/Frameworks/UIKit.framework/UIKit"},
			{Path: "/System/Library/Frameworks/Contacts.framework/Contacts"},
			{Path: "/System/Library/Frameworks/CoreLocation.framework/CoreLocation"},
			{Path: "/System/Library/Frameworks/AdSupport.framework/AdSupport"},
			{Path: "/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency", Weak: true},
			{Path: "/System/Library/Frameworks/CoreTelephony.framework/CoreTelephony"},
			{Path: "@rpath/FBSDKCoreKit.framework/FBSDKCoreKit"},
		},
		Classes:       []string{"TRAppDelegate", "TRContactUploader", "TRLocationReporter"},
		Selectors:     []string{"requestAccessForEntityType:completionHandler:", "enumerateContactsWithFetchRequest:error:usingBlock:", "startUpdatingLocation", "advertisingIdentifier", "requestTrackingAuthorizationWithCompletionHandler:"},
		CStrings:      []string{"https://collect.example.com/api/v2/contacts", "http://api.example.org/report", "Bearer %@"},
		Imports:       []string{"_OBJC_CLASS_$_CNContactStore", "_OBJC_CLASS_$_CNContactFetchRequest", "_OBJC_CLASS_$_CLLocationManager", "_OBJC_CLASS_$_ASIdentifierManager", "_OBJC_CLASS_$_ATTrackingManager", "_OBJC_CLASS_$_CTTelephonyNetworkInfo", "_objc_msgSend"},
		Defined:       []string{"_$s7Tracker15ContactUploaderC6uploadyyF", "_main"},
		MinOS:         Version("15.0"),
		SDK:           Version("17.2"),
		CryptID:       cryptID,
		EncryptedText: encrypted,
		Identifier:    DemoBundleID,
		TeamID:        DemoTeamID,
		Entitlements:  entitlements,
		UUID:          [16]byte{0xa1, 0xb2, 0xc3, 0xd4, 0, 1, 0x40, 2, 0x80, 3, 4, 5, 6, 7, 8, 9},
	}
	sdk := MachO{
		Dylibs:     []Dylib{{Path: "/System/Library/Frameworks/AdSupport.framework/AdSupport"}},
		Classes:    []string{"FBSDKAppEvents", "FBSDKGraphRequest"},
		Selectors:  []string{"logEvent:", "advertisingIdentifier"},
		CStrings:   []string{"https://graph.facebook.com/v17.0/%@/activities"},
		Imports:    []string{"_OBJC_CLASS_$_ASIdentifierManager"},
		MinOS:      Version("12.0"),
		SDK:        Version("17.2"),
		CryptID:    -1,
		Identifier: "com.facebook.sdk.FBSDKCoreKit",
		TeamID:     DemoTeamID,
	}
	share := MachO{
		Dylibs:     []Dylib{{Path: "/System/Library/Frameworks/Foundation.framework/Foundation"}},
		Classes:    []string{"ShareViewController"},
		MinOS:      Version("15.0"),
		SDK:        Version("17.2"),
		CryptID:    cryptID,
		Identifier: DemoBundleID + ".share",
		TeamID:     DemoTeamID,
	}
	appPrivacy := plist.D(
		"NSPrivacyTracking", plist.Bool(false),
		"NSPrivacyCollectedDataTypes", plist.Arr(
			plist.D("NSPrivacyCollectedDataType", plist.Str("NSPrivacyCollectedDataTypePreciseLocation"),
				"NSPrivacyCollectedDataTypeLinked", plist.Bool(true),
				"NSPrivacyCollectedDataTypeTracking", plist.Bool(false),
				"NSPrivacyCollectedDataTypePurposes", plist.StrArr("NSPrivacyCollectedDataTypePurposeAppFunctionality")),
		),
		"NSPrivacyAccessedAPITypes", plist.Arr(
			plist.D("NSPrivacyAccessedAPIType", plist.Str("NSPrivacyAccessedAPICategoryUserDefaults"),
				"NSPrivacyAccessedAPITypeReasons", plist.StrArr("CA92.1")),
		),
	)
	sdkPrivacy := plist.D(
		"NSPrivacyTracking", plist.Bool(true),
		"NSPrivacyTrackingDomains", plist.StrArr("graph.facebook.com"),
		"NSPrivacyCollectedDataTypes", plist.Arr(
			plist.D("NSPrivacyCollectedDataType", plist.Str("NSPrivacyCollectedDataTypeDeviceID"),
				"NSPrivacyCollectedDataTypeLinked", plist.Bool(true),
				"NSPrivacyCollectedDataTypeTracking", plist.Bool(true),
				"NSPrivacyCollectedDataTypePurposes", plist.StrArr("NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising")),
		),
	)
	form := Nib([]NibObject{
		{Class: "UIProxyObject", Values: []NibValue{V("UIProxiedObjectIdentifier", "IBFilesOwner")}},
		{Class: "UILabel", Values: []NibValue{V("UIText", "National ID number")}},
		{Class: "UITextField", Values: []NibValue{V("UIPlaceholder", "身份证号"), V("UIAccessibilityLabel", "National ID number")}},
		{Class: "UILabel", Values: []NibValue{V("UIText", "Religion")}},
		{Class: "UITextField", Values: []NibValue{V("UIPlaceholder", "Religion")}},
	})
	login := Nib([]NibObject{
		{Class: "UITextField", Values: []NibValue{V("UIPlaceholder", "Phone number")}},
		{Class: "UIButton", Values: []NibValue{V("UIText", "Log in")}},
	})
	from := DemoExpiry.AddDate(-1, 0, 0)
	dev, err := Certificate("Apple Distribution: "+DemoTeamName+" ("+DemoTeamID+")", DemoTeamID, from, DemoExpiry)
	if err != nil {
		return nil, err
	}
	profile, err := Profile(plist.EncodeXML(plist.D(
		"Name", plist.Str("Tracker Enterprise"),
		"UUID", plist.Str("6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"),
		"AppIDName", plist.Str("Tracker"),
		"TeamIdentifier", plist.StrArr(DemoTeamID),
		"TeamName", plist.Str(DemoTeamName),
		"Platform", plist.StrArr("iOS"),
		"CreationDate", plist.Time(from),
		"ExpirationDate", plist.Time(DemoExpiry),
		"ProvisionsAllDevices", plist.Bool(true),
		"DeveloperCertificates", plist.Arr(plist.Bytes(dev)),
		"Entitlements", plist.D("application-identifier", plist.Str(DemoTeamID+"."+DemoBundleID), "get-task-allow", plist.Bool(false)),
	)), dev)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		r + "Info.plist":                 plist.EncodeXML(info),
		r + "Tracker":                    exe.Bytes(),
		r + "PkgInfo":                    []byte("APPL????"),
		r + "PrivacyInfo.xcprivacy":      plist.EncodeXML(appPrivacy),
		r + "embedded.mobileprovision":   profile,
		r + "en.lproj/InfoPlist.strings": []byte("/* English */\n\"CFBundleDisplayName\" = \"Neighbourhood Watch\";\n\"NSContactsUsageDescription\" = \"We upload your contacts to find people you know.\";\n"),
		r + "de.lproj/InfoPlist.strings": utf16File("\"CFBundleDisplayName\" = \"Nachbarschaftswache\";\n\"NSContactsUsageDescription\" = \"Wir laden deine Kontakte hoch.\";\n\"NSLocationWhenInUseUsageDescription\" = \"Dein Standort wird mit dem Komitee geteilt.\";\n"),
		r + "zh-Hans.lproj/InfoPlist.strings": plist.EncodeBinary(plist.D(
			"CFBundleDisplayName", plist.Str("邻里守望"),
			"NSContactsUsageDescription", plist.Str("我们会上传您的通讯录。"),
			"NSCameraUsageDescription", plist.Str("扫描您的身份证。"),
		)),
		r + "Base.lproj/Main.storyboardc/Info.plist":                         plist.EncodeBinary(plist.D("UIStoryboardDesignatedEntryPointIdentifier", plist.Str("UINavigationController-1"), "UIStoryboardVersion", plist.Int(1))),
		r + "Base.lproj/Main.storyboardc/PersonForm.nib":                     form,
		r + "Base.lproj/Main.storyboardc/UIViewController-2.nib/runtime.nib": login,
		r + "Login.nib":      login,
		r + "Legacy.nib":     plist.EncodeBinary(plist.D("$archiver", plist.Str("NSKeyedArchiver"))),
		r + "www/index.html": []byte("<html><body><form action=\"http://collect.example.com/submit\"><input name=\"sfzh\" placeholder=\"身份证号\"></form></body></html>\n"),
		r + "Frameworks/FBSDKCoreKit.framework/Info.plist": plist.EncodeXML(plist.D(
			"CFBundleIdentifier", plist.Str("com.facebook.sdk.FBSDKCoreKit"),
			"CFBundleName", plist.Str("FBSDKCoreKit"),
			"CFBundleExecutable", plist.Str("FBSDKCoreKit"),
			"CFBundleShortVersionString", plist.Str("17.0.0"),
		)),
		r + "Frameworks/FBSDKCoreKit.framework/FBSDKCoreKit":          sdk.Bytes(),
		r + "Frameworks/FBSDKCoreKit.framework/PrivacyInfo.xcprivacy": plist.EncodeXML(sdkPrivacy),
		r + "Frameworks/libswift_Concurrency.dylib":                   MachO{CryptID: -1}.Bytes(),
		r + "PlugIns/Share.appex/Info.plist": plist.EncodeXML(plist.D(
			"CFBundleIdentifier", plist.Str(DemoBundleID+".share"),
			"CFBundleName", plist.Str("Share"),
			"CFBundleExecutable", plist.Str("Share"),
			"CFBundleShortVersionString", plist.Str("2.4.1"),
			"NSExtension", plist.D("NSExtensionPointIdentifier", plist.Str("com.apple.share-services")),
		)),
		r + "PlugIns/Share.appex/Share": share.Bytes(),
	}
	return files, nil
}

// DemoIPA zips DemoFiles.
func DemoIPA(encrypted bool) ([]byte, error) {
	files, err := DemoFiles(encrypted)
	if err != nil {
		return nil, err
	}
	return IPA(files)
}
