package forms

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"appxray/internal/corpus"
	"appxray/internal/testapp"
)

// seedFiles reads the committed seeds and, from the corpus, up to n
// entries of each corpus APK whose names satisfy keep.
func seedFiles(f *testing.F, glob string, keep func(string) bool, n int) [][]byte {
	var out [][]byte
	paths, _ := filepath.Glob(filepath.Join("testdata", glob))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	for _, apk := range append([]string{testapp.Demo(f)}, corpus.APKs(f)...) {
		zr, err := zip.OpenReader(apk)
		if err != nil {
			continue // unreadable corpus files are listed in corpus_test.go
		}
		taken := 0
		for _, e := range zr.File {
			if taken >= n || !keep(e.Name) || e.UncompressedSize64 > 16<<10 {
				continue
			}
			rc, err := e.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err == nil && (mayHoldWidget(b) || bytes.Contains(bytes.ToLower(b), []byte("<input"))) {
				out = append(out, b)
				taken++
			}
		}
		zr.Close()
	}
	return out
}

// FuzzLayout feeds binary XML to the layout walker, without a resource
// table: it must not panic, and every field it reports carries evidence.
func FuzzLayout(f *testing.F) {
	for _, b := range seedFiles(f, "*.axml", func(n string) bool { return strings.HasPrefix(n, "res/layout") }, 2) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newScan(nil)
		s.layoutFile(nil, newResolver(nil), "res/layout/x.xml", data)
		for _, fd := range s.res.Fields {
			if fd.Evidence.Location == "" || fd.Layout != "res/layout/x.xml" {
				t.Fatalf("field without evidence: %+v", fd)
			}
		}
		s.finishOptionLists()
	})
}

// FuzzHTMLPage feeds arbitrary pages to the HTML form reader.
func FuzzHTMLPage(f *testing.F) {
	for _, b := range seedFiles(f, "*.html", func(n string) bool { return strings.HasSuffix(n, ".html") }, 3) {
		f.Add(b)
	}
	f.Add([]byte("<select><option>a<option>b</select><label for=x>L</label><input id=x name=y>"))
	f.Add([]byte("<label><textarea name=a><!-- "))
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newScan(nil)
		s.htmlPage("assets/x.html", data)
		s.finishOptionLists()
		if n := bytes.Count(data, []byte("<")); len(s.res.Fields) > n {
			t.Fatalf("%d fields from %d tags", len(s.res.Fields), n)
		}
		for _, fd := range s.res.Fields {
			if !strings.HasPrefix(fd.Evidence.Location, "assets/x.html line ") || fd.Line < 1 {
				t.Fatalf("field without a line: %+v", fd)
			}
		}
	})
}
