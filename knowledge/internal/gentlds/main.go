// Command gentlds regenerates knowledge/data/tlds.txt, the top-level
// domains of the public DNS root, from two copies of the public suffix
// list: Debian's (package publicsuffix) and the one compiled into
// golang.org/x/net/publicsuffix, which is usually newer.
//
// Usage (from the repository root):
//
//	go run ./knowledge/internal/gentlds
//	go run ./knowledge/internal/gentlds -psl public_suffix_list.dat -o knowledge/data/tlds.txt
//
// A TLD is the last label of a rule in the list's ICANN section (between
// "===BEGIN ICANN DOMAINS===" and "===END ICANN DOMAINS==="), converted
// to its A-label (xn--…) with golang.org/x/net/idna. A TLD is kept only if
// x/net's list also reports it as ICANN (so TLDs retired since Debian's
// copy drop out), and the TLDs x/net has and Debian lacks are added. x/net
// cannot list its rules, so it is asked about every label of two and three
// letters a–z, every label of Debian's list (both sections), and every
// piece of x/net's own label text (publicsuffix/data/text in its module
// directory, found with go list -m): x/net stores each label of its list
// as a piece of that text, so no TLD of its list can be missed. (The
// first two alone miss TLDs delegated since Debian's copy with longer
// names, such as merck.)
//
// The program only writes the data file: the build never runs it.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

func main() {
	psl := flag.String("psl", "/usr/share/publicsuffix/public_suffix_list.dat", "Debian's public suffix list")
	version := flag.String("version", "", "the list's version for the header (default: asked of dpkg-query for package publicsuffix)")
	out := flag.String("o", "knowledge/data/tlds.txt", "output file")
	flag.Parse()
	if err := run(*psl, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gentlds:", err)
		os.Exit(1)
	}
}

func run(psl, version, out string) error {
	data, err := os.ReadFile(psl)
	if err != nil {
		return err
	}
	if version == "" {
		v, err := exec.Command("dpkg-query", "-W", "-f=${Version}", "publicsuffix").Output()
		if err != nil {
			return fmt.Errorf("dpkg-query: %v (give -version)", err)
		}
		version = string(v)
	}
	debian, labels, err := parse(data)
	if err != nil {
		return err
	}
	tlds := map[string]bool{}
	var dropped, added []string
	for t := range debian {
		if icann(t) {
			tlds[t] = true
		} else {
			dropped = append(dropped, t)
		}
	}
	probe := func(p string) {
		if !tlds[p] && !debian[p] && icann(p) {
			tlds[p] = true
			added = append(added, p)
		}
	}
	for a := 'a'; a <= 'z'; a++ {
		for b := 'a'; b <= 'z'; b++ {
			probe(string([]rune{a, b}))
			for c := 'a'; c <= 'z'; c++ {
				probe(string([]rune{a, b, c}))
			}
		}
	}
	for l := range labels {
		probe(l)
	}
	text, err := xnetText()
	if err != nil {
		return err
	}
	for i := range len(text) {
		for j := i + 1; j <= min(len(text), i+63); j++ {
			probe(text[i:j])
		}
	}
	list := slices.Sorted(func(yield func(string) bool) {
		for t := range tlds {
			if !yield(t) {
				return
			}
		}
	})
	slices.Sort(dropped)
	slices.Sort(added)

	var b bytes.Buffer
	comment(&b, "The top-level domains of the public DNS root, one a line, sorted, in lower case, IDN TLDs as A-labels (xn--…). Written by go run ./knowledge/internal/gentlds (see there): do not edit by hand.")
	b.WriteString("#\n")
	comment(&b, fmt.Sprintf("Source: the top-level labels of the ICANN section of the public suffix list (https://publicsuffix.org/, Mozilla Public License 2.0), as Debian package publicsuffix %s has it (%s%s): %d TLDs.", version, psl, listDate(version), len(debian)))
	comment(&b, fmt.Sprintf("Less those that the newer copy in golang.org/x/net/publicsuffix does not report as ICANN (%d): %s.", len(dropped), wrapList(dropped)))
	comment(&b, fmt.Sprintf("Plus those that copy has and Debian's lacks (%d): %s.", len(added), wrapList(added)))
	comment(&b, fmt.Sprintf("x/net's copy: %s.", publicsuffix.List.String()))
	comment(&b, fmt.Sprintf("%d TLDs.", len(list)))
	for _, t := range list {
		b.WriteString(t)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gentlds: %d Debian ICANN TLDs, %d kept, %d dropped, %d added from x/net: %d TLDs written to %s\n",
		len(debian), len(debian)-len(dropped), len(dropped), len(added), len(list), out)
	return nil
}

// xnetText returns the text x/net's publicsuffix package cuts all the
// labels of its list from.
func xnetText() (string, error) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/net").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m golang.org/x/net: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "publicsuffix", "data", "text"))
	return string(b), err
}

// listDate gives the date in a version of Debian's package, which starts
// with the list's: "20230209.2326-1" is ", of 2023-02-09".
func listDate(version string) string {
	if len(version) < 8 || strings.Trim(version[:8], "0123456789") != "" {
		return ""
	}
	return ", of " + version[:4] + "-" + version[4:6] + "-" + version[6:8]
}

// comment writes text to b as "#" lines of at most 80 columns.
func comment(b *bytes.Buffer, text string) {
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line) > 1 && len(line)+1+len(w) > 80 {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

// wrapList lists names for the header, "none" if there are none.
func wrapList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, " ")
}

// parse returns the top-level labels of the ICANN section's rules, and
// every label of every rule in either section, all as A-labels.
func parse(data []byte) (tlds, labels map[string]bool, err error) {
	tlds, labels = map[string]bool{}, map[string]bool{}
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.Contains(line, "===BEGIN ICANN DOMAINS==="):
			section = "icann"
			continue
		case strings.Contains(line, "===END ICANN DOMAINS==="):
			section = "after"
			continue
		case line == "" || strings.HasPrefix(line, "//"):
			continue
		}
		if section == "" {
			return nil, nil, fmt.Errorf("line %d: a rule before the ICANN section", n)
		}
		// A rule is the line's first word (the list's format), less a
		// wildcard or exception mark.
		rule := strings.Fields(line)[0]
		rule = strings.TrimPrefix(strings.TrimPrefix(rule, "!"), "*.")
		a, err := idna.ToASCII(strings.ToLower(rule))
		if err != nil {
			return nil, nil, fmt.Errorf("line %d: %q: %v", n, rule, err)
		}
		parts := strings.Split(a, ".")
		for _, l := range parts {
			if l == "" || l == "*" {
				return nil, nil, fmt.Errorf("line %d: %q: empty or inner wildcard label", n, rule)
			}
			labels[l] = true
		}
		if section == "icann" {
			tlds[parts[len(parts)-1]] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if section != "after" {
		return nil, nil, fmt.Errorf("no ICANN section ending in the list")
	}
	return tlds, labels, nil
}

// icann reports whether x/net's list has tld as an ICANN top-level domain:
// a name under it has an ICANN public suffix. The name probed is not a
// rule of the list under any TLD, so its answer is the TLD's.
func icann(tld string) bool {
	_, icann := publicsuffix.PublicSuffix("appxray-probe." + tld)
	return icann
}
