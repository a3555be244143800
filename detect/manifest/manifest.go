// Package manifest is appxray's manifest evidence channel: what an app's
// AndroidManifest.xml says it may take from the device and how it may
// behave. It maps requested permissions through the knowledge permission
// table, reads <queries> as a list of apps the app looks for, and looks at
// the declared components for SMS, call and boot receivers, accessibility,
// device-admin and notification-listener services, exported components
// without a permission, a missing launcher entry, debuggable builds and
// cleartext traffic (including the network security config).
//
// Every finding carries evidence of kind "manifest" (or "resource" for the
// network security config) located by file and line, with the element
// rendered the way the manifest source writes it.
package manifest

import (
	"strconv"
	"strings"

	"appxray/analysis"
	"appxray/app"
	"appxray/axml"
	"appxray/detect/attribution"
	"appxray/detect/code"
	"appxray/detect/permissions"
	"appxray/detect/stringscan"
	"appxray/knowledge"
	"appxray/res"
	"appxray/scan"
)

// Analyzer reports the manifest's findings.
var Analyzer = &analysis.Analyzer{
	Name:     "manifest",
	Doc:      "permissions, <queries>, exported components, SMS/call/boot receivers, accessibility, device admin, notification listeners, launcher entry, debuggable and cleartext traffic, from AndroidManifest.xml",
	Requires: []*analysis.Analyzer{attribution.Analyzer, permissions.Analyzer, code.Index, stringscan.Scan},
	Run:      run,
}

// Analyzers lists the analyzers of this package.
var Analyzers = []*analysis.Analyzer{Analyzer}

// maxEvidence caps the evidence of one finding; the title says how many
// pieces there were when more were found.
const maxEvidence = 20

func run(pass *analysis.Pass) (any, error) {
	in := load(pass.App)
	if in == nil {
		return nil, nil
	}
	attr := analysis.ResultOf[*attribution.Result](pass, attribution.Analyzer)
	in.SDKOf = func(class string) string {
		return attr.SDK("L" + strings.ReplaceAll(class, ".", "/") + ";")
	}
	in.Usage = analysis.ResultOf[*permissions.Result](pass, permissions.Analyzer)
	ix := analysis.ResultOf[*code.IndexResult](pass, code.Index)
	in.HandsBack = handsBack(ix)
	if ix != nil {
		in.Stub = func(class, method string) (bool, bool) {
			return ix.Stub("L"+strings.ReplaceAll(class, ".", "/")+";", method)
		}
	}
	if sr := analysis.ResultOf[*stringscan.Result](pass, stringscan.Scan); sr != nil {
		in.CodeCleartext = &sr.OwnCleartext
	}
	for _, f := range check(in) {
		pass.Report(f)
	}
	return nil, nil
}

// input is everything the rules read: the decoded manifest facts plus what
// only the raw document knows (element names and lines), and the network
// security config if there is one. Tests build it by hand.
type input struct {
	Info *app.Info
	// File names the manifest as evidence does ("AndroidManifest.xml", or
	// "base.apk!AndroidManifest.xml" in a split set).
	File string
	Doc  docFacts
	// NSC is the parsed network security config, nil if the app names
	// none or it cannot be read (then NSCErr says why).
	NSC    *networkConfig
	NSCErr error
	// SDKOf names the third-party SDK a class belongs to, "" for the app's
	// own; nil counts everything as the app's.
	SDKOf func(class string) string
	// Usage says whether the visible code reaches each category; nil
	// (in tests) takes every requested permission at its word.
	Usage *permissions.Result
	// HandsBack maps a receiver class (dotted) whose code reads personal
	// data and sets the result of the broadcast it receives
	// (setResultData, setResultExtras) to what shows it: such a receiver
	// hands the data back to whoever sent the broadcast. Nil in tests.
	HandsBack map[string]string
	// CodeCleartext names where the app's own code holds or opens a
	// cleartext URL ("" for nowhere); nil (in tests) when unknown.
	CodeCleartext *string
	// Stub reports whether a class defines a method (by name) with code,
	// and whether that code only returns a constant or throws: a provider
	// whose insert, update and delete are stubs takes no writes. Nil in
	// tests.
	Stub func(class, method string) (found, stub bool)
}

// resultSetters are the calls through which a receiver hands a result
// back to the sender of an ordered broadcast.
var resultSetters = map[string]bool{
	"Landroid/content/BroadcastReceiver;->setResultData":   true,
	"Landroid/content/BroadcastReceiver;->setResultExtras": true,
	"Landroid/content/BroadcastReceiver;->setResult":       true,
}

// handsBack finds the receiver classes that hand personal data back to
// the sender of a broadcast: the value they set as its result
// (setResultData, setResultExtras) is the result of a call that reads
// the device, directly or through a method of the class that does (a
// status message or an error is no data). Inner classes count as their
// outer class's.
func handsBack(ix *code.IndexResult) map[string]string {
	if ix == nil {
		return nil
	}
	outer := func(desc string) string {
		cls := attribution.Dotted(desc)
		if i := strings.IndexByte(cls, '$'); i >= 0 {
			cls = cls[:i]
		}
		return cls
	}
	// reads[method] is the category a method's strong calls reach.
	type mkey struct {
		d int
		m uint32
	}
	reads := map[mkey]string{}
	var setters []code.Call
	for _, c := range ix.Calls {
		if resultSetters[c.Rule.Class+"->"+c.Rule.Member] {
			setters = append(setters, c)
			continue
		}
		if c.Category.Group() == knowledge.GroupDevice && c.Strong() {
			if _, ok := reads[mkey{c.Site.Dex, c.Site.Method}]; !ok {
				reads[mkey{c.Site.Dex, c.Site.Method}] = string(c.Category)
			}
		}
	}
	out := map[string]string{}
	for _, c := range setters {
		cls := outer(ix.Class(c.Site))
		if _, done := out[cls]; done {
			continue
		}
		fr := ix.SiteFrame(c.Site)
		if fr == nil {
			continue
		}
		for _, v := range fr.Flatten(fr.Arg(c.Site.PC, 1)) {
			if v.Kind != code.ValResult {
				continue
			}
			ref, err := fr.File.Method(v.Index)
			if err != nil {
				continue
			}
			cat := ""
			for _, r := range knowledge.MatchMethod(ref.Class, ref.Name) {
				if r.Category.Group() == knowledge.GroupDevice && r.Confidence != knowledge.Weak {
					cat = string(r.Category)
				}
			}
			if cat == "" {
				cat = reads[mkey{c.Site.Dex, v.Index}]
			}
			if cat != "" {
				out[cls] = "its code hands " + cat + " back as the broadcast's result (" + ref.String() + " passed to " + c.Rule.Member + " in " + ix.Location(c.Site) + ")"
				break
			}
		}
	}
	return out
}

// sdk attributes a component class (a dotted name) to an SDK.
func (in *input) sdk(class string) string {
	if in.SDKOf == nil || class == "" {
		return ""
	}
	return in.SDKOf(class)
}

// docFacts are the lines and spellings that app.Info does not keep.
type docFacts struct {
	ManifestLine int
	AppLine      int // <application>
	SDKLine      int // <uses-sdk>
	QueriesLine  int
	// Perms maps a requested permission to the element that asks for it.
	Perms map[string]permElem
	// QueryLines maps a <queries><package> name to its line.
	QueryLines map[string]int
	// ProviderQueryLines maps a <queries><provider> authority to its line.
	ProviderQueryLines map[string]int
	// InstrumentationLine is the first <instrumentation>'s line, and
	// InstrumentationTarget the package it tests (android:targetPackage).
	InstrumentationLine   int
	InstrumentationTarget string
}

// attrTargetPackage is android:targetPackage (android.R.attr, 0x01010021).
const attrTargetPackage = 0x01010021

type permElem struct {
	Elem   string // uses-permission, uses-permission-sdk-23
	Line   int
	MaxSDK string
}

// load gathers the input from an opened app; nil if it has no manifest.
func load(a *app.App) *input {
	base := a.Base()
	if base == nil {
		return nil
	}
	doc := a.Manifest()
	if doc == nil || doc.Root == nil {
		return nil
	}
	info := a.Info()
	if info == nil {
		return nil
	}
	in := &input{Info: info, File: base.Location("AndroidManifest.xml"), Doc: readDocFacts(doc)}
	in.NSC, in.NSCErr = loadNetworkConfig(base, doc)
	if in.NSC != nil && info.Package != "" {
		// Name it as the manifest source does: @xml/…, not @package:xml/….
		in.NSC.Ref = strings.Replace(in.NSC.Ref, "@"+info.Package+":", "@", 1)
	}
	return in
}

func readDocFacts(doc *axml.Document) docFacts {
	f := docFacts{
		ManifestLine:       int(doc.Root.Line),
		Perms:              map[string]permElem{},
		QueryLines:         map[string]int{},
		ProviderQueryLines: map[string]int{},
	}
	for _, e := range doc.Root.Children {
		switch e.Name {
		case "uses-sdk":
			if f.SDKLine == 0 {
				f.SDKLine = int(e.Line)
			}
		case "uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m":
			name := attrString(e, app.AttrName, "name")
			if _, seen := f.Perms[name]; name != "" && !seen {
				f.Perms[name] = permElem{Elem: e.Name, Line: int(e.Line), MaxSDK: attrString(e, app.AttrMaxSdkVersion, "maxSdkVersion")}
			}
		case "queries":
			if f.QueriesLine == 0 {
				f.QueriesLine = int(e.Line)
			}
			for _, q := range e.Children {
				switch q.Name {
				case "package":
					if n := attrString(q, app.AttrName, "name"); n != "" {
						if _, seen := f.QueryLines[n]; !seen {
							f.QueryLines[n] = int(q.Line)
						}
					}
				case "provider":
					if n := attrString(q, app.AttrAuthorities, "authorities"); n != "" {
						if _, seen := f.ProviderQueryLines[n]; !seen {
							f.ProviderQueryLines[n] = int(q.Line)
						}
					}
				}
			}
		case "application":
			if f.AppLine == 0 {
				f.AppLine = int(e.Line)
			}
		case "instrumentation":
			if f.InstrumentationLine == 0 {
				f.InstrumentationLine = int(e.Line)
				f.InstrumentationTarget = attrString(e, attrTargetPackage, "targetPackage")
			}
		}
	}
	return f
}

// attrString reads an android: attribute the way app.Info does (by
// resource ID first, then by name), without resolving references: the
// values read here are names and numbers the compiler writes inline.
func attrString(e *axml.Element, id uint32, name string) string {
	a, ok := e.AttrByID(id)
	if !ok {
		a, ok = e.Attr(app.AndroidNS, name)
	}
	if !ok {
		return ""
	}
	if s, ok := a.String(); ok {
		return s
	}
	return attrNumber(a)
}

// attrNumber renders an integer or boolean typed value; "" for others.
func attrNumber(a *axml.Attribute) string {
	switch a.Value.Type {
	case res.TypeIntDec, res.TypeIntHex:
		return strconv.FormatInt(int64(int32(a.Value.Data)), 10)
	case res.TypeIntBoolean:
		return strconv.FormatBool(a.Value.Data != 0)
	}
	return ""
}

// ---- evidence rendering ----

func (in *input) evidence(line int, detail string) analysis.Evidence {
	return scan.ManifestLine(in.File, line, detail)
}

// tag renders an element's start tag from attribute name/value pairs,
// leaving out empty values.
func tag(name string, kv ...string) string {
	var b strings.Builder
	b.WriteString("<")
	b.WriteString(name)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		b.WriteString(" ")
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(clean(kv[i+1]))
		b.WriteString(`"`)
	}
	b.WriteString(">")
	return b.String()
}

// clean makes a value from the file safe to print (scan.Printable), then
// XML-escapes it as the manifest would write it.
func clean(s string) string {
	return xmlEscaper.Replace(scan.Printable(s))
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// shortPerm drops the platform prefix for titles: READ_SMS.
func shortPerm(p string) string {
	return strings.TrimPrefix(p, "android.permission.")
}

// shortClass names a component for titles: the class name relative to the
// package when it is inside it, else the full name.
func shortClass(pkg, name string) string {
	if pkg != "" && strings.HasPrefix(name, pkg+".") {
		name = name[len(pkg):]
	}
	return clean(name)
}
