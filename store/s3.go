package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"
)

// S3Config addresses a bucket of S3-compatible object storage.
type S3Config struct {
	// Endpoint is the service's base URL ("https://s3.eu-central-1.amazonaws.com",
	// "http://127.0.0.1:9000"); requests use path-style addresses
	// (Endpoint/Bucket/Key), which every S3-compatible server accepts.
	Endpoint  string
	Bucket    string
	Prefix    string // put before every key, "appxray/" say
	Region    string // "us-east-1" when empty
	AccessKey string
	SecretKey string
	// TempDir holds an upload while its hash is computed, before it is sent.
	TempDir string
	Client  *http.Client
}

// ParseS3URL reads s3://bucket/prefix?endpoint=URL&region=R; the
// credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
func ParseS3URL(raw, tempDir string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("store: %q is not s3://bucket[/prefix]?endpoint=URL", raw)
	}
	q := u.Query()
	cfg := S3Config{
		Endpoint:  q.Get("endpoint"),
		Bucket:    u.Host,
		Prefix:    strings.TrimPrefix(u.Path, "/"),
		Region:    q.Get("region"),
		AccessKey: os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		TempDir:   tempDir,
	}
	if cfg.Endpoint == "" {
		region := cfg.Region
		if region == "" {
			region = "us-east-1"
		}
		cfg.Endpoint = "https://s3." + region + ".amazonaws.com"
	}
	if cfg.Prefix != "" && !strings.HasSuffix(cfg.Prefix, "/") {
		cfg.Prefix += "/"
	}
	return cfg, nil
}

// S3 is a blob store in a bucket, one object per blob named by its hash.
type S3 struct {
	cfg      S3Config
	endpoint *url.URL
	client   *http.Client
	now      func() time.Time
}

// OpenS3 returns the store for a bucket; it makes no request.
func OpenS3(cfg S3Config) (*S3, error) {
	ep, err := url.Parse(strings.TrimSuffix(cfg.Endpoint, "/"))
	if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" {
		return nil, fmt.Errorf("store: S3 endpoint %q is not an http(s) URL", cfg.Endpoint)
	}
	if cfg.Bucket == "" {
		return nil, errors.New("store: S3 needs a bucket")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	if err := os.MkdirAll(cfg.TempDir, 0o750); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	c := cfg.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Minute}
	}
	return &S3{cfg: cfg, endpoint: ep, client: c, now: time.Now}, nil
}

func (s *S3) String() string { return "s3://" + s.cfg.Bucket + "/" + s.cfg.Prefix }

func (s *S3) objectURL(sum string) *url.URL {
	u := *s.endpoint
	u.Path = s.endpoint.Path + "/" + s.cfg.Bucket + "/" + s.cfg.Prefix + "sha256/" + sum
	return &u
}

// TempDir is where uploads wait for their hash before they are sent.
func (s *S3) TempDir() string { return s.cfg.TempDir }

// Create buffers the blob in a locked local temporary file: its key, the
// hash, is known only at the end, and S3 checks the payload against it.
func (s *S3) Create(ctx context.Context, limit int64) (BlobWriter, error) {
	f, err := createLockedTemp(s.cfg.TempDir)
	if err != nil {
		return nil, err
	}
	return &s3Writer{s: s, f: f, hw: newHashingWriter(f, limit)}, nil
}

type s3Writer struct {
	s    *S3
	f    *os.File
	hw   *hashingWriter
	done bool
}

func (w *s3Writer) Write(p []byte) (int, error) { return w.hw.Write(p) }

func (w *s3Writer) Commit(ctx context.Context) (string, int64, error) {
	if w.done {
		return "", 0, errors.New("store: blob already committed or aborted")
	}
	w.done = true
	defer func() { w.f.Close(); os.Remove(w.f.Name()) }()
	sum, size := w.hw.sum(), w.hw.n
	if _, err := w.s.Stat(ctx, sum); err == nil {
		return sum, size, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", 0, err
	}
	if _, err := w.f.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("store: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, w.s.objectURL(sum).String(), io.NopCloser(w.f))
	if err != nil {
		return "", 0, fmt.Errorf("store: %w", err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := w.s.do(req, sum)
	if err != nil {
		return "", 0, err
	}
	resp.Body.Close()
	return sum, size, nil
}

func (w *s3Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	w.f.Close()
	return os.Remove(w.f.Name())
}

// Open streams the object.
func (s *S3) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if err := checkSum(sum); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.objectURL(sum).String(), nil)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	resp, err := s.do(req, emptySHA256)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Stat asks for the object's size.
func (s *S3) Stat(ctx context.Context, sum string) (int64, error) {
	if err := checkSum(sum); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.objectURL(sum).String(), nil)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	resp, err := s.do(req, emptySHA256)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.ContentLength, nil
}

// Delete removes the object.
func (s *S3) Delete(ctx context.Context, sum string) error {
	if err := checkSum(sum); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.objectURL(sum).String(), nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	resp, err := s.do(req, emptySHA256)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// Sweep removes local temporary files of dead writers.
func (s *S3) Sweep(ctx context.Context) (int, error) { return sweepTemp(s.cfg.TempDir) }

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// do signs and sends a request whose payload has the given SHA-256, and
// turns a status other than 2xx into an error.
func (s *S3) do(req *http.Request, payloadSHA256 string) (*http.Response, error) {
	s.sign(req, payloadSHA256, s.now().UTC())
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("store: S3 %s: %w", req.Method, err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("store: S3 %s %s: %w", req.Method, req.URL.Path, ErrNotFound)
	}
	return nil, fmt.Errorf("store: S3 %s %s: %s: %s", req.Method, req.URL.Path, resp.Status, strings.TrimSpace(string(body)))
}

// sign adds AWS Signature Version 4 headers to req.
func (s *S3) sign(req *http.Request, payloadSHA256 string, t time.Time) {
	amzDate := t.Format("20060102T150405Z")
	day := t.Format("20060102")
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payloadSHA256)
	if s.cfg.AccessKey == "" {
		return // anonymous access
	}
	host := req.URL.Host
	signed := map[string]string{"host": host}
	for k, v := range req.Header {
		lk := strings.ToLower(k)
		if lk == "content-type" || lk == "range" || strings.HasPrefix(lk, "x-amz-") {
			signed[lk] = strings.TrimSpace(strings.Join(v, ","))
		}
	}
	names := make([]string, 0, len(signed))
	for k := range signed {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, k := range names {
		canonHeaders.WriteString(k + ":" + signed[k] + "\n")
	}
	signedHeaders := strings.Join(names, ";")
	canonical := strings.Join([]string{
		req.Method,
		canonicalPath(req.URL),
		canonicalQuery(req.URL.Query()),
		canonHeaders.String(),
		signedHeaders,
		payloadSHA256,
	}, "\n")
	scope := day + "/" + s.cfg.Region + "/s3/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hexSHA256(canonical)
	key := hmacSHA256([]byte("AWS4"+s.cfg.SecretKey), day)
	key = hmacSHA256(key, s.cfg.Region)
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+s.cfg.AccessKey+"/"+scope+
		",SignedHeaders="+signedHeaders+",Signature="+sig)
}

func canonicalPath(u *url.URL) string {
	if p := uriEncode(u.Path, false); p != "" {
		return p
	}
	return "/"
}

// uriEncode encodes the way SigV4 wants: every byte but unreserved
// characters (and '/' unless encodeSlash) percent-encoded.
func uriEncode(p string, encodeSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			parts = append(parts, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	return strings.Join(parts, "&")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func hexSHA256(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
