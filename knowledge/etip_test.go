package knowledge

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func loadExodus(t *testing.T) ([]Tracker, error) {
	t.Helper()
	f, err := os.Open("testdata/exodus-trackers.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return LoadETIP(f)
}

// The real Exodus list loads: what appxray cannot use is skipped with the
// tracker named, never a refusal of the file.
func TestRealExodusList(t *testing.T) {
	trs, err := loadExodus(t)
	if len(trs) < 425 {
		t.Fatalf("%d trackers loaded", len(trs))
	}
	var skipped []string
	for _, e := range unjoin(err) {
		skipped = append(skipped, e.Error())
	}
	all := strings.Join(skipped, "\n")
	// Xiti has neither signature; CrowdTangle and Google Ads have no code
	// signature but keep their network ones.
	if !strings.Contains(all, "10 (Xiti)") {
		t.Errorf("Xiti not reported as skipped:\n%s", all)
	}
	byID := map[string]Tracker{}
	for _, tr := range trs {
		byID[tr.ID] = tr
	}
	if _, ok := byID["10"]; ok {
		t.Error("a tracker without signatures was kept")
	}
	if tr := byID["46"]; len(tr.CodeSignatures) != 0 || !slices.Equal(tr.NetworkSignatures, []string{"api.crowdtangle.com"}) {
		t.Errorf("CrowdTangle %+v", tr)
	}
	if tr := byID["80"]; !slices.Contains(tr.NetworkRegexps, `54\.243\.73\.253:8080/SilverPush/`) || !slices.Contains(tr.NetworkSignatures, "silverpush.co") {
		t.Errorf("SilverPush %+v", tr)
	}
	t.Logf("real Exodus list: %d trackers, %d signatures skipped", len(trs), len(skipped))

	m, err := NewTrackerMatcher(trs)
	if err != nil {
		t.Fatalf("the matcher refuses what LoadETIP kept: %v", err)
	}
	for _, tt := range []struct{ class, want string }{
		{"Lcom/umeng/analytics/MobclickAgent;", "Umeng Analytics"},
		{"Lcom/google/firebase/analytics/FirebaseAnalytics;", "Google Firebase Analytics"},
		{"Lcom/databerries/sdk/A;", "Teemo"},
		{"Lorg/xcom/umeng/analyticsX;", ""}, // inside another name: not Umeng
		{"Lcom/umeng/analyticsx/A;", ""},    // not on a package boundary
	} {
		tr, _ := m.MatchClass(tt.class)
		if got := name(tr); got != tt.want {
			t.Errorf("MatchClass(%s) = %q, want %q", tt.class, got, tt.want)
		}
	}
	for _, tt := range []struct{ host, url, want string }{
		{"alog.umeng.com", "", "Umeng Analytics"},
		{"mst3.is.autonavi.com", "", "AutoNavi / Amap"},                           // a pattern: mst[0-9]*\.is\.autonavi\.com
		{"54.243.73.253", "http://54.243.73.253:8080/SilverPush/p", "SilverPush"}, // a pattern naming port and path
		{"54.243.73.253", "http://54.243.73.253/", ""},
		{"notumeng.com", "", ""},
	} {
		tr, _ := m.MatchEndpoint(tt.host, tt.url)
		if got := name(tr); got != tt.want {
			t.Errorf("MatchEndpoint(%s, %s) = %q, want %q", tt.host, tt.url, got, tt.want)
		}
	}
}

func name(t *Tracker) string {
	if t == nil {
		return ""
	}
	return t.Name
}

// Exodus's own semantics: unanchored search, '.' any character, no
// protection of the app's own package.
func TestExodusMatcher(t *testing.T) {
	trs, _ := loadExodus(t)
	m, err := NewExodusMatcher(trs)
	if err != nil {
		t.Fatalf("Exodus's own list has signatures RE2 cannot read: %v", err)
	}
	if !m.Exodus() {
		t.Fatal("not an Exodus matcher")
	}
	classes := []string{
		ExodusClassName("Landroid/app/Activity;"),
		ExodusClassName("Lorg/xcom/umeng/analyticsX;"), // Exodus's kind of false positive
	}
	ts, first := m.MatchExodusClasses(classes)
	var names []string
	for _, tr := range ts {
		names = append(names, tr.Name)
	}
	if !slices.Contains(names, "Umeng Analytics") || first[slices.Index(names, "Umeng Analytics")] != "org/xcom/umeng/analyticsX" {
		t.Errorf("Exodus semantics not reproduced: %v %v", names, first)
	}
	if tr, _ := m.MatchClassForApp("Lcom/dv/DVSDK/a;", "com.dv"); name(tr) != "DOV-E" {
		t.Errorf("Exodus matching protects the app's package: %v", name(tr))
	}
	for _, tt := range []struct{ desc, want string }{
		{"Lcom/umeng/a/b$c;", "com/umeng/a/b"}, // \w stops at '$'
		{"LFoo/Bar;", "oo/Bar"},                // the capital run takes the F
		{"LMain;", ""},                         // no package: Exodus lists nothing
		{"[Lcom/a/B;", "com/a/B"},
		{"(ILcom/x/Y;)V", "com/x/Y"},
	} {
		if got := ExodusClassName(tt.desc); got != tt.want {
			t.Errorf("ExodusClassName(%s) = %q, want %q", tt.desc, got, tt.want)
		}
	}
}

func TestTrackerMatcherFromETIP(t *testing.T) {
	for _, tt := range []struct {
		mode, match string
		exodus      bool
		builtIn     bool
	}{
		{TrackersAdd, MatchAppxray, false, true},
		{TrackersReplace, MatchAppxray, false, false},
		{TrackersAdd, MatchExodus, true, false},
	} {
		f, err := os.Open("testdata/exodus-trackers.json")
		if err != nil {
			t.Fatal(err)
		}
		m, warnings, err := TrackerMatcherFromETIP(f, tt.mode, tt.match)
		f.Close()
		if err != nil {
			t.Fatalf("%s/%s: %v", tt.mode, tt.match, err)
		}
		if len(warnings) == 0 || m.Exodus() != tt.exodus {
			t.Errorf("%s/%s: %d warnings, exodus %v", tt.mode, tt.match, len(warnings), m.Exodus())
		}
		builtIn := slices.ContainsFunc(m.Trackers(), func(tr Tracker) bool { return tr.Source == "appxray" })
		if builtIn != tt.builtIn {
			t.Errorf("%s/%s: built-in table present %v", tt.mode, tt.match, builtIn)
		}
	}
	if _, _, err := TrackerMatcherFromETIP(strings.NewReader(`{"trackers":{}}`), "merge", MatchAppxray); err == nil {
		t.Error("unknown mode accepted")
	}
	if _, _, err := TrackerMatcherFromETIP(strings.NewReader(`{"trackers":{}}`), TrackersAdd, "fuzzy"); err == nil {
		t.Error("unknown matching accepted")
	}
	if _, _, err := TrackerMatcherFromETIP(strings.NewReader(`[]`), TrackersAdd, MatchAppxray); err == nil {
		t.Error("a file that is no ETIP list accepted")
	}
}
