package testapp

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Rewrite writes a copy of the APK at src, as name in a temporary
// directory, with its entries passed through edit (which returns the bytes
// to write, or nil to leave the entry out; a nil edit keeps every entry)
// and the entries of add appended, in name order. It is how the tests
// build a variant of a real app: a manifest rewritten, a DEX replaced.
func Rewrite(t testing.TB, src, name string, edit func(entry string, data []byte) []byte, add map[string][]byte) string {
	t.Helper()
	in, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	write := func(entry string, data []byte) {
		w, err := zw.Create(entry)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			if data = edit(f.Name, data); data == nil {
				continue
			}
		}
		write(f.Name, data)
	}
	for _, entry := range slices.Sorted(maps.Keys(add)) {
		write(entry, add[entry])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
