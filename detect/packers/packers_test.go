package packers

import (
	"archive/zip"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"hash/adler32"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/axmltest"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/knowledge"
	"appxray/res"
	"appxray/scan"
)

// withEntries returns the demo app with extra entries, as a packer's build
// would leave them beside the app's own files; an extra entry named as one
// of the app's replaces it.
func withEntries(t *testing.T, extra map[string][]byte) []byte {
	t.Helper()
	data, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	return testapp.Zip(t, data, func(name string, b []byte) []byte {
		if _, ok := extra[name]; ok {
			return nil
		}
		return b
	}, extra, zip.Deflate)
}

func runOn(t *testing.T, data []byte) (*Result, []analysis.Finding) {
	t.Helper()
	ctx := context.Background()
	a, err := app.OpenBytes(ctx, "packed.apk", data, app.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Error(e)
	}
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	return r, res.Findings
}

// stubManifest is a manifest whose <application android:name> is a
// packer's stub class, the first code Android runs.
func stubManifest(application string) []byte {
	return axmltest.Build(axmltest.El("manifest", []axmltest.Attr{{Name: "package", Type: res.TypeString, Str: "org.appxray.demo.ijop"}},
		axmltest.El("application", []axmltest.Attr{axmltest.Str("name", app.AttrName, application)})))
}

// classesDex is a DEX file defining the named classes (descriptors), each a
// subclass of Object with no members: what a packer's stub classes look
// like to the class table.
func classesDex(classes ...string) []byte {
	strs := append([]string{"Ljava/lang/Object;"}, classes...)
	sort.Strings(strs) // ASCII descriptors: UTF-16 order is byte order
	idx := map[string]uint32{}
	for i, s := range strs {
		idx[s] = uint32(i)
	}
	const hdr = 0x70
	n := uint32(len(strs))
	stringIDs := uint32(hdr)
	typeIDs := stringIDs + 4*n
	classDefs := typeIDs + 4*n
	data := classDefs + 32*uint32(len(classes))
	var strData []byte
	offs := make([]uint32, n)
	for i, s := range strs {
		offs[i] = data + uint32(len(strData))
		strData = append(strData, byte(len(s))) // ULEB128 of a short length
		strData = append(strData, s...)
		strData = append(strData, 0)
	}
	for len(strData)%4 != 0 {
		strData = append(strData, 0)
	}
	mapOff := data + uint32(len(strData))
	type item struct{ typ, size, off uint32 }
	items := []item{{0x0000, 1, 0}, {0x0001, n, stringIDs}, {0x0002, n, typeIDs}, {0x0006, uint32(len(classes)), classDefs}, {0x2002, n, data}, {0x1000, 1, mapOff}}
	size := mapOff + 4 + 12*uint32(len(items))
	b := make([]byte, size)
	le := binary.LittleEndian
	copy(b, "dex\n035\x00")
	for i, v := range []uint32{size, hdr, 0x12345678, 0, 0, mapOff, n, stringIDs, n, typeIDs, 0, 0, 0, 0, 0, 0, uint32(len(classes)), classDefs, size - data, data} {
		le.PutUint32(b[32+4*i:], v)
	}
	for i := range strs {
		le.PutUint32(b[stringIDs+4*uint32(i):], offs[i])
		le.PutUint32(b[typeIDs+4*uint32(i):], uint32(i))
	}
	for i, c := range classes {
		d := b[classDefs+32*uint32(i):]
		le.PutUint32(d[0:], idx[c])                    // class_idx
		le.PutUint32(d[4:], 1)                         // public
		le.PutUint32(d[8:], idx["Ljava/lang/Object;"]) // superclass
		le.PutUint32(d[16:], 0xffffffff)               // no source file
	}
	copy(b[data:], strData)
	m := b[mapOff:]
	le.PutUint32(m, uint32(len(items)))
	for i, it := range items {
		le.PutUint16(m[4+12*i:], uint16(it.typ))
		le.PutUint32(m[4+12*i+4:], it.size)
		le.PutUint32(m[4+12*i+8:], it.off)
	}
	sig := sha1.Sum(b[32:])
	copy(b[12:], sig[:])
	le.PutUint32(b[8:], adler32.Checksum(b[12:]))
	return b
}

// TestPackers has, for each packer the issue names (Bangcle/SecNeo,
// Jiagu/360, Ijiami, Tencent Legu, Baidu, Alibaba, DexProtector, DexGuard,
// APKProtect), a case for each kind of fingerprint (the stub application,
// its classes, the native loader, the encrypted code in the assets) and a
// look-alike that must not match. The fingerprints are those of APKiD's
// rules (rules/apk/packers.yara, rules/dex/packers.yara,
// rules/elf/obfuscators.yara) and of the write-ups cited in
// knowledge/data/packers.json.
func TestPackers(t *testing.T) {
	elf := []byte("\x7fELF\x02\x01\x01")
	x := []byte("x")
	app := func(name string) map[string][]byte {
		return map[string][]byte{"AndroidManifest.xml": stubManifest(name)}
	}
	classes := func(names ...string) map[string][]byte {
		return map[string][]byte{"classes2.dex": classesDex(names...)}
	}
	tests := []struct {
		name     string
		extra    map[string][]byte
		want     []string // packer IDs
		payloads []string
		level    scan.Level
	}{
		{"none", nil, nil, nil, ""},
		{"jiagu by its native loader", map[string][]byte{"lib/arm64-v8a/libjiagu_a64.so": elf}, []string{"jiagu"}, nil, scan.LevelHigh},
		{"ijiami by its encrypted asset", map[string][]byte{"assets/ijiami.dat": []byte("x")}, []string{"ijiami"}, []string{"assets/ijiami.dat"}, scan.LevelHigh},
		// One weak fingerprint is a coincidence; two are a pattern.
		{"one weak DexProtector file", map[string][]byte{"assets/dp.mp3": []byte("x")}, nil, nil, ""},
		{"two weak DexProtector files", map[string][]byte{"assets/dp.mp3": []byte("x"), "assets/classes.dex.dat": []byte("x")}, []string{"dexprotector"}, []string{"assets/classes.dex.dat"}, scan.LevelMedium},
		// A name must match whole: libjiagu.so.bak or mylibjiagu.so is not the loader.
		{"look-alike names", map[string][]byte{"lib/armeabi/mylibjiagu.so": elf, "assets/notijiami.dat": []byte("x")}, nil, nil, ""},
		{"bangcle folder payload", map[string][]byte{"assets/bangcleplugin/container.dex": []byte("dex\n035")}, []string{"bangcle"}, []string{"assets/bangcleplugin/container.dex"}, scan.LevelHigh},
		{"manifest of the app itself", app("org.appxray.demo.ijop.App"), nil, nil, ""},

		// Jiagu (Qihoo 360): com.stub.StubApp, the older com.qihoo.util.StubApplication.
		{"jiagu stub application", app("com.stub.StubApp"), []string{"jiagu"}, nil, scan.LevelHigh},
		{"jiagu older stub application", app("com.qihoo.util.StubApplication"), []string{"jiagu"}, nil, scan.LevelHigh},
		{"jiagu stub class", classes("Lcom/stub/StubApp;"), []string{"jiagu"}, nil, scan.LevelHigh},
		{"jiagu look-alikes", merge(app("com.stub.StubAppHelper"), classes("Lcom/stub/StubApp2;", "Lcom/qihoo/util/StubApplicationX;")), nil, nil, ""},

		// Bangcle / SecNeo: the wrapper application, libDexHelper, the
		// SecShell loader; assets/classes0.jar and libdexjni.so are weak.
		{"secneo stub application", app("com.secneo.apkwrapper.ApplicationWrapper"), []string{"bangcle"}, nil, scan.LevelHigh},
		{"secneo short stub application", app("com.secneo.apkwrapper.AW"), []string{"bangcle"}, nil, scan.LevelHigh},
		{"secneo stub class", classes("Lcom/secneo/apkwrapper/H;"), []string{"bangcle"}, nil, scan.LevelHigh},
		{"secneo native loader", map[string][]byte{"lib/arm64-v8a/libDexHelper.so": elf}, []string{"bangcle"}, nil, scan.LevelHigh},
		{"secneo two weak files", map[string][]byte{"assets/classes0.jar": x, "lib/armeabi-v7a/libdexjni.so": elf}, []string{"bangcle"}, []string{"assets/classes0.jar"}, scan.LevelMedium},
		{"secneo one weak file", map[string][]byte{"assets/classes0.jar": x}, nil, nil, ""},
		{"secneo look-alikes", merge(app("com.secneo.apkwrapperdemo.ApplicationWrapper"), classes("Lcom/secneoapp/Main;"), map[string][]byte{"lib/arm64-v8a/libDexHelperUtils.so": elf}), nil, nil, ""},

		// Ijiami: com.shell.SuperApplication or s.h.e.l.l.S.
		{"ijiami stub application", app("s.h.e.l.l.S"), []string{"ijiami"}, nil, scan.LevelHigh},
		{"ijiami other stub application", app("com.shell.SuperApplication"), []string{"ijiami"}, nil, scan.LevelHigh},
		{"ijiami stub class", classes("Ls/h/e/l/l/S;"), []string{"ijiami"}, nil, scan.LevelHigh},
		{"ijiami look-alikes", merge(app("s.h.e.l.l.Shell"), classes("Ls/h/e/l/l/SS;")), nil, nil, ""},

		// Tencent Legu: com.tencent.StubShell.TxAppEntry, libshell-super.2019.so,
		// and the encrypted code in assets/0OO00l111l1l beside its other
		// assets (APKiD's tencent_legu needs 0OO00l111l1l and one more).
		{"legu stub application", app("com.tencent.StubShell.TxAppEntry"), []string{"legu"}, nil, scan.LevelHigh},
		{"legu stub class", classes("Lcom/tencent/StubShell/TxAppEntry;"), []string{"legu"}, nil, scan.LevelHigh},
		{"legu native loader", map[string][]byte{"lib/armeabi-v7a/libshell-super.2019.so": elf}, []string{"legu"}, nil, scan.LevelHigh},
		{"legu encrypted assets", map[string][]byte{"assets/0OO00l111l1l": x, "assets/o0oooOO0ooOo.dat": x}, []string{"legu"}, []string{"assets/0OO00l111l1l"}, scan.LevelMedium},
		{"legu one weak asset", map[string][]byte{"assets/tosversion": x}, nil, nil, ""},
		{"legu look-alikes", merge(app("com.tencent.StubShellX.TxAppEntry"), classes("Lcom/tencent/StubShellX/A;"), map[string][]byte{"lib/armeabi-v7a/libshell-super.2019.so.bak": elf, "assets/sub/0OO00l111l1l": x}), nil, nil, ""},

		// Baidu: com.baidu.protect.StubApplication, libbaiduprotect.so, baiduprotect1.jar.
		{"baidu stub application", app("com.baidu.protect.StubApplication"), []string{"baidu"}, nil, scan.LevelHigh},
		{"baidu stub class", classes("Lcom/baidu/protect/A;"), []string{"baidu"}, nil, scan.LevelHigh},
		{"baidu native loader", map[string][]byte{"lib/armeabi/libbaiduprotect.so": elf}, []string{"baidu"}, nil, scan.LevelHigh},
		{"baidu encrypted code", map[string][]byte{"assets/baiduprotect1.jar": x}, []string{"baidu"}, []string{"assets/baiduprotect1.jar"}, scan.LevelHigh},
		{"baidu look-alikes", merge(app("com.baidu.protection.StubApplication"), classes("Lcom/baidu/protection/A;"), map[string][]byte{"lib/armeabi/libbaiduprotector.so": elf}), nil, nil, ""},

		// Alibaba: com.ali.mobisecenhance.StubApplication, libmobisec.so, aliprotect.dat.
		{"alibaba stub application", app("com.ali.mobisecenhance.StubApplication"), []string{"alibaba"}, nil, scan.LevelHigh},
		{"alibaba stub class", classes("Lcom/ali/mobisecenhance/ReflectMap;"), []string{"alibaba"}, nil, scan.LevelHigh},
		{"alibaba native loader", map[string][]byte{"lib/armeabi/libmobisec.so": elf}, []string{"alibaba"}, nil, scan.LevelHigh},
		{"alibaba encrypted code", map[string][]byte{"assets/aliprotect.dat": x}, []string{"alibaba"}, []string{"assets/aliprotect.dat"}, scan.LevelHigh},
		{"alibaba look-alikes", merge(app("com.ali.mobisecenhancer.StubApplication"), classes("Lcom/ali/mobisec/A;"), map[string][]byte{"lib/armeabi/libmobisecurity.so": elf}), nil, nil, ""},

		// DexProtector: only weak files, so two are needed (APKiD: a dp.*
		// loader and dp.mp3).
		{"dexprotector older loaders", map[string][]byte{"assets/dp.arm-v7.art.l.so": x, "assets/dp.mp3": x}, []string{"dexprotector"}, nil, scan.LevelMedium},
		{"dexprotector look-alikes", map[string][]byte{"assets/dp.mp3.bak": x, "assets/sounds/dp.mp3": x, "assets/mydp.arm.so.dat": x}, nil, nil, ""},

		// DexGuard: its runtime's classes (the JNI names of
		// com.guardsquare.dexguard.runtime.detection.HookDetector) and
		// libdgrt.so, its runtime library.
		{"dexguard runtime class", classes("Lcom/guardsquare/dexguard/runtime/detection/HookDetector;"), []string{"dexguard"}, nil, scan.LevelHigh},
		{"dexguard runtime library", map[string][]byte{"lib/arm64-v8a/libdgrt.so": elf}, []string{"dexguard"}, nil, scan.LevelHigh},
		{"dexguard look-alikes", merge(classes("Lcom/guardsquare/dexguardian/A;", "Lcom/guardsquare/proguard/A;"), map[string][]byte{"lib/arm64-v8a/libdgrtx.so": elf}), nil, nil, ""},

		// APKProtect: libAPKProtect.so or the apkprotect.com/ folder; its
		// 6.x files are weak alone (APKiD's apkprotect_a needs two).
		{"apkprotect native loader", map[string][]byte{"lib/armeabi/libAPKProtect.so": elf}, []string{"apkprotect"}, nil, scan.LevelHigh},
		{"apkprotect folder", map[string][]byte{"apkprotect.com/key.dat": x}, []string{"apkprotect"}, nil, scan.LevelHigh},
		{"apkprotect 6.x files", map[string][]byte{"lib/arm64-v8a/libapkprotect.so": elf, "assets/apkprotect.bin": x}, []string{"apkprotect"}, []string{"assets/apkprotect.bin"}, scan.LevelMedium},
		{"apkprotect one weak file", map[string][]byte{"assets/apkprotect.bin": x}, nil, nil, ""},
		{"apkprotect look-alikes", map[string][]byte{"assets/apkprotection.bin": x, "assets/myapkprotect.com/key.dat": x}, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, fs := runOn(t, withEntries(t, tt.extra))
			var got []string
			var payloads []string
			for _, p := range r.Packers {
				got = append(got, p.ID)
				payloads = append(payloads, p.Payloads...)
				if len(p.Evidence) == 0 || p.HidesIn == "" {
					t.Errorf("%s: no evidence or place: %+v", p.ID, p)
				}
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(payloads, tt.payloads) {
				t.Errorf("packers %v payloads %v, want %v %v", got, payloads, tt.want, tt.payloads)
			}
			if len(fs) != len(tt.want) {
				t.Fatalf("findings %+v", fs)
			}
			kinds := map[string]string{}
			for _, p := range r.Packers {
				kinds[p.Name] = p.Kind
			}
			for _, f := range fs {
				// Only a packer's loader is all the code channel sees; a
				// protector may encrypt some of the code, or none.
				words := "the code channel sees only the loader"
				for name, kind := range kinds {
					if kind == "protector" && strings.HasPrefix(f.Title, "Protected with "+name+": ") {
						words = "some or all of the code may be encrypted in "
					}
				}
				if f.Category != "behaviour.packed" || f.Confidence.Level != tt.level || !strings.Contains(f.Title, words) {
					t.Errorf("finding %+v", f)
				}
				if len(tt.payloads) > 0 && !strings.Contains(f.Title, tt.payloads[0]) {
					t.Errorf("title does not say where the code is: %s", f.Title)
				}
			}
			if r.Packed() != (len(tt.want) > 0) {
				t.Errorf("Packed() = %v", r.Packed())
			}
		})
	}
}

func merge(ms ...map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestCountName(t *testing.T) {
	o := &scan.Obfuscation{}
	for _, d := range []string{"La;", "Lcom/x/ab;", "Lcom/x/Main;", "Lcom/x/Main$a;", "Lcom/x/R;", "Lcom/x/单曲播放;", "Ldo;", "Lcom/x/a-b;"} {
		countName(o, d)
	}
	// R is not counted; a, ab, Main$a renamed; do and a-b unusual; the
	// Chinese name is an ordinary Java name.
	if o.Classes != 7 || o.Renamed != 3 || o.Unusual != 2 || !slices.Equal(o.Sample, []string{"Ldo;", "Lcom/x/a-b;"}) {
		t.Errorf("%+v", o)
	}
}

// TestPackerStubApp scans testapps/packer-stub, an inert app shaped like
// one packed with Tencent Legu: its <application> is Legu's stub class
// com.tencent.StubShell.TxAppEntry, its only DEX class that stub, its code
// the random bytes of assets/0OO00l111l1l beside Legu's other assets, and
// its native loader lib/armeabi-v7a/libshell-super.2019.so.
func TestPackerStubApp(t *testing.T) {
	p := corpus.File(t, ".corpus/testapps/packer-stub.apk")
	res := testapp.Run(t, p, Analyzer)
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatal("no result")
	}
	const legu = "a file Tencent Legu puts in the app"
	wantEv := []scan.Evidence{
		{Kind: "native", Location: "lib/armeabi-v7a/libshell-super.2019.so", Detail: legu},
		{Kind: "asset", Location: "assets/0OO00l111l1l", Detail: legu},
		{Kind: "asset", Location: "assets/tosversion", Detail: legu},
		{Kind: "asset", Location: "assets/0OO00oo01l1l", Detail: legu},
		{Kind: "asset", Location: "assets/o0oooOO0ooOo.dat", Detail: legu},
		{Kind: "manifest", Location: "AndroidManifest.xml line 11", Detail: `<application android:name="com.tencent.StubShell.TxAppEntry">: Tencent Legu's stub runs first`},
		{Kind: "code", Location: "classes.dex Lcom/tencent/StubShell/TxAppEntry;", Detail: "a class of Tencent Legu's stub"},
	}
	if len(r.Packers) != 1 {
		t.Fatalf("packers %+v, want Tencent Legu alone", r.Packers)
	}
	pk := r.Packers[0]
	if pk.ID != "legu" || pk.Name != "Tencent Legu" || pk.Kind != "packer" || !slices.Equal(pk.Payloads, []string{"assets/0OO00l111l1l"}) || !slices.Equal(evidence(pk.Evidence), evidence(wantEv)) {
		t.Errorf("packer %+v\nwant the evidence %v", pk, evidence(wantEv))
	}
	if len(res.Findings) != 1 {
		t.Fatalf("findings %+v", res.Findings)
	}
	f := res.Findings[0]
	const title = "Packed with Tencent Legu: the real code is encrypted in assets/0OO00l111l1l; the code channel sees only the loader"
	if f.Category != "behaviour.packed" || f.Title != title || f.Confidence.Level != scan.LevelHigh || !slices.Equal(evidence(f.Evidence), evidence(wantEv)) {
		t.Errorf("finding %+v\nwant %q at high confidence with the evidence %v", f, title, evidence(wantEv))
	}
	if !r.Packed() {
		t.Error("Packed() is false")
	}
}

func evidence(evs []scan.Evidence) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Kind)+": "+e.Location+": "+e.Detail)
	}
	return out
}

// matchEntry is the definition the indicator index keeps to: whether a ZIP
// entry is a file or folder indicator.
func matchEntry(in knowledge.PackerIndicator, name string) bool {
	switch {
	case in.Folder != "":
		return strings.HasPrefix(name, in.Folder)
	case in.File == "":
		return false
	case strings.Contains(in.File, "/"):
		return name == in.File
	}
	return path.Base(name) == in.File
}

// TestIndicatorIndex checks that the index finds, for an entry name, the
// indicators trying each one in table order would, in that order: on every
// indicator's own file and folder, placed at the root and in folders, and
// on names that only resemble them.
func TestIndicatorIndex(t *testing.T) {
	table := knowledge.Packers()
	ix := indexIndicators(table)
	names := []string{"", "/", "classes.dex", "AndroidManifest.xml", "lib/arm64-v8a/", "assets/"}
	for _, pk := range table {
		for _, in := range pk.Indicators {
			for _, s := range []string{in.File, in.Folder} {
				if s == "" {
					continue
				}
				names = append(names, s, s+"x", "x"+s, "lib/armeabi-v7a/"+s, "assets/"+s, s+"/inner.bin", strings.ToUpper(s))
			}
		}
	}
	checked := 0
	for _, name := range names {
		var want []indRef
		for i, pk := range table {
			for j, in := range pk.Indicators {
				if matchEntry(in, name) {
					want = append(want, indRef{i, j})
				}
			}
		}
		got := ix.entry(nil, name)
		if !slices.Equal(got, want) {
			t.Errorf("entry %q: index finds %v, want %v", name, got, want)
		}
		if len(want) > 0 {
			checked++
		}
	}
	if checked < 80 {
		t.Errorf("only %d of %d names match an indicator: the table or the names changed", checked, len(names))
	}
	var classes []indRef
	for i, pk := range table {
		for j, in := range pk.Indicators {
			if in.Class != "" {
				classes = append(classes, indRef{i, j})
			}
		}
	}
	if !slices.Equal(ix.classes, classes) {
		t.Errorf("class indicators %v, want %v", ix.classes, classes)
	}
}
