package app_test

import (
	"bufio"
	"bytes"
	"context"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"appxray/app"
	"appxray/internal/corpus"
)

// badging is what `aapt dump badging` says about an APK.
type badging struct {
	pkg, versionCode, versionName string
	sdk, targetSdk                string
	label                         string
	labels                        map[string]string
	permissions                   []string
}

var (
	reQuoted = regexp.MustCompile(`(\w+)='((?:[^'\\]|\\.)*)'`)
	reLabel  = regexp.MustCompile(`^application-label(?:-([^:]+))?:'(.*)'$`)
)

func parseBadging(out []byte) badging {
	b := badging{labels: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	perms := map[string]bool{}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "package: "):
			for _, m := range reQuoted.FindAllStringSubmatch(line, -1) {
				switch m[1] {
				case "name":
					b.pkg = m[2]
				case "versionCode":
					b.versionCode = m[2]
				case "versionName":
					b.versionName = m[2]
				}
			}
		case strings.HasPrefix(line, "sdkVersion:'"):
			b.sdk = strings.TrimSuffix(strings.TrimPrefix(line, "sdkVersion:'"), "'")
		case strings.HasPrefix(line, "targetSdkVersion:'"):
			b.targetSdk = strings.TrimSuffix(strings.TrimPrefix(line, "targetSdkVersion:'"), "'")
		case strings.HasPrefix(line, "application-label"):
			if m := reLabel.FindStringSubmatch(line); m != nil {
				if m[1] == "" {
					b.label = unescapeAapt(m[2])
				} else {
					b.labels[m[1]] = unescapeAapt(m[2])
				}
			}
		case strings.HasPrefix(line, "uses-permission: "), strings.HasPrefix(line, "uses-permission-sdk-23: "):
			if m := reQuoted.FindStringSubmatch(line); m != nil && m[1] == "name" {
				perms[m[2]] = true
			}
		}
	}
	for p := range perms {
		b.permissions = append(b.permissions, p)
	}
	sort.Strings(b.permissions)
	return b
}

// knownBadgingDisagreements lists corpus files where aapt's badging and
// Android's own package parser part ways, with the reason; the test asserts
// that these files still disagree, so the list cannot rot.
var knownBadgingDisagreements = map[string]string{
	// framework-res defines the label for "en" and for the pseudo-locales
	// en-rXA/en-rXC. aapt resolves "en" with ResTable_config::match, under
	// which a region-less request matches any region once the script is
	// known, and its tie-break then prefers en-XC; appxray answers with the
	// value written for plain "en", which is what the resource table says.
	"android-framework-res/framework-res.apk": "en label: pseudo-locale en-XC chosen by aapt",
}

// unescapeAapt undoes the escaping aapt's badging applies to values.
func unescapeAapt(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestManifestParityWithAapt compares package, versions, SDK levels, label per
// locale and permissions with `aapt dump badging` on every corpus APK.
func TestManifestParityWithAapt(t *testing.T) {
	ctx := context.Background()
	files, facts, rejected := 0, 0, 0
	for _, path := range corpus.APKs(t) {
		name := corpus.Name(path)
		out := corpus.Tool(t, "aapt", "dump", "badging", path)
		if out.ExitCode != 0 {
			// aapt refuses the file; we must still open it or say why.
			rejected++
			a, err := app.Open(ctx, path, app.DefaultOptions())
			if err == nil {
				a.Close()
			}
			t.Logf("%s: aapt rejects it (%s); appxray: %v", name, firstLine(out.Stderr), err)
			continue
		}
		want := parseBadging(out.Stdout)
		info, ok := openInfo(t, ctx, path)
		if !ok {
			continue
		}
		var diffs []string
		check := func(what, got, want string) {
			facts++
			if got != want {
				diffs = append(diffs, what+": got "+quote(got)+", aapt "+quote(want))
			}
		}
		check("package", info.Package, want.pkg)
		check("versionName", info.VersionName, want.versionName)
		vc := ""
		if want.versionCode != "" || info.VersionCode != 0 {
			vc = itoa(info.VersionCode)
		}
		check("versionCode", vc, want.versionCode)
		if want.sdk != "" {
			check("sdkVersion", info.MinSDK, want.sdk)
		}
		if want.targetSdk != "" {
			check("targetSdkVersion", info.TargetSDK, want.targetSdk)
		}
		check("label", info.Label, want.label)
		for loc, l := range want.labels {
			check("label-"+loc, info.Labels[loc], l)
		}
		facts++
		if !slices.Equal(info.Permissions, want.permissions) {
			diffs = append(diffs, "permissions: got "+strings.Join(info.Permissions, ",")+"; aapt "+strings.Join(want.permissions, ","))
		}
		files++
		if reason, ok := knownBadgingDisagreements[name]; ok {
			if len(diffs) == 0 {
				t.Errorf("%s: listed as disagreeing with aapt (%s) but now agrees: remove it from the list", name, reason)
			}
			continue
		}
		if len(diffs) > 0 {
			t.Errorf("%s: differs from aapt dump badging:\n  %s", name, strings.Join(diffs, "\n  "))
		}
	}
	t.Logf("manifest parity: %d APKs compared with aapt dump badging, %d facts, %d rejected by aapt", files, facts, rejected)
	if files == 0 {
		t.Fatal("no APK compared")
	}
}

// TestComponentsParityWithAapt compares every component's name and explicit
// exported flag with `aapt dump xmltree` of the manifest.
func TestComponentsParityWithAapt(t *testing.T) {
	ctx := context.Background()
	files, comps := 0, 0
	for _, path := range corpus.APKs(t) {
		name := corpus.Name(path)
		out := corpus.Tool(t, "aapt", "dump", "xmltree", path, "AndroidManifest.xml")
		if out.ExitCode != 0 {
			continue
		}
		want := xmltreeComponents(out.Stdout)
		info, ok := openInfo(t, ctx, path)
		if !ok {
			continue
		}
		var got []string
		for _, c := range info.Components {
			s := c.Kind + " " + c.Name
			if c.ExportedSet {
				s += " exported=" + boolStr(c.Exported)
			}
			got = append(got, s)
		}
		for i := range want {
			want[i] = qualify(info.Package, want[i])
		}
		files++
		comps += len(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: components differ from aapt xmltree:\n got  %q\n aapt %q", name, got, want)
		}
	}
	t.Logf("components parity: %d APKs, %d components identical to aapt dump xmltree", files, comps)
	if files == 0 {
		t.Fatal("no APK compared")
	}
}

var reXMLAttr = regexp.MustCompile(`^\s*A: android:(name|exported)\(0x[0-9a-f]+\)=(?:"([^"]*)"|\(type 0x12\)0x([0-9a-f]+))`)

// xmltreeComponents lists "kind name [exported=…]" for every component
// directly under <application>, from aapt's xmltree dump.
func xmltreeComponents(out []byte) []string {
	var res []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	appDepth, compDepth := -1, -1
	var cur *struct{ kind, name, exported string }
	flush := func() {
		if cur != nil {
			s := cur.kind + " " + cur.name
			if cur.exported != "" {
				s += " exported=" + cur.exported
			}
			res = append(res, s)
			cur = nil
		}
	}
	for sc.Scan() {
		line := sc.Text()
		depth := len(line) - len(strings.TrimLeft(line, " "))
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "E: ") {
			el := strings.Fields(trim)[1]
			if appDepth >= 0 && depth <= appDepth {
				appDepth = -1
			}
			if compDepth >= 0 && depth <= compDepth {
				flush()
				compDepth = -1
			}
			switch {
			case el == "application" && appDepth < 0:
				appDepth = depth
			case appDepth >= 0 && depth == appDepth+2 && isComponent(el):
				cur = &struct{ kind, name, exported string }{kind: el}
				compDepth = depth
			}
			continue
		}
		if cur != nil && depth == compDepth+2 {
			if m := reXMLAttr.FindStringSubmatch(line); m != nil {
				switch m[1] {
				case "name":
					cur.name = m[2]
				case "exported":
					cur.exported = boolStr(m[3] != "0")
				}
			}
		}
	}
	flush()
	return res
}

// openInfo reads the manifest of a file aapt reads, failing the test (and
// returning false) when appxray cannot.
func openInfo(t *testing.T, ctx context.Context, path string) (*app.Info, bool) {
	t.Helper()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Errorf("%s: aapt reads it but appxray cannot: %v", corpus.Name(path), err)
		return nil, false
	}
	defer a.Close()
	info := a.Info()
	if info == nil {
		t.Errorf("%s: no manifest info", corpus.Name(path))
	}
	return info, info != nil
}

func isComponent(el string) bool {
	switch el {
	case "activity", "activity-alias", "service", "receiver", "provider":
		return true
	}
	return false
}

func qualify(pkg, s string) string {
	kind, rest, _ := strings.Cut(s, " ")
	name, tail, _ := strings.Cut(rest, " ")
	out := kind + " " + app.QualifyClass(pkg, name)
	if tail != "" {
		out += " " + tail
	}
	return out
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

func quote(s string) string { return "'" + s + "'" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
