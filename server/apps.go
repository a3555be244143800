package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"appxray/detect"
	"appxray/knowledge"
	"appxray/report"
	"appxray/scan"
	"appxray/store"
)

// uploaded is the outcome of one file of an upload.
type uploaded struct {
	SHA256  string `json:"sha256"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Created bool   `json:"created"`
	Status  string `json:"status"`
	JobID   int64  `json:"job_id,omitempty"`
	Error   string `json:"error,omitempty"`
}

// errUpload is a client's mistake in an upload.
type errUpload struct {
	status int
	msg    string
}

func (e *errUpload) Error() string { return e.msg }

// receive streams the multipart body: the CSRF token (for a browser) must
// come before the files; each part named "file" is handed to each as it
// arrives, never held whole in memory.
func (s *Server) receive(w http.ResponseWriter, r *http.Request, each func(name string, body io.Reader) error) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return &errUpload{http.StatusBadRequest, "send the file as multipart/form-data in a field named file"}
	}
	id := identityOf(r)
	csrfChecked := s.csrfOK(r, id, "")
	files := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return uploadReadError(err)
		}
		switch part.FormName() {
		case "csrf":
			tok, _ := io.ReadAll(io.LimitReader(part, 200))
			csrfChecked = csrfChecked || s.csrfOK(r, id, string(tok))
		case "file":
			if !csrfChecked {
				part.Close()
				return &errUpload{http.StatusForbidden, "CSRF token missing or wrong: reload the page and try again"}
			}
			files++
			if err := each(part.FileName(), part); err != nil {
				part.Close()
				return err
			}
		}
		part.Close()
	}
	if files == 0 {
		if !csrfChecked {
			return &errUpload{http.StatusForbidden, "CSRF token missing or wrong: reload the page and try again"}
		}
		return &errUpload{http.StatusBadRequest, "no file: send it in a multipart field named file"}
	}
	return nil
}

func uploadReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || errors.Is(err, store.ErrTooLarge) {
		return &errUpload{http.StatusRequestEntityTooLarge, "the file is larger than this workspace accepts"}
	}
	return &errUpload{http.StatusBadRequest, "the upload was cut short: " + err.Error()}
}

// store1 stores one uploaded file and queues its analysis.
func (s *Server) store1(ctx context.Context, r *http.Request, name string, body io.Reader) (uploaded, error) {
	bw, err := s.blobs.Create(ctx, s.cfg.MaxUpload)
	if err != nil {
		return uploaded{}, err
	}
	n, err := io.Copy(bw, body)
	if err != nil {
		bw.Abort()
		return uploaded{}, uploadReadError(err)
	}
	if n == 0 {
		bw.Abort()
		return uploaded{}, &errUpload{http.StatusBadRequest, "the file is empty"}
	}
	sum, size, err := bw.Commit(ctx)
	if err != nil {
		return uploaded{}, err
	}
	up := uploaded{SHA256: sum, Size: size, Name: store.CleanName(name)}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		a, created, err := tx.AddUpload(ctx, sum, size, name, identityOf(r).actor())
		if err != nil {
			return err
		}
		up.Created, up.Status, up.JobID, up.Name = created, a.Status, a.JobID, a.Name
		needs := created || a.Status == store.StatusImported ||
			(a.Status == store.StatusDone && a.AnalysedVersion != detect.Version)
		if !needs {
			return nil
		}
		up.JobID, err = s.queue.Enqueue(ctx, tx, sum, 0)
		up.Status = store.StatusQueued
		return err
	})
	if err != nil {
		return uploaded{}, err
	}
	s.audit(r, "upload", sum, up.Name)
	return up, nil
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) ([]uploaded, error) {
	var out []uploaded
	err := s.receive(w, r, func(name string, body io.Reader) error {
		up, err := s.store1(r.Context(), r, name, body)
		if err != nil {
			return err
		}
		out = append(out, up)
		return nil
	})
	return out, err
}

func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, err error) {
	var eu *errUpload
	if errors.As(err, &eu) {
		s.fail(w, r, eu.status, eu.msg)
		return
	}
	s.log.Error("upload", "err", err)
	s.fail(w, r, http.StatusInternalServerError, "the upload could not be stored")
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "upload", map[string]any{"MaxUpload": s.cfg.MaxUpload >> 20})
}

func (s *Server) uploadForm(w http.ResponseWriter, r *http.Request) {
	ups, err := s.upload(w, r)
	if err != nil {
		s.uploadFailed(w, r, err)
		return
	}
	if len(ups) == 1 {
		http.Redirect(w, r, "/apps/"+ups[0].SHA256, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "uploaded", map[string]any{"Uploads": ups})
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) {
	ups, err := s.upload(w, r)
	if err != nil {
		s.uploadFailed(w, r, err)
		return
	}
	status := http.StatusOK
	for _, u := range ups {
		if u.Created {
			status = http.StatusCreated
		}
	}
	first := ups[0]
	writeJSON(w, status, map[string]any{
		"sha256": first.SHA256, "job_id": first.JobID, "status": first.Status, "created": first.Created,
		"uploads": ups,
	})
}

// app finds the app of a {sha256} path, answering 404 itself.
func (s *Server) app(w http.ResponseWriter, r *http.Request) (store.App, bool) {
	a, err := s.db.Get(r.Context(), strings.ToLower(r.PathValue("sha256")))
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, "no such app in this workspace")
		return a, false
	}
	if err != nil {
		s.log.Error("reading an app", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "could not read the app")
		return a, false
	}
	return a, true
}

// readReport reads and parses an app's stored report.
func (s *Server) readReport(ctx context.Context, sum string) (*scan.Report, []byte, error) {
	js, err := s.db.Report(ctx, sum)
	if err != nil {
		return nil, nil, err
	}
	rep, err := report.Read(bytes.NewReader(js))
	return rep, js, err
}

// appView is what the app page shows around the report.
type appView struct {
	App      store.App
	Versions []store.App
	Previous *store.App
	Next     *store.App
	Job      any
}

func (s *Server) appView(ctx context.Context, a store.App) appView {
	v := appView{App: a}
	if a.Package != "" {
		vs, err := s.db.Versions(ctx, a.Package)
		if err == nil {
			v.Versions = vs
			for i := range vs {
				if vs[i].SHA256 != a.SHA256 {
					continue
				}
				if i > 0 {
					v.Previous = &vs[i-1]
				}
				if i+1 < len(vs) {
					v.Next = &vs[i+1]
				}
			}
		}
	}
	if a.JobID != 0 && s.queue != nil {
		if js, err := s.queue.Job(ctx, a.JobID); err == nil {
			v.Job = js
		}
	}
	return v
}

func (s *Server) appPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	s.audit(r, "view", a.SHA256, "")
	view := s.appView(r.Context(), a)
	rep, _, err := s.readReport(r.Context(), a.SHA256)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Error("reading a report", "sha256", a.SHA256, "err", err)
		}
		// Not analysed (yet): the status page, which follows the job.
		s.render(w, r, http.StatusOK, "app", map[string]any{"View": view})
		return
	}
	var doc bytes.Buffer
	if err := report.HTML(&doc, rep); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not render the report")
		return
	}
	s.serveDocument(w, r, doc.Bytes(), "appbar", map[string]any{"View": view})
}

// reportDownload hands on the report as the self-contained HTML file
// appxray scan --format html writes.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	rep, _, err := s.readReport(r.Context(), a.SHA256)
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "this app has no report yet")
		return
	}
	var doc bytes.Buffer
	if err := report.HTML(&doc, rep); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not render the report")
		return
	}
	s.audit(r, "view", a.SHA256, "report.html")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.SHA256 + ".html"}))
	w.Header().Set("Content-Security-Policy", documentCSP(doc.Bytes()))
	w.Write(doc.Bytes())
}

// fileDownload hands back the uploaded file, only ever as an attachment
// of an opaque type, under its hash: never rendered, never run.
func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	if !a.HasFile {
		s.fail(w, r, http.StatusNotFound, "this workspace has the report of this app, not its file")
		return
	}
	rc, err := s.blobs.Open(r.Context(), a.SHA256)
	if err != nil {
		s.log.Error("opening a blob", "sha256", a.SHA256, "err", err)
		s.fail(w, r, http.StatusNotFound, "the file is missing from the blob store")
		return
	}
	defer rc.Close()
	s.audit(r, "download", a.SHA256, "")
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.SHA256 + downloadExt(a.Kind)}))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	io.Copy(w, rc)
}

// downloadExt is the extension an uploaded file is handed back under, by
// the kind appxray read it as (never the uploader's name): what tools
// expect of each kind; ".bin" for a file that is no app.
func downloadExt(kind string) string {
	switch kind {
	case "apk":
		return ".apk"
	case "split-set":
		return ".apks"
	case "aab":
		return ".aab"
	case "dex":
		return ".dex"
	case "jar":
		return ".jar"
	case "ipa":
		return ".ipa"
	}
	return ".bin"
}

// reanalyze queues an analysis a user asked for.
func (s *Server) reanalyze(r *http.Request, a store.App) (int64, error) {
	if !a.HasFile {
		return 0, &errUpload{http.StatusConflict, "this workspace has no file of this app to analyse"}
	}
	var job int64
	err := s.db.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		job, err = s.queue.Enqueue(r.Context(), tx, a.SHA256, time.Now().UnixNano())
		return err
	})
	if err == nil {
		s.audit(r, "analyze", a.SHA256, "")
	}
	return job, err
}

func (s *Server) analyzeForm(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	if _, err := s.reanalyze(r, a); err != nil {
		s.uploadFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/apps/"+a.SHA256, http.StatusSeeOther)
}

func (s *Server) apiAnalyze(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	job, err := s.reanalyze(r, a)
	if err != nil {
		s.uploadFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"sha256": a.SHA256, "job_id": job, "status": store.StatusQueued})
}

// remove deletes the app of a {sha256} path, its report and its file,
// answering its own errors, so that the form and the API differ only in
// what they answer on success.
func (s *Server) remove(w http.ResponseWriter, r *http.Request) bool {
	a, ok := s.app(w, r)
	if !ok {
		return false
	}
	if err := s.db.Delete(r.Context(), a.SHA256); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not delete the app")
		return false
	}
	if err := s.blobs.Delete(r.Context(), a.SHA256); err != nil {
		s.log.Error("deleting a blob", "sha256", a.SHA256, "err", err)
	}
	s.audit(r, "delete", a.SHA256, a.Name)
	return true
}

func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request) {
	if s.remove(w, r) {
		http.Redirect(w, r, "/apps", http.StatusSeeOther)
	}
}

func (s *Server) apiDelete(w http.ResponseWriter, r *http.Request) {
	if s.remove(w, r) {
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) apiApp(w http.ResponseWriter, r *http.Request) {
	a, ok := s.app(w, r)
	if !ok {
		return
	}
	view := s.appView(r.Context(), a)
	out := map[string]any{"app": a, "job": view.Job, "versions": view.Versions}
	// ?report=0 asks for the status alone (the app page's script follows
	// an analysis so); only a response with the report is a view.
	if r.URL.Query().Get("report") != "0" {
		if js, err := s.db.Report(r.Context(), a.SHA256); err == nil {
			out["report"] = json.RawMessage(js)
			s.audit(r, "view", a.SHA256, "api")
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// query reads a search from the URL.
func query(r *http.Request) store.Query {
	v := r.URL.Query()
	q := store.Query{
		Package: v.Get("package"), Label: v.Get("label"), Signer: v.Get("signer"), Permission: v.Get("permission"),
		Tracker: v.Get("tracker"), Category: v.Get("category"), Host: v.Get("host"), Text: v.Get("q"), Status: v.Get("status"),
	}
	q.Limit, _ = strconv.Atoi(v.Get("limit"))
	q.Offset, _ = strconv.Atoi(v.Get("offset"))
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	return q
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) (store.Query, store.Result, bool) {
	q := query(r)
	res, err := s.db.Search(r.Context(), q)
	if err != nil {
		s.log.Error("search", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "the search failed")
		return q, res, false
	}
	return q, res, true
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, res, ok := s.search(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": q, "total": res.Total, "apps": res.Apps, "facets": res.Facets})
}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q, res, ok := s.search(w, r)
	if !ok {
		return
	}
	cats := knowledge.Categories()
	var special, plain []knowledge.CategoryInfo
	for _, c := range cats {
		if c.Special {
			special = append(special, c)
		} else {
			plain = append(plain, c)
		}
	}
	counts, _ := s.db.StatusCounts(r.Context())
	s.render(w, r, http.StatusOK, "search", map[string]any{
		"Q": q, "Res": res, "Special": special, "Plain": plain, "Counts": counts,
		"More": q.Offset+len(res.Apps) < res.Total, "NextOffset": q.Offset + q.Limit, "PrevOffset": max(0, q.Offset-q.Limit),
		"Filtered": !q.Empty(),
	})
}

// versionRow is one version of a package, side by side with the others.
type versionRow struct {
	App         store.App
	Trackers    []string
	Permissions int
	Hosts       int
	Fields      int
	Signers     []string
	SignerMoved bool // signed by other keys than the version before
}

// versions lists the versions of the package of a {package} path,
// answering its errors itself (as app, search and diff do) so that the
// page and the API refuse alike.
func (s *Server) versions(w http.ResponseWriter, r *http.Request) (string, []versionRow, bool) {
	pkg := r.PathValue("package")
	apps, err := s.db.Versions(r.Context(), pkg)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not list the versions")
		return pkg, nil, false
	}
	if len(apps) == 0 {
		s.fail(w, r, http.StatusNotFound, "no app of this package in this workspace")
		return pkg, nil, false
	}
	var rows []versionRow
	var prevSigners string
	for _, a := range apps {
		row := versionRow{App: a}
		if rep, _, err := s.readReport(r.Context(), a.SHA256); err == nil {
			for _, t := range rep.Trackers {
				row.Trackers = append(row.Trackers, t.Name)
			}
			row.Permissions, row.Hosts, row.Fields = len(rep.Permissions), len(rep.Endpoints), len(rep.Fields)
			for _, sg := range rep.Signers {
				row.Signers = append(row.Signers, sg.SHA256)
			}
			joined := strings.Join(row.Signers, ",")
			row.SignerMoved = len(rows) > 0 && prevSigners != "" && joined != prevSigners
			prevSigners = joined
		}
		rows = append(rows, row)
	}
	return pkg, rows, true
}

func (s *Server) packagePage(w http.ResponseWriter, r *http.Request) {
	pkg, rows, ok := s.versions(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "package", map[string]any{"Package": pkg, "Rows": rows})
}

func (s *Server) apiPackage(w http.ResponseWriter, r *http.Request) {
	pkg, rows, ok := s.versions(w, r)
	if !ok {
		return
	}
	type version struct {
		store.App
		Trackers    []string `json:"trackers"`
		Permissions int      `json:"permissions"`
		Hosts       int      `json:"hosts"`
		Fields      int      `json:"fields"`
		Signers     []string `json:"signers"`
		SignerMoved bool     `json:"signer_changed"`
	}
	out := []version{}
	for _, row := range rows {
		out = append(out, version{row.App, row.Trackers, row.Permissions, row.Hosts, row.Fields, row.Signers, row.SignerMoved})
	}
	writeJSON(w, http.StatusOK, map[string]any{"package": pkg, "versions": out})
}

// diff compares the reports of two apps named in the query and renders
// the comparison with render, answering its own errors. It renders into
// memory so that a failure still answers 500, not half a document.
func (s *Server) diff(w http.ResponseWriter, r *http.Request, render func(io.Writer, *report.Diff) error) ([]byte, [2]store.App, bool) {
	var apps [2]store.App
	var reps [2]*scan.Report
	for i, key := range []string{"old", "new"} {
		sum := strings.ToLower(r.URL.Query().Get(key))
		a, err := s.db.Get(r.Context(), sum)
		if err != nil {
			s.fail(w, r, http.StatusNotFound, fmt.Sprintf("%s: no such app in this workspace (give ?old=SHA256&new=SHA256)", key))
			return nil, apps, false
		}
		rep, _, err := s.readReport(r.Context(), a.SHA256)
		if err != nil {
			s.fail(w, r, http.StatusConflict, fmt.Sprintf("%s: this app has no report yet", key))
			return nil, apps, false
		}
		apps[i], reps[i] = a, rep
	}
	s.audit(r, "view", apps[0].SHA256+".."+apps[1].SHA256, "diff")
	var buf bytes.Buffer
	if err := render(&buf, report.Compare(reps[0], reps[1])); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "could not render the diff")
		return nil, apps, false
	}
	return buf.Bytes(), apps, true
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) {
	doc, _, ok := s.diff(w, r, report.DiffJSON)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(doc)
}

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request) {
	doc, apps, ok := s.diff(w, r, report.DiffHTML)
	if !ok {
		return
	}
	s.serveDocument(w, r, doc, "diffbar", map[string]any{"Old": apps[0], "New": apps[1]})
}

// apiImport imports reports written by appxray scan --format json or
// appxray scan --out (one JSON report per file part).
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request) {
	var out []store.App
	err := s.receive(w, r, func(name string, body io.Reader) error {
		rep, err := report.Read(io.LimitReader(body, 256<<20))
		if err != nil {
			return &errUpload{http.StatusBadRequest, store.CleanName(name) + ": " + err.Error()}
		}
		var buf bytes.Buffer
		if err := report.JSON(&buf, rep); err != nil {
			return err
		}
		a, err := s.db.ImportReport(r.Context(), rep, buf.Bytes(), identityOf(r).actor())
		if err != nil {
			return &errUpload{http.StatusBadRequest, store.CleanName(name) + ": " + err.Error()}
		}
		s.audit(r, "import", a.SHA256, a.Name)
		out = append(out, a)
		return nil
	})
	if err != nil {
		s.uploadFailed(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"imported": out})
}

func (s *Server) apiHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	out := map[string]any{"status": "ok", "version": detect.Version, "schema": store.SchemaVersion(), "database": string(s.db.Dialect)}
	status := http.StatusOK
	if err := s.db.Ping(ctx); err != nil {
		out["status"], status = "database unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPI)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
