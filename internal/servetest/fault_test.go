package servetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"appxray/internal/corpus"
	"appxray/internal/pgtest"
	"appxray/internal/testapp"
)

// stallingS3 is an S3-compatible server (gofakes3) that holds the first
// GET of one object until the client goes away: a worker fetching it is
// mid-job for as long as the test wants.
type stallingS3 struct {
	h       http.Handler
	mu      sync.Mutex
	key     string
	stalled chan struct{}
	done    bool
}

func (s *stallingS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	stall := r.Method == http.MethodGet && s.key != "" && strings.HasSuffix(r.URL.Path, "/"+s.key) && !s.done
	if stall {
		s.done = true
	}
	s.mu.Unlock()
	if stall {
		close(s.stalled)
		<-r.Context().Done() // until the worker dies
		return
	}
	s.h.ServeHTTP(w, r)
}

// TestWorkerKilledMidJob kills (SIGKILL) the worker that is fetching an
// app, and checks that River's rescuer hands the job to the other worker,
// which finishes it: analysed once, on the second attempt.
func TestWorkerKilledMidJob(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for River's rescuer, up to a minute")
	}
	demo := testapp.Demo(t)
	sum := fileSum(t, demo)
	backend := s3mem.New()
	if err := backend.CreateBucket("apps"); err != nil {
		t.Fatal(err)
	}
	s3 := &stallingS3{h: gofakes3.New(backend).Server(), key: sum, stalled: make(chan struct{})}
	fake := httptest.NewServer(s3)
	defer fake.Close()
	env := []string{"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test"}
	blobs := "s3://apps/team?endpoint=" + fake.URL
	dbURL := pgtest.Database(t)
	_, base := serve(t, env, "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "0")
	queue := []string{"--job-timeout", "4s", "--rescue-after", "6s", "--workers", "1"}
	first := start(t, "worker-1", env, append([]string{"worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs}, queue...)...)

	up, err := upload(context.Background(), base, demo)
	if err != nil {
		t.Fatal(err)
	}
	if up.SHA256 != sum {
		t.Fatalf("uploaded %s, want %s", up.SHA256, sum)
	}
	select {
	case <-s3.stalled:
	case <-time.After(60 * time.Second):
		t.Fatal("no worker fetched the app within a minute")
	}
	if a := getApp(t, base, sum); a.App.Status != "running" {
		t.Fatalf("while the worker fetches: %s", a.App.Status)
	}
	first.kill()
	killed := time.Now()
	start(t, "worker-2", env, append([]string{"worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs}, queue...)...)
	a := waitStatus(t, base, sum, 2*time.Minute, "done")
	if a.App.Analyses != 1 || a.App.Attempts < 2 || a.Job.Attempt < 2 || len(a.Job.AttemptedBy) < 2 || a.Job.AttemptedBy[0] == a.Job.AttemptedBy[len(a.Job.AttemptedBy)-1] {
		t.Fatalf("after the rescue: %+v", a)
	}
	t.Logf("fault: worker killed mid-job; the job finished on the other worker %.1f s later (attempt %d, by %v)", time.Since(killed).Seconds(), a.Job.Attempt, a.Job.AttemptedBy)
}

// TestWorkerStoppedMidJob stops a worker (SIGTERM) while it fetches an
// app: after its shutdown grace it hands the job back, exits cleanly, and
// the other worker finishes the job.
func TestWorkerStoppedMidJob(t *testing.T) {
	demo := testapp.Demo(t)
	sum := fileSum(t, demo)
	backend := s3mem.New()
	if err := backend.CreateBucket("apps"); err != nil {
		t.Fatal(err)
	}
	s3 := &stallingS3{h: gofakes3.New(backend).Server(), key: sum, stalled: make(chan struct{})}
	fake := httptest.NewServer(s3)
	defer fake.Close()
	env := []string{"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test"}
	blobs := "s3://apps?endpoint=" + fake.URL
	dbURL := pgtest.Database(t)
	_, base := serve(t, env, "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "0")
	queue := []string{"--workers", "1", "--shutdown-grace", "2s"}
	first := start(t, "worker-1", env, append([]string{"worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs}, queue...)...)
	if _, err := upload(context.Background(), base, demo); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s3.stalled:
	case <-time.After(60 * time.Second):
		t.Fatal("no worker fetched the app within a minute")
	}
	start(t, "worker-2", env, append([]string{"worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs}, queue...)...)
	stopped := time.Now()
	if err := first.stop(); err != nil {
		t.Fatalf("worker-1 on SIGTERM: %v", err)
	}
	if d := time.Since(stopped); d > 20*time.Second {
		t.Errorf("worker-1 took %s to stop with a 2 s grace", d)
	}
	waitStatus(t, base, sum, time.Minute, "done")
	a := waitJob(t, base, sum, "completed")
	if a.App.Analyses != 1 || len(a.Job.AttemptedBy) != 2 || a.Job.AttemptedBy[0] == a.Job.AttemptedBy[1] {
		t.Fatalf("after the hand-back: %+v", a)
	}
	t.Logf("fault: worker stopped (SIGTERM) mid-job exited in %.1f s and handed the job back; the other worker finished it (attempted by %v)", time.Since(stopped).Seconds(), a.Job.AttemptedBy)
}

// waitJob waits for River to record the end of an app's job.
func waitJob(t *testing.T, base, sum, state string) appStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := getApp(t, base, sum)
		if a.Job.State == state {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("job of %s: %s, want %s", sum, a.Job.State, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServerRestartedMidUpload kills the server while a file is half
// uploaded, starts it again, and checks that nothing of the upload is
// left: no temporary file, no blob, no app.
func TestServerRestartedMidUpload(t *testing.T) {
	big := corpus.File(t, "/usr/share/android-framework-res/framework-res.apk")
	data, blobs := t.TempDir(), t.TempDir()
	srv, base := serve(t, nil, "--data", data, "--blobs", blobs, "--workers", "1")

	f, err := os.Open(big)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, pw := io.Pipe()
	boundary := "x-appxray-test"
	go func() {
		io.WriteString(pw, "--"+boundary+"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"framework-res.apk\"\r\nContent-Type: application/octet-stream\r\n\r\n")
		io.CopyN(pw, f, 8<<20) // half of it, then nothing more
		<-time.After(2 * time.Minute)
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", base+"/api/apps", pr)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	go func() {
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	tmp := filepath.Join(blobs, "tmp")
	deadline := time.Now().Add(30 * time.Second)
	for {
		ents, _ := os.ReadDir(tmp)
		if len(ents) == 1 {
			if fi, err := ents[0].Info(); err == nil && fi.Size() >= 8<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the partial upload never reached the blob store's temporary directory (%d files)", len(ents))
		}
		time.Sleep(50 * time.Millisecond)
	}
	srv.kill()
	if ents, _ := os.ReadDir(tmp); len(ents) != 1 {
		t.Fatalf("after the kill: %d temporary files", len(ents))
	}
	_, base = serve(t, nil, "--data", data, "--blobs", blobs, "--workers", "1")
	deadline = time.Now().Add(20 * time.Second)
	for {
		ents, _ := os.ReadDir(tmp)
		if len(ents) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the restarted server left %d partial uploads", len(ents))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := countBlobs(t, blobs); n != 0 {
		t.Errorf("%d blobs stored from a partial upload", n)
	}
	res, err := http.Get(base + "/api/apps")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `"total": 0`) {
		t.Errorf("apps after the restart: %.200s", b)
	}
	t.Logf("fault: server killed mid-upload (8 MiB of %s sent); after the restart no temporary file, blob or app was left", filepath.Base(big))
}

func countBlobs(t *testing.T, root string) int {
	n := 0
	filepath.Walk(filepath.Join(root, "sha256"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestCorruptAPKQueueGoesOn sends a corrupt APK between two good ones to
// a server with a worker process: the corrupt one fails with its error, at
// once, and the others are analysed.
func TestCorruptAPKQueueGoesOn(t *testing.T) {
	demo := testapp.Demo(t)
	other := corpus.File(t, ".corpus/npm/io.appium.settings/package/apks/settings_apk-debug.apk")
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.apk")
	b, _ := os.ReadFile(demo)
	b = append([]byte(nil), b[:len(b)/2]...) // cut in half: no central directory
	if err := os.WriteFile(corrupt, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dbURL := pgtest.Database(t)
	blobs := t.TempDir()
	_, base := serve(t, nil, "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "0")
	start(t, "worker", nil, "worker", "--db", dbURL, "--data", t.TempDir(), "--blobs", blobs, "--workers", "1")
	var sums []string
	for _, p := range []string{demo, corrupt, other} {
		up, err := upload(context.Background(), base, p)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, up.SHA256)
	}
	bad := waitStatus(t, base, sums[1], time.Minute, "done", "failed")
	if bad.App.Status != "failed" || !strings.HasPrefix(bad.App.Error, "corrupt.apk: ") || bad.App.Attempts != 1 {
		t.Fatalf("corrupt APK: %+v", bad.App)
	}
	for _, s := range []string{sums[0], sums[2]} {
		waitStatus(t, base, s, time.Minute, "done")
	}
	if a := getApp(t, base, sums[1]); a.Job.State != "cancelled" || len(a.Job.Errors) != 1 {
		t.Errorf("the corrupt APK's job: %+v", a.Job)
	}
	t.Logf("fault: corrupt APK failed at once (%s); the queue went on", bad.App.Error)
}
