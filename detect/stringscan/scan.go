// Package stringscan holds the strings-and-assets evidence channel: the network
// endpoints an app names (URLs, host names, IP addresses) wherever they are
// written, the watchlists it carries (lists of package names, file hashes or
// keywords it checks against), bundled executables and the telling strings
// in them, and literal strings in code that show what it reaches for.
package stringscan

import (
	"bytes"
	"net"
	"net/url"
	"strconv"
	"strings"

	"appxray/knowledge"
)

// scanURLs calls fn for every URL with a scheme of interest in b, with the
// byte offset where it starts. It needs no regular expression: it looks for
// "://" and grows the match outwards, which keeps it cheap on the hundreds
// of thousands of strings a large app holds.
func scanURLs(b []byte, fn func(u string, off int)) {
	tables := knowledge.Endpoints()
	from := 0
	for {
		i := bytes.Index(b[from:], []byte("://"))
		if i < 0 {
			return
		}
		i += from
		start := i
		for start > 0 && isSchemeByte(b[start-1]) {
			start--
		}
		end := i + 3
		for end < len(b) && isURLByte(b[end]) {
			end++
		}
		from = end
		if start == i || end == i+3 {
			continue
		}
		scheme := strings.ToLower(string(b[start:i]))
		if !tables.IsURLScheme(scheme) {
			continue
		}
		fn(strings.TrimRight(string(b[start:end]), ".,;:)]}'\""), start)
	}
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'
}

// isURLByte accepts the bytes RFC 3986 allows in a URL, plus % escapes; it
// stops at quotes, spaces, angle brackets and control bytes.
func isURLByte(c byte) bool {
	if c <= ' ' || c >= 0x7f {
		return false
	}
	switch c {
	case '"', '\'', '<', '>', '\\', '^', '`', '{', '|', '}':
		return false
	}
	return true
}

// parseEndpoint splits a URL into host and IP. ok is false for URLs with no
// usable host, and for placeholder hosts.
func parseEndpoint(raw string) (host, ip string, cleartext, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", false, false
	}
	host = strings.ToLower(u.Hostname())
	if host == "" || knowledge.Endpoints().Placeholders[host] || strings.ContainsAny(host, "%$*") {
		return "", "", false, false
	}
	if a := net.ParseIP(host); a != nil {
		ip = a.String()
	} else if !validHost(host) || !resolvable(host) {
		return "", "", false, false
	}
	return host, ip, knowledge.Endpoints().IsCleartext(u.Scheme), true
}

// specialUse are the top-level names of RFC 6761 and RFC 7686 that the
// public root does not delegate but that name servers all the same: a
// test app's stand-in for a real server (.invalid, .test), a machine on
// the local network (.local), a Tor onion service (.onion), or the
// examples of documentation and of this project's tests (.example).
var specialUse = map[string]bool{"invalid": true, "test": true, "example": true, "local": true, "localhost": true, "onion": true}

// resolvable reports whether a dotted host name could name a server: it
// ends in a top-level domain of the public root (knowledge.TopLevelDomain,
// the top-level labels of the public suffix list's ICANN section) or a
// special-use one.
// "http://javax.xml.transform.dom.DOMResult/feature" is a
// JAXP feature name, not an address. A single label is an intranet name
// such as "server" when it is a host name at all.
//
// Only the last label counts. That is what asking
// golang.org/x/net/publicsuffix about the whole host and taking "ICANN,
// or a suffix with a dot" came to for every dotted host (checked by
// TestResolvableAsPublicSuffix), without linking that package, which
// imports net/http: every top-level label of the list is an ICANN TLD;
// under one, the prevailing rule is an ICANN one, or a private one
// ("appspot.com"), and the private suffixes all have two labels or more
// and all lie under ICANN TLDs; under any other name the default rule "*"
// gives the last label, not ICANN. IDN TLDs count only as A-labels, as
// there: a U-label ("рф") is none.
func resolvable(host string) bool {
	i := strings.LastIndexByte(host, '.')
	if i < 0 {
		// A single label with an underscore is no host name (RFC 1123):
		// Cordova's bridge marker http://cdv_exec/, an ad SDK's
		// http://__NO_MATCHING_AD__.
		return !strings.Contains(host, "_")
	}
	tld := host[i+1:]
	return specialUse[tld] || knowledge.TopLevelDomain(tld)
}

// validHost accepts DNS names with at least one dot, or a single label
// (intranet names such as "server"), made of letters, digits and hyphens.
func validHost(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c >= 0x80) {
				return false
			}
		}
	}
	return true
}

// bareHost reports whether a whole string is a host name on its own
// ("api.example.cn", "10.1.2.3", "10.1.2.3:8080"): how apps often keep the
// servers they talk to. Package names look like host names written
// backwards, so a name whose first label is a top-level domain is refused.
func bareHost(s string) (host, ip string, ok bool) {
	if len(s) < 4 || len(s) > 253 {
		return "", "", false
	}
	h := s
	if i := strings.LastIndexByte(s, ':'); i > 0 && strings.Count(s, ":") == 1 {
		if p, err := strconv.Atoi(s[i+1:]); err == nil && p > 0 && p < 65536 {
			h = s[:i]
		}
	}
	if a := net.ParseIP(h); a != nil {
		if a.To4() != nil && strings.Count(h, ".") != 3 {
			return "", "", false
		}
		if a.IsUnspecified() {
			return "", "", false
		}
		// Masks, networks and broadcast addresses (255.255.255.0,
		// 1.0.0.0, 127.0.0.255) and four-part version numbers are no
		// hosts.
		if v4 := a.To4(); v4 != nil && (v4[3] == 0 || v4[3] == 255 || v4[0] == 255) {
			return "", "", false
		}
		return a.String(), a.String(), true
	}
	h = strings.ToLower(h)
	labels := strings.Split(h, ".")
	if len(labels) < 2 || !validHost(h) || strings.Contains(h, "_") {
		return "", "", false
	}
	// Documentation's example domains (RFC 2606) name no server.
	for _, ex := range []string{"example.com", "example.org", "example.net"} {
		if h == ex || strings.HasSuffix(h, "."+ex) {
			return "", "", false
		}
	}
	tld := labels[len(labels)-1]
	if !tlds[tld] || tlds[labels[0]] || notHostStart[labels[0]] || knowledge.Endpoints().Placeholders[h] {
		return "", "", false
	}
	// File names ("config.json", "classes.dex") end in something that is
	// not a TLD; names like "index.html" are caught by the TLD list. A host
	// with upper case in the original, or only two labels of which the first
	// looks like a Java identifier with a capital, is a class or file.
	if strings.ToLower(s) != s && len(labels) == 2 {
		return "", "", false
	}
	return h, "", true
}

// notHostStart are first labels of Java and Android property keys, intent
// extras and system properties ("java.vm.info", "android.intent.extra.cc",
// "ro.build.id"), which otherwise pass for host names.
var notHostStart = map[string]bool{
	"android": true, "androidx": true, "java": true, "javax": true, "kotlin": true, "kotlinx": true,
	"dalvik": true, "sun": true, "jdk": true, "os": true, "user": true, "file": true, "line": true,
	"http": true, "https": true, "ro": true, "sys": true, "persist": true, "debug": true, "log": true,
	"path": true, "vendor": true, "dev": true, "gsm": true, "net": true, "ril": true, "init": true,
	// Message and configuration keys ("msg.reserved.id", "base.app.id",
	// "build.info", "crashlytics.installation.id").
	"msg": true, "base": true, "build": true, "config": true, "pref": true, "prefs": true, "key": true,
	"setting": true, "settings": true, "crashlytics": true,
}

// tlds are the top-level domains a bare host name may end in. Short on
// purpose: every one added makes more file and class names look like hosts.
var tlds = map[string]bool{
	"com": true, "net": true, "org": true, "cn": true, "ru": true, "io": true, "info": true,
	"biz": true, "gov": true, "edu": true, "cc": true, "me": true, "co": true, "uk": true,
	"de": true, "jp": true, "kr": true, "tw": true, "hk": true, "ir": true, "ae": true,
	"sa": true, "tr": true, "in": true, "xyz": true, "top": true, "app": true, "dev": true,
	"cloud": true, "mobi": true, "tv": true, "fr": true, "it": true, "es": true, "br": true,
	"kz": true, "uz": true, "pk": true, "af": true, "eg": true, "by": true, "ua": true,
	"su": true, "vn": true, "id": true, "my": true, "sg": true, "th": true, "ph": true,
	"mo": true, "eu": true, "us": true, "ca": true, "au": true, "invalid": true, "site": true,
	"online": true, "tech": true, "ai": true, "gg": true, "ly": true, "to": true, "la": true,
}

// itemKind classifies one line of a possible watchlist.
type itemKind int

const (
	itemOther itemKind = iota
	itemPackage
	itemMD5
	itemSHA1
	itemSHA256
)

func (k itemKind) String() string {
	switch k {
	case itemPackage:
		return "package names"
	case itemMD5:
		return "MD5 hashes"
	case itemSHA1:
		return "SHA-1 hashes"
	case itemSHA256:
		return "SHA-256 hashes"
	}
	return "entries"
}

func classify(s string) itemKind {
	switch len(s) {
	case 32, 40, 64:
		if isHex(s) {
			switch len(s) {
			case 32:
				return itemMD5
			case 40:
				return itemSHA1
			default:
				return itemSHA256
			}
		}
	}
	if looksLikePackage(s) && !hostLike(s) {
		return itemPackage
	}
	return itemOther
}

// hostLike reports a dotted name written the way host names are (ending
// in a top-level domain: facebook.com, www.facebook.com) rather than the
// way package names are (starting with one: com.facebook.katana), as the
// lines of a hosts file.
func hostLike(s string) bool {
	first, last := s, s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		first = s[:i]
	}
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		last = s[i+1:]
	}
	return tlds[last] && !tlds[first]
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// looksLikePackage accepts Android package names: two or more dot-separated
// Java identifiers, starting with a letter, in lower case (class names have
// an upper-case last segment and are refused).
func looksLikePackage(s string) bool {
	if len(s) < 3 || len(s) > 150 || strings.Count(s, ".") < 1 {
		return false
	}
	for _, seg := range strings.Split(s, ".") {
		if seg == "" {
			return false
		}
		c := seg[0]
		if !('a' <= c && c <= 'z') {
			return false
		}
		for i := 1; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || 'A' <= c && c <= 'Z') {
				return false
			}
		}
	}
	for _, p := range notPackages {
		if strings.HasPrefix(s, p) {
			return false
		}
	}
	last := s[strings.LastIndexByte(s, '.')+1:]
	return strings.ToLower(last) == last && !fileExtensions[last]
}

// notPackages begin the other dotted names of the platform, written like
// package names: system features (PackageManager.hasSystemFeature:
// android.hardware.camera), permissions and intent actions and categories.
// A list of them is no list of apps.
var notPackages = []string{
	"android.hardware.", "android.software.", "com.google.android.feature.",
	"android.permission.", "android.intent.",
}

// fileExtensions end names that are file names, not packages.
var fileExtensions = map[string]bool{
	"xml": true, "json": true, "txt": true, "html": true, "htm": true, "js": true, "css": true,
	"png": true, "jpg": true, "jpeg": true, "gif": true, "webp": true, "so": true, "dex": true,
	"jar": true, "apk": true, "zip": true, "db": true, "dat": true, "bin": true, "properties": true,
	"conf": true, "cfg": true, "ini": true, "log": true, "tmp": true, "mp3": true, "mp4": true,
	"ttf": true, "otf": true, "pdf": true, "java": true, "kt": true, "class": true, "prof": true,
	"version": true, "pem": true, "crt": true, "der": true, "key": true, "lock": true,
}

// printableRuns calls fn for each run of at least min printable ASCII bytes
// in b, with its offset: the strings(1) of a native library.
func printableRuns(b []byte, min int, fn func(s []byte, off int)) {
	start := -1
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= 0x20 && b[i] < 0x7f {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= min {
			fn(b[start:i], start)
		}
		start = -1
	}
}
