// Package batch scans many app files with a few workers and writes one JSON
// report per app, named by the file's SHA-256, and an index of them all
// (index.jsonl and index.csv). A file already reported by this version of
// appxray is skipped; a file that cannot be read is recorded, not fatal; an
// interrupted run leaves an index of what finished.
package batch

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect"
	"appxray/gate"
	"appxray/knowledge"
	"appxray/report"
	"appxray/scan"
)

// Options configure a batch run.
type Options struct {
	Out string // the directory reports and index go to
	// Jobs is the number of apps scanned at once, each on one goroutine
	// (app.Options.Workers and analysis.Config.Workers 1): the batch's
	// parallelism is across apps, where it costs nothing, rather than
	// inside each scan. 0 means the number of CPUs.
	Jobs   int
	Config *analysis.Config // detector configuration (trackers); its Workers is set to 1
	Gate   *gate.Gate       // --fail-on; nil for none
	// HeapFloor, when positive, lets the heap grow to this many bytes
	// before the collector runs while every app being scanned is small,
	// instead of collecting after every few MB of work: most apps leave
	// almost nothing live, and at Go's usual pace a corpus of them spends a
	// tenth of its CPU collecting. While an app of LargeApp bytes or more is
	// being scanned, the usual pace (GOGC, whose heap follows what is live)
	// is back. Run sets the process's collector (runtime/debug) for its
	// duration and restores it after; set it only when the process owns its
	// collector settings (the command does when GOGC and GOMEMLIMIT are unset).
	HeapFloor int64
	LargeApp  int64 // 0 means DefaultLargeApp
	// Progress receives progress: a bar when Terminal, else one line per file.
	Progress io.Writer
	Terminal bool
}

// Status of a file in the index.
const (
	StatusScanned = "scanned"
	StatusSkipped = "skipped"
	StatusError   = "error"
)

// Row is one file in the index.
type Row struct {
	File        string   `json:"file"`
	SHA256      string   `json:"sha256"`
	Status      string   `json:"status"`
	Report      string   `json:"report,omitempty"` // file name under Out
	Tool        string   `json:"tool_version"`
	Package     string   `json:"package"`
	VersionName string   `json:"version_name"`
	VersionCode int64    `json:"version_code"`
	Label       string   `json:"label"`
	Person      int      `json:"person"`
	Device      int      `json:"device"`
	Behaviour   int      `json:"behaviour"`
	Special     []string `json:"special"`
	Trackers    []string `json:"trackers"`
	// SendsTo names the places data leaves the phone to (sure flows), Hidden
	// the apps and code hidden inside the app's files, Packers the packers
	// and protectors that encrypt its real code.
	SendsTo []string `json:"sends_to"`
	Hidden  []string `json:"hidden"`
	Packers []string `json:"packers"`
	FailOn  []string `json:"fail_on,omitempty"`
	Error   string   `json:"error,omitempty"`
}

var csvHeader = []string{"file", "sha256", "status", "report", "tool_version", "package", "version_name", "version_code", "label",
	"person", "device", "behaviour", "special", "trackers", "fail_on", "error", "sends_to", "hidden", "packers"}

func (r Row) csv() []string {
	return []string{r.File, r.SHA256, r.Status, r.Report, r.Tool, r.Package, r.VersionName, strconv.FormatInt(r.VersionCode, 10), r.Label,
		strconv.Itoa(r.Person), strconv.Itoa(r.Device), strconv.Itoa(r.Behaviour),
		strings.Join(r.Special, ";"), strings.Join(r.Trackers, ";"), strings.Join(r.FailOn, ";"), r.Error,
		strings.Join(r.SendsTo, ";"), strings.Join(r.Hidden, ";"), strings.Join(r.Packers, ";")}
}

// Summary is what a run did.
type Summary struct {
	Files       int // files found
	Scanned     int
	Skipped     int
	Failed      int // could not be read
	Matched     int // matched --fail-on (scanned or skipped)
	Interrupted bool
	Elapsed     time.Duration
}

const (
	indexJSONL = "index.jsonl"
	indexCSV   = "index.csv"
)

// Run scans every app file named by inputs (files, or directories walked
// for files that are apps by their content) into opt.Out. It returns when
// every file is done or ctx is cancelled; either way the index on disk is
// valid and lists every file finished. Only a failure to write the output
// directory is an error.
func Run(ctx context.Context, opt Options, inputs []string) (*Summary, error) {
	start := time.Now()
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.NumCPU()
	}
	if opt.Progress == nil {
		opt.Progress = io.Discard
	}
	cfg := analysis.Config{}
	if opt.Config != nil {
		cfg = *opt.Config
	}
	cfg.Workers = 1
	opt.Config = &cfg
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	files, walkErrs := Walk(inputs)
	sizes := largestFirst(files)
	pace := newGCPace(opt.HeapFloor, opt.LargeApp)
	defer pace.stop()
	prev, err := readIndex(filepath.Join(opt.Out, indexJSONL))
	if err != nil {
		return nil, err
	}
	idx, err := openIndex(opt.Out, prev)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Files: len(files) + len(walkErrs)}
	prog := newProgress(opt, sum.Files)
	record := func(r Row) error {
		switch r.Status {
		case StatusScanned:
			sum.Scanned++
		case StatusSkipped:
			sum.Skipped++
		default:
			sum.Failed++
		}
		if len(r.FailOn) > 0 {
			sum.Matched++
		}
		prog.done(r)
		return idx.add(r)
	}
	var werr error
	for _, r := range walkErrs {
		if err := record(r); err != nil && werr == nil {
			werr = err
		}
	}

	// Skips are decided by SHA-256 and tool version, from the rows already
	// in the index whose report is still there.
	known := map[string]Row{}
	for _, r := range prev {
		if r.Status != StatusError && r.Tool == detect.Version && r.Report != "" {
			if _, err := os.Stat(filepath.Join(opt.Out, r.Report)); err == nil {
				known[r.SHA256] = r
			}
		}
	}

	// Files of the same content are scanned once: the first to be opened
	// claims the content, the others wait for its report.
	pos := make(map[string]int, len(files))
	for i, f := range files {
		pos[f] = i
	}
	cl := &claims{pos: pos, by: map[string]*claim{}}
	jobs := make(chan string)
	rows := make(chan Row)
	var wg sync.WaitGroup
	for range opt.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				done := pace.enter(sizes[f])
				r, ok := scanOne(ctx, opt, f, known, cl)
				done()
				if !ok {
					continue // cut short by cancellation: not finished, not recorded
				}
				rows <- r
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(rows) }()
	for r := range rows {
		if err := record(r); err != nil && werr == nil {
			werr = err
		}
	}
	prog.finish()
	if ctx.Err() == nil {
		if err := cl.rename(opt.Out, idx); err != nil && werr == nil {
			werr = err
		}
	}
	sum.Interrupted = ctx.Err() != nil
	sum.Elapsed = time.Since(start)
	// The run appended a row per file; rewrite the index with one row per
	// file, the latest, so that reruns do not grow it.
	if err := idx.close(); err != nil && werr == nil {
		werr = err
	}
	return sum, werr
}

// scanOne scans one file, or skips it; ok is false when ctx was cancelled
// before it finished.
func scanOne(ctx context.Context, opt Options, file string, known map[string]Row, cl *claims) (Row, bool) {
	row := Row{File: file, Tool: detect.Version, Special: []string{}, Trackers: []string{}, SendsTo: []string{}, Hidden: []string{}, Packers: []string{}}
	fail := func(err error) (Row, bool) {
		if ctx.Err() != nil {
			return Row{}, false
		}
		row.Status = StatusError
		row.Error = err.Error()
		if row.SHA256 == "" {
			row.SHA256, _ = hashFile(file)
		}
		return row, true
	}
	aopt := app.DefaultOptions()
	aopt.Workers = 1
	a, err := app.Open(ctx, file, aopt)
	if err != nil {
		return fail(err)
	}
	defer a.Close()
	row.SHA256 = a.SHA256()
	if row.SHA256 == "" && a.Kind == app.KindAppDir {
		if row.SHA256, err = dirDigest(file); err != nil {
			return fail(err)
		}
	}
	name := row.SHA256 + ".json"
	if k, ok := known[row.SHA256]; ok {
		k.File, k.Status = file, StatusSkipped
		for _, l := range []*[]string{&k.SendsTo, &k.Hidden, &k.Packers} {
			if *l == nil {
				*l = []string{} // an index written before these columns
			}
		}
		// The gate may differ from the run that wrote the report.
		k.FailOn = nil
		if !opt.Gate.Empty() {
			rep, err := readReport(filepath.Join(opt.Out, name))
			if err != nil {
				return fail(err)
			}
			k.FailOn = opt.Gate.Match(rep)
		}
		return k, true
	}
	c, first := cl.take(row.SHA256, file)
	if !first {
		select {
		case <-c.done:
		case <-ctx.Done():
			return Row{}, false
		}
		if !c.ok {
			return Row{}, false // the claim was cut short by the cancellation
		}
		k := c.row
		k.File = file
		if k.Status == StatusScanned {
			k.Status = StatusSkipped
		}
		return k, true
	}
	r, ok := scanContent(ctx, opt, a, row, name, fail)
	c.finish(r, ok)
	return r, ok
}

// scanContent scans an opened app whose content no other file of the run
// has, and writes its report; fail makes the row of a file that failed.
func scanContent(ctx context.Context, opt Options, a *app.App, row Row, name string, fail func(error) (Row, bool)) (Row, bool) {
	rep, err := detect.Scan(ctx, a, opt.Config)
	if err != nil {
		return fail(err)
	}
	if ctx.Err() != nil {
		// An analyzer cut short by the cancellation may have returned what
		// it had: a partial report must not be saved as the app's.
		return Row{}, false
	}
	rep.File.Name = filepath.Base(row.File)
	if err := writeReport(filepath.Join(opt.Out, name), rep); err != nil {
		return fail(err)
	}
	fillRow(&row, rep)
	row.Status, row.Report = StatusScanned, name
	row.FailOn = opt.Gate.Match(rep)
	return row, true
}

func fillRow(row *Row, rep *scan.Report) {
	row.Package, row.VersionName, row.VersionCode, row.Label = rep.App.Package, rep.App.VersionName, rep.App.VersionCode, rep.App.Label
	special := map[knowledge.Category]bool{}
	for _, f := range rep.Findings {
		switch f.Category.Group() {
		case knowledge.GroupPerson:
			row.Person++
		case knowledge.GroupDevice:
			row.Device++
		case knowledge.GroupBehaviour:
			row.Behaviour++
		}
		if f.Special || f.Category.Special() {
			special[f.Category] = true
		}
	}
	for c := range special {
		row.Special = append(row.Special, string(c))
	}
	sort.Slice(row.Special, func(i, j int) bool {
		return knowledge.Category(row.Special[i]).Order() < knowledge.Category(row.Special[j]).Order()
	})
	for _, t := range rep.Trackers {
		row.Trackers = append(row.Trackers, t.Name)
	}
	row.SendsTo = append(row.SendsTo, report.Destinations(rep)...)
	for _, e := range rep.Embedded {
		row.Hidden = append(row.Hidden, e.Location)
	}
	for _, p := range rep.Protection.Packers {
		row.Packers = append(row.Packers, p.Name)
	}
}

// writeReport writes a report through a temporary file, so that a report
// under its final name is always whole: an interrupted write never leaves
// a file a rerun would take as done.
func writeReport(path string, rep *scan.Report) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*.tmp")
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	// No buffer: the encoder writes the whole document in one call.
	err = report.JSON(tmp, rep)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("batch: writing %s: %w", path, err)
	}
	return nil
}

func readReport(path string) (*scan.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return report.Read(bufio.NewReader(f))
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
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

// Walk lists the files to scan: every file named, and in every directory
// named, each regular file whose content starts as an app does (a ZIP or a
// DEX) and each unzipped iOS app (a Name.app directory with its
// Info.plist, one app, not walked into), in lexical order. A name that
// cannot be read becomes an error row.
func Walk(inputs []string) ([]string, []Row) {
	var files []string
	var errs []Row
	seen := map[string]bool{}
	bad := func(path string, err error) {
		errs = append(errs, Row{File: path, Status: StatusError, Error: err.Error(), Tool: detect.Version, Special: []string{}, Trackers: []string{}, SendsTo: []string{}, Hidden: []string{}, Packers: []string{}})
	}
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			bad(in, err)
			continue
		}
		if !st.IsDir() {
			if !seen[in] {
				seen[in] = true
				files = append(files, in)
			}
			continue
		}
		err = filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				bad(path, err)
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() && isAppDir(path) {
				if !seen[path] {
					seen[path] = true
					files = append(files, path)
				}
				return fs.SkipDir
			}
			if !d.Type().IsRegular() || seen[path] {
				return nil
			}
			if looksLikeApp(path) {
				seen[path] = true
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			bad(in, err)
		}
	}
	return files, errs
}

// largestFirst orders files by size, largest first, and returns the sizes:
// the workers then end together instead of one of them finishing a large
// app alone at the end.
func largestFirst(files []string) map[string]int64 {
	size := make(map[string]int64, len(files))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size[f] = st.Size()
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return size[files[i]] > size[files[j]] })
	return size
}

// looksLikeApp reports whether a file starts as a ZIP (APK, split set,
// JAR, AAR) or a DEX file does; app.Open decides the rest.
func looksLikeApp(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return false
	}
	switch string(magic[:]) {
	case "PK\x03\x04", "PK\x05\x06", "dex\n":
		return true
	}
	return false
}

// readIndex reads the rows of an earlier run. A last line cut short by a
// crash is dropped; any other bad line is an error, since rewriting the
// index would lose it.
func readIndex(path string) ([]Row, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	var rows []Row
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r Row
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			if i == len(lines)-1 {
				break // torn last line: the run that wrote it was killed
			}
			return nil, fmt.Errorf("batch: %s line %d: %w", path, i+1, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// index appends rows to index.jsonl and index.csv as files finish, each row
// whole and flushed, so that a run killed at any point leaves both valid.
type index struct {
	dir   string
	rows  []Row
	jsonl *os.File
	csvf  *os.File
	csvw  *csv.Writer
}

func openIndex(dir string, prev []Row) (*index, error) {
	idx := &index{dir: dir}
	// Start from the previous rows, one per file, rewritten atomically.
	if err := idx.rewrite(latest(prev)); err != nil {
		return nil, err
	}
	var err error
	idx.jsonl, err = os.OpenFile(filepath.Join(dir, indexJSONL), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("batch: %w", err)
	}
	idx.csvf, err = os.OpenFile(filepath.Join(dir, indexCSV), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		idx.jsonl.Close()
		return nil, fmt.Errorf("batch: %w", err)
	}
	idx.csvw = csv.NewWriter(idx.csvf)
	return idx, nil
}

func (idx *index) add(r Row) error {
	idx.rows = append(idx.rows, r)
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	if _, err := idx.jsonl.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("batch: writing %s: %w", indexJSONL, err)
	}
	if err := idx.csvw.Write(r.csv()); err != nil {
		return fmt.Errorf("batch: writing %s: %w", indexCSV, err)
	}
	idx.csvw.Flush()
	if err := idx.csvw.Error(); err != nil {
		return fmt.Errorf("batch: writing %s: %w", indexCSV, err)
	}
	return nil
}

func (idx *index) close() error {
	err1 := idx.jsonl.Close()
	err2 := idx.csvf.Close()
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	prev, err := readIndex(filepath.Join(idx.dir, indexJSONL))
	if err != nil {
		return err
	}
	return idx.rewrite(latest(prev))
}

// latest keeps one row per file, the last written, in file order.
func latest(rows []Row) []Row {
	last := map[string]int{}
	for i, r := range rows {
		last[r.File] = i
	}
	var out []Row
	for i, r := range rows {
		if last[r.File] == i {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// rewrite replaces both index files with rows, each through a temporary
// file renamed into place.
func (idx *index) rewrite(rows []Row) error {
	write := func(name string, fill func(w io.Writer) error) error {
		tmp, err := os.CreateTemp(idx.dir, "."+name+"-*.tmp")
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		bw := bufio.NewWriter(tmp)
		err = fill(bw)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), filepath.Join(idx.dir, name))
		}
		if err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("batch: writing %s: %w", name, err)
		}
		return nil
	}
	err := write(indexJSONL, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return write(indexCSV, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(csvHeader); err != nil {
			return err
		}
		for _, r := range rows {
			if err := cw.Write(r.csv()); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// claims are the contents (SHA-256) a run has begun to scan, each by the
// first of its files to be opened.
type claims struct {
	pos map[string]int // each file's place in the run's order
	mu  sync.Mutex
	by  map[string]*claim
}

// claim is one content: the file scanning it, then its row.
type claim struct {
	done  chan struct{}
	row   Row
	ok    bool
	file  string // the file that scanned it
	first string // of all its files, the first in the run's order
}

// take returns the content's claim, and whether the caller made it.
func (cl *claims) take(sha, file string) (*claim, bool) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if c, ok := cl.by[sha]; ok {
		if cl.pos[file] < cl.pos[c.first] {
			c.first = file
		}
		return c, false
	}
	c := &claim{done: make(chan struct{}), file: file, first: file}
	cl.by[sha] = c
	return c, true
}

func (c *claim) finish(r Row, ok bool) {
	c.row, c.ok = r, ok
	close(c.done)
}

// rename names each report after the first of its content's files in the
// run's order, whichever was opened first, and makes that file's row the
// scanned one, so that a run's reports and index do not depend on which
// worker was quicker.
func (cl *claims) rename(out string, idx *index) error {
	for _, c := range cl.by {
		if c.first == c.file || !c.ok || c.row.Status != StatusScanned {
			continue
		}
		path := filepath.Join(out, c.row.Report)
		rep, err := readReport(path)
		if err != nil {
			return fmt.Errorf("batch: %w", err)
		}
		rep.File.Name = filepath.Base(c.first)
		if err := writeReport(path, rep); err != nil {
			return err
		}
		// The index keeps each file's last row.
		scanned, skipped := c.row, c.row
		scanned.File, skipped.Status = c.first, StatusSkipped
		if err := idx.add(scanned); err != nil {
			return err
		}
		if err := idx.add(skipped); err != nil {
			return err
		}
	}
	return nil
}
