package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"appxray/app"
	"appxray/detect"
	"appxray/internal/corpus"
	"appxray/knowledge"
	"appxray/scan"
)

type bar struct {
	FormsPrecision  float64 `json:"forms_precision"`
	FormsRecall     float64 `json:"forms_recall"`
	PersonPrecision float64 `json:"person_precision"`
	DevicePrecision float64 `json:"device_precision"`
	DeviceRecall    float64 `json:"device_recall"`
	FalseSpecial    int     `json:"false_special"`
}

func loadBar(t *testing.T) (target, floor bar) {
	var doc struct {
		Comment string `json:"comment"`
		Target  bar    `json:"target"`
		Floor   bar    `json:"floor"`
	}
	b, err := os.ReadFile("bar.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Target, doc.Floor
}

// corpusDev is the development corpus of real malware beside the
// repository (parse only: never run anything from it).
func corpusDev() string { return filepath.Join(corpus.Root(), "..", "shared", "corpus-dev") }

// resolve finds a label's app file, or "" when it is not on this machine.
func resolve(app string) string {
	kind, rest, _ := strings.Cut(app, ":")
	var p string
	switch kind {
	case "corpus-dev":
		p = filepath.Join(corpusDev(), rest)
	case "corpus":
		p = rest
		if !filepath.IsAbs(p) {
			p = filepath.Join(corpus.Root(), ".corpus", rest)
		}
	case "testapp":
		p = filepath.Join(corpus.Root(), ".corpus", "testapps", rest+".apk")
	}
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func scanFile(t testing.TB, path string) *scan.Report {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return nil
	}
	defer a.Close()
	r, err := detect.Scan(ctx, a, nil)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return nil
	}
	return r
}

func TestLabelsLoad(t *testing.T) {
	labels, err := LoadLabels("labels")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d label files", len(labels))
}

// TestLabelledSet prints precision and recall per channel and language on
// the labelled development set, and fails below the floor in bar.json.
//
//	go test ./internal/eval -run LabelledSet -v
func TestLabelledSet(t *testing.T) {
	labels, err := LoadLabels("labels")
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) == 0 {
		t.Fatal("no labels")
	}
	s := NewScores()
	for _, l := range labels {
		path := resolve(l.App)
		if path == "" {
			corpus.Missing(t, "needs %s for label %s", l.App, l.file)
		}
		r := scanFile(t, path)
		if r == nil {
			continue
		}
		if r.File.SHA256 != l.SHA256 {
			t.Errorf("%s: %s has sha256 %s, the label says %s", l.file, path, r.File.SHA256, l.SHA256)
			continue
		}
		s.Add(l, r)
	}
	var out bytes.Buffer
	s.Write(&out)
	t.Log("\n" + out.String())

	target, floor := loadBar(t)
	check := func(name string, got, floorV, targetV float64) {
		switch {
		case got < floorV:
			t.Errorf("%s %.1f%% fell below the floor %.1f%%", name, 100*got, 100*floorV)
		case got < targetV:
			t.Logf("%s %.1f%%: above the floor %.1f%%, below the target %.1f%%", name, 100*got, 100*floorV, 100*targetV)
		}
	}
	check("forms precision", s.Forms.Precision(), floor.FormsPrecision, target.FormsPrecision)
	check("forms recall", s.Forms.Recall(), floor.FormsRecall, target.FormsRecall)
	for ch, c := range s.Person {
		check("person precision, "+ch, c.Precision(), floor.PersonPrecision, target.PersonPrecision)
	}
	for ch, c := range s.Device {
		check("device precision, "+ch, c.Precision(), floor.DevicePrecision, target.DevicePrecision)
	}
	if c := s.Device["all"]; c != nil {
		check("device recall", c.Recall(), floor.DeviceRecall, target.DeviceRecall)
	}
}

// TestNoFalseSpecialClaims scans every real app on the machine (the corpus
// and the development corpus): a special category claimed where the label
// does not list it, or in an app with no label, is false.
func TestNoFalseSpecialClaims(t *testing.T) {
	labels, err := LoadLabels("labels")
	if err != nil {
		t.Fatal(err)
	}
	bySHA := map[string]*Label{}
	for _, l := range labels {
		bySHA[l.SHA256] = l
	}
	var files []string
	for _, f := range corpus.Files(t) {
		if !strings.Contains(f, "/.corpus/testapps/") {
			files = append(files, f)
		}
	}
	if _, err := os.Stat(corpusDev()); err != nil {
		corpus.Missing(t, "needs the development corpus %s", corpusDev())
	} else {
		filepath.WalkDir(corpusDev(), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".apk") || strings.HasSuffix(p, ".dex")) {
				files = append(files, p)
			}
			return nil
		})
	}
	var (
		mu     sync.Mutex
		claims int
		falses []string
		wg     sync.WaitGroup
		next   = make(chan string)
	)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				ctx := context.Background()
				a, err := app.Open(ctx, p, app.DefaultOptions())
				if err != nil {
					continue // not an app appxray opens; the parity tests name these
				}
				r, err := detect.Scan(ctx, a, nil)
				a.Close()
				if err != nil {
					t.Errorf("%s: %v", p, err)
					continue
				}
				l := bySHA[r.File.SHA256]
				mu.Lock()
				for _, f := range r.Findings {
					if !f.Special || !claim(f) {
						continue
					}
					claims++
					if l == nil || !contains(l.Special, f.Category) {
						falses = append(falses, corpus.Name(p)+": "+string(f.Category)+": "+f.Title)
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	for _, f := range falses {
		t.Logf("false special claim: %s", f)
	}
	_, floor := loadBar(t)
	t.Logf("special-category claims on %d real apps: %d, of which %d false (floor %d, target 0)", len(files), claims, len(falses), floor.FalseSpecial)
	if len(falses) > floor.FalseSpecial {
		t.Errorf("%d false special-category claims, more than the floor of %d", len(falses), floor.FalseSpecial)
	}
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestScoring(t *testing.T) {
	l := &Label{App: "corpus:x", file: "x.json", Lang: "en", FormsLabelled: true, CapabilitiesLabelled: true,
		Fields: []FieldLabel{
			{Where: "res/layout/a.xml EditText @id/name", Categories: []knowledge.Category{knowledge.PersonName}},
			{Where: "res/layout/a.xml EditText @id/card", Categories: []knowledge.Category{knowledge.PersonFinance}},
			{Where: "res/layout/a.xml EditText @id/search", Categories: nil},
		},
		Capabilities: []knowledge.Category{knowledge.DeviceSMS, knowledge.BehaviourSMSSend},
	}
	field := func(where string, cats ...knowledge.Category) scan.Field {
		return scan.Field{Categories: cats, Evidence: scan.Evidence{Location: where}}
	}
	finding := func(an string, c knowledge.Category, sdk string, lvl scan.Level) scan.Finding {
		return scan.Finding{Analyzer: an, Category: c, SDK: sdk, Special: c.Special(), Confidence: scan.Confidence{Level: lvl}}
	}
	r := &scan.Report{
		Fields: []scan.Field{
			field("res/layout-v17/a.xml EditText @id/name", knowledge.PersonName), // a copy: the same field
			field("res/layout/a.xml EditText @id/card", knowledge.PersonPhoneNumber),
			field("res/layout/a.xml EditText @id/search"),
		},
		Findings: []scan.Finding{
			finding("forms", knowledge.PersonName, "", scan.LevelHigh),
			finding("forms", knowledge.PersonPhoneNumber, "", scan.LevelMedium),
			finding("forms", knowledge.PersonReligion, "", scan.LevelMedium),
			finding("code-apis", knowledge.DeviceSMS, "", scan.LevelMedium),
			finding("code-apis", knowledge.DeviceLocation, "", scan.LevelLow),       // not a claim
			finding("code-apis", knowledge.DeviceContacts, "Umeng", scan.LevelHigh), // SDK code
			finding("manifest", knowledge.DeviceCamera, "", scan.LevelMedium),
		},
	}
	s := NewScores()
	s.Add(l, r)
	if s.Forms != (Count{TP: 1, FP: 1, FN: 1}) {
		t.Errorf("forms %+v", s.Forms)
	}
	if *s.Person["all"] != (Count{TP: 1, FP: 2}) {
		t.Errorf("person %+v", *s.Person["all"])
	}
	if s.Special != (Count{FP: 1}) {
		t.Errorf("special %+v", s.Special)
	}
	if *s.Device["all"] != (Count{TP: 1, FP: 1, FN: 1}) || *s.Device["manifest"] != (Count{FP: 1}) || *s.Device["code-apis"] != (Count{TP: 1}) {
		t.Errorf("device %+v %+v %+v", *s.Device["all"], s.Device["manifest"], s.Device["code-apis"])
	}
	var out bytes.Buffer
	s.Write(&out)
	for _, want := range []string{"false   forms", "missed  device", "person/forms", "special-category claims"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
