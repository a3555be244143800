package dex

import (
	"bytes"
	"os"
	"testing"

	"appxray/internal/corpus"
)

func TestEncodeMUTF8(t *testing.T) {
	for _, s := range []string{"", "abc", "a\x00b", "é€", "😀x", "\uffff\U0010ffff"} {
		b := EncodeMUTF8(s)
		got, bad := DecodeMUTF8(b)
		if got != s || bad >= 0 {
			t.Errorf("round trip of %q via % x = %q, %d", s, b, got, bad)
		}
		if bytes.IndexByte(b, 0) >= 0 {
			t.Errorf("EncodeMUTF8(%q) contains NUL", s)
		}
	}
	if got := EncodeMUTF8("😀"); !bytes.Equal(got, []byte{0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}) {
		t.Errorf("EncodeMUTF8(😀) = % x", got)
	}
}

func TestCompareMUTF8(t *testing.T) {
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"", "", 0},
		{"a", "ab", -1},
		{"ab", "a", 1},
		{"abc", "abd", -1},
		{"\xc0\x80", "\x01", -1},    // NUL sorts first in UTF-16
		{"x\xc0\x80y", "x\x01", -1}, // also mid-string
		{"\xed\xa0\xbd\xed\xb8\x80", "\xee\x80\x80", -1}, // U+1F600 (D83D DE00) < U+E000
		{"\xc3\xa9", "\xc3\xa8", 1},
		{"\xe2\x82\xac", "\xc3\xa9", 1},
	}
	for _, tc := range tests {
		got := CompareMUTF8([]byte(tc.a), []byte(tc.b))
		if (got < 0) != (tc.want < 0) || (got > 0) != (tc.want > 0) {
			t.Errorf("CompareMUTF8(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestFindCorpus looks up every string, type, method and field of real dex
// files by name and expects its own index back.
func TestFindCorpus(t *testing.T) {
	var files []dexSource
	for _, p := range corpus.DEXes(t) {
		switch corpus.Name(p) {
		case "tests/okhttp.d8.038.dex", "android/TestsAndroguard/bin/classes.dex", "tests/StringTests.dex":
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, dexSource{name: corpus.Name(p), data: b})
		}
	}
	if len(files) != 3 {
		t.Fatalf("found %d of 3 corpus files", len(files))
	}
	strs, types, methods, fields := 0, 0, 0, 0
	for _, src := range files {
		f := mustParse(t, src.data)
		// The comparator must agree with the order dx and d8 wrote.
		for i := uint32(1); i < f.Header.StringIDsSize; i++ {
			a, _ := f.StringBytes(i - 1)
			b, _ := f.StringBytes(i)
			if CompareMUTF8(a, b) >= 0 {
				t.Errorf("%s: strings %d and %d out of order: %q, %q", src.name, i-1, i, a, b)
			}
		}
		for i := uint32(0); i < f.Header.StringIDsSize; i++ {
			raw, err := f.StringBytes(i)
			if err != nil {
				t.Fatalf("%s: %v", src.name, err)
			}
			s, err := f.String(i)
			if err != nil || !bytes.Equal(EncodeMUTF8(s), raw) {
				continue // not representable as a Go string round trip
			}
			if got, ok := f.FindString(s); !ok || got != i {
				t.Errorf("%s: FindString(%q) = %d, %v; want %d", src.name, s, got, ok, i)
			}
			strs++
		}
		for i := uint32(0); i < f.Header.TypeIDsSize; i++ {
			d, _ := f.TypeName(i)
			if got, ok := f.FindType(d); !ok || got != i {
				t.Errorf("%s: FindType(%q) = %d, %v; want %d", src.name, d, got, ok, i)
			}
			types++
		}
		for i := uint32(0); i < f.Header.MethodIDsSize; i++ {
			m, _ := f.Method(i)
			found := false
			for _, j := range f.FindMethods(m.Class, m.Name) {
				mj, _ := f.Method(j)
				if mj.Class != m.Class || mj.Name != m.Name {
					t.Errorf("%s: FindMethods(%q, %q) returned %v", src.name, m.Class, m.Name, mj)
				}
				found = found || j == i
			}
			if !found {
				t.Errorf("%s: FindMethods(%q, %q) misses %d", src.name, m.Class, m.Name, i)
			}
			methods++
		}
		for i := uint32(0); i < f.Header.FieldIDsSize; i++ {
			r, _ := f.Field(i)
			got := f.FindFields(r.Class, r.Name)
			if len(got) != 1 || got[0] != i {
				t.Errorf("%s: FindFields(%q, %q) = %v, want [%d]", src.name, r.Class, r.Name, got, i)
			}
			fields++
		}
	}
	if _, ok := mustParse(t, files[0].data).FindType("Lno/such/Type;"); ok {
		t.Error("found a type that does not exist")
	}
	t.Logf("find: %d strings, %d types, %d methods, %d fields found by name in %d files", strs, types, methods, fields, len(files))
}
