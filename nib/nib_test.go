package nib_test

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"

	"appxray/internal/iosapp"
	"appxray/nib"
)

func form() []iosapp.NibObject {
	return []iosapp.NibObject{
		{Class: "UIProxyObject", Values: []iosapp.NibValue{iosapp.V("UIProxiedObjectIdentifier", "IBFilesOwner")}},
		{Class: "UIView", Values: []iosapp.NibValue{iosapp.V("UISubviews", iosapp.Ref(2)), iosapp.V("UIHidden", false)}},
		{Class: "NSArray", Values: []iosapp.NibValue{iosapp.V("UINibEncoderEmptyKey", iosapp.Ref(3)), iosapp.V("UINibEncoderEmptyKey", iosapp.Ref(4)), iosapp.V("UINibEncoderEmptyKey", iosapp.Ref(5))}},
		{Class: "UILabel", Values: []iosapp.NibValue{iosapp.V("UIText", "Passport number"), iosapp.V("UITag", 7)}},
		{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "E12345678"), iosapp.V("UIAccessibilityLabel", "Passport number"), iosapp.V("UIEnabled", true)}},
		{Class: "UITextField", Values: []iosapp.NibValue{iosapp.V("UIPlaceholder", "身份证号")}},
	}
}

func TestTexts(t *testing.T) {
	a, err := nib.Parse(iosapp.Nib(form()), nib.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 9 || a.ClassName(4) != "UITextField" {
		t.Errorf("version %d, object 4 is %s", a.Version, a.ClassName(4))
	}
	want := []nib.Text{
		{Object: 0, Class: "UIProxyObject", Key: "UIProxiedObjectIdentifier", Value: "IBFilesOwner"},
		{Object: 3, Class: "UILabel", Key: "UIText", Value: "Passport number"},
		{Object: 4, Class: "UITextField", Key: "UIPlaceholder", Value: "E12345678"},
		{Object: 4, Class: "UITextField", Key: "UIAccessibilityLabel", Value: "Passport number"},
		{Object: 5, Class: "UITextField", Key: "UIPlaceholder", Value: "身份证号"},
	}
	got := a.Texts()
	if len(got) != len(want) {
		t.Fatalf("texts %+v", got)
	}
	for i := range want {
		g := got[i]
		g.Offset = 0
		if g != want[i] {
			t.Errorf("text %d = %+v, want %+v", i, g, want[i])
		}
		if got[i].Offset <= 50 {
			t.Errorf("text %d offset %d", i, got[i].Offset)
		}
	}
	if v, ok := a.Get(3, "UITag"); !ok || v.Type != nib.TypeInt32 || v.Int != 7 {
		t.Errorf("UITag = %+v %v", v, ok)
	}
	if v, ok := a.Get(4, "UIEnabled"); !ok || v.Type != nib.TypeTrue {
		t.Errorf("UIEnabled = %+v", v)
	}
	if _, ok := a.Get(99, "x"); ok {
		t.Error("Get on a missing object")
	}
}

func TestErrors(t *testing.T) {
	good := iosapp.Nib(form())
	badRef := iosapp.Nib([]iosapp.NibObject{{Class: "UIView", Values: []iosapp.NibValue{iosapp.V("UISubviews", iosapp.Ref(9))}}})
	huge := append([]byte(nil), good...)
	huge[18], huge[19], huge[20], huge[21] = 0xff, 0xff, 0xff, 0x0f
	tests := []struct {
		name  string
		in    []byte
		lim   nib.Limits
		limit bool
	}{
		{"truncated", good[:60], nib.Limits{}, false},
		{"header only", good[:30], nib.Limits{}, false},
		{"dangling object reference", badRef, nib.Limits{}, false},
		{"huge count", huge, nib.Limits{}, true},
		{"too many values", good, nib.Limits{MaxValues: 3}, true},
	}
	for _, tc := range tests {
		_, err := nib.Parse(tc.in, tc.lim)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		var fe *nib.FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a FormatError", tc.name, err)
		}
		if errors.Is(err, nib.ErrLimit) != tc.limit {
			t.Errorf("%s: ErrLimit %v, want %v: %v", tc.name, !tc.limit, tc.limit, err)
		}
	}
	if _, err := nib.Parse([]byte("bplist00"), nib.Limits{}); !errors.Is(err, nib.ErrNotNIBArchive) {
		t.Errorf("keyed archive: %v", err)
	}
}

func FuzzNib(f *testing.F) {
	f.Add(iosapp.Nib(form()))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := nib.Parse(data, nib.Limits{MaxObjects: 1 << 12, MaxValues: 1 << 14, MaxKeys: 1 << 12, MaxClasses: 1 << 10})
		if err != nil {
			return
		}
		for range a.Texts() {
		}
		for i := range a.Objects {
			_ = a.ClassName(i)
			_ = a.ValuesOf(i)
		}
	})
}

// A run of references to one NSString with a long run of its own: Texts
// and String resolve the string once (they used to scan the NSString's
// values for every reference, quadratic in the archive: 240 KB took 5 s),
// and every Text shares the one decoded string.
func TestSharedStringReferences(t *testing.T) {
	const n = 50000
	view := iosapp.NibObject{Class: "UIView"}
	str := iosapp.NibObject{Class: "NSString"}
	for range n {
		view.Values = append(view.Values, iosapp.V("UIText", iosapp.Ref(1)))
		str.Values = append(str.Values, iosapp.V("UITag", 1))
	}
	str.Values = append(str.Values, iosapp.V("NS.bytes", strings.Repeat("x", 1000)))
	a, err := nib.Parse(iosapp.Nib([]iosapp.NibObject{view, str}), nib.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	texts := a.Texts()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Texts took %v", d)
	}
	if len(texts) != n {
		t.Fatalf("%d texts, want %d", len(texts), n)
	}
	for _, x := range texts {
		if len(x.Value) != 1000 || unsafe.StringData(x.Value) != unsafe.StringData(texts[0].Value) {
			t.Fatalf("text %+v does not share the decoded string", x)
		}
	}
}

// Objects whose value runs overlap count each value once per run against
// MaxValues: here 4096 objects all claim the same 1000 values.
func TestOverlappingRuns(t *testing.T) {
	le := binary.LittleEndian
	varint := func(b []byte, v int) []byte {
		for v >= 0x80 {
			b = append(b, byte(v&0x7f))
			v >>= 7
		}
		return append(b, byte(v)|0x80)
	}
	const objects, values = 4096, 1000
	var objs, keys, vals, classes []byte
	for range objects {
		objs = varint(varint(varint(objs, 0), 0), values)
	}
	keys = append(varint(keys, 1), 'k')
	for range values {
		vals = append(varint(vals, 0), nib.TypeTrue)
	}
	classes = append(varint(varint(classes, 7), 0), "UIView\x00"...)
	data := []byte("NIBArchive")
	data = le.AppendUint32(data, 1)
	data = le.AppendUint32(data, 10)
	off := uint32(50)
	for _, tab := range []struct {
		n int
		b []byte
	}{{objects, objs}, {1, keys}, {values, vals}, {1, classes}} {
		data = le.AppendUint32(le.AppendUint32(data, uint32(tab.n)), off)
		off += uint32(len(tab.b))
	}
	data = append(append(append(append(data, objs...), keys...), vals...), classes...)
	if _, err := nib.Parse(data, nib.Limits{MaxValues: objects * values}); err != nil {
		t.Fatalf("within MaxValues: %v", err)
	}
	_, err := nib.Parse(data, nib.Limits{MaxValues: objects*values - 1})
	var fe *nib.FormatError
	if !errors.Is(err, nib.ErrLimit) || !errors.As(err, &fe) {
		t.Fatalf("overlapping runs beyond MaxValues: %v", err)
	}
}
