package jobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"appxray/analysis"
	"appxray/app"
	"appxray/detect"
	"appxray/report"
	"appxray/scan"
	"appxray/store"
)

// Worker analyses uploads: it reads the file from the blob store (never
// running it), scans it with every detector and stores the report.
type Worker struct {
	river.WorkerDefaults[AnalyzeArgs]
	DB    *store.DB
	Blobs store.Blobs
	// TempDir receives a copy of a file from a blob store that is not a
	// local directory, under a random name, for the length of the scan.
	TempDir string
	// Config is the detectors' configuration (tracker table); nil for the
	// defaults.
	Config *analysis.Config
	Log    *slog.Logger
}

// pather is a blob store whose blobs are local files.
type pather interface {
	Path(sum string) (string, error)
}

// Work runs one attempt.
func (w *Worker) Work(ctx context.Context, job *river.Job[AnalyzeArgs]) error {
	sum := job.Args.SHA256
	log := w.logger().With("sha256", sum, "job", job.ID, "attempt", job.Attempt)
	if !store.ValidSum(sum) {
		return river.JobCancel(fmt.Errorf("jobs: %q is not a SHA-256", sum))
	}
	a, err := w.DB.Get(ctx, sum)
	if errors.Is(err, store.ErrNotFound) {
		log.Info("app deleted before its analysis")
		return nil
	}
	if err != nil {
		return w.retry(ctx, job, err)
	}
	if job.Args.Request == 0 && a.Status == store.StatusDone && a.AnalysedVersion == detect.Version {
		log.Info("already analysed by this version")
		return nil
	}
	if err := w.DB.MarkRunning(ctx, sum, job.Attempt); err != nil {
		return w.retry(ctx, job, err)
	}
	start := time.Now()
	path, cleanup, err := w.fetch(ctx, sum)
	if errors.Is(err, store.ErrNotFound) {
		return w.fail(ctx, job, errors.New("the file is missing from the blob store"))
	}
	if err != nil {
		return w.retry(ctx, job, err)
	}
	rep, err := w.scan(ctx, path)
	cleanup()
	if err != nil {
		if ctx.Err() != nil {
			return w.retry(ctx, job, fmt.Errorf("analysis interrupted: %w", ctx.Err()))
		}
		// The message names the file by its upload name, not the path
		// it has on this machine.
		return w.fail(ctx, job, errors.New(strings.ReplaceAll(err.Error(), path, a.Name)))
	}
	rep.File.Name = a.Name
	var buf bytes.Buffer
	if err := report.JSON(&buf, rep); err != nil {
		return w.fail(ctx, job, err)
	}
	saved, err := w.DB.SaveReport(ctx, sum, rep, buf.Bytes(), job.Args.Request != 0)
	if err != nil {
		return w.retry(ctx, job, err)
	}
	log.Info("analysed", "package", rep.App.Package, "findings", len(rep.Findings), "stored", saved, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (w *Worker) logger() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}

// scan opens and analyses the file, turning a panic into an error.
func (w *Worker) scan(ctx context.Context, path string) (rep *scan.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			w.logger().Error("analysis panicked", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("appxray failed on this file (internal error: %v)", p)
		}
	}()
	a, err := app.Open(ctx, path, app.DefaultOptions())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return detect.Scan(ctx, a, w.Config)
}

// fetch returns a local path to the blob.
func (w *Worker) fetch(ctx context.Context, sum string) (string, func(), error) {
	if p, ok := w.Blobs.(pather); ok {
		path, err := p.Path(sum)
		if err != nil {
			return "", nil, err
		}
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return "", nil, fmt.Errorf("jobs: %s: %w", sum, store.ErrNotFound)
		}
		return path, func() {}, nil
	}
	rc, err := w.Blobs.Open(ctx, sum)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	dir := w.TempDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, err := os.CreateTemp(dir, "analyse-*")
	if err != nil {
		return "", nil, fmt.Errorf("jobs: %w", err)
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	if _, err := io.Copy(f, rc); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("jobs: fetching %s: %w", sum, err)
	}
	return f.Name(), cleanup, nil
}

// fail records an error that another attempt would meet again, and ends
// the job.
func (w *Worker) fail(ctx context.Context, job *river.Job[AnalyzeArgs], err error) error {
	w.logger().Warn("analysis failed", "sha256", job.Args.SHA256, "job", job.ID, "err", err)
	if merr := w.DB.MarkFailed(context.WithoutCancel(ctx), job.Args.SHA256, err.Error()); merr != nil {
		return fmt.Errorf("%w (and recording the failure: %v)", err, merr)
	}
	return river.JobCancel(err)
}

// retry records an error that may pass; River tries again until
// MaxAttempts, and the last failed attempt fails the app.
func (w *Worker) retry(ctx context.Context, job *river.Job[AnalyzeArgs], err error) error {
	msg := fmt.Sprintf("attempt %d of %d: %v", job.Attempt, job.MaxAttempts, err)
	bg := context.WithoutCancel(ctx)
	if job.Attempt >= job.MaxAttempts {
		w.DB.MarkFailed(bg, job.Args.SHA256, msg)
	} else {
		w.DB.MarkAttemptFailed(bg, job.Args.SHA256, job.Attempt, msg)
	}
	return err
}
