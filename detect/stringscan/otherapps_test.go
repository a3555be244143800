package stringscan

import (
	"archive/zip"
	"context"
	"os"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/testapp"
	"appxray/knowledge"
)

// withAsset is the demo app with one more asset.
func withAsset(t *testing.T, name string, data []byte) *analysis.Result {
	t.Helper()
	src, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	b := testapp.Zip(t, src, nil, map[string][]byte{name: data}, zip.Deflate)
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "demo+asset.apk", b, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Error(e)
	}
	return res
}

func TestOtherAppsData(t *testing.T) {
	tests := []struct {
		name     string
		asset    string
		apps     int  // 0: no such watchlist
		accounts bool // a device.accounts finding
	}{
		{"extraction plan", `{"targets": [
  {"app": "com.tencent.mm", "file": "/data/data/com.tencent.mm/shared_prefs/auth_info_key_prefs.xml", "take": "_auth_uin|wxid"},
  {"app": "com.whatsapp", "file": "/data/user/0/com.whatsapp/databases/msgstore.db", "take": "user_id"},
  {"app": "org.telegram.messenger", "file": "/sdcard/Android/data/org.telegram.messenger/cache/", "take": "phone_number"}
]}`, 3, true},
		{"paths without what to take", "/data/data/com.example.one/files/a\n/data/data/com.example.two/files/b\n", 2, false},
		// One other app's folder is not a plan; the app's own data is its own.
		{"one other app", "/data/data/com.tencent.mm/files/x uid", 0, false},
		{"the app's own storage", "/data/data/org.appxray.demo.ijop/files/a\n/data/data/org.appxray.demo.ijop.sub/b account\n", 0, false},
		{"prose", "Copy your files to the SD card before you uninstall the app.", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := withAsset(t, "assets/conf/targets.json", []byte(tt.asset))
			r, _ := analysis.Get[*Result](res, Analyzer)
			var found *Watchlist
			for i := range r.Watchlists {
				if r.Watchlists[i].Category == knowledge.DeviceOtherAppsData {
					found = &r.Watchlists[i]
				}
			}
			switch {
			case tt.apps == 0 && found != nil:
				t.Fatalf("watchlist %+v", found)
			case tt.apps > 0 && (found == nil || found.Size != tt.apps || found.Evidence.Location != "assets/conf/targets.json line 2" && found.Evidence.Location != "assets/conf/targets.json line 1"):
				t.Fatalf("watchlist %+v", found)
			}
			accounts, other := false, false
			for _, f := range res.Findings {
				switch f.Category {
				case knowledge.DeviceAccounts:
					accounts = accounts || strings.Contains(f.Evidence[0].Location, "targets.json")
				case knowledge.DeviceOtherAppsData:
					other = other || strings.Contains(f.Title, "other apps whose data it reads")
				}
			}
			if accounts != tt.accounts || other != (tt.apps > 0) {
				t.Errorf("accounts finding %v, other-apps finding %v", accounts, other)
			}
		})
	}
}
