// Package payloads reports what an app carries inside itself: another APK,
// a JAR or DEX of code, found by content whatever the file is named
// ("assets/sqlite.db" that is an APK), and code encrypted with a byte-wise
// XOR that the app decodes before loading it. The app model opens each
// payload, so every other channel reads it too; this analyzer says plainly
// that it is there, what it is, which of the app's methods name it, and the
// calls that would put it to use: a class loader for code (DexClassLoader),
// PackageInstaller or `pm install` for an app, chmod and exec for a native
// executable.
package payloads

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect/code"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer reports the payloads of an app.
var Analyzer = &analysis.Analyzer{
	Name:       "payloads",
	Doc:        "reports the APKs, JARs and DEX files an app carries inside its files (found by content, decoded when XOR-encrypted), with the code that names or loads them",
	Requires:   []*analysis.Analyzer{code.Index},
	ResultType: analysis.TypeOf[*Result](),
	Run:        run,
}

// Result lists the payloads.
type Result struct {
	Embedded []scan.Embedded
}

// maxLoaders bounds the loading methods listed per payload.
const maxLoaders = 10

func run(pass *analysis.Pass) (any, error) {
	ix := analysis.ResultOf[*code.IndexResult](pass, code.Index)
	res := &Result{Embedded: []scan.Embedded{}}
	loaders := loadingCalls(ix)
	for _, em := range pass.App.Embedded() {
		se := scan.Embedded{Location: em.Location, Kind: describe(em), Size: em.Size}
		if em.Cipher != (app.XORCipher{}) {
			se.Encoding = em.Cipher.String()
		}
		if em.Part != nil && em.HasManifest {
			if doc := em.Part.Manifest(); doc != nil && doc.Root != nil {
				info := app.ReadInfo(doc, em.Part.Resources())
				se.Package, se.Label, se.Permissions = info.Package, info.Label, len(info.Permissions)
			}
		}
		for _, d := range pass.App.Dex(pass.Context) {
			if strings.HasPrefix(d.Location, em.Location+"!") || d.Location == em.Location {
				se.Dex = append(se.Dex, d.Location)
			}
		}
		naming := namingMethods(ix, em.Location)
		res.Embedded = append(res.Embedded, se)
		report(pass, ix, em, se, naming, loaders)
	}
	return res, nil
}

func describe(em *app.Embedded) string {
	switch {
	case em.Kind == app.PayloadZIP && em.HasManifest:
		return "apk"
	case em.Kind == app.PayloadZIP:
		return "jar"
	}
	return string(em.Kind)
}

// report makes the payload's finding: an encrypted payload hides the real
// code; a plain JAR or DEX is code the app can load; an APK is a second
// app, which it may install.
func report(pass *analysis.Pass, ix *code.IndexResult, em *app.Embedded, se scan.Embedded, naming []code.Site, loaders map[knowledge.Category][]code.Call) {
	what := map[string]string{"apk": "a second app (an APK)", "jar": "a JAR of DEX code", "dex": "a DEX file of code", "elf": "a native executable"}[se.Kind]
	if se.Package != "" {
		what += fmt.Sprintf(", %s", se.Package)
		if se.Label != "" {
			what += fmt.Sprintf(" (%q)", se.Label)
		}
	}
	misnamed := misleadingName(em.Location, se.Kind)
	detail := what
	if se.Encoding != "" {
		detail += ", encoded: " + se.Encoding
	}
	f := analysis.Finding{Evidence: []scan.Evidence{scan.AssetFile(em.Location, detail)}}
	for i, s := range naming {
		if i == maxLoaders {
			break
		}
		f.Evidence = append(f.Evidence, ix.Evidence(s, "names "+path.Base(entryName(em.Location))))
	}
	uses := usingCalls(se.Kind, naming, loaders)
	var cat knowledge.Category
	strong := false
	switch {
	case se.Encoding != "":
		cat = knowledge.BehaviourPacked
		f.Title = fmt.Sprintf("Hides code in %s: %s, encrypted (%s); appxray decoded it and reads it as part of the app", em.Location, what, se.Encoding)
		strong = true
	case se.Kind == "apk":
		cat = knowledge.BehaviourInstallsApps
		f.Title = fmt.Sprintf("Carries a second app in %s: %s", em.Location, what)
		strong = len(uses) > 0
	default:
		cat = knowledge.BehaviourDynamicCode
		f.Title = fmt.Sprintf("Carries code to load at run time in %s: %s", em.Location, what)
		strong = len(uses) > 0 || misnamed
	}
	if misnamed {
		f.Title += " under a name that hides what it is"
	}
	for _, c := range uses {
		if len(f.Evidence) >= 2*maxLoaders {
			break
		}
		f.Evidence = append(f.Evidence, ix.Evidence(c.Site, "calls "+ix.Target(c)))
	}
	f.Category = cat
	switch {
	case se.Encoding != "":
		f.Confidence = scan.Sure("the file decodes, by a byte-wise XOR, to " + what + ": nothing but hiding code needs that")
	case strong:
		f.Confidence = scan.Likely("the app carries " + what + ", and its code loads code or installs apps")
	default:
		f.Confidence = scan.Weak("the app carries " + what + "; no code that loads or installs it was seen")
	}
	pass.Report(f)
}

// useCategories are, for each kind of payload, the kinds of call that put
// it to use: code is loaded by a class loader; an APK's code is loaded the
// same way (DexClassLoader takes an APK) or the APK is installed
// (PackageInstaller, `pm install`); a native executable is made executable
// and run (chmod, then exec). Where strong is set only the calls that prove
// their rule alone count: Class.forName or System.loadLibrary say nothing
// about a file the app carries.
var useCategories = map[string][]struct {
	cat    knowledge.Category
	strong bool
}{
	"apk": {{knowledge.BehaviourDynamicCode, true}, {knowledge.BehaviourInstallsApps, false}},
	"jar": {{knowledge.BehaviourDynamicCode, false}},
	"dex": {{knowledge.BehaviourDynamicCode, false}},
	"elf": {{knowledge.BehaviourNativeExec, true}},
}

// loadingCalls are the app's own calls that load code, install apps or run
// programs.
func loadingCalls(ix *code.IndexResult) map[knowledge.Category][]code.Call {
	out := map[knowledge.Category][]code.Call{}
	for _, c := range ix.Calls {
		switch c.Category {
		case knowledge.BehaviourDynamicCode, knowledge.BehaviourInstallsApps, knowledge.BehaviourNativeExec:
			if ix.SDK(c.Site) == "" {
				out[c.Category] = append(out[c.Category], c)
			}
		}
	}
	return out
}

// usingCalls are the calls that would put a payload of the kind to use,
// those in the methods that name it first, then in the order of
// useCategories and of the code.
func usingCalls(kind string, naming []code.Site, loaders map[knowledge.Category][]code.Call) []code.Call {
	names := map[code.Site]bool{}
	for _, s := range naming {
		names[s] = true
	}
	var near, far []code.Call
	for _, u := range useCategories[kind] {
		for _, c := range loaders[u.cat] {
			if u.strong && !c.Strong() {
				continue
			}
			if names[c.Site] {
				near = append(near, c)
			} else {
				far = append(far, c)
			}
		}
	}
	return append(near, far...)
}

// namingMethods are the methods that load the payload's name (its path in
// the assets, or its file name) as a string constant.
func namingMethods(ix *code.IndexResult, loc string) []code.Site {
	entry := entryName(loc)
	names := []string{entry, path.Base(entry)}
	if rest, ok := strings.CutPrefix(entry, "assets/"); ok {
		names = append(names, rest)
	}
	var out []code.Site
	seen := map[code.Site]bool{}
	for d, df := range ix.Dex {
		if d >= len(ix.StringUser) {
			break
		}
		for _, n := range names {
			si, ok := df.File.FindString(n)
			if !ok || int(si) >= len(ix.StringUser[d]) || ix.StringUser[d][si] == 0 {
				continue
			}
			s := code.Site{Dex: d, Method: ix.StringUser[d][si] - 1}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Dex != out[j].Dex {
			return out[i].Dex < out[j].Dex
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// entryName is the carrying entry's name within its part.
func entryName(loc string) string {
	if i := strings.LastIndexByte(loc, '!'); i >= 0 {
		return loc[i+1:]
	}
	return loc
}

// misleadingName reports whether a payload's file name says it is
// something else (an image, a database, a sound).
func misleadingName(loc, kind string) bool {
	ext := strings.ToLower(path.Ext(entryName(loc)))
	switch ext {
	case ".apk":
		return kind != "apk"
	case ".jar", ".zip", ".dex", ".odex", ".so", ".bin", ".dat", "":
		return false
	}
	return true
}
