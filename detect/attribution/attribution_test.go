package attribution

import "testing"

func TestNamespace(t *testing.T) {
	for desc, want := range map[string]string{
		"Lcom/foo/bar/Baz;":               "com.foo",
		"Lcom/foo/Baz;":                   "com.foo",
		"Lcom/google/zxing/Reader;":       "com.google.zxing",
		"Lcom/android/main/MainService;":  "com.android.main",
		"Lcom/android/X;":                 "com.android",
		"LHamsterSuper/Client/Game/Main;": "HamsterSuper.Client",
		"Ldk;":                            "", // no package: obfuscated
		"La/b/c;":                         "", // one-letter packages: obfuscated
		"Lcom/a/a/g;":                     "com.a",
	} {
		if got := Namespace(desc); got != want {
			t.Errorf("Namespace(%s) = %q, want %q", desc, got, want)
		}
	}
}

// Code outside the app's namespaces that no table names is third-party
// once the owners are settled; the app's package, its own namespaces and
// the tables' libraries keep their names.
func TestThirdPartyCode(t *testing.T) {
	a := New("org.merry.core", nil)
	if got := a.SDK("Lcom/xbot/core/RunService;"); got != "" {
		t.Errorf("before the owners are settled: %q, want the app's", got)
	}
	a.SetOwners(func(ns string) bool { return ns == "org.merry" || ns == "com.android.main" })
	for class, want := range map[string]string{
		"Lorg/merry/core/RunService;":         "",
		"Lcom/android/main/MainService;":      "",
		"Lcom/xbot/core/RunService;":          "third-party code (com.xbot)",
		"Lorg/luckybird/core/xAPI;":           "third-party code (org.luckybird)",
		"Lorg/mozilla/javascript/Parser;":     "Rhino (Mozilla JavaScript engine)",
		"Lcom/umeng/analytics/MobclickAgent;": "Umeng Analytics (友盟统计)",
		"Ldk;":                                "", // obfuscated: cannot be told
	} {
		if got := a.SDK(class); got != want {
			t.Errorf("SDK(%s) = %q, want %q", class, got, want)
		}
	}
}
