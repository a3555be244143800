package dex

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"appxray/internal/corpus"
)

// FuzzParse parses, walks every method and resolves every reference the walk
// reports. Seeds: testdata/*.dex, synthetic files from the test builder and,
// when the corpus is set up, its small dex files. The seeds are real files of
// several kilobytes, so run with a short -fuzzminimizetime (such as 2s):
// the default of 60s spends most of a short run minimising.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.dex")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(simpleDex([]uint16{0x001a, 5, 0x0000, 0x0100, 1, 0, 0, 0, 0, 0x20fa, mFoo, 0x0010, 1, 0x000e}))
	f.Add(buildDex(testDex{version: "041", classes: []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: []uint16{0x001a, 4, 0x000e}}}}}}))
	// As ART reads them: a non-canonical LEB128, a class its verifier
	// rejects, code shared by several classes.
	f.Add(buildDex(testDex{classes: []testClass{{classIdx: 0, classData: []byte{0, 0, 0x81, 0x80, 0x80, 0x80, 0xf0, 0, byte(mInit), 1, 0}}}}))
	f.Add(buildDex(testDex{classes: []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: []uint16{0x001a, 4, 0x003e, 0x000e}}}}}}))
	{
		b := buildDex(testDex{classes: []testClass{{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: []uint16{0x001a, 4, 0x000e}}}}, {classIdx: 0}, {classIdx: 0}}})
		cd := le.Uint32(b[0x64:])
		for i := uint32(1); i <= 2; i++ {
			le.PutUint32(b[cd+32*i+24:], le.Uint32(b[cd+24:]))
		}
		f.Add(resum(b))
	}
	if corpus.Present() {
		for _, p := range corpus.DEXes(f) {
			if st, err := os.Stat(p); err == nil && st.Size() < 64<<10 {
				b, err := os.ReadFile(p)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	} else {
		f.Logf("corpus not set up: fuzzing from testdata and synthetic seeds only")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		files, err := ParseAll(data, Limits{MaxWarnings: 20, MaxSections: 8})
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FormatError: %v", err)
			}
		}
		for _, df := range files {
			exercise(t, df)
		}
	})
}

// exercise touches everything reachable in f. Indices reported by Walk must
// be in range.
func exercise(t *testing.T, f *File) {
	h := &f.Header
	check := func(r Ref, size uint32) {
		if r.Index >= size {
			t.Fatalf("Walk reported %s index %d, table has %d", r.Kind, r.Index, size)
		}
	}
	_, _ = f.ClassDefs()
	for i := 0; i < f.NumClassDefs(); i++ {
		it, _ := f.ClassDefItem(i)
		cd, err := f.ClassData(it.ClassDataOff)
		if err != nil {
			continue
		}
		for _, m := range append(cd.DirectMethods, cd.VirtualMethods...) {
			_, _ = f.Method(m.MethodIdx)
			if m.CodeOff != 0 {
				_, _ = f.Code(m.CodeOff)
			}
		}
	}
	_ = f.Walk(context.Background(), func(m *Method) error {
		for _, r := range m.Invokes {
			if r.Kind == RefCallSite {
				check(r, f.NumCallSites())
				_, _ = f.CallSite(r.Index)
				continue
			}
			check(r, h.MethodIDsSize)
			_, _ = f.Method(r.Index)
		}
		for _, r := range m.Strings {
			check(r, h.StringIDsSize)
			_, _ = f.String(r.Index)
		}
		for _, l := range [][]Ref{m.StaticGets, m.StaticPuts, m.InstanceGets, m.InstancePuts} {
			for _, r := range l {
				check(r, h.FieldIDsSize)
				_, _ = f.Field(r.Index)
			}
		}
		for _, r := range m.Types {
			check(r, h.TypeIDsSize)
			_, _ = f.TypeName(r.Index)
		}
		for _, r := range m.Constants {
			if r.Kind == RefProto {
				check(r, h.ProtoIDsSize)
				_, _ = f.Proto(r.Index)
			} else {
				check(r, f.NumMethodHandles())
				_, _ = f.MethodHandle(r.Index)
			}
		}
		return nil
	})
	_ = f.ComputeChecksum()
	_ = f.FindMethods("Ljava/lang/Object;", "<init>")
	_ = f.FindFields("Lcom/a/B;", "f")
}
