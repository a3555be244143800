package knowledge

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// icannTLD is the oracle: whether golang.org/x/net/publicsuffix, which
// data/tlds.txt was made from, has label as an ICANN top-level domain. The
// name probed is a rule of its list under no TLD, so the answer is the
// TLD's.
func icannTLD(label string) bool {
	_, icann := publicsuffix.PublicSuffix("appxray-probe." + label)
	return icann
}

func TestTLDsAreICANN(t *testing.T) {
	tlds, err := loadTLDs()
	if err != nil {
		t.Fatal(err)
	}
	if len(tlds) < 1000 {
		t.Fatalf("only %d TLDs", len(tlds))
	}
	for _, tld := range tlds {
		if !icannTLD(tld) {
			t.Errorf("%s is not an ICANN TLD in x/net's public suffix list (%s): regenerate data/tlds.txt", tld, publicsuffix.List)
		}
		// An A-label is one: it decodes, and encodes back to itself.
		if strings.HasPrefix(tld, "xn--") {
			u, err := idna.Lookup.ToUnicode(tld)
			if err != nil {
				t.Errorf("%s: %v", tld, err)
				continue
			}
			if a, err := idna.Lookup.ToASCII(u); err != nil || a != tld {
				t.Errorf("%s decodes to %q, which encodes to %q (%v)", tld, u, a, err)
			}
		}
	}
}

func TestTopLevelDomain(t *testing.T) {
	tlds, err := loadTLDs()
	if err != nil {
		t.Fatal(err)
	}
	probes := append([]string{"feature", "dom", "internal", "lan", "corp", "home", "local", "localhost",
		"invalid", "test", "example", "onion", "domresult", "xmlconstants", "appspot", "blogspot",
		"xn--p1ai", "xn--", "xn--zzzzzz", "", "-", "c0m", "merck", "hotel", "ck", "za", "er"}, tlds...)
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			probes = append(probes, string([]rune{a, b}))
			for c := 'a'; c <= 'z'; c++ {
				probes = append(probes, string([]rune{a, b, c}))
			}
		}
	}
	for _, p := range probes {
		want := icannTLD(p)
		if got := TopLevelDomain(p); got != want {
			t.Errorf("TopLevelDomain(%q) = %v, x/net says %v", p, got, want)
		}
		if got := TopLevelDomain(strings.ToUpper(p)); got != want {
			t.Errorf("TopLevelDomain(%q) = %v, want %v", strings.ToUpper(p), got, want)
		}
	}
	for _, p := range []string{"feature", "dom", "internal", "lan", "corp", "home", "рф", "\u212Aw"} {
		if TopLevelDomain(p) {
			t.Errorf("TopLevelDomain(%q) = true", p)
		}
	}
	for _, p := range []string{"com", "cn", "ru", "mobi", "app", "xn--p1ai", "xn--fiqs8s", "Com"} {
		if !TopLevelDomain(p) {
			t.Errorf("TopLevelDomain(%q) = false", p)
		}
	}
}

func TestParseTLDs(t *testing.T) {
	good := "# header\n#\naa\nab\nxn--p1ai\n"
	if got, err := parseTLDs("x", good); err != nil || strings.Join(got, " ") != "aa ab xn--p1ai" {
		t.Errorf("parseTLDs(%q) = %q, %v", good, got, err)
	}
	for _, bad := range []string{
		"",
		"# only a header\n",
		"com\nnet",           // no final newline
		"com\n\nnet\n",       // blank line
		"net\ncom\n",         // unsorted
		"com\ncom\n",         // duplicate
		"com\n# late\nnet\n", // comment after the header
		"Com\n",
		"c0m\n",
		"co-m\n",
		" com\n",
		"com.cn\n",
		"xn--\n",
		"xn--p1ai-\n",
		"xn--p1_ai\n",
		"рф\n",
		strings.Repeat("a", 64) + "\n",
	} {
		_, err := parseTLDs("x", bad)
		var de *DataError
		if !errors.As(err, &de) || de.File != "x" {
			t.Errorf("parseTLDs(%q): err = %v, want a DataError", bad, err)
		}
	}
}
