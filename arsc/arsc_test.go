package arsc_test

import (
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"appxray/arsc"
	"appxray/res"
)

// Resource IDs of the sample table.
const (
	idHello   = 0x7f020000
	idAlias   = 0x7f020001
	idLoopA   = 0x7f020002
	idLoopB   = 0x7f020003
	idAppName = 0x7f020004
	idNum     = 0x7f020005
	idDyn     = 0x7f020006
	idMissing = 0x7f020007 // declared by the spec, defined nowhere
	idColors  = 0x7f030000
	idItems   = 0x7f040000
	idSelf    = 0x7f020008 // refers to itself
)

var sampleValues = []string{"Hello", "Bonjour", "Salut Québec", "Hallo", "one item", "%d items", "red", "green", "rouge", "App", "Zdravo", "vert"}

// sampleTable builds a table exercising every index layout (dense,
// 16-bit offsets, sparse), compact entries, bags, references, locales
// including a BCP-47 one, and a configuration that is not generic.
func sampleTable() []byte {
	types := []string{"attr", "string", "array", "plurals"}
	keys := []string{"hello", "alias", "loop_a", "loop_b", "colors", "items", "app_name", "num", "dyn", "missing", "self"}
	def := cfg{}
	fr := cfg{lang: lang("fr")}
	frCA := cfg{lang: lang("fr"), region: lang("CA")}
	deLand := cfg{lang: lang("de"), orientation: arsc.OrientationLand}
	srLatn := cfg{lang: lang("sr"), script: "Latn"}
	pkg := pkgChunk(0x7f, "com.example", types, keys,
		typeSpec(1),
		typeSpec(2, 0, 0, 0, 0, 0, 0, 0, 0, 0),
		typeChunk(2, def, dense, 9, 0,
			ent{idx: 0, key: 0, value: str(0), flags: arsc.FlagPublic},
			ent{idx: 1, key: 1, value: ref(idHello)},
			ent{idx: 2, key: 2, value: ref(idLoopB)},
			ent{idx: 3, key: 3, value: ref(idLoopA)},
			ent{idx: 4, key: 6, value: str(9), compact: true},
			ent{idx: 5, key: 7, value: intv(42)},
			ent{idx: 6, key: 8, value: res.Value{Size: 8, Type: res.TypeDynamicReference, Data: 0x00020000}},
			ent{idx: 8, key: 10, value: ref(idSelf)},
		),
		typeChunk(2, fr, offset16, 2, 0, ent{idx: 0, key: 0, value: str(1)}),
		typeChunk(2, frCA, sparse, 0, 0, ent{idx: 0, key: 0, value: str(2)}),
		typeChunk(2, deLand, dense, 1, 0, ent{idx: 0, key: 0, value: str(3)}),
		typeChunk(2, srLatn, dense, 1, 16, ent{idx: 0, key: 0, value: str(10)}),
		typeSpec(3, 0),
		typeChunk(3, def, dense, 1, 0, ent{idx: 0, key: 4, complex: true, bag: []bagItem{
			{0x01000000, str(6)}, {0x01000001, str(7)},
		}}),
		typeChunk(3, fr, sparse, 0, 0, ent{idx: 0, key: 4, complex: true, bag: []bagItem{
			{0x01000000, str(8)}, {0x01000001, str(11)},
		}}),
		typeSpec(4, 0),
		typeChunk(4, def, dense, 1, 0, ent{idx: 0, key: 5, complex: true, parent: 0, bag: []bagItem{
			{arsc.AttrOne, str(4)}, {arsc.AttrOther, str(5)},
		}}),
	)
	return tableChunk(stringPool(sampleValues...), pkg)
}

func parseSample(t *testing.T) *arsc.Table {
	t.Helper()
	tab, err := arsc.Parse(sampleTable(), arsc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Warnings) != 0 {
		t.Fatalf("unexpected warnings: %v", tab.Warnings)
	}
	return tab
}

func TestSampleStructure(t *testing.T) {
	tab := parseSample(t)
	if len(tab.Packages) != 1 {
		t.Fatalf("%d packages", len(tab.Packages))
	}
	p := tab.Packages[0]
	if p.ID != 0x7f || p.Name != "com.example" {
		t.Errorf("package %#x %q", p.ID, p.Name)
	}
	var names []string
	for _, ty := range p.Types {
		names = append(names, ty.Name)
	}
	if want := []string{"attr", "string", "array", "plurals"}; !slices.Equal(names, want) {
		t.Errorf("types %v, want %v", names, want)
	}
	st := p.Type(2)
	if st == nil || st.EntryCount != 9 || len(st.Configs) != 5 {
		t.Fatalf("string type: %+v", st)
	}
	if got := st.Configs[4].Config.String(); got != "b+sr+Latn" {
		t.Errorf("config with extra header bytes reads as %q", got)
	}
	// The compact entry keeps its key, type and data.
	e, err := st.Configs[0].Entry(4)
	if err != nil || e == nil {
		t.Fatalf("compact entry: %v %v", e, err)
	}
	if e.Name != "app_name" || e.Value.Type != res.TypeString || e.Value.Data != 9 || e.Flags != arsc.FlagCompact {
		t.Errorf("compact entry decoded as %+v", e)
	}
	if e.Offset <= st.Configs[0].Offset {
		t.Errorf("entry offset %d not inside its chunk at %d", e.Offset, st.Configs[0].Offset)
	}
	// Absent entries: NO_ENTRY, past the index, missing from a sparse index.
	for _, c := range []struct {
		tc  int
		idx uint16
	}{{0, 7}, {0, 200}, {1, 1}, {1, 5}, {2, 1}} {
		if e, err := st.Configs[c.tc].Entry(c.idx); e != nil || err != nil {
			t.Errorf("config %d entry %d: got %+v, %v; want absent", c.tc, c.idx, e, err)
		}
	}
	var n int
	for e, err := range st.Configs[0].All() {
		if err != nil {
			t.Error(err)
		}
		if e.ID>>16 != 0x7f02 {
			t.Errorf("entry ID %#x", e.ID)
		}
		n++
	}
	if n != 8 {
		t.Errorf("All yielded %d entries, want 8", n)
	}
	if got := tab.Entries(idHello); len(got) != 5 {
		t.Errorf("Entries(hello) = %d configs, want 5", len(got))
	}
	if got := tab.Entries(idHello)[0].Entry.Flags; got&arsc.FlagPublic == 0 {
		t.Errorf("hello flags %#x lost FlagPublic", got)
	}
	bag := tab.Entries(idColors)[0].Entry
	if !bag.Complex || len(bag.Bag) != 2 || bag.Bag[1].Name != 0x01000001 || bag.Bag[1].Value != str(7) {
		t.Errorf("bag decoded as %+v", bag)
	}
}

func TestNames(t *testing.T) {
	tab := parseSample(t)
	for id, want := range map[uint32]string{
		idHello:   "com.example:string/hello",
		idAppName: "com.example:string/app_name",
		idColors:  "com.example:array/colors",
		idItems:   "com.example:plurals/items",
	} {
		if got, ok := tab.ResourceName(id); !ok || got != want {
			t.Errorf("ResourceName(%#x) = %q, %v; want %q", id, got, ok, want)
		}
	}
	for _, id := range []uint32{idMissing, 0x7f090000, 0x01010000, 0x7f02ffff} {
		if got, ok := tab.ResourceName(id); ok {
			t.Errorf("ResourceName(%#x) = %q, want none", id, got)
		}
	}
	if got := tab.Lookup("string", "app_name"); !slices.Equal(got, []uint32{idAppName}) {
		t.Errorf("Lookup(string, app_name) = %x", got)
	}
	if got := tab.Lookup("plurals", "items"); !slices.Equal(got, []uint32{idItems}) {
		t.Errorf("Lookup(plurals, items) = %x", got)
	}
	if got := tab.Lookup("string", "colors"); got != nil {
		t.Errorf("Lookup(string, colors) = %x, want none", got)
	}
	if got, want := tab.Locales(), []string{"b+sr+Latn", "de", "fr", "fr-rCA"}; !slices.Equal(got, want) {
		t.Errorf("Locales() = %q, want %q", got, want)
	}
}

func TestResolveString(t *testing.T) {
	tab := parseSample(t)
	tests := []struct {
		id     uint32
		locale string
		want   string
		err    error
	}{
		{idHello, "", "Hello", nil},
		{idHello, "fr", "Bonjour", nil},
		{idHello, "fr-rFR", "Bonjour", nil}, // language beats default
		{idHello, "fr-rCA", "Salut Québec", nil},
		{idHello, "fr-CA", "Salut Québec", nil}, // BCP-47 spelling
		{idHello, "fr_CA", "Salut Québec", nil},
		{idHello, "de", "Hello", nil}, // de only exists in landscape
		{idHello, "ja", "Hello", nil},
		{idHello, "b+sr+Latn", "Zdravo", nil},
		{idHello, "sr-Latn", "Zdravo", nil},
		{idHello, "sr-Cyrl", "Hello", nil},
		{idAlias, "fr", "Bonjour", nil}, // reference resolved in the locale
		{idAppName, "", "App", nil},
		{idNum, "", "42", nil},
		{idDyn, "fr-rCA", "Salut Québec", nil}, // package 0 means this package
		{idLoopA, "", "", arsc.ErrReferenceCycle},
		{idSelf, "", "", arsc.ErrReferenceCycle},
		{idMissing, "", "", arsc.ErrNotFound},
		{0x01040000, "", "", arsc.ErrNotFound},
		{idColors, "", "", arsc.ErrWrongKind},
	}
	for _, tt := range tests {
		got, err := tab.ResolveString(tt.id, tt.locale)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ResolveString(%#x, %q) = %q, %v; want error %v", tt.id, tt.locale, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveString(%#x, %q) = %q, %v; want %q", tt.id, tt.locale, got, err, tt.want)
		}
	}
}

func TestStringsPerLocale(t *testing.T) {
	tab := parseSample(t)
	want := map[string]string{"": "Hello", "fr": "Bonjour", "fr-rCA": "Salut Québec", "de": "Hallo", "b+sr+Latn": "Zdravo"}
	if got := tab.Strings(idHello); !maps.Equal(got, want) {
		t.Errorf("Strings(hello) = %q, want %q", got, want)
	}
	if got := tab.Strings(idAlias); !maps.Equal(got, map[string]string{"": "Hello"}) {
		t.Errorf("Strings(alias) = %q", got)
	}
	if got := tab.Strings(idLoopA); len(got) != 0 {
		t.Errorf("Strings(loop) = %q, want empty", got)
	}
}

func TestBags(t *testing.T) {
	tab := parseSample(t)
	for _, tt := range []struct {
		locale string
		want   []string
	}{{"", []string{"red", "green"}}, {"fr", []string{"rouge", "vert"}}, {"fr-rCA", []string{"rouge", "vert"}}} {
		got, err := tab.StringArray(idColors, tt.locale)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("StringArray(colors, %q) = %q, %v; want %q", tt.locale, got, err, tt.want)
		}
	}
	got, err := tab.Plurals(idItems, "fr")
	if want := map[string]string{"one": "one item", "other": "%d items"}; err != nil || !maps.Equal(got, want) {
		t.Errorf("Plurals(items) = %q, %v; want %q", got, err, want)
	}
	if _, err := tab.StringArray(idHello, ""); !errors.Is(err, arsc.ErrWrongKind) {
		t.Errorf("StringArray on a string: %v, want ErrWrongKind", err)
	}
}

func TestConfigString(t *testing.T) {
	packed := func(a, b, c byte, base byte) [2]byte {
		x, y, z := a-base, b-base, c-base
		return [2]byte{0x80 | z<<2 | y>>3, (y&7)<<5 | x}
	}
	tests := []struct {
		c      arsc.Config
		want   string
		locale string
	}{
		{arsc.Config{}, "", ""},
		{arsc.Config{Language: lang("fr")}, "fr", "fr"},
		{arsc.Config{Language: lang("zh"), Country: lang("CN")}, "zh-rCN", "zh-rCN"},
		{arsc.Config{Language: packed('a', 's', 't', 'a'), Country: lang("ES")}, "ast-rES", "ast-rES"},
		{arsc.Config{Language: lang("es"), Country: packed('4', '1', '9', '0')}, "es-r419", "es-r419"},
		{arsc.Config{Language: lang("sr"), LocaleScript: [4]byte{'L', 'a', 't', 'n'}}, "b+sr+Latn", "b+sr+Latn"},
		{arsc.Config{Language: lang("sr"), LocaleScript: [4]byte{'L', 'a', 't', 'n'}, LocaleScriptWasComputed: true}, "sr", "sr"},
		{arsc.Config{Language: lang("de"), Country: lang("DE"), LocaleVariant: [8]byte{'1', '9', '9', '6'}}, "b+de+DE+1996", "b+de+DE+1996"},
		{arsc.Config{Language: lang("ar"), LocaleNumberingSystem: [8]byte{'l', 'a', 't', 'n'}}, "b+ar+u+nu+latn", "b+ar+u+nu+latn"},
		{arsc.Config{MCC: 310, MNC: 410, Language: lang("en"), Country: lang("US")}, "mcc310-mnc410-en-rUS", "en-rUS"},
		{arsc.Config{MNC: arsc.MNCZero}, "mnc65535", ""},
		{arsc.Config{Density: arsc.DensityXHigh, SDKVersion: 4}, "xhdpi-v4", ""},
		{arsc.Config{Density: 300}, "300dpi", ""},
		{arsc.Config{ScreenLayout: 0x80 | 0x03 | 0x20, SmallestScreenWidthDp: 600, ScreenWidthDp: 720, ScreenHeightDp: 1024},
			"ldrtl-sw600dp-w720dp-h1024dp-large-long", ""},
		{arsc.Config{ScreenLayout2: 2, ColorMode: 2 | 8, Orientation: arsc.OrientationLand, UIMode: 6 | 0x20},
			"round-widecg-highdr-land-watch-night", ""},
		{arsc.Config{UIMode: 3}, "car", ""},
		{arsc.Config{Touchscreen: arsc.TouchscreenFinger, InputFlags: 2 | 8, Keyboard: arsc.KeyboardQwerty, Navigation: arsc.NavigationDpad},
			"finger-keyshidden-qwerty-navhidden-dpad", ""},
		{arsc.Config{ScreenWidth: 800, ScreenHeight: 480, SDKVersion: 21, MinorVersion: 1}, "800x480-v21.1", ""},
		{arsc.Config{Language: lang("fr"), GrammaticalInflection: 2}, "fr-feminine", "fr"},
		{arsc.Config{Orientation: 9}, "orientation=9", ""},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q, want %q (%+v)", got, tt.want, tt.c)
		}
		if got := tt.c.Locale(); got != tt.locale {
			t.Errorf("Locale() = %q, want %q (%+v)", got, tt.locale, tt.c)
		}
	}
}

// TestConfigSizes covers configurations shorter and longer than the
// structure this package knows, and type headers longer than needed.
func TestConfigSizes(t *testing.T) {
	for _, tt := range []struct {
		name  string
		c     cfg
		extra int
		want  string
	}{
		{"short 28-byte config (no screenLayout)", cfg{size: 28, lang: lang("fr"), sdk: 8}, 0, "fr-v8"},
		{"short 36-byte config", cfg{size: 36, density: arsc.DensityHigh}, 0, "hdpi"},
		{"long 80-byte config", cfg{size: 80, lang: lang("ja")}, 0, "ja"},
		{"header with 12 unknown bytes", cfg{lang: lang("ko")}, 12, "ko"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"},
				typeSpec(1, 0), typeChunk(1, tt.c, dense, 1, tt.extra, ent{value: str(0)}))
			tab, err := arsc.Parse(tableChunk(stringPool("v"), pkg), arsc.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(tab.Warnings) != 0 {
				t.Errorf("warnings: %v", tab.Warnings)
			}
			tc := tab.Packages[0].Types[0].Configs[0]
			if got := tc.Config.String(); got != tt.want {
				t.Errorf("config %q, want %q", got, tt.want)
			}
			size := tt.c.size
			if size == 0 {
				size = 64
			}
			if tc.Config.Size != uint32(size) {
				t.Errorf("config size %d, want %d", tc.Config.Size, size)
			}
			if s, err := tab.ResolveString(0x7f010000, tc.Config.Locale()); err != nil || s != "v" {
				t.Errorf("value %q, %v", s, err)
			}
		})
	}
}

func hasWarning(tab *arsc.Table, substr string) bool {
	for _, w := range tab.Warnings {
		if strings.Contains(w.Error(), substr) {
			return true
		}
	}
	return false
}

func TestDamage(t *testing.T) {
	unknown := chunk(0x0777, buf(nil).u32(0), nil)

	t.Run("unknown chunks are skipped with a warning", func(t *testing.T) {
		pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"},
			typeSpec(1, 0), unknown, typeChunk(1, cfg{}, dense, 1, 0, ent{value: str(0)}))
		data := tableChunk(stringPool("v"), unknown, pkg)
		tab, err := arsc.Parse(data, arsc.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(tab, "unknown chunk 0x0777 in table") || !hasWarning(tab, `unknown chunk 0x0777 in package "p"`) {
			t.Errorf("warnings: %v", tab.Warnings)
		}
		if s, err := tab.ResolveString(0x7f010000, ""); err != nil || s != "v" {
			t.Errorf("value after unknown chunk: %q, %v", s, err)
		}
	})

	t.Run("entry outside its chunk", func(t *testing.T) {
		tc := typeChunk(1, cfg{}, dense, 2, 0, ent{idx: 0, value: str(0)}, ent{idx: 1, value: str(0)})
		// Point entry 1 far past the chunk's end.
		idxAt := int(u16le(tc[2:]))
		copy(tc[idxAt+4:], buf(nil).u32(0x10000))
		pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, typeSpec(1, 0, 0), tc)
		tab, err := arsc.Parse(tableChunk(stringPool("v"), pkg), arsc.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(tab, "1 bad entries") || !hasWarning(tab, "lies outside") {
			t.Errorf("warnings: %v", tab.Warnings)
		}
		ch := tab.Packages[0].Types[0].Configs[0]
		_, err = ch.Entry(1)
		var fe *arsc.FormatError
		if !errors.As(err, &fe) || fe.Offset <= ch.Offset {
			t.Errorf("Entry(1) error %v, want a FormatError inside the chunk", err)
		}
		if e, err := ch.Entry(0); err != nil || e == nil {
			t.Errorf("Entry(0) = %v, %v", e, err)
		}
		if n := len(tab.Entries(0x7f010001)); n != 0 {
			t.Errorf("Entries of the bad entry: %d", n)
		}
	})

	t.Run("bag count larger than the chunk", func(t *testing.T) {
		tc := typeChunk(1, cfg{}, dense, 1, 0, ent{complex: true, bag: []bagItem{{1, str(0)}}})
		hs := int(u16le(tc[2:]))
		// The map entry's count field sits 12 bytes into the entry, which
		// starts right after the 4-byte index.
		copy(tc[hs+4+12:], buf(nil).u32(0x40000000))
		pkg := pkgChunk(0x7f, "p", []string{"array"}, []string{"k"}, typeSpec(1, 0), tc)
		tab, err := arsc.Parse(tableChunk(stringPool("v"), pkg), arsc.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(tab, "items run past") {
			t.Errorf("warnings: %v", tab.Warnings)
		}
		if _, err := tab.StringArray(0x7f010000, ""); !errors.Is(err, arsc.ErrNotFound) {
			t.Errorf("StringArray on a broken bag: %v", err)
		}
	})

	t.Run("entry count beyond the index room", func(t *testing.T) {
		tc := typeChunk(1, cfg{}, dense, 1, 0, ent{value: str(0)})
		copy(tc[12:], buf(nil).u32(1000))
		pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, typeSpec(1, 0), tc)
		tab, err := arsc.Parse(tableChunk(stringPool("v"), pkg), arsc.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasWarning(tab, "leaves no room for 1000 index entries") || len(tab.Packages[0].Types[0].Configs) != 0 {
			t.Errorf("warnings: %v", tab.Warnings)
		}
	})

	t.Run("not a table", func(t *testing.T) {
		for _, data := range [][]byte{nil, {2, 0}, stringPool("x"), chunk(res.ChunkTable, nil, nil)} {
			if _, err := arsc.Parse(data, arsc.Limits{}); err == nil {
				t.Errorf("Parse(%x) succeeded", data)
			}
		}
	})

	t.Run("warnings are capped", func(t *testing.T) {
		var chunks [][]byte
		for range 50 {
			chunks = append(chunks, unknown)
		}
		tab, err := arsc.Parse(tableChunk(stringPool("v"), chunks...), arsc.Limits{MaxWarnings: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Warnings) != 11 || !strings.Contains(tab.Warnings[10].Error(), "more warnings") {
			t.Errorf("%d warnings, last %v", len(tab.Warnings), tab.Warnings[len(tab.Warnings)-1])
		}
	})

	t.Run("lookup work is bounded", func(t *testing.T) {
		// An array of 200 items, each a reference to a different string
		// defined in 100 configurations: 20000 configurations to examine.
		var items []bagItem
		var strs []ent
		var flags []uint32
		for i := range 200 {
			items = append(items, bagItem{0x01000000 + uint32(i), ref(0x7f010000 + uint32(i))})
			strs = append(strs, ent{idx: uint16(i), value: str(0)})
			flags = append(flags, 0)
		}
		children := [][]byte{typeSpec(1, flags...)}
		for i := range 100 {
			children = append(children, typeChunk(1, cfg{sdk: uint16(i + 1)}, dense, 200, 0, strs...))
		}
		children = append(children, typeSpec(2, 0), typeChunk(2, cfg{}, dense, 1, 0, ent{complex: true, bag: items}))
		pkg := pkgChunk(0x7f, "p", []string{"string", "array"}, []string{"k"}, children...)
		data := tableChunk(stringPool("s"), pkg)
		for _, tt := range []struct {
			work int
			err  error
		}{{5000, arsc.ErrTooMuchWork}, {50000, nil}} {
			tab, err := arsc.Parse(data, arsc.Limits{MaxLookupWork: tt.work})
			if err != nil {
				t.Fatal(err)
			}
			got, err := tab.StringArray(0x7f020000, "")
			if !errors.Is(err, tt.err) || (tt.err == nil && len(got) != 200) {
				t.Errorf("MaxLookupWork %d: %d items, %v; want error %v", tt.work, len(got), err, tt.err)
			}
		}
	})

	t.Run("sparse chunks claiming 65536 IDs cost memory per entry, not per ID", func(t *testing.T) {
		var children [][]byte
		var typeNames []string
		for id := 1; id <= 200; id++ {
			children = append(children, typeChunk(uint8(id), cfg{}, sparse, 0, 0, ent{idx: 0xffff, value: str(0)}))
			typeNames = append(typeNames, "string")
		}
		pkg := pkgChunk(0x7f, "p", typeNames, []string{"k"}, children...)
		tab, err := arsc.Parse(tableChunk(stringPool("s"), pkg), arsc.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ids := tab.Lookup("string", "k")
		runtime.ReadMemStats(&after)
		if len(ids) != 200 || ids[0] != 0x7f01ffff {
			t.Errorf("Lookup found %d IDs, first %x", len(ids), ids[:min(1, len(ids))])
		}
		// 200 types × 65536 IDs × 4 bytes would be 52 MB.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
			t.Errorf("Lookup allocated %d bytes for 200 entries", alloc)
		}
		if name, ok := tab.ResourceName(0x7fc8ffff); !ok || name != "p:string/k" {
			t.Errorf("ResourceName = %q, %v", name, ok)
		}
	})

	t.Run("deep reference chain", func(t *testing.T) {
		var ents []ent
		var flags []uint32
		for i := range 100 {
			ents = append(ents, ent{idx: uint16(i), value: ref(0x7f010000 + uint32(i) + 1)})
			flags = append(flags, 0)
		}
		ents = append(ents, ent{idx: 100, value: str(0)})
		flags = append(flags, 0)
		pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"}, typeSpec(1, flags...), typeChunk(1, cfg{}, dense, 101, 0, ents...))
		tab, err := arsc.Parse(tableChunk(stringPool("end"), pkg), arsc.Limits{MaxReferenceDepth: 50})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tab.ResolveString(0x7f010000, ""); !errors.Is(err, arsc.ErrTooDeep) {
			t.Errorf("100-step chain with limit 50: %v", err)
		}
		if s, err := tab.ResolveString(0x7f010000+60, ""); err != nil || s != "end" {
			t.Errorf("40-step chain: %q, %v", s, err)
		}
	})
}

func u16le(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }

// TestTruncated parses every prefix of the sample table (with its size
// fields left claiming the full length) and uses the result: nothing may
// panic, and whatever is returned must be usable.
func TestTruncated(t *testing.T) {
	data := sampleTable()
	parsed := 0
	for n := range len(data) {
		tab, err := arsc.Parse(data[:n], arsc.Limits{})
		if err != nil {
			continue
		}
		parsed++
		exercise(tab)
	}
	if parsed == 0 {
		t.Error("no prefix parsed")
	}
	t.Logf("%d of %d prefixes parsed with warnings", parsed, len(data))
}

// exercise calls every lookup on up to 64 resources of the table.
func exercise(tab *arsc.Table) {
	tab.Locales()
	budget := 64
	for _, p := range tab.Packages {
		for _, ty := range p.Types {
			for _, tc := range ty.Configs {
				_ = tc.Config.String()
				for range tc.All() {
				}
			}
			for i := range ty.EntryCount {
				if budget--; budget < 0 {
					return
				}
				id := p.ID<<24 | uint32(ty.ID)<<16 | i
				tab.Entries(id)
				if name, ok := tab.ResourceName(id); ok {
					tab.Lookup(ty.Name, name[strings.LastIndexByte(name, '/')+1:])
				}
				_, _ = tab.ResolveString(id, "")
				_, _ = tab.ResolveString(id, "fr")
				tab.Strings(id)
				_, _ = tab.StringArray(id, "")
				_, _ = tab.Plurals(id, "")
			}
		}
	}
}

func TestLibrariesAndAliases(t *testing.T) {
	var lib buf
	lib = lib.u32(2)
	lib = append(lib.u32(0x02), utf16Field("com.example.lib", 128)...)
	lib = append(lib.u32(0x03), utf16Field("com.example.other", 128)...)
	var alias buf
	alias = alias.u32(1).u32(0x01ff0000).u32(0x0101066a)
	overlayable := chunk(res.ChunkTableOverlayable, make([]byte, 1024), nil)
	pkg := pkgChunk(0x7f, "p", []string{"string"}, []string{"k"},
		chunk(res.ChunkTableLibrary, lib[:4], lib[4:]),
		chunk(res.ChunkTableStagedAlias, alias[:4], alias[4:]),
		overlayable,
		typeSpec(1, 0), typeChunk(1, cfg{}, dense, 1, 0, ent{value: str(0)}))
	tab, err := arsc.Parse(tableChunk(stringPool("v"), pkg), arsc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Warnings) != 0 {
		t.Errorf("warnings: %v", tab.Warnings)
	}
	p := tab.Packages[0]
	wantLibs := []arsc.Library{{ID: 2, Name: "com.example.lib"}, {ID: 3, Name: "com.example.other"}}
	if !slices.Equal(p.Libraries, wantLibs) {
		t.Errorf("Libraries = %+v, want %+v", p.Libraries, wantLibs)
	}
	if want := []arsc.StagedAlias{{StagedID: 0x01ff0000, FinalizedID: 0x0101066a}}; !slices.Equal(p.Aliases, want) {
		t.Errorf("Aliases = %+v", p.Aliases)
	}
	if s, err := tab.ResolveString(0x7f010000, ""); err != nil || s != "v" {
		t.Errorf("value after library chunks: %q, %v", s, err)
	}
}

// TestConcurrentLookups runs every lookup from several goroutines at once
// on a fresh table, so that -race can see the lazily built indexes.
func TestConcurrentLookups(t *testing.T) {
	tab := parseSample(t)
	done := make(chan bool)
	for range 4 {
		go func() {
			exercise(tab)
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
	if got := tab.Lookup("string", "hello"); !slices.Equal(got, []uint32{idHello}) {
		t.Errorf("Lookup after concurrent use = %x", got)
	}
}

// TestIndexedLookupsAgree checks that lookups answered by scanning every
// configuration and, once a type is busy, by its entry index agree.
func TestIndexedLookupsAgree(t *testing.T) {
	tab := parseSample(t)
	ids := []uint32{idHello, idAlias, idLoopA, idAppName, idNum, idDyn, idMissing, idSelf, idColors, idItems}
	locales := []string{"", "fr", "fr-rCA", "de", "b+sr+Latn", "ja"}
	snapshot := func() []string {
		var out []string
		for _, id := range ids {
			for _, l := range locales {
				s, err := tab.ResolveString(id, l)
				out = append(out, fmt.Sprintf("%#x %q: %q %v", id, l, s, err))
			}
			for _, ce := range tab.Entries(id) {
				out = append(out, fmt.Sprintf("%#x %s: %+v", id, ce.Config, *ce.Entry))
			}
			out = append(out, fmt.Sprint(tab.Strings(id)))
		}
		return out
	}
	before := snapshot() // the first lookups scan
	for range 100 {
		snapshot()
	}
	after := snapshot()
	if !slices.Equal(before, after) {
		for i := range before {
			if before[i] != after[i] {
				t.Errorf("scan: %s\nindex: %s", before[i], after[i])
			}
		}
	}
	if len(before) < 70 {
		t.Errorf("compared only %d results", len(before))
	}
}

func TestResolveValue(t *testing.T) {
	tab := parseSample(t)
	for _, tt := range []struct {
		id     uint32
		locale string
		want   res.Value
		ok     bool
	}{
		{idNum, "", intv(42), true},
		{idAlias, "fr", str(1), true}, // through the reference, in the locale
		{idDyn, "", str(0), true},
		{idLoopA, "", res.Value{}, false},
		{idColors, "", res.Value{}, false},
		{idMissing, "", res.Value{}, false},
	} {
		got, ok := tab.ResolveValue(tt.id, tt.locale)
		if ok != tt.ok || got != tt.want {
			t.Errorf("ResolveValue(%#x, %q) = %+v, %v; want %+v, %v", tt.id, tt.locale, got, ok, tt.want, tt.ok)
		}
	}
}
