package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"appxray/report"
	"appxray/scan"
)

type diffOptions struct {
	format string
	output string
}

func diffFlags(out io.Writer, o *diffOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.format, "format", "text", "output format: text, json, markdown or html")
	fs.StringVar(&o.output, "o", "", "write the comparison to `FILE` instead of standard output")
	return fs
}

func diffCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var opt diffOptions
	fs := diffFlags(stderr, &opt)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fmt.Fprintln(stderr, "\nFlags for diff:"); fs.PrintDefaults() }
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(files) != 2 {
		fmt.Fprintln(stderr, "appxray diff: give two files, OLD and NEW (app files or JSON reports)")
		return exitUsage
	}
	render, ok := report.DiffFormats[opt.format]
	if !ok {
		fmt.Fprintf(stderr, "appxray diff: unknown format %q (text, json, markdown or html)\n", opt.format)
		return exitUsage
	}
	var reps [2]*scan.Report
	for i, f := range files {
		if reps[i], err = loadReport(ctx, f); err != nil {
			fmt.Fprintln(stderr, "appxray:", err)
			if ctx.Err() != nil {
				return exitInterrupted
			}
			return exitError
		}
	}
	d := report.Compare(reps[0], reps[1])
	if err := writeOutput(opt.output, stdout, func(w io.Writer) error { return render(w, d) }); err != nil {
		fmt.Fprintln(stderr, "appxray: writing comparison:", err)
		return exitError
	}
	return exitOK
}

// loadReport reads a saved JSON report, or scans an app file: a file whose
// first byte past white space is '{' is taken for a report.
func loadReport(ctx context.Context, path string) (*scan.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(512)
	if strings.HasPrefix(strings.TrimLeft(string(head), " \t\r\n\ufeff"), "{") {
		r, err := report.Read(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return r, nil
	}
	cfg, _ := config(scanOptions{}, io.Discard)
	return Scan(ctx, path, cfg)
}
