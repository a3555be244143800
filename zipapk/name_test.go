package zipapk

import "testing"

// FuzzHostileName: the fast path for plain names never hides a reason the
// full check gives.
func FuzzHostileName(f *testing.F) {
	for _, s := range []string{
		"classes.dex", "res/layout/main.xml", "assets/dir/ok..txt", "../../data/evil.so", "/system/bin/sh",
		"C:evil.dll", `assets\..\x`, "classes.dex\x00.txt", "bad\xff\xfename", "line\rbreak", "", "a:b", "x/\x7f",
		"META-INF/MANIFEST.MF", "lib/arm64-v8a/libfoo.so", "ü.txt", "a/../b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if full, _ := hostileNameWhy(name); plainName(name) && full != "" {
			t.Fatalf("%q taken as plain, but %s", name, full)
		}
	})
}
