package arsc_test

import (
	"bufio"
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"appxray/arsc"
	"appxray/internal/corpus"
)

// aaptStrings reads, from `aapt dump --values resources` output, every
// resource's spec name and, per configuration, its direct string values
// (escaped as aapt prints them) and whether any configuration holds
// something other than a direct string.
type aaptDump struct {
	names   map[uint32]string            // "pkg:type/name" from spec lines
	values  map[uint32]map[string]string // id → config → escaped string
	mixed   map[uint32]bool              // id has a non-string value somewhere
	configs []string                     // every config line, in order
}

var (
	specRe     = regexp.MustCompile(`^ {6}spec resource 0x([0-9a-f]{8}) (\S+): flags=`)
	configRe   = regexp.MustCompile(`^ {6}config (.*?)(?: flags=0x[0-9a-f]+ \[\w+\])?:$`)
	resourceRe = regexp.MustCompile(`^ {8}resource 0x([0-9a-f]{8}) \S+: (t=0x([0-9a-f]{2})|<bag>)`)
	stringRe   = regexp.MustCompile(`^ {10}\(string(8|16)\) "(.*)"$`)
)

func parseAaptDump(out []byte) *aaptDump {
	d := &aaptDump{names: map[uint32]string{}, values: map[uint32]map[string]string{}, mixed: map[uint32]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	var config string
	var pending uint32
	var havePending bool
	for sc.Scan() {
		line := sc.Text()
		if m := specRe.FindStringSubmatch(line); m != nil {
			id, _ := strconv.ParseUint(m[1], 16, 32)
			d.names[uint32(id)] = m[2]
		} else if m := configRe.FindStringSubmatch(line); m != nil {
			config = m[1]
			if config == "(default)" {
				config = ""
			}
			d.configs = append(d.configs, config)
		} else if m := resourceRe.FindStringSubmatch(line); m != nil {
			v, _ := strconv.ParseUint(m[1], 16, 32)
			id := uint32(v)
			havePending = m[3] == "03"
			pending = id
			if !havePending {
				d.mixed[id] = true
			}
		} else if m := stringRe.FindStringSubmatch(line); m != nil && havePending {
			if d.values[pending] == nil {
				d.values[pending] = map[string]string{}
			}
			d.values[pending][config] = corpus.JoinSurrogates(m[2])
			havePending = false
		}
	}
	return d
}

// pureLocale reports whether a qualifier string names only a locale.
func pureLocale(q string) bool { return localeOfQualifiers(q) == q }

var (
	langRe   = regexp.MustCompile(`^[a-z]{2,3}$`)
	regionRe = regexp.MustCompile(`^r([A-Z]{2}|[0-9]{3})$`)
)

// localeOfQualifiers extracts the locale from an aapt qualifier string.
func localeOfQualifiers(q string) string {
	parts := strings.Split(q, "-")
	for i, p := range parts {
		if strings.HasPrefix(p, "b+") {
			return p
		}
		if langRe.MatchString(p) && p != "car" {
			if i+1 < len(parts) && regionRe.MatchString(parts[i+1]) {
				return p + "-" + parts[i+1]
			}
			return p
		}
	}
	return ""
}

// TestCorpusLookups checks the lookup API against aapt's dump of every
// corpus table: each named resource is found again by Lookup and named
// the same by ResourceName; for string resources defined only in
// locale configurations, Strings returns exactly aapt's values per locale
// and ResolveString picks the locale's own value, falling back to the
// default for a locale the app lacks; Locales lists exactly the locales
// of aapt's config lines.
func TestCorpusLookups(t *testing.T) {
	var files, names, compared, resolved, fallbacks int
	for _, apk := range corpus.APKs(t) {
		name := corpus.Name(apk)
		if _, skip := unreadableArchives[name]; skip {
			continue
		}
		if _, skip := aaptCannotOpen[name]; skip {
			continue
		}
		data, ok, err := readTable(apk)
		if err != nil || !ok {
			continue // reported by TestParityWithAapt
		}
		tab, err := arsc.Parse(data, arsc.Limits{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		d := parseAaptDump(corpus.Tool(t, "aapt", "dump", "--values", "resources", apk).Stdout)
		files++

		for id, full := range d.names {
			got, ok := tab.ResourceName(id)
			if !ok || got != full {
				t.Errorf("%s: ResourceName(%#x) = %q, %v; aapt says %q", name, id, got, ok, full)
				continue
			}
			typ, key, _ := strings.Cut(full[strings.IndexByte(full, ':')+1:], "/")
			if ids := tab.Lookup(typ, key); !slices.Contains(ids, id) {
				t.Errorf("%s: Lookup(%q, %q) = %x, missing %#x", name, typ, key, ids, id)
			}
			names++
		}

		locales := map[string]bool{}
		for _, c := range d.configs {
			if l := localeOfQualifiers(c); l != "" {
				locales[l] = true
			}
		}
		if got, want := tab.Locales(), slices.Sorted(maps.Keys(locales)); !slices.Equal(got, want) {
			t.Errorf("%s: Locales() = %q, aapt's configs have %q", name, got, want)
		}

		for id, perConfig := range d.values {
			if d.mixed[id] {
				continue
			}
			allPure := true
			for c := range perConfig {
				allPure = allPure && pureLocale(c)
			}
			if !allPure {
				continue
			}
			got := map[string]string{}
			for l, s := range tab.Strings(id) {
				got[l] = normalizeForOutput(s)
			}
			if !maps.Equal(got, perConfig) {
				t.Errorf("%s: Strings(%#x) = %q, aapt %q", name, id, got, perConfig)
				continue
			}
			compared += len(perConfig)
			for l, want := range perConfig {
				s, err := tab.ResolveString(id, l)
				if err != nil || normalizeForOutput(s) != want {
					t.Errorf("%s: ResolveString(%#x, %q) = %q, %v; want %q", name, id, l, s, err, want)
				}
				resolved++
			}
			if def, ok := perConfig[""]; ok {
				s, err := tab.ResolveString(id, "xx-rYY")
				if err != nil || normalizeForOutput(s) != def {
					t.Errorf("%s: ResolveString(%#x, unknown locale) = %q, %v; want default %q", name, id, s, err, def)
				}
				fallbacks++
			}
		}
	}
	t.Logf("arsc lookups: %d files, %d names found again, %d per-locale strings equal, %d resolved, %d fallbacks to default", files, names, compared, resolved, fallbacks)
	if files < 100 || compared < 1000 {
		t.Errorf("compared too little")
	}
}

// TestFrameworkBags checks string arrays and plurals of framework-res
// against aapt: every item of every array and plurals bag whose items are
// direct strings, in the default configuration.
func TestFrameworkBags(t *testing.T) {
	var apk string
	for _, f := range corpus.APKs(t) {
		if filepath.Base(f) == "framework-res.apk" {
			apk = f
		}
	}
	if apk == "" {
		t.Fatal("framework-res.apk missing from the corpus")
	}
	data, _, err := readTable(apk)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := arsc.Parse(data, arsc.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	out := corpus.Tool(t, "aapt", "dump", "--values", "resources", apk).Stdout
	// Gather default-config bags of array and plurals types from aapt.
	type bag struct {
		keys  []uint32
		items []string // escaped string, or "" with ok=false for non-strings
		ok    bool
	}
	bags := map[uint32]*bag{}
	itemRe := regexp.MustCompile(`^ {10}#\d+ \(Key=0x([0-9a-f]{8})\): (.*)$`)
	bagRe := regexp.MustCompile(`^ {8}resource 0x([0-9a-f]{8}) android:(array|plurals)/\S+: <bag>`)
	var cur *bag
	var config string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := configRe.FindStringSubmatch(line); m != nil {
			config = m[1]
			cur = nil
			continue
		}
		if strings.HasPrefix(line, "        resource ") {
			cur = nil
			if m := bagRe.FindStringSubmatch(line); m != nil && config == "(default)" {
				id, _ := strconv.ParseUint(m[1], 16, 32)
				cur = &bag{ok: true}
				bags[uint32(id)] = cur
			}
			continue
		}
		if m := itemRe.FindStringSubmatch(line); m != nil && cur != nil {
			k, _ := strconv.ParseUint(m[1], 16, 32)
			cur.keys = append(cur.keys, uint32(k))
			if s, ok := strings.CutPrefix(m[2], "(string8) \""); ok {
				cur.items = append(cur.items, strings.TrimSuffix(s, "\""))
			} else {
				cur.ok = false
			}
		}
	}
	var arrays, plurals, items int
	for id, b := range bags {
		if !b.ok || len(b.items) == 0 {
			continue
		}
		name, _ := tab.ResourceName(id)
		if strings.Contains(name, ":plurals/") {
			got, err := tab.Plurals(id, "")
			if err != nil {
				t.Errorf("Plurals(%s): %v", name, err)
				continue
			}
			for i, k := range b.keys {
				if normalizeForOutput(got[arsc.QuantityName(k)]) != b.items[i] {
					t.Errorf("Plurals(%s)[%s] = %q, aapt %q", name, arsc.QuantityName(k), got[arsc.QuantityName(k)], b.items[i])
				}
				items++
			}
			plurals++
			continue
		}
		got, err := tab.StringArray(id, "")
		if err != nil {
			t.Errorf("StringArray(%s): %v", name, err)
			continue
		}
		for i := range got {
			got[i] = normalizeForOutput(got[i])
		}
		if !slices.Equal(got, b.items) {
			t.Errorf("StringArray(%s) = %q, aapt %q", name, got, b.items)
		}
		items += len(got)
		arrays++
	}
	t.Logf("framework-res bags: %d string arrays and %d plurals, %d items equal", arrays, plurals, items)
	if arrays < 10 || plurals < 10 {
		t.Errorf("compared too little")
	}
}

// frameworkTable reads framework-res.apk's table for benchmarks.
func frameworkTable(b *testing.B) []byte {
	b.Helper()
	for _, f := range corpus.APKs(b) {
		if filepath.Base(f) == "framework-res.apk" {
			data, _, err := readTable(f)
			if err != nil {
				b.Fatal(err)
			}
			return data
		}
	}
	b.Fatal("framework-res.apk missing from the corpus")
	return nil
}

func uiautomatorTable(b *testing.B) []byte {
	b.Helper()
	for _, f := range corpus.APKs(b) {
		if filepath.Base(f) == "appium-uiautomator2-server-v10.6.6.apk" {
			data, _, err := readTable(f)
			if err != nil {
				b.Fatal(err)
			}
			return data
		}
	}
	b.Fatal("appium-uiautomator2-server-v10.6.6.apk missing from the corpus")
	return nil
}

func benchParse(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := arsc.Parse(data, arsc.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseFramework(b *testing.B)    { benchParse(b, frameworkTable(b)) }
func BenchmarkParseUIAutomator2(b *testing.B) { benchParse(b, uiautomatorTable(b)) }

// BenchmarkFrameworkFirstLookup measures what a scan pays to find one
// string by name and resolve it on a freshly parsed table.
func BenchmarkFrameworkFirstLookup(b *testing.B) {
	data := frameworkTable(b)
	b.ReportAllocs()
	for b.Loop() {
		tab, err := arsc.Parse(data, arsc.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		ids := tab.Lookup("string", "ok")
		if len(ids) != 1 {
			b.Fatalf("Lookup(string, ok) = %x", ids)
		}
		if _, err := tab.ResolveString(ids[0], "fr"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrameworkStrings measures a warm per-locale lookup.
func BenchmarkFrameworkStrings(b *testing.B) {
	tab, err := arsc.Parse(frameworkTable(b), arsc.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	id := tab.Lookup("string", "ok")[0]
	b.ReportAllocs()
	for b.Loop() {
		if m := tab.Strings(id); len(m) < 50 {
			b.Fatalf("%d locales", len(m))
		}
	}
}

// FuzzParse parses arbitrary bytes and uses every lookup on the result.
// Seeds: the small tables in testdata, the synthetic sample table and the
// corpus tables under 64 KiB. Run it with a short -fuzzminimizetime
// (e.g. 3s): minimizing a new input taken from a 64 KiB seed with the
// default 60s budget otherwise eats a whole short fuzzing run.
func FuzzParse(f *testing.F) {
	f.Add(sampleTable())
	seeds, _ := filepath.Glob("testdata/*.arsc")
	if len(seeds) == 0 {
		f.Fatal("no seed tables in testdata")
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	var apks []string
	if corpus.Present() {
		apks = corpus.APKs(f)
	}
	for _, apk := range apks {
		if data, ok, err := readTable(apk); err == nil && ok && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := arsc.Parse(data, arsc.Limits{MaxTypeChunks: 1000})
		if err != nil {
			return
		}
		exercise(tab)
	})
}
