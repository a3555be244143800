package servetest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"appxray/internal/pgtest"
)

// TestLoad sends 200 corpus APKs at once to one server (which analyses
// nothing itself) and two worker processes on PostgreSQL, then checks that
// every upload was kept and analysed exactly once, and that the memory of
// each process stayed bounded.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test takes about a minute")
	}
	const n = 200
	paths, sums := corpusAPKs(t, n)
	var total int64
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	dbURL := pgtest.Database(t)
	blobs := t.TempDir()
	srv, base := serve(t, nil, "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "0", "--rate", "10000", "--burst", "100000")
	var workers []*proc
	for i := 0; i < 2; i++ {
		workers = append(workers, start(t, "worker", nil, "worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "1", "--log-format", "json"))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	begin := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	results := make([]uploadResult, n)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			up, err := upload(ctx, base, paths[i])
			if err != nil {
				errs <- err
				return
			}
			results[i] = up
		}()
	}
	wg.Wait()
	uploaded := time.Since(begin)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}
	for i, up := range results {
		if up.SHA256 != sums[i] || !up.Created || up.JobID == 0 {
			t.Fatalf("upload of %s: %+v, want sha256 %s, created, with a job", paths[i], up, sums[i])
		}
	}
	// Wait for every analysis.
	failed := 0
	for i, s := range sums {
		a := waitStatus(t, base, s, 4*time.Minute, "done", "failed")
		switch a.App.Status {
		case "done":
			if a.App.Analyses != 1 {
				t.Errorf("%s analysed %d times", paths[i], a.App.Analyses)
			}
		case "failed":
			failed++
			t.Logf("load: %s failed: %s", paths[i], a.App.Error)
		}
	}
	analysed := time.Since(begin)

	// River's record: one job per upload, each run to its end once.
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// A worker stores the analysis inside the job, and River's completer
	// marks the job finished afterwards, in batches: the last few may
	// still be on their way when the last app reads as done.
	var jobs, distinct, completed, multi int
	for deadline := time.Now().Add(30 * time.Second); ; {
		err = conn.QueryRow(ctx, `SELECT COUNT(*), COUNT(DISTINCT args->>'sha256'),
			COUNT(*) FILTER (WHERE state IN ('completed', 'cancelled')), COUNT(*) FILTER (WHERE attempt > 1)
			FROM river_job WHERE kind = 'appxray_analyze'`).Scan(&jobs, &distinct, &completed, &multi)
		if err != nil {
			t.Fatal(err)
		}
		if completed >= n || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if jobs != n || distinct != n || completed != n || multi != 0 {
		t.Errorf("River jobs: %d rows, %d distinct uploads, %d finished, %d run more than once; want %d, %d, %d, 0", jobs, distinct, completed, multi, n, n, n)
	}
	var rows, analyses int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(analyses), 0) FROM apps`).Scan(&rows, &analyses); err != nil {
		t.Fatal(err)
	}
	if rows != n || analyses != n-failed {
		t.Errorf("apps: %d rows, %d analyses; want %d and %d", rows, analyses, n, n-failed)
	}
	// Both workers took part.
	var by []string
	r, err := conn.Query(ctx, `SELECT DISTINCT attempted_by[1] FROM river_job WHERE kind = 'appxray_analyze'`)
	if err != nil {
		t.Fatal(err)
	}
	by, err = pgx.CollectRows(r, pgx.RowTo[string])
	if err != nil || len(by) != 2 {
		t.Errorf("jobs worked by %v (%v), want both workers", by, err)
	}

	srvMem, w0, w1 := srv.peakRSS(), workers[0].peakRSS(), workers[1].peakRSS()
	perMin := float64(n) / uploaded.Minutes()
	t.Logf("load: %d corpus APKs (%.1f MB) uploaded concurrently in %.1f s (%.0f uploads/minute), all analysed in %.1f s (%.0f apps/minute, %d failed as unreadable)",
		n, float64(total)/1e6, uploaded.Seconds(), perMin, analysed.Seconds(), float64(n)/analysed.Minutes(), failed)
	t.Logf("load: peak memory (VmHWM): server %d MiB, workers %d MiB and %d MiB", srvMem>>20, w0>>20, w1>>20)
	const serverBound, workerBound = 256 << 20, 768 << 20
	if srvMem > serverBound {
		t.Errorf("server peak memory %d MiB, over %d MiB: uploads are buffered somewhere", srvMem>>20, serverBound>>20)
	}
	for _, m := range []int64{w0, w1} {
		if m > workerBound {
			t.Errorf("worker peak memory %d MiB, over %d MiB", m>>20, workerBound>>20)
		}
	}
	for _, p := range append(workers, srv) {
		if err := p.stop(); err != nil {
			t.Errorf("%s on SIGTERM: %v", p.name, err)
		}
	}
}
