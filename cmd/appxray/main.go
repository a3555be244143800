// Command appxray reads an Android or iOS app and tells, with evidence,
// what it collects about people.
//
//	appxray scan [--format text|json|html|markdown|sarif] [-o FILE] [--fail-on LIST] [--declared FILE] [--workers N] FILE
//	appxray scan --out DIR [--jobs N] [--fail-on LIST] FILE|DIR...
//	appxray diff [--format text|json|markdown|html] [-o FILE] OLD NEW
//
// It never runs the app it reads and makes no network call.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/term"

	"appxray/analysis"
	"appxray/app"
	"appxray/batch"
	"appxray/detect"
	"appxray/gate"
	"appxray/knowledge"
	"appxray/report"
	"appxray/scan"
)

const usage = `appxray reads an Android or iOS app and tells, with evidence, what it collects about people.

Usage:
  appxray scan [flags] FILE            analyse an .apk, a split set (.apks, .xapk, .apkm),
                                       an App Bundle (.aab), a .dex, a .jar/.aar holding
                                       classes.dex, an iOS .ipa or an unzipped .app directory
  appxray scan --out DIR [flags] FILE|DIR...
                                       scan many files into DIR: one JSON report per app
                                       and an index (index.jsonl, index.csv)
  appxray diff [flags] OLD NEW         what changed between two apps or versions; each of
                                       OLD and NEW is an app file or a saved JSON report
  appxray serve [flags]                the team workspace: web app and JSON API over the apps
                                       uploaded, with their analyses (appxray serve -h)
  appxray worker --db URL --blobs B    run a workspace's analyses on this machine too
                                       (serve and worker run appxray-server, installed
                                       beside appxray: go install ./cmd/appxray-server)
  appxray version

Exit codes: 0 done; 1 a file could not be scanned (batch: at least one); 2 bad usage;
3 a finding matched --fail-on; 130 interrupted.
`

// batchHeapFloor is the heap a batch lets grow before collecting while
// its apps are small: on the corpus it makes `scan --out --jobs 2` a tenth
// faster, and its peak memory lower, than Go's usual pace, which collects
// after every few MB.
const batchHeapFloor = 160 << 20

// Exit codes (documented in usage and the README).
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitMatched     = gate.ExitMatched
	exitInterrupted = 130
)

func main() {
	if os.Getenv(profileEnv) == "" {
		// No heap profile will be written: the sampling's records (1.5 MB
		// on a large app) are not kept.
		runtime.MemProfileRate = 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	stopProfiles := startProfiles(os.Stderr)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfiles()
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "scan":
		return scanCmd(ctx, args[1:], stdout, stderr)
	case "diff":
		return diffCmd(ctx, args[1:], stdout, stderr)
	case "serve", "worker":
		return forward(args, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "appxray", detect.Version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		fmt.Fprintln(stdout, "\nFlags for scan:")
		scanFlags(stdout, &scanOptions{}).PrintDefaults()
		fmt.Fprintln(stdout, "\nFlags for diff:")
		diffFlags(stdout, &diffOptions{}).PrintDefaults()
		return exitOK
	}
	fmt.Fprintf(stderr, "appxray: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

type scanOptions struct {
	format        string
	output        string
	trackers      string
	trackersMode  string
	trackersMatch string
	out           string
	jobs          int
	workers       int
	failOn        string
	declared      string
}

func scanFlags(out io.Writer, o *scanOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.format, "format", "text", "output format: "+strings.Join(report.FormatNames(), ", "))
	fs.StringVar(&o.output, "o", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.trackers, "trackers", "", "tracker signatures in the Exodus Privacy ETIP JSON format")
	fs.StringVar(&o.trackersMode, "trackers-mode", "add", "with --trackers: add to the built-in table, or replace it")
	fs.StringVar(&o.trackersMatch, "trackers-match", "appxray", "with --trackers: appxray (package boundaries; the app's own package is never a tracker) or exodus (Exodus Privacy's own matching, for the same answer as an Exodus report)")
	fs.StringVar(&o.out, "out", "", "batch: write one JSON report per app and an index into `DIR`")
	fs.IntVar(&o.jobs, "jobs", 0, "batch: scan `N` files at once, each on one CPU (default: the number of CPUs)")
	fs.IntVar(&o.workers, "workers", 0, "one file: split the scan over `N` goroutines (default: the number of CPUs; 1 runs it in sequence)")
	fs.StringVar(&o.failOn, "fail-on", "", "exit 3 when a finding matches `LIST`: comma-separated categories (device.sms),\ngroups (person, device, behaviour), special, tracker, cleartext, or a severity (high, medium, low, info) and above")
	fs.StringVar(&o.declared, "declared", "", "compare with what the app declares it collects: a Play Console Data safety CSV\nexport, or JSON {\"collects\": [categories or Data safety types]} (`FILE`)")
	return fs
}

// parseInterleaved parses flags that may come before or after the
// positional arguments, as users type them.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func scanCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt scanOptions
	fs := scanFlags(stderr, &opt)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fmt.Fprintln(stderr, "\nFlags for scan:"); fs.PrintDefaults() }
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return exitUsage
	}
	g, err := gate.Parse(opt.failOn)
	if err != nil {
		fmt.Fprintln(stderr, "appxray scan:", err)
		return exitUsage
	}
	cfg, err := config(opt, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "appxray scan:", err)
		return exitUsage
	}
	if opt.out != "" {
		return batchCmd(ctx, opt, cfg, g, files, stderr)
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "appxray scan: give exactly one file, or --out DIR to scan many")
		return exitUsage
	}
	render, ok := report.Formats[opt.format]
	if !ok {
		fmt.Fprintf(stderr, "appxray scan: unknown format %q (%s)\n", opt.format, strings.Join(report.FormatNames(), ", "))
		return exitUsage
	}
	if st, err := os.Stat(files[0]); err == nil && st.IsDir() && !app.IsAppDir(files[0]) {
		fmt.Fprintf(stderr, "appxray scan: %s is a directory: scan it in batch mode with --out DIR\n", files[0])
		return exitError
	}
	var decl *declaration
	if opt.declared != "" {
		if decl, err = readDeclaration(opt.declared); err != nil {
			fmt.Fprintln(stderr, "appxray scan:", err)
			return exitUsage
		}
	}
	// What rendering builds on first use (a tenth of a small app's scan) is
	// built on the side while the app is analysed.
	var prepared sync.WaitGroup
	prepared.Go(func() { report.Prepare(opt.format) })
	rep, err := Scan(ctx, files[0], cfg)
	prepared.Wait()
	if err != nil {
		fmt.Fprintln(stderr, "appxray:", err)
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitError
	}
	if decl != nil {
		addDeclared(rep, decl.compare(rep))
	}
	if err := writeOutput(opt.output, stdout, func(w io.Writer) error { return render(w, rep) }); err != nil {
		fmt.Fprintln(stderr, "appxray: writing report:", err)
		return exitError
	}
	if reasons := g.Match(rep); len(reasons) > 0 {
		fmt.Fprintf(stderr, "appxray: --fail-on %s matched: %s\n", g, strings.Join(reasons, "; "))
		return exitMatched
	}
	return exitOK
}

func batchCmd(ctx context.Context, opt scanOptions, cfg *analysis.Config, g *gate.Gate, inputs []string, stderr io.Writer) int {
	if len(inputs) == 0 {
		fmt.Fprintln(stderr, "appxray scan --out: give the files or directories to scan")
		return exitUsage
	}
	if opt.declared != "" || opt.output != "" || opt.format != "text" {
		fmt.Fprintln(stderr, "appxray scan --out: batch mode writes JSON reports and an index; --format, -o and --declared are for one file")
		return exitUsage
	}
	terminal := false
	if f, ok := stderr.(*os.File); ok {
		terminal = term.IsTerminal(int(f.Fd()))
	}
	bopt := batch.Options{Out: opt.out, Jobs: opt.jobs, Config: cfg, Gate: g, Progress: stderr, Terminal: terminal}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// The process is the batch's: its collector may wait for a heap of
		// batchHeapFloor while the apps are small (batch.Options.HeapFloor).
		bopt.HeapFloor = batchHeapFloor
	}
	sum, err := batch.Run(ctx, bopt, inputs)
	if err != nil {
		fmt.Fprintln(stderr, "appxray:", err)
		return exitError
	}
	fmt.Fprintf(stderr, "appxray: %d files: %d scanned, %d skipped (already reported), %d could not be read; index in %s\n",
		sum.Files, sum.Scanned, sum.Skipped, sum.Failed, filepath.Join(opt.out, "index.jsonl"))
	switch {
	case sum.Interrupted:
		fmt.Fprintln(stderr, "appxray: interrupted; the index lists the files that finished")
		return exitInterrupted
	case sum.Matched > 0:
		fmt.Fprintf(stderr, "appxray: --fail-on %s matched in %d files (see fail_on in the index)\n", g, sum.Matched)
		return exitMatched
	case sum.Failed > 0:
		return exitError
	}
	return exitOK
}

// writeOutput runs write on standard output, or on a file written whole
// through a temporary file so that a failed write leaves no half report.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// config builds the analysis configuration; signatures of a tracker file
// that cannot be used are warnings on stderr, not a refusal of the file.
func config(opt scanOptions, stderr io.Writer) (*analysis.Config, error) {
	cfg := &analysis.Config{Workers: max(0, opt.workers)}
	if opt.trackers == "" {
		return cfg, nil
	}
	f, err := os.Open(opt.trackers)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, warnings, err := knowledge.TrackerMatcherFromETIP(f, opt.trackersMode, opt.trackersMatch)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.trackers, err)
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "appxray: %s: skipped: %v\n", opt.trackers, w)
	}
	cfg.Trackers = m
	return cfg, nil
}

// Scan opens and analyses one file with every detector.
func Scan(ctx context.Context, filename string, cfg *analysis.Config) (*scan.Report, error) {
	opt := app.DefaultOptions()
	if cfg != nil {
		opt.Workers = cfg.Workers // one knob for the opening and the analysis
	}
	// Unless the scan is to run in sequence, the tables an Android scan
	// reads first are built while the app is opened, and its DEX files
	// inflated while the analyzers start.
	parallel := cfg == nil || cfg.Workers != 1
	var warm sync.WaitGroup
	defer warm.Wait()
	if parallel {
		warm.Go(detect.Preload)
	}
	a, err := app.Open(ctx, filename, opt)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	if parallel {
		a.StartDex(ctx)
	}
	return detect.Scan(ctx, a, cfg)
}
