package app

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// failChunk fails the hashing's read at the input's second MiB.
type failChunk struct{ r *bytes.Reader }

func (f failChunk) ReadAt(p []byte, off int64) (int, error) {
	if off == 1<<20 && len(p) == readStep {
		return 0, errors.New("disk on fire")
	}
	return f.r.ReadAt(p, off)
}

// padded is the demo app with a stored 3 MiB asset.
func padded(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/demo-ijop.apk")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "assets/pad.bin", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(make([]byte, 3<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestHashBesideAnalysis: the SHA-256 is computed beside the opening and
// the analysis; an input that cannot be hashed still opens, with no
// SHA-256 and the failure among the app's errors.
func TestHashBesideAnalysis(t *testing.T) {
	data := padded(t)
	in := failChunk{bytes.NewReader(data)}
	a, err := open(context.Background(), in, int64(len(data)), DefaultOptions())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer a.Close()
	if len(a.Dex(context.Background())) == 0 {
		t.Fatal("no DEX read")
	}
	if s := a.SHA256(); s != "" {
		t.Errorf("SHA256 = %q, want none", s)
	}
	a.SHA256()
	var got []string
	for _, e := range a.Errors() {
		got = append(got, e.Error())
	}
	if len(got) != 1 || !strings.Contains(got[0], "disk on fire") || !strings.HasPrefix(got[0], "input: ") {
		t.Errorf("errors %q, want the hashing's once", got)
	}
}
