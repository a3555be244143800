package knowledge

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
)

// LoadETIP reads a tracker table in the Exodus Privacy ETIP format, as the
// Exodus API publishes it:
//
//	{"trackers": {"ID": {"name": ..., "code_signature": ..., "network_signature": ...,
//	                     "website": ..., "categories": [...]}}}
//
// Signatures are regular expressions; their alternatives ("|" at the top
// level) are read one by one. A literal alternative (escapes such as `\.`
// undone, an unescaped '.' taken as the dot it is meant to be) becomes a
// package or host signature matched on boundaries; any other one becomes a
// regular expression (Go's RE2), anchored at the start of a class name and
// ending on a package boundary, or searched in a host name. An alternative
// appxray cannot use (too short, not a valid expression) is skipped; the
// returned error lists each skipped one with its tracker, and the usable
// signatures of every tracker are still returned, so that a caller can
// warn and go on: one bad entry never refuses the file. Every tracker also
// keeps its signatures as written, for Exodus's own matching
// (NewExodusMatcher). Trackers come back sorted by ID. Category names are
// lower-cased with spaces as underscores ("Crash reporting" →
// "crash_reporting").
func LoadETIP(r io.Reader) ([]Tracker, error) {
	var doc struct {
		Trackers map[string]struct {
			Name             string          `json:"name"`
			CodeSignature    string          `json:"code_signature"`
			NetworkSignature string          `json:"network_signature"`
			Website          string          `json:"website"`
			Categories       json.RawMessage `json:"categories"`
		} `json:"trackers"`
	}
	// The ETIP export is a few hundred kilobytes; cap what we read so a
	// hostile file cannot exhaust memory.
	const maxETIP = 64 << 20
	b, err := io.ReadAll(io.LimitReader(r, maxETIP+1))
	if err != nil {
		return nil, fmt.Errorf("knowledge: reading ETIP trackers: %w", err)
	}
	if len(b) > maxETIP {
		return nil, fmt.Errorf("knowledge: ETIP trackers file larger than %d bytes", maxETIP)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("knowledge: ETIP trackers: %w", err)
	}
	if doc.Trackers == nil {
		return nil, errors.New(`knowledge: ETIP trackers: no "trackers" object`)
	}
	ids := make([]string, 0, len(doc.Trackers))
	for id := range doc.Trackers {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []Tracker
	var errs []error
	for _, id := range ids {
		d := doc.Trackers[id]
		who := id + " (" + d.Name + ")"
		t := Tracker{ID: id, Name: d.Name, Website: d.Website, Source: "etip",
			ExodusCode: d.CodeSignature, ExodusNetwork: d.NetworkSignature}
		cats, err := etipCategories(d.Categories)
		if err != nil {
			errs = append(errs, fmt.Errorf("knowledge: ETIP tracker %s: categories: %w", who, err))
		}
		t.Categories = cats
		for _, alt := range splitAlternatives(d.CodeSignature) {
			sig, msg := etipLiteral(alt, false)
			switch {
			case msg == "" && sig == "":
			case msg == "":
				if msg = checkCodeSignature(sig); msg != "" {
					errs = append(errs, &SignatureError{Tracker: who, Signature: alt, Msg: msg})
				} else if !slices.Contains(t.CodeSignatures, sig) {
					t.CodeSignatures = append(t.CodeSignatures, sig)
				}
			default:
				if msg := checkCodeRegexp(alt); msg != "" {
					errs = append(errs, &SignatureError{Tracker: who, Signature: alt, Msg: msg})
				} else if !slices.Contains(t.CodeRegexps, alt) {
					t.CodeRegexps = append(t.CodeRegexps, alt)
				}
			}
		}
		for _, alt := range splitAlternatives(d.NetworkSignature) {
			sig, msg := etipLiteral(alt, true)
			if msg == "" {
				if sig == "" {
					continue
				}
				if len(sig) < MinSignatureLen {
					errs = append(errs, &SignatureError{Tracker: who, Signature: alt, Msg: fmt.Sprintf("shorter than %d characters", MinSignatureLen)})
					continue
				}
				if checkHostSignature(sig) == "" {
					if !slices.Contains(t.NetworkSignatures, sig) {
						t.NetworkSignatures = append(t.NetworkSignatures, sig)
					}
					continue
				}
			}
			// Not a plain host ("54\.243\.73\.253:8080/x/", ".*\.estimote\.com",
			// "mst[0-9]*\.is\.autonavi\.com"): a regular expression searched
			// in the hosts and URLs the app names.
			if msg := checkHostRegexp(alt); msg != "" {
				errs = append(errs, &SignatureError{Tracker: who, Signature: alt, Msg: msg})
			} else if !slices.Contains(t.NetworkRegexps, alt) {
				t.NetworkRegexps = append(t.NetworkRegexps, alt)
			}
		}
		if len(t.CodeSignatures)+len(t.CodeRegexps)+len(t.NetworkSignatures)+len(t.NetworkRegexps) == 0 {
			errs = append(errs, &SignatureError{Tracker: who, Signature: d.CodeSignature, Msg: "no usable code or network signature: the tracker is skipped"})
			continue
		}
		out = append(out, t)
	}
	return out, errors.Join(errs...)
}

// splitAlternatives splits a regular expression at its top-level '|'.
func splitAlternatives(s string) []string {
	var out []string
	depth, start := 0, 0
	inClass := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case c == '|' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// maxSignatureRegexp bounds a regular expression's source; RE2 keeps its
// matching linear, this keeps its compilation small.
const maxSignatureRegexp = 1024

func checkCodeRegexp(s string) string {
	if msg := checkRegexp(s); msg != "" {
		return msg
	}
	if len(literalPrefix(s)) < MinSignatureLen {
		return fmt.Sprintf("a code pattern must start with at least %d literal characters, or it would claim unrelated code", MinSignatureLen)
	}
	return ""
}

func checkHostRegexp(s string) string {
	if msg := checkRegexp(s); msg != "" {
		return msg
	}
	if len(requiredLiteral(s)) < MinSignatureLen {
		return fmt.Sprintf("a host pattern must contain at least %d literal characters, or it would claim unrelated hosts", MinSignatureLen)
	}
	return ""
}

func checkRegexp(s string) string {
	if len(s) > maxSignatureRegexp {
		return fmt.Sprintf("longer than %d characters", maxSignatureRegexp)
	}
	if _, err := regexp.Compile(s); err != nil {
		return "not a regular expression Go's RE2 reads: " + err.Error()
	}
	return ""
}

// literalPrefix is the literal text every match of s must start with.
func literalPrefix(s string) string {
	re, err := regexp.Compile("^(?:" + s + ")")
	if err != nil {
		return ""
	}
	p, _ := re.LiteralPrefix()
	return p
}

// requiredLiteral is the longest literal run every match of s contains, for
// a fast search before the expression runs; "" when there is none.
func requiredLiteral(s string) string {
	re, err := syntax.Parse(s, syntax.Perl)
	if err != nil {
		return ""
	}
	return longestLiteral(re.Simplify())
}

func longestLiteral(re *syntax.Regexp) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture:
		return longestLiteral(re.Sub[0])
	case syntax.OpConcat:
		best, run := "", ""
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 {
				run += string(sub.Rune)
			} else {
				if len(run) > len(best) {
					best = run
				}
				run = ""
				if l := longestLiteral(sub); len(l) > len(best) {
					best = l
				}
			}
		}
		if len(run) > len(best) {
			best = run
		}
		return best
	case syntax.OpPlus:
		return longestLiteral(re.Sub[0])
	}
	return ""
}

// etipCategories accepts a list of names or a single name.
func etipCategories(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		var one string
		if err2 := json.Unmarshal(raw, &one); err2 != nil {
			return nil, err
		}
		list = []string{one}
	}
	var out []string
	for _, c := range list {
		c = strings.ToLower(strings.TrimSpace(c))
		c = strings.ReplaceAll(c, " ", "_")
		if c == "advertisement" || c == "ads" {
			c = "advertising"
		}
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// etipLiteral turns one ETIP regular-expression alternative into a literal
// signature. It undoes the escapes and anchors the format uses and reports
// any other regular-expression syntax (the caller then reads the
// alternative as an expression). For hosts, surrounding ".*" and dots are
// dropped and the result is lower-cased.
func etipLiteral(s string, host bool) (string, string) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "^")
	s = strings.TrimSuffix(s, "$")
	s = strings.TrimPrefix(s, ".*")
	s = strings.TrimSuffix(s, ".*")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return "", "ends in a backslash"
			}
			i++
			switch s[i] {
			case '.', '-', '/', '_', '$':
				b.WriteByte(s[i])
			default:
				return "", fmt.Sprintf("unsupported escape \\%c", s[i])
			}
		case strings.IndexByte("*+?()[]{}^$|", c) >= 0:
			return "", fmt.Sprintf("regular-expression syntax %q", c)
		default:
			b.WriteByte(c)
		}
	}
	out := strings.Trim(b.String(), ".")
	if host {
		out = asciiLower(out)
	} else {
		out = strings.ReplaceAll(out, "/", ".")
	}
	return out, ""
}

// NewExodusMatcher matches as Exodus Privacy's own analysis does, for
// users who need the same answer as an Exodus report: each tracker's code
// signature is one regular expression searched, unanchored, in the app's
// class names as Exodus lists them (see ExodusClassName), and trackers
// whose code signature has three characters or fewer are left out, as
// Exodus leaves them out. A class inside the app's own package is not
// protected, and '.' matches any character: Exodus's known false
// positives come with its semantics. Network signatures are searched in
// hosts the same way. A signature Go's RE2 cannot read is skipped and
// listed in the returned error.
func NewExodusMatcher(trackers []Tracker) (*TrackerMatcher, error) {
	m := &TrackerMatcher{trackers: slices.Clone(trackers), exodus: true}
	var errs []error
	for i, t := range m.trackers {
		if len(t.ExodusCode) > 3 {
			if re, err := regexp.Compile(t.ExodusCode); err != nil {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: t.ExodusCode, Msg: err.Error()})
			} else {
				m.exodusCode = append(m.exodusCode, compiledSig{tracker: i, re: re, lit: requiredLiteral(t.ExodusCode)})
			}
		}
		if t.ExodusNetwork != "" {
			if re, err := regexp.Compile(t.ExodusNetwork); err != nil {
				errs = append(errs, &SignatureError{Tracker: t.ID, Signature: t.ExodusNetwork, Msg: err.Error()})
			} else {
				m.hostRes = append(m.hostRes, compiledSig{tracker: i, re: re, lit: requiredLiteral(t.ExodusNetwork)})
			}
		}
	}
	return m, errors.Join(errs...)
}

// compiledSig is a regular-expression signature and the literal every
// match contains.
type compiledSig struct {
	tracker int
	re      *regexp.Regexp
	lit     string
}

// Exodus reports whether the matcher follows Exodus's semantics.
func (m *TrackerMatcher) Exodus() bool { return m.exodus }

// exodusClassPattern is how Exodus lists classes: the first run of capital
// letters followed by a slashed path on each line dexdump prints, the path
// kept (perl's /[A-Z]+((?:\w+\/)+\w+)/).
var exodusClassPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[A-Z]+((?:\w+/)+\w+)`) })

// ExodusClassName is the name Exodus lists for a descriptor as dexdump
// prints it ("Lcom/umeng/a/b$c;" is "com/umeng/a/b"; "LFoo/Bar;" is
// "oo/Bar", as the capital run swallows the F), or "" when Exodus lists
// nothing for it (a class in no package).
func ExodusClassName(descriptor string) string {
	sm := exodusClassPattern().FindStringSubmatch(descriptor)
	if sm == nil {
		return ""
	}
	return sm[1]
}

// MatchExodusClasses returns every tracker whose code signature matches
// one of the class names (as ExodusClassName gives them), in tracker
// order, with for each the first class it matched.
func (m *TrackerMatcher) MatchExodusClasses(classes []string) ([]*Tracker, []string) {
	joined := "\n" + strings.Join(classes, "\n") + "\n"
	var ts []*Tracker
	var first []string
	for _, s := range m.exodusCode {
		if c, ok := searchLines(s, joined); ok {
			ts = append(ts, &m.trackers[s.tracker])
			first = append(first, c)
		}
	}
	return ts, first
}

// searchLines finds the first line of joined (lines framed by '\n') that
// the signature matches, trying only lines that hold its literal.
func searchLines(s compiledSig, joined string) (string, bool) {
	if s.lit == "" {
		for _, line := range strings.Split(strings.Trim(joined, "\n"), "\n") {
			if s.re.MatchString(line) {
				return line, true
			}
		}
		return "", false
	}
	for from := 0; from < len(joined); {
		i := strings.Index(joined[from:], s.lit)
		if i < 0 {
			return "", false
		}
		i += from
		start := strings.LastIndexByte(joined[:i], '\n') + 1
		end := i + strings.IndexByte(joined[i:], '\n')
		if end < i {
			end = len(joined)
		}
		if line := joined[start:end]; s.re.MatchString(line) {
			return line, true
		}
		from = end
	}
	return "", false
}

// Tracker table modes for a loaded ETIP file: added to the built-in table
// or replacing it.
const (
	TrackersAdd     = "add"
	TrackersReplace = "replace"
)

// Tracker matching semantics: appxray's (package boundaries, the app's own
// package protected) or Exodus's own.
const (
	MatchAppxray = "appxray"
	MatchExodus  = "exodus"
)

// TrackerMatcherFromETIP builds the matcher for an ETIP file (--trackers):
// mode is TrackersAdd or TrackersReplace, match MatchAppxray or
// MatchExodus (which always replaces: Exodus's semantics apply to its own
// list). Signatures it cannot use come back in warnings, each naming its
// tracker; err is for a file that cannot be read at all.
func TrackerMatcherFromETIP(r io.Reader, mode, match string) (m *TrackerMatcher, warnings []error, err error) {
	loaded, lerr := LoadETIP(r)
	if lerr != nil {
		if loaded == nil {
			return nil, nil, lerr
		}
		warnings = unjoin(lerr)
	}
	switch match {
	case MatchExodus:
		m, err := NewExodusMatcher(loaded)
		if err != nil {
			warnings = append(warnings, unjoin(err)...)
		}
		return m, warnings, nil
	case MatchAppxray, "":
	default:
		return nil, nil, fmt.Errorf("knowledge: tracker matching is %s or %s, not %q", MatchAppxray, MatchExodus, match)
	}
	var all []Tracker
	switch mode {
	case TrackersAdd, "":
		all = append(Trackers(), loaded...)
	case TrackersReplace:
		all = loaded
	default:
		return nil, nil, fmt.Errorf("knowledge: tracker mode is %s or %s, not %q", TrackersAdd, TrackersReplace, mode)
	}
	m, err = NewTrackerMatcher(all)
	if err != nil {
		return nil, nil, err
	}
	return m, warnings, nil
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
