package app_test

import (
	"context"
	"crypto"
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

// An entry an analysis read whole through Part.ReadFileSniff is hashed
// then, and the v1 check compares that digest rather than inflating the
// entry again: a changed kept digest shows in the check, an intact one
// verifies.
func TestV1DigestsReadKeptDigests(t *testing.T) {
	ctx := context.Background()
	path := corpus.File(t, "/usr/share/doc/androguard/examples/signing/apksig/golden-legacy-aligned-v1-out.apk")
	const entry = "lib/armeabi/fake.so"
	for _, tamper := range []bool{false, true} {
		a, err := app.Open(ctx, path, app.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		p := a.Base()
		e := p.Zip.Lookup(entry)
		if e == nil {
			t.Fatalf("setup: no %s", entry)
		}
		data, whole, err := p.ReadFileSniff(e, 8192, func([]byte) bool { return true })
		if err != nil || !whole || len(data) != 6 {
			t.Fatalf("ReadFileSniff: %d bytes, whole %v, %v", len(data), whole, err)
		}
		sum := app.EntryDigest(a, entry, crypto.SHA256)
		if len(sum) != 32 {
			t.Fatalf("kept SHA-256 of %s is %x, want one (the manifest names SHA-256 digests)", entry, sum)
		}
		if tamper {
			sum[0] ^= 0xff
		}
		s := p.Signatures()
		if got := s.Verified(apksig.SchemeV1); got == tamper {
			t.Errorf("tampered %v: v1 verified %v (problems %v)", tamper, got, s.Problems)
		}
		if tamper {
			found := false
			for _, sg := range s.Signers {
				for _, pr := range sg.Problems {
					found = found || strings.Contains(pr, entry)
				}
			}
			if !found {
				t.Errorf("no signer problem names %s: %+v", entry, s.Signers)
			}
		}
		a.Close()
	}
}
