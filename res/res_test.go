package res

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

// enc8 encodes s as a UTF-8 pool record with the given UTF-16 length.
func enc8(s string, u16len int) []byte {
	var b []byte
	putLen := func(n int) {
		if n > 0x7f {
			b = append(b, byte(n>>8)|0x80, byte(n))
		} else {
			b = append(b, byte(n))
		}
	}
	putLen(u16len)
	putLen(len(s))
	b = append(b, s...)
	return append(b, 0)
}

// str8 encodes s as a correct UTF-8 record.
func str8(s string) []byte { return enc8(s, len(utf16.Encode([]rune(s)))) }

// str16 encodes units as a UTF-16 pool record.
func str16(u []uint16) []byte {
	var b []byte
	if len(u) > 0x7fff {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(u)>>16)|0x8000)
	}
	b = binary.LittleEndian.AppendUint16(b, uint16(len(u)))
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return binary.LittleEndian.AppendUint16(b, 0)
}

type testPool struct {
	utf8    bool
	recs    [][]byte // string records, laid out in order
	offsets []uint32 // overrides the computed offsets when non-nil
	styles  [][]Span
}

// build lays out a string pool chunk the way aapt does.
func (tp testPool) build() []byte {
	var data []byte
	offs := make([]uint32, len(tp.recs))
	for i, r := range tp.recs {
		offs[i] = uint32(len(data))
		data = append(data, r...)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	if tp.offsets != nil {
		offs = tp.offsets
	}
	var style []byte
	var styleOffs []uint32
	for _, spans := range tp.styles {
		styleOffs = append(styleOffs, uint32(len(style)))
		for _, s := range spans {
			style = binary.LittleEndian.AppendUint32(style, s.Name)
			style = binary.LittleEndian.AppendUint32(style, s.FirstChar)
			style = binary.LittleEndian.AppendUint32(style, s.LastChar)
		}
		style = binary.LittleEndian.AppendUint32(style, SpanEnd)
	}
	if len(tp.styles) > 0 {
		for range 2 {
			style = binary.LittleEndian.AppendUint32(style, SpanEnd)
		}
	}
	stringsStart := StringPoolHeaderSize + 4*(len(offs)+len(styleOffs))
	stylesStart := 0
	if len(style) > 0 {
		stylesStart = stringsStart + len(data)
	}
	var flags uint32
	if tp.utf8 {
		flags |= FlagUTF8
	}
	size := stringsStart + len(data) + len(style)
	b := binary.LittleEndian.AppendUint16(nil, ChunkStringPool)
	b = binary.LittleEndian.AppendUint16(b, StringPoolHeaderSize)
	b = binary.LittleEndian.AppendUint32(b, uint32(size))
	for _, v := range []uint32{uint32(len(offs)), uint32(len(styleOffs)), flags, uint32(stringsStart), uint32(stylesStart)} {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, o := range offs {
		b = binary.LittleEndian.AppendUint32(b, o)
	}
	for _, o := range styleOffs {
		b = binary.LittleEndian.AppendUint32(b, o)
	}
	b = append(b, data...)
	return append(b, style...)
}

func TestStringPoolDecode(t *testing.T) {
	long := strings.Repeat("x", 300)
	huge := strings.Repeat("y", 0x8005)
	tests := []struct {
		name string
		pool testPool
		want []string // "ERR" marks an expected error
	}{
		{"utf8", testPool{utf8: true, recs: [][]byte{str8("hello"), str8(""), str8("héllo"), str8("日本語"), str8("😀")}},
			[]string{"hello", "", "héllo", "日本語", "😀"}},
		{"utf8 long lengths", testPool{utf8: true, recs: [][]byte{str8(long)}}, []string{long}},
		// aapt wrote lengths over 0x7fff truncated to 15 bits; Android finds
		// the real terminator 0x8000 bytes further on.
		{"utf8 truncated length", testPool{utf8: true, recs: [][]byte{enc8(huge, 0x8005&0x7fff)[:0]}}, nil},
		{"utf8 wrong utf16 length", testPool{utf8: true, recs: [][]byte{enc8("abc", 4), str8("ok")}}, []string{"ERR", "ok"}},
		// Android decodes without checking continuation bytes.
		{"utf8 lenient continuation", testPool{utf8: true, recs: [][]byte{enc8("\xc3\x28", 1)}}, []string{"è"}},
		{"utf8 CESU surrogates", testPool{utf8: true, recs: [][]byte{enc8("\xed\xa0\xbd\xed\xb8\x80", 2)}}, []string{"😀"}},
		{"utf8 sequence past end", testPool{utf8: true, recs: [][]byte{enc8("a\xe6\x97", 2)}}, []string{"ERR"}},
		// Without a terminator a string is read by its length, as Android
		// up to 4.4 read it (TestUnterminatedStrings checks the warning).
		{"utf8 not terminated", testPool{utf8: true, recs: [][]byte{{3, 3, 'a', 'b', 'c', 'd', 0}}}, []string{"abc"}},
		{"utf8 length past end", testPool{utf8: true, recs: [][]byte{{50, 50, 'a', 0}}}, []string{"ERR"}},
		{"utf8 offset past end", testPool{utf8: true, recs: [][]byte{str8("a")}, offsets: []uint32{0, 1000}}, []string{"a", "ERR"}},
		{"utf8 shared data", testPool{utf8: true, recs: [][]byte{str8("same")}, offsets: []uint32{0, 0}}, []string{"same", "same"}},
		{"utf16", testPool{recs: [][]byte{str16(utf16.Encode([]rune("hello"))), str16(utf16.Encode([]rune("日本😀"))), str16(nil)}},
			[]string{"hello", "日本😀", ""}},
		{"utf16 long", testPool{recs: [][]byte{str16(utf16.Encode([]rune(long)))}}, []string{long}},
		{"utf16 lone surrogate", testPool{recs: [][]byte{str16([]uint16{'a', 0xd800, 'b'})}}, []string{"a\ufffdb"}},
		{"utf16 not terminated", testPool{recs: [][]byte{{2, 0, 'a', 0, 'b', 0, 'c', 0, 0, 0}}}, []string{"ab"}},
		{"utf16 length past end", testPool{recs: [][]byte{{9, 0, 'a', 0, 0, 0}}}, []string{"ERR"}},
		{"utf16 offset past end", testPool{recs: [][]byte{str16([]uint16{'a'})}, offsets: []uint32{0, 400}}, []string{"a", "ERR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "utf8 truncated length" {
				rec := enc8("", 0)[:0]
				rec = append(rec, 0x80|byte((0x8005&0x7fff)>>8), byte(0x8005&0x7fff), 0x80|byte((0x8005&0x7fff)>>8), byte(0x8005&0x7fff))
				rec = append(rec, huge...)
				rec = append(rec, 0)
				tt.pool.recs = [][]byte{rec}
				tt.want = []string{huge}
			}
			b := tt.pool.build()
			p, err := ParseStringPool(b, 0, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if p.Len() != len(tt.want) {
				t.Fatalf("Len = %d, want %d", p.Len(), len(tt.want))
			}
			if p.IsUTF8() != tt.pool.utf8 {
				t.Errorf("IsUTF8 = %v", p.IsUTF8())
			}
			for i, want := range tt.want {
				for pass := range 2 { // the second pass reads the memoised string
					got, err := p.String(uint32(i))
					if want == "ERR" {
						var fe *FormatError
						if !errors.As(err, &fe) {
							t.Errorf("String(%d) = %q, %v; want a FormatError", i, got, err)
						}
						continue
					}
					if err != nil || got != want {
						t.Errorf("pass %d: String(%d) = %q, %v; want %q", pass, i, got, err, want)
					}
				}
				u, err := p.UTF16(uint32(i))
				if want == "ERR" {
					if err == nil {
						t.Errorf("UTF16(%d) succeeded, want error", i)
					}
					continue
				}
				if err != nil || string(utf16.Decode(u)) != want {
					t.Errorf("UTF16(%d) = %q, %v; want %q", i, string(utf16.Decode(u)), err, want)
				}
			}
			if _, err := p.String(uint32(len(tt.want))); err == nil {
				t.Errorf("String(Len()) succeeded")
			}
		})
	}
}

func TestStringPoolStyles(t *testing.T) {
	tp := testPool{
		utf8:   true,
		recs:   [][]byte{str8("bold and italic"), str8("plain"), str8("b"), str8("i")},
		styles: [][]Span{{{Name: 2, FirstChar: 0, LastChar: 3}, {Name: 3, FirstChar: 9, LastChar: 14}}, nil},
	}
	p, err := ParseStringPool(tp.build(), 0, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings()) != 0 {
		t.Errorf("warnings: %v", p.Warnings())
	}
	if p.StyleLen() != 2 {
		t.Fatalf("StyleLen = %d", p.StyleLen())
	}
	spans, err := p.Styles(0)
	if err != nil || len(spans) != 2 || spans[1] != (Span{3, 9, 14}) {
		t.Errorf("Styles(0) = %v, %v", spans, err)
	}
	if spans, err := p.Styles(1); err != nil || len(spans) != 0 {
		t.Errorf("Styles(1) = %v, %v", spans, err)
	}
	if spans, err := p.Styles(3); err != nil || spans != nil {
		t.Errorf("Styles(3) = %v, %v", spans, err)
	}
	// Strings still decode with styles present.
	if s, err := p.String(1); err != nil || s != "plain" {
		t.Errorf("String(1) = %q, %v", s, err)
	}
}

func TestParseStringPoolErrors(t *testing.T) {
	good := testPool{utf8: true, recs: [][]byte{str8("a"), str8("b")}}.build()
	mutate := func(f func(b []byte) []byte) []byte {
		return f(bytes.Clone(good))
	}
	put32 := func(b []byte, off int, v uint32) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b }
	tests := []struct {
		name string
		data []byte
		lim  Limits
		msg  string // substring of the error
	}{
		{"empty", nil, Limits{}, "truncated chunk header"},
		{"wrong type", mutate(func(b []byte) []byte { b[0] = 2; return b }), Limits{}, "not a string pool"},
		{"short header", mutate(func(b []byte) []byte { b[2] = 20; return b }), Limits{}, "header size 20"},
		{"size past data", mutate(func(b []byte) []byte { return put32(b, 4, 4096) }), Limits{}, "extends past end"},
		{"offsets past pool", mutate(func(b []byte) []byte { return put32(b, 8, 1000) }), Limits{}, "string offsets extend past"},
		{"huge count", mutate(func(b []byte) []byte { return put32(b, 8, 0xffffffff) }), Limits{}, "MaxStrings"},
		{"count over limit", good, Limits{MaxStrings: 1}, "MaxStrings (1) exceeded"},
		{"strings start past end", mutate(func(b []byte) []byte { return put32(b, 20, 5000) }), Limits{}, "strings start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStringPool(tt.data, 0, tt.lim)
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want FormatError containing %q", err, tt.msg)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "res: ") {
				t.Errorf("error %q lacks package prefix", err)
			}
			if isLimit := strings.Contains(tt.msg, "MaxStrings"); errors.Is(err, ErrLimit) != isLimit {
				t.Errorf("errors.Is(%v, ErrLimit) = %v, want %v", err, !isLimit, isLimit)
			}
		})
	}
	// A pool whose last string is unterminated is kept, with a warning.
	b := testPool{utf8: true, recs: [][]byte{str8("a"), {1, 1, 'b', 'c'}}}.build()
	p, err := ParseStringPool(b, 0, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings()) != 1 || !strings.Contains(p.Warnings()[0].Error(), "not 0-terminated") {
		t.Errorf("warnings = %v", p.Warnings())
	}
	// ResStringPool::setTo refuses such a pool on every release.
	if fe, ok := p.Warnings()[0].(*FormatError); !ok || !fe.AndroidRejects {
		t.Errorf("warning %v does not say Android rejects the pool", p.Warnings()[0])
	}
	if s, err := p.String(0); err != nil || s != "a" {
		t.Errorf("String(0) = %q, %v", s, err)
	}
}

func TestReadChunkHeader(t *testing.T) {
	mk := func(typ, hs uint16, size uint32, total int) []byte {
		b := make([]byte, max(total, 8))
		binary.LittleEndian.PutUint16(b, typ)
		binary.LittleEndian.PutUint16(b[2:], hs)
		binary.LittleEndian.PutUint32(b[4:], size)
		return b[:total]
	}
	tests := []struct {
		name    string
		b       []byte
		off     int64
		ok      bool
		aligned bool
	}{
		{"ok", mk(ChunkXML, 8, 16, 16), 0, true, true},
		{"misaligned", mk(ChunkXML, 8, 14, 16), 0, true, false},
		{"short", mk(ChunkXML, 8, 16, 7), 0, false, false},
		{"negative offset", mk(ChunkXML, 8, 16, 16), -1, false, false},
		{"offset past end", mk(ChunkXML, 8, 16, 16), 17, false, false},
		{"header too small", mk(ChunkXML, 4, 16, 16), 0, false, false},
		{"size below header", mk(ChunkXML, 16, 8, 16), 0, false, false},
		{"size past end", mk(ChunkXML, 8, 32, 16), 0, false, false},
	}
	for _, tt := range tests {
		h, err := ReadChunkHeader(tt.b, tt.off)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
		if err == nil {
			if h.Aligned() != tt.aligned || h.End() != int64(h.Size) || h.DataOffset() != int64(h.HeaderSize) {
				t.Errorf("%s: %+v aligned=%v", tt.name, h, h.Aligned())
			}
		} else {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Offset != tt.off {
				t.Errorf("%s: error %v does not carry offset %d", tt.name, err, tt.off)
			}
		}
	}
}

func TestValueFormat(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{Value{Type: TypeNull}, "@null"},
		{Value{Type: TypeNull, Data: 1}, "@empty"},
		{Value{Type: TypeReference, Data: 0x7f040001}, "@0x7f040001"},
		{Value{Type: TypeAttribute, Data: 0x01010036}, "?0x01010036"},
		{Value{Type: TypeDynamicReference, Data: 0x00020001}, "@dynamic/0x00020001"},
		{Value{Type: TypeString, Data: 3}, "(string #3)"},
		{Value{Type: TypeFloat, Data: math.Float32bits(1.5)}, "1.5"},
		{Value{Type: TypeFloat, Data: math.Float32bits(7)}, "7.0"},
		{Value{Type: TypeDimension, Data: 12<<8 | 1}, "12.0dip"},
		{Value{Type: TypeDimension, Data: 0xfffff000}, "-16.0px"},
		{Value{Type: TypeDimension, Data: 3<<8 | 2}, "3.0sp"},
		{Value{Type: TypeDimension, Data: 1<<8 | 1<<4 | 1}, "0.0078125dip"}, // radix 16p7
		{Value{Type: TypeFraction, Data: 1<<29 | 3<<4}, "25.0%"},            // mantissa 2^21 at radix 0p23
		{Value{Type: TypeFraction, Data: 1<<30 | 3<<4 | 1}, "50.0%p"},
		{Value{Type: TypeIntDec, Data: 0xffffffff}, "-1"},
		{Value{Type: TypeIntHex, Data: 0x10}, "0x10"},
		{Value{Type: TypeIntBoolean, Data: 0xffffffff}, "true"},
		{Value{Type: TypeIntBoolean}, "false"},
		{Value{Type: TypeIntColorARGB8, Data: 0xff00ff00}, "#ff00ff00"},
		{Value{Type: TypeIntColorRGB8, Data: 0xff123456}, "#123456"},
		{Value{Type: TypeIntColorARGB4, Data: 0xffaabbcc}, "#fabc"},
		{Value{Type: TypeIntColorRGB4, Data: 0xffaabbcc}, "#abc"},
		{Value{Type: 0x42, Data: 7}, "(type 0x42)0x7"},
	}
	for _, tt := range tests {
		if got := tt.v.Format(); got != tt.want {
			t.Errorf("%+v.Format() = %q, want %q", tt.v, got, tt.want)
		}
	}
	b := []byte{8, 0, 0, TypeReference, 1, 0, 4, 0x7f}
	v, err := ReadValue(b, 0)
	if err != nil || v != (Value{Size: 8, Type: TypeReference, Data: 0x7f040001}) || !v.IsReference() {
		t.Errorf("ReadValue = %+v, %v", v, err)
	}
	if _, err := ReadValue(b, 1); err == nil {
		t.Error("ReadValue past end succeeded")
	}
}

func TestStringPoolConcurrent(t *testing.T) {
	tp := testPool{utf8: true}
	for i := range 200 {
		tp.recs = append(tp.recs, str8(strings.Repeat("s", i%17)))
	}
	tp.recs = append(tp.recs, enc8("bad", 9))
	p, err := ParseStringPool(tp.build(), 0, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for range 4 {
		go func() {
			ok := true
			for i := range p.Len() {
				s, err := p.String(uint32(i))
				if i < 200 {
					ok = ok && err == nil && len(s) == i%17
				} else {
					ok = ok && err != nil
				}
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent String calls disagreed")
		}
	}
}

// TestUnterminatedStrings: strings whose terminator is missing (the last
// byte of the pool is still 0, so ResStringPool::setTo accepts the pool) are
// read by their length, as ResStringPool::stringAt did up to Android 4.4,
// and each is reported once with ErrUnterminated, marked as rejected by
// current Android (stringAt/stringDecodeAt: "string #%d is not
// null-terminated").
func TestUnterminatedStrings(t *testing.T) {
	for _, tp := range []testPool{
		{utf8: true, recs: [][]byte{{3, 3, 'a', 'b', 'c'}, {2, 2, 'd', 'e', 0}}},
		{recs: [][]byte{{3, 0, 'a', 0, 'b', 0, 'c', 0}, {2, 0, 'd', 0, 'e', 0, 0, 0}}},
	} {
		p, err := ParseStringPool(tp.build(), 0, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			for i, want := range []string{"abc", "de"} {
				if s, err := p.String(uint32(i)); err != nil || s != want {
					t.Errorf("utf8=%v String(%d) = %q, %v; want %q", tp.utf8, i, s, err, want)
				}
				if s, err := p.FrameworkString(uint32(i)); err != nil || s != want {
					t.Errorf("utf8=%v FrameworkString(%d) = %q, %v; want %q", tp.utf8, i, s, err, want)
				}
			}
		}
		var un []error
		for _, w := range p.Warnings() {
			if errors.Is(w, ErrUnterminated) {
				un = append(un, w)
			}
		}
		if len(un) != 1 || !strings.Contains(un[0].Error(), "string #0") || !strings.Contains(un[0].Error(), "4.4") {
			t.Fatalf("utf8=%v: unterminated warnings %v, want one for string #0 naming Android 4.4", tp.utf8, un)
		}
		if fe := un[0].(*FormatError); !fe.AndroidRejects {
			t.Errorf("warning not marked as rejected by Android")
		}
	}
}

// TestFrameworkString: PackageManager reads manifest strings through
// StringBlock (android_util_StringBlock.cpp nativeGetString: string8At,
// then NewStringUTF), which uses the UTF-8 byte length, ignores the stored
// UTF-16 length and ends the string at its first NUL. The native reader
// (ResStringPool::stringAt) refuses a wrong UTF-16 length and keeps NULs.
func TestFrameworkString(t *testing.T) {
	tp := testPool{utf8: true, recs: [][]byte{
		str8("plain"),
		enc8("android.permission.CAMERA", 3),                // wrong UTF-16 length
		enc8("com.evil\x00.decoy", len("com.evil.decoy")+1), // embedded NUL
	}}
	p, err := ParseStringPool(tp.build(), 0, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		i          uint32
		fw, native string
		nativeErr  bool
	}{
		{0, "plain", "plain", false},
		{1, "android.permission.CAMERA", "", true},
		{2, "com.evil", "com.evil\x00.decoy", false},
	}
	for _, tt := range tests {
		fw, err := p.FrameworkString(tt.i)
		if err != nil || fw != tt.fw {
			t.Errorf("FrameworkString(%d) = %q, %v; want %q", tt.i, fw, err, tt.fw)
		}
		native, err := p.String(tt.i)
		if (err != nil) != tt.nativeErr || native != tt.native {
			t.Errorf("String(%d) = %q, %v; want %q (error %v)", tt.i, native, err, tt.native, tt.nativeErr)
		}
	}
	var mismatches []string
	for _, w := range p.Warnings() {
		if errors.Is(w, ErrReaderMismatch) {
			mismatches = append(mismatches, w.Error())
		}
	}
	if len(mismatches) != 2 || !strings.Contains(mismatches[0], "string #1") || !strings.Contains(mismatches[1], `"com.evil"`) {
		t.Errorf("mismatch warnings = %q", mismatches)
	}
	// A UTF-16 pool is read the same way by both.
	p16, _ := ParseStringPool(testPool{recs: [][]byte{str16([]uint16{'a', 0, 'b'})}}.build(), 0, DefaultLimits())
	if s, err := p16.FrameworkString(0); err != nil || s != "a\x00b" {
		t.Errorf("UTF-16 FrameworkString = %q, %v", s, err)
	}
}

// TestLazyWarningCap: warnings found while decoding stay within MaxWarnings.
func TestLazyWarningCap(t *testing.T) {
	var recs [][]byte
	for range 10 {
		recs = append(recs, []byte{1, 1, 'x'})
	}
	recs = append(recs, []byte{0, 0, 0}) // ends the 10th string: nine lack terminators
	p, err := ParseStringPool(testPool{utf8: true, recs: recs}.build(), 0, Limits{MaxWarnings: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Len() {
		p.String(uint32(i))
	}
	ws := p.Warnings()
	if len(ws) != 4 || !errors.Is(ws[3], ErrLimit) || !strings.Contains(ws[3].Error(), "6 more") {
		t.Errorf("warnings = %v", ws)
	}
}

// A pool whose 100000 entries all point at one 1000-character string (in
// each encoding, and one with a wrong UTF-16 length, which fails): every
// index reads it, but its characters are decoded once, so the memory the
// reads take stays linear in the entries (it was entries × length, here
// 320 MB, and 1 M entries at a 1 MB string would have been 2 TB). Errors
// and warnings still name each index; warnings past MaxWarnings are only
// counted, not formatted.
func TestSharedStringOffsets(t *testing.T) {
	const n = 100000
	long := strings.Repeat("é", 1000)
	bad := enc8(long, 7)
	for _, tp := range []testPool{
		{utf8: true, recs: [][]byte{str8(long)}},
		{recs: [][]byte{str16(utf16.Encode([]rune(long)))}},
		{utf8: true, recs: [][]byte{bad}},
	} {
		tp.offsets = make([]uint32, n)
		p, err := ParseStringPool(tp.build(), 0, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for i := range uint32(n) {
			s, err := p.String(i)
			if string(tp.recs[0]) == string(bad) {
				if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("string #%d:", i)) {
					t.Fatalf("String(%d) = %v, want its length error", i, err)
				}
			} else if err != nil || s != long {
				t.Fatalf("utf8=%v String(%d): %d bytes, %v", tp.utf8, i, len(s), err)
			}
			if _, err := p.FrameworkString(i); err != nil {
				t.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		// Each failing index makes its own error, but the pool keeps
		// none of them (nor a warning key per index past the cap).
		limit := uint64(20 << 20)
		if string(tp.recs[0]) == string(bad) {
			limit = 200 << 20
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > limit {
			t.Errorf("utf8=%v %q: reading every index allocated %d MB", tp.utf8, tp.recs[0][:4], got>>20)
		}
		if kept := int64(after.HeapAlloc) - int64(before.HeapAlloc); kept > 4<<20 {
			t.Errorf("utf8=%v %q: the pool keeps %d MB after reading every index", tp.utf8, tp.recs[0][:4], kept>>20)
		}
		runtime.KeepAlive(p)
	}
}

// TestContainsAny: ContainsAny answers as strings.ContainsAny over String
// would, fails where String fails, and records the warnings String does,
// for strings whose stored bytes and decoded text differ.
func TestContainsAny(t *testing.T) {
	for _, tp := range []testPool{
		{utf8: true, recs: [][]byte{
			str8("plain"), str8("a.b"), str8("http://x"), str8("héllo:"), str8(""),
			enc8("\xc0\xae", 1),           // invalid: Android's lenient reading makes it '.'
			enc8("\xed\xa0\x80x", 2),      // CESU-8 lone surrogate
			{3, 3, 'a', '.', 'c'},         // unterminated
			enc8("a:b", 9),                // UTF-16 length wrong: String fails
			{0x80, 0x80, 0x80, 0x80, 'x'}, // length past the pool
		}},
		{recs: [][]byte{
			str16([]uint16{'a', 'b'}), str16([]uint16{'a', '.', 'b'}), str16([]uint16{0xd800, ':'}),
			str16([]uint16{0x012e, 0x3a00}), // '.' and ':' in the other byte: neither is there
			{2, 0, 'a', 0, ':', 0},          // unterminated
		}},
	} {
		pool := tp.build()
		byString, err := ParseStringPool(pool, 0, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		byBytes, _ := ParseStringPool(pool, 0, DefaultLimits())
		for i := range byString.Len() {
			s, serr := byString.String(uint32(i))
			has, err := byBytes.ContainsAny(uint32(i), ".:")
			if (err == nil) != (serr == nil) || (err == nil && has != strings.ContainsAny(s, ".:")) {
				t.Errorf("utf8=%v string #%d %q (%v): ContainsAny = %v, %v", tp.utf8, i, s, serr, has, err)
			}
			// Asked again, from what String cached.
			if again, err2 := byString.ContainsAny(uint32(i), ".:"); again != has || (err2 == nil) != (err == nil) {
				t.Errorf("utf8=%v string #%d: ContainsAny after String = %v, %v; before %v, %v", tp.utf8, i, again, err2, has, err)
			}
		}
		if a, b := fmt.Sprint(byBytes.Warnings()), fmt.Sprint(byString.Warnings()); a != b {
			t.Errorf("utf8=%v: warnings\n%s\nwant, as String records them,\n%s", tp.utf8, a, b)
		}
	}
}
