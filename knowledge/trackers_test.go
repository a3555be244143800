package knowledge

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestTrackerTable(t *testing.T) {
	trs := Trackers()
	if len(trs) < 150 {
		t.Errorf("only %d trackers, want at least 150", len(trs))
	}
	kinds := map[string]int{}
	ids := map[string]bool{}
	sigs := 0
	for _, tr := range trs {
		if ids[tr.ID] {
			t.Errorf("duplicate tracker id %s", tr.ID)
		}
		ids[tr.ID] = true
		if tr.Name == "" || tr.Website == "" || len(tr.CodeSignatures) == 0 {
			t.Errorf("%s: incomplete entry %+v", tr.ID, tr)
		}
		for _, k := range tr.Categories {
			kinds[k]++
		}
		for _, s := range append(slices.Clone(tr.CodeSignatures), tr.NetworkSignatures...) {
			sigs++
			if len(s) < MinSignatureLen {
				t.Errorf("%s: signature %q shorter than %d", tr.ID, s, MinSignatureLen)
			}
		}
	}
	for _, k := range []string{"analytics", "advertising", "crash_reporting", "push", "social", "payments", "maps",
		"attribution", "ab_testing", "customer_support"} {
		if kinds[k] < 3 {
			t.Errorf("only %d trackers of kind %s", kinds[k], k)
		}
	}
	if c := DefaultTrackerMatcher().Conflicts(); len(c) > 0 {
		t.Errorf("signatures claimed twice: %v", c)
	}
	t.Logf("%d trackers, %d signatures, kinds %v", len(trs), sigs, kinds)
}

// The issue names the Chinese SDKs that must be recognised; each class
// below is a real entry point of that SDK.
func TestChineseSDKs(t *testing.T) {
	m := DefaultTrackerMatcher()
	tests := []struct{ class, id string }{
		{"Lcom/umeng/analytics/MobclickAgent;", "umeng_analytics"},
		{"Lcom/umeng/commonsdk/UMConfigure;", "umeng_analytics"},
		{"Lcom/umeng/message/PushAgent;", "umeng_push"},
		{"Lcn/jpush/android/api/JPushInterface;", "jpush"},
		{"Lcn/jiguang/verifysdk/api/JVerificationInterface;", "jiguang_verification"},
		{"Lcom/igexin/sdk/PushManager;", "getui"},
		{"Lcom/tencent/bugly/crashreport/CrashReport;", "tencent_bugly"},
		{"Lcom/tencent/stat/StatService;", "tencent_mta"},
		{"Lcom/tencent/smtt/sdk/WebView;", "tencent_x5"},
		{"Lcom/qq/e/ads/banner2/UnifiedBannerView;", "tencent_gdt"},
		{"Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;", "wechat_open_sdk"},
		{"Lcom/tencent/tauth/Tencent;", "qq_open_sdk"},
		{"Lcom/baidu/mapapi/SDKInitializer;", "baidu_map"},
		{"Lcom/baidu/location/LocationClient;", "baidu_location"},
		{"Lcom/baidu/android/pushservice/PushManager;", "baidu_push"},
		{"Lcom/baidu/mobstat/StatService;", "baidu_mobstat"},
		{"Lcom/baidu/mobads/AdView;", "baidu_mobads"},
		{"Lcom/alipay/sdk/app/PayTask;", "alipay"},
		{"Lcom/amap/api/location/AMapLocationClient;", "amap"},
		{"Lcom/alipay/mobile/framework/LauncherApplicationAgent;", "alibaba_mpaas"},
		{"Lcom/ta/utdid2/device/UTDevice;", "alibaba_utdid"},
		{"Lcom/huawei/hms/push/HmsMessageService;", "huawei_push"},
		{"Lcom/huawei/hms/analytics/HiAnalytics;", "huawei_analytics"},
		{"Lcom/xiaomi/mipush/sdk/MiPushClient;", "xiaomi_push"},
		{"Lcom/xiaomi/mistatistic/sdk/MiStatInterface;", "xiaomi_mistats"},
		{"Lcom/heytap/msp/push/HeytapPushManager;", "oppo_push"},
		{"Lcom/vivo/push/PushClient;", "vivo_push"},
		{"Lcom/bytedance/sdk/openadsdk/TTAdSdk;", "bytedance_pangle"},
		{"Lcom/kwad/sdk/api/KsAdSDK;", "kuaishou_ads"},
		{"Lcom/sina/weibo/sdk/WbSdk;", "sina_weibo"},
		{"Lcom/netease/nimlib/sdk/NIMClient;", "netease_nim"},
		{"Lcom/iflytek/cloud/SpeechRecognizer;", "iflytek"},
		{"Lcom/sensetime/stmobile/STMobileHumanActionNative;", "sensetime"},
		{"Lcom/megvii/facepp/sdk/Facepp;", "megvii"},
		{"Lcn/sharesdk/framework/ShareSDK;", "mobtech_sharesdk"},
		{"Lcom/tendcloud/tenddata/TCAgent;", "talkingdata"},
		{"Lcom/growingio/android/sdk/collection/GrowingIO;", "growingio"},
		{"Lcom/sensorsdata/analytics/android/sdk/SensorsDataAPI;", "sensors_data"},
	}
	for _, tt := range tests {
		tr, sig := m.MatchClass(tt.class)
		if tr == nil || tr.ID != tt.id {
			got := "<nil>"
			if tr != nil {
				got = tr.ID
			}
			t.Errorf("MatchClass(%s) = %s (%s), want %s", tt.class, got, sig, tt.id)
		}
	}
	t.Logf("checked %d Chinese SDK entry points", len(tests))
}

func testMatcher(t *testing.T) *TrackerMatcher {
	t.Helper()
	m, err := NewTrackerMatcher([]Tracker{
		{ID: "dv", Name: "DV", CodeSignatures: []string{"com.dv"}, NetworkSignatures: []string{"dv-example.net"}},
		{ID: "umeng", Name: "Umeng", CodeSignatures: []string{"com.umeng"}, NetworkSignatures: []string{"umeng.com"}},
		{ID: "umeng_push", Name: "Umeng Push", CodeSignatures: []string{"com.umeng.message"}},
		{ID: "tracker_class", Name: "By class", CodeSignatures: []string{"org.example.Tracker"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The old ad and analytics SDKs bundled in the development corpus's
// malware (issue 12): each class is a real one seen there, and a
// look-alike package next to it is not claimed.
func TestOldSDKs(t *testing.T) {
	m := DefaultTrackerMatcher()
	tests := []struct{ class, id string }{
		{"Lcom/admob/android/ads/AdManager;", "google_admob"},
		{"Lcom/admob/android/adsx/A;", ""},
		{"Lcom/adwhirl/AdWhirlManager;", "adwhirl"},
		{"Lcom/adwhirlx/A;", ""},
		{"Lcom/qwapi/adclient/android/DeviceContext;", "quattro_wireless"},
		{"Lcom/qwapi/other/A;", ""},
		{"Lcom/wooboo/adlib_android/___;", "wooboo"},
		{"Lcom/mobclick/android/MobclickAgent;", "umeng_analytics"},
		{"Lcom/mobclickx/A;", ""},
		{"Lcom/mobclix/android/sdk/MobclixAdView;", "mobclix"},
		{"Lcom/scoreloop/client/android/core/model/Session;", "scoreloop"},
		{"Lio/fabric/sdk/android/Fabric;", "fabric"},
		{"Lio/fabricx/A;", ""},
		{"Lcom/crashlytics/android/Crashlytics;", "google_crashlytics"},
		{"Lcom/jirbo/adcolony/AdColony;", "adcolony"},
		{"Lcom/waps/AppConnect;", "waps"},
		{"Lcom/wapsx/A;", ""},
		{"Lcom/adsmogo/adview/AdsMogoLayout;", "adsmogo"},
		{"Lcom/kuguo/ad/KuguoAdsManager;", "kuguo"},
		{"Lde/madvertise/android/sdk/MadvertiseView;", "madvertise"},
	}
	for _, tt := range tests {
		tr, _ := m.MatchClass(tt.class)
		id := ""
		if tr != nil {
			id = tr.ID
		}
		if id != tt.id {
			t.Errorf("MatchClass(%s) = %q, want %q", tt.class, id, tt.id)
		}
	}
}

func TestMatchClassBoundaries(t *testing.T) {
	m := testMatcher(t)
	tests := []struct{ class, id, sig string }{
		{"com.umeng.Foo", "umeng", "com.umeng"},
		{"Lcom/umeng/Foo;", "umeng", "com.umeng"},
		{"com/umeng/Foo", "umeng", "com.umeng"},
		{"[Lcom/umeng/Foo;", "umeng", "com.umeng"},
		{"com.umeng.message.PushAgent", "umeng_push", "com.umeng.message"}, // longest wins
		{"com.umeng.messagex.A", "umeng", "com.umeng"},
		{"com.umeng", "umeng", "com.umeng"},
		{"com.umengx.Foo", "", ""},
		{"Lcom/umengx/Foo;", "", ""},
		{"com.um", "", ""},
		{"com.dv.adm.Main", "dv", "com.dv"}, // boundary-correct, yet the app's own code: see MatchClassForApp
		{"com.dvx.Main", "", ""},
		{"org.example.Tracker", "tracker_class", "org.example.Tracker"},
		{"org.example.Tracker$1", "", ""},
		{"org.example.TrackerUtil", "", ""},
		{"", "", ""},
		{"L;", "", ""},
	}
	for _, tt := range tests {
		tr, sig := m.MatchClass(tt.class)
		id := ""
		if tr != nil {
			id = tr.ID
		}
		if id != tt.id || sig != tt.sig {
			t.Errorf("MatchClass(%q) = %q, %q; want %q, %q", tt.class, id, sig, tt.id, tt.sig)
		}
	}
}

// In Exodus, the signature "com.dv" claimed the app com.dv.adm (Advanced
// Download Manager) as a tracker. MatchClassForApp refuses that.
func TestMatchClassForAppExodusComDv(t *testing.T) {
	m := testMatcher(t)
	tests := []struct{ class, app, id string }{
		{"Lcom/dv/adm/MainActivity;", "com.dv.adm", ""},
		{"com.dv.adm.pay.Billing", "com.dv.adm", ""},
		{"com.dv.adm", "com.dv.adm", ""},
		{"com.dv.tracker.Agent", "com.dv.adm", "dv"}, // outside the app's namespace
		{"com.dv.adm.Main", "org.other", "dv"},       // another app that bundles com.dv
		{"com.dv.adm.Main", "", "dv"},                // unknown app package
		{"com.umeng.message.A", "com.umeng", "umeng_push"},
		{"com.umeng.Foo", "com.umeng", ""},
		{"com.umeng.Foo", "com.umengapp", "umeng"},
	}
	for _, tt := range tests {
		tr, _ := m.MatchClassForApp(tt.class, tt.app)
		id := ""
		if tr != nil {
			id = tr.ID
		}
		if id != tt.id {
			t.Errorf("MatchClassForApp(%q, %q) = %q, want %q", tt.class, tt.app, id, tt.id)
		}
	}
}

func TestMatchHost(t *testing.T) {
	m := testMatcher(t)
	tests := []struct{ host, id string }{
		{"umeng.com", "umeng"},
		{"alog.umeng.com", "umeng"},
		{"ALOG.Umeng.COM.", "umeng"},
		{"alog.umeng.com:443", "umeng"},
		{"notumeng.com", ""},
		{"umeng.com.evil.net", ""},
		{"umeng.co", ""},
		{"com", ""},
		{"", ""},
		{"[2001:db8::1]", ""},
	}
	for _, tt := range tests {
		tr, _ := m.MatchHost(tt.host)
		id := ""
		if tr != nil {
			id = tr.ID
		}
		if id != tt.id {
			t.Errorf("MatchHost(%q) = %q, want %q", tt.host, id, tt.id)
		}
	}
	tr, sig := DefaultTrackerMatcher().MatchHost("ulogs.umeng.com")
	if tr == nil || tr.ID != "umeng_analytics" || sig != "umeng.com" {
		t.Errorf("default matcher: ulogs.umeng.com = %v %q", tr, sig)
	}
}

func TestNewTrackerMatcherRefusesBadSignatures(t *testing.T) {
	tests := []struct {
		name string
		tr   Tracker
		want string
	}{
		{"short code", Tracker{ID: "a", CodeSignatures: []string{"com"}}, "shorter than 4"},
		{"short host", Tracker{ID: "b", NetworkSignatures: []string{"a.b"}}, "shorter than 4"},
		{"empty segment", Tracker{ID: "c", CodeSignatures: []string{"com..x"}}, "empty package segment"},
		{"trailing dot", Tracker{ID: "d", CodeSignatures: []string{"com.x."}}, "empty package segment"},
		{"regex", Tracker{ID: "e", CodeSignatures: []string{"com.x.*"}}, "not allowed"},
		{"one-label host", Tracker{ID: "f", NetworkSignatures: []string{"localhost"}}, "two labels"},
		{"upper-case host", Tracker{ID: "g", NetworkSignatures: []string{"Umeng.com"}}, "not allowed"},
	}
	for _, tt := range tests {
		_, err := NewTrackerMatcher([]Tracker{tt.tr})
		var se *SignatureError
		if err == nil || !errors.As(err, &se) || se.Tracker != tt.tr.ID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want a SignatureError for %s containing %q", tt.name, err, tt.tr.ID, tt.want)
		}
	}
	m, err := NewTrackerMatcher([]Tracker{
		{ID: "x", CodeSignatures: []string{"com.same"}},
		{ID: "y", CodeSignatures: []string{"com.same"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Conflicts(); len(c) != 1 || !strings.Contains(c[0], "x and y") {
		t.Errorf("Conflicts() = %v", c)
	}
	if tr, _ := m.MatchClass("com.same.A"); tr == nil || tr.ID != "x" {
		t.Errorf("first tracker should keep a shared signature, got %v", tr)
	}
}

func TestLoadETIP(t *testing.T) {
	f, err := os.Open("testdata/etip_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	trs, err := LoadETIP(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(trs) != 4 {
		t.Fatalf("got %d trackers, want 4", len(trs))
	}
	byID := map[string]Tracker{}
	for _, tr := range trs {
		byID[tr.ID] = tr
		if tr.Source != "etip" {
			t.Errorf("%s: source %q", tr.ID, tr.Source)
		}
	}
	um := byID["1"]
	if !slices.Equal(um.CodeSignatures, []string{"com.umeng.analytics", "com.umeng.commonsdk"}) {
		t.Errorf("umeng code signatures %v", um.CodeSignatures)
	}
	if !slices.Equal(um.NetworkSignatures, []string{"umeng.com", "alog.umeng.co", "umengcloud.com"}) {
		t.Errorf("umeng network signatures %v", um.NetworkSignatures)
	}
	if !slices.Equal(um.Categories, []string{"analytics"}) || !slices.Equal(byID["2"].Categories, []string{"advertising"}) ||
		!slices.Equal(byID["3"].Categories, []string{"crash_reporting", "analytics"}) {
		t.Errorf("categories %v %v %v", um.Categories, byID["2"].Categories, byID["3"].Categories)
	}
	if len(byID["2"].NetworkSignatures) != 0 {
		t.Errorf("empty network signature gave %v", byID["2"].NetworkSignatures)
	}
	m, err := NewTrackerMatcher(trs)
	if err != nil {
		t.Fatal(err)
	}
	if tr, _ := m.MatchClass("Lcom/google/android/gms/ads/AdView;"); tr == nil || tr.Name != "Google AdMob" {
		t.Errorf("AdMob not matched: %v", tr)
	}
	if tr, _ := m.MatchClassForApp("Lcom/dv/adm/AEditor;", "com.dv.adm"); tr != nil {
		t.Errorf("com.dv claimed the app com.dv.adm: %v", tr.Name)
	}
	if tr, _ := m.MatchHost("api.jiguang.cn"); tr == nil || tr.Name != "JPush" {
		t.Errorf("jiguang.cn not matched: %v", tr)
	}
}

func TestLoadETIPErrors(t *testing.T) {
	f, err := os.Open("testdata/etip_bad.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	trs, err := LoadETIP(f)
	if err == nil {
		t.Fatal("bad signatures accepted")
	}
	msg := err.Error()
	for _, want := range []string{`tracker 10 (Too Short): signature "io."`, `"a.b"`, `tracker 11 (Regex)`, "a code pattern must start with at least 4 literal characters"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	// The good signatures survive, so a caller may go on.
	if len(trs) != 2 || !slices.Equal(trs[0].CodeSignatures, []string{"com.good.sdk"}) ||
		!slices.Equal(trs[1].NetworkSignatures, []string{"ok-host.com"}) || len(trs[1].CodeSignatures) != 0 {
		t.Errorf("partial result %+v", trs)
	}
	for _, bad := range []string{``, `{`, `[]`, `{"trackers": 5}`, `{"other": {}}`, `{"trackers": {"1": {"categories": 7}}}`} {
		if _, err := LoadETIP(strings.NewReader(bad)); err == nil {
			t.Errorf("LoadETIP(%q) succeeded", bad)
		}
	}
}
