package knowledge

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// APIKind says how code reaches an API.
type APIKind string

// API kinds.
const (
	KindMethodInvoke APIKind = "method-invoke" // an invoke-* of a method
	KindStaticField  APIKind = "static-field"  // an sget of a static field
)

// Confidence grades how much a single piece of evidence proves.
type Confidence string

// Confidence levels.
const (
	Strong Confidence = "strong"
	Weak   Confidence = "weak"
)

// Argument kinds that decide an API's category (APIRule.DecidedBy).
const (
	DecidedByContentURI = "content_uri" // the content URI passed in (see MatchContentURI)
	DecidedByString     = "string"      // the string key passed in (see MatchString)
	// DecidedByCommand: the shell command the calling method builds from
	// its strings (see MatchCommand), for Runtime.exec and ProcessBuilder.
	DecidedByCommand = "command"
	// DecidedByClassName: the class named to a reflective lookup
	// (Class.forName, ClassLoader.loadClass), matched against the string
	// rules marked class_name (see MatchClassName).
	DecidedByClassName = "class_name"
)

// AnyMethod in APIRule.Member matches every method of the class.
const AnyMethod = "*"

// APIRule maps a framework or SDK member to a category.
type APIRule struct {
	Class  string  // DEX descriptor, e.g. "Landroid/telephony/TelephonyManager;"
	Member string  // method or field name; AnyMethod for any method
	Kind   APIKind // KindMethodInvoke or KindStaticField
	// Category is empty when DecidedBy is set: the category then follows
	// from an argument of the call.
	Category   Category
	DecidedBy  string
	Title      string
	Note       string
	Confidence Confidence
	// Permissions, when set, are the permissions that open this API (any
	// one suffices), where they are not those of its category: the cell
	// tower APIs reach device.network but need a location permission.
	Permissions []string
	// Arg is, for a rule decided by an argument, the register slot of
	// that argument in the invoke (0 is the receiver of an instance call,
	// or the first argument of a static one); -1 when the rule is decided
	// by every string the calling method loads.
	Arg int
}

// URIRule maps a content URI prefix to a category.
type URIRule struct {
	Prefix     string
	Category   Category
	Title      string
	Note       string
	Confidence Confidence
}

// StringMatch says how a StringRule compares.
type StringMatch string

// String match modes.
const (
	MatchExact    StringMatch = "exact"
	MatchPrefix   StringMatch = "prefix"
	MatchContains StringMatch = "contains"
)

// StringRule maps a literal string to a category.
type StringRule struct {
	Value      string
	Match      StringMatch
	Category   Category
	Title      string
	Note       string
	Confidence Confidence
	// Command marks a rule that also decides what a shell command does
	// when the string is part of one (MatchCommand), where even a short
	// string such as "su" is telling.
	Command bool
	// ClassName marks a rule for a class name whose lookup by reflection
	// is telling (MatchClassName): the string alone is weak, the class
	// looked up by that name is not.
	ClassName bool
	// Program marks a rule for a program the app would run (logcat,
	// dumpsys): a string that reads as a sentence only mentions it ("Check
	// the logcat output for details" is a message, not a read of the log),
	// so MatchString skips the rule there, and where the name is part of
	// a longer word ("getprop" in "getProperty").
	Program bool
}

type apiTable struct {
	rules   []APIRule
	methods map[string][]APIRule // key: class + "->" + method
	anyOf   map[string][]APIRule // class → AnyMethod rules
	fields  map[string][]APIRule // key: class + "->" + field

	uris []URIRule // sorted longest prefix first

	strs         []StringRule
	js           []JSRule
	exact        map[string][]StringRule // key: lower-cased value
	prefix, subs []needle
	subsMatch    *multiMatcher // the subs, needle i being subs[i]
}

// needle is a prefix or contains rule with its lower-cased value.
type needle struct {
	low  string
	rule StringRule
}

var apisOnce = sync.OnceValues(loadAPIs)

func parseConfidence(file, item, s string) (Confidence, error) {
	switch s {
	case "", "strong":
		return Strong, nil
	case "weak":
		return Weak, nil
	}
	return "", &DataError{File: file, Item: item, Msg: "confidence must be strong or weak, not " + s}
}

func loadAPIs() (*apiTable, error) {
	// The maps are sized by the loaders from their files: growing them
	// rule by rule was a fifth of building the table.
	t := &apiTable{
		anyOf: make(map[string][]APIRule),
	}
	if err := t.loadRules(); err != nil {
		return nil, err
	}
	if err := t.loadURIs(); err != nil {
		return nil, err
	}
	if err := t.loadStrings(); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *apiTable) loadRules() error {
	const file = "data/apis.json"
	var doc struct {
		Comment string `json:"comment"`
		Rules   []struct {
			Class      string   `json:"class"`
			Method     string   `json:"method"`
			Field      string   `json:"field"`
			Kind       string   `json:"kind"`
			Category   Category `json:"category"`
			DecidedBy  string   `json:"decided_by"`
			Title      string   `json:"title"`
			Note       string   `json:"note"`
			Confidence string   `json:"confidence"`
			// Permissions open the API where its category's do not.
			Permissions []string `json:"permissions"`
			// Arg is the register slot of the deciding argument.
			Arg *int `json:"arg"`
		} `json:"rules"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return err
	}
	seen := make(map[string]bool, len(doc.Rules))
	t.methods = make(map[string][]APIRule, len(doc.Rules))
	t.fields = make(map[string][]APIRule)
	t.rules = make([]APIRule, 0, len(doc.Rules))
	for _, r := range doc.Rules {
		item := r.Class + "->" + r.Method + r.Field
		if !strings.HasPrefix(r.Class, "L") || !strings.HasSuffix(r.Class, ";") || strings.Contains(r.Class, ".") {
			return &DataError{File: file, Item: item, Msg: "class must be a DEX descriptor like Landroid/os/Build;"}
		}
		rule := APIRule{Class: r.Class, Category: r.Category, DecidedBy: r.DecidedBy, Title: r.Title, Note: r.Note}
		for _, p := range r.Permissions {
			if _, ok := PermissionByName(p); !ok {
				return &DataError{File: file, Item: item, Msg: "unknown permission " + p}
			}
		}
		rule.Permissions = slices.Clip(r.Permissions)
		rule.Arg = -1
		if r.Arg != nil {
			if r.DecidedBy == "" || *r.Arg < 0 || *r.Arg > 255 {
				return &DataError{File: file, Item: item, Msg: "arg is the register slot (0 to 255) of a decided_by rule's deciding argument"}
			}
			rule.Arg = *r.Arg
		}
		switch {
		case r.Method != "" && r.Field == "" && (r.Kind == "" || r.Kind == string(KindMethodInvoke)):
			rule.Kind, rule.Member = KindMethodInvoke, r.Method
		case r.Field != "" && r.Method == "" && r.Kind == string(KindStaticField):
			rule.Kind, rule.Member = KindStaticField, r.Field
		default:
			return &DataError{File: file, Item: item, Msg: "need method (kind method-invoke) or field (kind static-field)"}
		}
		switch r.DecidedBy {
		case "":
			if err := checkCategories(file, item, []Category{r.Category}); err != nil {
				return err
			}
		case DecidedByContentURI, DecidedByString, DecidedByCommand, DecidedByClassName:
			if r.Category != "" {
				return &DataError{File: file, Item: item, Msg: "decided_by rules take no category"}
			}
		default:
			return &DataError{File: file, Item: item, Msg: "unknown decided_by " + r.DecidedBy}
		}
		if r.Title == "" {
			return &DataError{File: file, Item: item, Msg: "missing title"}
		}
		c, err := parseConfidence(file, item, r.Confidence)
		if err != nil {
			return err
		}
		rule.Confidence = c
		key := item + "\x00" + string(r.Category) + "\x00" + r.DecidedBy
		if seen[key] {
			return &DataError{File: file, Item: item, Msg: "duplicate rule for " + string(r.Category)}
		}
		seen[key] = true
		t.rules = append(t.rules, rule)
		k := rule.Class + "->" + rule.Member
		switch {
		case rule.Kind == KindStaticField:
			t.fields[k] = append(t.fields[k], rule)
		case rule.Member == AnyMethod:
			t.anyOf[rule.Class] = append(t.anyOf[rule.Class], rule)
		default:
			t.methods[k] = append(t.methods[k], rule)
		}
	}
	clipAll(t.methods)
	clipAll(t.anyOf)
	clipAll(t.fields)
	return nil
}

// clipAll caps every slice so that a caller's append cannot write into the
// shared table.
func clipAll[T any](m map[string][]T) {
	for k, v := range m {
		m[k] = slices.Clip(v)
	}
}

func (t *apiTable) loadURIs() error {
	const file = "data/content_uris.json"
	var doc struct {
		Comment string `json:"comment"`
		URIs    []struct {
			Prefix     string   `json:"prefix"`
			Category   Category `json:"category"`
			Title      string   `json:"title"`
			Note       string   `json:"note"`
			Confidence string   `json:"confidence"`
		} `json:"uris"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return err
	}
	seen := make(map[string]bool, len(doc.URIs))
	for _, u := range doc.URIs {
		if !strings.HasPrefix(u.Prefix, "content://") || len(u.Prefix) <= len("content://") || strings.HasSuffix(u.Prefix, "/") {
			return &DataError{File: file, Item: u.Prefix, Msg: "prefix must be content://authority[/path] without a trailing slash"}
		}
		if seen[u.Prefix] {
			return &DataError{File: file, Item: u.Prefix, Msg: "duplicate prefix"}
		}
		seen[u.Prefix] = true
		if err := checkCategories(file, u.Prefix, []Category{u.Category}); err != nil {
			return err
		}
		c, err := parseConfidence(file, u.Prefix, u.Confidence)
		if err != nil {
			return err
		}
		t.uris = append(t.uris, URIRule{Prefix: u.Prefix, Category: u.Category, Title: u.Title, Note: u.Note, Confidence: c})
	}
	slices.SortStableFunc(t.uris, func(a, b URIRule) int { return len(b.Prefix) - len(a.Prefix) })
	return nil
}

func (t *apiTable) loadStrings() error {
	const file = "data/strings.json"
	var doc struct {
		Comment string `json:"comment"`
		Strings []struct {
			Value      string   `json:"value"`
			Match      string   `json:"match"`
			Category   Category `json:"category"`
			Title      string   `json:"title"`
			Note       string   `json:"note"`
			Confidence string   `json:"confidence"`
			Command    bool     `json:"command"`
			ClassName  bool     `json:"class_name"`
			Program    bool     `json:"program"`
		} `json:"strings"`
		JavaScript []struct {
			Property      string   `json:"property"`
			Category      Category `json:"category"`
			Title         string   `json:"title"`
			Note          string   `json:"note"`
			RequiresClass []string `json:"requires_class"`
		} `json:"javascript"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return err
	}
	jsSeen := map[string]bool{}
	for _, j := range doc.JavaScript {
		if j.Property == "" || strings.ContainsAny(j.Property, " \t\n()") || j.Title == "" {
			return &DataError{File: file, Item: j.Property, Msg: "a javascript rule needs a property path (a.b.c) and a title"}
		}
		if jsSeen[j.Property] {
			return &DataError{File: file, Item: j.Property, Msg: "duplicate javascript property"}
		}
		jsSeen[j.Property] = true
		if err := checkCategories(file, j.Property, []Category{j.Category}); err != nil {
			return err
		}
		for _, c := range j.RequiresClass {
			if !strings.HasPrefix(c, "L") || !strings.HasSuffix(c, ";") || strings.Contains(c, ".") {
				return &DataError{File: file, Item: j.Property, Msg: "requires_class must be DEX descriptors like Lorg/apache/cordova/device/Device;"}
			}
		}
		t.js = append(t.js, JSRule{Property: j.Property, Category: j.Category, Title: j.Title, Note: j.Note, RequiresClass: slices.Clip(j.RequiresClass)})
	}
	seen := make(map[string]bool, len(doc.Strings))
	t.exact = make(map[string][]StringRule, len(doc.Strings))
	for _, s := range doc.Strings {
		if s.Value == "" {
			return &DataError{File: file, Msg: "empty value"}
		}
		key := strings.ToLower(s.Value) + "\x00" + string(s.Category)
		if seen[key] {
			return &DataError{File: file, Item: s.Value, Msg: "duplicate string for " + string(s.Category)}
		}
		seen[key] = true
		if err := checkCategories(file, s.Value, []Category{s.Category}); err != nil {
			return err
		}
		c, err := parseConfidence(file, s.Value, s.Confidence)
		if err != nil {
			return err
		}
		r := StringRule{Value: s.Value, Match: StringMatch(s.Match), Category: s.Category, Title: s.Title, Note: s.Note, Confidence: c, Command: s.Command, ClassName: s.ClassName, Program: s.Program}
		if r.Program && r.Match != MatchContains {
			return &DataError{File: file, Item: s.Value, Msg: "program applies to contains-rules only (an exact or prefix rule is not prose)"}
		}
		low := needle{low: strings.ToLower(s.Value), rule: r}
		switch r.Match {
		case MatchExact:
			t.exact[low.low] = append(t.exact[low.low], r)
		case MatchPrefix:
			t.prefix = append(t.prefix, low)
		case MatchContains:
			// Short needles would match inside ordinary words.
			if len(low.low) < 5 {
				return &DataError{File: file, Item: s.Value, Msg: "contains-rules need at least 5 bytes; use exact"}
			}
			t.subs = append(t.subs, low)
		default:
			return &DataError{File: file, Item: s.Value, Msg: "match must be exact, prefix or contains"}
		}
		t.strs = append(t.strs, r)
	}
	clipAll(t.exact)
	// Longer needles are more specific: try them first so that, of two
	// rules for one category, the more telling one is reported.
	slices.SortStableFunc(t.subs, func(a, b needle) int { return len(b.low) - len(a.low) })
	if len(t.subs) > 0 {
		lows := make([]string, len(t.subs))
		for i, n := range t.subs {
			lows[i] = n.low
		}
		t.subsMatch = newMultiMatcher(lows)
	}
	return nil
}

func apis() *apiTable {
	t, err := apisOnce()
	mustLoad(err)
	return t
}

// APIs returns every API rule in file order.
func APIs() []APIRule { return slices.Clone(apis().rules) }

// ContentURIs returns every content URI rule, longest prefix first.
func ContentURIs() []URIRule { return slices.Clone(apis().uris) }

// JSRule is a property of a JavaScript bridge that web pages read to reach
// the device (Cordova's device.uuid is ANDROID_ID), matched in the code of
// an app's web assets, not in its comments or strings.
type JSRule struct {
	Property string // "device.uuid"
	Category Category
	Title    string
	Note     string
	// RequiresClass lists classes of which one must be in the app for the
	// property to exist (the plugin that defines it); empty: none needed.
	RequiresClass []string
}

// JavaScriptRules returns the JavaScript property rules in file order.
func JavaScriptRules() []JSRule { return slices.Clone(apis().js) }

// Strings returns every literal-string rule in file order.
func Strings() []StringRule { return slices.Clone(apis().strs) }

// MatchMethod returns the rules for an invocation of class->name, where class
// is a DEX descriptor ("Landroid/telephony/TelephonyManager;") and name a
// method name ("getDeviceId", "<init>"). Rules for the exact method come
// before AnyMethod rules. The result is shared: do not modify it.
//
// Matching is by the class named in the invoke instruction; calls made
// through an app subclass are the caller's to resolve.
func MatchMethod(class, name string) []APIRule {
	t := apis()
	exact := t.methods[class+"->"+name]
	anyRules := t.anyOf[class]
	switch {
	case len(anyRules) == 0:
		return exact
	case len(exact) == 0:
		return anyRules
	}
	return append(slices.Clone(exact), anyRules...)
}

// MatchStaticField returns the rules for a static field read (sget) of
// class->name. The result is shared: do not modify it.
func MatchStaticField(class, name string) []APIRule {
	return apis().fields[class+"->"+name]
}

// ContentScheme begins every URI MatchContentURI matches.
const ContentScheme = "content://"

// MatchContentURI returns the rule of the longest prefix that s starts with,
// ending on a boundary: the prefix "content://sms" matches
// "content://sms/inbox" and "content://sms" but not "content://smsx".
func MatchContentURI(s string) (URIRule, bool) {
	if !strings.HasPrefix(s, ContentScheme) {
		return URIRule{}, false
	}
	for _, r := range apis().uris {
		if !strings.HasPrefix(s, r.Prefix) {
			continue
		}
		if len(s) == len(r.Prefix) {
			return r, true
		}
		switch s[len(r.Prefix)] {
		case '/', '?', '#':
			return r, true
		}
	}
	return URIRule{}, false
}

// MatchString returns the rules a literal string matches, ignoring ASCII
// case, at most one per category: exact rules first, then prefix rules,
// then contains rules, longest first. Exact rules are a map lookup; prefix
// and contains rules are few and scanned. The result may be shared: do not
// modify it.
func MatchString(s string) []StringRule {
	t := apis()
	low := asciiLower(s)
	out := t.exact[low]
	owned := false
	add := func(r StringRule) {
		for _, o := range out {
			if o.Category == r.Category {
				return
			}
		}
		if !owned {
			out, owned = slices.Clone(out), true
		}
		out = append(out, r)
	}
	for _, n := range t.prefix {
		if strings.HasPrefix(low, n.low) {
			add(n.rule)
		}
	}
	if t.subsMatch == nil {
		return out
	}
	var buf [4]uint64
	seen := buf[:]
	if w := t.subsMatch.words(); w > len(buf) {
		seen = make([]uint64, w)
	}
	t.subsMatch.mark(s, seen)
	var prose, decided bool // ReadsAsProse(s), once a program rule needs it
	// Only the marked rules, in order: most strings mark none.
	for w, word := range seen {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			n := t.subs[i]
			if n.rule.Program {
				if !decided {
					prose, decided = ReadsAsProse(s), true
				}
				if prose || !asWord(low, n.low) {
					continue
				}
			}
			add(n.rule)
		}
	}
	return out
}

// ReadsAsProse reports whether s is a sentence rather than a command line:
// at least four words, all made of letters (a capital, an apostrophe, a
// hyphen inside and closing punctuation allowed) but at most one, with no
// option, path, variable or shell operator. "Check the logcat output for
// more details." is prose; "logcat -d -v time", "dumpsys activity top" and
// "logcat | grep pid" are not.
func ReadsAsProse(s string) bool {
	words, other := 0, 0
	for w := range strings.FieldsSeq(s) {
		words++
		switch {
		case letterWord(w):
		case strings.HasPrefix(w, "-") || strings.ContainsAny(w, "/|&;<>$`=%\\"):
			return false
		default:
			if other++; other > 1 {
				return false
			}
		}
	}
	return words >= 4
}

// asWord reports whether name occurs in s as a word of its own, not inside
// another ("getprop" in "getprop ro.serialno" or "/system/bin/getprop", not
// in "getProperty").
func asWord(s, name string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return false
		}
		j += i
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		after, _ := utf8.DecodeRuneInString(s[j+len(name):])
		if !identRune(before) && !identRune(after) {
			return true
		}
		i = j + 1
	}
}

// identRune is isWordRune with the underscore of an identifier
// ("DUMPSYS_MEMINFO" is a constant's name, not the dumpsys program).
func identRune(r rune) bool { return r == '_' || isWordRune(r) }

// letterWord reports whether w is a word of prose: letters (any script),
// an apostrophe or a hyphen between letters, then closing punctuation.
func letterWord(w string) bool {
	w = strings.TrimRight(w, ".,:;!?)\"'")
	w = strings.TrimLeft(w, "(\"'")
	if w == "" {
		return false
	}
	prev := rune(0)
	for _, r := range w {
		switch {
		case unicode.IsLetter(r):
		case (r == '\'' || r == '-' || r == '’') && unicode.IsLetter(prev):
		default:
			return false
		}
		prev = r
	}
	return unicode.IsLetter(prev)
}

// MatchCommand returns the command rules (StringRule.Command) a string
// matches when it is, or is part of, a shell command the code runs: "su"
// alone, "pm install -r /sdcard/a.apk", or the words of a command joined.
func MatchCommand(s string) []StringRule {
	var out []StringRule
	for _, r := range MatchString(s) {
		if r.Command {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		// An exact rule also matches the first word of a command line
		// ("su -c id", "sh -c …").
		if first, _, ok := strings.Cut(strings.TrimSpace(s), " "); ok && first != s {
			for _, r := range apis().exact[asciiLower(first)] {
				if r.Command {
					out = append(out, r)
				}
			}
		}
	}
	return out
}

// MatchClassName returns the class-name rules a string names exactly
// (ignoring ASCII case): the classes whose lookup by name is telling
// (dalvik.system.DexClassLoader looked up by reflection loads code).
func MatchClassName(s string) []StringRule {
	var out []StringRule
	for _, r := range MatchString(s) {
		if r.ClassName {
			out = append(out, r)
		}
	}
	return out
}

// asciiLower lower-cases ASCII letters only, without allocating when there
// are none to change.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
