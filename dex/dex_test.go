package dex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func mustParse(t *testing.T, b []byte) *File {
	t.Helper()
	f, err := Parse(b, Limits{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// walkAll collects "pc op kind@index" for every method, keyed by method index.
func walkAll(t *testing.T, f *File) (map[uint32][]string, map[uint32]error) {
	t.Helper()
	refs := map[uint32][]string{}
	errs := map[uint32]error{}
	err := f.Walk(context.Background(), func(m *Method) error {
		var all []Ref
		for _, l := range [][]Ref{m.Invokes, m.Strings, m.StaticGets, m.StaticPuts, m.InstanceGets, m.InstancePuts, m.Types, m.Constants} {
			all = append(all, l...)
		}
		sortRefs(all)
		var s []string
		for _, r := range all {
			s = append(s, fmt.Sprintf("%x %s %s@%d", r.PC, OpName(r.Op), r.Kind, r.Index))
		}
		refs[m.MethodIdx] = s
		if m.Err != nil {
			errs[m.MethodIdx] = m.Err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return refs, errs
}

func TestResolve(t *testing.T) {
	f := mustParse(t, simpleDex([]uint16{0x000e}))
	if f.Header.Version != 35 || f.Header.StringIDsSize != uint32(len(testStrings)) {
		t.Fatalf("header: %+v", f.Header)
	}
	if len(f.Warnings) != 0 {
		t.Fatalf("warnings: %v", f.Warnings)
	}
	if got := f.ComputeChecksum(); got == 0 {
		t.Errorf("checksum 0")
	}
	s, err := f.String(5)
	if err != nil || s != "hello\x00wörld😀" {
		t.Errorf("String(5) = %q, %v", s, err)
	}
	m, err := f.Method(mFoo)
	if err != nil || m.String() != "Lcom/a/B;->foo(I)V" {
		t.Errorf("Method = %v, %v", m, err)
	}
	m, err = f.Method(mObjectInit)
	if err != nil || m.String() != "Ljava/lang/Object;-><init>()V" {
		t.Errorf("Method = %v, %v", m, err)
	}
	fr, err := f.Field(0)
	if err != nil || fr.String() != "Lcom/a/B;->f:I" {
		t.Errorf("Field = %v, %v", fr, err)
	}
	if p, err := f.Proto(1); err != nil || p != "(I)V" {
		t.Errorf("Proto = %q, %v", p, err)
	}
	cds, err := f.ClassDefs()
	if err != nil || len(cds) != 1 || cds[0].Class != "Lcom/a/B;" || cds[0].Superclass != "Ljava/lang/Object;" || cds[0].SourceFile != "" {
		t.Errorf("ClassDefs = %+v, %v", cds, err)
	}
	cd, err := f.ClassData(cds[0].Item.ClassDataOff)
	if err != nil || len(cd.DirectMethods) != 1 || cd.DirectMethods[0].MethodIdx != mInit || len(cd.VirtualMethods) != 1 || cd.VirtualMethods[0].MethodIdx != mFoo {
		t.Errorf("ClassData = %+v, %v", cd, err)
	}
	// Out-of-range indices are errors, not panics.
	for _, fn := range []func() error{
		func() error { _, err := f.String(1000); return err },
		func() error { _, err := f.TypeName(1000); return err },
		func() error { _, err := f.Method(1000); return err },
		func() error { _, err := f.Field(1000); return err },
		func() error { _, err := f.Proto(1000); return err },
		func() error { _, err := f.ClassDef(5); return err },
		func() error { _, err := f.CallSiteOffset(0); return err },
		func() error { _, err := f.MethodHandle(0); return err },
	} {
		var fe *FormatError
		if err := fn(); !errors.As(err, &fe) {
			t.Errorf("want *FormatError, got %v", err)
		}
	}
}

func TestWalk(t *testing.T) {
	tests := []struct {
		name    string
		code    []uint16
		want    []string
		wantErr string // substring of Method.Err
		warns   bool   // warnings expected even without wantErr
	}{
		{
			name: "every reference kind",
			code: []uint16{
				0x001a, 5, // 0: const-string v0, string@5
				0x001b, 4, 0, // 2: const-string/jumbo v0, string@4
				0x0060, 0, // 5: sget v0, field@0
				0x0067, 0, // 7: sput
				0x0052, 0, // 9: iget v0, v0, field@0
				0x0059, 0, // b: iput
				0x1022, 0, // d: new-instance v0, type@0  (hmm: AA|op)
				0x001c, 4, // f: const-class v0, type@4
				0x206e, mFoo, 0x0010, // 11: invoke-virtual {v0, v1}, method@1
				0x0174, mBar, 0x0000, // 14: invoke-virtual/range {v0}, method@3
				0x1071, mBar, 0x0000, // 17: invoke-static {v0}, method@3
				0x000e, // 1a: return-void
			},
			want: []string{
				"0 const-string string@5", "2 const-string/jumbo string@4", "5 sget field@0", "7 sput field@0",
				"9 iget field@0", "b iput field@0", "d new-instance type@0", "f const-class type@4",
				"11 invoke-virtual method@1", "14 invoke-virtual/range method@3", "17 invoke-static method@3",
			},
		},
		{
			name: "payloads are skipped wherever they are",
			// Payload data is const-string-like, so a wrong payload size
			// produces references or warnings.
			code: []uint16{
				0x0000,          // 0: nop
				0x0300, 2, 3, 0, // 1: fill-array-data-payload, width 2, 3 elements
				0x001a, 0x0003, 0x001a, // 5: element data
				0x0100, 1, 0x001a, 0x0003, 0x001a, 0x0003, // 8: packed-switch-payload, 1 target
				0x0200, 1, 0x001a, 0x0003, 0x001a, 0x0003, // e: sparse-switch-payload, 1 key
				0x001a, 4, // 14: const-string v0, string@4
				0x0000, // 16: nop
				0x000e, // 17: return-void
			},
			want: []string{"14 const-string string@4"},
		},
		{
			name: "fill-array-data with odd byte count",
			code: []uint16{
				0x0300, 1, 3, 0, 0x6e6e, 0x006e, // 0: 3 one-byte elements use 2 units
				0x001a, 3, // 6
			},
			want: []string{"6 const-string string@3"},
		},
		{
			name:    "unused opcode stops the method",
			code:    []uint16{0x001a, 3, 0x003e, 0x001a, 4},
			want:    []string{"0 const-string string@3"},
			wantErr: "unused opcode 0x3e at pc 0x2",
		},
		{
			name:    "unused opcode 0x73",
			code:    []uint16{0x0073, 0x001a, 4},
			wantErr: "unused opcode 0x73",
		},
		{
			name:    "truncated instruction",
			code:    []uint16{0x001a, 3, 0x206e, mFoo},
			want:    []string{"0 const-string string@3"},
			wantErr: "invoke-virtual at pc 0x2 runs past end of code",
		},
		{
			name:    "payload runs past the end",
			code:    []uint16{0x0100, 100, 0, 0},
			wantErr: "payload runs past end of code",
		},
		{
			name:    "payload header truncated",
			code:    []uint16{0x001a, 3, 0x0300, 1},
			want:    []string{"0 const-string string@3"},
			wantErr: "payload header runs past end of code",
		},
		{
			name: "huge fill-array-data size does not overflow",
			code: []uint16{0x0300, 0xffff, 0xffff, 0xffff}, wantErr: "payload runs past end of code",
		},
		{
			name: "other nop high bytes are plain nops",
			code: []uint16{0x0400, 0x001a, 3},
			want: []string{"1 const-string string@3"},
		},
		{
			name:  "out-of-range references are dropped",
			code:  []uint16{0x206e, 999, 0, 0x001a, 999, 0x0060, 999, 0x001a, 3},
			want:  []string{"7 const-string string@3"},
			warns: true,
		},
		{
			name: "invoke-polymorphic and invoke-custom",
			code: []uint16{0x20fa, mFoo, 0x0010, 1, 0x01fb, mFoo, 0, 1, 0x00fc, 0, 0},
			// No call sites in the file: the invoke-custom is out of range.
			want:  []string{"0 invoke-polymorphic method@1", "4 invoke-polymorphic/range method@1"},
			warns: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, simpleDex(tc.code))
			refs, errs := walkAll(t, f)
			if got := refs[mInit]; strings.Join(got, ",") != "0 invoke-direct method@0" {
				t.Errorf("<init> refs = %q", got)
			}
			if got := refs[mFoo]; strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("refs:\n got %q\nwant %q", got, tc.want)
			}
			err := errs[mFoo]
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected Err: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Err = %v, want %q", err, tc.wantErr)
			}
			if tc.wantErr == "" && !tc.warns && len(f.AllWarnings()) > 0 {
				t.Errorf("unexpected warnings: %v", f.AllWarnings())
			}
			if tc.wantErr != "" {
				found := false
				for _, w := range f.AllWarnings() {
					found = found || strings.Contains(w.Error(), tc.wantErr)
				}
				if !found {
					t.Errorf("warning %q not recorded: %v", tc.wantErr, f.AllWarnings())
				}
			}
		})
	}
}

func TestWalkBrokenClasses(t *testing.T) {
	good := testClass{classIdx: 4, direct: []testMethod{{methodIdx: mBar, code: []uint16{0x001a, 4, 0x000e}}}}
	tests := []struct {
		name string
		bad  testClass
		warn string
	}{
		// ART reads five bytes and drops the fifth's high bits; the counts
		// that follow are then garbage.
		{"non-canonical uleb128", testClass{classIdx: 0, classData: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, "non-canonical LEB128"},
		{"method index out of range", testClass{classIdx: 0, direct: []testMethod{{methodIdx: 77, code: []uint16{0x000e}}}}, "method index 77 out of range"},
		{"index overflow", testClass{classIdx: 0, classData: []byte{0, 0, 2, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0}}, "method index overflows"},
		{"duplicate method", testClass{classIdx: 0, classData: []byte{0, 0, 2, 0, 1, 0, 0, 0, 0, 0}}, "index difference 0"},
		{"method count beyond the data", testClass{classIdx: 0, classData: []byte{0, 0, 0x80, 0x80, 0x04, 0}}, "class_def 0"},
		{"code beyond end of file", testClass{classIdx: 0, direct: []testMethod{{methodIdx: mInit, codeOff: 0xfffff0}}}, "code_item header beyond end of file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, buildDex(testDex{classes: []testClass{tc.bad, good}}))
			refs, _ := walkAll(t, f)
			if got := strings.Join(refs[mBar], ","); got != "0 const-string string@4" {
				t.Errorf("next class not walked: %q", got)
			}
			found := false
			for _, w := range f.AllWarnings() {
				found = found || strings.Contains(w.Error(), tc.warn)
			}
			if !found {
				t.Errorf("no warning %q in %v", tc.warn, f.AllWarnings())
			}
		})
	}
}

func TestWalkStops(t *testing.T) {
	f := mustParse(t, simpleDex([]uint16{0x000e}))
	stop := errors.New("stop")
	n := 0
	if err := f.Walk(context.Background(), func(*Method) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Walk = %v after %d calls, want stop after 1", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Walk(ctx, func(*Method) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("Walk with cancelled context = %v", err)
	}
}

func TestWalkAllocations(t *testing.T) {
	code := []uint16{0x001a, 5, 0x206e, mFoo, 0x0010, 0x0060, 0, 0x000e}
	var classes []testClass
	for i := 0; i < 50; i++ {
		classes = append(classes, testClass{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: code}}})
	}
	f := mustParse(t, buildDex(testDex{classes: classes}))
	ctx := context.Background()
	fn := func(m *Method) error { return nil }
	allocs := testing.AllocsPerRun(20, func() { _ = f.Walk(ctx, fn) })
	// One Method and the first growth of each slice; nothing per method.
	if allocs > 5 {
		t.Errorf("Walk of 50 methods: %v allocations", allocs)
	}
}

func TestParseErrors(t *testing.T) {
	good := simpleDex([]uint16{0x000e})
	mod := func(fn func(b []byte) []byte) []byte { return fn(append([]byte(nil), good...)) }
	put := func(at int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { le.PutUint32(b[at:], v); return b }
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"short", good[:100], "too short"},
		{"bad magic", mod(func(b []byte) []byte { b[0] = 'D'; return b }), "bad magic"},
		{"version 034", mod(func(b []byte) []byte { copy(b[4:], "034"); return b }), "unsupported dex version 034"},
		{"version 042", mod(func(b []byte) []byte { copy(b[4:], "042"); return b }), "unsupported dex version 042"},
		{"big endian", mod(put(0x28, reverseEndian)), "big-endian"},
		{"bad endian", mod(put(0x28, 7)), "bad endian tag"},
		{"small header", mod(put(0x24, 0x20)), "header_size"},
		{"string ids past end", mod(put(0x38, 1<<30)), "string_ids"},
		{"method ids past end", mod(put(0x5c, 0xfffffff0)), "method_ids"},
		{"class defs past end", mod(put(0x60, 0x10000000)), "class_defs"},
		{"too many types", mod(put(0x40, 70000)), "type_ids_size 70000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.data, Limits{})
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse = %v, want FormatError containing %q", err, tc.want)
			}
		})
	}
	if _, err := Parse(good, Limits{MaxFileSize: 100}); err == nil {
		t.Error("MaxFileSize not enforced")
	}
}

func TestParseWarnings(t *testing.T) {
	good := simpleDex([]uint16{0x000e})
	tests := []struct {
		name string
		at   int
		v    uint32
		want string
	}{
		{"file size", 0x20, 12, "file_size 12 differs"},
		{"no map", 0x34, 0, "no map_list"},
		{"map past end", 0x34, 0xfffffff0, "map_off"},
		{"link section", 0x2c, 8, "link section"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := append([]byte(nil), good...)
			le.PutUint32(b[tc.at:], tc.v)
			f := mustParse(t, b)
			if len(f.Warnings) == 0 || !strings.Contains(fmt.Sprint(f.Warnings), tc.want) {
				t.Errorf("warnings %v, want %q", f.Warnings, tc.want)
			}
			// Everything stays usable.
			if s, err := f.String(4); err != nil || s != "foo" {
				t.Errorf("String = %q, %v", s, err)
			}
		})
	}
	// A map claiming too many items.
	b := append([]byte(nil), good...)
	mapOff := le.Uint32(b[0x34:])
	le.PutUint32(b[mapOff:], 1<<28)
	f := mustParse(t, b)
	if f.Map != nil || !strings.Contains(fmt.Sprint(f.Warnings), "map_list of") {
		t.Errorf("oversized map: %v, %v", f.Map, f.Warnings)
	}
}

func TestWarningLimit(t *testing.T) {
	code := make([]uint16, 0, 600)
	for i := 0; i < 300; i++ {
		code = append(code, 0x001a, 999) // out-of-range strings
	}
	f, err := Parse(simpleDex(code), Limits{MaxWarnings: 10})
	if err != nil {
		t.Fatal(err)
	}
	walkAll(t, f)
	if len(f.AllWarnings()) != 10 || f.DroppedWarnings() != 290 {
		t.Errorf("%d warnings kept, %d dropped; want 10, 290", len(f.AllWarnings()), f.DroppedWarnings())
	}
}

func TestContainer(t *testing.T) {
	code := []uint16{0x001a, 4, 0x000e}
	a := buildDex(testDex{version: "041", classes: []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: code}}}}})
	b := buildDex(testDex{version: "041", base: len(a), classes: []testClass{{classIdx: 4, direct: []testMethod{{methodIdx: mBar, code: code}}}}})
	total := len(a) + len(b)
	le.PutUint32(a[0x70:], uint32(total))
	le.PutUint32(b[0x70:], uint32(total))
	resum(a)
	resum(b)
	data := append(append([]byte(nil), a...), b...)

	files, err := ParseAll(data, Limits{})
	if err != nil || len(files) != 2 {
		t.Fatalf("ParseAll: %d files, %v", len(files), err)
	}
	for i, want := range []string{"Lcom/a/B;", "Lcom/a/C;"} {
		f := files[i]
		if f.Header.Version != 41 || len(f.Warnings) != 0 {
			t.Errorf("section %d: version %d, warnings %v", i, f.Header.Version, f.Warnings)
		}
		c, err := f.ClassDef(0)
		if err != nil || c.Class != want {
			t.Errorf("section %d: class %q, %v", i, c.Class, err)
		}
		refs, _ := walkAll(t, f)
		if len(refs) != 1 {
			t.Errorf("section %d: %d methods walked", i, len(refs))
		}
	}
	f, err := Parse(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range f.Warnings {
		found = found || errors.Is(w, ErrContainer)
	}
	if !found {
		t.Errorf("Parse of a two-section container: no ErrContainer warning in %v", f.Warnings)
	}
	if _, err := ParseAll(data, Limits{MaxSections: 1}); err == nil {
		t.Error("MaxSections not enforced")
	}
}

func TestDecodeMUTF8(t *testing.T) {
	tests := []struct {
		in   string
		want string
		bad  int
	}{
		{"", "", -1},
		{"abc", "abc", -1},
		{"a\xc0\x80b", "a\x00b", -1},
		{"\xc3\xa9", "é", -1},
		{"\xe2\x82\xac", "€", -1},
		{"\xed\xa0\xbd\xed\xb8\x80", "😀", -1},
		{"x\xed\xa0\xbdy", "x\uFFFDy", 1},           // lone high surrogate
		{"\xed\xb8\x80", "\uFFFD", 0},               // lone low surrogate
		{"\xed\xa0\xbd\xe2\x82\xac", "\uFFFD€", 0},  // high surrogate then non-surrogate
		{"\xc3", "\uFFFD", 0},                       // truncated
		{"a\xe2\x82", "a\uFFFD\uFFFD", 1},           // truncated three-byte
		{"\xff", "\uFFFD", 0},                       // invalid lead byte
		{"\xf0\x9f\x98\x80", "😀", -1},               // four-byte UTF-8: not MUTF-8, accepted
		{"\xf0\x9f\xc0\x80", "\uFFFD\uFFFD\x00", 0}, // broken four-byte sequence
	}
	for _, tc := range tests {
		got, bad := DecodeMUTF8([]byte(tc.in))
		if got != tc.want || bad != tc.bad {
			t.Errorf("DecodeMUTF8(%q) = %q, %d; want %q, %d", tc.in, got, bad, tc.want, tc.bad)
		}
	}
}

func TestOpcodeTable(t *testing.T) {
	// Sizes by format, spot-checked against the Dalvik bytecode table.
	sizes := map[string]int{
		"nop": 1, "move/from16": 2, "move/16": 3, "const-wide": 5, "const-string": 2, "const-string/jumbo": 3,
		"fill-array-data": 3, "goto": 1, "goto/16": 2, "goto/32": 3, "packed-switch": 3, "if-eq": 2, "if-eqz": 2,
		"invoke-virtual": 3, "invoke-interface/range": 3, "invoke-polymorphic": 4, "invoke-polymorphic/range": 4,
		"invoke-custom": 3, "invoke-custom/range": 3, "const-method-handle": 2, "const-method-type": 2,
		"add-int/lit16": 2, "rsub-int": 2, "add-int/lit8": 2, "ushr-int/lit8": 2, "neg-int": 1, "add-int/2addr": 1,
		"add-int": 2, "rem-double": 2, "sget-short": 2, "iput-object": 2, "aget-wide": 2, "cmp-long": 2,
		"const/4": 1, "const/16": 2, "const": 3, "const-wide/32": 3, "const-wide/high16": 2, "filled-new-array/range": 3,
	}
	seen := map[string]bool{}
	unused := 0
	for op := 0; op < 256; op++ {
		name := OpName(uint8(op))
		if seen[name] {
			t.Errorf("duplicate name %q", name)
		}
		seen[name] = true
		if want, ok := sizes[name]; ok && OpSize(uint8(op)) != want {
			t.Errorf("%s: size %d, want %d", name, OpSize(uint8(op)), want)
		}
		if strings.HasPrefix(name, "unused") {
			unused++
		}
		if s := OpSize(uint8(op)); s < 1 || s > 5 {
			t.Errorf("%s: size %d", name, s)
		}
	}
	for name := range sizes {
		if !seen[name] {
			t.Errorf("no opcode %q", name)
		}
	}
	// 0x3e-0x43, 0x73, 0x79-0x7a, 0xe3-0xf9.
	if unused != 6+1+2+23 {
		t.Errorf("%d unused opcodes", unused)
	}
}

func TestWorkLimits(t *testing.T) {
	// Many class definitions sharing one class_data_item with a long method.
	code := make([]uint16, 2000)
	code[len(code)-1] = 0x000e
	classes := []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: code}}}}
	for i := 0; i < 200; i++ {
		classes = append(classes, testClass{classIdx: 0})
	}
	b := buildDex(testDex{classes: classes})
	classDefsOff := le.Uint32(b[0x64:])
	shared := le.Uint32(b[classDefsOff+24:])
	for i := uint32(1); i <= 200; i++ {
		le.PutUint32(b[classDefsOff+32*i+24:], shared)
	}
	// ART walks a shared code item once per method; here it is decoded
	// once and charged once, so every class is walked.
	f := mustParse(t, b)
	walked := 0
	err := f.Walk(context.Background(), func(m *Method) error {
		walked++
		if m.Code.InsnsSize != uint32(len(code)) {
			t.Fatalf("method %d: %d code units", walked, m.Code.InsnsSize)
		}
		return nil
	})
	if err != nil || walked != 201 {
		t.Errorf("Walk over shared code = %v after %d methods, want all 201", err, walked)
	}
	found := false
	for _, w := range f.Warnings {
		found = found || errors.Is(w, ErrSharedCode)
	}
	if !found {
		t.Errorf("no ErrSharedCode warning: %v", f.Warnings)
	}

	// A shared code item full of references still costs its references
	// each time: the work bound holds.
	code = make([]uint16, 0, 2000)
	for len(code) < 1998 {
		code = append(code, 0x001a, 4) // const-string v0, string@4
	}
	code = append(code, 0x000e)
	classes[0] = testClass{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: code}}}
	b = buildDex(testDex{classes: classes})
	classDefsOff = le.Uint32(b[0x64:])
	shared = le.Uint32(b[classDefsOff+24:])
	for i := uint32(1); i <= 200; i++ {
		le.PutUint32(b[classDefsOff+32*i+24:], shared)
	}
	f = mustParse(t, resum(b))
	walked, refs := 0, 0
	err = f.Walk(context.Background(), func(m *Method) error { walked++; refs += len(m.Strings); return nil })
	if !errors.Is(err, ErrWorkLimit) || !errors.Is(err, ErrLimit) {
		t.Errorf("Walk over shared references = %v after %d methods, want ErrWorkLimit and ErrLimit", err, walked)
	}
	if limit := 8*len(b) + 4096; refs > limit+len(code) {
		t.Errorf("reported %d references, budget %d", refs, limit)
	}

	// A type_list longer than Limits.MaxTypeList.
	f, err = Parse(simpleDex([]uint16{0x000e}), Limits{MaxTypeList: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Proto(1); err != nil {
		t.Errorf("one-parameter proto: %v", err)
	}
	// Protos once resolved are kept: read the rewritten bytes afresh.
	p, _ := f.ProtoID(1)
	two := bytes.Clone(f.data)
	le.PutUint32(two[p.ParametersOff:], 2)
	if f, err = Parse(two, Limits{MaxTypeList: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Proto(1); !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "MaxTypeList (1) exceeded") {
		t.Errorf("two-parameter proto with MaxTypeList 1: %v", err)
	}
}

func TestConcurrentWalks(t *testing.T) {
	f := mustParse(t, simpleDex([]uint16{0x001a, 999, 0x001a, 4, 0x000e}))
	done := make(chan int)
	for range 4 {
		go func() {
			n := 0
			_ = f.Walk(context.Background(), func(m *Method) error { n += len(m.Strings); _, _ = f.String(4); return nil })
			done <- n
		}()
	}
	for range 4 {
		if n := <-done; n != 1 {
			t.Errorf("walk found %d strings, want 1", n)
		}
	}
	// Every walk finds the bad string index; it is recorded once.
	if ws := f.AllWarnings(); len(ws) != 1 {
		t.Errorf("%d warnings, want 1 (each class's once, however many walks): %v", len(ws), ws)
	}
}

func TestVersions(t *testing.T) {
	for _, v := range []string{"035", "036", "037", "038", "039", "040", "041"} {
		f := mustParse(t, buildDex(testDex{version: v, classes: []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: []uint16{0x001a, 4, 0x000e}}}}}}))
		want, _ := strconv.Atoi(v)
		if f.Header.Version != want {
			t.Errorf("%s: Version %d", v, f.Header.Version)
		}
		if got := len(f.Warnings); (v == "036") != (got == 1) || got > 1 {
			t.Errorf("%s: warnings %v", v, f.Warnings)
		}
		if refs, _ := walkAll(t, f); strings.Join(refs[mFoo], ",") != "0 const-string string@4" {
			t.Errorf("%s: refs %q", v, refs[mFoo])
		}
	}
}
