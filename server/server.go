// Package server is appxray serve's web app and JSON API: upload apps,
// follow their analysis, read their reports (the HTML report is the app
// page), search across every app analysed, compare versions of a package.
//
// Every page has a JSON twin under /api/, described by the OpenAPI 3
// document at /api/openapi.json. Every asset is embedded; nothing is
// loaded from elsewhere. An upload is never executed, never written under
// its own name and never served back as anything but an attachment.
package server

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"appxray/jobs"
	"appxray/store"
)

//go:embed templates/*.tmpl static/*
var assets embed.FS

//go:embed openapi.json
var openAPI []byte

// Config is what a server needs.
type Config struct {
	DB    *store.DB
	Blobs store.Blobs
	Queue *jobs.Queue
	// Addr is the address the server listens on: on any but a loopback
	// address it refuses to run without authentication configured.
	Addr string
	// MaxUpload caps one uploaded file (default 512 MiB).
	MaxUpload int64
	// Rate and Burst limit requests per second per client address
	// (defaults 20 and 200); uploads count ten times.
	Rate  float64
	Burst int
	// SecureCookies marks cookies Secure (always so behind TLS).
	SecureCookies bool
	// SessionTTL is how long a login lasts (default 12 hours).
	SessionTTL time.Duration
	Logger     *slog.Logger
}

// Server is the web app.
type Server struct {
	cfg     Config
	db      *store.DB
	blobs   store.Blobs
	queue   *jobs.Queue
	log     *slog.Logger
	csrfKey []byte
	limiter *limiter
	login   *limiter
	mux     *http.ServeMux
	pages   *pages

	authMu      sync.Mutex
	authChecked time.Time
	authOn      atomic.Bool
	requests    atomic.Int64
}

// ErrNoAuth is returned by New for a non-loopback address without
// authentication configured.
var ErrNoAuth = errors.New("server: refusing to listen on a non-loopback address without authentication: create a user first (appxray serve adduser)")

// IsLoopback reports whether a listening address is on loopback only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// New makes the server. It refuses a non-loopback address when the
// workspace has no user.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = 512 << 20
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 20
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 200
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	hasUsers, err := cfg.DB.HasUsers(ctx)
	if err != nil {
		return nil, err
	}
	if !hasUsers && !IsLoopback(cfg.Addr) {
		return nil, ErrNoAuth
	}
	key, err := cfg.DB.Setting(ctx, "csrf_key", func() string { return store.RandomSecret(32) })
	if err != nil {
		return nil, err
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, db: cfg.DB, blobs: cfg.Blobs, queue: cfg.Queue, log: cfg.Logger,
		csrfKey: []byte(key),
		limiter: newLimiter(cfg.Rate, float64(cfg.Burst)),
		login:   newLimiter(10.0/60, 10),
		pages:   p,
	}
	s.authOn.Store(hasUsers)
	s.authChecked = time.Now()
	s.mux = http.NewServeMux()
	for _, rt := range s.routes() {
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	return s, nil
}

// Handler is the whole app, with its middleware.
func (s *Server) Handler() http.Handler {
	return s.headers(s.logRequests(s.mux))
}

// route is one endpoint: who may call it and what answers.
type route struct {
	Method  string
	Pattern string
	Role    string // minimum role; "" for anyone
	Handler func(http.ResponseWriter, *http.Request)
	// Multipart routes check the CSRF token themselves, from the first
	// part, so that a file is streamed and never held in memory.
	Multipart bool
}

func (s *Server) routes() []route {
	v, a, ad := store.RoleViewer, store.RoleAnalyst, store.RoleAdmin
	return []route{
		// Pages.
		{Method: "GET", Pattern: "/{$}", Role: v, Handler: s.searchPage},
		{Method: "GET", Pattern: "/apps", Role: v, Handler: s.searchPage},
		{Method: "GET", Pattern: "/apps/{sha256}", Role: v, Handler: s.appPage},
		{Method: "GET", Pattern: "/apps/{sha256}/report.html", Role: v, Handler: s.reportDownload},
		{Method: "GET", Pattern: "/apps/{sha256}/file", Role: v, Handler: s.fileDownload},
		{Method: "POST", Pattern: "/apps/{sha256}/analyze", Role: a, Handler: s.analyzeForm},
		{Method: "POST", Pattern: "/apps/{sha256}/delete", Role: ad, Handler: s.deleteForm},
		{Method: "GET", Pattern: "/packages/{package}", Role: v, Handler: s.packagePage},
		{Method: "GET", Pattern: "/diff", Role: v, Handler: s.diffPage},
		{Method: "GET", Pattern: "/upload", Role: a, Handler: s.uploadPage},
		{Method: "POST", Pattern: "/upload", Role: a, Handler: s.uploadForm, Multipart: true},
		{Method: "GET", Pattern: "/login", Handler: s.loginPage},
		{Method: "POST", Pattern: "/login", Handler: s.loginForm},
		{Method: "POST", Pattern: "/logout", Handler: s.logoutForm},
		{Method: "GET", Pattern: "/account", Role: v, Handler: s.accountPage},
		{Method: "POST", Pattern: "/account/tokens", Role: v, Handler: s.tokenCreateForm},
		{Method: "POST", Pattern: "/account/tokens/{id}/delete", Role: v, Handler: s.tokenDeleteForm},
		{Method: "GET", Pattern: "/admin/users", Role: ad, Handler: s.usersPage},
		{Method: "POST", Pattern: "/admin/users", Role: ad, Handler: s.userCreateForm},
		{Method: "POST", Pattern: "/admin/users/{name}/role", Role: ad, Handler: s.userRoleForm},
		{Method: "POST", Pattern: "/admin/users/{name}/delete", Role: ad, Handler: s.userDeleteForm},
		{Method: "GET", Pattern: "/admin/audit", Role: ad, Handler: s.auditPage},
		{Method: "GET", Pattern: "/static/{file}", Handler: s.static},

		// The API.
		{Method: "GET", Pattern: "/api/health", Handler: s.apiHealth},
		{Method: "GET", Pattern: "/api/openapi.json", Handler: s.apiOpenAPI},
		{Method: "GET", Pattern: "/api/apps", Role: v, Handler: s.apiSearch},
		{Method: "POST", Pattern: "/api/apps", Role: a, Handler: s.apiUpload, Multipart: true},
		{Method: "GET", Pattern: "/api/apps/{sha256}", Role: v, Handler: s.apiApp},
		{Method: "DELETE", Pattern: "/api/apps/{sha256}", Role: ad, Handler: s.apiDelete},
		{Method: "GET", Pattern: "/api/apps/{sha256}/file", Role: v, Handler: s.fileDownload},
		{Method: "POST", Pattern: "/api/apps/{sha256}/analyze", Role: a, Handler: s.apiAnalyze},
		{Method: "GET", Pattern: "/api/packages/{package}", Role: v, Handler: s.apiPackage},
		{Method: "GET", Pattern: "/api/diff", Role: v, Handler: s.apiDiff},
		{Method: "POST", Pattern: "/api/reports", Role: a, Handler: s.apiImport, Multipart: true},
		{Method: "GET", Pattern: "/api/me", Role: v, Handler: s.apiMe},
		{Method: "GET", Pattern: "/api/tokens", Role: v, Handler: s.apiTokens},
		{Method: "POST", Pattern: "/api/tokens", Role: v, Handler: s.apiTokenCreate},
		{Method: "DELETE", Pattern: "/api/tokens/{id}", Role: v, Handler: s.apiTokenDelete},
		{Method: "GET", Pattern: "/api/users", Role: ad, Handler: s.apiUsers},
		{Method: "POST", Pattern: "/api/users", Role: ad, Handler: s.apiUserCreate},
		{Method: "GET", Pattern: "/api/audit", Role: ad, Handler: s.apiAudit},
	}
}

// Serve answers on ln until ctx ends, then shuts down gracefully: no new
// connection, in-flight requests finish (up to 30 seconds).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	go s.sweepLoop(ctx)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-done
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// sweepLoop removes what dead uploads left, settles jobs River gave up
// on, and runs until ctx ends.
func (s *Server) sweepLoop(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		s.Maintain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Maintain sweeps orphaned temporary uploads and reconciles jobs.
func (s *Server) Maintain(ctx context.Context) {
	if n, err := s.blobs.Sweep(ctx); err != nil {
		s.log.Warn("sweeping temporary uploads", "err", err)
	} else if n > 0 {
		s.log.Info("removed partial uploads", "count", n)
	}
	if s.queue != nil {
		if n, err := s.queue.Reconcile(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("reconciling jobs", "err", err)
		} else if n > 0 {
			s.log.Info("apps whose analysis was given up marked failed", "count", n)
		}
	}
}

// authRequired reports whether requests must be authenticated: once any
// user exists, always (checked again at most every second).
func (s *Server) authRequired(ctx context.Context) bool {
	if s.authOn.Load() {
		return true
	}
	s.authMu.Lock()
	defer s.authMu.Unlock()
	if time.Since(s.authChecked) > time.Second {
		if has, err := s.db.HasUsers(ctx); err == nil {
			s.authOn.Store(has)
			s.authChecked = time.Now()
		} else {
			return true // fail closed
		}
	}
	return s.authOn.Load()
}

// clientAddr is the remote IP address of a request.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		id := s.requests.Add(1)
		next.ServeHTTP(sw, r)
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.Log(r.Context(), level, "request", "id", id, "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "remote", clientAddr(r), "took", time.Since(start).Round(time.Microsecond))
	})
}

// pageCSP is the policy of every page: scripts and styles from the
// server only (no inline script), nothing framed, no form posted
// elsewhere.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// headers sets the security headers every response carries.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// wrap applies a route's limits, authentication, role and CSRF check.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cost := 1.0
		if rt.Multipart {
			cost = 10
		}
		if !s.limiter.allow(clientAddr(r), cost) {
			w.Header().Set("Retry-After", "1")
			s.fail(w, r, http.StatusTooManyRequests, "too many requests: slow down")
			return
		}
		if !rt.Multipart {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		}
		open := !s.authRequired(r.Context())
		if open && !loopbackHost(r.Host) {
			// Without accounts the server trusts its loopback address;
			// a foreign Host is a DNS-rebinding page, refused.
			s.fail(w, r, http.StatusMisdirectedRequest, "this workspace answers only to localhost until it has accounts")
			return
		}
		id, err := s.identify(r, open)
		if err != nil {
			s.fail(w, r, http.StatusInternalServerError, "authentication failed")
			s.log.Error("identifying a request", "err", err)
			return
		}
		r = r.WithContext(withIdentity(r.Context(), id))
		if rt.Role != "" && id.User == nil {
			if isAPI(r) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="appxray"`)
				s.fail(w, r, http.StatusUnauthorized, "authentication required: log in or send Authorization: Bearer TOKEN")
				return
			}
			http.Redirect(w, r, "/login?next="+urlEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if rt.Role != "" && store.RoleRank(id.User.Role) < store.RoleRank(rt.Role) {
			s.fail(w, r, http.StatusForbidden, "your role ("+id.User.Role+") may not do this: it needs "+rt.Role)
			return
		}
		if unsafeMethod(r.Method) && !rt.Multipart {
			if !s.csrfOK(r, id, r.PostFormValue("csrf")) {
				s.fail(w, r, http.StatusForbidden, "CSRF token missing or wrong: reload the page and try again")
				return
			}
		}
		rt.Handler(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// limiter is a token bucket per client address.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: map[string]*bucket{}}
}

func (l *limiter) allow(key string, cost float64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.buckets) > 10000 {
		for k, b := range l.buckets {
			if now.Sub(b.last) > time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < cost {
		return false
	}
	b.tokens -= cost
	return true
}
