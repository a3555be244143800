package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/app"
	"appxray/internal/iosapp"
)

// An IPA is told by its content whatever its name, and an unzipped .app
// directory opens as the same app; neither has Android parts.
func TestIOSInputs(t *testing.T) {
	ctx := context.Background()
	files, err := iosapp.DemoFiles(false)
	if err != nil {
		t.Fatal(err)
	}
	ipa, err := iosapp.IPA(files)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.OpenBytes(ctx, "upload.zip", ipa, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != app.KindIPA || a.IOS == nil || a.IOS.Bundle.ID != iosapp.DemoBundleID || a.IOS.Root != iosapp.DemoRoot || len(a.SHA256()) != 64 {
		t.Fatalf("IPA opens as %q (%+v)", a.Kind, a.IOS)
	}
	if len(a.Parts) != 0 || a.Manifest() != nil || a.Info() != nil || len(a.Dex(ctx)) != 0 {
		t.Error("an iOS app has Android parts")
	}

	dir := t.TempDir()
	var size int64
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(name, "Payload/")))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		size += int64(len(data))
	}
	appDir := filepath.Join(dir, "Tracker.app")
	if !app.IsAppDir(appDir) || app.IsAppDir(dir) {
		t.Errorf("IsAppDir: %s %v, %s %v", appDir, app.IsAppDir(appDir), dir, app.IsAppDir(dir))
	}
	d, err := app.Open(ctx, appDir, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Kind != app.KindAppDir || d.IOS.Bundle.ID != iosapp.DemoBundleID || d.IOS.Root != "Tracker.app/" || d.Size != size || d.SHA256() != "" {
		t.Errorf("directory opens as %q, root %q, size %d of %d, sha256 %q", d.Kind, d.IOS.Root, d.Size, size, d.SHA256())
	}
	if len(d.IOS.Nibs) != len(a.IOS.Nibs) || d.IOS.Profile == nil || len(d.IOS.Frameworks) != len(a.IOS.Frameworks) {
		t.Error("the directory reads unlike the IPA")
	}

	// A directory that is no app bundle is refused, with what to do.
	if _, err := app.Open(ctx, dir, app.DefaultOptions()); err == nil || !strings.Contains(err.Error(), "batch mode") {
		t.Errorf("a plain directory: %v", err)
	}
	// An Info.plist that is a link does not make an app bundle: links are
	// never followed.
	link := filepath.Join(dir, "Link.app")
	if err := os.MkdirAll(link, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(appDir, "Info.plist"), filepath.Join(link, "Info.plist")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if app.IsAppDir(link) {
		t.Error("a linked Info.plist makes an app bundle")
	}
}
