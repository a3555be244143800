package app_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/app"
	"appxray/axml"
	"appxray/internal/corpus"
)

// FuzzReadInfo reads mutated manifests by PackageManager's rules. Beyond not
// panicking: no permission, component or package name is ever a
// placeholder for a string that could not be read, and everything noted as
// unreadable or hidden points inside the document.
func FuzzReadInfo(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(corpus.Root(), "testdata", "demo-ijop.apk"))
	if err != nil {
		f.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range zr.File {
		if e.Name == "AndroidManifest.xml" {
			rc, _ := e.Open()
			m, _ := io.ReadAll(rc)
			rc.Close()
			f.Add(m)
		}
	}
	seeds, _ := filepath.Glob(filepath.Join(corpus.Root(), "axml", "testdata", "seeds", "*manifest*.xml"))
	for _, s := range seeds {
		if m, err := os.ReadFile(s); err == nil {
			f.Add(m)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := axml.DefaultLimits()
		lim.MaxDepth = 64
		doc, err := axml.Parse(data, lim)
		if err != nil {
			return
		}
		info := app.ReadInfo(doc, nil)
		names := append([]string{info.Package, info.Split}, info.Permissions...)
		for _, c := range info.Components {
			names = append(names, c.Name)
		}
		for _, p := range info.DeclaredPermissions {
			names = append(names, p.Name)
		}
		for _, n := range names {
			if strings.Contains(n, "(string #") {
				t.Fatalf("placeholder %q in the manifest facts", n)
			}
		}
		for _, u := range info.Unreadable {
			if u.Offset < 0 || u.Offset >= int64(len(data)) {
				t.Fatalf("unreadable fact at offset %d outside %d bytes", u.Offset, len(data))
			}
		}
		for _, h := range info.HiddenAttributes {
			if h.Offset < 0 || h.Offset >= int64(len(data)) {
				t.Fatalf("hidden attribute at offset %d outside %d bytes", h.Offset, len(data))
			}
		}
	})
}
