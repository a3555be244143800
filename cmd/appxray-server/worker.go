package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"appxray/detect"
)

const workerUsage = `Usage:
  appxray worker --db postgres://… --blobs DIR|s3://… [flags]
                        run analyses for a workspace from this machine; start as many
                        as the work needs, on any number of machines sharing the
                        database and the blob store

Flags:
`

func workerCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, workerUsage); fs.PrintDefaults() }
	var ws workspaceFlags
	var qf queueFlags
	ws.register(fs)
	qf.register(fs, "analyses this worker runs at once")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "appxray worker: unexpected %q\n", fs.Arg(0))
		return exitUsage
	}
	if qf.workers < 1 {
		fmt.Fprintln(stderr, "appxray worker: --workers is at least 1")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	log := ws.logger(stderr)
	db, blobs, q, err := openQueue(ctx, &ws, &qf, log)
	if err != nil {
		fmt.Fprintln(stderr, "appxray worker:", err)
		return exitError
	}
	defer db.Close()
	if err := q.Start(ctx); err != nil {
		fmt.Fprintln(stderr, "appxray worker:", err)
		return exitError
	}
	log.Info("appxray worker", "database", db.String(), "blobs", fmt.Sprint(blobs), "workers", qf.workers, "version", detect.Version, "pid", os.Getpid())
	<-ctx.Done()
	log.Info("stopping: running analyses finish or go back to the queue", "grace", qf.grace)
	if err := qf.stop(ctx, q); err != nil {
		log.Error("stopping", "err", err)
		return exitError
	}
	log.Info("stopped")
	return exitOK
}
