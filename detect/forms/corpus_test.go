package forms

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
)

// unopenable are corpus files appxray refuses to open as apps, with the
// reason; aapt refuses them too (asserted below).
var unopenable = map[string]string{
	"signing/apksig/empty-unsigned.apk": "ZIP without AndroidManifest.xml",
	"signing/apksig/v1-only-empty.apk":  "ZIP without AndroidManifest.xml",
	"signing/apksig/v2-only-empty.apk":  "ZIP without AndroidManifest.xml",
	"signing/apksig/v3-only-empty.apk":  "ZIP without AndroidManifest.xml",
}

// zipUnreadable are corpus files that archive/zip, the oracle's reader,
// refuses while appxray (like Android) reads them; their widgets are not
// compared with aapt's.
var zipUnreadable = map[string]string{
	"signing/apksig/v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk": "central directory offset is wrong; archive/zip gives up",
	"signing/apksig/v2-only-truncated-cd.apk":                               "truncated central directory",
}

// perAppLimit bounds the time one corpus app may take; the machine is
// shared, so it is generous.
const perAppLimit = 30 * time.Second

// widgetKey identifies a widget the same way from aapt's dump and from a
// Field.
type widgetKey struct {
	layout, class string
	line          int
}

var elemLine = regexp.MustCompile(`^( *)E: (\S+) \(line=(\d+)\)$`)
var classAttr = regexp.MustCompile(`^ *A: class="([^"]*)"`)

// aaptWidgets lists, from aapt's xmltree dump of one file, the elements
// this channel reports as fields: widgets, except a TextInputLayout whose
// text entry is inside it (that entry carries its hint instead).
func aaptWidgets(layout string, dump []byte, kindOf func(string) kind) []widgetKey {
	type node struct {
		indent int
		key    widgetKey
		k      kind
		hasTE  bool
		parent *node
	}
	var all []*node
	var stack []*node
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if m := elemLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[3])
			nd := &node{indent: len(m[1]), key: widgetKey{layout, m[2], n}}
			for len(stack) > 0 && stack[len(stack)-1].indent >= nd.indent {
				stack = stack[:len(stack)-1]
			}
			if len(stack) > 0 {
				nd.parent = stack[len(stack)-1]
			}
			stack = append(stack, nd)
			all = append(all, nd)
			continue
		}
		if m := classAttr.FindStringSubmatch(line); m != nil && len(stack) > 0 {
			if top := stack[len(stack)-1]; top.key.class == "view" && m[1] != "" {
				top.key.class = m[1]
			}
		}
	}
	for _, nd := range all {
		nd.k = kindOf(nd.key.class)
		if nd.k == kindTextEntry {
			for p := nd.parent; p != nil; p = p.parent {
				if p.k == kindTextInputLayout || kindOf(p.key.class) == kindTextInputLayout {
					p.hasTE = true
					break
				}
			}
		}
	}
	var out []widgetKey
	for _, nd := range all {
		switch {
		case nd.k == kindNone || nd.k == kindLabel:
		case nd.k == kindTextInputLayout && nd.hasTE:
		default:
			out = append(out, nd.key)
		}
	}
	return out
}

// dexdumpSupers reads every class's superclass from dexdump's listing of
// an APK's DEX files (nil when it has none), for the oracle.
func dexdumpSupers(t *testing.T, apk string) map[string]string {
	out := corpus.Tool(t, "dexdump", apk)
	if out.ExitCode != 0 {
		return nil
	}
	supers := map[string]string{}
	var class string
	sc := bufio.NewScanner(bytes.NewReader(out.Stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "Class descriptor  : '"); ok {
			class = dotted([]byte(strings.TrimSuffix(rest, "'")))
		} else if rest, ok := strings.CutPrefix(line, "Superclass        : '"); ok && class != "" {
			if _, dup := supers[class]; !dup {
				supers[class] = dotted([]byte(strings.TrimSuffix(rest, "'")))
			}
			class = ""
		}
	}
	return supers
}

// oracleKind tells what a class is from dexdump's superclasses, by the
// rule the channel follows: the nearest framework superclass decides; a
// class outside the app's code is told by its name.
func oracleKind(supers map[string]string) func(string) kind {
	return func(class string) kind {
		if k, ok := frameworkKinds[class]; ok {
			return k
		}
		if !strings.Contains(class, ".") {
			return classifyClass(class)
		}
		for c, n := class, 0; n < maxSuperChain; n++ {
			if k, ok := frameworkKinds[c]; ok {
				return k
			}
			sup, ok := supers[c]
			if !ok {
				return classifyClass(c)
			}
			c = sup
		}
		return kindNone
	}
}

// TestCorpusAgainstAapt runs the analyzer over every corpus APK and checks
// that the widgets it reports are exactly those aapt's own XML dump shows in
// the app's res/**.xml files.
func TestCorpusAgainstAapt(t *testing.T) {
	apks := corpus.APKs(t)
	var apps, layouts, widgets, fieldsTotal, listsTotal, findingsTotal int
	aaptRefused := map[string]int{}
	var slowest time.Duration
	var slowestName string
	for _, apk := range apks {
		name := corpus.Name(apk)
		ctx := context.Background()
		start := time.Now()
		a, err := app.Open(ctx, apk, app.DefaultOptions())
		if reason, known := unopenable[name]; known {
			if err == nil {
				a.Close()
				t.Errorf("%s: expected to be unopenable (%s), but it opened", name, reason)
			}
			if res := corpus.Tool(t, "aapt", "dump", "badging", apk); res.ExitCode == 0 {
				t.Errorf("%s: aapt accepts it, but appxray does not open it", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
		a.Close()
		if err != nil || len(res.Errors) > 0 {
			t.Errorf("%s: run: %v %v", name, err, res.Errors)
			continue
		}
		el := time.Since(start)
		if el > slowest {
			slowest, slowestName = el, name
		}
		if el > perAppLimit {
			t.Errorf("%s: took %v, more than %v", name, el, perAppLimit)
		}
		apps++
		r := resultOf(res)
		fieldsTotal += len(r.Fields)
		listsTotal += len(r.OptionLists)
		findingsTotal += len(res.Findings)
		checkInvariants(t, name, r, res.Findings)

		// The oracle: aapt's dump of every res/**.xml entry.
		zr, err := zip.OpenReader(apk)
		if _, known := zipUnreadable[name]; known {
			if err == nil {
				zr.Close()
				t.Errorf("%s: listed as unreadable by archive/zip, but it opened", name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: archive/zip cannot open it (%v), but appxray did", name, err)
			continue
		}
		var want []widgetKey
		kindOf := oracleKind(dexdumpSupers(t, apk))
		refused := map[string]bool{}
		seen := map[string]bool{}
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, "res/") || !strings.HasSuffix(strings.ToLower(f.Name), ".xml") || seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			out := corpus.Tool(t, "aapt", "dump", "xmltree", apk, f.Name)
			if out.ExitCode != 0 {
				refused[f.Name] = true
				continue
			}
			layouts++
			want = append(want, aaptWidgets(f.Name, out.Stdout, kindOf)...)
		}
		zr.Close()
		if len(refused) > 0 {
			aaptRefused[name] = len(refused)
		}
		var got []widgetKey
		for _, f := range r.Fields {
			if strings.HasPrefix(f.Layout, "res/") && !refused[f.Layout] {
				got = append(got, widgetKey{f.Layout, f.Widget, f.Line})
			}
		}
		sortKeys(want)
		sortKeys(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: widgets differ from aapt:\n%s", name, diffKeys(got, want))
		}
		widgets += len(want)
	}
	// aapt refuses some files (not XML at all, or raw XML under res/raw).
	for name, n := range aaptRefused {
		t.Logf("%s: aapt refused %d res/**.xml entries (not binary XML); compared the rest", name, n)
	}
	t.Logf("corpus: %d apps, %d XML files compared with aapt, %d widgets identical; %d fields, %d option lists, %d findings; slowest %s (%v)",
		apps, layouts, widgets, fieldsTotal, listsTotal, findingsTotal, slowestName, slowest.Round(time.Millisecond))
	if apps < 300 || widgets < 100 {
		t.Errorf("compared too little: %d apps, %d widgets", apps, widgets)
	}
}

func sortKeys(ks []widgetKey) {
	sort.Slice(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.layout != b.layout {
			return a.layout < b.layout
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.class < b.class
	})
}

func diffKeys(got, want []widgetKey) string {
	var b strings.Builder
	g := map[widgetKey]int{}
	for _, k := range got {
		g[k]++
	}
	w := map[widgetKey]int{}
	for _, k := range want {
		w[k]++
	}
	for k, n := range w {
		if g[k] < n {
			fmt.Fprintf(&b, "  missing %v\n", k)
		}
	}
	for k, n := range g {
		if w[k] < n {
			fmt.Fprintf(&b, "  extra   %v\n", k)
		}
	}
	return b.String()
}

// checkInvariants holds for any app: evidence on everything, categories in
// the taxonomy and backed by matches, findings that cite fields or lists.
func checkInvariants(t *testing.T, name string, r *Result, findings []analysis.Finding) {
	t.Helper()
	for _, f := range r.Fields {
		if f.Evidence.Location == "" || !strings.HasPrefix(f.Evidence.Location, f.Layout) {
			t.Errorf("%s: field %s %s has evidence %+v", name, f.Widget, f.ID, f.Evidence)
		}
		for _, c := range f.Categories {
			if !slices.ContainsFunc(f.Matches, func(m Match) bool { return m.Category == c }) {
				t.Errorf("%s: field %s: category %s without a match", name, f.Evidence.Location, c)
			}
		}
	}
	for _, o := range r.OptionLists {
		if len(o.Options) == 0 || o.Evidence.Location == "" {
			t.Errorf("%s: option list %s without options or evidence", name, o.Source)
		}
		for loc, opts := range o.Options {
			if len(opts) != len(o.Options[""]) && !strings.HasPrefix(o.Source, "@") {
				t.Errorf("%s: %s: %s has %d options, default %d", name, o.Source, loc, len(opts), len(o.Options[""]))
			}
		}
	}
	for _, f := range findings {
		if len(f.Evidence) == 0 || len(f.Evidence) > maxEvidence {
			t.Errorf("%s: finding %s has %d pieces of evidence", name, f.Title, len(f.Evidence))
		}
		if !f.Category.Known() {
			t.Errorf("%s: finding in category %s, not in the taxonomy", name, f.Category)
		}
	}
}

// TestRealAppFields checks fields of a real app against its layouts as
// aapt dumps them (a2dp.Vol's custom_intent.xml and edit_item.xml).
func TestRealAppFields(t *testing.T) {
	var apk string
	for _, p := range corpus.APKs(t) {
		if corpus.Name(p) == "tests/a2dp.Vol_137.apk" {
			apk = p
		}
	}
	if apk == "" {
		t.Fatal("corpus lacks tests/a2dp.Vol_137.apk")
	}
	r, findings := runFile(t, apk)
	byLoc := map[string]Field{}
	for _, f := range r.Fields {
		byLoc[f.Evidence.Location] = f
	}
	want := []struct {
		loc, label, source, text string
	}{
		// aapt: TextView text="Action:" then EditText id=@0x7f0a0008 in one LinearLayout.
		{"res/layout/custom_intent.xml EditText @id/ci_et_action", "Action:", "sibling TextView", ""},
		{"res/layout/custom_intent.xml EditText @id/ci_et_data", "Data:", "sibling TextView", ""},
		{"res/layout/custom_intent.xml EditText @id/ci_et_type", "Type:", "sibling TextView", ""},
		// Its android:text is the same string as the label beside it.
		{"res/layout/edit_item.xml EditText @id/editDesc2", "Enter a name for this device", "sibling TextView", "Enter a name for this device"},
		{"res/layout/edit_item.xml CheckBox @id/checkCaptLoc", "Capture location on disconnect?", "text", "Capture location on disconnect?"},
	}
	for _, w := range want {
		f, ok := byLoc[w.loc]
		if !ok {
			t.Errorf("no field %s", w.loc)
			continue
		}
		if f.Labels[""] != w.label || f.LabelSource != w.source || f.Text[""] != w.text {
			t.Errorf("%s: label %q (%s), text %q; want %q (%s), %q", w.loc, f.Labels[""], f.LabelSource, f.Text[""], w.label, w.source, w.text)
		}
	}
	// The device-name field and the in-call volume slider ask nothing
	// about a person: "name" and "phone" are weak terms there.
	if len(findings) != 0 {
		for _, f := range findings {
			t.Errorf("unexpected finding on a2dp.Vol: %s", f.Title)
		}
	}
	t.Logf("a2dp.Vol: %d fields, %d checked against aapt's dump", len(r.Fields), len(want))
}
