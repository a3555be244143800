package dex

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

// dexSource is one dex file of the corpus: a bare .dex file or a classesN.dex
// entry of an APK.
type dexSource struct {
	name string // corpus name, plus "!entry" for APK entries
	data []byte
}

var dexEntryRE = regexp.MustCompile(`^classes[0-9]*\.dex$`)

// apkDexEntries reads the top-level classes*.dex entries of an APK with the
// standard library's zip reader.
func apkDexEntries(path string) ([]dexSource, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []dexSource
	for _, e := range zr.File {
		if !dexEntryRE.MatchString(e.Name) {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		out = append(out, dexSource{name: corpus.Name(path) + "!" + e.Name, data: b})
	}
	return out, nil
}

// zipUnreadable lists corpus APKs that archive/zip cannot open, with the
// reason. Android's tools reject them too (dexdump: "Invalid offset" or
// "Invalid entry name").
var zipUnreadable = map[string]string{
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "central directory offset is wrong",
	"signing/apksig/v2-only-truncated-cd.apk":                               "central directory is truncated",
}

// dexdumpRejectsAPK lists corpus APKs that archive/zip reads but dexdump
// refuses as a whole; their dex entries are compared through extracted
// copies.
var dexdumpRejectsAPK = map[string]string{
	"signing/apksig/v1-only-with-nul-in-entry-name.apk": "Invalid entry name",
}

// dumpDex is what dexdump printed for one dex file.
type dumpDex struct {
	version string
	counts  map[string]uint32
	classes []dumpClass
	// handles and callSites hold dexdump's "Method handle #N" and
	// "Call site #N" blocks, one string per block.
	handles, callSites []string
}

type dumpClass struct {
	desc            string
	direct, virtual []string
	// methods holds, per method in class_data order, the references shown
	// by -d disassembly ("pc op kind@index"); nil without -d.
	methods [][]string
}

var (
	openedRE = regexp.MustCompile(`^Opened '(.*)', DEX version '([0-9]+)'$`)
	countRE  = regexp.MustCompile(`^([a-z_]+_size) +: ([0-9]+)$`)
	insnRE   = regexp.MustCompile(`^[0-9a-f]{6}: [0-9a-f .]*\|([0-9a-f]{4,}): ([a-z0-9/-]+)`)
	// dexdump marks a reference with a "// kind@index" comment, except for
	// invoke-custom's "call_site@index" operand.
	refRE = regexp.MustCompile(`(?: // ([a-z_]+)|, (call_site))@([0-9a-f]+)(?:, proto@[0-9a-f]+)?$`)
)

// parseDexdump splits dexdump output into its dex files, keyed by the name
// after "Opened".
func parseDexdump(t *testing.T, out []byte) map[string]*dumpDex {
	res := map[string]*dumpDex{}
	var d *dumpDex
	var c *dumpClass
	section := ""
	var method *[]string
	var pending string // a disassembly line whose string operand spans lines
	var block *string  // the method handle or call site being read
	for len(out) > 0 {
		var line string
		if i := bytes.IndexByte(out, '\n'); i >= 0 {
			line, out = string(out[:i]), out[i+1:]
		} else {
			line, out = string(out), nil
		}
		if pending != "" {
			pending += "\n" + line
			if refRE.MatchString(line) {
				addInsn(t, method, pending)
				pending = ""
			}
			continue
		}
		if m := openedRE.FindStringSubmatch(line); m != nil {
			d = &dumpDex{version: m[2], counts: map[string]uint32{}}
			res[m[1]] = d
			c, section, method, block = nil, "", nil, nil
			continue
		}
		if d == nil {
			continue
		}
		switch {
		case strings.HasPrefix(line, "Method handle #"):
			d.handles = append(d.handles, "")
			block, c = &d.handles[len(d.handles)-1], nil
			continue
		case strings.HasPrefix(line, "Call site #"):
			d.callSites = append(d.callSites, "")
			block, c = &d.callSites[len(d.callSites)-1], nil
			continue
		case block != nil && strings.HasPrefix(line, "  "):
			*block += strings.TrimSpace(line) + "\n"
			continue
		case strings.HasPrefix(line, "Class #"):
			block = nil
		}
		if m := countRE.FindStringSubmatch(line); m != nil && c == nil {
			v, _ := strconv.ParseUint(m[2], 10, 32)
			d.counts[m[1]] = uint32(v)
			continue
		}
		switch {
		case strings.HasPrefix(line, "Class #"):
			d.classes = append(d.classes, dumpClass{})
			c, section, method = &d.classes[len(d.classes)-1], "", nil
			continue
		case c == nil:
			continue
		case strings.HasPrefix(line, "  Class descriptor  : '"):
			c.desc = strings.TrimSuffix(strings.TrimPrefix(line, "  Class descriptor  : '"), "'")
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
			section = strings.TrimSpace(strings.SplitN(line, ":", 2)[0])
			section = strings.TrimSpace(strings.TrimSuffix(section, "-"))
			method = nil
		case strings.HasPrefix(line, "      name          : '"):
			name := strings.TrimSuffix(strings.TrimPrefix(line, "      name          : '"), "'")
			switch section {
			case "Direct methods":
				c.direct = append(c.direct, name)
			case "Virtual methods":
				c.virtual = append(c.virtual, name)
			default:
				continue
			}
			c.methods = append(c.methods, nil)
			method = &c.methods[len(c.methods)-1]
		case method != nil && insnRE.MatchString(line):
			if refRE.MatchString(line) {
				addInsn(t, method, line)
			} else if strings.Contains(line, ": const-string") {
				pending = line
			}
		}
	}
	return res
}

// addInsn records "pc op kind@index" for a disassembly line that carries a
// constant-pool reference.
func addInsn(t *testing.T, method *[]string, line string) {
	m := insnRE.FindStringSubmatch(line)
	r := refRE.FindStringSubmatch(line)
	if m == nil || r == nil {
		t.Fatalf("cannot parse dexdump line %q", line)
	}
	pc, _ := strconv.ParseUint(m[1], 16, 32)
	idx, _ := strconv.ParseUint(r[3], 16, 32)
	ref := fmt.Sprintf("%x %s %s@%d", pc, m[2], r[1]+r[2], idx)
	if r[1] == "string" {
		// The operand is the raw string between quotes.
		start := strings.Index(line, `, "`)
		end := strings.LastIndex(line, `" // string@`)
		if start < 0 || end < start+3 {
			t.Fatalf("cannot find string operand in %q", line)
		}
		ref += " " + strconv.Quote(line[start+3:end])
	}
	*method = append(*method, ref)
}

// dumpKinds maps our reference kinds to dexdump's comment prefixes.
var dumpKinds = map[RefKind]string{
	RefMethod: "method", RefCallSite: "call_site", RefString: "string", RefField: "field",
	RefType: "type", RefMethodHandle: "method_handle", RefProto: "proto",
}

// oracleDir holds dex files written for dexdump, named by content hash.
func oracleFile(t *testing.T, data []byte) string {
	sum := sha256.Sum256(data)
	dir := filepath.Join(corpus.Root(), ".corpus", "oracle", "dex")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, hex.EncodeToString(sum[:16])+".dex")
	if _, err := os.Stat(p); err != nil {
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// dexdumpRejectsVersion lists bare corpus files whose version dexdump does
// not accept ("Unrecognized version number"): version 036 was never released
// and ART has no support for it. The test compares them through a copy whose
// magic says 035, run with -i to ignore the then-stale checksum.
var dexdumpRejectsVersion = map[string]string{
	"tests/2992e3a94a774ddfe2b50c6e8667d925a5684d71.36.dex": "version 036",
	"tests/921d74ac9568121d0ea1453922a369cb66739c68.36.dex": "version 036",
}

type parityStats struct {
	dexes, classes, methods, strings, walked, refs int
	handles, callSites                             int
}

// compareDump checks one parsed dex file against dexdump's view of it.
func compareDump(t *testing.T, name string, f *File, d *dumpDex, st *parityStats, withCode bool) {
	t.Helper()
	h := &f.Header
	want := map[string]uint32{
		"string_ids_size": h.StringIDsSize, "type_ids_size": h.TypeIDsSize, "proto_ids_size": h.ProtoIDsSize,
		"field_ids_size": h.FieldIDsSize, "method_ids_size": h.MethodIDsSize, "class_defs_size": h.ClassDefsSize,
	}
	if _, patched := dexdumpRejectsVersion[name]; !patched && fmt.Sprintf("%03d", h.Version) != d.version {
		t.Errorf("%s: version %03d, dexdump %s", name, h.Version, d.version)
	}
	for k, v := range want {
		if got, ok := d.counts[k]; !ok || got != v {
			t.Errorf("%s: %s: dexdump %d (present %v), we %d", name, k, got, ok, v)
		}
	}
	if len(d.classes) != f.NumClassDefs() {
		t.Errorf("%s: dexdump shows %d classes, we have %d", name, len(d.classes), f.NumClassDefs())
		return
	}
	// ordinal[class][methodIdx] is the method's position in class_data.
	ordinal := make([]map[uint32]int, f.NumClassDefs())
	errs := 0
	for i := range d.classes {
		it, err := f.ClassDefItem(i)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		desc, err := f.TypeDescriptorBytes(it.ClassIdx)
		if err != nil || string(desc) != d.classes[i].desc {
			t.Errorf("%s: class %d: dexdump %q, we %q (%v)", name, i, d.classes[i].desc, desc, err)
			errs++
		}
		cd, err := f.ClassData(it.ClassDataOff)
		if err != nil {
			t.Errorf("%s: class %d: %v", name, i, err)
			continue
		}
		ordinal[i] = map[uint32]int{}
		for li, list := range [][]EncodedMethod{cd.DirectMethods, cd.VirtualMethods} {
			dumpList := d.classes[i].direct
			if li == 1 {
				dumpList = d.classes[i].virtual
			}
			if len(list) != len(dumpList) {
				t.Errorf("%s: class %s list %d: dexdump %d methods, we %d", name, desc, li, len(dumpList), len(list))
				errs++
				continue
			}
			for j, em := range list {
				ordinal[i][em.MethodIdx] = len(ordinal[i])
				id, err := f.MethodID(em.MethodIdx)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				nm, err := f.StringBytes(id.NameIdx)
				if err != nil || string(nm) != dumpList[j] {
					t.Errorf("%s: class %s method %d: dexdump %q, we %q (%v)", name, desc, j, dumpList[j], nm, err)
					errs++
				}
				st.strings++
				st.methods++
			}
		}
		st.strings++
		st.classes++
		if errs > 20 {
			t.Fatalf("%s: too many differences", name)
		}
	}
	st.dexes++
	compareHandles(t, name, f, d, st)
	if !withCode {
		return
	}
	var got []string
	err := f.Walk(t.Context(), func(m *Method) error {
		got = got[:0]
		var all []Ref
		for _, l := range [][]Ref{m.Invokes, m.Strings, m.StaticGets, m.StaticPuts, m.InstanceGets, m.InstancePuts, m.Types, m.Constants} {
			all = append(all, l...)
		}
		sortRefs(all)
		for _, r := range all {
			ref := fmt.Sprintf("%x %s %s@%d", r.PC, OpName(r.Op), dumpKinds[r.Kind], r.Index)
			if r.Kind == RefString {
				b, err := f.StringBytes(r.Index)
				if err != nil {
					return err
				}
				ref += " " + strconv.Quote(string(b))
				st.strings++
			}
			got = append(got, ref)
		}
		ord, ok := ordinal[m.ClassDef][m.MethodIdx]
		if !ok {
			return fmt.Errorf("method %d of class %d not in class_data", m.MethodIdx, m.ClassDef)
		}
		wantRefs := d.classes[m.ClassDef].methods[ord]
		if strings.Join(got, "\n") != strings.Join(wantRefs, "\n") {
			t.Errorf("%s: class %s method #%d: references differ\n got: %q\nwant: %q", name, d.classes[m.ClassDef].desc, ord, got, wantRefs)
			errs++
			if errs > 20 {
				return fmt.Errorf("too many differences")
			}
		}
		st.walked++
		st.refs += len(got)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: walk: %v", name, err)
	}
}

var handleTypes = []string{"static-put", "static-get", "instance-put", "instance-get",
	"invoke-static", "invoke-instance", "invoke-constructor", "invoke-direct", "invoke-interface"}

// compareHandles checks method handles and call sites against dexdump's
// blocks, rendered the same way.
func compareHandles(t *testing.T, name string, f *File, d *dumpDex, st *parityStats) {
	t.Helper()
	if int(f.NumMethodHandles()) != len(d.handles) || int(f.NumCallSites()) != len(d.callSites) {
		t.Errorf("%s: %d method handles and %d call sites, dexdump %d and %d",
			name, f.NumMethodHandles(), f.NumCallSites(), len(d.handles), len(d.callSites))
		return
	}
	for i := range d.handles {
		h, err := f.MethodHandle(uint32(i))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var class, member, typ string
		if h.IsField() {
			r, err := f.Field(uint32(h.FieldOrMethodIdx))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			class, member, typ = r.Class, r.Name, r.Type
		} else {
			r, err := f.Method(uint32(h.FieldOrMethodIdx))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			class, member, typ = r.Class, r.Name, r.Proto
			switch h.Type {
			case MethodHandleInvokeInstance, MethodHandleInvokeDirect, MethodHandleInvokeInterface:
				// dexdump shows the receiver as the first parameter.
				typ = "(" + class + typ[1:]
			}
		}
		kind := "?"
		if int(h.Type) < len(handleTypes) {
			kind = handleTypes[h.Type]
		}
		got := fmt.Sprintf("type        : %s\ntarget      : %s %s\ntarget_type : %s\n", kind, class, member, typ)
		if got != d.handles[i] {
			t.Errorf("%s: method handle %d:\n got %q\nwant %q", name, i, got, d.handles[i])
		}
		st.handles++
	}
	for i := range d.callSites {
		cs, err := f.CallSite(uint32(i))
		if err != nil {
			t.Errorf("%s: call site %d: %v", name, i, err)
			continue
		}
		var sb strings.Builder
		arg := func(v string) { fmt.Fprintf(&sb, "link_argument[%d] : %s\n", strings.Count(sb.String(), "\n"), v) }
		// The bootstrap handle, name and type, then the rest by type.
		arg(fmt.Sprintf("%d (MethodHandle)", cs.BootstrapIdx))
		arg(cs.Name + " (String)")
		arg(cs.Proto + " (MethodType)")
		for _, v := range cs.Args {
			switch v.Type {
			case ValueMethodHandle:
				arg(fmt.Sprintf("%d (MethodHandle)", v.Raw))
			case ValueMethodType:
				p, err := f.Proto(uint32(v.Raw))
				if err != nil {
					t.Errorf("%s: call site %d: %v", name, i, err)
				}
				arg(p + " (MethodType)")
			case ValueString:
				s, _ := f.String(uint32(v.Raw))
				arg(s + " (String)")
			case ValueByte:
				arg(fmt.Sprintf("%d (byte)", v.Int()))
			case ValueShort:
				arg(fmt.Sprintf("%d (short)", v.Int()))
			case ValueChar:
				arg(fmt.Sprintf("%d (char)", v.Int()))
			case ValueInt:
				arg(fmt.Sprintf("%d (int)", v.Int()))
			case ValueLong:
				arg(fmt.Sprintf("%d (long)", v.Int()))
			case ValueFloat:
				arg(strconv.FormatFloat(v.Float(), 'g', -1, 32) + " (float)")
			case ValueDouble:
				arg(strconv.FormatFloat(v.Float(), 'g', -1, 64) + " (double)")
			default:
				arg(fmt.Sprintf("type 0x%02x", v.Type))
			}
		}
		if sb.String() != d.callSites[i] {
			t.Errorf("%s: call site %d:\n got %q\nwant %q", name, i, sb.String(), d.callSites[i])
		}
		st.callSites++
	}
}

func sortRefs(r []Ref) {
	// Insertion sort: the lists are short and nearly sorted.
	for i := 1; i < len(r); i++ {
		for j := i; j > 0 && r[j].PC < r[j-1].PC; j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
}

// disassembled names the corpus files whose bytecode walk is compared with
// dexdump -d, chosen to cover dx, d8 and R8 output, every payload kind and
// the invoke-custom/polymorphic and const-method-* forms.
var disassembled = map[string]bool{
	"android/TestsAndroguard/bin/classes.dex":               true,
	"android/TC/bin/classes.dex":                            true,
	"tests/okhttp.d8.038.dex":                               true,
	"tests/okhttp.dx.039.dex":                               true,
	"tests/fdroid/cat.mvmike.minimalcalendarwidget_17.dex":  true,
	"tests/2992e3a94a774ddfe2b50c6e8667d925a5684d71.36.dex": true,
	"tests/Switch.dex":                                      true,
	"tests/FillArrays.dex":                                  true,
	"tests/StringTests.dex":                                 true,
	"tests/ExceptionHandling.dex":                           true,
	"tests/fdroid/com.example.trigger_130.dex":              true,
}

// TestDexdumpParity compares every corpus dex file with dexdump: header
// counts, class descriptors and method names for all, and for the files in
// disassembled the references of every instruction.
func TestDexdumpParity(t *testing.T) {
	var st parityStats
	for _, path := range corpus.DEXes(t) {
		name := corpus.Name(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(data, Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		dumpPath, args := path, []string{}
		if reason, ok := dexdumpRejectsVersion[name]; ok {
			res := corpus.Tool(t, "dexdump", "-f", path)
			if res.ExitCode == 0 || !bytes.Contains(res.Stderr, []byte("Unrecognized version number")) {
				t.Errorf("%s: listed as rejected by dexdump (%s) but dexdump exit %d", name, reason, res.ExitCode)
			}
			patched := bytes.Clone(data)
			copy(patched[4:7], "035")
			dumpPath, args = oracleFile(t, patched), []string{"-i"}
		}
		flag := "-f"
		if disassembled[name] {
			flag = "-d"
		}
		res := corpus.Tool(t, "dexdump", append(args, "-f", flag, dumpPath)...)
		if res.ExitCode != 0 {
			t.Errorf("%s: dexdump failed (exit %d): %s", name, res.ExitCode, lastLine(res.Stderr))
			continue
		}
		dumps := parseDexdump(t, res.Stdout)
		d := dumps[dumpPath]
		if d == nil {
			t.Errorf("%s: no dexdump section for %s (have %d)", name, dumpPath, len(dumps))
			continue
		}
		compareDump(t, name, f, d, &st, disassembled[name])
	}
	apks, unreadable := 0, 0
	var extracted []string
	for _, path := range corpus.APKs(t) {
		name := corpus.Name(path)
		srcs, err := apkDexEntries(path)
		if reason, listed := zipUnreadable[name]; listed {
			if err == nil {
				t.Errorf("%s: listed as unreadable (%s) but archive/zip opened it", name, reason)
			}
			unreadable++
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(srcs) == 0 {
			continue
		}
		apks++
		res := corpus.Tool(t, "dexdump", "-f", path)
		if reason, listed := dexdumpRejectsAPK[name]; listed {
			if res.ExitCode == 0 || !bytes.Contains(res.Stderr, []byte(reason)) {
				t.Errorf("%s: listed as rejected by dexdump (%s) but dexdump exit %d: %s", name, reason, res.ExitCode, lastLine(res.Stderr))
			}
		} else if res.ExitCode != 0 {
			t.Errorf("%s: dexdump failed (exit %d): %s", name, res.ExitCode, lastLine(res.Stderr))
		}
		dumps := parseDexdump(t, res.Stdout)
		for _, src := range srcs {
			entry := src.name[strings.LastIndexByte(src.name, '!')+1:]
			f, err := Parse(src.data, Limits{})
			if err != nil {
				t.Errorf("%s: %v", src.name, err)
				continue
			}
			// dexdump names the dex files of a multidex APK "apk:classesN.dex"
			// and the only one of a single-dex APK just "apk".
			d := dumps[path+":"+entry]
			if d == nil && entry == "classes.dex" {
				d = dumps[path]
			}
			if d == nil {
				// dexdump reads classes.dex, classes2.dex… up to the first
				// gap; anything else is dumped from a copy.
				if _, listed := dexdumpRejectsAPK[name]; !listed {
					t.Errorf("%s: dexdump did not read this entry from the APK", src.name)
				}
				p := oracleFile(t, src.data)
				extracted = append(extracted, src.name)
				r := corpus.Tool(t, "dexdump", "-f", p)
				if r.ExitCode != 0 {
					t.Errorf("%s: dexdump failed (exit %d): %s", src.name, r.ExitCode, lastLine(r.Stderr))
					continue
				}
				d = parseDexdump(t, r.Stdout)[p]
				if d == nil {
					t.Errorf("%s: no dexdump output", src.name)
					continue
				}
			}
			compareDump(t, src.name, f, d, &st, false)
		}
	}
	if unreadable != len(zipUnreadable) {
		t.Errorf("%d of %d listed unreadable APKs seen", unreadable, len(zipUnreadable))
	}
	if st.dexes < 300 || st.walked == 0 {
		t.Errorf("compared too little: %+v", st)
	}
	t.Logf("dex entries dumped from extracted copies (not read by dexdump from the APK): %d %q", len(extracted), extracted)
	t.Logf("APKs with dex entries: %d; unreadable APKs (listed): %d; method handles %d, call sites %d identical",
		apks, unreadable, st.handles, st.callSites)
	t.Logf("dex parity: %d dex files, %d classes, %d methods, %d strings identical; invokes checked in %d methods (%d references)",
		st.dexes, st.classes, st.methods, st.strings, st.walked, st.refs)
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// disasmRefs extracts every constant-pool reference from dexdump -d output
// as "fileoffset op kind@index", without regard to classes or methods. It is
// fast enough for disassemblies of a few hundred megabytes.
func disasmRefs(t *testing.T, out []byte) []string {
	var refs []string
	var pending []byte
	for len(out) > 0 {
		var line []byte
		if i := bytes.IndexByte(out, '\n'); i >= 0 {
			line, out = out[:i], out[i+1:]
		} else {
			line, out = out, nil
		}
		if pending != nil {
			pending = append(append(pending, '\n'), line...)
			if refRE.Match(line) {
				refs = append(refs, disasmRef(t, pending))
				pending = nil
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		bar := bytes.IndexByte(line, '|')
		if colon < 6 || bar < 0 || !isHex(line[:colon]) {
			continue
		}
		if bytes.IndexByte(line[bar:], '@') < 0 {
			if bytes.Contains(line[bar:], []byte(": const-string")) {
				pending = bytes.Clone(line)
			}
			continue
		}
		if refRE.Match(line) {
			refs = append(refs, disasmRef(t, line))
		}
	}
	return refs
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return len(b) > 0
}

func disasmRef(t *testing.T, line []byte) string {
	colon := bytes.IndexByte(line, ':')
	off, err := strconv.ParseUint(string(line[:colon]), 16, 64)
	if err != nil {
		t.Fatalf("bad offset in %q", line)
	}
	rest := line[bytes.IndexByte(line, '|')+1:]
	rest = rest[bytes.IndexByte(rest, ' ')+1:] // after "PPPP:"
	op := rest
	if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
		op = rest[:sp]
	}
	r := refRE.FindSubmatch(line)
	idx, _ := strconv.ParseUint(string(r[3]), 16, 32)
	return fmt.Sprintf("%x %s %s%s@%d", off, op, r[1], r[2], idx)
}

// TestDexdumpDisassemblyLarge compares every reference in the largest dex
// files of the uiautomator2 server APK (R8 output with invoke-polymorphic)
// with dexdump -d, by file offset of the instruction.
func TestDexdumpDisassemblyLarge(t *testing.T) {
	var apk string
	for _, p := range corpus.APKs(t) {
		if strings.HasSuffix(p, "appium-uiautomator2-server-v10.6.6.apk") {
			apk = p
		}
	}
	if apk == "" {
		t.Fatal("corpus lacks appium-uiautomator2-server-v10.6.6.apk")
	}
	srcs, err := apkDexEntries(apk)
	if err != nil {
		t.Fatal(err)
	}
	checked, total := 0, 0
	for _, src := range srcs {
		if !strings.HasSuffix(src.name, "!classes.dex") && !strings.HasSuffix(src.name, "!classes16.dex") {
			continue
		}
		f, err := Parse(src.data, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", src.name, err)
		}
		var got []string
		poly := 0
		err = f.Walk(t.Context(), func(m *Method) error {
			base := m.CodeOffset + codeItemHeader
			for _, l := range [][]Ref{m.Invokes, m.Strings, m.StaticGets, m.StaticPuts, m.InstanceGets, m.InstancePuts, m.Types, m.Constants} {
				for _, r := range l {
					if r.Op == 0xfa || r.Op == 0xfb {
						poly++
					}
					got = append(got, fmt.Sprintf("%x %s %s@%d", base+2*int64(r.PC), OpName(r.Op), dumpKinds[r.Kind], r.Index))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		p := oracleFile(t, src.data)
		res := corpus.Tool(t, "dexdump", "-d", p)
		if res.ExitCode != 0 {
			t.Fatalf("%s: dexdump failed: %s", src.name, lastLine(res.Stderr))
		}
		want := disasmRefs(t, res.Stdout)
		slices.Sort(got)
		slices.Sort(want)
		if len(got) != len(want) {
			t.Errorf("%s: %d references, dexdump %d", src.name, len(got), len(want))
		}
		diffs := 0
		for i := 0; i < min(len(got), len(want)) && diffs < 10; i++ {
			if got[i] != want[i] {
				t.Errorf("%s: first differences at %d: got %q, dexdump %q", src.name, i, got[i], want[i])
				diffs++
			}
		}
		if strings.HasSuffix(src.name, "!classes.dex") && poly == 0 {
			t.Errorf("%s: expected invoke-polymorphic instructions", src.name)
		}
		t.Logf("%s: %d references identical (%d invoke-polymorphic)", src.name, len(got), poly)
		checked++
		total += len(got)
	}
	if checked != 2 {
		t.Fatalf("checked %d dex files, want 2", checked)
	}
	t.Logf("disassembly parity: %d dex files, %d references identical", checked, total)
}
