package trackers_test

import (
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/detect/trackers"
	"appxray/internal/testapp"
	"appxray/knowledge"
)

func hits(t *testing.T, cfg *analysis.Config) []*trackers.Hit {
	t.Helper()
	res := testapp.RunConfig(t, testapp.DemoPath(), cfg, trackers.Analyzer)
	r, _ := analysis.Get[*trackers.Result](res, trackers.Analyzer)
	return r.Hits
}

func TestDemoBuiltinTable(t *testing.T) {
	hs := hits(t, nil)
	if len(hs) != 1 {
		t.Fatalf("hits = %d, want 1 (Umeng)", len(hs))
	}
	h := hs[0]
	if h.ID != "umeng_analytics" || h.Classes != 1 || h.SampleClasses[0] != "Lcom/umeng/analytics/MobclickAgent;" ||
		len(h.Hosts) != 1 || h.Hosts[0] != "alog.umeng.com" || h.Source != "appxray" {
		t.Errorf("hit = %+v", h)
	}
}

func matcher(t *testing.T, etip string) *knowledge.TrackerMatcher {
	t.Helper()
	ts, err := knowledge.LoadETIP(strings.NewReader(etip))
	if err != nil {
		t.Fatal(err)
	}
	m, err := knowledge.NewTrackerMatcher(ts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestETIPReplace loads an ETIP table in place of the built-in one, with a
// signature that is a prefix of the app's own package: it must not claim the
// app's code (the Exodus "com.dv" / com.dv.adm false positive).
func TestETIPReplace(t *testing.T) {
	m := matcher(t, `{"trackers": {
		"1": {"name": "Test Umeng", "code_signature": "com.umeng.", "network_signature": "umeng\\.com", "website": "https://x.invalid", "categories": ["Analytics"]},
		"2": {"name": "Greedy", "code_signature": "org.appxray", "network_signature": "", "website": "", "categories": []}
	}}`)
	hs := hits(t, &analysis.Config{Trackers: m})
	if len(hs) != 1 || hs[0].Name != "Test Umeng" || hs[0].Source != "etip" || hs[0].Classes != 1 {
		for _, h := range hs {
			t.Logf("hit %+v", h)
		}
		t.Fatalf("want only Test Umeng")
	}
}

func TestETIPShortSignatureRefused(t *testing.T) {
	ts, err := knowledge.LoadETIP(strings.NewReader(`{"trackers": {"9": {"name": "Short", "code_signature": "com", "network_signature": "", "website": "", "categories": []}}}`))
	if err == nil {
		if _, err = knowledge.NewTrackerMatcher(ts); err == nil {
			t.Fatal("a 3-character signature was accepted")
		}
	}
	if !strings.Contains(err.Error(), "Short") {
		t.Errorf("error %q does not name the tracker", err)
	}
}
