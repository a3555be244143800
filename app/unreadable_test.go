package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"appxray/app"
	"appxray/axml"
)

// noPlaceholder fails when any fact of info (as JSON) shows a string by
// its pool index instead of its content.
func noPlaceholder(t *testing.T, info *app.Info) {
	t.Helper()
	facts := *info
	facts.Unreadable = nil // the record of what was left out
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("string #")) {
		t.Errorf("a placeholder in the manifest facts: %s", b)
	}
	if strings.Contains(info.Package, "#") {
		t.Errorf("package %q", info.Package)
	}
	for _, c := range info.Components {
		if c.Name == "" || strings.Contains(c.Name, "#") || strings.Contains(c.Name, "(") {
			t.Errorf("component name %q", c.Name)
		}
	}
}

// TestUnreadableNames: a component's android:name, or the package, held
// in a string StringBlock cannot read (its offset past the pool) makes
// PackageManager fail the parse (ParsingPackageUtils reads names through
// TypedArray.getNonConfigurationString, the package through
// XmlPullParser.getAttributeValue, both StringBlock.get). appxray leaves
// the fact out, never shows a placeholder such as "(string #42)" in its
// place, and reports StringUnreadable naming the element, its line, the
// attribute and the attribute record's offset.
func TestUnreadableNames(t *testing.T) {
	for _, tc := range []struct {
		name    string
		attr    func(m *manifestPatch) (*axml.Element, *axml.Attribute, uint32)
		element string
		check   func(t *testing.T, info *app.Info)
	}{
		{"component", func(m *manifestPatch) (*axml.Element, *axml.Attribute, uint32) {
			e := m.elem("activity", 0)
			a := m.attr(e, idName, "")
			return e, a, a.Value.Data
		}, "activity", func(t *testing.T, info *app.Info) {
			var names []string
			for _, c := range info.Components {
				names = append(names, c.Name)
			}
			want := []string{"org.appxray.demo.ijop.PersonFormActivity", "org.appxray.demo.ijop.EventReceiver", "org.appxray.demo.ijop.SyncService"}
			if !slices.Equal(names, want) {
				t.Errorf("components = %q, want %q (MainActivity left out)", names, want)
			}
			if info.Package != "org.appxray.demo.ijop" {
				t.Errorf("package = %q", info.Package)
			}
		}},
		{"package", func(m *manifestPatch) (*axml.Element, *axml.Attribute, uint32) {
			a := m.attr(m.doc.Root, 0, "package")
			return m.doc.Root, a, a.RawIndex()
		}, "manifest", func(t *testing.T, info *app.Info) {
			if info.Package != "" {
				t.Errorf("package = %q, want none", info.Package)
			}
			if len(info.Components) != 4 {
				t.Errorf("%d components, want the 4 still read", len(info.Components))
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := demoManifest(t)
			e, attr, idx := tc.attr(m)
			m.put32(m.doc.Strings.Header.DataOffset()+4*int64(idx), 0x00ffff00)
			a := m.open()
			info := a.Info()
			noPlaceholder(t, info)
			tc.check(t, info)
			if doc := a.Base().Manifest(); tc.name == "package" && app.PackageName(doc) != "" {
				t.Errorf("PackageName = %q", app.PackageName(doc))
			}
			un := kinds(a.Anomalies(), app.StringUnreadable)
			wantDetail := fmt.Sprintf("<%s> line %d: %s: ", tc.element, e.Line, attr.Name)
			if len(un) != 1 || !strings.HasPrefix(un[0].Detail, wantDetail) || un[0].Offset != attr.Offset ||
				!un[0].AndroidRejects || un[0].Source != app.SourceManifest || un[0].Entry != "AndroidManifest.xml" {
				t.Errorf("unreadable anomalies = %+v; want one at 0x%x beginning %q", un, attr.Offset, wantDetail)
			}
			if len(info.Unreadable) != 1 || info.Unreadable[0].Line != int(e.Line) || info.Unreadable[0].Element != tc.element {
				t.Errorf("Info.Unreadable = %+v", info.Unreadable)
			}
		})
	}
}
