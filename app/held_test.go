package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"appxray/apksig"
	"appxray/app"
	"appxray/internal/corpus"
)

// A v1-only APK's entry digests are checked against the DEX bytes Dex
// loaded, not a second inflation: a byte changed in the held copy shows
// in the check, and a fresh open (nothing held) still verifies.
func TestV1DigestsReadHeldDex(t *testing.T) {
	ctx := context.Background()
	path := corpus.File(t, "/usr/share/doc/androguard/examples/signing/apksig/golden-legacy-aligned-v1-out.apk")

	fresh, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if !fresh.Base().DigestsEntries() {
		t.Fatal("a v1-only APK: DigestsEntries is false")
	}
	if s := fresh.Base().Signatures(); !s.Verified(apksig.SchemeV1) {
		t.Fatalf("v1 not verified with nothing held: %v", s.Problems)
	}

	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if len(a.Dex(ctx)) != 1 {
		t.Fatal("setup: want one DEX file")
	}
	held := app.HeldDex(a, "classes.dex")
	if len(held) != 1536 {
		t.Fatalf("held classes.dex is %d bytes, want the 1536 it inflates to", len(held))
	}
	held[len(held)-1] ^= 0xff
	s := a.Base().Signatures()
	if s.Verified(apksig.SchemeV1) {
		t.Fatal("v1 verified although the held classes.dex was changed: the check inflated the entry again")
	}
	found := false
	for _, sg := range s.Signers {
		for _, p := range sg.Problems {
			found = found || strings.Contains(p, "classes.dex")
		}
	}
	if !found {
		t.Errorf("no signer problem names classes.dex: %+v", s.Signers)
	}
}

// Android checks the v1 digests of an APK with a v2 or v3 block only when
// asked: DigestsEntries says so.
func TestDigestsEntriesWithSigningBlock(t *testing.T) {
	path := filepath.Join(corpus.Root(), "zipapk", "testdata", "golden-aligned-v1v2v3-out.apk")
	a, err := app.Open(context.Background(), corpus.File(t, path), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Base().DigestsEntries() {
		t.Error("an APK with an APK Signing Block: DigestsEntries is true")
	}
}
