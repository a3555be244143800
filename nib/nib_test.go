package nib_test

import (
	"errors"
	"testing"

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
