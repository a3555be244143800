package app_test

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"appxray/app"
)

// withAsset is the demo app carrying payload under an image's name.
func withAsset(t *testing.T, name string, payload []byte) []byte {
	t.Helper()
	return rezip(t, demo(t), map[string][]byte{name: payload})
}

// TestEmbedDepthBound: payloads inside payloads are opened to
// maxEmbedDepth (2) levels. The demo app carrying itself under
// assets/a.jpg, which carries itself under assets/b.jpg, is read whole;
// one level more (assets/c.jpg inside that) is an error naming the
// payload, and everything above it is still read: the app's manifest, the
// two embedded APKs as parts and the DEX files of all three.
func TestEmbedDepthBound(t *testing.T) {
	level2 := withAsset(t, "assets/b.jpg", demo(t))
	level3 := withAsset(t, "assets/b.jpg", withAsset(t, "assets/c.jpg", demo(t)))
	for _, tc := range []struct {
		name    string
		data    []byte
		wantErr string // Where of the one error, "" for none
	}{
		{"at the bound", withAsset(t, "assets/a.jpg", level2), ""},
		{"one level over", withAsset(t, "assets/a.jpg", level3), "assets/a.jpg!assets/b.jpg!assets/c.jpg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := app.OpenBytes(context.Background(), "nested.apk", tc.data, app.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, p := range a.Parts {
				parts = append(parts, p.Name)
			}
			if want := []string{"", "assets/a.jpg", "assets/a.jpg!assets/b.jpg"}; !slices.Equal(parts, want) {
				t.Errorf("parts = %q, want %q", parts, want)
			}
			var locs []string
			for _, em := range a.Embedded() {
				locs = append(locs, em.Location)
			}
			if want := []string{"assets/a.jpg", "assets/a.jpg!assets/b.jpg"}; !slices.Equal(locs, want) {
				t.Errorf("embedded = %q, want %q", locs, want)
			}
			if info := a.Info(); info == nil || info.Package != "org.appxray.demo.ijop" {
				t.Errorf("base manifest lost: %+v", info)
			}
			var dexs []string
			for _, d := range a.Dex(context.Background()) {
				dexs = append(dexs, d.Location)
			}
			if want := []string{"classes.dex", "assets/a.jpg!classes.dex", "assets/a.jpg!assets/b.jpg!classes.dex"}; !slices.Equal(dexs, want) {
				t.Errorf("DEX files = %q, want %q", dexs, want)
			}
			errs := a.Errors()
			switch {
			case tc.wantErr == "" && len(errs) != 0:
				t.Errorf("errors = %v", errs)
			case tc.wantErr != "" && (len(errs) != 1 || errs[0].Where != tc.wantErr || errs[0].Err.Error() != "a payload nested more than 2 deep: not opened"):
				t.Errorf("errors = %v, want one at %s: a payload nested more than 2 deep: not opened", errs, tc.wantErr)
			}
		})
	}
}

// splitSet zips entries (name, data pairs) into a split set.
func splitSet(entries ...any) []byte {
	var buf bytes.Buffer
	zw := zipWriter(&buf)
	for i := 0; i < len(entries); i += 2 {
		zw.add(entries[i].(string), entries[i+1].([]byte))
	}
	zw.close()
	return buf.Bytes()
}

// TestSplitDepthBound: split sets inside split sets are opened to
// maxSplitDepth (2) levels: a set holding inner.apks (a set of one split)
// is read whole; a third level (deeper.apks inside inner.apks) is an
// error naming it, and the base and the splits above it are still read.
func TestSplitDepthBound(t *testing.T) {
	x, y, z := splitPart(t, "cfg.x"), splitPart(t, "cfg.y"), splitPart(t, "cfg.z")
	for _, tc := range []struct {
		name    string
		data    []byte
		parts   []string
		wantErr string
	}{
		{"at the bound", splitSet("base.apk", demo(t), "inner.apks", splitSet("split_config.x.apk", x)),
			[]string{"base.apk", "inner.apks!split_config.x.apk"}, ""},
		{"one level over", splitSet("base.apk", demo(t), "inner.apks",
			splitSet("split_config.x.apk", x, "deeper.apks", splitSet("split_config.y.apk", y)), "split_config.z.apk", z),
			[]string{"base.apk", "inner.apks!split_config.x.apk", "split_config.z.apk"}, "inner.apks!deeper.apks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := app.OpenBytes(context.Background(), "set.apks", tc.data, app.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, p := range a.Parts {
				parts = append(parts, p.Name)
				if p.Manifest() == nil {
					t.Errorf("%s: manifest not read", p.Name)
				}
			}
			if a.Kind != app.KindSplitSet || !slices.Equal(parts, tc.parts) {
				t.Errorf("kind %s, parts %q; want split-set, %q", a.Kind, parts, tc.parts)
			}
			if info := a.Info(); info == nil || info.Package != "org.appxray.demo.ijop" {
				t.Errorf("base manifest lost: %+v", info)
			}
			if n := len(a.Dex(context.Background())); n != len(tc.parts) {
				t.Errorf("%d DEX files, want one per part (%d)", n, len(tc.parts))
			}
			errs := a.Errors()
			switch {
			case tc.wantErr == "" && len(errs) != 0:
				t.Errorf("errors = %v", errs)
			case tc.wantErr != "" && (len(errs) != 1 || errs[0].Where != tc.wantErr || errs[0].Err.Error() != "split set nested more than 2 deep: not opened"):
				t.Errorf("errors = %v, want one at %s: split set nested more than 2 deep: not opened", errs, tc.wantErr)
			}
		})
	}
}
