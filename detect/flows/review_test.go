package flows

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"appxray/analysis"
	"appxray/app"
	"appxray/internal/corpus"
	"appxray/scan"
)

var dumpDir = flag.String("review.dump", "", "write the flows of every corpus and corpus-dev app to DIR, one file per app, for review")

// corpusDev is the development corpus of real malware (parse only).
func corpusDev() string { return filepath.Join(corpus.Root(), "..", "shared", "corpus-dev") }

// reviewApps lists the apps the review may name: corpus-dev files by
// their path there ("corpus-dev:xHelper/….apk"), corpus files by theirs
// ("corpus:/usr/share/…").
func reviewApps(t *testing.T) []string {
	var out []string
	root := corpusDev()
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".apk") || strings.HasSuffix(p, ".dex")) {
			rel, _ := filepath.Rel(root, p)
			out = append(out, "corpus-dev:"+rel)
		}
		return nil
	})
	if corpus.Present() {
		for _, f := range corpus.Files(t) {
			out = append(out, "corpus:"+f)
		}
	}
	sort.Strings(out)
	return out
}

// appPath resolves a review app name to its file.
func appPath(name string) string {
	if rel, ok := strings.CutPrefix(name, "corpus-dev:"); ok {
		return filepath.Join(corpusDev(), rel)
	}
	p, _ := strings.CutPrefix(name, "corpus:")
	if !filepath.IsAbs(p) {
		p = filepath.Join(corpus.Root(), p)
	}
	return p
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// claim is what a flow claims, the key the review matches flows by: the
// source (category, API or field) and the sink (kind, destination, SDK).
func claim(f scan.Flow) string {
	src := string(f.Source.Category) + " " + f.Source.API
	if f.Source.Field != "" {
		src = string(f.Source.Category) + " field " + f.Source.Field
	}
	dst := f.Sink.Kind + " " + f.Sink.Destination
	if f.Sink.SDK != "" && f.Sink.SDK != f.Sink.Destination {
		dst += " sdk " + f.Sink.SDK
	}
	return strings.TrimSpace(src) + " -> " + strings.TrimSpace(dst)
}

func analyseFlows(t *testing.T, path string) []scan.Flow {
	t.Helper()
	res := runAll(t, path)
	if res == nil {
		return nil
	}
	r, ok := analysis.Get[*Result](res, Analyzer)
	if !ok {
		t.Fatalf("%s: no flows result", path)
	}
	return r.Flows
}

// TestReviewDump writes, with -review.dump DIR, every flow of every corpus
// and corpus-dev app in the form reviewed by hand (the claim, the level,
// the path with hexadecimal offsets as dexdump -d prints them).
func TestReviewDump(t *testing.T) {
	if *dumpDir == "" {
		t.Skip("only with -review.dump DIR")
	}
	if err := os.MkdirAll(*dumpDir, 0o755); err != nil {
		t.Fatal(err)
	}
	idx, err := os.Create(filepath.Join(*dumpDir, "index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	w := bufio.NewWriter(idx)
	defer w.Flush()
	for _, name := range reviewApps(t) {
		p := appPath(name)
		sum, err := fileSHA256(p)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		fl := analyseFlows(t, p)
		fmt.Fprintf(w, "%s\t%s\t%d\n", sum, name, len(fl))
		if len(fl) == 0 {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# %s %s\n", name, sum)
		for _, f := range fl {
			fmt.Fprintf(&b, "\n== %s\n%s\n", claim(f), render(f))
		}
		if err := os.WriteFile(filepath.Join(*dumpDir, sum[:16]+".txt"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// review is testdata/review.json: flows on real apps checked by hand
// against dexdump -d (and aapt for resources).
type review struct {
	Comment string        `json:"comment"`
	Flows   []reviewEntry `json:"flows"`
}

type reviewEntry struct {
	App    string `json:"app"`    // "corpus-dev:…" or "corpus:…"
	SHA256 string `json:"sha256"` // of the file
	Claim  string `json:"claim"`  // claim(flow)
	// SinkAt is the method and offset of the call that sends
	// ("Lc;->m()V @0x1f"): with the claim, what identifies the flow.
	SinkAt string `json:"sink_at"`
	// Level and Path are the flow as reviewed (the level, the render's
	// path lines).
	Level string   `json:"level"`
	Path  []string `json:"path"`
	// Round is the analysis the flow was reviewed on: "before" (the first
	// version, 03fe101/8633da8) or "after" (with the fixes).
	Round   string `json:"round"`
	Verdict string `json:"verdict"` // "right" or "wrong"
	Why     string `json:"why"`
	// Lost explains a right flow the fixes no longer report (a miss);
	// Open a wrong flow still reported.
	Lost string `json:"lost,omitempty"`
	Open string `json:"open,omitempty"`
}

func loadReview(t *testing.T) review {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "review.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r review
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("testdata/review.json: %v", err)
	}
	for i, e := range r.Flows {
		bad := func(msg string) { t.Errorf("review.json flow %d (%s %s): %s", i, e.App, e.Claim, msg) }
		switch {
		case !strings.HasPrefix(e.App, "corpus-dev:") && !strings.HasPrefix(e.App, "corpus:"):
			bad("app is neither corpus-dev: nor corpus:")
		case len(e.SHA256) != 64:
			bad("sha256 is not 64 hex digits")
		case e.Verdict != "right" && e.Verdict != "wrong":
			bad("verdict is neither right nor wrong")
		case e.Round != "before" && e.Round != "after":
			bad("round is neither before nor after")
		case e.Why == "":
			bad("no reason")
		case !strings.Contains(e.Claim, " -> ") || !strings.Contains(e.SinkAt, " @0x") || len(e.Path) == 0:
			bad("claim, sink_at or path malformed")
		case e.Lost != "" && e.Verdict != "right", e.Open != "" && e.Verdict != "wrong":
			bad("lost is for right flows, open for wrong ones")
		}
	}
	return r
}

// flowSinkAt is where a flow's value is sent: the last step's method and
// offset, as review.json names it.
func flowSinkAt(f scan.Flow) string {
	if len(f.Path) == 0 {
		return ""
	}
	s := f.Path[len(f.Path)-1]
	return fmt.Sprintf("%s @%#x", s.Location[strings.IndexByte(s.Location, ' ')+1:], s.PC)
}

// reported reports whether the analysis still reports a reviewed flow:
// the same source, the same kind of sink reached at the same call, and
// the same destination (or one named now where the reviewed flow named
// none).
func reported(e reviewEntry, flows []scan.Flow) bool {
	src, dst, _ := strings.Cut(e.Claim, " -> ")
	kind, dest, _ := strings.Cut(dst, " ")
	for _, f := range flows {
		fsrc, fdst, _ := strings.Cut(claim(f), " -> ")
		fkind, fdest, _ := strings.Cut(fdst, " ")
		if fsrc == src && fkind == kind && (fdest == dest || dest == "") && flowSinkAt(f) == e.SinkAt {
			return true
		}
	}
	return false
}

// TestReview prints the tally of the flows reviewed by hand (go test -v:
// right and wrong when reviewed, and which are reported now, by sink) and
// checks the review against the analysis as it is: every wrong flow of
// the first version is gone, every right flow is still reported unless
// review.json says why it was lost, and no wrong flow is reported unless
// review.json says it is still open.
func TestReview(t *testing.T) {
	r := loadReview(t)
	if _, err := os.Stat(corpusDev()); err != nil {
		corpus.Missing(t, "needs ../shared/corpus-dev for the reviewed flows")
	}
	byApp := map[string][]int{}
	var apps []string
	for i, e := range r.Flows {
		if _, ok := byApp[e.App]; !ok {
			apps = append(apps, e.App)
		}
		byApp[e.App] = append(byApp[e.App], i)
	}
	sort.Strings(apps)
	now := make([]bool, len(r.Flows))
	for _, name := range apps {
		p := appPath(name)
		sum, err := fileSHA256(p)
		if err != nil {
			corpus.Missing(t, "needs %s: %v", name, err)
		}
		if sum != r.Flows[byApp[name][0]].SHA256 {
			t.Errorf("%s: sha256 %s, review.json names %s", name, sum, r.Flows[byApp[name][0]].SHA256)
			continue
		}
		fl := analyseFlows(t, p)
		for _, i := range byApp[name] {
			now[i] = reported(r.Flows[i], fl)
		}
	}
	type count struct{ right, total, nowRight, nowTotal int }
	tally := map[string]*count{}
	add := func(k string, e reviewEntry, rep bool) {
		c := tally[k]
		if c == nil {
			c = &count{}
			tally[k] = c
		}
		c.total++
		if e.Verdict == "right" {
			c.right++
		}
		if rep {
			c.nowTotal++
			if e.Verdict == "right" {
				c.nowRight++
			}
		}
	}
	for i, e := range r.Flows {
		kind, _, _ := strings.Cut(strings.SplitN(e.Claim, " -> ", 2)[1], " ")
		add("round "+e.Round, e, now[i])
		add("sink "+kind, e, now[i])
		add("all", e, now[i])
		switch {
		case e.Verdict == "wrong" && e.Round == "before" && now[i] && e.Open == "":
			t.Errorf("a wrong flow of the first version is reported again: %s %s\n  %s", e.App, e.Claim, e.Why)
		case e.Verdict == "wrong" && now[i] && e.Open == "":
			t.Errorf("a wrong flow is reported: %s %s\n  %s", e.App, e.Claim, e.Why)
		case e.Verdict == "wrong" && !now[i] && e.Open != "":
			t.Errorf("a flow review.json says is still open is gone (remove open): %s %s", e.App, e.Claim)
		case e.Verdict == "right" && !now[i] && e.Lost == "":
			t.Errorf("a right flow is no longer reported: %s %s at %s", e.App, e.Claim, e.SinkAt)
		case e.Verdict == "right" && now[i] && e.Lost != "":
			t.Errorf("a flow review.json says was lost is reported again (remove lost): %s %s", e.App, e.Claim)
		}
	}
	keys := make([]string, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%-14s %22s %26s", "", "right when reviewed", "reported now: right/all")
	for _, k := range keys {
		c := tally[k]
		t.Logf("%-14s %10d/%-3d %5.1f%% %14d/%-3d %5.1f%%", k, c.right, c.total, pct(c.right, c.total), c.nowRight, c.nowTotal, pct(c.nowRight, c.nowTotal))
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// runAll runs the analysis on an app; nil for a file that does not open
// as an app (the corpus has a few on purpose).
func runAll(t *testing.T, path string) *analysis.Result {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		return nil
	}
	defer a.Close()
	res, err := analysis.Run(ctx, a, nil, []*analysis.Analyzer{Analyzer})
	if err != nil {
		t.Errorf("analysing %s: %v", path, err)
		return nil
	}
	for _, e := range res.Errors {
		t.Errorf("analyzer error on %s: %v", path, e)
	}
	return res
}

// TestSameFlowsEveryRun analyses real apps whose many sources and bounded
// summaries once made the result depend on Go's map order (AndStatus gave
// 8 or 9 flows from run to run) several times over and wants the same
// flows, paths and all, every time.
func TestSameFlowsEveryRun(t *testing.T) {
	apps := []string{
		"corpus:/usr/share/doc/androguard/examples/tests/fdroid/org.andstatus.app_254.dex",
		"corpus-dev:PJAPPS/6404919B7BBA0661249974CFAA6D212F.apk",
	}
	for _, name := range apps {
		p := appPath(name)
		if _, err := os.Stat(p); err != nil {
			corpus.Missing(t, "needs %s: %v", name, err)
		}
		var first []string
		for run := range 4 {
			var got []string
			for _, f := range analyseFlows(t, p) {
				b, err := json.Marshal(f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(b))
			}
			if run == 0 {
				if len(got) == 0 {
					t.Fatalf("%s: no flows", name)
				}
				first = got
				continue
			}
			for i := range max(len(got), len(first)) {
				if i >= len(got) || i >= len(first) || got[i] != first[i] {
					t.Fatalf("%s: run %d found %d flows, run 0 %d; they differ from flow %d on", name, run, len(got), len(first), i)
				}
			}
		}
	}
}
