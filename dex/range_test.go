package dex

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// bigDex builds a file of about 5 MB: 16 classes of one 300 KB method each,
// the eleventh's bytecode rejected (unused opcode 0x3e).
func bigDex(t *testing.T) *File {
	t.Helper()
	var classes []testClass
	for i := range 16 {
		code := make([]uint16, 150_000)
		code[0], code[1] = 0x001a, 4 // const-string v0, string@4
		if i == 10 {
			code[2] = 0x003e
		}
		code[len(code)-1] = 0x000e
		classes = append(classes, testClass{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: code}}})
	}
	return mustParse(t, buildDex(testDex{classes: classes}))
}

// TestRangesWalkInParallel: the ranges cover every class definition in
// order, and walking them in parallel finds what one serial walk finds, in
// the same order once the ranges are put back together; every walk finds
// the rejected class, which is recorded once.
func TestRangesWalkInParallel(t *testing.T) {
	f := bigDex(t)
	rs := f.Ranges()
	if len(rs) < 2 {
		t.Fatalf("a %d-byte file has %d range(s), want more than one", len(f.data), len(rs))
	}
	next := 0
	for _, r := range rs {
		if r.Lo != next || r.Hi <= r.Lo {
			t.Fatalf("ranges %v do not tile the %d class definitions", rs, f.Header.ClassDefsSize)
		}
		next = r.Hi
	}
	if next != int(f.Header.ClassDefsSize) {
		t.Fatalf("ranges %v end at %d, want %d", rs, next, f.Header.ClassDefsSize)
	}
	record := func(out *[]string) func(m *Method) error {
		return func(m *Method) error {
			*out = append(*out, fmt.Sprintf("%d:%d:%d:%v", m.ClassDef, m.MethodIdx, len(m.Strings), m.Err != nil))
			return nil
		}
	}
	var serial []string
	if err := f.Walk(context.Background(), record(&serial)); err != nil {
		t.Fatal(err)
	}
	if len(serial) != 16 {
		t.Fatalf("serial walk: %d methods, want 16", len(serial))
	}
	parts := make([][]string, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() {
			if err := f.WalkRange(context.Background(), r, record(&parts[i])); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := slices.Concat(parts...); !slices.Equal(got, serial) {
		t.Errorf("parallel walk:\n%v\nserial walk:\n%v", got, serial)
	}
	if ws := warningsWrapping(f, ErrClassRejected); len(ws) != 1 {
		t.Errorf("class rejections after two walks: %v, want one", ws)
	}
}

// TestRefs: the references of one code item are what a walk reports for
// its method, and reading them records no warning of their own.
func TestRefs(t *testing.T) {
	code := []uint16{0x001a, 4, 0x1071, mBar, 0x0000, 0x001a, 999, 0x000e} // const-string, invoke-static, a bad string index
	f := mustParse(t, simpleDex(code))
	var walked []*Method
	if err := f.Walk(context.Background(), func(m *Method) error {
		c := *m
		c.Invokes, c.Strings = slices.Clone(m.Invokes), slices.Clone(m.Strings)
		walked = append(walked, &c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(walked) != 2 || walked[1].MethodIdx != mFoo {
		t.Fatalf("%d methods walked", len(walked))
	}
	foo := walked[1]
	before := len(f.AllWarnings())
	m, err := f.Refs(uint32(foo.CodeOffset))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Invokes, foo.Invokes) || !slices.Equal(m.Strings, foo.Strings) || len(m.Strings) != 1 || len(m.Invokes) != 1 {
		t.Errorf("Refs: invokes %v strings %v; the walk: %v %v", m.Invokes, m.Strings, foo.Invokes, foo.Strings)
	}
	if after := len(f.AllWarnings()); after != before || before != 1 {
		t.Errorf("warnings: %d after the walk, %d after Refs; want 1 and 1", before, after)
	}
	if _, err := f.Refs(0xfffffff0); err == nil {
		t.Error("Refs of a code item past the end: no error")
	}
}

// TestResolvedOnce: methods and protos resolved from many goroutines at
// once are the ones resolved afresh.
func TestResolvedOnce(t *testing.T) {
	f := mustParse(t, simpleDex([]uint16{0x000e}))
	var want []MethodRef
	for i := range f.Header.MethodIDsSize {
		m, err := f.method(i)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, m)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				for i := range f.Header.MethodIDsSize {
					if m, err := f.Method(i); err != nil || m != want[i] {
						t.Errorf("Method(%d) = %v, %v; want %v", i, m, err, want[i])
					}
					p, _ := f.MethodID(i)
					if s, err := f.Proto(uint32(p.TypeIdx)); err != nil || s != want[i].Proto {
						t.Errorf("Proto(%d) = %q, %v; want %q", p.TypeIdx, s, err, want[i].Proto)
					}
				}
			}
		})
	}
	wg.Wait()
	if _, err := f.Method(f.Header.MethodIDsSize); err == nil {
		t.Error("Method past the table: no error")
	}
}
