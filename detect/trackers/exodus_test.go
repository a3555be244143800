package trackers_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"appxray/analysis"
	"appxray/internal/corpus"
	"appxray/knowledge"
)

// The demo app against the real Exodus list, both ways: appxray's matching
// and Exodus's own.
func TestDemoRealExodusList(t *testing.T) {
	for _, match := range []string{knowledge.MatchAppxray, knowledge.MatchExodus} {
		f, err := os.Open(filepath.Join(corpus.Root(), "knowledge", "testdata", "exodus-trackers.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := knowledge.TrackerMatcherFromETIP(f, knowledge.TrackersReplace, match)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		hs := hits(t, &analysis.Config{Trackers: m})
		if len(hs) != 1 || hs[0].Name != "Umeng Analytics" || hs[0].Source != "etip" || !slices.Equal(hs[0].Hosts, []string{"alog.umeng.com"}) {
			t.Fatalf("%s: hits %+v", match, hs)
		}
		h := hs[0]
		switch match {
		case knowledge.MatchExodus:
			if !slices.Equal(h.SampleClasses, []string{"com/umeng/analytics/MobclickAgent"}) || !slices.Equal(h.Signatures, []string{"com.umeng.analytics"}) {
				t.Errorf("exodus hit %+v", h)
			}
		default:
			if !slices.Equal(h.SampleClasses, []string{"Lcom/umeng/analytics/MobclickAgent;"}) {
				t.Errorf("appxray hit %+v", h)
			}
		}
	}
}
