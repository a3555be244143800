package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/json"
	"hash/adler32"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// exodusDecoy is the demo app whose Umeng class descriptor is rewritten in
// place (same length) from Lcom/umeng/analytics/MobclickAgent; to
// Lxcom/umeng/analyticsMobclickAgent;, a class of no SDK of Umeng's that
// Exodus's unanchored re.search of "com.umeng.analytics" still matches.
func exodusDecoy(t *testing.T) string {
	t.Helper()
	return testapp.Rewrite(t, testapp.DemoPath(), "decoy.apk", func(name string, data []byte) []byte {
		if name == "classes.dex" {
			from, to := []byte("Lcom/umeng/analytics/MobclickAgent;\x00"), []byte("Lxcom/umeng/analyticsMobclickAgent;\x00")
			if bytes.Count(data, from) != 1 {
				t.Fatal("setup: the demo's DEX no longer holds the Umeng class once")
			}
			data = bytes.Replace(data, from, to, 1)
			s := sha1.Sum(data[32:])
			copy(data[12:32], s[:])
			binary.LittleEndian.PutUint32(data[8:], adler32.Checksum(data[12:]))
		}
		return data
	}, nil)
}

// TestTrackersMatchExodus: --trackers with Exodus's real ETIP list. With
// --trackers-match exodus, Umeng Analytics is found by code in a class
// outside Umeng's packages, as an Exodus report lists it (Exodus's
// find_trackers: re.search of the code signature over every class name);
// by default, code signatures match on package boundaries and that class
// is no Umeng code (the host alog.umeng.com still names Umeng by network).
// On the unchanged demo both modes find Umeng's MobclickAgent by code (by
// default under appxray's own Umeng entry, which takes the class).
func TestTrackersMatchExodus(t *testing.T) {
	etip := filepath.Join(corpus.Root(), "knowledge", "testdata", "exodus-trackers.json")
	decoy := exodusDecoy(t)
	type tracker struct {
		Name          string   `json:"name"`
		Classes       int      `json:"classes"`
		Signatures    []string `json:"code_signatures_matched"`
		SampleClasses []string `json:"sample_classes"`
	}
	umeng := func(t *testing.T, path string, extra ...string) tracker {
		t.Helper()
		args := append([]string{"scan", path, "--format", "json", "--trackers", etip}, extra...)
		code, out, errs := runCLI(args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var doc struct {
			Trackers []tracker `json:"trackers"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		// Every entry naming Umeng (Exodus's, and appxray's own table's
		// beside it), their code matches together.
		var all tracker
		for _, tr := range doc.Trackers {
			if strings.Contains(tr.Name, "Umeng") {
				all.Name += tr.Name + ";"
				all.Classes += tr.Classes
				all.Signatures = append(all.Signatures, tr.Signatures...)
				all.SampleClasses = append(all.SampleClasses, tr.SampleClasses...)
			}
		}
		return all
	}
	for _, tc := range []struct {
		name    string
		path    string
		extra   []string
		classes bool
	}{
		{"decoy, exodus", decoy, []string{"--trackers-match", "exodus"}, true},
		{"decoy, default", decoy, nil, false},
		{"decoy, appxray", decoy, []string{"--trackers-match", "appxray"}, false},
		{"demo, exodus", testapp.DemoPath(), []string{"--trackers-match", "exodus"}, true},
		{"demo, default", testapp.DemoPath(), nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := umeng(t, tc.path, tc.extra...)
			if !tc.classes {
				if tr.Classes != 0 || len(tr.Signatures) != 0 || len(tr.SampleClasses) != 0 {
					t.Errorf("Umeng matched by code: %+v", tr)
				}
				return
			}
			if tr.Classes != 1 || len(tr.Signatures) != 1 || !strings.HasPrefix(tr.Signatures[0], "com.umeng") {
				t.Errorf("Umeng = %+v, want one class by a com.umeng signature", tr)
			}
		})
	}
}
