// Command appxray reads an Android app and tells, with evidence, what it
// collects about people.
//
//	appxray scan [--format text|json] [--trackers FILE [--trackers-mode replace|add]] FILE
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

	"appxray/analysis"
	"appxray/app"
	"appxray/detect"
	"appxray/knowledge"
	"appxray/report"
	"appxray/scan"
)

const usage = `appxray reads an Android app and tells, with evidence, what it collects about people.

Usage:
  appxray scan [flags] FILE     analyse an .apk, a split set (.apks, .xapk, .apkm),
                                a .dex, or a .jar/.aar holding classes.dex
  appxray version

Flags for scan:
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		scanFlags(stderr).PrintDefaults()
		return 2
	}
	switch args[0] {
	case "scan":
		return scanCmd(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "appxray", detect.Version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		scanFlags(stdout).PrintDefaults()
		return 0
	}
	fmt.Fprintf(stderr, "appxray: unknown command %q\n\n%s", args[0], usage)
	return 2
}

type scanOptions struct {
	format        string
	trackers      string
	trackersMode  string
	trackersMatch string
}

func scanFlags(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.String("format", "text", "output format: text or json")
	fs.String("trackers", "", "tracker signatures in the Exodus Privacy ETIP JSON format")
	fs.String("trackers-mode", "add", "with --trackers: add to the built-in table, or replace it")
	fs.String("trackers-match", "appxray", "with --trackers: appxray (package boundaries; the app's own package is never a tracker) or exodus (Exodus Privacy's own matching, for the same answer as an Exodus report)")
	return fs
}

func scanCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := scanFlags(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	// Accept flags after the file name too, as users type them.
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	opt := scanOptions{
		format:        fs.Lookup("format").Value.String(),
		trackers:      fs.Lookup("trackers").Value.String(),
		trackersMode:  fs.Lookup("trackers-mode").Value.String(),
		trackersMatch: fs.Lookup("trackers-match").Value.String(),
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "appxray scan: give exactly one file")
		return 2
	}
	if opt.format != "text" && opt.format != "json" {
		fmt.Fprintf(stderr, "appxray scan: unknown format %q (text or json)\n", opt.format)
		return 2
	}
	cfg, err := config(opt, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "appxray scan:", err)
		return 2
	}
	rep, err := Scan(ctx, files[0], cfg)
	if err != nil {
		fmt.Fprintln(stderr, "appxray:", err)
		return 1
	}
	if opt.format == "json" {
		err = report.JSON(stdout, rep)
	} else {
		err = report.Text(stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(stderr, "appxray: writing report:", err)
		return 1
	}
	return 0
}

// config builds the analysis configuration; signatures of a tracker file
// that cannot be used are warnings on stderr, not a refusal of the file.
func config(opt scanOptions, stderr io.Writer) (*analysis.Config, error) {
	cfg := &analysis.Config{}
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
	a, err := app.Open(ctx, filename, app.DefaultOptions())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return detect.Scan(ctx, a, cfg)
}
