package aab

import (
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func config(version string, typ uint64) []byte {
	var tool []byte
	tool = protowire.AppendTag(tool, 2, protowire.BytesType)
	tool = protowire.AppendString(tool, version)
	var b []byte
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, tool)
	b = protowire.AppendTag(b, 8, protowire.VarintType)
	return protowire.AppendVarint(b, typ)
}

func TestBundleConfig(t *testing.T) {
	c, err := ParseBundleConfig(config("1.15.6", TypeAssetOnly))
	if err != nil || c.BundletoolVersion != "1.15.6" || c.Type != TypeAssetOnly {
		t.Errorf("config %+v, %v", c, err)
	}
	if c, err := ParseBundleConfig(nil); err != nil || c.BundletoolVersion != "" {
		t.Errorf("empty config %+v, %v", c, err)
	}
	bad := config("1.15.6", 0)
	if _, err := ParseBundleConfig(bad[:5]); err == nil {
		t.Error("truncated config read")
	} else {
		var fe *FormatError
		if !errors.As(err, &fe) || fe.Offset < 0 {
			t.Errorf("error %v", err)
		}
	}
}

func TestLayout(t *testing.T) {
	names := []string{
		"BundleConfig.pb",
		"BUNDLE-METADATA/com.android.tools.build.obfuscation/proguard.map",
		"META-INF/MANIFEST.MF",
		"base/manifest/AndroidManifest.xml",
		"base/resources.pb",
		"base/dex/classes10.dex",
		"base/dex/classes2.dex",
		"base/dex/classes.dex",
		"base/res/layout/main.xml",
		"base/assets/www/index.html",
		"base/assets.pb",
		"base/lib/arm64-v8a/libfoo.so",
		"base/root/kotlin/collections.kotlin_builtins",
		"base/",
		"camera/manifest/AndroidManifest.xml",
		"camera/dex/classes.dex",
		"camera/res/layout/scan.xml",
		"camera/native.pb",
		"notamodule/readme.txt",
	}
	l, err := ReadLayout(names, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Modules) != 2 || l.Modules[0].Name != "base" || l.Modules[1].Name != "camera" || l.Base() != l.Modules[0] {
		t.Fatalf("modules %+v", l.Modules)
	}
	b := l.Base()
	if b.Manifest != "base/manifest/AndroidManifest.xml" || b.Resources != "base/resources.pb" {
		t.Errorf("base %+v", b)
	}
	if !slices.Equal(b.Dex, []string{"base/dex/classes.dex", "base/dex/classes2.dex", "base/dex/classes10.dex"}) {
		t.Errorf("dex order %q", b.Dex)
	}
	if !slices.Equal(l.Metadata, []string{"BUNDLE-METADATA/com.android.tools.build.obfuscation/proguard.map"}) || !slices.Equal(l.Other, []string{"META-INF/MANIFEST.MF", "notamodule/readme.txt"}) {
		t.Errorf("metadata %q other %q", l.Metadata, l.Other)
	}
	apk := []struct {
		entry, want string
		ok          bool
	}{
		{"base/manifest/AndroidManifest.xml", "AndroidManifest.xml", true},
		{"base/dex/classes2.dex", "classes2.dex", true},
		{"base/res/layout/main.xml", "res/layout/main.xml", true},
		{"base/assets/www/index.html", "assets/www/index.html", true},
		{"base/lib/arm64-v8a/libfoo.so", "lib/arm64-v8a/libfoo.so", true},
		{"base/root/kotlin/collections.kotlin_builtins", "kotlin/collections.kotlin_builtins", true},
		{"base/resources.pb", "resources.pb", true},
		{"base/assets.pb", "", false},
		{"camera/res/layout/scan.xml", "", false}, // another module's
		{"base/unknown/x", "", false},
	}
	for _, tc := range apk {
		got, ok := b.APKPath(tc.entry)
		if got != tc.want || ok != tc.ok {
			t.Errorf("APKPath(%s) = %q %v, want %q %v", tc.entry, got, ok, tc.want, tc.ok)
		}
	}
	if _, err := ReadLayout([]string{"BundleConfig.pb", "base/dex/classes.dex"}, Limits{}); !errors.Is(err, ErrNotBundle) {
		t.Errorf("no manifest: %v", err)
	}
	many := []string{"BundleConfig.pb", "base/manifest/AndroidManifest.xml", "a/manifest/AndroidManifest.xml", "b/manifest/AndroidManifest.xml"}
	if _, err := ReadLayout(many, Limits{MaxModules: 2}); !errors.Is(err, ErrLimit) {
		t.Errorf("module limit: %v", err)
	}
}

func FuzzBundleConfig(f *testing.F) {
	f.Add(config("1.15.6", 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = ParseBundleConfig(data)
	})
}
