// Package packers names what hides an app's code from a reader: packers and
// protectors (Jiagu, Bangcle, Ijiami, Legu, DexProtector…) by the
// fingerprints their stubs leave (knowledge/data/packers.json), and renamed
// identifiers. A packed app's DEX holds only the packer's loader; the other
// channels then see less than the app does, and the report must say so.
package packers

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"

	"appxray/analysis"
	"appxray/app"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer finds packers, protectors and renamed identifiers.
var Analyzer = &analysis.Analyzer{
	Name:       "packers",
	Doc:        "names the packers and protectors whose stubs an app carries, where they hide the real code, and how many class names are renamed",
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Result is the app's protection.
type Result struct {
	Packers     []scan.Packer
	Obfuscation *scan.Obfuscation
}

// Packed reports whether a packer hides the app's code, so that other
// analyzers do not read the absence of an API call as the absence of a
// behaviour.
func (r *Result) Packed() bool { return len(r.Packers) > 0 }

const (
	maxObfuscationSample = 10
)

type hit struct {
	ind knowledge.PackerIndicator
	ev  scan.Evidence
}

func run(pass *analysis.Pass) (any, error) {
	a := pass.App
	table := knowledge.Packers()
	hits := make([][]hit, len(table))
	add := func(i int, in knowledge.PackerIndicator, ev scan.Evidence) {
		for _, h := range hits[i] {
			if h.ind == in {
				return
			}
		}
		hits[i] = append(hits[i], hit{in, ev})
	}

	ix := indexIndicators(table)
	var found []indRef
	for _, p := range a.Parts {
		for _, e := range p.Zip.Entries {
			found = ix.entry(found[:0], e.Name)
			for _, r := range found {
				pk := &table[r.pk]
				add(r.pk, pk.Indicators[r.in], entryEvidence(p.Location(e.Name), "a file "+pk.Name+" puts in the app"))
			}
		}
		if cls := applicationClass(p); cls != "" {
			for i, pk := range table {
				for _, in := range pk.Indicators {
					if in.Application != "" && in.Application == cls {
						add(i, in, scan.ManifestLine(p.Location("AndroidManifest.xml"), applicationLine(p),
							fmt.Sprintf("<application android:name=%q>: %s's stub runs first", cls, pk.Name)))
					}
				}
			}
		}
	}

	obf := &scan.Obfuscation{}
	for _, df := range a.Dex(pass.Context) {
		f := df.File
		for c := 0; c < f.NumClassDefs(); c++ {
			if c&1023 == 0 && pass.Context.Err() != nil {
				return nil, pass.Context.Err()
			}
			it, err := f.ClassDefItem(c)
			if err != nil {
				break
			}
			b, err := f.TypeDescriptorBytes(it.ClassIdx)
			if err != nil {
				continue
			}
			desc := string(b)
			for _, r := range ix.classes {
				pk := &table[r.pk]
				if in := pk.Indicators[r.in]; matchClass(in.Class, desc) {
					add(r.pk, in, scan.DexClass(df.Location, desc, "a class of "+pk.Name+"'s stub"))
				}
			}
			countName(obf, desc)
		}
	}

	res := &Result{Packers: []scan.Packer{}}
	for i, pk := range table {
		strong, weak := 0, 0
		for _, h := range hits[i] {
			if h.ind.Strong {
				strong++
			} else {
				weak++
			}
		}
		if strong == 0 && weak < 2 {
			continue
		}
		sp := scan.Packer{ID: pk.ID, Name: pk.Name, Kind: pk.Kind, HidesIn: pk.HidesIn}
		for _, h := range hits[i] {
			sp.Evidence = append(sp.Evidence, h.ev)
			if h.ind.Payload {
				sp.Payloads = append(sp.Payloads, h.ev.Location)
			}
		}
		sort.Strings(sp.Payloads)
		res.Packers = append(res.Packers, sp)
		conf := scan.Sure(fmt.Sprintf("the app carries %s's fingerprints (%d)", pk.Name, len(hits[i])))
		if strong == 0 {
			conf = scan.Likely(fmt.Sprintf("the app carries %d of %s's weaker fingerprints, none decisive alone", weak, pk.Name))
		}
		where := pk.HidesIn
		if len(sp.Payloads) > 0 {
			where = strings.Join(sp.Payloads, ", ")
		}
		verb := "Packed"
		if pk.Kind == "protector" {
			verb = "Protected"
		}
		title := fmt.Sprintf("%s with %s: %s; %s", verb, pk.Name, sp.Encrypted(where), sp.Seen())
		pass.Report(analysis.Finding{
			Category:   knowledge.BehaviourPacked,
			Title:      title,
			Confidence: conf,
			Evidence:   sp.Evidence,
		})
	}
	if obf.Classes > 0 {
		res.Obfuscation = obf
	}
	return res, nil
}

// entryEvidence names a file of the app: native code as native evidence.
func entryEvidence(loc, detail string) scan.Evidence {
	if strings.HasSuffix(loc, ".so") {
		return scan.NativeFile(loc, detail)
	}
	return scan.AssetFile(loc, detail)
}

// indRef is indicator in of packer pk of the table.
type indRef struct{ pk, in int }

// indicators is the table's indicators by what they are matched against,
// each list in table order, so that every entry and class of an app is
// checked against the few that can match it rather than all of them.
type indicators struct {
	byBase  map[string][]indRef // File without '/': an entry's base name
	byPath  map[string][]indRef // File with '/': an entry's whole name
	folders []folderRef
	classes []indRef
}

type folderRef struct {
	prefix string
	indRef
}

func indexIndicators(table []knowledge.Packer) *indicators {
	ix := &indicators{byBase: map[string][]indRef{}, byPath: map[string][]indRef{}}
	for i, pk := range table {
		for j, in := range pk.Indicators {
			r := indRef{i, j}
			switch {
			case in.Folder != "":
				ix.folders = append(ix.folders, folderRef{in.Folder, r})
			case in.File == "":
			case strings.Contains(in.File, "/"):
				ix.byPath[in.File] = append(ix.byPath[in.File], r)
			default:
				ix.byBase[in.File] = append(ix.byBase[in.File], r)
			}
			if in.Class != "" {
				ix.classes = append(ix.classes, r)
			}
		}
	}
	return ix
}

// entry appends to dst the indicators that match a ZIP entry's name, in
// table order: the order in which trying each indicator on the name in turn
// would find them.
func (ix *indicators) entry(dst []indRef, name string) []indRef {
	dst = append(dst, ix.byBase[path.Base(name)]...)
	dst = append(dst, ix.byPath[name]...)
	for _, f := range ix.folders {
		if strings.HasPrefix(name, f.prefix) {
			dst = append(dst, f.indRef)
		}
	}
	if len(dst) > 1 {
		slices.SortFunc(dst, func(a, b indRef) int { return cmp.Or(cmp.Compare(a.pk, b.pk), cmp.Compare(a.in, b.in)) })
	}
	return dst
}

// matchClass reports whether a descriptor is the class, or lies in the
// package, that an indicator names.
func matchClass(want, desc string) bool {
	if want == "" {
		return false
	}
	if strings.HasSuffix(want, "/") {
		return strings.HasPrefix(desc, want)
	}
	return desc == want
}

// applicationClass is the fully qualified android:name of <application>.
func applicationClass(p *app.Part) string {
	doc := p.Manifest()
	if doc == nil || doc.Root == nil {
		return ""
	}
	pkg := app.PackageName(doc)
	for _, e := range doc.Root.Children {
		if e.Name != "application" {
			continue
		}
		// Found as PackageManager finds it: an android:name out of
		// resource-ID order is one Android never runs.
		at, ok := e.FrameworkAttr(app.AttrName)
		if !ok {
			return ""
		}
		name, _ := at.String()
		if strings.HasPrefix(name, ".") {
			name = pkg + name
		} else if !strings.Contains(name, ".") && name != "" {
			name = pkg + "." + name
		}
		return name
	}
	return ""
}

func applicationLine(p *app.Part) int {
	if doc := p.Manifest(); doc != nil && doc.Root != nil {
		for _, e := range doc.Root.Children {
			if e.Name == "application" {
				return int(e.Line)
			}
		}
	}
	return 0
}

var javaReserved = map[string]bool{
	"do": true, "if": true, "for": true, "int": true, "new": true, "try": true, "byte": true, "case": true,
	"char": true, "else": true, "enum": true, "goto": true, "long": true, "null": true, "this": true, "void": true,
}

// countName classifies one class name for the obfuscation summary.
func countName(o *scan.Obfuscation, desc string) {
	name := strings.TrimSuffix(desc[strings.LastIndexByte(desc, '/')+1:], ";")
	name = strings.TrimPrefix(name, "L")
	if i := strings.LastIndexByte(name, '$'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || name == "R" || name == "BuildConfig" {
		return
	}
	o.Classes++
	// Java allows any Unicode letter in a name (a Chinese class name is
	// ordinary source); a reserved word or a character that is no letter,
	// digit, '_' or '$' is only written by a renaming tool.
	unusual := javaReserved[name]
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '$' {
			unusual = true
			break
		}
	}
	switch {
	case unusual:
		o.Unusual++
		if len(o.Sample) < maxObfuscationSample && !slices.Contains(o.Sample, desc) {
			o.Sample = append(o.Sample, desc)
		}
	case len(name) <= 2 && isLetters(name):
		o.Renamed++
	}
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
