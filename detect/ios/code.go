package ios

import (
	"fmt"
	"slices"
	"sort"

	"appxray/analysis"
	iosmodel "appxray/ios"
	"appxray/knowledge"
	"appxray/scan"
)

// Code reports the privacy-sensitive system APIs the executables use:
// Objective-C classes they import (CNContactStore, CLLocationManager,
// ASIdentifierManager…), C functions they import, selectors they name, and
// the system frameworks they link.
var Code = &analysis.Analyzer{
	Name:       "ios-code",
	Doc:        "reports the privacy-sensitive system classes, functions and selectors an iOS app's executables use, and the frameworks they link",
	Requires:   []*analysis.Analyzer{Model},
	ResultType: analysis.TypeOf[*CodeResult](),
	Run:        runCode,
}

// CodeResult lists what matched, per executable.
type CodeResult struct {
	Uses  []Use
	Found []Found
}

// Use is one matched name in one executable.
type Use struct {
	Executable string
	Kind       string // knowledge.IOSClass, IOSSelector, IOSFunction, or "framework"
	Name       string
	Category   knowledge.Category
}

// strength orders the kinds of evidence: an imported class or function is
// a reference from the code, a selector only a name, a linked framework
// only a capability.
var strength = map[string]int{knowledge.IOSClass: 3, knowledge.IOSFunction: 3, knowledge.IOSSelector: 2, "framework": 1}

func runCode(pass *analysis.Pass) (any, error) {
	m, err := modelOf(pass)
	if err != nil {
		return nil, err
	}
	k := knowledge.IOSKnowledge()
	res := &CodeResult{}
	for _, b := range m.bundles() {
		if b.Executable == nil {
			continue
		}
		type group struct {
			best  int
			title string
			name  string
			ev    []scan.Evidence
			seen  map[string]bool
		}
		groups := map[knowledge.Category]*group{}
		add := func(kind, name, title string, c knowledge.Category, ev scan.Evidence) {
			g := groups[c]
			if g == nil {
				g = &group{seen: map[string]bool{}}
				groups[c] = g
			}
			if g.seen[kind+" "+name] {
				return
			}
			g.seen[kind+" "+name] = true
			res.Uses = append(res.Uses, Use{Executable: b.ExecutablePath, Kind: kind, Name: name, Category: c})
			if s := strength[kind]; s > g.best {
				g.best, g.title, g.name = s, title, name
			}
			if len(g.ev) < 8 {
				g.ev = append(g.ev, ev)
			}
		}
		for _, sl := range b.Executable.Slices {
			for _, c := range sl.ObjCClassRefs() {
				if a, ok := k.API(knowledge.IOSClass, c); ok {
					add(a.Kind, c, a.Title, a.Category, scan.NativeFile(b.ExecutablePath, "imports the Objective-C class "+c))
				}
			}
			for _, s := range sl.Imports {
				if a, ok := k.API(knowledge.IOSFunction, s); ok {
					add(a.Kind, s, a.Title, a.Category, scan.NativeFile(b.ExecutablePath, "imports "+s))
				}
			}
			for _, s := range sl.ObjCSelectors {
				if a, ok := k.API(knowledge.IOSSelector, s.Value); ok {
					add(a.Kind, s.Value, a.Title, a.Category, scan.NativeOffset(b.ExecutablePath, s.Offset, "selector "+s.Value))
				}
			}
			for _, d := range sl.Dylibs {
				if d.Kind == "id" {
					continue
				}
				if f, ok := k.Framework(frameworkName(d.Name)); ok && isSystem(d.Name) {
					add("framework", f.Name, "Links "+f.Name+".framework", f.Category, scan.NativeFile(b.ExecutablePath, "links "+d.Name))
				}
			}
		}
		var cats []knowledge.Category
		for c := range groups {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		for _, c := range cats {
			g := groups[c]
			var conf scan.Confidence
			switch g.best {
			case 3:
				conf = scan.Likely(fmt.Sprintf("the executable imports %s from the system, so its code refers to it; which calls it makes is not read from the machine code", g.name))
			case 2:
				conf = scan.Weak("only a selector name matches; any class could define a method of that name")
			default:
				conf = scan.Weak("the framework is linked, which lets the app use it; no use of its classes was seen")
			}
			title := g.title
			if b.Kind != iosmodel.KindApp {
				title += " in an embedded " + b.Kind
			}
			report(pass, &res.Found, analysis.Finding{
				Category:   c,
				Title:      title,
				Confidence: conf,
				Evidence:   g.ev,
				SDK:        sdkOf(b),
			})
		}
	}
	sort.SliceStable(res.Uses, func(i, j int) bool { return res.Uses[i].Executable < res.Uses[j].Executable })
	return res, nil
}

func isSystem(p string) bool {
	return len(p) > 0 && p[0] == '/' && (hasPrefix(p, "/System/Library/") || hasPrefix(p, "/usr/lib/"))
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
