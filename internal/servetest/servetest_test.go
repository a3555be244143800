package servetest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"appxray/internal/corpus"
	"appxray/internal/pgtest"
)

var binary string

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(&buildFirst{m}))
}

// buildFirst builds appxray and appxray-server side by side before the
// tests run: the tests start appxray serve and appxray worker, which run
// appxray-server in their place.
type buildFirst struct{ m *testing.M }

func (b *buildFirst) Run() int {
	dir, err := os.MkdirTemp("", "appxray-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "appxray")
	for _, c := range []string{"appxray", "appxray-server"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, c), "./cmd/"+c)
		cmd.Dir = corpus.Root()
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n%s", c, err, out)
			return 1
		}
	}
	return b.m.Run()
}

// proc is a running appxray process.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

func start(t *testing.T, name string, env []string, args ...string) *proc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); f.Close(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			t.Logf("%s's last log lines:\n%s", name, strings.Join(lines[max(0, len(lines)-25):], "\n"))
		}
	})
	return p
}

// peakRSS is the process's peak resident memory so far, in bytes.
func (p *proc) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// stop asks the process to stop (SIGTERM) and waits for it.
func (p *proc) stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(90 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not stop within 90 s of SIGTERM", p.name)
	}
}

func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve starts appxray serve and waits for it to answer.
func serve(t *testing.T, env []string, args ...string) (*proc, string) {
	t.Helper()
	addr := freeAddr(t)
	p := start(t, "serve", env, append([]string{"serve", "--addr", addr, "--log-format", "json"}, args...)...)
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return p, base
			}
		}
		select {
		case <-p.done:
			t.Fatalf("appxray serve exited: %v", p.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("appxray serve did not answer within a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type uploadResult struct {
	SHA256  string `json:"sha256"`
	Created bool   `json:"created"`
	JobID   int64  `json:"job_id"`
}

// upload streams one file to POST /api/apps without holding it in memory.
func upload(ctx context.Context, base, path string) (uploadResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return uploadResult{}, err
	}
	defer f.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			_, err = io.Copy(fw, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/apps", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return uploadResult{}, err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 && res.StatusCode != 201 {
		return uploadResult{}, fmt.Errorf("%s: %d %s", path, res.StatusCode, body)
	}
	var up uploadResult
	return up, json.Unmarshal(body, &up)
}

type appStatus struct {
	App struct {
		SHA256   string `json:"sha256"`
		Status   string `json:"status"`
		Error    string `json:"error"`
		Analyses int    `json:"analyses"`
		Attempts int    `json:"attempts"`
	} `json:"app"`
	Job struct {
		State       string   `json:"state"`
		Attempt     int      `json:"attempt"`
		AttemptedBy []string `json:"attempted_by"`
		Errors      []string `json:"errors"`
	} `json:"job"`
}

func getApp(t *testing.T, base, sum string) appStatus {
	t.Helper()
	res, err := http.Get(base + "/api/apps/" + sum)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a appStatus
	// The report is large; read only what is needed.
	dec := json.NewDecoder(bufio.NewReader(res.Body))
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("app %s: %v", sum, err)
	}
	return a
}

func waitStatus(t *testing.T, base, sum string, timeout time.Duration, want ...string) appStatus {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		a := getApp(t, base, sum)
		for _, w := range want {
			if a.App.Status == w {
				return a
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s after %s, want %v (%s)", sum, a.App.Status, timeout, want, a.App.Error)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func fileSum(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))
}

// corpusAPKs picks n corpus APKs of distinct content spread evenly over
// the corpus's sizes, from the smallest to the largest.
func corpusAPKs(t *testing.T, n int) (paths, sums []string) {
	type apk struct {
		path, sum string
		size      int64
	}
	seen := map[string]bool{}
	var all []apk
	for _, p := range corpus.APKs(t) {
		s := fileSum(t, p)
		st, err := os.Stat(p)
		if seen[s] || err != nil {
			continue
		}
		seen[s] = true
		all = append(all, apk{p, s, st.Size()})
	}
	if len(all) < n {
		t.Fatalf("the corpus has %d distinct APKs, fewer than %d", len(all), n)
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].size < all[j].size || all[i].size == all[j].size && all[i].path < all[j].path
	})
	for i := 0; i < n; i++ {
		a := all[i*(len(all)-1)/(n-1)]
		paths, sums = append(paths, a.path), append(sums, a.sum)
	}
	return paths, sums
}
