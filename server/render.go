package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"appxray/detect"
	"appxray/knowledge"
	"appxray/store"
)

type pages struct {
	t *template.Template
}

var funcs = template.FuncMap{
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"mib": func(n int64) string {
		if n < 1<<20 {
			return fmt.Sprintf("%.1f KiB", float64(n)/1024)
		}
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	},
	"catTitle": func(c string) string {
		if info, ok := knowledge.Category(c).Info(); ok {
			return info.Title
		}
		return c
	},
	"join": strings.Join,
	"active": func(status string) bool {
		return status == store.StatusQueued || status == store.StatusRunning
	},
	"can":     func(role string, need string) bool { return store.RoleRank(role) >= store.RoleRank(need) },
	"version": func() string { return detect.Version },
	"roles":   func() []string { return []string{store.RoleViewer, store.RoleAnalyst, store.RoleAdmin} },
	"inc":     func(i int) int { return i + 1 },
	"dec":     func(i int) int { return i - 1 },
}

func loadPages() (*pages, error) {
	t, err := template.New("").Funcs(funcs).ParseFS(assets, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	return &pages{t: t}, nil
}

// pageData is what every page template receives.
type pageData struct {
	Title string
	User  *store.User
	Local bool
	CSRF  string
	Data  map[string]any
}

func (s *Server) data(w http.ResponseWriter, r *http.Request, data map[string]any) pageData {
	id := identityOf(r)
	title, _ := data["Title"].(string)
	return pageData{Title: title, User: id.User, Local: id.Local, CSRF: s.ensureCSRF(w, r), Data: data}
}

// render writes a page of the site.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data map[string]any) {
	var buf bytes.Buffer
	if err := s.pages.t.ExecuteTemplate(&buf, name, s.data(w, r, data)); err != nil {
		s.log.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail answers an error: JSON for the API, a page for a browser.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) || strings.Contains(r.Header.Get("Accept"), "application/json") {
		writeJSON(w, status, map[string]any{"error": msg, "status": status})
		return
	}
	s.render(w, r, status, "error", map[string]any{"Status": status, "StatusText": http.StatusText(status), "Message": msg})
}

var (
	styleBlock = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<style>(.*?)</style>`) })
	metaCSP    = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?`)
	})
)

// documentCSP is the policy for a report document: its own stylesheets,
// by hash, the site's script and styles, nothing else.
func documentCSP(doc []byte) string {
	var hashes []string
	for _, m := range styleBlock().FindAllSubmatch(doc, -1) {
		sum := sha256.Sum256(m[1])
		hashes = append(hashes, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return "default-src 'none'; script-src 'self'; style-src 'self' " + strings.Join(hashes, " ") +
		"; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

// serveDocument serves a report or diff page that appxray's report
// package wrote, with the workspace's bar (rendered from the named
// template) at its top: the document's own policy is replaced by the
// response's, which allows the same styles and the site's assets.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, doc []byte, bar string, data map[string]any) {
	var b bytes.Buffer
	if err := s.pages.t.ExecuteTemplate(&b, bar, s.data(w, r, data)); err != nil {
		s.log.Error("rendering the bar", "err", err)
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	head := bytes.Index(doc, []byte("</head>"))
	body := bytes.Index(doc, []byte("<body>"))
	if head < 0 || body < head {
		s.log.Error("report document without <head> and <body>")
		http.Error(w, "could not render the page", http.StatusInternalServerError)
		return
	}
	var out bytes.Buffer
	out.Grow(len(doc) + b.Len() + 200)
	out.Write(metaCSP().ReplaceAll(doc[:head], nil))
	out.WriteString(`<link rel="icon" href="data:,">` + "\n" + `<link rel="stylesheet" href="/static/app.css">` + "\n" + `<script src="/static/app.js" defer></script>` + "\n")
	out.Write(doc[head : body+len("<body>")])
	out.WriteString("\n")
	out.Write(b.Bytes())
	out.Write(doc[body+len("<body>"):])
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", documentCSP(doc))
	w.Write(out.Bytes())
}

// static serves the embedded assets.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.PathValue("file"))
	b, err := fs.ReadFile(assets, "static/"+name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}
