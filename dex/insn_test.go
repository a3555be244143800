package dex

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

// insnLineRE matches one instruction line of dexdump -d: the file offset
// of the instruction, its pc and the text after it.
var insnLineRE = regexp.MustCompile(`^([0-9a-f]{6}): [0-9a-f ]+\|([0-9a-f]{4}): (\S+)(?: (.*))?$`)

var (
	dumpRegRE    = regexp.MustCompile(`\bv(\d+)\b`)
	dumpLitRE    = regexp.MustCompile(`// #([0-9a-f]+)$`)
	dumpBranchRE = regexp.MustCompile(`// ([+-][0-9a-f]+)$`)
	dumpRefRE    = regexp.MustCompile(`(?:// )?(method|type|field|string|proto|call_site|method_handle)@([0-9a-f]+)(?:, proto@([0-9a-f]+))?$`)
	dumpInlineRE = regexp.MustCompile(`(call_site|method_handle)@([0-9a-f]+)`)
)

// dumpedInsn is what one dexdump line says about an instruction.
type dumpedInsn struct {
	off, pc   uint32
	op        string
	regs      []uint32
	lit       string // raw hex after "// #"
	branch    string // "+0005", "-0003"
	ref       string // "method@0059", "call_site@0002"
	proto     string // hex, invoke-polymorphic
	multiline bool   // a const-string whose string spans lines
}

func parseDumpLine(line string) (dumpedInsn, bool) {
	m := insnLineRE.FindStringSubmatch(line)
	if m == nil {
		return dumpedInsn{}, false
	}
	off, _ := strconv.ParseUint(m[1], 16, 32)
	pc, _ := strconv.ParseUint(m[2], 16, 32)
	d := dumpedInsn{off: uint32(off), pc: uint32(pc), op: m[3]}
	ops := m[4]
	regPart := ops
	for _, stop := range []string{`"`, "#", "//", ", L", ", [", "call_site@", "method_handle@", ", ("} {
		if i := strings.Index(regPart, stop); i >= 0 {
			regPart = regPart[:i]
		}
	}
	for _, r := range dumpRegRE.FindAllStringSubmatch(regPart, -1) {
		v, _ := strconv.ParseUint(r[1], 10, 32)
		d.regs = append(d.regs, uint32(v))
	}
	if r := dumpLitRE.FindStringSubmatch(ops); r != nil {
		d.lit = r[1]
	}
	if r := dumpBranchRE.FindStringSubmatch(ops); r != nil {
		d.branch = r[1]
	}
	if r := dumpRefRE.FindStringSubmatch(ops); r != nil {
		d.ref = r[1] + "@" + r[2]
		d.proto = r[3]
	} else if r := dumpInlineRE.FindStringSubmatch(ops); r != nil {
		d.ref = r[1] + "@" + r[2]
	}
	if strings.HasPrefix(d.op, "const-string") && d.ref == "" {
		d.multiline = true
	}
	return d, true
}

// registers lists an instruction's register operands in dexdump's order.
func (in *Insn) registers() []uint32 {
	switch in.Format {
	case Fmt11n, Fmt11x, Fmt21t, Fmt21s, Fmt21h, Fmt21c, Fmt31i, Fmt31t, Fmt31c, Fmt51l:
		return []uint32{in.A}
	case Fmt12x, Fmt22x, Fmt22b, Fmt22t, Fmt22s, Fmt22c, Fmt32x:
		return []uint32{in.A, in.B}
	case Fmt23x:
		return []uint32{in.A, in.B, in.C}
	case Fmt35c, Fmt45cc, Fmt3rc, Fmt4rcc:
		out := make([]uint32, in.NArgs)
		for i := range out {
			out[i] = in.Arg(i)
		}
		return out
	}
	return nil
}

// rawLiteral is the literal as dexdump prints it after "// #": the
// instruction's literal bits at their encoded width.
func (in *Insn) rawLiteral() (string, bool) {
	var v uint64
	switch in.Format {
	case Fmt11n, Fmt22b:
		v = uint64(uint8(in.Literal))
	case Fmt21s, Fmt22s:
		v = uint64(uint16(in.Literal))
	case Fmt21h:
		v = uint64(in.B)
	case Fmt31i:
		v = uint64(uint32(in.Literal))
	case Fmt51l:
		v = uint64(in.Literal)
	default:
		return "", false
	}
	return strconv.FormatUint(v, 16), true
}

func refTable(op uint8) string {
	switch opInfo[op] >> 3 {
	case kindInvoke, kindInvokePoly:
		return "method"
	case kindInvokeCustom:
		return "call_site"
	case kindString, kindStringJumbo:
		return "string"
	case kindType:
		return "type"
	case kindSget, kindSput, kindIget, kindIput:
		return "field"
	case kindMethodHandle:
		return "method_handle"
	case kindMethodType:
		return "proto"
	}
	return ""
}

// compareInsn checks a decoded instruction against dexdump's line.
func compareInsn(in Insn, d dumpedInsn) string {
	var problems []string
	if in.Name() != d.op {
		return "op " + in.Name() + ", dexdump " + d.op
	}
	if got := in.registers(); !equalU32(got, d.regs) {
		problems = append(problems, "registers "+u32s(got)+", dexdump "+u32s(d.regs))
	}
	if raw, ok := in.rawLiteral(); ok {
		want, _ := strconv.ParseUint(d.lit, 16, 64)
		have, _ := strconv.ParseUint(raw, 16, 64)
		if d.lit == "" || want != have {
			problems = append(problems, "literal #"+raw+", dexdump #"+d.lit)
		}
	}
	if in.Branch != 0 || d.branch != "" {
		sign, mag := "+", int64(in.Branch)
		if mag < 0 {
			sign, mag = "-", -mag
		}
		want, _ := strconv.ParseInt(strings.TrimPrefix(d.branch, "+"), 16, 64)
		if got := sign + strconv.FormatInt(mag, 16); d.branch == "" || (sign == "-") != strings.HasPrefix(d.branch, "-") || absI(want) != mag {
			problems = append(problems, "branch "+got+", dexdump "+d.branch)
		}
	}
	if tbl := refTable(in.Op); tbl != "" && !d.multiline {
		want, _ := strconv.ParseUint(d.ref[strings.IndexByte(d.ref, '@')+1:], 16, 32)
		if !strings.HasPrefix(d.ref, tbl+"@") || uint32(want) != in.Index {
			problems = append(problems, "ref "+tbl+"@"+strconv.FormatUint(uint64(in.Index), 16)+", dexdump "+d.ref)
		}
		if in.Format == Fmt45cc || in.Format == Fmt4rcc {
			want, _ := strconv.ParseUint(d.proto, 16, 32)
			if uint32(want) != in.Proto {
				problems = append(problems, "proto "+strconv.FormatUint(uint64(in.Proto), 16)+", dexdump "+d.proto)
			}
		}
	}
	return strings.Join(problems, "; ")
}

func absI(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func equalU32(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func u32s(v []uint32) string {
	var s []string
	for _, x := range v {
		s = append(s, "v"+strconv.FormatUint(uint64(x), 10))
	}
	return "{" + strings.Join(s, ", ") + "}"
}

// insnOracleFiles are DEX files to compare against dexdump -d: the
// project's test apps (every format, payloads, invoke-polymorphic and
// invoke-custom) and the corpus's bare DEX files.
func insnOracleFiles(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	root := corpus.Root()
	apks, _ := filepath.Glob(filepath.Join(root, ".corpus", "testapps", "*.apk"))
	apks = append(apks, filepath.Join(root, "testdata", "demo-ijop.apk"))
	for _, apk := range apks {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue
		}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "classes") || !strings.HasSuffix(f.Name, ".dex") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err == nil {
				out[filepath.Base(apk)+"!"+f.Name] = b
			}
		}
		zr.Close()
	}
	if corpus.Present() {
		for _, p := range corpus.DEXes(t) {
			if b, err := os.ReadFile(p); err == nil {
				out[corpus.Name(p)] = b
			}
		}
	}
	return out
}

// TestDecodeAgainstDexdump decodes every instruction dexdump -d prints,
// at the file offset it prints, and compares opcode, registers, literal
// bits, branch offset and constant-pool index.
func TestDecodeAgainstDexdump(t *testing.T) {
	dexdump := corpus.NeedTool(t, "dexdump")
	files := insnOracleFiles(t)
	if len(files) == 0 {
		corpus.Missing(t, "needs the test apps or the corpus DEX files")
	}
	dir := t.TempDir()
	var total, payloads int
	formats := map[Format]int{}
	for name, data := range files {
		path := filepath.Join(dir, "x.dex")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(dexdump, "-d", path).Output()
		if err != nil && len(out) == 0 {
			t.Logf("%s: dexdump failed (%v); skipped", name, err)
			continue
		}
		bad := 0
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			d, ok := parseDumpLine(sc.Text())
			if !ok {
				continue
			}
			start := int(d.off) - 2*int(d.pc)
			if start < 16 || int(d.off) >= len(data) {
				t.Fatalf("%s: dexdump line %q outside the file", name, sc.Text())
			}
			units := int(le.Uint32(data[start-4:]))
			end := start + 2*units
			if end > len(data) {
				t.Fatalf("%s: code at 0x%x runs past the file", name, start)
			}
			insns := data[start:end]
			if strings.HasSuffix(d.op, "-data") && !strings.HasPrefix(d.op, "fill-") { // packed-switch-data (N units), sparse-switch-data, array-data
				in, err := Decode(insns, d.pc)
				if err != nil || in.Format != FmtPayload {
					t.Errorf("%s pc %04x: %s decoded as %v (%v)", name, d.pc, d.op, in.Format, err)
				}
				payloads++
				continue
			}
			in, err := Decode(insns, d.pc)
			if err != nil {
				t.Errorf("%s pc %04x: %v (dexdump %q)", name, d.pc, err, sc.Text())
				bad++
			} else if p := compareInsn(in, d); p != "" {
				t.Errorf("%s off %06x pc %04x: %s (dexdump %q)", name, d.off, d.pc, p, sc.Text())
				bad++
			}
			formats[in.Format]++
			total++
			if bad > 10 {
				t.Fatalf("%s: too many differences", name)
			}
		}
	}
	// Every format is met only across the corpus: a fresh clone has the
	// demo app alone.
	for f := Fmt10x; f < FmtPayload && (corpus.Present() || corpus.Required()); f++ {
		// No compiler in the corpus emits goto/32 or move*/16; TestDecodeUnits covers them.
		if formats[f] == 0 && f != Fmt30t && f != Fmt32x {
			t.Errorf("no instruction of format %v compared", f)
		}
	}
	t.Logf("compared %d instructions (%d formats) and %d payloads in %d DEX files with dexdump -d", total, len(formats), payloads, len(files))
}

// TestDecodeUnits covers what dexdump cannot show: errors.
func TestDecodeUnits(t *testing.T) {
	enc := func(units ...uint16) []byte {
		b := make([]byte, 2*len(units))
		for i, u := range units {
			le.PutUint16(b[2*i:], u)
		}
		return b
	}
	cases := []struct {
		name  string
		code  []byte
		check func(Insn) bool
		err   bool
	}{
		{"const/4 -8", enc(0x8112), func(in Insn) bool { return in.A == 1 && in.Literal == -8 }, false},
		{"move/16 v300, v70000", enc(0x0003, 300, 7000), func(in Insn) bool { return in.A == 300 && in.B == 7000 && in.Size == 3 }, false},
		{"invoke-virtual {v1,v2,v3,v4,v5}", enc(0x556e, 0x0007, 0x4321), func(in Insn) bool {
			return in.NArgs == 5 && in.Arg(0) == 1 && in.Arg(3) == 4 && in.Arg(4) == 5 && in.Index == 7
		}, false},
		{"invoke-static/range {v10..v12}", enc(0x0377, 0x0009, 0x000a), func(in Insn) bool {
			return in.NArgs == 3 && in.Arg(0) == 10 && in.Arg(2) == 12
		}, false},
		{"goto/32 backwards", enc(0x002a, 0xfffe, 0xffff), func(in Insn) bool { return in.Branch == -2 }, false},
		{"const-wide", enc(0x0118, 0xcdef, 0x89ab, 0x4567, 0x0123), func(in Insn) bool { return in.Literal == 0x0123456789abcdef }, false},
		{"truncated invoke", enc(0x106e, 0x0001), nil, true},
		{"unused opcode", enc(0x003e), nil, true},
		{"six arguments", enc(0x606e, 0, 0), nil, true},
		{"payload past end", enc(0x0100, 0x0010, 0, 0), nil, true},
	}
	for _, c := range cases {
		in, err := Decode(c.code, 0)
		if (err != nil) != c.err {
			t.Errorf("%s: error %v", c.name, err)
			continue
		}
		if err == nil && !c.check(in) {
			t.Errorf("%s: decoded %+v", c.name, in)
		}
		if err != nil {
			var fe *FormatError
			if !asFormatError(err, &fe) {
				t.Errorf("%s: error %T is not a *FormatError", c.name, err)
			}
		}
	}
	if _, err := Decode(nil, 0); err == nil {
		t.Error("empty code decoded")
	}
}

func asFormatError(err error, fe **FormatError) bool {
	e, ok := err.(*FormatError)
	*fe = e
	return ok
}

// FuzzDecode decodes every instruction of arbitrary code units, and of the
// methods of real DEX files, and checks the decoder's invariants: it never
// reads past the code, sizes are positive, argument registers are in
// range of what was encoded, and a decoded instruction stays inside.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.dex")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		df, err := Parse(b, Limits{})
		if err != nil {
			continue
		}
		n := 0
		_ = df.Walk(f.Context(), func(m *Method) error {
			if n < 200 {
				f.Add(append([]byte(nil), m.Code.Insns...))
			}
			n++
			return nil
		})
	}
	f.Add([]byte{0x00, 0x01, 0x02, 0x00, 0x0a, 0x00, 0x0b, 0x00})
	f.Fuzz(func(t *testing.T, code []byte) {
		code = code[:len(code)&^1]
		n := uint32(len(code) / 2)
		for pc := uint32(0); pc < n; {
			in, err := Decode(code, pc)
			if err != nil {
				pc++
				continue
			}
			if in.Size == 0 || pc+in.Size > n {
				t.Fatalf("pc %d: size %d of %d units", pc, in.Size, n)
			}
			if in.NArgs > 5 && (in.Format == Fmt35c || in.Format == Fmt45cc) {
				t.Fatalf("pc %d: %d args in %v", pc, in.NArgs, in.Format)
			}
			if in.Op == 0x2b || in.Op == 0x2c {
				_ = SwitchTargets(code, in)
			}
			pc += in.Size
		}
	})
}

// TestTriesAgainstDexdump compares try ranges and handler addresses with
// dexdump's "catches" section on the test apps (try/catch with typed and
// catch-all handlers in the parity app).
func TestTriesAgainstDexdump(t *testing.T) {
	dexdump := corpus.NeedTool(t, "dexdump")
	files := insnOracleFiles(t)
	dir := t.TempDir()
	rangeRE := regexp.MustCompile(`^        0x([0-9a-f]{4}) - 0x([0-9a-f]{4})$`)
	handlerRE := regexp.MustCompile(`^          (\S+) -> 0x([0-9a-f]{4})$`)
	codeRE := regexp.MustCompile(`^      code          -$`)
	compared := 0
	for name, data := range files {
		if !strings.Contains(name, ".apk!") {
			continue // the test apps; corpus files are large
		}
		df, err := Parse(data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join(dir, "x.dex")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(dexdump, "-d", path).Output()
		if err != nil {
			t.Fatalf("dexdump %s: %v", name, err)
		}
		// dexdump prints, per method, its disassembly (from which the code
		// item's offset follows) and then its catches.
		var want []string
		var codeOff int64 = -1
		flush := func() {
			if codeOff < 0 {
				return
			}
			c, err := df.Code(uint32(codeOff))
			if err != nil {
				t.Fatalf("%s: code at 0x%x: %v", name, codeOff, err)
			}
			tries, err := df.Tries(&c)
			if err != nil {
				t.Errorf("%s: tries at 0x%x: %v", name, codeOff, err)
			}
			var got []string
			for _, tr := range tries {
				got = append(got, strconv.FormatUint(uint64(tr.Start), 16)+"-"+strconv.FormatUint(uint64(tr.End), 16))
				for i, h := range tr.Handlers {
					ty := "<any>"
					if i < len(tr.Types) {
						ty, _ = df.TypeName(tr.Types[i])
					}
					got = append(got, ty+"->"+strconv.FormatUint(uint64(h), 16))
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: code at 0x%x: tries %v, dexdump %v", name, codeOff, got, want)
			}
			compared += len(tries)
			want, codeOff = nil, -1
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			line := sc.Text()
			if codeRE.MatchString(line) {
				flush()
				continue
			}
			if d, ok := parseDumpLine(line); ok && d.pc == 0 {
				codeOff = int64(d.off) - 16
			}
			if m := rangeRE.FindStringSubmatch(line); m != nil {
				a, _ := strconv.ParseUint(m[1], 16, 32)
				b, _ := strconv.ParseUint(m[2], 16, 32)
				// dexdump prints start and end (start + insn_count).
				want = append(want, strconv.FormatUint(a, 16)+"-"+strconv.FormatUint(b, 16))
			} else if m := handlerRE.FindStringSubmatch(line); m != nil {
				h, _ := strconv.ParseUint(m[2], 16, 32)
				want = append(want, m[1]+"->"+strconv.FormatUint(h, 16))
			}
		}
		flush()
	}
	if compared == 0 {
		corpus.Missing(t, "no try block compared: needs the test apps built by scripts/build-testapps.sh")
	}
	t.Logf("compared %d try blocks with dexdump", compared)
}
