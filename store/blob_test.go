package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func sumOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// blobSuite is what every blob store must do.
func blobSuite(t *testing.T, b Blobs) {
	ctx := context.Background()
	content := bytes.Repeat([]byte("appxray blob "), 10000)

	w, err := b.Create(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	sum, size, err := w.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum != sumOf(content) || size != int64(len(content)) {
		t.Fatalf("commit = %s %d, want %s %d", sum, size, sumOf(content), len(content))
	}
	if err := w.Abort(); err != nil {
		t.Errorf("abort after commit: %v", err)
	}
	if n, err := b.Stat(ctx, sum); err != nil || n != size {
		t.Fatalf("stat = %d, %v", n, err)
	}
	rc, err := b.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, content) {
		t.Fatalf("read back %d bytes, differing", len(got))
	}

	// The same content again is stored once and gives the same address.
	w2, _ := b.Create(ctx, 0)
	w2.Write(content)
	if sum2, _, err := w2.Commit(ctx); err != nil || sum2 != sum {
		t.Fatalf("second commit = %s, %v", sum2, err)
	}

	// Over the limit: refused, and nothing is stored.
	w3, _ := b.Create(ctx, 100)
	if _, err := w3.Write(make([]byte, 101)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("write past limit: %v, want ErrTooLarge", err)
	}
	if err := w3.Abort(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Stat(ctx, sumOf(make([]byte, 101))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("aborted blob: stat err %v, want ErrNotFound", err)
	}

	// Names that are not hashes go nowhere.
	for _, bad := range []string{"../../etc/passwd", "", strings.Repeat("A", 64), sum[:63] + "/", "../" + sum[3:]} {
		if _, err := b.Open(ctx, bad); err == nil || errors.Is(err, ErrNotFound) {
			t.Errorf("Open(%q) = %v, want a refusal", bad, err)
		}
		if err := b.Delete(ctx, bad); err == nil {
			t.Errorf("Delete(%q) accepted", bad)
		}
	}

	if err := b.Delete(ctx, sum); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(ctx, sum); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v, want ErrNotFound", err)
	}
	if err := b.Delete(ctx, sum); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestDirBlobs(t *testing.T) {
	root := t.TempDir()
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	blobSuite(t, d)

	// A stored blob's file is named by its hash only, read-only.
	ctx := context.Background()
	w, _ := d.Create(ctx, 0)
	w.Write([]byte("x"))
	sum, _, _ := w.Commit(ctx)
	p, _ := d.Path(sum)
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Fatalf("blob file %s: %v %v", p, fi.Mode(), err)
	}
	if rel, _ := filepath.Rel(root, p); rel != filepath.Join("sha256", sum[:2], sum) {
		t.Fatalf("blob stored at %s", rel)
	}
}

func TestSweepRemovesOnlyOrphans(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	live, _ := d.Create(ctx, 0)
	live.Write([]byte("still being written"))
	// A file a dead writer left: nobody holds its lock.
	orphan := filepath.Join(d.TempDir(), "upload-orphan")
	if err := os.WriteFile(orphan, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := d.Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatal("orphan still there")
	}
	if _, _, err := live.Commit(ctx); err != nil {
		t.Fatalf("the live writer was disturbed: %v", err)
	}
	if ents, _ := os.ReadDir(d.TempDir()); len(ents) != 0 {
		t.Fatalf("temp dir not empty after commit: %v", ents)
	}
}

func TestS3BlobsAgainstFakeS3(t *testing.T) {
	backend := s3mem.New()
	faker := gofakes3.New(backend, gofakes3.WithIntegrityCheck(true))
	var sawAuth, sawSHA bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDTEST/") {
			sawAuth = true
		}
		if r.Method == http.MethodPut && ValidSum(r.Header.Get("X-Amz-Content-Sha256")) {
			sawSHA = true
		}
		faker.Server().ServeHTTP(w, r)
	}))
	defer srv.Close()
	if err := backend.CreateBucket("blobs"); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	cfg, err := ParseS3URL("s3://blobs/team?endpoint="+srv.URL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	blobSuite(t, s)
	if !sawAuth || !sawSHA {
		t.Fatalf("requests not signed (auth %v, payload hash %v)", sawAuth, sawSHA)
	}
	// Objects live under the prefix, named by hash.
	w, _ := s.Create(context.Background(), 0)
	w.Write([]byte("hello"))
	sum, _, err := w.Commit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backend.HeadObject("blobs", "team/sha256/"+sum); err != nil {
		t.Fatalf("object not at team/sha256/%s: %v", sum, err)
	}
	if ents, _ := os.ReadDir(cfg.TempDir); len(ents) != 0 {
		t.Fatalf("local temp files left: %v", ents)
	}
}

// TestSigV4KnownAnswer signs the GET Object example of Amazon's Signature
// Version 4 documentation and compares with the signature printed there.
func TestSigV4KnownAnswer(t *testing.T) {
	s, err := OpenS3(S3Config{Endpoint: "https://examplebucket.s3.amazonaws.com", Bucket: "examplebucket",
		AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	req.Header.Set("Range", "bytes=0-9")
	s.sign(req, emptySHA256, time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC))
	want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
		"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	if got := req.Header.Get("Authorization"); got != want {
		t.Fatalf("Authorization:\n got %s\nwant %s", got, want)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":       "passwd",
		`..\..\windows\evil.apk`: "evil.apk",
		"app\x00.apk\n":          "app.apk",
		"..":                     "upload",
		"/":                      "upload",
		"report\u202egnp.apk":    "reportgnp.apk",
		"普通话.apk":                "普通话.apk",
		strings.Repeat("é", 150): strings.Repeat("é", 100),
	} {
		if got := CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
