package app

import (
	"context"
	"slices"
	"testing"

	"appxray/internal/corpus"
)

// TestStartDex checks that a load started early gives Dex what it would
// have loaded itself, in load order (the largest file is inflated first,
// not listed first), and that Close waits for a load nobody waited for.
func TestStartDex(t *testing.T) {
	path := corpus.File(t, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	ctx := context.Background()
	names := func(early bool) []string {
		a, err := Open(ctx, path, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if early {
			a.StartDex(ctx)
		}
		var out []string
		for _, d := range a.Dex(ctx) {
			out = append(out, d.Location)
		}
		return out
	}
	plain, early := names(false), names(true)
	if len(plain) != 16 || plain[0] != "classes.dex" || plain[1] != "classes2.dex" || plain[15] != "classes16.dex" {
		t.Fatalf("Dex lists %v, want classes.dex … classes16.dex in load order", plain)
	}
	if !slices.Equal(plain, early) {
		t.Errorf("after StartDex, Dex lists %v, want %v", early, plain)
	}

	a, err := Open(ctx, path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	a.StartDex(ctx)
	a.Close()
	if got := a.pages.Mapped(); got != 0 {
		t.Errorf("%d bytes mapped after Close of an app whose load was never waited for", got)
	}
}
