package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/app"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

func demo(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus.Root(), "testdata", "demo-ijop.apk"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rezip copies a ZIP, replacing (or adding) entries; a nil value drops the
// entry.
func rezip(t *testing.T, src []byte, replace map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	add := map[string][]byte{}
	for name, data := range replace {
		if data != nil {
			add[name] = data
		}
	}
	for _, f := range zr.File {
		delete(add, f.Name)
	}
	return testapp.Zip(t, src, func(entry string, data []byte) []byte {
		if r, ok := replace[entry]; ok {
			return r
		}
		return data
	}, add, zip.Deflate)
}

// TestBrokenDexKeepsManifest: a DEX file that cannot be parsed is an error
// naming it, and the manifest, resources and signers are still read.
func TestBrokenDexKeepsManifest(t *testing.T) {
	data := rezip(t, demo(t), map[string][]byte{"classes.dex": []byte("dex\n035\x00 truncated")})
	a, err := app.OpenBytes(context.Background(), "broken.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Dex(context.Background()); len(got) != 0 {
		t.Errorf("broken DEX parsed: %v", got)
	}
	info := a.Info()
	if info == nil || info.Package != "org.appxray.demo.ijop" || info.Labels["zh-CN"] == "" {
		t.Fatalf("manifest lost: %+v", info)
	}
	errs := a.Errors()
	if len(errs) != 1 || errs[0].Where != "classes.dex" || !strings.Contains(errs[0].Error(), "dex") {
		t.Errorf("errors = %v", errs)
	}
}

// TestBrokenManifestKeepsDex: the other way round.
func TestBrokenManifestKeepsDex(t *testing.T) {
	data := rezip(t, demo(t), map[string][]byte{"AndroidManifest.xml": {3, 0, 8, 0, 0xff, 0xff}})
	a, err := app.OpenBytes(context.Background(), "broken.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Dex(context.Background())) != 1 {
		t.Errorf("DEX lost")
	}
	if a.Info() != nil {
		t.Errorf("garbage manifest decoded")
	}
	if errs := a.Errors(); len(errs) == 0 || errs[0].Where != "AndroidManifest.xml" {
		t.Errorf("errors = %v", errs)
	}
}

// TestSplitSet builds an .apks (a ZIP of APKs) holding the demo as the base
// and a split APK, and checks that they are read as one app, base first.
func TestSplitSet(t *testing.T) {
	base := demo(t)
	split := rezip(t, base, map[string][]byte{})
	// A split is an APK whose manifest names a split; lacking a second real
	// app, a copy without a manifest stands in for a code-only split.
	split = stripEntry(t, split, "AndroidManifest.xml")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range map[string][]byte{"splits/split_config.arm64_v8a.apk": split, "splits/base-master.apk": base, "toc.pb": []byte("x")} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	a, err := app.OpenBytes(context.Background(), "set.apks", buf.Bytes(), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindSplitSet || len(a.Parts) != 2 || a.Parts[0].Name != "splits/base-master.apk" {
		t.Fatalf("kind %s, parts %d, first %q", a.Kind, len(a.Parts), a.Parts[0].Name)
	}
	if info := a.Info(); info == nil || info.Package != "org.appxray.demo.ijop" {
		t.Errorf("base manifest not used: %+v", info)
	}
	var locs []string
	for _, d := range a.Dex(context.Background()) {
		locs = append(locs, d.Location)
	}
	if strings.Join(locs, ",") != "splits/base-master.apk!classes.dex,splits/split_config.arm64_v8a.apk!classes.dex" {
		t.Errorf("dex locations = %v", locs)
	}
}

// stripEntry copies a ZIP without one entry.
func stripEntry(t *testing.T, src []byte, name string) []byte {
	t.Helper()
	return rezip(t, src, map[string][]byte{name: nil})
}

// TestInputKinds opens a bare DEX and a JAR holding classes.dex from the
// corpus, and refuses a ZIP with nothing Android in it.
func TestInputKinds(t *testing.T) {
	ctx := context.Background()
	dexes := corpus.DEXes(t)
	a, err := app.Open(ctx, dexes[0], app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindDEX || len(a.Dex(ctx)) != 1 || a.Info() != nil {
		t.Errorf("%s: kind %s", dexes[0], a.Kind)
	}
	a.Close()

	jar := stripEntry(t, demo(t), "AndroidManifest.xml")
	a, err = app.OpenBytes(ctx, "lib.jar", jar, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindJAR || len(a.Dex(ctx)) != 1 {
		t.Errorf("jar: kind %s", a.Kind)
	}

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("readme.txt")
	w.Write([]byte("hello"))
	zw.Close()
	if _, err := app.OpenBytes(ctx, "plain.zip", buf.Bytes(), app.DefaultOptions()); err == nil || !strings.Contains(err.Error(), "neither AndroidManifest.xml") {
		t.Errorf("plain zip: %v", err)
	}
	if _, err := app.OpenBytes(ctx, "junk", []byte("not a zip at all, not a dex"), app.DefaultOptions()); err == nil {
		t.Errorf("junk accepted")
	}
}

// TestMultidexOrder: the DEX files app reads are the ones dexdump
// counts, in load order, for the multidex corpus app.
func TestMultidexOrder(t *testing.T) {
	path := corpus.File(t, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	a, err := app.Open(context.Background(), path, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ds := a.Dex(context.Background())
	if len(ds) != 16 {
		t.Fatalf("%d DEX files, want 16", len(ds))
	}
	for i, d := range ds {
		want := "classes.dex"
		if i > 0 {
			want = "classes" + itoa(int64(i+1)) + ".dex"
		}
		if d.Location != want {
			t.Errorf("dex %d is %s, want %s", i, d.Location, want)
		}
	}
}

// TestWorkers opens the same inputs hashed beside the opening (Workers 0)
// and in sequence (Workers 1): the same SHA-256, kind, parts and DEX files;
// a cancelled open returns the context's error either way.
func TestWorkers(t *testing.T) {
	data := demo(t)
	sum := sha256.Sum256(data)
	for _, w := range []int{0, 1, 2} {
		opt := app.DefaultOptions()
		opt.Workers = w
		a, err := app.OpenBytes(context.Background(), "demo.apk", data, opt)
		if err != nil {
			t.Fatal(err)
		}
		if a.SHA256() != hex.EncodeToString(sum[:]) || a.Kind != app.KindAPK || len(a.Parts) != 1 || len(a.Dex(context.Background())) == 0 {
			t.Errorf("workers %d: sha256 %s, kind %s, %d parts", w, a.SHA256(), a.Kind, len(a.Parts))
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := app.OpenBytes(ctx, "demo.apk", data, opt); !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: cancelled open: %v", w, err)
		}
		if _, err := app.OpenBytes(context.Background(), "x.apk", []byte("not a zip file at all"), opt); err == nil {
			t.Errorf("workers %d: a file that is no app opened", w)
		}
	}
}

// A service is an accessibility service by its permission or its action;
// no other kind of component is.
func TestAccessibilityService(t *testing.T) {
	action := []app.IntentFilter{{Actions: []string{app.ActionAccessibilityService}}}
	for _, c := range []struct {
		c    app.Component
		want bool
	}{
		{app.Component{Kind: "service", Permission: "android.permission.BIND_ACCESSIBILITY_SERVICE"}, true},
		{app.Component{Kind: "service", IntentFilters: action}, true},
		{app.Component{Kind: "service", Name: "p.S"}, false},
		{app.Component{Kind: "activity", IntentFilters: action}, false},
	} {
		if got := c.c.AccessibilityService(); got != c.want {
			t.Errorf("%+v: %v", c.c, got)
		}
	}
}
