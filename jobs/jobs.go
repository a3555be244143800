// Package jobs runs appxray's analyses as River jobs (github.com/riverqueue/river),
// on SQLite through River's SQLite driver or on PostgreSQL through its pgx
// driver, so that one machine or many share one queue.
//
// A job names an upload by its SHA-256 and the appxray version that is to
// analyse it. A worker that dies mid-job leaves the job running until
// River's rescuer hands it to another; a job that fails for a reason that
// may pass (the database or the blob store away) is retried up to
// MaxAttempts times with its error recorded; a file that appxray cannot
// read fails at once, with its error, and the queue goes on. A report is
// stored once per appxray version: a job repeated after a worker died does
// not store or count it twice.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"appxray/detect"
	"appxray/store"
)

// MaxAttempts is how often a job is tried before it fails for good.
const MaxAttempts = 3

// AnalyzeArgs asks for the analysis of one upload.
type AnalyzeArgs struct {
	SHA256 string `json:"sha256"`
	// Version is the appxray version that queued the job: one job per
	// upload and version. A worker analyses with its own version, which
	// the report records.
	Version string `json:"version"`
	// Request makes a repeated analysis (asked for by a user) a job of its
	// own rather than a duplicate of the first; 0 for the automatic one.
	Request int64 `json:"request,omitempty"`
}

// Kind names the job kind in River's tables.
func (AnalyzeArgs) Kind() string { return "appxray_analyze" }

// InsertOpts makes jobs unique by their arguments while waiting, running
// or done, so the same upload is not queued twice for one version.
func (AnalyzeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Options configure the queue of one process.
type Options struct {
	// Workers is how many analyses this process runs at once; 0 makes it
	// an insert-only client that leaves the work to other processes.
	Workers int
	// JobTimeout cancels an analysis that runs longer (default 10 minutes).
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before the rescuer
	// takes it for a dead worker's (default JobTimeout + 5 minutes).
	RescueAfter time.Duration
	// ShutdownGrace is how long Stop waits for running analyses before it
	// cancels them, handing them back to the queue (default 30 seconds).
	ShutdownGrace time.Duration
	Logger        *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.JobTimeout <= 0 {
		o.JobTimeout = 10 * time.Minute
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + 5*time.Minute
	}
	if o.ShutdownGrace <= 0 {
		o.ShutdownGrace = 30 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Queue is a River client on the workspace's database.
type Queue struct {
	db       *store.DB
	opt      Options
	insertTx func(ctx context.Context, tx *store.Tx, args AnalyzeArgs) (*rivertype.JobInsertResult, error)
	jobGet   func(ctx context.Context, id int64) (*rivertype.JobRow, error)
	start    func(ctx context.Context) error
	stop     func(ctx context.Context) error
	stopped  func() <-chan struct{}
}

// Migrate brings the workspace's schema and River's tables up to date,
// under a database lock so that processes starting together take turns.
func Migrate(ctx context.Context, db *store.DB) error {
	return db.Lock(ctx, func() error {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		var err error
		if db.Dialect == store.Postgres {
			err = riverMigrate(ctx, riverpgxv5.New(db.Pool()))
		} else {
			err = riverMigrate(ctx, riversqlite.New(db.SQL()))
		}
		if err != nil {
			return fmt.Errorf("jobs: migrating River's tables: %w", err)
		}
		return nil
	})
}

func riverMigrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// NewQueue makes the River client of one process. With opt.Workers > 0 it
// works analyses with w once started; the database must be migrated.
func NewQueue(db *store.DB, w *Worker, opt Options) (*Queue, error) {
	opt = opt.withDefaults()
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, w); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	cfg := &river.Config{
		Logger:               opt.Logger.With("component", "river"),
		Workers:              workers,
		MaxAttempts:          MaxAttempts,
		JobTimeout:           opt.JobTimeout,
		RescueStuckJobsAfter: opt.RescueAfter,
		SoftStopTimeout:      opt.ShutdownGrace,
		// A report is small next to its file, but the job rows are the
		// record of who analysed what: keep them a month.
		CompletedJobRetentionPeriod: 30 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
		CancelledJobRetentionPeriod: 30 * 24 * time.Hour,
		ErrorHandler:                &errorHandler{log: opt.Logger},
	}
	if opt.Workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Workers}}
	}
	q := &Queue{db: db, opt: opt}
	var err error
	if db.Dialect == store.Postgres {
		err = bind(q, riverpgxv5.New(db.Pool()), cfg, func(tx *store.Tx) pgx.Tx { return tx.PgxTx() })
	} else {
		// SQLite has no LISTEN/NOTIFY: workers poll, briefly.
		cfg.FetchPollInterval = 500 * time.Millisecond
		err = bind(q, riversqlite.New(db.SQL()), cfg, (*store.Tx).SQLTx)
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

func bind[TTx any](q *Queue, driver riverdriver.Driver[TTx], cfg *river.Config, unwrap func(*store.Tx) TTx) error {
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	q.insertTx = func(ctx context.Context, tx *store.Tx, args AnalyzeArgs) (*rivertype.JobInsertResult, error) {
		return c.InsertTx(ctx, unwrap(tx), args, nil)
	}
	q.jobGet = c.JobGet
	q.start = c.Start
	q.stop = c.Stop
	q.stopped = c.Stopped
	return nil
}

// Start starts working jobs (and taking part in River's leader election,
// whose leader runs the rescuer). An insert-only queue needs no Start.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.start(ctx); err != nil {
		return fmt.Errorf("jobs: starting River: %w", err)
	}
	return nil
}

// Stop lets running analyses finish for the shutdown grace period, then
// cancels them: River puts a cancelled job back for another worker.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: stopping River: %w", err)
	}
	return nil
}

// Enqueue queues the analysis of an upload in the transaction that records
// it, so that an upload is never recorded without its job nor the other
// way round. It returns the job's ID (that of the existing job when one is
// already waiting or running for this version).
func (q *Queue) Enqueue(ctx context.Context, tx *store.Tx, sum string, request int64) (int64, error) {
	res, err := q.insertTx(ctx, tx, AnalyzeArgs{SHA256: sum, Version: detect.Version, Request: request})
	if err != nil {
		return 0, fmt.Errorf("jobs: queueing %s: %w", sum, err)
	}
	if err := tx.Queue(ctx, sum, res.Job.ID); err != nil {
		return 0, err
	}
	return res.Job.ID, nil
}

// JobState is what River knows of a job.
type JobState struct {
	ID          int64     `json:"id"`
	State       string    `json:"state"`
	Attempt     int       `json:"attempt"`
	MaxAttempts int       `json:"max_attempts"`
	Errors      []string  `json:"errors,omitempty"`
	AttemptedBy []string  `json:"attempted_by,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Job returns River's record of a job.
func (q *Queue) Job(ctx context.Context, id int64) (JobState, error) {
	row, err := q.jobGet(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return JobState{}, fmt.Errorf("jobs: job %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return JobState{}, fmt.Errorf("jobs: job %d: %w", id, err)
	}
	js := JobState{ID: row.ID, State: string(row.State), Attempt: row.Attempt, MaxAttempts: row.MaxAttempts,
		AttemptedBy: row.AttemptedBy, CreatedAt: row.CreatedAt}
	for _, e := range row.Errors {
		js.Errors = append(js.Errors, fmt.Sprintf("attempt %d: %s", e.Attempt, e.Error))
	}
	return js, nil
}

// Reconcile settles the apps whose job River gave up on outside a worker
// (the rescuer discards a job whose workers died MaxAttempts times): they
// are marked failed with River's errors. It returns how many it settled.
func (q *Queue) Reconcile(ctx context.Context) (int, error) {
	apps, err := q.db.Unfinished(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range apps {
		if a.JobID == 0 {
			continue
		}
		js, err := q.Job(ctx, a.JobID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		switch rivertype.JobState(js.State) {
		case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			msg := "the analysis was given up"
			if len(js.Errors) > 0 {
				msg = js.Errors[len(js.Errors)-1]
			}
			if err := q.db.MarkFailed(ctx, a.SHA256, msg); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

type errorHandler struct{ log *slog.Logger }

func (h *errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.log.Warn("analysis attempt failed", "job", job.ID, "attempt", job.Attempt, "err", err)
	return nil
}

func (h *errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.Error("analysis panicked", "job", job.ID, "attempt", job.Attempt, "panic", panicVal)
	return nil
}
