package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Tracker is a third-party SDK: a tracker, an ad network, an analytics,
// push, payment or map library.
type Tracker struct {
	ID      string
	Name    string
	Website string
	// Categories are tracker kinds such as "analytics" or "advertising"
	// (see TrackerKinds), not taxonomy IDs.
	Categories []string
	// CodeSignatures are Java package (or class) names in dotted form; a
	// class belongs to the SDK when its name equals a signature or starts
	// with the signature and a dot.
	CodeSignatures []string
	// NetworkSignatures are host names; a host belongs to the SDK when it
	// equals a signature or ends with a dot and the signature.
	NetworkSignatures []string
	// CodeRegexps and NetworkRegexps are signatures an ETIP file gives as
	// regular expressions (Go's RE2) rather than names: a code pattern is
	// anchored at the start of a dotted class name and must end on a
	// package boundary; a host pattern is searched in hosts and URLs.
	CodeRegexps    []string
	NetworkRegexps []string
	// ExodusCode and ExodusNetwork are an ETIP tracker's signatures as
	// written, for Exodus's own matching (NewExodusMatcher).
	ExodusCode, ExodusNetwork string
	// Source is "appxray" for the built-in table, "etip" for LoadETIP.
	Source string
}

// MinSignatureLen is the shortest code or network signature accepted:
// shorter ones ("com.", "io.a") would claim unrelated code.
const MinSignatureLen = 4

// trackerKinds are the tracker kinds the built-in table may use.
var trackerKinds = []string{
	"advertising", "analytics", "attribution", "crash_reporting", "push",
	"social", "payments", "maps", "location", "ab_testing",
	"customer_support", "identification", "profiling", "marketing",
	"biometric", "speech", "browser_engine", "development", "security",
}

// TrackerKinds returns the tracker kinds used by the built-in table.
func TrackerKinds() []string { return slices.Clone(trackerKinds) }

// trackerTable is the built-in table and its matcher, built together.
type trackerTable struct {
	list []Tracker
	m    *TrackerMatcher
}

var trackerOnce = sync.OnceValues(func() (trackerTable, error) {
	t, m, err := loadTrackers()
	return trackerTable{t, m}, err
})

func trackersOnce() ([]Tracker, error) {
	t, err := trackerOnce()
	return t.list, err
}

func defaultMatcherOnce() (*TrackerMatcher, error) {
	t, err := trackerOnce()
	return t.m, err
}

// loadTrackers reads the table and builds its matcher, which validates the
// signatures and is the default matcher.
func loadTrackers() ([]Tracker, *TrackerMatcher, error) {
	const file = "data/trackers.json"
	var doc struct {
		Comment  string `json:"comment"`
		Trackers []struct {
			ID                string   `json:"id"`
			Name              string   `json:"name"`
			Website           string   `json:"website"`
			Categories        []string `json:"categories"`
			CodeSignatures    []string `json:"code_signatures"`
			NetworkSignatures []string `json:"network_signatures"`
		} `json:"trackers"`
	}
	if err := decodeFile(file, &doc); err != nil {
		return nil, nil, err
	}
	out := make([]Tracker, 0, len(doc.Trackers))
	ids := make(map[string]bool, len(doc.Trackers))
	for _, d := range doc.Trackers {
		if d.ID == "" || d.Name == "" {
			return nil, nil, &DataError{File: file, Item: d.ID, Msg: "missing id or name"}
		}
		if ids[d.ID] {
			return nil, nil, &DataError{File: file, Item: d.ID, Msg: "duplicate id"}
		}
		ids[d.ID] = true
		if len(d.Categories) == 0 {
			return nil, nil, &DataError{File: file, Item: d.ID, Msg: "no categories"}
		}
		for _, c := range d.Categories {
			if !slices.Contains(trackerKinds, c) {
				return nil, nil, &DataError{File: file, Item: d.ID, Msg: "unknown tracker kind " + c}
			}
		}
		if len(d.CodeSignatures) == 0 {
			return nil, nil, &DataError{File: file, Item: d.ID, Msg: "no code signatures"}
		}
		out = append(out, Tracker{
			ID: d.ID, Name: d.Name, Website: d.Website,
			Categories:        slices.Clip(d.Categories),
			CodeSignatures:    slices.Clip(d.CodeSignatures),
			NetworkSignatures: slices.Clip(d.NetworkSignatures),
			Source:            "appxray",
		})
	}
	// Validate signatures the same way callers' tables are validated.
	m, err := NewTrackerMatcher(out)
	if err != nil {
		return nil, nil, &DataError{File: file, Msg: "bad signatures", Err: err}
	}
	if c := m.Conflicts(); len(c) > 0 {
		return nil, nil, &DataError{File: file, Msg: "signatures claimed twice: " + strings.Join(c, "; ")}
	}
	return out, m, nil
}

// Trackers returns the built-in SDK signature table.
func Trackers() []Tracker {
	t, err := trackersOnce()
	mustLoad(err)
	return slices.Clone(t)
}

// DefaultTrackerMatcher returns a matcher over the built-in table, built once.
func DefaultTrackerMatcher() *TrackerMatcher {
	m, err := defaultMatcherOnce()
	mustLoad(err)
	return m
}

// SignatureError reports an unusable signature of one tracker.
type SignatureError struct {
	Tracker   string // tracker ID
	Signature string // as written in the input
	Msg       string
}

func (e *SignatureError) Error() string {
	return fmt.Sprintf("knowledge: tracker %s: signature %q: %s", e.Tracker, e.Signature, e.Msg)
}

// TrackerMatcher attributes class names and host names to trackers. It is
// safe for concurrent use.
type TrackerMatcher struct {
	trackers []Tracker
	// code maps a signature, in both dotted and slashed form, to its
	// tracker's index; lookups walk the separators of a class name, so
	// a match costs one map lookup per package level.
	code map[string]codeSig
	// inner holds every package that lies strictly above some signature
	// ("com", "com/umeng" for "com.umeng.analytics"), in both spellings:
	// a walk down a class name stops at the first package not in it, so
	// most classes (android.*, kotlin.*) cost a single lookup.
	inner map[string]bool
	host  map[string]int
	// codeRes and hostRes are the regular-expression signatures.
	codeRes, hostRes []compiledSig
	// exodus marks a matcher with Exodus's semantics; exodusCode are then
	// its code signatures.
	exodus     bool
	exodusCode []compiledSig
	// conflicts lists signatures claimed by more than one tracker; the
	// first tracker in input order keeps them.
	conflicts []string
}

// NewTrackerMatcher indexes trackers. A signature shorter than
// MinSignatureLen, or not shaped like a package or host name, is an error
// naming its tracker. When two trackers share a signature, the first keeps
// it and the clash is listed by Conflicts.
func NewTrackerMatcher(trackers []Tracker) (*TrackerMatcher, error) {
	var codes, hosts int
	for _, t := range trackers {
		codes += len(t.CodeSignatures)
		hosts += len(t.NetworkSignatures)
	}
	// Sized from the start: growing them signature by signature was a
	// quarter of building the matcher. Each code signature is kept in both
	// spellings, and so are its inner packages (about two per signature).
	m := &TrackerMatcher{
		trackers: slices.Clone(trackers),
		code:     make(map[string]codeSig, 2*codes),
		inner:    make(map[string]bool, 4*codes),
		host:     make(map[string]int, hosts),
	}
	var errs []error
	for i, t := range m.trackers {
		for _, s := range t.CodeSignatures {
			if msg := checkCodeSignature(s); msg != "" {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: s, Msg: msg})
				continue
			}
			if c, dup := m.code[s]; dup {
				if c.tracker != i {
					m.conflicts = append(m.conflicts, fmt.Sprintf("code signature %s: %s and %s", s, m.trackers[c.tracker].ID, t.ID))
				}
				continue
			}
			m.code[s] = codeSig{i, s}
			m.code[strings.ReplaceAll(s, ".", "/")] = codeSig{i, s}
			for j := strings.IndexByte(s, '.'); j >= 0; j = nextDot(s, j) {
				m.inner[s[:j]] = true
				m.inner[strings.ReplaceAll(s[:j], ".", "/")] = true
			}
		}
		for _, s := range t.NetworkSignatures {
			if msg := checkHostSignature(s); msg != "" {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: s, Msg: msg})
				continue
			}
			if j, dup := m.host[s]; dup {
				if j != i {
					m.conflicts = append(m.conflicts, fmt.Sprintf("network signature %s: %s and %s", s, m.trackers[j].ID, t.ID))
				}
				continue
			}
			m.host[s] = i
		}
		for _, s := range t.CodeRegexps {
			if msg := checkCodeRegexp(s); msg != "" {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: s, Msg: msg})
				continue
			}
			m.codeRes = append(m.codeRes, compiledSig{tracker: i, re: regexp.MustCompile("^(?:" + s + ")"), lit: literalPrefix(s)})
		}
		for _, s := range t.NetworkRegexps {
			if msg := checkHostRegexp(s); msg != "" {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: s, Msg: msg})
				continue
			}
			m.hostRes = append(m.hostRes, compiledSig{tracker: i, re: regexp.MustCompile(s), lit: requiredLiteral(s)})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// codeSig is a code signature's tracker and its dotted spelling.
type codeSig struct {
	tracker int
	sig     string
}

func checkCodeSignature(s string) string {
	if len(s) < MinSignatureLen {
		return fmt.Sprintf("shorter than %d characters", MinSignatureLen)
	}
	if strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return "empty package segment"
	}
	for _, r := range s {
		if !(r == '.' || r == '_' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return fmt.Sprintf("character %q is not allowed in a package name", r)
		}
	}
	return ""
}

func checkHostSignature(s string) string {
	if len(s) < MinSignatureLen {
		return fmt.Sprintf("shorter than %d characters", MinSignatureLen)
	}
	if !strings.Contains(s, ".") || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return "not a host name with at least two labels"
	}
	for _, r := range s {
		if !(r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z') {
			return fmt.Sprintf("character %q is not allowed in a lower-case host name", r)
		}
	}
	return ""
}

// Trackers returns the matcher's trackers.
func (m *TrackerMatcher) Trackers() []Tracker { return slices.Clone(m.trackers) }

// Conflicts lists signatures claimed by more than one tracker.
func (m *TrackerMatcher) Conflicts() []string { return slices.Clone(m.conflicts) }

// MatchClass attributes a class to a tracker. The class may be a DEX
// descriptor ("Lcom/umeng/analytics/MobclickAgent;"), a slashed or a dotted
// name. A signature matches only on a package boundary: "com.umeng" matches
// com.umeng.Foo and com.umeng.analytics.Bar but not com.umengx.Foo. The
// longest matching signature wins. It returns nil when no tracker matches.
//
// Matching on boundaries alone does not stop a short vendor signature from
// claiming an app that lives under it (Exodus's signature "com.dv" matched
// the app com.dv.adm): use MatchClassForApp when the app's package is known.
func (m *TrackerMatcher) MatchClass(class string) (*Tracker, string) {
	if m.exodus {
		name := ExodusClassName(class)
		if name == "" {
			name = className(class)
		}
		for _, s := range m.exodusCode {
			if s.re.MatchString(name) {
				return &m.trackers[s.tracker], s.re.String()
			}
		}
		return nil, ""
	}
	name := className(class)
	sep := byte('.')
	if strings.IndexByte(name, '/') >= 0 {
		sep = '/'
	}
	best, found := codeSig{}, false
	for end := 0; end < len(name); {
		next := strings.IndexByte(name[end+1:], sep)
		if next < 0 {
			end = len(name)
		} else {
			end += 1 + next
		}
		prefix := name[:end]
		if c, ok := m.code[prefix]; ok {
			best, found = c, true
		}
		if !m.inner[prefix] {
			break
		}
	}
	if !found {
		return m.matchClassPattern(name)
	}
	return &m.trackers[best.tracker], best.sig
}

// matchClassPattern tries the regular-expression code signatures on a
// dotted name: a match must end on a package boundary.
func (m *TrackerMatcher) matchClassPattern(name string) (*Tracker, string) {
	if len(m.codeRes) == 0 {
		return nil, ""
	}
	dotted := strings.ReplaceAll(name, "/", ".")
	for _, s := range m.codeRes {
		if !strings.HasPrefix(dotted, s.lit) {
			continue
		}
		loc := s.re.FindStringIndex(dotted)
		if loc == nil {
			continue
		}
		end := loc[1]
		if end == len(dotted) || dotted[end] == '.' || end > 0 && dotted[end-1] == '.' {
			return &m.trackers[s.tracker], s.re.String()
		}
	}
	return nil, ""
}

// nextDot returns the index of the next '.' after i, or -1.
func nextDot(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// MatchClassForApp is MatchClass for a class of the app with package
// appPackage. It refuses a match for a class inside the app's own namespace
// (appPackage or below) when the signature is the app package itself or a
// package above it: such code is the app's, not a tracker's, as in the
// Exodus false positive where "com.dv" claimed the app com.dv.adm. A more
// specific signature inside the app's namespace (an SDK vendored under the
// app package) still matches.
func (m *TrackerMatcher) MatchClassForApp(class, appPackage string) (*Tracker, string) {
	t, sig := m.MatchClass(class)
	if t == nil || appPackage == "" || m.exodus {
		return t, sig
	}
	dotted := strings.ReplaceAll(className(class), "/", ".")
	if underPackage(dotted, appPackage) && underPackage(appPackage, sig) {
		return nil, ""
	}
	return t, sig
}

// underPackage reports whether name is pkg or lies below it.
func underPackage(name, pkg string) bool {
	return name == pkg || len(name) > len(pkg) && name[len(pkg)] == '.' && strings.HasPrefix(name, pkg)
}

// className strips a DEX descriptor down to its slashed class name and
// leaves other spellings alone.
func className(s string) string {
	s = strings.TrimLeft(s, "[")
	if len(s) >= 3 && s[0] == 'L' && s[len(s)-1] == ';' {
		return s[1 : len(s)-1]
	}
	return s
}

// MatchHost attributes a host name to a tracker, on label boundaries:
// "umeng.com" matches "umeng.com" and "alog.umeng.com" but not
// "notumeng.com". Case, a trailing dot and a ":port" are ignored. The
// longest matching signature wins.
func (m *TrackerMatcher) MatchHost(host string) (*Tracker, string) {
	return m.MatchEndpoint(host, "")
}

// MatchEndpoint is MatchHost for a host and, where the app names one, the
// URL it was found in: a regular-expression network signature may name a
// port or a path ("54\.243\.73\.253:8080/SilverPush/").
func (m *TrackerMatcher) MatchEndpoint(host, url string) (*Tracker, string) {
	if t, sig := m.matchHostName(host); t != nil {
		return t, sig
	}
	for _, s := range m.hostRes {
		for _, in := range []string{asciiLower(host), url} {
			if in != "" && (s.lit == "" || strings.Contains(in, s.lit)) && s.re.MatchString(in) {
				return &m.trackers[s.tracker], s.re.String()
			}
		}
	}
	return nil, ""
}

func (m *TrackerMatcher) matchHostName(host string) (*Tracker, string) {
	if m.exodus {
		return nil, ""
	}
	host = strings.TrimSuffix(asciiLower(host), ".")
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.IndexByte(host, ':') == i {
		host = host[:i]
	}
	for s := host; s != ""; {
		if i, ok := m.host[s]; ok {
			return &m.trackers[i], s
		}
		dot := strings.IndexByte(s, '.')
		if dot < 0 {
			break
		}
		s = s[dot+1:]
	}
	return nil, ""
}
