package app

import (
	"context"
	"testing"

	"appxray/internal/corpus"
	"appxray/internal/pages"
)

// TestDexBytesOffHeap checks that the DEX files Dex loads keep their
// bytes in the app's pool, as long as the app is open, and no longer.
func TestDexBytesOffHeap(t *testing.T) {
	path := corpus.File(t, ".corpus/npm/appium-uiautomator2-server/package/apks/appium-uiautomator2-server-v10.6.6.apk")
	ctx := context.Background()
	a, err := Open(ctx, path, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	var names []string
	for _, d := range a.Dex(ctx) {
		if d.Size >= pages.MinSize {
			want += d.Size
			names = append(names, d.Location)
		}
	}
	if len(names) < 2 || names[0] != "classes.dex" { // classes.dex and classes16.dex at least
		t.Fatalf("DEX files of at least %d bytes: %v", pages.MinSize, names)
	}
	if got := a.pages.Mapped(); got < want || got > want+len(names)*4096 {
		t.Errorf("%d bytes mapped for DEX files of %d bytes", got, want)
	}
	// Every walk of the files still reads them.
	for _, d := range a.Dex(ctx) {
		if _, err := d.File.ClassDef(int(d.File.Header.ClassDefsSize) - 1); err != nil {
			t.Errorf("%s: %v", d.Location, err)
		}
	}
	a.Close()
	if got := a.pages.Mapped(); got != 0 {
		t.Errorf("%d bytes mapped after Close", got)
	}
}
