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
	}
	a.cache[pkg] = s
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
