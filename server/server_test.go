package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"appxray/internal/corpus"
	"appxray/internal/pgtest"
	"appxray/internal/testapp"
	"appxray/jobs"
	"appxray/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

type ws struct {
	t    *testing.T
	url  string
	db   *store.DB
	data string
	srv  *Server
}

type wsOptions struct {
	rate      float64
	burst     int
	maxUpload int64
}

// backends runs fn against a workspace on SQLite and one on PostgreSQL,
// each with one in-process worker.
func backends(t *testing.T, fn func(t *testing.T, w *ws)) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dbURL := ""
			if name == "postgres" {
				dbURL = pgtest.Database(t)
			}
			fn(t, newWS(t, dbURL, wsOptions{}))
		})
	}
}

func newWS(t *testing.T, dbURL string, o wsOptions) *ws {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	db, err := store.Open(ctx, dbURL, data)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := jobs.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	blobs, err := store.OpenDir(filepath.Join(data, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.NewQueue(db, &jobs.Worker{DB: db, Blobs: blobs, Log: log}, jobs.Options{Workers: 1, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	srv, err := New(ctx, Config{DB: db, Blobs: blobs, Queue: q, Addr: "127.0.0.1:0", Logger: log,
		Rate: o.rate, Burst: o.burst, MaxUpload: o.maxUpload})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &ws{t: t, url: hs.URL, db: db, data: data, srv: srv}
}

// client is a user agent: a browser (with cookies and an Origin) or a
// script (neither).
type client struct {
	w       *ws
	c       *http.Client
	browser bool
	token   string
}

func (w *ws) script() *client { return &client{w: w, c: noRedirect(nil)} }

func (w *ws) browser() *client {
	jar, _ := cookiejar.New(nil)
	return &client{w: w, c: noRedirect(jar), browser: true}
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (c *client) do(method, path string, body io.Reader, contentType string) resp {
	c.w.t.Helper()
	req, err := http.NewRequest(method, c.w.url+path, body)
	if err != nil {
		c.w.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.browser {
		req.Header.Set("Origin", c.w.url)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, b}
}

func (c *client) get(path string) resp { return c.do("GET", path, nil, "") }

func (c *client) postForm(path string, form url.Values) resp {
	return c.do("POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's form.
func (c *client) csrf(page string) string {
	c.w.t.Helper()
	r := c.get(page)
	m := csrfField.FindSubmatch(r.body)
	if m == nil {
		c.w.t.Fatalf("%s (%d) has no CSRF field", page, r.status)
	}
	return string(m[1])
}

// upload sends files as one multipart request, the CSRF token first when
// given.
func (c *client) upload(path, csrf string, files map[string][]byte) resp {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fw, _ := mw.CreateFormFile("file", n)
		fw.Write(files[n])
	}
	mw.Close()
	return c.do("POST", path, &buf, mw.FormDataContentType())
}

func (c *client) json(r resp, v any) {
	c.w.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		c.w.t.Fatalf("not JSON (%d): %v: %.300s", r.status, err, r.body)
	}
}

type appResp struct {
	App    store.App       `json:"app"`
	Report json.RawMessage `json:"report"`
}

func (c *client) waitApp(sum string, want ...string) appResp {
	c.w.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var a appResp
		c.json(c.get("/api/apps/"+sum), &a)
		if slices.Contains(want, a.App.Status) {
			return a
		}
		if time.Now().After(deadline) {
			c.w.t.Fatalf("%s: %s (%s), want %v", sum, a.App.Status, a.App.Error, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type uploadResp struct {
	SHA256  string `json:"sha256"`
	JobID   int64  `json:"job_id"`
	Status  string `json:"status"`
	Created bool   `json:"created"`
	Uploads []struct {
		SHA256, Name, Status string
		Created              bool
	} `json:"uploads"`
}

func readDemo(t *testing.T) []byte {
	b, err := os.ReadFile(testapp.Demo(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUploadAnalyseSearch(t *testing.T) {
	demo := readDemo(t)
	backends(t, func(t *testing.T, w *ws) {
		c := w.script()
		r := c.upload("/api/apps", "", map[string][]byte{"demo-ijop.apk": demo})
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var up uploadResp
		c.json(r, &up)
		if !store.ValidSum(up.SHA256) || up.JobID == 0 || up.Status != store.StatusQueued || !up.Created {
			t.Fatalf("upload answer: %+v", up)
		}
		a := c.waitApp(up.SHA256, store.StatusDone)
		if a.App.Package != "org.appxray.demo.ijop" || len(a.Report) == 0 || a.App.Analyses != 1 {
			t.Fatalf("app: %+v, report %d bytes", a.App, len(a.Report))
		}
		// The same file again: recognised, not queued again.
		r = c.upload("/api/apps", "", map[string][]byte{"copy.apk": demo})
		var again uploadResp
		c.json(r, &again)
		if r.status != http.StatusOK || again.Created || again.SHA256 != up.SHA256 || again.Status != store.StatusDone {
			t.Fatalf("second upload: %d %+v", r.status, again)
		}
		if a := c.waitApp(up.SHA256, store.StatusDone); a.App.Analyses != 1 {
			t.Fatalf("analysed %d times", a.App.Analyses)
		}

		for _, q := range []string{"category=special", "category=person.religion", "host=ijop-demo.invalid", "q=%E6%B0%91%E6%97%8F", "package=org.appxray.demo.ijop", "tracker=" + url.QueryEscape(demoTracker(t, a.Report))} {
			var res struct {
				Total  int                      `json:"total"`
				Apps   []store.App              `json:"apps"`
				Facets map[string][]store.Facet `json:"facets"`
			}
			c.json(c.get("/api/apps?"+q), &res)
			if res.Total != 1 || len(res.Apps) != 1 || res.Apps[0].SHA256 != up.SHA256 {
				t.Errorf("search %s: %d apps", q, res.Total)
			}
			if cats := res.Facets["category"]; len(cats) == 0 || !cats[0].Special {
				t.Errorf("search %s: categories facet does not start with a special one", q)
			}
		}
		var none struct{ Total int }
		c.json(c.get("/api/apps?category=person.health&host=nowhere.invalid"), &none)
		if none.Total != 0 {
			t.Errorf("a search that matches nothing found %d", none.Total)
		}

		// The search page and the app page.
		page := c.get("/apps?category=special")
		if page.status != 200 || !bytes.Contains(page.body, []byte("IJOP demo (inert)")) || !bytes.Contains(page.body, []byte(`class="ax-special"`)) {
			t.Fatalf("search page: %d", page.status)
		}
		app := c.get("/apps/" + up.SHA256)
		for _, want := range []string{"In short", "Special categories", "ax-docbar", "Download the file", `href="/static/app.css"`} {
			if !bytes.Contains(app.body, []byte(want)) {
				t.Errorf("app page lacks %q", want)
			}
		}
		if bytes.Contains(app.body, []byte(`http-equiv="Content-Security-Policy"`)) {
			t.Error("the report's own policy is still in the page (it would block the bar's assets)")
		}
		csp := app.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "style-src 'self' 'sha256-") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("app page policy: %s", csp)
		}
		// The report for handing on, and the file: attachments.
		rep := c.get("/apps/" + up.SHA256 + "/report.html")
		if rep.status != 200 || !strings.HasPrefix(rep.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("report download: %d %s", rep.status, rep.header.Get("Content-Disposition"))
		}
		file := c.get("/apps/" + up.SHA256 + "/file")
		if file.status != 200 || !bytes.Equal(file.body, demo) {
			t.Fatalf("file download: %d, %d bytes", file.status, len(file.body))
		}
		assertAttachment(t, file)
		if cd := file.header.Get("Content-Disposition"); cd != "attachment; filename="+up.SHA256+".apk" {
			t.Errorf("the demo APK is handed back as %q, want its hash and .apk", cd)
		}
		// Following the status is no view.
		var before, after struct{ Entries []store.AuditEntry }
		c.json(c.get("/api/audit?target="+up.SHA256), &before)
		var st map[string]json.RawMessage
		c.json(c.get("/api/apps/"+up.SHA256+"?report=0"), &st)
		if _, ok := st["report"]; ok {
			t.Error("?report=0 answered with the report")
		}
		c.json(c.get("/api/audit?target="+up.SHA256), &after)
		if len(after.Entries) != len(before.Entries) {
			t.Errorf("a status poll wrote %d audit entries", len(after.Entries)-len(before.Entries))
		}
		// The audit log saw the upload and the views.
		var audit struct{ Entries []store.AuditEntry }
		c.json(c.get("/api/audit?target="+up.SHA256), &audit)
		seen := map[string]bool{}
		for _, e := range audit.Entries {
			seen[e.Action] = true
		}
		for _, act := range []string{"upload", "view", "download"} {
			if !seen[act] {
				t.Errorf("audit log lacks %q: %+v", act, audit.Entries)
			}
		}
		// Deleted: the row, the facts and the file go.
		if r := c.do("DELETE", "/api/apps/"+up.SHA256, nil, ""); r.status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		if r := c.get("/api/apps/" + up.SHA256); r.status != 404 {
			t.Fatalf("after delete: %d", r.status)
		}
		if n := countFiles(t, filepath.Join(w.data, "blobs", "sha256")); n != 0 {
			t.Fatalf("%d blob files left after delete", n)
		}
	})
}

func demoTracker(t *testing.T, rep []byte) string {
	var r struct{ Trackers []struct{ Name string } }
	if err := json.Unmarshal(rep, &r); err != nil || len(r.Trackers) == 0 {
		t.Fatalf("the demo report names no tracker (%v)", err)
	}
	return r.Trackers[0].Name
}

func assertAttachment(t *testing.T, r resp) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("file served as %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") {
		t.Errorf("file served with Content-Disposition %q", cd)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("file served without nosniff")
	}
}

func countFiles(t *testing.T, root string) int {
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestCorruptAndHostileUploads(t *testing.T) {
	demo := readDemo(t)
	backends(t, func(t *testing.T, w *ws) {
		c := w.script()
		files := map[string][]byte{
			"corrupt.apk":                     append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xee}, 2048)...),
			`<svg onload=alert(1)>.svg`:       []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`),
			"page.html":                       []byte(`<!DOCTYPE html><html><body><script>alert(3)</script></body></html>`),
			"../../../../../../tmp/evil.apk":  []byte("traversal one"),
			`..\..\windows\system32\evil.dex`: []byte("traversal two"),
			"zz-demo.apk":                     demo,
		}
		r := c.upload("/api/apps", "", files)
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var up uploadResp
		c.json(r, &up)
		if len(up.Uploads) != len(files) {
			t.Fatalf("%d uploads recorded, want %d", len(up.Uploads), len(files))
		}
		byName := map[string]string{}
		for _, u := range up.Uploads {
			byName[u.Name] = u.SHA256
		}
		for _, name := range []string{"corrupt.apk", "<svg onload=alert(1)>.svg", "page.html", "evil.apk", "evil.dex", "zz-demo.apk"} {
			if byName[name] == "" {
				t.Fatalf("no upload named %q: %v", name, byName)
			}
		}
		// Every bad file fails with its error; the good one after them is analysed.
		for _, name := range []string{"corrupt.apk", "<svg onload=alert(1)>.svg", "page.html", "evil.apk"} {
			a := c.waitApp(byName[name], store.StatusFailed)
			if a.App.Error == "" || strings.Contains(a.App.Error, w.data) {
				t.Errorf("%s: error %q (empty, or naming a server path)", name, a.App.Error)
			}
		}
		c.waitApp(byName["zz-demo.apk"], store.StatusDone)

		// The SVG and HTML are never rendered: their page escapes the name,
		// their file comes back only as an opaque attachment.
		for _, name := range []string{"<svg onload=alert(1)>.svg", "page.html"} {
			sum := byName[name]
			page := c.get("/apps/" + sum)
			if i := bytes.Index(page.body, []byte("<svg onload")); i >= 0 || bytes.Contains(page.body, []byte("<script>alert")) {
				t.Errorf("%s: the page carries the upload's markup: %q", name, page.body[max(0, i-200):min(len(page.body), i+100)])
			}
			if !bytes.Contains(page.body, []byte("&lt;svg onload=alert(1)&gt;.svg")) && name[0] == '<' {
				t.Errorf("%s: the page does not show the escaped name", name)
			}
			f := c.get("/apps/" + sum + "/file")
			assertAttachment(t, f)
			if strings.Contains(f.header.Get("Content-Disposition"), "svg") || strings.Contains(f.header.Get("Content-Disposition"), "html") {
				t.Errorf("%s: downloaded under its own name: %s", name, f.header.Get("Content-Disposition"))
			}
			if r := c.get("/apps/" + sum + "/report.html"); r.status != 404 {
				t.Errorf("%s: a report of a failed file: %d", name, r.status)
			}
		}
		// Path-traversal names went nowhere: the data directory holds only
		// the database, blobs named by their hash, and nothing else.
		filepath.WalkDir(w.data, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(w.data, p)
			if strings.HasPrefix(rel, "appxray.db") {
				return nil
			}
			if !regexp.MustCompile(`^blobs/sha256/[0-9a-f]{2}/[0-9a-f]{64}$`).MatchString(rel) {
				t.Errorf("unexpected file %s in the data directory", rel)
			}
			return nil
		})
		for _, p := range []string{"/tmp/evil.apk", filepath.Join(filepath.Dir(w.data), "evil.apk")} {
			if _, err := os.Stat(p); err == nil {
				t.Errorf("%s exists", p)
			}
		}
		// A name that is not a hash is no address.
		for _, p := range []string{"/api/apps/..%2F..%2Fetc%2Fpasswd", "/apps/" + strings.Repeat("z", 64) + "/file", "/api/apps/%2e%2e/file"} {
			if r := c.get(p); r.status != 404 {
				t.Errorf("GET %s: %d", p, r.status)
			}
		}
	})
}

func TestVersionsAndDiff(t *testing.T) {
	old := corpus.File(t, "/usr/share/doc/androguard/examples/tests/lineageos_nexus5_framework-res.apk")
	newer := corpus.File(t, "/usr/share/android-framework-res/framework-res.apk")
	backends(t, func(t *testing.T, w *ws) {
		c := w.script()
		var sums []string
		for _, p := range []string{newer, old} {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var up uploadResp
			c.json(c.upload("/api/apps", "", map[string][]byte{filepath.Base(p): b}), &up)
			sums = append(sums, up.SHA256)
		}
		for _, s := range sums {
			c.waitApp(s, store.StatusDone)
		}
		var pkg struct {
			Versions []struct {
				SHA256        string `json:"sha256"`
				VersionName   string `json:"version_name"`
				SignerChanged bool   `json:"signer_changed"`
			} `json:"versions"`
		}
		c.json(c.get("/api/packages/android"), &pkg)
		if len(pkg.Versions) != 2 || pkg.Versions[0].VersionName != "7.1.2" || pkg.Versions[1].VersionName != "10.0.0" {
			t.Fatalf("versions of android: %+v", pkg.Versions)
		}
		page := c.get("/packages/android")
		if page.status != 200 || !bytes.Contains(page.body, []byte("7.1.2")) || !bytes.Contains(page.body, []byte("/diff?old="+sums[1]+"&amp;new="+sums[0])) {
			t.Fatalf("package page: %d", page.status)
		}
		var d struct {
			Old struct {
				VersionName string `json:"version_name"`
			} `json:"old"`
			Changes []struct{ Section, Change, Item, Before, After string } `json:"changes"`
		}
		c.json(c.get("/api/diff?old="+sums[1]+"&new="+sums[0]), &d)
		found := false
		for _, ch := range d.Changes {
			if ch.Section == "identity" && ch.Item == "version_name" && ch.Before == "7.1.2" && ch.After == "10.0.0" {
				found = true
			}
		}
		if d.Old.VersionName != "7.1.2" || !found {
			t.Fatalf("diff: %+v", d.Old)
		}
		dp := c.get("/diff?old=" + sums[1] + "&new=" + sums[0])
		if dp.status != 200 || !bytes.Contains(dp.body, []byte("What changed")) || !bytes.Contains(dp.body, []byte("ax-docbar")) {
			t.Fatalf("diff page: %d", dp.status)
		}
		if r := c.get("/api/diff?old=" + sums[1] + "&new=" + strings.Repeat("0", 64)); r.status != 404 {
			t.Fatalf("diff with a missing app: %d", r.status)
		}
	})
}

func TestImportBatchReport(t *testing.T) {
	demo := readDemo(t)
	backends(t, func(t *testing.T, w *ws) {
		c := w.script()
		var up uploadResp
		c.json(c.upload("/api/apps", "", map[string][]byte{"demo.apk": demo}), &up)
		a := c.waitApp(up.SHA256, store.StatusDone)
		// Import the report elsewhere: a fresh workspace has it, searchable,
		// without the file.
		other := newWS(t, "", wsOptions{}).script()
		r := other.upload("/api/reports", "", map[string][]byte{up.SHA256 + ".json": a.Report})
		if r.status != 200 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		got := other.waitApp(up.SHA256, store.StatusImported)
		if got.App.HasFile || got.App.Package != "org.appxray.demo.ijop" {
			t.Fatalf("imported: %+v", got.App)
		}
		var res struct{ Total int }
		other.json(other.get("/api/apps?category=special"), &res)
		if res.Total != 1 {
			t.Fatalf("imported report not searchable")
		}
		if r := other.get("/apps/" + up.SHA256 + "/file"); r.status != 404 {
			t.Fatalf("file of an imported report: %d", r.status)
		}
		if r := other.upload("/api/reports", "", map[string][]byte{"x.json": []byte(`{"tool":{"name":"evil"}}`)}); r.status != 400 {
			t.Fatalf("importing a non-report: %d", r.status)
		}
	})
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	w := newWS(t, "", wsOptions{})
	c := w.browser()
	for _, p := range []string{"/", "/apps", "/upload", "/login", "/api/health", "/api/openapi.json", "/static/app.css", "/static/app.js", "/nowhere", "/apps/" + strings.Repeat("a", 64)} {
		r := c.get(p)
		h := r.header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p, h)
		}
		if bytes.Contains(r.body, []byte("<script>")) || regexp.MustCompile(`(?i)(src|href)="https?://`).Match(r.body) {
			t.Errorf("%s: inline script or an external asset", p)
		}
	}
}

// TestLocalWorkspace checks a workspace without accounts: open to its own
// machine only, safe against pages elsewhere.
func TestLocalWorkspace(t *testing.T) {
	w := newWS(t, "", wsOptions{})
	ctx := context.Background()
	// Not on another address.
	for _, addr := range []string{"0.0.0.0:8750", "[::]:8750", "192.0.2.1:8750", ":8750"} {
		if _, err := New(ctx, Config{DB: w.db, Blobs: w.srv.blobs, Addr: addr}); !errors.Is(err, ErrNoAuth) {
			t.Errorf("listening on %s without accounts: %v, want ErrNoAuth", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:8750", "localhost:8750", "[::1]:8750"} {
		if _, err := New(ctx, Config{DB: w.db, Blobs: w.srv.blobs, Addr: addr}); err != nil {
			t.Errorf("listening on %s: %v", addr, err)
		}
	}
	// DNS rebinding: a page elsewhere that points its name at 127.0.0.1.
	req, _ := http.NewRequest("GET", w.url+"/api/apps", nil)
	req.Host = "attacker.example"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("foreign Host: %d", res.StatusCode)
	}
	// A cross-site form post (a browser, no token) is refused; curl is not.
	b := w.browser()
	demo := readDemo(t)
	if r := b.upload("/api/apps", "", map[string][]byte{"demo.apk": demo}); r.status != http.StatusForbidden {
		t.Errorf("browser upload without CSRF token: %d", r.status)
	}
	if r := b.upload("/upload", "forged", map[string][]byte{"demo.apk": demo}); r.status != http.StatusForbidden {
		t.Errorf("browser upload with a wrong CSRF token: %d", r.status)
	}
	if r := b.postForm("/logout", nil); r.status != http.StatusForbidden {
		t.Errorf("form without CSRF token: %d", r.status)
	}
	if ents, _ := os.ReadDir(filepath.Join(w.data, "blobs", "tmp")); len(ents) != 0 {
		t.Errorf("a refused upload left %d temporary files", len(ents))
	}
	tok := b.csrf("/upload")
	if r := b.upload("/upload", tok, map[string][]byte{"demo.apk": demo}); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/apps/") {
		t.Errorf("browser upload with its CSRF token: %d %s", r.status, r.body)
	}
	if r := w.script().upload("/api/apps", "", map[string][]byte{"demo.apk": demo}); r.status != http.StatusOK {
		t.Errorf("script upload: %d %s", r.status, r.body)
	}
}

// TestAccounts checks a workspace with accounts: everyone logs in, forms
// carry CSRF tokens, roles limit what each may do.
func TestAccounts(t *testing.T) {
	backends(t, func(t *testing.T, w *ws) {
		ctx := context.Background()
		admin, err := w.db.CreateUser(ctx, "admin", store.RoleAdmin, "admin password 123")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(ctx, Config{DB: w.db, Blobs: w.srv.blobs, Addr: "0.0.0.0:8750"}); err != nil {
			t.Fatalf("with an account, any address: %v", err)
		}
		time.Sleep(1100 * time.Millisecond) // the server notices the account
		anon := w.script()
		for _, p := range []string{"/api/apps", "/api/me", "/api/audit", "/api/apps/" + strings.Repeat("a", 64)} {
			if r := anon.get(p); r.status != http.StatusUnauthorized {
				t.Errorf("unauthenticated GET %s: %d", p, r.status)
			}
		}
		if r := anon.upload("/api/apps", "", map[string][]byte{"x.apk": []byte("x")}); r.status != http.StatusUnauthorized {
			t.Errorf("unauthenticated upload: %d", r.status)
		}
		if r := anon.get("/apps"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
			t.Errorf("unauthenticated page: %d %s", r.status, r.header.Get("Location"))
		}
		if r := anon.get("/api/health"); r.status != 200 {
			t.Errorf("health: %d", r.status)
		}
		if r := anon.do("GET", "/api/apps", nil, ""); r.status != 401 {
			t.Error("no")
		}

		// Logging in: the form needs its CSRF token; a wrong password fails.
		b := w.browser()
		tok := b.csrf("/login")
		if r := b.postForm("/login", url.Values{"name": {"admin"}, "password": {"admin password 123"}}); r.status != http.StatusForbidden {
			t.Errorf("login without CSRF token: %d", r.status)
		}
		if r := b.postForm("/login", url.Values{"csrf": {tok}, "name": {"admin"}, "password": {"wrong password!!"}}); r.status != http.StatusUnauthorized {
			t.Errorf("wrong password: %d", r.status)
		}
		r := b.postForm("/login", url.Values{"csrf": {tok}, "name": {"admin"}, "password": {"admin password 123"}, "next": {"https://evil.example/"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Fatalf("login: %d, to %q", r.status, r.header.Get("Location"))
		}
		for _, c := range r.header.Values("Set-Cookie") {
			if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
				t.Errorf("cookie %s", c)
			}
		}
		if r := b.get("/apps"); r.status != 200 || !bytes.Contains(r.body, []byte("admin")) {
			t.Fatalf("after login: %d", r.status)
		}
		// The old CSRF token died with the login.
		if r := b.postForm("/admin/users", url.Values{"csrf": {tok}, "name": {"vera"}, "role": {"viewer"}}); r.status != http.StatusForbidden {
			t.Errorf("pre-login CSRF token accepted after login: %d", r.status)
		}
		tok = b.csrf("/admin/users")
		r = b.postForm("/admin/users", url.Values{"csrf": {tok}, "name": {"vera"}, "role": {"viewer"}})
		m := regexp.MustCompile(`id="ax-new-password">([^<]+)<`).FindSubmatch(r.body)
		if r.status != 200 || m == nil {
			t.Fatalf("creating a viewer: %d", r.status)
		}
		// An API token for the viewer, made by the viewer, shown once.
		v := w.browser()
		vtok := v.csrf("/login")
		if r := v.postForm("/login", url.Values{"csrf": {vtok}, "name": {"vera"}, "password": {string(m[1])}}); r.status != http.StatusSeeOther {
			t.Fatalf("viewer login: %d", r.status)
		}
		r = v.postForm("/account/tokens", url.Values{"csrf": {v.csrf("/account")}, "name": {"laptop"}})
		tm := regexp.MustCompile(`id="ax-new-token">(axt_[^<]+)<`).FindSubmatch(r.body)
		if tm == nil {
			t.Fatalf("token page: %d", r.status)
		}
		if bytes.Contains(v.get("/account").body, tm[1]) {
			t.Error("the token is shown again")
		}
		viewer := &client{w: w, c: noRedirect(nil), token: string(tm[1])}
		if r := viewer.get("/api/me"); r.status != 200 || !bytes.Contains(r.body, []byte(`"vera"`)) {
			t.Errorf("token /api/me: %d %s", r.status, r.body)
		}
		if r := viewer.upload("/api/apps", "", map[string][]byte{"x.apk": []byte("x")}); r.status != http.StatusForbidden {
			t.Errorf("viewer upload: %d", r.status)
		}
		if r := viewer.get("/api/audit"); r.status != http.StatusForbidden {
			t.Errorf("viewer audit: %d", r.status)
		}
		// The admin's own token works without CSRF (no browser adds it).
		secret, _, _ := w.db.CreateToken(ctx, admin.ID, "ci")
		ad := &client{w: w, c: noRedirect(nil), token: secret}
		var up uploadResp
		ad.json(ad.upload("/api/apps", "", map[string][]byte{"demo.apk": readDemo(t)}), &up)
		ad.waitApp(up.SHA256, store.StatusDone)
		if r := viewer.do("DELETE", "/api/apps/"+up.SHA256, nil, ""); r.status != http.StatusForbidden {
			t.Errorf("viewer delete: %d", r.status)
		}
		if r := ad.get("/api/apps/" + up.SHA256); r.status != 200 {
			t.Errorf("admin token read: %d", r.status)
		}
		// A session's unsafe API call needs the header token.
		if r := b.do("DELETE", "/api/apps/"+up.SHA256, nil, ""); r.status != http.StatusForbidden {
			t.Errorf("session DELETE without X-CSRF-Token: %d", r.status)
		}
		var audit struct{ Entries []store.AuditEntry }
		ad.json(ad.get("/api/audit"), &audit)
		who := map[string]bool{}
		for _, e := range audit.Entries {
			who[e.Actor+" "+e.Action] = true
		}
		for _, want := range []string{"admin login", "admin user-created", "vera login", "vera token-created", "admin upload", "anonymous login-failed"} {
			if !who[want] {
				t.Errorf("audit log lacks %q", want)
			}
		}
		// Logging out ends the session.
		if r := b.postForm("/logout", url.Values{"csrf": {b.csrf("/apps")}}); r.status != http.StatusSeeOther {
			t.Errorf("logout: %d", r.status)
		}
		if r := b.get("/apps"); r.status != http.StatusSeeOther {
			t.Errorf("after logout: %d", r.status)
		}
	})
}

func TestLimits(t *testing.T) {
	w := newWS(t, "", wsOptions{rate: 1, burst: 30, maxUpload: 1 << 20})
	c := w.script()
	if r := c.upload("/api/apps", "", map[string][]byte{"big.apk": make([]byte, 2<<20)}); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a file over the limit: %d %s", r.status, r.body)
	}
	if ents, _ := os.ReadDir(filepath.Join(w.data, "blobs", "tmp")); len(ents) != 0 {
		t.Errorf("a refused upload left %d temporary files", len(ents))
	}
	if n := countFiles(t, filepath.Join(w.data, "blobs", "sha256")); n != 0 {
		t.Errorf("a refused upload stored %d blobs", n)
	}
	if r := c.upload("/api/apps", "", map[string][]byte{"empty.apk": nil}); r.status != http.StatusBadRequest {
		t.Errorf("an empty file: %d %s", r.status, r.body)
	}
	if n := countFiles(t, filepath.Join(w.data, "blobs")); n != 0 {
		t.Errorf("an empty upload left %d files", n)
	}
	limited := 0
	for i := 0; i < 40; i++ {
		if r := c.get("/api/health"); r.status == http.StatusTooManyRequests {
			limited++
			if r.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if limited < 5 {
		t.Errorf("only %d of 40 requests over a burst of 30 were limited", limited)
	}
	// A big form body is cut off.
	if r := c.postForm("/login", url.Values{"name": {strings.Repeat("a", 2<<20)}}); r.status < 400 {
		t.Errorf("a 2 MiB form: %d", r.status)
	}
}

// TestOpenAPIMatchesRoutes keeps the committed OpenAPI document in step
// with the API's routes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	s := &Server{}
	served := map[string]bool{}
	for _, rt := range s.routes() {
		if strings.HasPrefix(rt.Pattern, "/api/") {
			served[rt.Method+" "+rt.Pattern] = true
		}
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("%s is served but not in openapi.json", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("%s is in openapi.json but not served", k)
		}
	}
	// The served document is the committed one.
	w := newWS(t, "", wsOptions{})
	if r := w.script().get("/api/openapi.json"); !bytes.Equal(r.body, openAPI) {
		t.Error("/api/openapi.json differs from server/openapi.json")
	}
	committed, err := os.ReadFile("openapi.json")
	if err != nil || !bytes.Equal(committed, openAPI) {
		t.Error("embedded document differs from the file")
	}
	_ = fmt.Sprint
}

// TestDownloadExt: an uploaded file comes back under its hash and the
// extension of the kind appxray read it as, never one of its own.
func TestDownloadExt(t *testing.T) {
	for kind, want := range map[string]string{"apk": ".apk", "split-set": ".apks", "aab": ".aab", "dex": ".dex", "jar": ".jar", "ipa": ".ipa",
		"app-directory": ".bin", "": ".bin", "html": ".bin"} {
		if got := downloadExt(kind); got != want {
			t.Errorf("downloadExt(%q) = %q, want %q", kind, got, want)
		}
	}
}
