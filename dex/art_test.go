package dex

import (
	"errors"
	"strings"
	"testing"
)

// warningsWrapping lists the warnings of f that wrap target.
func warningsWrapping(f *File, target error) []error {
	var out []error
	for _, w := range f.AllWarnings() {
		if errors.Is(w, target) {
			out = append(out, w)
		}
	}
	return out
}

// TestNonCanonicalLEB128: ART's DecodeUnsignedLeb128 (leb128.h) reads at
// most five bytes and takes the fifth whole, dropping the bits above 32
// ("we tolerate garbage in the four high-order bits"), even with its
// continuation bit set. A class_data_item whose counts are encoded so is a
// class ART loads; it used to be dropped as a bad LEB128.
func TestNonCanonicalLEB128(t *testing.T) {
	one := []byte{0x81, 0x80, 0x80, 0x80, 0xf0} // 1, with garbage in the fifth byte
	data := append([]byte{0, 0}, one...)        // static, instance, direct=1
	data = append(data, 0)                      // virtual
	data = append(data, byte(mInit), 0x01, 0)   // <init>, public, no code
	f := mustParse(t, buildDex(testDex{classes: []testClass{{classIdx: 0, classData: data}}}))
	it, _ := f.ClassDefItem(0)
	cd, err := f.ClassData(it.ClassDataOff)
	if err != nil || len(cd.DirectMethods) != 1 || cd.DirectMethods[0].MethodIdx != mInit {
		t.Fatalf("ClassData = %+v, %v", cd, err)
	}
	ws := warningsWrapping(f, ErrNonCanonicalLEB128)
	if len(ws) != 1 || !strings.Contains(ws[0].Error(), "fifth byte 0xf0") {
		t.Errorf("warnings = %v", f.Warnings)
	}
	if v, n, ok := uleb128([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0); !ok || n != 5 || v != 0xffffffff {
		t.Errorf("uleb128 = 0x%x, %d, %v; want 0xffffffff after 5 bytes", v, n, ok)
	}
}

// TestClassRejected: a method whose bytecode ART's method verifier
// hard-fails (here an unused opcode, 0x3e) makes the class throw
// VerifyError; the class is reported, named, instead of silently losing
// its code, and the other classes are still walked.
func TestClassRejected(t *testing.T) {
	bad := testClass{classIdx: 0, virtual: []testMethod{{methodIdx: mFoo, code: []uint16{0x001a, 4, 0x003e, 0x000e}}}}
	good := testClass{classIdx: 4, direct: []testMethod{{methodIdx: mBar, code: []uint16{0x001a, 4, 0x000e}}}}
	f := mustParse(t, buildDex(testDex{classes: []testClass{bad, good}}))
	refs, errs := walkAll(t, f)
	if errs[mFoo] == nil || len(refs[mFoo]) != 1 || len(refs[mBar]) != 1 {
		t.Errorf("refs %v, errors %v", refs, errs)
	}
	ws := warningsWrapping(f, ErrClassRejected)
	if len(ws) != 1 || !strings.Contains(ws[0].Error(), "Lcom/a/B;") || !strings.Contains(ws[0].Error(), "foo(I)V") {
		t.Errorf("class rejections = %v", ws)
	}
	var fe *FormatError
	if errors.As(ws[0], &fe) && fe.AndroidRejects {
		t.Errorf("a rejected class marked as rejecting the whole file")
	}
}

// TestHeaderRejected: DexFileVerifier::CheckHeader refuses a file whose
// Adler-32 checksum or header_size is wrong; each is a warning wrapping
// ErrHeaderRejected, marked as rejected by Android, and the file is still
// read.
func TestHeaderRejected(t *testing.T) {
	good := simpleDex([]uint16{0x000e})
	if ws := warningsWrapping(mustParse(t, good), ErrHeaderRejected); len(ws) != 0 {
		t.Fatalf("valid file: %v", ws)
	}
	b := append([]byte(nil), good...)
	b[8] ^= 1
	f := mustParse(t, b)
	ws := warningsWrapping(f, ErrHeaderRejected)
	var fe *FormatError
	if len(ws) != 1 || !strings.Contains(ws[0].Error(), "checksum") || !errors.As(ws[0], &fe) || !fe.AndroidRejects || fe.Offset != 8 {
		t.Errorf("bad checksum: %v", ws)
	}
	if _, err := f.ClassDef(0); err != nil {
		t.Errorf("file not read: %v", err)
	}
}
