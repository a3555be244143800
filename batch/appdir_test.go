package batch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"appxray/internal/iosapp"
	"appxray/internal/schematest"
	"appxray/internal/testapp"
)

// demoApp is the demo iOS app's files (each build is signed anew).
func demoApp(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := iosapp.DemoFiles(false)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// writeApp writes an iOS app unzipped under dir (dir/Tracker.app).
func writeApp(t *testing.T, dir string, files map[string][]byte) string {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "Payload/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "Tracker.app")
}

// TestWalkAppDirectories: a batch walks into directories, but an unzipped
// iOS app (Name.app with its Info.plist) is one app, not walked into; a
// directory with an Info.plist that is not named .app is walked as any.
func TestWalkAppDirectories(t *testing.T) {
	in := t.TempDir()
	demo, err := os.ReadFile(testapp.DemoPath())
	if err != nil {
		t.Fatal(err)
	}
	app := writeApp(t, filepath.Join(in, "unzipped", "Payload"), demoApp(t))
	// An APK inside the .app is the app's file, not another app.
	os.WriteFile(filepath.Join(app, "inner.apk"), demo, 0o644)
	plain := filepath.Join(in, "plain")
	os.MkdirAll(plain, 0o755)
	os.WriteFile(filepath.Join(plain, "Info.plist"), []byte("<plist/>"), 0o644)
	os.WriteFile(filepath.Join(plain, "demo.apk"), demo, 0o644)
	// A directory named .app without an Info.plist is no app.
	os.MkdirAll(filepath.Join(in, "Empty.app"), 0o755)
	os.WriteFile(filepath.Join(in, "Empty.app", "other.apk"), demo, 0o644)

	files, errs := Walk([]string{in})
	want := []string{filepath.Join(in, "Empty.app", "other.apk"), filepath.Join(plain, "demo.apk"), app}
	if !slices.Equal(files, want) || len(errs) != 0 {
		t.Errorf("walk: %q (errors %+v), want %q", files, errs, want)
	}
	// The .app directory named itself is one app too.
	if files, _ := Walk([]string{app}); !slices.Equal(files, []string{app}) {
		t.Errorf("walk of the app itself: %q", files)
	}
}

// TestBatchAppDirectory: an .app directory is scanned as one app, its
// report named by the digest of its files (a directory has no SHA-256 of
// its own), which a rerun skips; the same app unzipped elsewhere has the
// same digest, and a changed file changes it.
func TestBatchAppDirectory(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	files := demoApp(t)
	a := writeApp(t, filepath.Join(in, "one"), files)
	b := writeApp(t, filepath.Join(in, "two"), files)
	sum, err := Run(context.Background(), Options{Out: out, Jobs: 1}, []string{filepath.Join(in, "one")})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 1 || sum.Scanned != 1 || sum.Failed != 0 {
		t.Fatalf("summary %+v", sum)
	}
	rows := readRows(t, out)
	r := rows[0]
	if r.File != a || r.Status != StatusScanned || r.Package != iosapp.DemoBundleID || len(r.SHA256) != 64 || r.Report != r.SHA256+".json" {
		t.Fatalf("row %+v", r)
	}
	rep, err := os.ReadFile(filepath.Join(out, r.Report))
	if err != nil {
		t.Fatal(err)
	}
	schematest.Report(t, "app directory report", rep)
	if !strings.Contains(string(rep), `"kind": "app-directory"`) {
		t.Error("the report is not of an app directory")
	}
	dig, err := dirDigest(b)
	if err != nil || dig != r.SHA256 {
		t.Errorf("the same app elsewhere: digest %s (%v), want %s", dig, err, r.SHA256)
	}
	sum, err = Run(context.Background(), Options{Out: out, Jobs: 1}, []string{b})
	if err != nil || sum.Skipped != 1 || sum.Scanned != 0 {
		t.Errorf("the same app elsewhere: %+v, %v; want it skipped", sum, err)
	}
	if err := os.WriteFile(filepath.Join(b, "Info.plist.bak"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if dig2, _ := dirDigest(b); dig2 == dig {
		t.Error("a file added leaves the digest unchanged")
	}
}
