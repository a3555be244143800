// Package attribution decides whose code a class is: a known SDK or tracker
// (by the tracker table's package signatures), a common open-source library
// (knowledge/data/libraries.json), or the app's own. Every detector that
// says "in SDK X" asks this analyzer, so that the app and its SDKs are told
// apart the same way everywhere.
package attribution

import (
	"strings"
	"sync"

	"appxray/analysis"
	"appxray/knowledge"
	"appxray/scan"
)

// Analyzer builds the attribution for the app and the tracker table in use.
var Analyzer = &analysis.Analyzer{
	Name:       "attribution",
	Doc:        "decides whose code each class is: a known SDK or tracker, a common library, or the app's own",
	ResultType: analysis.TypeOf[*Result](),
	Run: func(pass *analysis.Pass) (any, error) {
		pkg := ""
		if info := pass.App.Info(); info != nil {
			pkg = info.Package
		}
		return New(pkg, pass.Config.Trackers), nil
	},
}

// Result tells app code from third-party code. It is safe for concurrent use.
type Result struct {
	appPackage string
	matcher    *knowledge.TrackerMatcher
	mu         sync.Mutex
	cache      map[string]string
	// own, once set (SetOwners), says whether a namespace outside the
	// app's package is the app's; code in one that is not, and that no
	// table names, is scan.UnreachedSDK(ns).
	own func(ns string) bool
}

// SetOwners settles whose the code outside the app's package is: own
// reports whether a namespace (see Namespace) is the app's. The code
// index calls it once, when it has walked the code, before any detector
// asks whose a class is.
func (a *Result) SetOwners(own func(ns string) bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.own = own
	a.cache = map[string]string{}
}

// genericRoots are first two package segments that many authors share:
// the namespace of a class under them takes a third segment.
var genericRoots = map[string]bool{
	"com.google": true, "com.android": true, "org.apache": true, "com.github": true, "io.github": true,
	"net.sf": true, "com.sun": true, "org.eclipse": true, "com.example": true, "android.support": true,
}

// Namespace is the package namespace a class descriptor belongs to, the
// unit of authorship: its first two package segments ("com.foo" for
// Lcom/foo/bar/Baz;), three under a shared root (com.google.zxing). It is
// "" for a class in no package or in packages of one or two letters, as
// obfuscators leave the app's own code: whose such code is cannot be told
// by its name.
func Namespace(desc string) string {
	// The package is what precedes the last '/' or '.' of the dotted name;
	// its segments are split at either. The walk asks for every type, so
	// nothing is built but the result.
	s := strings.TrimSuffix(strings.TrimPrefix(desc, "L"), ";")
	i := strings.LastIndexAny(s, "/.")
	if i < 0 {
		return ""
	}
	pkg := s[:i]
	short := true
	segs, end2, end3 := 0, -1, -1 // segment count; where the second and third end
	var first, second string
	for start, j := 0, 0; j <= len(pkg); j++ {
		if j < len(pkg) && pkg[j] != '/' && pkg[j] != '.' {
			continue
		}
		seg := pkg[start:j]
		if len(seg) > 2 {
			short = false
		}
		switch segs {
		case 0:
			first = seg
		case 1:
			second, end2 = seg, j
		case 2:
			end3 = j
		}
		segs++
		start = j + 1
	}
	if short {
		return ""
	}
	end := len(pkg) // one segment: all of it
	if segs >= 2 {
		end = end2
		var buf [64]byte
		key := append(append(append(buf[:0], first...), '.'), second...)
		if segs > 2 && genericRoots[string(key)] {
			end = end3
		}
	}
	return strings.ReplaceAll(pkg[:end], "/", ".")
}

// New builds an attribution for an app package and a tracker table (nil for
// the built-in one).
func New(appPackage string, m *knowledge.TrackerMatcher) *Result {
	if m == nil {
		m = knowledge.DefaultTrackerMatcher()
	}
	return &Result{appPackage: appPackage, matcher: m, cache: map[string]string{}}
}

// Matcher is the tracker table in use.
func (a *Result) Matcher() *knowledge.TrackerMatcher { return a.matcher }

// AppPackage is the app's package name.
func (a *Result) AppPackage() string { return a.appPackage }

// SDK returns the SDK or library name for a class descriptor
// ("Lcom/umeng/a;"), or "" for the app's own code.
func (a *Result) SDK(class string) string {
	pkg := packageOf(class)
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.cache[pkg]; ok {
		return s
	}
	s := ""
	if t, _ := a.matcher.MatchClassForApp(class, a.appPackage); t != nil {
		s = t.Name
	} else if lib := knowledge.LibraryOf(class); lib != "" && !UnderPackage(Dotted(class), a.appPackage) {
		s = lib
	} else if a.own != nil && !UnderPackage(Dotted(class), a.appPackage) {
		if ns := Namespace(class); ns != "" && !a.own(ns) {
			s = scan.UnreachedSDK(ns)
		}
	}
	a.cache[pkg] = s
	return s
}

// Known returns the tracker or library a table names for a class
// descriptor, "" when none does (the app's own code, or third-party code
// no table names).
func (a *Result) Known(class string) string {
	s := a.SDK(class)
	if _, ok := scan.UnreachedNamespace(s); ok {
		return ""
	}
	return s
}

// packageOf is the package part of a descriptor, the cache key: every class
// of one package belongs to the same author.
func packageOf(desc string) string {
	if i := strings.LastIndexByte(desc, '/'); i >= 0 {
		return desc[:i]
	}
	return desc
}

// Dotted turns a descriptor ("Lcom/example/Main;") into a Java name.
func Dotted(desc string) string {
	s := strings.TrimSuffix(strings.TrimPrefix(desc, "L"), ";")
	return strings.ReplaceAll(s, "/", ".")
}

// UnderPackage reports whether a Java name lies in package pkg or below it.
func UnderPackage(name, pkg string) bool {
	return pkg != "" && (name == pkg || strings.HasPrefix(name, pkg+"."))
}
