package knowledge

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"appxray/internal/corpus"
)

var poolStringRe = regexp.MustCompile(`(?m)^String #\d+: (.+)$`)

// resourceStrings reads a real APK's resource string pool through aapt.
func resourceStrings(tb testing.TB, apk string) []string {
	tb.Helper()
	res := corpus.Tool(tb, "aapt", "dump", "strings", apk)
	if res.ExitCode != 0 {
		tb.Fatalf("aapt dump strings %s: exit %d: %s", apk, res.ExitCode, res.Stderr)
	}
	var out []string
	for _, m := range poolStringRe.FindAllSubmatch(res.Stdout, -1) {
		out = append(out, string(m[1]))
	}
	if len(out) == 0 {
		tb.Fatalf("no strings in %s", apk)
	}
	return out
}

const frameworkRes = "/usr/share/android-framework-res/framework-res.apk"

func findCorpus(tb testing.TB, substr string) string {
	tb.Helper()
	for _, f := range corpus.Files(tb) {
		if strings.Contains(f, substr) {
			return f
		}
	}
	tb.Fatalf("corpus file matching %q not found", substr)
	return ""
}

func FuzzLoadETIP(f *testing.F) {
	for _, name := range []string{"testdata/etip_sample.json", "testdata/etip_bad.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"trackers":{"x":{"name":"n","code_signature":"^com\\.a\\.b$|.*","network_signature":"\\","categories":"Ads"}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		trs, err := LoadETIP(bytes.NewReader(b))
		if err != nil {
			return
		}
		// Whatever LoadETIP accepts, the matcher must accept too.
		m, err := NewTrackerMatcher(trs)
		if err != nil {
			t.Fatalf("LoadETIP accepted signatures the matcher refuses: %v", err)
		}
		for _, tr := range trs {
			for _, s := range tr.CodeSignatures {
				if got, sig := m.MatchClass(s + ".X"); got == nil || sig == "" {
					t.Fatalf("signature %q does not match its own package", s)
				}
			}
		}
	})
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"idCardNo", "car_color2", "sfzh", "IDNumber", "et_身份证号", "HTTPServerURL", "a1B2c3", "ÉtatCivil"} {
		f.Add(s)
	}
	l := DefaultLexicon()
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" {
				t.Fatalf("Tokenize(%q) gave an empty token", s)
			}
			for _, r := range tok {
				if !isWordRune(r) {
					t.Fatalf("Tokenize(%q) token %q holds %q", s, tok, r)
				}
			}
		}
		checkMatches(t, s, l.MatchIdentifier(s))
	})
}

func FuzzMatchText(f *testing.F) {
	for _, s := range []string{"请输入身份证号码", "Blood type", "Номер паспорта", "فصيلة الدم", "دىنىي ئېتىقادى", "نام\u200cخانوادگی", "User name"} {
		f.Add(s)
	}
	// Seeds from a real APK's resources.
	strs := resourceStrings(f, findCorpus(f, "io.appium.settings"))
	for i := 0; i < len(strs); i += 50 {
		f.Add(strs[i])
	}
	l := DefaultLexicon()
	f.Fuzz(func(t *testing.T, s string) {
		checkMatches(t, s, l.MatchText(s))
	})
}

func checkMatches(t *testing.T, input string, ms []LexMatch) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range ms {
		key := m.Lang + "\x00" + m.Term
		if seen[key] {
			t.Fatalf("%q: term %q reported twice", input, m.Term)
		}
		seen[key] = true
		if (len(m.Categories) == 0) == (m.Marker == "") {
			t.Fatalf("%q: match %q has categories %v and marker %q: want exactly one", input, m.Term, m.Categories, m.Marker)
		}
		for _, c := range m.Categories {
			if !c.Known() {
				t.Fatalf("%q: unknown category %s", input, c)
			}
		}
	}
}

func FuzzMatchClassHost(f *testing.F) {
	for _, s := range []string{"Lcom/umeng/analytics/MobclickAgent;", "com.umeng", "[[Lcom/a;", "L;", "alog.umeng.com:443", "x..y"} {
		f.Add(s)
	}
	m := DefaultTrackerMatcher()
	f.Fuzz(func(t *testing.T, s string) {
		if tr, sig := m.MatchClass(s); tr != nil {
			name := strings.ReplaceAll(className(s), "/", ".")
			if name != sig && !strings.HasPrefix(name, sig+".") {
				t.Fatalf("MatchClass(%q) = %s via %q, not on a package boundary", s, tr.ID, sig)
			}
		}
		if tr, sig := m.MatchHost(s); tr != nil {
			h := strings.ToLower(s)
			if !strings.Contains(h, sig) {
				t.Fatalf("MatchHost(%q) = %s via %q", s, tr.ID, sig)
			}
		}
		_, _ = MatchContentURI(s)
		_ = MatchString(s)
	})
}

// The resource strings of framework-res, in every language Android ships,
// must not produce findings from single ambiguous words; this logs how
// many strings match at all, as a false-positive survey.
func TestLexiconOnFrameworkStrings(t *testing.T) {
	l := DefaultLexicon()
	strs := resourceStrings(t, corpus.File(t, frameworkRes))
	matched, strong := 0, 0
	byCat := map[string]int{}
	for _, s := range strs {
		ms := l.MatchText(s)
		checkMatches(t, s, ms)
		if len(ms) > 0 {
			matched++
		}
		for _, m := range ms {
			if m.Strong {
				strong++
			}
			for _, c := range m.Categories {
				byCat[string(c)]++
			}
		}
	}
	// framework-res has strings for the permission dialogs ("read your
	// contacts", "access your location"...), so some matches are right;
	// a lexicon that matched most strings would be useless.
	if matched == 0 || matched > len(strs)/4 {
		t.Errorf("%d of %d framework strings matched", matched, len(strs))
	}
	t.Logf("matched %d of %d framework-res strings (%d strong matches); by category %v", matched, len(strs), strong, byCat)
}

func BenchmarkMatchClass(b *testing.B) {
	var classes []string
	for _, name := range []string{"io.appium.settings", "appium-uiautomator2-server-v"} {
		cls, ok := corpusClasses(b, findCorpus(b, name))
		if !ok {
			b.Fatalf("dexdump failed on %s", name)
		}
		classes = append(classes, cls...)
	}
	m := DefaultTrackerMatcher()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range classes {
			m.MatchClass(c)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(classes)), "ns/class")
}

func BenchmarkMatchHost(b *testing.B) {
	hosts := []string{"alog.umeng.com", "www.example.org", "graph.facebook.com", "api.github.com", "a.b.c.d.e.f.example.net"}
	m := DefaultTrackerMatcher()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, h := range hosts {
			m.MatchHost(h)
		}
	}
}

func BenchmarkMatchText(b *testing.B) {
	strs := resourceStrings(b, corpus.File(b, frameworkRes))
	if len(strs) > 20000 {
		strs = strs[:20000]
	}
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	l := DefaultLexicon()
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range strs {
			l.MatchText(s)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(strs)), "ns/string")
}

func BenchmarkMatchIdentifier(b *testing.B) {
	ids := []string{"idCardNo", "et_user_name", "tv_title", "car_color2", "sfzh", "layout_height", "btnSubmitForm", "rg_religion"}
	l := DefaultLexicon()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, s := range ids {
			l.MatchIdentifier(s)
		}
	}
}

func BenchmarkMatchMethod(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MatchMethod("Landroid/telephony/TelephonyManager;", "getDeviceId")
		MatchMethod("Ljava/lang/StringBuilder;", "append")
		MatchStaticField("Landroid/os/Build;", "SERIAL")
	}
}
