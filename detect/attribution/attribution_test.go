package attribution

import (
	"strings"
	"testing"
)

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

// namespaceBySplit is Namespace as first written, splitting the dotted
// name: the reference the allocation-free one is checked against.
func namespaceBySplit(desc string) string {
	d := Dotted(desc)
	i := strings.LastIndexByte(d, '.')
	if i < 0 {
		return ""
	}
	segs := strings.Split(d[:i], ".")
	short := true
	for _, s := range segs {
		if len(s) > 2 {
			short = false
		}
	}
	if short {
		return ""
	}
	n := min(2, len(segs))
	if n == 2 && genericRoots[segs[0]+"."+segs[1]] && len(segs) > 2 {
		n = 3
	}
	return strings.Join(segs[:n], ".")
}

func TestNamespaceAsSplit(t *testing.T) {
	descs := []string{
		"Lcom/foo/bar/Baz;", "Lcom/google/zxing/Result;", "Lcom/google/Foo;", "La/b/C;", "LFoo;", "Foo",
		"Lcom/Foo;", "Lorg/apache/http/client/HttpClient;", "Lab/cd/ef/G;", "Labc;", "L;", "", "Lcom//x/Y;",
		"Lcom.foo.bar.Baz;", "Lcom/google.zxing/R;", "Landroid/support/v4/app/Fragment;", "L/a/b;", "Lcom/google/;",
		"[Lcom/foo/bar/Baz;", "Lio/github/x/y/Z;", "Lcom/example/z;", "Lx/yyy/z/W;", "Lcom/googlex/y/Z;",
	}
	for _, d := range descs {
		if got, want := Namespace(d), namespaceBySplit(d); got != want {
			t.Errorf("Namespace(%q) = %q, want %q", d, got, want)
		}
	}
}

func FuzzNamespace(f *testing.F) {
	f.Add("Lcom/google/zxing/Result;")
	f.Add("Lcom.foo/bar.b/C;")
	f.Fuzz(func(t *testing.T, d string) {
		if got, want := Namespace(d), namespaceBySplit(d); got != want {
			t.Errorf("Namespace(%q) = %q, want %q", d, got, want)
		}
	})
}
