package stringscan

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// resolvableByList is what resolvable said when it asked
// golang.org/x/net/publicsuffix for the whole host, the oracle its
// knowledge.TopLevelDomain check replaces (x/net is for tests only: it
// links net/http).
func resolvableByList(host string) bool {
	if i := strings.LastIndexByte(host, '.'); i >= 0 && specialUse[host[i+1:]] {
		return true
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	return icann || strings.Contains(suffix, ".")
}

// TestResolvableAsPublicSuffix checks that looking at the last label only
// gives what x/net's whole-host answer gave, for dotted hosts under TLDs,
// under private and wildcard suffixes, and under no TLD; and, when
// Debian's copy of the list is installed, around each of its rules.
func TestResolvableAsPublicSuffix(t *testing.T) {
	hosts := []string{
		"x.appspot.com", "infolifeserver.appspot.com", "x.blogspot.com", "a.b.c.blogspot.co.uk",
		"foo.amazonaws.com", "s3.amazonaws.com", "x.s3.amazonaws.com", "a.b.compute.amazonaws.com",
		"x.github.io", "foo.ck", "www.ck", "a.www.ck", "a.b.ck", "x.za", "co.za", "x.co.za",
		"javax.xml.transform.dom.domresult", "javax.xml.xmlconstants", "a.b", "x.feature",
		"x.internal", "x.lan", "x.corp", "x.home", "x.onion", "x.local", "x.test", "x.invalid",
		"mmsc.vnet.mobi", "x.xn--p1ai", "пример.рф", "例子.中国", "x.中国", "x.merck", "x.hotel",
		"api.example.cn", "1.2.3.x", "x.123",
	}
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			hosts = append(hosts, "x."+string([]rune{a, b}), "a.b."+string([]rune{a, b}))
			for c := 'a'; c <= 'z'; c++ {
				hosts = append(hosts, "x."+string([]rune{a, b, c}))
			}
		}
	}
	if f, err := os.Open("/usr/share/publicsuffix/public_suffix_list.dat"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "//") {
				continue
			}
			rule := strings.TrimPrefix(strings.TrimPrefix(strings.Fields(line)[0], "!"), "*.")
			if a, err := idna.ToASCII(rule); err == nil {
				rule = a
			}
			hosts = append(hosts, rule, "x."+rule, "a.b."+rule, "www."+rule)
		}
	} else {
		t.Logf("no Debian public suffix list to draw hosts from: %v", err)
	}
	n := 0
	for _, h := range hosts {
		if !strings.Contains(h, ".") {
			continue
		}
		n++
		if got, want := resolvable(h), resolvableByList(h); got != want {
			t.Errorf("resolvable(%q) = %v, the public suffix list says %v", h, got, want)
		}
	}
	t.Logf("%d hosts", n)
}
