package permissions

import (
	"archive/zip"
	"encoding/binary"
	"io"
	"testing"
	"unicode/utf16"

	"appxray/analysis"
	"appxray/axml"
	"appxray/internal/testapp"
	"appxray/res"
)

// oldDemo is the demo app whose real manifest is rewritten in place: its
// uses-sdk targets SDK target, and its READ_PHONE_STATE request is for
// VIBRATE instead (so that the rule, not the request, gives the app
// READ_PHONE_STATE).
func oldDemo(t *testing.T, target uint32) string {
	t.Helper()
	zr, err := zip.OpenReader(testapp.DemoPath())
	if err != nil {
		t.Fatal(err)
	}
	var man []byte
	for _, f := range zr.File {
		if f.Name == "AndroidManifest.xml" {
			rc, _ := f.Open()
			man, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	zr.Close()
	doc, err := axml.Parse(man, axml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Root.Children {
		if e.Name != "uses-sdk" {
			continue
		}
		for _, a := range e.Attrs {
			if a.ResourceID == 0x01010270 && a.Value.Type == res.TypeIntDec { // targetSdkVersion
				binary.LittleEndian.PutUint32(man[a.Offset+16:], target)
			}
		}
	}
	p := doc.Strings
	for i := range p.Len() {
		if s, _ := p.String(uint32(i)); s != "android.permission.READ_PHONE_STATE" {
			continue
		}
		rec := p.Header.Offset + int64(p.StringsStart) + int64(binary.LittleEndian.Uint32(man[p.Header.DataOffset()+4*int64(i):]))
		u := utf16.Encode([]rune("android.permission.VIBRATE"))
		binary.LittleEndian.PutUint16(man[rec:], uint16(len(u)))
		for k, c := range append(u, 0) {
			binary.LittleEndian.PutUint16(man[rec+2+2*int64(k):], c)
		}
	}
	return testapp.Rewrite(t, testapp.DemoPath(), "old.apk", func(name string, data []byte) []byte {
		if name == "AndroidManifest.xml" {
			return man
		}
		return data
	}, nil)
}

// TestImpliedByOldTarget: PackageParser.NEW_PERMISSIONS gives an app
// targeting an SDK before DONUT (4) WRITE_EXTERNAL_STORAGE and
// READ_PHONE_STATE unless it requests them, and the split permission
// WRITE_EXTERNAL_STORAGE -> READ_EXTERNAL_STORAGE then applies to the
// implied one as to a requested one (both loops run over
// requestedPermissions). The demo app rewritten to target SDK 3 gets the
// three, each with Android's reason and no manifest line; targeting 4 it
// gets none of them, and what it requests is never called implied.
func TestImpliedByOldTarget(t *testing.T) {
	const (
		write = "android.permission.WRITE_EXTERNAL_STORAGE"
		read  = "android.permission.READ_EXTERNAL_STORAGE"
		phone = "android.permission.READ_PHONE_STATE"
	)
	for _, tc := range []struct {
		target uint32
		want   map[string]string // implied permission -> reason
	}{
		{3, map[string]string{write: "targetSdkVersion < 4", phone: "targetSdkVersion < 4", read: "requested WRITE_EXTERNAL_STORAGE"}},
		{4, map[string]string{}},
	} {
		res := testapp.Run(t, oldDemo(t, tc.target), Analyzer)
		r, ok := analysis.Get[*Result](res, Analyzer)
		if !ok {
			t.Fatal("no permissions result")
		}
		got := map[string]string{}
		for _, d := range r.Details {
			if d.Implied != "" {
				got[d.Name] = d.Implied
				if d.Line != 0 {
					t.Errorf("target %d: implied %s has manifest line %d", tc.target, d.Name, d.Line)
				}
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("target %d: implied %v, want %v", tc.target, got, tc.want)
		}
		for name, why := range tc.want {
			if got[name] != why {
				t.Errorf("target %d: %s implied %q, want %q", tc.target, name, got[name], why)
			}
		}
		for _, name := range []string{"android.permission.VIBRATE", "android.permission.READ_CALL_LOG", "android.permission.READ_CONTACTS"} {
			d, ok := r.Detail(name)
			if !ok || d.Implied != "" || d.Line == 0 {
				t.Errorf("target %d: requested %s = %+v, %v; want requested with its line", tc.target, name, d, ok)
			}
		}
	}
}
