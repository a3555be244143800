package batch

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"appxray/gate"
	"appxray/internal/schematest"
	"appxray/internal/testapp"
)

func readRows(t *testing.T, dir string) []Row {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, indexJSONL))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []Row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("index.jsonl line %d: %v", len(rows)+1, err)
		}
		rows = append(rows, r)
	}
	// index.csv says the same, with a header.
	cf, err := os.Open(filepath.Join(dir, indexCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	recs, err := csv.NewReader(cf).ReadAll()
	if err != nil {
		t.Fatalf("index.csv: %v", err)
	}
	if len(recs) != len(rows)+1 || strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("index.csv has %d records for %d rows; header %v", len(recs), len(rows), recs[0])
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, r := range rows {
		rec := recs[i+1]
		if rec[0] != r.File || rec[1] != r.SHA256 || rec[2] != r.Status || rec[col["sends_to"]] != strings.Join(r.SendsTo, ";") || rec[col["hidden"]] != strings.Join(r.Hidden, ";") {
			t.Errorf("csv row %d %v disagrees with jsonl %+v", i, rec, r)
		}
		if r.SendsTo == nil || r.Hidden == nil || r.Packers == nil {
			t.Errorf("row %d has a null list: %+v", i, r)
		}
	}
	return rows
}

func byFile(rows []Row) map[string]Row {
	m := map[string]Row{}
	for _, r := range rows {
		m[filepath.Base(r.File)] = r
	}
	return m
}

// TestBatch: a directory holding the demo app (twice, under two names), a
// bad APK and a file that is no app; then the same run again, which skips.
func TestBatch(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	demo, err := os.ReadFile(testapp.DemoPath())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "demo.apk"), demo, 0o644)
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	os.WriteFile(filepath.Join(in, "sub", "renamed.bin"), demo, 0o644)        // an app by content, whatever its name
	os.WriteFile(filepath.Join(in, "broken.apk"), demo[:2000], 0o644)         // a ZIP cut short
	os.WriteFile(filepath.Join(in, "notes.txt"), []byte("not an app"), 0o644) // not walked
	g, _ := gate.Parse("special")
	var progress strings.Builder
	sum, err := Run(context.Background(), Options{Out: out, Jobs: 2, Gate: g, Progress: &progress}, []string{in, filepath.Join(in, "missing.apk")})
	if err != nil {
		t.Fatal(err)
	}
	// The renamed copy has the demo's content: it is scanned once.
	if sum.Files != 4 || sum.Scanned != 1 || sum.Failed != 2 || sum.Skipped != 1 || sum.Matched != 2 || sum.Interrupted {
		t.Errorf("summary %+v", sum)
	}
	rows := byFile(readRows(t, out))
	if len(rows) != 4 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	d := rows["demo.apk"]
	if d.Status != StatusScanned || d.Package != "org.appxray.demo.ijop" || d.Person == 0 || d.Device == 0 ||
		strings.Join(d.Special, ",") != "person.religion,person.ethnicity,person.criminal" || len(d.Trackers) != 1 || len(d.FailOn) != 1 {
		t.Errorf("demo row %+v", d)
	}
	// Where the demo's data goes: its upload server and the SDK it hands
	// the IMEI to (the SMS backup file stays on the phone); nothing hidden.
	if strings.Join(d.SendsTo, ";") != "collect.ijop-demo.invalid;Umeng Analytics (友盟统计)" || len(d.Hidden) != 0 || len(d.Packers) != 0 {
		t.Errorf("demo row sends to %q, hidden %q, packers %q", d.SendsTo, d.Hidden, d.Packers)
	}
	if r := rows["renamed.bin"]; r.SHA256 != d.SHA256 || r.Status != StatusSkipped || r.Report != d.Report || r.Person != d.Person || len(r.FailOn) != 1 {
		t.Errorf("renamed copy %+v", r)
	}
	if r := rows["broken.apk"]; r.Status != StatusError || !strings.Contains(r.Error, "broken.apk") || r.SHA256 == "" {
		t.Errorf("broken row %+v", r)
	}
	if r := rows["missing.apk"]; r.Status != StatusError || !strings.Contains(r.Error, "no such file") {
		t.Errorf("missing row %+v", r)
	}
	rep, err := os.ReadFile(filepath.Join(out, d.SHA256+".json"))
	if err != nil {
		t.Fatal(err)
	}
	schematest.Report(t, "batch report", rep)
	if !strings.Contains(progress.String(), "[4/4]") || !strings.Contains(progress.String(), "broken.apk: error") {
		t.Errorf("progress lines:\n%s", progress.String())
	}

	// Again: both copies of the demo are skipped, the bad files tried again.
	sum, err = Run(context.Background(), Options{Out: out, Jobs: 1}, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped != 2 || sum.Scanned != 0 || sum.Failed != 1 {
		t.Errorf("second run %+v", sum)
	}
	rows2 := readRows(t, out)
	if len(rows2) != 4 { // missing.apk from the first run stays, once
		t.Errorf("second run index has %d rows", len(rows2))
	}
	if r := byFile(rows2)["demo.apk"]; r.Status != StatusSkipped || r.Package != "org.appxray.demo.ijop" || r.Person != d.Person {
		t.Errorf("skipped row %+v", r)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestBatchInterrupted cancels a run part way: the index on disk lists
// exactly the files that finished, each with its report, and a rerun
// skips them and does the rest.
func TestBatchInterrupted(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	demo, _ := os.ReadFile(testapp.DemoPath())
	const n = 12
	for i := range n {
		// Distinct files (a byte appended after the ZIP's end is a comment
		// Android ignores, or an anomaly), so that none is skipped.
		b := append(append([]byte(nil), demo...), byte(i))
		os.WriteFile(filepath.Join(in, "app"+string(rune('a'+i))+".apk"), b, 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done atomic.Int32
	w := writerFunc(func(p []byte) (int, error) {
		if strings.Contains(string(p), "scanned") && done.Add(1) == 3 {
			cancel()
		}
		return len(p), nil
	})
	sum, err := Run(ctx, Options{Out: out, Jobs: 2, Progress: w}, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || sum.Scanned < 3 || sum.Scanned >= n {
		t.Fatalf("interrupted run %+v", sum)
	}
	rows := readRows(t, out)
	if len(rows) != sum.Scanned {
		t.Errorf("%d rows for %d files scanned", len(rows), sum.Scanned)
	}
	for _, r := range rows {
		if _, err := os.Stat(filepath.Join(out, r.Report)); err != nil {
			t.Errorf("row %s: report %v", r.File, err)
		}
	}
	sum2, err := Run(context.Background(), Options{Out: out, Jobs: 2}, []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Skipped != sum.Scanned || sum2.Scanned != n-sum.Scanned {
		t.Errorf("rerun %+v after %+v", sum2, sum)
	}
	if rows := readRows(t, out); len(rows) != n {
		t.Errorf("after the rerun %d rows, want %d", len(rows), n)
	}
}

// TestReadIndexTornLine: a crash mid-line leaves a last line that is not
// JSON; it is dropped, and any other bad line is an error.
func TestReadIndexTornLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, indexJSONL)
	os.WriteFile(p, []byte(`{"file":"a","sha256":"1","status":"scanned"}`+"\n"+`{"file":"b","sha`), 0o644)
	rows, err := readIndex(p)
	if err != nil || len(rows) != 1 || rows[0].File != "a" {
		t.Errorf("torn: %v %+v", err, rows)
	}
	os.WriteFile(p, []byte("garbage\n"+`{"file":"a"}`+"\n"), 0o644)
	if _, err := readIndex(p); err == nil {
		t.Error("a bad line in the middle is accepted")
	}
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestProgressBar: on a terminal the batch draws a bar with files done and
// apps per minute instead of a line per file.
func TestProgressBar(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	demo, _ := os.ReadFile(testapp.DemoPath())
	for i := range 3 {
		os.WriteFile(filepath.Join(in, string(rune('a'+i))+".apk"), append(append([]byte(nil), demo...), byte(i)), 0o644)
	}
	var bar strings.Builder
	if _, err := Run(context.Background(), Options{Out: out, Jobs: 1, Progress: &bar, Terminal: true}, []string{in}); err != nil {
		t.Fatal(err)
	}
	s := bar.String()
	if !strings.Contains(s, "3/3") || !strings.Contains(s, "apps/min") || strings.Contains(s, "[1/3]") {
		t.Errorf("progress on a terminal:\n%q", s)
	}
	// The line is redrawn in place, starts empty and ends full, on a line
	// of its own.
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\r")
	first, last := lines[1], lines[len(lines)-1]
	if !strings.HasPrefix(first, "scanning   0% ["+strings.Repeat(" ", barWidth)+"] 0/3") ||
		!strings.HasPrefix(last, "scanning 100% ["+strings.Repeat("=", barWidth)+"] 3/3") ||
		!strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 {
		t.Errorf("progress on a terminal: first %q, last %q", first, last)
	}
}

// Files of the same content are scanned once, however the workers race,
// and the report is named after the first of them in the run's order.
func TestSameContentOnce(t *testing.T) {
	in := t.TempDir()
	demo, err := os.ReadFile(testapp.DemoPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.apk", "b.apk", "c.apk"} {
		if err := os.WriteFile(filepath.Join(in, n), demo, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	alone := t.TempDir()
	if _, err := Run(context.Background(), Options{Out: alone, Jobs: 1}, []string{filepath.Join(in, "a.apk")}); err != nil {
		t.Fatal(err)
	}
	want := byFile(readRows(t, alone))["a.apk"]
	wantReport, err := os.ReadFile(filepath.Join(alone, want.Report))
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		out := t.TempDir()
		sum, err := Run(context.Background(), Options{Out: out, Jobs: 3}, []string{in})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Scanned != 1 || sum.Skipped != 2 || sum.Failed != 0 {
			t.Fatalf("round %d: %+v", round, sum)
		}
		rows := byFile(readRows(t, out))
		for _, n := range []string{"a.apk", "b.apk", "c.apk"} {
			status := StatusSkipped
			if n == "a.apk" {
				status = StatusScanned
			}
			if r := rows[n]; r.Status != status || r.Report != want.Report || r.Package != want.Package || r.Person != want.Person {
				t.Errorf("round %d: %s: %+v", round, n, r)
			}
		}
		got, err := os.ReadFile(filepath.Join(out, want.Report))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(wantReport) {
			t.Errorf("round %d: the report differs from a.apk's scanned alone", round)
		}
	}
}
