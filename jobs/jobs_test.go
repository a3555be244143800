package jobs

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"appxray/detect"
	"appxray/internal/pgtest"
	"appxray/internal/testapp"
	"appxray/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type workspace struct {
	db    *store.DB
	blobs *store.Dir
	q     *Queue
}

func backends(t *testing.T, fn func(t *testing.T, ws *workspace)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			url := ""
			if name == "postgres" {
				url = pgtest.Database(t)
			}
			db, err := store.Open(ctx, url, dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := Migrate(ctx, db); err != nil {
				t.Fatalf("migrating twice: %v", err)
			}
			blobs, err := store.OpenDir(dir + "/blobs")
			if err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			w := &Worker{DB: db, Blobs: blobs, Log: log}
			q, err := NewQueue(db, w, Options{Workers: 2, Logger: log})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if err := q.Stop(ctx); err != nil {
					t.Error(err)
				}
			})
			fn(t, &workspace{db: db, blobs: blobs, q: q})
		})
	}
}

// put stores content as an upload and queues its analysis.
func (ws *workspace) put(t *testing.T, content []byte, name string) (string, int64) {
	t.Helper()
	ctx := context.Background()
	bw, err := ws.blobs.Create(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	bw.Write(content)
	sum, size, err := bw.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var job int64
	err = ws.db.InTx(ctx, func(tx *store.Tx) error {
		if _, _, err := tx.AddUpload(ctx, sum, size, name, "test"); err != nil {
			return err
		}
		job, err = ws.q.Enqueue(ctx, tx, sum, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sum, job
}

func (ws *workspace) wait(t *testing.T, sum string, status string) store.App {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		a, err := ws.db.Get(context.Background(), sum)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status == status {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %s (%s) after a minute, want %s", sum, a.Status, a.Error, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jobState waits for River to record a job's end.
func (ws *workspace) jobState(t *testing.T, id int64, want string) JobState {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		js, err := ws.q.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if js.State == want {
			return js
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d: %s, want %s", id, js.State, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAnalyseOnce(t *testing.T) {
	demo, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	backends(t, func(t *testing.T, ws *workspace) {
		ctx := context.Background()
		sum, job := ws.put(t, demo, "demo-ijop.apk")
		a := ws.wait(t, sum, store.StatusDone)
		if a.Analyses != 1 || a.AnalysedVersion != detect.Version || a.Package == "" || a.Attempts != 1 || a.JobID != job {
			t.Fatalf("after analysis: %+v", a)
		}
		rep, err := ws.db.Report(ctx, sum)
		if err != nil || !bytes.Contains(rep, []byte(`"name": "demo-ijop.apk"`)) {
			t.Fatalf("report (%v) does not name the upload", err)
		}
		ws.jobState(t, job, "completed")
		// Queued again for the same version: the same job, no new analysis.
		var again int64
		ws.db.InTx(ctx, func(tx *store.Tx) error {
			again, err = ws.q.Enqueue(ctx, tx, sum, 0)
			return err
		})
		if err != nil || again != job {
			t.Fatalf("second enqueue: job %d (%v), want %d", again, err, job)
		}
		// Asked for again by a user: a new job, a second analysis.
		var forced int64
		ws.db.InTx(ctx, func(tx *store.Tx) error {
			forced, err = ws.q.Enqueue(ctx, tx, sum, time.Now().UnixNano())
			return err
		})
		if err != nil || forced == job {
			t.Fatalf("forced enqueue: %d %v", forced, err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			a, _ = ws.db.Get(ctx, sum)
			if a.Analyses == 2 && a.Status == store.StatusDone {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("forced analysis did not run: %+v", a)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

func TestCorruptFileFailsAndQueueGoesOn(t *testing.T) {
	demo, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	backends(t, func(t *testing.T, ws *workspace) {
		corrupt := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xff}, 4096)...)
		bad, badJob := ws.put(t, corrupt, "corrupt.apk")
		html, _ := ws.put(t, []byte("<html><script>alert(1)</script></html>"), "page.html")
		good, _ := ws.put(t, demo, "demo.apk")
		a := ws.wait(t, bad, store.StatusFailed)
		if a.Error == "" || a.Analyses != 0 {
			t.Fatalf("corrupt file: %+v", a)
		}
		t.Logf("corrupt APK: %s", a.Error)
		if h := ws.wait(t, html, store.StatusFailed); h.Error == "" {
			t.Fatalf("HTML file: %+v", h)
		}
		ws.wait(t, good, store.StatusDone)
		if !strings.HasPrefix(a.Error, "corrupt.apk: ") {
			t.Errorf("the error does not name the upload: %s", a.Error)
		}
		if js := ws.jobState(t, badJob, "cancelled"); len(js.Errors) == 0 || !strings.Contains(js.Errors[0], a.Error) {
			t.Fatalf("the corrupt file's job: %+v", js)
		}
	})
}

func TestMissingBlobFails(t *testing.T) {
	backends(t, func(t *testing.T, ws *workspace) {
		ctx := context.Background()
		sum, _ := ws.put(t, []byte("gone"), "gone.apk")
		ws.wait(t, sum, store.StatusFailed) // not an app: fails at once
		// A file the blob store lost.
		lost := strings.Repeat("ab", 32)
		ws.db.InTx(ctx, func(tx *store.Tx) error {
			tx.AddUpload(ctx, lost, 1, "lost.apk", "test")
			_, err := ws.q.Enqueue(ctx, tx, lost, 0)
			return err
		})
		if a := ws.wait(t, lost, store.StatusFailed); !strings.Contains(a.Error, "missing") {
			t.Fatalf("lost blob: %+v", a)
		}
	})
}
