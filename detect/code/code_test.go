package code_test

import (
	"context"

	"appxray/analysis"
	"appxray/app"
	"slices"
	"strings"
	"testing"

	"appxray/detect/code"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

const collector = "classes.dex Lorg/appxray/demo/ijop/DeviceCollector;->"

// TestDemoAPIs asserts every API finding the demo app's code should give,
// with the calling method, and that there are no others.
func TestDemoAPIs(t *testing.T) {
	res := testapp.Run(t, testapp.DemoPath(), code.APIs)
	want := []struct{ category, title, sdk, location string }{
		{"device.call_log", "Queries call log through a content provider", "", collector + "callLog(Landroid/content/Context;)Landroid/database/Cursor;"},
		{"device.call_log", "Uses the call log URI", "", collector + "callLog(Landroid/content/Context;)Landroid/database/Cursor;"},
		{"device.contacts", "Queries contacts through a content provider", "", collector + "contacts(Landroid/content/Context;)Landroid/database/Cursor;"},
		{"device.contacts", "Uses the contacts URI", "", collector + "contacts(Landroid/content/Context;)Landroid/database/Cursor;"},
		{"device.sms", "Queries SMS and MMS through a content provider", "", collector + "smsInbox(Landroid/content/Context;)Landroid/database/Cursor;"},
		{"device.identifiers", "Reads the IMEI or MEID", "", collector + "deviceIdentifiers(Landroid/content/Context;)[Ljava/lang/String;"},
		{"device.identifiers", "Reads the IMSI (subscriber ID)", "", collector + "deviceIdentifiers(Landroid/content/Context;)[Ljava/lang/String;"},
		{"device.phone_number", "Reads the phone number of the SIM", "", collector + "deviceIdentifiers(Landroid/content/Context;)[Ljava/lang/String;"},
		{"device.installed_apps", "Lists installed packages", "", collector + "installedPackages(Landroid/content/Context;)Ljava/util/List;"},
		{"device.files", "Lists files in a directory", "", "classes.dex Lorg/appxray/demo/ijop/WatchScanner;->findWatchedFiles(Ljava/io/File;Ljava/util/List;)Ljava/util/List;"},
		{"device.files", "Opens shared storage", "", "classes.dex Lorg/appxray/demo/ijop/WatchScanner;->scanStorage(Landroid/content/Context;)Ljava/util/List;"},
		{"behaviour.content_watchlist", "Computes hashes", "", "classes.dex Lorg/appxray/demo/ijop/WatchScanner;->md5Hex(Ljava/io/File;)Ljava/lang/String;"},
		{"device.identifiers", "Reads the IMEI or MEID", "Umeng Analytics (友盟统计)", "classes.dex Lcom/umeng/analytics/MobclickAgent;->deviceInfo(Landroid/content/Context;)Ljava/lang/String;"},
	}
	got := testapp.Summarise(res.Findings)
	for _, w := range want {
		found := false
		for _, g := range got {
			if g.Category == w.category && g.Title == w.title && g.SDK == w.sdk && slices.Contains(g.Locations, "code: "+w.location) {
				found = true
			}
		}
		if !found {
			t.Errorf("missing finding %s %q (sdk %q) at %s", w.category, w.title, w.sdk, w.location)
		}
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("got %s %q sdk=%q %v", g.Category, g.Title, g.SDK, g.Locations)
		}
		t.Errorf("got %d findings, want exactly %d", len(got), len(want))
	}
	for _, f := range res.Findings {
		for _, e := range f.Evidence {
			if !strings.Contains(e.Detail, " at pc 0x") {
				t.Errorf("%s: evidence detail %q names no instruction", f.Title, e.Detail)
			}
		}
	}
}

// TestSettingsAPIs checks what io.appium.settings' own documentation says it
// does: it reads SMS, location, the clipboard and notifications.
func TestSettingsAPIs(t *testing.T) {
	path := corpus.File(t, ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk")
	res := testapp.Run(t, path, code.APIs)
	cats := map[string]bool{}
	for _, f := range res.Findings {
		if f.SDK == "" {
			cats[string(f.Category)] = true
		}
		if f.SDK == "" {
			for _, e := range f.Evidence {
				if !strings.Contains(e.Location, "Lio/appium/settings/") {
					t.Errorf("%s: app-code evidence outside the app's package: %s", f.Title, e.Location)
				}
			}
		}
	}
	for _, c := range []string{"device.sms", "device.location", "device.clipboard", "device.notifications"} {
		if !cats[c] {
			t.Errorf("io.appium.settings: no app-code finding for %s", c)
		}
	}
}

// TestCorpusIndex runs the code index over every corpus file that opens:
// no analyzer error, and methods walked.
func TestCorpusIndex(t *testing.T) {
	ctx := context.Background()
	files, methods, calls := 0, 0, 0
	for _, path := range corpus.Files(t) {
		a, err := app.Open(ctx, path, app.DefaultOptions())
		if err != nil {
			t.Logf("%s: not opened: %v", corpus.Name(path), err)
			continue
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{code.APIs})
		a.Close()
		if err != nil {
			t.Fatalf("%s: %v", corpus.Name(path), err)
		}
		for _, e := range res.Errors {
			t.Errorf("%s: %v", corpus.Name(path), e)
		}
		ix, _ := analysis.Get[*code.IndexResult](res, code.Index)
		files++
		methods += ix.Methods
		calls += len(ix.Calls)
	}
	if files == 0 || methods == 0 {
		t.Fatal("nothing walked")
	}
	t.Logf("code index: %d files, %d methods walked, %d API calls", files, methods, calls)
}
