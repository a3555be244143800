package plist

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unicode/utf16"
)

// strip clears offsets so trees from different encodings compare equal.
func strip(v *Value) *Value {
	if v == nil {
		return nil
	}
	c := *v
	c.Offset = 0
	c.Array = nil
	for _, e := range v.Array {
		c.Array = append(c.Array, strip(e))
	}
	c.Dict = nil
	for _, e := range v.Dict {
		c.Dict = append(c.Dict, Entry{e.Key, strip(e.Value)})
	}
	return &c
}

func sample() *Value {
	return D(
		"CFBundleIdentifier", Str("org.example.app"),
		"CFBundleVersion", Str("42"),
		"Count", Int(-7),
		"Big", &Value{Kind: Integer, Int: -1, Unsigned: true},
		"Ratio", &Value{Kind: Real, Real: 0.25},
		"Yes", Bool(true),
		"No", Bool(false),
		"When", Time(time.Date(2026, 1, 5, 13, 48, 0, 0, time.UTC)),
		"Blob", Bytes([]byte{0, 1, 2, 0xff}),
		"Schemes", StrArr("fb", "whatsapp", "weixin"),
		"Usage", Str("Wir brauchen deine Kontakte – für Freunde 👋"),
		"Nested", D("Empty", D(), "List", Arr()),
	)
}

func TestRoundTrips(t *testing.T) {
	want := strip(sample())
	for _, enc := range []struct {
		name   string
		data   []byte
		format Format
	}{
		{"xml", EncodeXML(sample()), FormatXML},
		{"binary", EncodeBinary(sample()), FormatBinary},
	} {
		v, f, err := Parse(enc.data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", enc.name, err)
		}
		if f != enc.format {
			t.Errorf("%s: format %v", enc.name, f)
		}
		if got := strip(v); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded\n%+v\nwant\n%+v", enc.name, got, want)
		}
	}
}

func TestAccessors(t *testing.T) {
	v := sample()
	if s := v.Path("Nested", "Empty").Kind; s != Dict {
		t.Errorf("Path = %v", s)
	}
	if v.Get("missing") != nil || v.Path("Schemes", "x") != nil || (*Value)(nil).Get("x") != nil {
		t.Error("lookups of missing keys must return nil")
	}
	if got := v.Get("Schemes").Strings(); !reflect.DeepEqual(got, []string{"fb", "whatsapp", "weixin"}) {
		t.Errorf("Strings = %q", got)
	}
	for _, tc := range []struct {
		v     *Value
		b, ok bool
	}{
		{Bool(true), true, true}, {Str("YES"), true, true}, {Str("NO"), false, true},
		{Int(0), false, true}, {Str("maybe"), false, false}, {nil, false, false},
	} {
		if b, ok := tc.v.Boolean(); b != tc.b || ok != tc.ok {
			t.Errorf("Boolean(%+v) = %v %v", tc.v, b, ok)
		}
	}
	// A repeated key: the last wins, as CFPropertyList keeps it.
	d := D("k", Str("first"), "k", Str("second"))
	if d.Get("k").Text() != "second" {
		t.Errorf("repeated key = %q", d.Get("k").Text())
	}
}

func utf16le(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want *Value
	}{
		{"strings file", []byte("/* Privacy */\n\"NSContactsUsageDescription\" = \"Find friends\";\n// line\nCFBundleDisplayName = Beispiel;\n"),
			D("NSContactsUsageDescription", Str("Find friends"), "CFBundleDisplayName", Str("Beispiel"))},
		{"utf-16 strings file", utf16le("\"NSCameraUsageDescription\" = \"扫描二维码\";\n"),
			D("NSCameraUsageDescription", Str("扫描二维码"))},
		{"escapes", []byte(`"a" = "line\nnext \"q\" \U00e9 \101";`), D("a", Str("line\nnext \"q\" é A"))},
		{"key alone", []byte(`"Hello";`), D("Hello", Str("Hello"))},
		{"openstep dict", []byte(`{ list = (one, "two words", <0aff>); n = { }; }`),
			D("list", Arr(Str("one"), Str("two words"), Bytes([]byte{0x0a, 0xff})), "n", D())},
		{"empty", []byte("  // nothing\n"), D()},
		{"array", []byte(`( a, b, )`), StrArr("a", "b")},
	}
	for _, tc := range tests {
		v, f, err := Parse(tc.in, Limits{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if f != FormatText {
			t.Errorf("%s: format %v", tc.name, f)
		}
		if got := strip(v); !reflect.DeepEqual(got, strip(tc.want)) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, strip(tc.want))
		}
	}
}

func TestXMLDetails(t *testing.T) {
	in := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/></dict>
  <key>Data</key><data>
    AAEC
    /w==
  </data>
  <key>Hex</key><integer>0x10</integer>
  <key>Amp</key><string>Tom &amp; Jerry</string>
</dict></plist>`)
	v, _, err := Parse(in, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := v.Path("NSAppTransportSecurity", "NSAllowsArbitraryLoads").Boolean(); !b {
		t.Error("ATS flag lost")
	}
	if d := v.Get("Data").Data; !reflect.DeepEqual(d, []byte{0, 1, 2, 0xff}) {
		t.Errorf("data = % x", d)
	}
	if v.Get("Hex").Int != 16 || v.Get("Amp").Text() != "Tom & Jerry" {
		t.Errorf("hex %d amp %q", v.Get("Hex").Int, v.Get("Amp").Text())
	}
	if v.Get("Amp").Offset <= 0 {
		t.Error("offsets not recorded")
	}
}

func TestErrors(t *testing.T) {
	deepXML := []byte("<plist>")
	for range 200 {
		deepXML = append(deepXML, "<array>"...)
	}
	// A binary array that contains itself.
	cyc := []byte("bplist00")
	cyc = append(cyc, 0xA1, 0x00) // object 0: array of one ref, to object 0
	table := len(cyc)
	cyc = append(cyc, 8)
	cyc = append(cyc, 0, 0, 0, 0, 0, 0, 1, 1)
	cyc = binary.BigEndian.AppendUint64(cyc, 1)
	cyc = binary.BigEndian.AppendUint64(cyc, 0)
	cyc = binary.BigEndian.AppendUint64(cyc, uint64(table))
	// A DAG that doubles at each level: 2^40 expansions.
	dag := []byte("bplist00")
	var offs []uint64
	offs = append(offs, uint64(len(dag)))
	dag = append(dag, 0x09) // object 0: true
	for i := 1; i <= 40; i++ {
		offs = append(offs, uint64(len(dag)))
		dag = append(dag, 0xA2, byte(i-1), byte(i-1))
	}
	tbl := len(dag)
	for _, o := range offs {
		dag = append(dag, byte(o>>8), byte(o))
	}
	dag = append(dag, 0, 0, 0, 0, 0, 0, 2, 1)
	dag = binary.BigEndian.AppendUint64(dag, uint64(len(offs)))
	dag = binary.BigEndian.AppendUint64(dag, uint64(len(offs)-1))
	dag = binary.BigEndian.AppendUint64(dag, uint64(tbl))
	bin := EncodeBinary(sample())

	tests := []struct {
		name  string
		in    []byte
		limit bool
	}{
		{"truncated binary", bin[:len(bin)-5], false},
		{"short binary", []byte("bplist00\x08"), false},
		{"binary cycle", cyc, false},
		{"binary dag", dag, true},
		{"deep xml", deepXML, true},
		{"xml bad integer", []byte("<plist><integer>twelve</integer></plist>"), false},
		{"xml key without value", []byte("<plist><dict><key>a</key></dict></plist>"), false},
		{"xml unknown element", []byte("<plist><blob/></plist>"), false},
		{"unterminated text string", []byte(`"a" = "b`), false},
		{"text junk", []byte(`{ a = b; } }`), false},
	}
	for _, tc := range tests {
		_, _, err := Parse(tc.in, Limits{MaxDepth: 100, MaxValues: 1 << 16})
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a FormatError", tc.name, err)
		}
		if errors.Is(err, ErrLimit) != tc.limit {
			t.Errorf("%s: ErrLimit = %v, want %v (%v)", tc.name, !tc.limit, tc.limit, err)
		}
	}
}

func TestDates(t *testing.T) {
	if d := dateFromSeconds(math.Inf(1)); !d.IsZero() {
		t.Errorf("infinite date = %v", d)
	}
	if d := dateFromSeconds(0); !d.Equal(binaryEpoch) {
		t.Errorf("zero date = %v", d)
	}
}

// TestRealFiles reads the Info.plists and entitlements of the two real
// IPAs in testdata (Apache-2.0, LICENSE-bitbar-test-samples).
func TestRealFiles(t *testing.T) {
	tests := []struct {
		file, key, want string
		format          Format
	}{
		{"bitbar2015-Info.plist", "CFBundleIdentifier", "com.bitbar.testdroid.BitbarIOSSample", FormatBinary},
		{"bitbar2015-Info.plist", "MinimumOSVersion", "6.0", FormatBinary},
		{"bitbar2026-Info.plist", "CFBundleIdentifier", "com.bitbar.BitBarSample", FormatBinary},
		{"bitbar2026-Info.plist", "DTPlatformVersion", "26.1", FormatBinary},
		{"bitbar2015-entitlements.xcent", "application-identifier", "N9HW7DB6H4.com.bitbar.testdroid.BitbarIOSSample", FormatXML},
	}
	for _, tc := range tests {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		v, f, err := Parse(data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if f != tc.format || v.Get(tc.key).Text() != tc.want {
			t.Errorf("%s: %s = %q (%v), want %q (%v)", tc.file, tc.key, v.Get(tc.key).Text(), f, tc.want, tc.format)
		}
	}
}
