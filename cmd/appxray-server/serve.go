package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"appxray/detect"
	"appxray/jobs"
	"appxray/report"
	"appxray/server"
	"appxray/store"
)

const serveUsage = `Usage:
  appxray serve [flags]                 the team workspace: web app, JSON API and analysis
  appxray serve adduser [flags] NAME    create an account (prints its password and an API
                                        token, once); with an account, the workspace asks
                                        everyone to log in and may listen beyond loopback

Flags:
`

type workspaceFlags struct {
	data, db, blobs, logFormat string
}

func (w *workspaceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&w.data, "data", "appxray-data", "data directory: the SQLite database (without --db), the blob store (without --blobs) and temporary files")
	fs.StringVar(&w.db, "db", "", "database URL: postgres://user:password@host/db for a team; empty for SQLite in --data")
	fs.StringVar(&w.blobs, "blobs", "", "blob store: a directory, or s3://bucket/prefix?endpoint=URL&region=R (credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); default DATA/blobs")
	fs.StringVar(&w.logFormat, "log-format", "text", "log format: text or json")
}

func (w *workspaceFlags) logger(stderr io.Writer) *slog.Logger {
	if w.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

// open opens (and migrates) the database and the blob store.
func (w *workspaceFlags) open(ctx context.Context) (*store.DB, store.Blobs, error) {
	if w.db == "" || !strings.HasPrefix(w.blobs, "s3://") {
		if err := os.MkdirAll(w.data, 0o750); err != nil {
			return nil, nil, err
		}
	}
	db, err := store.Open(ctx, w.db, w.data)
	if err != nil {
		return nil, nil, err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	var blobs store.Blobs
	switch {
	case strings.HasPrefix(w.blobs, "s3://"):
		tmp := filepath.Join(w.data, "tmp")
		cfg, err := store.ParseS3URL(w.blobs, tmp)
		if err == nil {
			blobs, err = store.OpenS3(cfg)
		}
		if err != nil {
			db.Close()
			return nil, nil, err
		}
	default:
		dir := w.blobs
		if dir == "" {
			dir = filepath.Join(w.data, "blobs")
		}
		d, err := store.OpenDir(dir)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		blobs = d
	}
	return db, blobs, nil
}

// tempDir is where a worker copies a blob from S3 for its scan.
func (w *workspaceFlags) tempDir() string {
	dir := filepath.Join(w.data, "tmp")
	if os.MkdirAll(dir, 0o750) != nil {
		return os.TempDir()
	}
	return dir
}

type queueFlags struct {
	workers                        int
	jobTimeout, rescueAfter, grace time.Duration
}

func (q *queueFlags) register(fs *flag.FlagSet, workersDoc string) {
	fs.IntVar(&q.workers, "workers", runtime.NumCPU(), workersDoc)
	fs.DurationVar(&q.jobTimeout, "job-timeout", 10*time.Minute, "cancel an analysis that runs longer")
	fs.DurationVar(&q.rescueAfter, "rescue-after", 15*time.Minute, "hand a job running this long to another worker (its worker is taken for dead); more than --job-timeout")
	fs.DurationVar(&q.grace, "shutdown-grace", 30*time.Second, "on shutdown, wait this long for running analyses, then hand them back to the queue")
}

func (q *queueFlags) options(log *slog.Logger) jobs.Options {
	return jobs.Options{Workers: q.workers, JobTimeout: q.jobTimeout, RescueAfter: q.rescueAfter, ShutdownGrace: q.grace, Logger: log}
}

// openQueue opens the workspace and the queue that runs its analyses in
// this process: serve and worker run the same jobs.Worker over the same
// store, so they open it one way. On error nothing is left open.
func openQueue(ctx context.Context, ws *workspaceFlags, qf *queueFlags, log *slog.Logger) (*store.DB, store.Blobs, *jobs.Queue, error) {
	db, blobs, err := ws.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	w := &jobs.Worker{DB: db, Blobs: blobs, TempDir: ws.tempDir(), Log: log}
	q, err := jobs.NewQueue(db, w, qf.options(log))
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, blobs, q, nil
}

// stop stops queue on shutdown. ctx is usually cancelled by then (the
// signal that asked for the stop), so the deadline hangs off its values
// alone: the grace for running analyses, and 30 seconds more to hand the
// rest back to the queue.
func (q *queueFlags) stop(ctx context.Context, queue *jobs.Queue) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), q.grace+30*time.Second)
	defer cancel()
	return queue.Stop(sctx)
}

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "adduser" {
		return adduserCmd(ctx, args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	var ws workspaceFlags
	var qf queueFlags
	ws.register(fs)
	qf.register(fs, "analyses this process runs at once; 0 leaves them to appxray worker processes")
	addr := fs.String("addr", "127.0.0.1:8750", "listen address; any but loopback needs an account (appxray serve adduser)")
	maxUpload := fs.Int64("max-upload", 512, "largest file accepted, in MiB")
	rate := fs.Float64("rate", 20, "requests per second per client address (an upload counts ten)")
	burst := fs.Int("burst", 200, "requests a client may send at once before --rate applies")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM)")
	tlsKey := fs.String("tls-key", "", "and this key (PEM)")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (for a TLS proxy in front)")
	reanalyze := fs.String("reanalyze", "auto", "apps analysed by another appxray version: auto (queue them at start) or manual (on request)")
	importDir := fs.String("import", "", "import the JSON reports of a directory written by appxray scan --out, then serve")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "appxray serve: unexpected %q\n", fs.Arg(0))
		return exitUsage
	}
	if *reanalyze != "auto" && *reanalyze != "manual" {
		fmt.Fprintln(stderr, "appxray serve: --reanalyze is auto or manual")
		return exitUsage
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(stderr, "appxray serve: give both --tls-cert and --tls-key")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	log := ws.logger(stderr)
	db, blobs, q, err := openQueue(ctx, &ws, &qf, log)
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve:", err)
		return exitError
	}
	defer db.Close()
	srv, err := server.New(ctx, server.Config{
		DB: db, Blobs: blobs, Queue: q, Addr: *addr, MaxUpload: *maxUpload << 20,
		Rate: *rate, Burst: *burst, SecureCookies: *secure || *tlsCert != "", Logger: log,
	})
	if errors.Is(err, server.ErrNoAuth) {
		fmt.Fprintf(stderr, "appxray serve: refusing to listen on %s without authentication.\nCreate an account first: appxray serve adduser --role admin NAME (with the same --data or --db)\n", *addr)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve:", err)
		return exitError
	}
	if *importDir != "" {
		n, err := importReports(ctx, db, *importDir)
		if err != nil {
			fmt.Fprintln(stderr, "appxray serve: import:", err)
			return exitError
		}
		log.Info("imported reports", "dir", *importDir, "count", n)
	}
	if *reanalyze == "auto" {
		if n, err := queueStale(ctx, db, q); err != nil {
			log.Warn("queueing re-analyses", "err", err)
		} else if n > 0 {
			log.Info("queued apps analysed by another appxray version", "count", n, "version", detect.Version)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve:", err)
		return exitError
	}
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			ln.Close()
			fmt.Fprintln(stderr, "appxray serve:", err)
			return exitError
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	if qf.workers > 0 {
		if err := q.Start(ctx); err != nil {
			ln.Close()
			fmt.Fprintln(stderr, "appxray serve:", err)
			return exitError
		}
	}
	scheme := "http"
	if *tlsCert != "" {
		scheme = "https"
	}
	log.Info("appxray serve", "url", scheme+"://"+ln.Addr().String(), "database", db.String(), "blobs", fmt.Sprint(blobs), "workers", qf.workers, "version", detect.Version)
	serveErr := srv.Serve(ctx, ln)
	status := exitOK
	if serveErr != nil {
		log.Error("serving", "err", serveErr)
		status = exitError
	}
	if qf.workers > 0 {
		if err := qf.stop(ctx, q); err != nil {
			log.Error("stopping the analyses", "err", err)
			status = exitError
		}
	}
	log.Info("stopped")
	return status
}

// queueStale queues the analysis of apps whose report another appxray
// version wrote.
func queueStale(ctx context.Context, db *store.DB, q *jobs.Queue) (int, error) {
	stale, err := db.Stale(ctx, detect.Version)
	if err != nil {
		return 0, err
	}
	for _, a := range stale {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := q.Enqueue(ctx, tx, a.SHA256, 0)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}

// importReports imports every JSON report under dir (a directory written
// by appxray scan --out); files that are not appxray reports are skipped.
func importReports(ctx context.Context, db *store.DB, dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rep, err := report.Read(bytes.NewReader(b))
		if err != nil {
			return nil // not a report
		}
		var buf bytes.Buffer
		if err := report.JSON(&buf, rep); err != nil {
			return err
		}
		if _, err := db.ImportReport(ctx, rep, buf.Bytes(), "import"); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		n++
		return nil
	})
	return n, err
}

func adduserCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve adduser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	var ws workspaceFlags
	ws.register(fs)
	role := fs.String("role", store.RoleAnalyst, "viewer, analyst or admin")
	var name string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if name != "" {
			fmt.Fprintln(stderr, "appxray serve adduser: give one NAME")
			return exitUsage
		}
		name = fs.Arg(0)
		args = fs.Args()[1:]
	}
	if name == "" {
		fmt.Fprintln(stderr, "appxray serve adduser: give the new account's NAME")
		return exitUsage
	}
	db, _, err := ws.open(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve adduser:", err)
		return exitError
	}
	defer db.Close()
	password := store.RandomSecret(15)
	u, err := db.CreateUser(ctx, name, *role, password)
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve adduser:", err)
		return exitError
	}
	token, _, err := db.CreateToken(ctx, u.ID, "created with adduser")
	if err != nil {
		fmt.Fprintln(stderr, "appxray serve adduser:", err)
		return exitError
	}
	db.Audit(ctx, "adduser", "user-created", u.Name, u.Role, "command line")
	fmt.Fprintf(stdout, "user %s (%s) created\npassword: %s\nAPI token: %s\nBoth are shown this once: only their hashes are kept.\n", u.Name, u.Role, password, token)
	return exitOK
}
