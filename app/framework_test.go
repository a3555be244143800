package app_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"appxray/app"
	"appxray/axml"
	"appxray/res"
	"appxray/zipapk"
)

// manifestPatch rewrites the demo app's real manifest (a UTF-16 pool built
// by aapt) in place, to build each trick from a real file.
type manifestPatch struct {
	t   *testing.T
	b   []byte
	doc *axml.Document
}

func demoManifest(t *testing.T) *manifestPatch {
	t.Helper()
	b := bytes.Clone(entry(t, demo(t), "AndroidManifest.xml"))
	doc, err := axml.Parse(b, axml.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Strings.IsUTF8() {
		t.Fatal("demo manifest pool is not UTF-16 any more; adapt the patches")
	}
	return &manifestPatch{t: t, b: b, doc: doc}
}

// elem returns the n-th element named name, in document order.
func (m *manifestPatch) elem(name string, n int) *axml.Element {
	var found []*axml.Element
	var walk func(e *axml.Element)
	walk = func(e *axml.Element) {
		if e.Name == name {
			found = append(found, e)
		}
		for _, c := range e.Children {
			walk(c)
		}
	}
	walk(m.doc.Root)
	if n >= len(found) {
		m.t.Fatalf("no <%s> #%d", name, n)
	}
	return found[n]
}

// attr returns an element's attribute by resource ID, or by name when id is 0.
func (m *manifestPatch) attr(e *axml.Element, id uint32, name string) *axml.Attribute {
	for i := range e.Attrs {
		if a := &e.Attrs[i]; (id != 0 && a.ResourceID == id) || (id == 0 && a.Name == name) {
			return a
		}
	}
	m.t.Fatalf("<%s> has no attribute %s/0x%x", e.Name, name, id)
	return nil
}

func (m *manifestPatch) put32(off int64, v uint32) { binary.LittleEndian.PutUint32(m.b[off:], v) }
func (m *manifestPatch) u32(off int64) uint32      { return binary.LittleEndian.Uint32(m.b[off:]) }

// setValue sets an attribute's typed value (Res_value at record+12).
func (m *manifestPatch) setValue(a *axml.Attribute, typ uint8, data uint32) {
	m.b[a.Offset+15] = typ
	m.put32(a.Offset+16, data)
}

// swap exchanges two attribute records of one element.
func (m *manifestPatch) swap(a, b *axml.Attribute) {
	ra := bytes.Clone(m.b[a.Offset : a.Offset+20])
	copy(m.b[a.Offset:a.Offset+20], m.b[b.Offset:b.Offset+20])
	copy(m.b[b.Offset:b.Offset+20], ra)
}

// index finds a string of the pool.
func (m *manifestPatch) index(s string) uint32 {
	for i := range m.doc.Strings.Len() {
		if v, _ := m.doc.Strings.String(uint32(i)); v == s {
			return uint32(i)
		}
	}
	m.t.Fatalf("no string %q", s)
	return 0
}

// stringRecord is the offset of string i's record (its length field).
func (m *manifestPatch) stringRecord(i uint32) int64 {
	h := m.doc.Strings.Header
	return h.Offset + int64(m.doc.Strings.StringsStart) + int64(m.u32(h.DataOffset()+4*int64(i)))
}

// setString overwrites string i in place with a string no longer than it.
func (m *manifestPatch) setString(i uint32, s string) {
	old, _ := m.doc.Strings.String(i)
	u := utf16.Encode([]rune(s))
	if len(u) > len(utf16.Encode([]rune(old))) {
		m.t.Fatalf("%q does not fit in %q", s, old)
	}
	off := m.stringRecord(i)
	binary.LittleEndian.PutUint16(m.b[off:], uint16(len(u)))
	for k, c := range u {
		binary.LittleEndian.PutUint16(m.b[off+2+2*int64(k):], c)
	}
	binary.LittleEndian.PutUint16(m.b[off+2+2*int64(len(u)):], 0)
}

// apk is the demo app with the patched manifest.
func (m *manifestPatch) apk() []byte {
	return rezip(m.t, demo(m.t), map[string][]byte{"AndroidManifest.xml": m.b})
}

func (m *manifestPatch) open() *app.App {
	m.t.Helper()
	a, err := app.OpenBytes(context.Background(), "patched.apk", m.apk(), app.DefaultOptions())
	if err != nil {
		m.t.Fatal(err)
	}
	return a
}

func kinds(as []app.Anomaly, kind zipapk.AnomalyKind) []app.Anomaly {
	var out []app.Anomaly
	for _, a := range as {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

const (
	idName                 = 0x01010003
	idVersionCode          = 0x0101021b
	idVersionName          = 0x0101021c
	idUsesCleartextTraffic = 0x010104ec
)

// TestUnsortedAttributesHidden: ParsingPackageUtils reads <manifest>
// through Resources.obtainAttributes, whose native side
// (AttributeResolution.cpp RetrieveAttributes) merges the element's
// attributes with the sorted styleable, assuming the attributes sorted by
// resource ID. Put versionName (0x0101021c) before versionCode
// (0x0101021b) and Android never sees versionCode; aapt still prints it.
func TestUnsortedAttributesHidden(t *testing.T) {
	m := demoManifest(t)
	root := m.doc.Root
	m.swap(m.attr(root, idVersionCode, ""), m.attr(root, idVersionName, ""))
	a := m.open()
	info := a.Info()
	if info.VersionCode != 0 || info.VersionName != "1.0-demo" {
		t.Errorf("versionCode %d, versionName %q; want 0 (hidden) and 1.0-demo", info.VersionCode, info.VersionName)
	}
	hidden := kinds(a.Anomalies(), app.AttributeHidden)
	if len(hidden) != 1 || !strings.Contains(hidden[0].Detail, "versionCode") || hidden[0].Source != app.SourceManifest || hidden[0].Entry != "AndroidManifest.xml" {
		t.Errorf("hidden = %v", hidden)
	}
}

// TestAttributeWithoutResourceID: an android:name whose name string has no
// resource ID in the resource map is not the framework attribute
// (getAttributeNameResID returns 0, which RetrieveAttributes never
// matches); Android requests none of those permissions, finds no
// component names.
func TestAttributeWithoutResourceID(t *testing.T) {
	m := demoManifest(t)
	// Zero the resource map entry of the "name" attribute string.
	nameIdx := m.index("name")
	var mapOff int64 = -1
	for off := int64(8); off+8 <= int64(len(m.b)); {
		typ, size := binary.LittleEndian.Uint16(m.b[off:]), int64(m.u32(off+4))
		if typ == res.ChunkXMLResourceMap {
			mapOff = off + 8
			break
		}
		off += size
	}
	if mapOff < 0 || m.u32(mapOff+4*int64(nameIdx)) != idName {
		t.Fatal("setup: no resource map entry for name")
	}
	m.put32(mapOff+4*int64(nameIdx), 0)
	a := m.open()
	info := a.Info()
	if len(info.RequestedPermissions) != 0 {
		t.Errorf("requested permissions %v; Android sees none", info.RequestedPermissions)
	}
	if got := len(kinds(a.Anomalies(), app.AttributeHidden)); got < 11 {
		t.Errorf("%d hidden attributes reported, want one per android:name (11 permissions and more)", got)
	}
}

// TestUsesPermissionNameIsLiteral: ParsingPackageUtils.parseUsesPermission
// reads android:name with TypedArray.getNonResourceString, which returns
// null for anything but a string written in the XML: a reference (here to
// the app's label string) requests nothing.
func TestUsesPermissionNameIsLiteral(t *testing.T) {
	m := demoManifest(t)
	camera := m.elem("uses-permission", 6)
	a := m.attr(camera, idName, "")
	if s, _ := a.String(); s != "android.permission.CAMERA" {
		t.Fatalf("setup: permission 6 is %q", s)
	}
	m.setValue(a, res.TypeReference, 0x7f040000)
	info := m.open().Info()
	if slices.Contains(info.Permissions, "android.permission.CAMERA") || len(info.RequestedPermissions) != 10 {
		t.Errorf("requested %v", info.RequestedPermissions)
	}
	for _, p := range info.Permissions {
		if !strings.HasPrefix(p, "android.permission.") {
			t.Errorf("reference resolved into permission %q", p)
		}
	}
}

// TestPackageRawNoNamespace: ApkLiteParseUtils reads the package with
// XmlPullParser.getAttributeValue(null, "package"): the raw string of the
// attribute without a namespace (ResXMLParser::indexOfAttribute wants no
// namespace at all). A typed value differing from the raw one is not used;
// a package attribute moved into a namespace is not the package.
func TestPackageRawNoNamespace(t *testing.T) {
	m := demoManifest(t)
	pkg := m.attr(m.doc.Root, 0, "package")
	m.setValue(pkg, res.TypeString, m.index("com.whatsapp"))
	if got := m.open().Info().Package; got != "org.appxray.demo.ijop" {
		t.Errorf("package = %q, want the raw org.appxray.demo.ijop", got)
	}
	m.put32(pkg.Offset, m.index(app.AndroidNS))
	a := m.open()
	if got := a.Info().Package; got != "" {
		t.Errorf("namespaced package read as %q", got)
	}
	if h := kinds(a.Anomalies(), app.AttributeHidden); len(h) != 1 || !strings.Contains(h[0].Detail, "package with a namespace") {
		t.Errorf("hidden = %v", h)
	}
}

// TestBooleans: TypedArray.getBoolean takes every integer type (0x10 to
// 0x1f) as data != 0, and any other value as its string, true only for
// "1", "true" and "TRUE" (XmlUtils.convertValueToBoolean); "True" is false.
func TestBooleans(t *testing.T) {
	for _, tc := range []struct {
		typ  uint8
		data uint32
		str  string // a string value instead
		want bool
	}{
		{res.TypeIntBoolean, 0xffffffff, "", true},
		{res.TypeIntHex, 1, "", true},
		{res.TypeIntDec, 0, "", false},
		{res.TypeIntColorARGB8, 0xff000000, "", true},
		{0x1f, 0, "", false},
		{res.TypeString, 0, "TRUE", true},
		{res.TypeString, 0, "1", true},
		{res.TypeString, 0, "True", false},
		{res.TypeString, 0, "yes", false},
	} {
		m := demoManifest(t)
		a := m.attr(m.elem("application", 0), idUsesCleartextTraffic, "")
		data := tc.data
		if tc.typ == res.TypeString {
			// "10.0.0" is a string of the demo's pool we can spare.
			data = m.index("10.0.0")
			m.setString(data, tc.str)
		}
		m.setValue(a, tc.typ, data)
		got := m.open().Info().UsesCleartextTraffic
		if got == nil || *got != tc.want {
			t.Errorf("type 0x%02x %q: usesCleartextTraffic = %v, want %v", tc.typ, tc.str, got, tc.want)
		}
	}
}

// TestRootNotManifest: ApkLiteParseUtils refuses a manifest whose root is
// not <manifest> ("No <manifest> tag"); appxray says so instead of reading
// it silently.
func TestRootNotManifest(t *testing.T) {
	m := demoManifest(t)
	m.setString(m.index("manifest"), "manifesx")
	an := kinds(m.open().Anomalies(), app.ManifestRootNotManifest)
	if len(an) != 1 || !an[0].AndroidRejects || an[0].Offset != m.doc.Root.Offset {
		t.Errorf("anomalies = %v", an)
	}
}

// TestUnreadablePermission: a uses-permission whose name string cannot be
// read (its offset is past the pool) makes StringBlock throw; appxray
// leaves the permission out and reports the fact as unreadable, never as
// a placeholder such as "(string #34)".
func TestUnreadablePermission(t *testing.T) {
	m := demoManifest(t)
	sms := m.attr(m.elem("uses-permission", 1), idName, "")
	idx := sms.Value.Data
	m.put32(m.doc.Strings.Header.DataOffset()+4*int64(idx), 0x00ffff00)
	a := m.open()
	info := a.Info()
	for _, p := range info.Permissions {
		if strings.Contains(p, "string #") || p == "" {
			t.Errorf("placeholder permission %q", p)
		}
	}
	if slices.Contains(info.Permissions, "android.permission.READ_SMS") {
		t.Errorf("unreadable permission read")
	}
	un := kinds(a.Anomalies(), app.StringUnreadable)
	if len(un) != 1 || !strings.Contains(un[0].Detail, "uses-permission") || un[0].Offset != sms.Offset || !un[0].AndroidRejects {
		t.Errorf("unreadable anomalies = %v", un)
	}
	if len(info.Unreadable) != 1 || info.Unreadable[0].Line != 11 {
		t.Errorf("Info.Unreadable = %+v", info.Unreadable)
	}
}

// TestUnterminatedPool: the trick of old malware families, strings without
// NUL terminators (the pool's last unit still 0, so ResStringPool::setTo
// accepts it). Android up to 4.4 read them by length
// (ResStringPool::stringAt); later versions reject them. appxray reads
// them by length, the manifest facts unchanged, and reports which Android
// versions install the APK.
func TestUnterminatedPool(t *testing.T) {
	m := demoManifest(t)
	want := m.open().Info()
	p := m.doc.Strings
	for i := range p.Len() - 1 {
		s, _ := p.String(uint32(i))
		n := len(utf16.Encode([]rune(s)))
		off := m.stringRecord(uint32(i)) + 2
		if n > 0x7fff {
			off += 2
		}
		binary.LittleEndian.PutUint16(m.b[off+2*int64(n):], 'X')
	}
	a := m.open()
	got := a.Info()
	if got.Package != want.Package || !slices.Equal(got.Permissions, want.Permissions) || len(got.Components) != len(want.Components) {
		t.Errorf("info changed: %s %v", got.Package, got.Permissions)
	}
	un := kinds(a.Anomalies(), app.StringUnterminated)
	if len(un) == 0 || !un[0].AndroidRejects || !strings.Contains(un[0].Detail, "Android up to 4.4") || un[0].Entry != "AndroidManifest.xml" {
		t.Errorf("unterminated anomalies = %v", un)
	}
}

// splitPart is the demo app whose manifest carries split="<name>" (its
// platformBuildVersionName attribute renamed).
func splitPart(t *testing.T, name string) []byte {
	m := demoManifest(t)
	m.setString(m.index("platformBuildVersionName"), "split")
	m.setString(m.index("10.0.0"), name)
	if got := app.SplitName(m.doc); got != "" {
		t.Fatalf("setup: the unpatched tree already has split %q", got)
	}
	return m.apk()
}

// TestSplitEmptyIsBase: ApkLiteParseUtils reads split with
// getAttributeValue(null, "split") and takes an empty name as none, so a
// split="" APK is the base of its set.
func TestSplitEmptyIsBase(t *testing.T) {
	var buf bytes.Buffer
	zw := zipWriter(&buf)
	zw.add("a.apk", splitPart(t, "cfg.x"))
	zw.add("b.apk", splitPart(t, ""))
	zw.close()
	a, err := app.OpenBytes(context.Background(), "set.apks", buf.Bytes(), app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a.Parts[0].Name != "b.apk" {
		t.Errorf("base = %s, want b.apk (split=\"\")", a.Parts[0].Name)
	}
	for _, e := range a.Errors() {
		t.Errorf("error: %v", e)
	}
	if s := a.Parts[1].Manifest(); app.SplitName(s) != "cfg.x" {
		t.Errorf("split name = %q", app.SplitName(s))
	}
	if got := a.Info().Split; got != "" {
		t.Errorf("base Info.Split = %q", got)
	}
}
