// Package e2e holds tests that run the whole pipeline, from file to
// rendered report.
package e2e

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"appxray/app"
	"appxray/detect"
	"appxray/internal/corpus"
	"appxray/internal/testapp"
	"appxray/report"
	"appxray/scan"
)

// A saved JSON report reads back into the same document: rendering it again
// gives the same bytes, in every format, without the app file.
func TestReportRoundTrip(t *testing.T) {
	files := []string{testapp.Demo(t)}
	if corpus.Present() || corpus.Required() {
		files = append(files, corpus.Files(t)...)
	}
	checked := 0
	for _, path := range files {
		ctx := context.Background()
		a, err := app.Open(ctx, path, app.DefaultOptions())
		if err != nil {
			continue // not an app appxray opens; the parity tests name these
		}
		rep, err := detect.Scan(ctx, a, nil)
		a.Close()
		if err != nil {
			t.Fatalf("%s: %v", corpus.Name(path), err)
		}
		var first bytes.Buffer
		if err := report.JSON(&first, rep); err != nil {
			t.Fatal(err)
		}
		back, err := report.Read(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("%s: reading the report back: %v", corpus.Name(path), err)
		}
		var second bytes.Buffer
		if err := report.JSON(&second, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%s: JSON differs after a round trip", corpus.Name(path))
		}
		var t1, t2 bytes.Buffer
		if err := report.Text(&t1, rep); err != nil {
			t.Fatal(err)
		}
		if err := report.Text(&t2, back); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(t1.Bytes(), t2.Bytes()) {
			t.Errorf("%s: text differs when rendered from the saved JSON", corpus.Name(path))
		}
		checked++
	}
	t.Logf("round trip: %d reports read back identical", checked)
}

func TestReadRefuses(t *testing.T) {
	for _, in := range []string{
		``,
		`not json`,
		`{"tool":{"name":"exodus"}}`,
		`{"tool":{"name":"appxray","version":"0.1.0"}} {"tool":{"name":"appxray"}}`,
		`{"tool":{"name":"appxray"},"findings":[{"severity":"critical"}]}`,
	} {
		if _, err := report.Read(bytes.NewReader([]byte(in))); err == nil {
			t.Errorf("Read accepted %q", in)
		}
	}
	r, err := report.Read(bytes.NewReader([]byte(`{"tool":{"name":"appxray","version":"0.1.0"},"app":{"package":"a.b"}}`)))
	if err != nil || r.App.Package != "a.b" || reflect.TypeOf(r) != reflect.TypeOf(&scan.Report{}) {
		t.Errorf("Read = %+v, %v", r, err)
	}
}
